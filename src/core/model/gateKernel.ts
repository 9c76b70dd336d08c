// The LSTM gate step in WebAssembly SIMD (kernels/lstmGates.wat): 4 units per instruction and a polynomial
// exp instead of five Math.exp calls per unit. Used when the runtime has wasm SIMD and H is a multiple of 4;
// otherwise lstm.ts keeps its JS loop (same results to ~1e-7).
import { lstmGatesWasm } from './kernels/lstmGates.wasm';

interface GateExports {
  memory: WebAssembly.Memory;
  forwardStep(recurrent: number, projected: number, c: number, h: number, mask: number, maskStride: number, B: number, H: number, gates: number, cellTanh: number): void;
}

let exports: GateExports | null | undefined;
let enabled = true;

/** Turns the kernel off (tests of the JS path, and benchmarks comparing the two). */
export function useGateKernel(on: boolean): void {
  enabled = on;
}

function load(): GateExports | null {
  if (exports !== undefined) return exports;
  try {
    const module = new WebAssembly.Module(Buffer.from(lstmGatesWasm, 'base64'));
    exports = new WebAssembly.Instance(module).exports as unknown as GateExports;
  } catch {
    exports = null; // no wasm SIMD here
  }
  return exports;
}

/** Byte regions of the kernel's memory for one direction's forward pass over a [T, B] batch. */
export class GateWorkspace {
  private readonly kernel: GateExports;
  private readonly offsets: { recurrent: number; projected: number; c: number; h: number; mask: number; gates: number; cellTanh: number };
  readonly recurrent: Float32Array;
  readonly projected: Float32Array;
  readonly c: Float32Array;
  readonly h: Float32Array;
  readonly gates: Float32Array;
  readonly cellTanh: Float32Array;

  private constructor(kernel: GateExports, private readonly B: number, private readonly T: number, private readonly H: number, trace: boolean) {
    this.kernel = kernel;
    const G = 4 * H;
    const sizes = { recurrent: B * G * 4, projected: T * B * G * 4, c: B * H * 4, h: B * H * 4, mask: B * T, gates: trace ? T * B * G * 4 : 0, cellTanh: trace ? T * B * H * 4 : 0 };
    let next = 0;
    const offsets = {} as Record<keyof typeof sizes, number>;
    for (const [name, bytes] of Object.entries(sizes) as [keyof typeof sizes, number][]) {
      offsets[name] = next;
      next += Math.ceil(bytes / 16) * 16; // v128 alignment
    }
    const pages = Math.ceil(next / 65536) - kernel.memory.buffer.byteLength / 65536;
    if (pages > 0) kernel.memory.grow(pages);
    this.offsets = offsets;
    const view = (at: number, n: number) => new Float32Array(kernel.memory.buffer, at, n);
    this.recurrent = view(offsets.recurrent, B * G);
    this.projected = view(offsets.projected, T * B * G);
    this.c = view(offsets.c, B * H);
    this.h = view(offsets.h, B * H);
    this.gates = view(offsets.gates, trace ? T * B * G : 0);
    this.cellTanh = view(offsets.cellTanh, trace ? T * B * H : 0);
    // The memory is reused from call to call: state and the first step's recurrent product start at zero.
    this.recurrent.fill(0);
    this.c.fill(0);
    this.h.fill(0);
  }

  /** A workspace, or undefined when the kernel cannot serve this shape or runtime. */
  static create(B: number, T: number, H: number, trace: boolean): GateWorkspace | undefined {
    const kernel = enabled && H % 4 === 0 ? load() : null;
    return kernel ? new GateWorkspace(kernel, B, T, H, trace) : undefined;
  }

  setMask(mask: Uint8Array): void {
    new Uint8Array(this.kernel.memory.buffer, this.offsets.mask, this.B * this.T).set(mask);
  }

  /** One step at time index t, with the recurrent products already in `recurrent` (zeros when not set). */
  step(t: number, trace: boolean): void {
    const { B, T, H } = this;
    const o = this.offsets;
    const G = 4 * H;
    this.kernel.forwardStep(o.recurrent, o.projected + t * B * G * 4, o.c, o.h, o.mask + t, T, B, H, trace ? o.gates + t * B * G * 4 : 0, trace ? o.cellTanh + t * B * H * 4 : 0);
  }
}
