// The WebAssembly SIMD kernel (kernels/lstm.wat.mjs) and its memory. Every array of a training step or a
// prediction lives in the kernel's one linear memory for the length of the call, so the per-step work is a
// couple of wasm calls with no copies and no tensor bookkeeping. Memory is handed out by a bump allocator:
// `scoped` frees everything allocated inside it. Below the scoped allocations lies one resident region that
// outlives every scope (`resident`: a loaded model's projection tables). Views into the memory go stale when it
// grows, so take them (`floats`, `bytes`) after allocating, never across an allocation.
import { TextcatError } from '../types';
import { lstmWasm } from './kernels/lstm.wasm';
import { lstmRelaxedWasm } from './kernels/lstmRelaxed.wasm';

interface KernelExports {
  memory: WebAssembly.Memory;
  matmul(a: number, ars: number, acs: number, b: number, c: number, M: number, K: number, N: number, init: number, bias: number): void;
  forwardGates(
    z: number,
    c: number,
    h: number,
    mask: number,
    maskStride: number,
    B: number,
    H: number,
    hiddenBefore: number,
    cellsBefore: number,
    cellTanh: number,
  ): void;
  backwardGates(
    z: number,
    cellTanh: number,
    cellsBefore: number,
    dh: number,
    dc: number,
    mask: number,
    maskStride: number,
    B: number,
    H: number,
  ): void;
  gatherRows(table: number, ids: number, out: number, n: number, rowBytes: number): void;
  scatterAddRows(rows: number, ids: number, out: number, n: number, width: number): void;
  bagMeans(table: number, ids: number, offsets: number, out: number, lines: number, width: number): void;
  bagMeansBackward(grad: number, ids: number, offsets: number, dTable: number, lines: number, width: number): void;
  adamRows(
    p: number,
    m: number,
    v: number,
    g: number,
    ids: number,
    rows: number,
    width: number,
    scale: number,
    lr: number,
    eps: number,
    beta1: number,
    beta2: number,
  ): void;
  /** adamRows with the weights, like the moments, rows ids[r] of a whole table. */
  adamRowsById: KernelExports['adamRows'];
  sumSquares(a: number, n: number): number;
}

/** A region of kernel memory: a byte offset and a length in 4-byte elements. */
export interface Span {
  at: number;
  length: number;
}

/**
 * The kernel's two builds of the same code. `plain`: SIMD128 only, so every machine computes the same bits.
 * `relaxed`: the multiply-adds as relaxed-SIMD f32x4.relaxed_madd, fused where the CPU has FMA (faster; the last
 * bits depend on the CPU). docs/performance.md says which runs are bit for bit reproducible.
 */
export type KernelBuild = 'plain' | 'relaxed';

const KERNEL_BYTES: Record<KernelBuild, string> = { plain: lstmWasm, relaxed: lstmRelaxedWasm };
const decoded = new Map<KernelBuild, Uint8Array<ArrayBuffer>>();

function kernelBytes(build: KernelBuild): Uint8Array<ArrayBuffer> {
  let bytes = decoded.get(build);
  if (!bytes) decoded.set(build, (bytes = Buffer.from(KERNEL_BYTES[build], 'base64')));
  return bytes;
}

/** Whether this runtime compiles the relaxed build (Node 22+ and VS Code's Electron do; Node 20 only behind a flag). */
export function relaxedSimdSupported(
  validate: (bytes: Uint8Array<ArrayBuffer>) => boolean = (bytes) => WebAssembly.validate(bytes),
): boolean {
  return validate(kernelBytes('relaxed'));
}

/**
 * The build to run for `requested` (the TEXTCAT_KERNEL environment variable): `plain` or `relaxed` forces one
 * (relaxed fails where the runtime cannot compile it, rather than measure or reproduce the wrong one); unset or
 * `auto` takes relaxed where `relaxedSupported` says the runtime has it, plain elsewhere.
 */
export function chooseKernelBuild(requested: string | undefined, relaxedSupported: () => boolean): KernelBuild {
  switch (requested ?? '') {
    case 'plain':
      return 'plain';
    case 'relaxed':
      if (!relaxedSupported())
        throw new TextcatError(
          `TEXTCAT_KERNEL=relaxed, but this runtime has no relaxed SIMD (Node ${process.versions.node}: Node 22 or later has it, Node 20 with --experimental-wasm-relaxed-simd)`,
        );
      return 'relaxed';
    case '':
    case 'auto':
      return relaxedSupported() ? 'relaxed' : 'plain';
    default:
      throw new TextcatError(`TEXTCAT_KERNEL must be plain, relaxed or auto, not '${requested}'`);
  }
}

let chosen: KernelBuild | undefined;

/** The build this process runs, chosen on first use from TEXTCAT_KERNEL and the runtime (worker threads choose alike). */
export function kernelBuild(): KernelBuild {
  chosen ??= chooseKernelBuild(process.env.TEXTCAT_KERNEL, () => relaxedSimdSupported());
  return chosen;
}

const compiled = new Map<KernelBuild, WebAssembly.Module>();
let loaded: KernelExports | undefined;

/** A new instance of the kernel with a memory of its own, laid out by the caller (the optimizer's moments). */
export function privateKernel(build: KernelBuild = kernelBuild()): KernelExports {
  let module = compiled.get(build);
  if (!module) compiled.set(build, (module = new WebAssembly.Module(kernelBytes(build))));
  return new WebAssembly.Instance(module).exports as unknown as KernelExports;
}

function kernel(): KernelExports {
  loaded ??= privateKernel();
  return loaded;
}

// Bytes 0..3 hold the constant 1.0 (column sums multiply by it with a zero stride; 16 bytes keep what follows
// aligned); then the resident region (below), then the scoped allocations.
const ONE = 0;
const FIRST = 16;
/** Where scoped allocations start: the end of the resident region. */
let base = FIRST;
let top = FIRST;
let residentOwner: object | undefined;
/** Scopes open now: the resident region may move only when none is. */
let openScopes = 0;

/** Runs `body` and frees whatever it allocated (nested scopes free only their own). */
export function scoped<T>(body: () => T): T {
  const mark = top;
  openScopes++;
  try {
    return body();
  } finally {
    openScopes--;
    top = mark;
  }
}

/**
 * `length` elements of kernel memory that outlive every scope, for `owner` (one at a time): what a thread keeps
 * from call to call, such as a loaded model's projection tables, so they are not copied in again for each call.
 * `fresh` says the contents are undefined (the region was another owner's, or of another length, or was never
 * `filled`); otherwise they are what the owner left there. Undefined inside a `scoped` block: the region can
 * move only when nothing lies above it, and the caller then uses scoped memory instead.
 */
export function resident(owner: object, length: number): { span: Span; fresh: boolean; filled: () => void } | undefined {
  if (openScopes > 0) return undefined;
  const span = { at: FIRST, length };
  const filled = () => (residentOwner = owner);
  if (residentOwner === owner && base === FIRST + Math.ceil((length * 4) / 16) * 16) return { span, fresh: false, filled };
  residentOwner = undefined;
  top = base = FIRST;
  alloc(length);
  base = top;
  return { span, fresh: true, filled };
}

/** `length` 4-byte elements, 16-byte aligned, contents undefined (use `zeros` for zeroed ones). */
export function alloc(length: number): Span {
  const k = kernel();
  const at = top;
  const end = top + Math.ceil((length * 4) / 16) * 16;
  growTo(k.memory, end);
  top = end;
  if (at === FIRST) new Float32Array(k.memory.buffer, ONE, 1)[0] = 1;
  return { at, length };
}

/** Grows `memory` to at least `bytes`. */
export function growTo(memory: WebAssembly.Memory, bytes: number): void {
  const missing = bytes - memory.buffer.byteLength;
  if (missing <= 0) return;
  try {
    memory.grow(Math.ceil(missing / 65536));
  } catch {
    // wasm32 memory stops at 4 GB (less when the machine refuses): say which options make it that large.
    throw new TextcatError(
      `a batch needs ${Math.round(bytes / 2 ** 20)} MB of working memory, more than WebAssembly can have: lower batchSize, maxLength or hiddenUnits (its size grows with batchSize × maxLength × hiddenUnits)`,
    );
  }
}

export function zeros(length: number): Span {
  const span = alloc(length);
  floats(span).fill(0);
  return span;
}

/** A span holding a copy of `values`. */
export function upload(values: Float32Array | Int32Array): Span {
  const span = alloc(values.length);
  if (values instanceof Int32Array) new Int32Array(kernel().memory.buffer, span.at, span.length).set(values);
  else floats(span).set(values);
  return span;
}

export function floats(span: Span): Float32Array {
  return new Float32Array(kernel().memory.buffer, span.at, span.length);
}

/** Byte view (masks): a span allocated for n bytes has length ceil(n / 4). */
export function bytes(span: Span, n: number): Uint8Array {
  return new Uint8Array(kernel().memory.buffer, span.at, n);
}

/** Elements [start, start + length) of a span. */
export function slice(span: Span, start: number, length: number): Span {
  return { at: span.at + start * 4, length };
}

export interface ProductOptions {
  /** A is stored transposed, as [K, M]. */
  transposeA?: boolean;
  /** Add to what `out` holds instead of overwriting it. */
  accumulate?: boolean;
  /** A row vector [N] added to every row. */
  bias?: Span;
}

// Rows of B per kernel call: a long product (K = T·B for the weight gradients) is cut into slices whose part
// of B stays in cache while every row pair of A passes over it; one pass over all of K streamed B from memory
// once per row pair.
const K_BLOCK = 128;

/** out [M, N] = A [M, K] · B [K, N] (all row-major). */
export function product(out: Span, a: Span, M: number, K: number, b: Span, N: number, options: ProductOptions = {}): void {
  const [ars, acs] = options.transposeA ? [1, M] : [K, 1];
  const k = kernel();
  let init = options.accumulate ? 1 : options.bias ? 2 : 0;
  for (let k0 = 0; k0 < K || k0 === 0; k0 += K_BLOCK) {
    const rows = Math.min(K_BLOCK, K - k0);
    k.matmul(a.at + k0 * acs * 4, ars, acs, b.at + k0 * N * 4, out.at, M, rows, N, init, options.bias?.at ?? 0);
    init = 1;
  }
}

/** out [N] (+)= the sum of the rows of a [rows, N]. */
export function columnSums(out: Span, a: Span, rows: number, N: number, accumulate = false): void {
  kernel().matmul(ONE, 0, 0, a.at, out.at, 1, rows, N, accumulate ? 1 : 0, 0);
}

/** out[r] = table[ids[r]], rows of `width` elements; `ids` is a span of n int32. */
export function gatherRows(out: Span, table: Span, ids: Span, n: number, width: number): void {
  kernel().gatherRows(table.at, ids.at, out.at, n, width * 4);
}

/** out[ids[r]] += rows[r] for n rows of `width` elements (the gradient of gatherRows). */
export function scatterAddRows(out: Span, rows: Span, ids: Span, n: number, width: number): void {
  kernel().scatterAddRows(rows.at, ids.at, out.at, n, width);
}

/** Lines as segments of one id list: line b holds ids[offsets[b]] … ids[offsets[b + 1] − 1]. */
export interface Bags {
  ids: Span;
  /** [lines + 1] int32. */
  offsets: Span;
  lines: number;
}

/** out[b] (+)= the mean of table's rows ids of line b ([lines, width]; a line without ids adds nothing). */
export function bagMeans(out: Span, table: Span, bags: Bags, width: number): void {
  kernel().bagMeans(table.at, bags.ids.at, bags.offsets.at, out.at, bags.lines, width);
}

/** dTable[ids[t]] += grad[b] / (ids in line b): the gradient of bagMeans. */
export function bagMeansBackward(dTable: Span, grad: Span, bags: Bags, width: number): void {
  kernel().bagMeansBackward(grad.at, bags.ids.at, bags.offsets.at, dTable.at, bags.lines, width);
}

export interface GateState {
  /** [B, 4H] pre-activations in, activations out (gate sections as in cell.ts). */
  z: Span;
  c: Span;
  h: Span;
  /** Mask byte of row 0 at this step; row b's is `maskStride` bytes further. */
  mask: number;
  maskStride: number;
  B: number;
  H: number;
}

/** One LSTM step; with `trace`, h and c before the step and tanh(c) after it are written there ([B, H] each). */
export function forwardGates(s: GateState, trace?: { hiddenBefore: Span; cellsBefore: Span; cellTanh: Span }): void {
  kernel().forwardGates(
    s.z.at,
    s.c.at,
    s.h.at,
    s.mask,
    s.maskStride,
    s.B,
    s.H,
    trace?.hiddenBefore.at ?? 0,
    trace?.cellsBefore.at ?? 0,
    trace?.cellTanh.at ?? 0,
  );
}

/** Backward through one step: z (activations) becomes dz; dc advances; dh of live rows is zeroed. */
export function backwardGates(
  z: Span,
  cellTanh: Span,
  cellsBefore: Span,
  dh: Span,
  dc: Span,
  mask: number,
  maskStride: number,
  B: number,
  H: number,
): void {
  kernel().backwardGates(z.at, cellTanh.at, cellsBefore.at, dh.at, dc.at, mask, maskStride, B, H);
}

/** Scoped bytes allocated and not yet freed (0 between calls: every such allocation is inside a `scoped` block). */
export function kernelBytesInUse(): number {
  return top - base;
}

/** Bytes of the resident region (`resident`). */
export function kernelResidentBytes(): number {
  return base - FIRST;
}

/** Bytes of kernel memory reserved so far (its high-water mark: wasm memory never shrinks). */
export function kernelMemoryBytes(): number {
  return loaded?.memory.buffer.byteLength ?? 0;
}
