// Every export of the wasm kernel against its plain TypeScript reference (kernels/lstm.reference.ts), on random
// shapes that reach each code path (SIMD bodies and scalar tails, masked rows, repeated ids, transposed A).
// Each build the runtime has is checked: plain everywhere, relaxed (fused multiply-add) where the runtime has
// relaxed SIMD; TEXTCAT_KERNEL names one build instead (kernels.test.ts runs this file with TEXTCAT_KERNEL=relaxed
// in a child process that has the flag, where this one, on Node 20, has no relaxed SIMD).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseKernelBuild, type KernelBuild, privateKernel, relaxedSimdSupported } from '../../src/core/model/kernel';
import * as reference from '../../src/core/model/kernels/lstm.reference';
import { gateWidth } from '../../src/core/model/cell';
import { createRng } from '../../src/core/random';

type Instance = ReturnType<typeof privateKernel>;
const BUILDS: KernelBuild[] = process.env.TEXTCAT_KERNEL
  ? [chooseKernelBuild(process.env.TEXTCAT_KERNEL, () => relaxedSimdSupported())]
  : relaxedSimdSupported()
    ? ['plain', 'relaxed']
    : ['plain'];

/** One test per build, named with it. */
function eachBuild(name: string, body: (build: KernelBuild) => void): void {
  for (const build of BUILDS) test(`${name} [${build}]`, () => body(build));
}

const rng = createRng(2024);
const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const randoms = (n: number, scale = 1) => Float32Array.from({ length: n }, () => (rng() * 2 - 1) * scale);

/** Arrays laid out in a fresh kernel instance's memory, 16-byte aligned, from byte 16 on. */
class Arena {
  readonly kernel: Instance;
  private top = 16;

  constructor(build: KernelBuild) {
    this.kernel = privateKernel(build);
  }

  put(values: Float32Array | Int32Array | Uint8Array): number {
    const at = this.top;
    this.top += Math.ceil(Math.max(values.byteLength, 4) / 16) * 16;
    const missing = this.top - this.kernel.memory.buffer.byteLength;
    if (missing > 0) this.kernel.memory.grow(Math.ceil(missing / 65536));
    new Uint8Array(this.kernel.memory.buffer, at, values.byteLength).set(
      new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
    );
    return at;
  }

  floats(at: number, n: number): Float32Array {
    return new Float32Array(this.kernel.memory.buffer, at, n).slice();
  }
}

function assertClose(got: Float32Array, want: Float32Array, what: string, tolerance = 1e-5): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    const bound = tolerance * Math.max(1, Math.abs(want[i]));
    assert.ok(Math.abs(got[i] - want[i]) <= bound, `${what}[${i}]: kernel ${got[i]}, reference ${want[i]}`);
  }
}

const tested = new Set<string>();

eachBuild('matmul matches the reference (plain, transposed A, accumulate, bias; every tile shape)', (build) => {
  tested.add('matmul');
  for (let trial = 0; trial < 40; trial++) {
    const [M, K, N] = [int(1, 9), int(0, 40), int(1, 37)];
    const transposed = rng() < 0.5;
    const init = int(0, 2) as 0 | 1 | 2;
    const a = randoms(M * K);
    const [ars, acs] = transposed ? [1, M] : [K, 1];
    const b = randoms(K * N);
    const c = randoms(M * N);
    const bias = randoms(N);
    const arena = new Arena(build);
    const [pa, pb, pc, pbias] = [arena.put(a), arena.put(b), arena.put(c), arena.put(bias)];
    arena.kernel.matmul(pa, ars, acs, pb, pc, M, K, N, init, pbias);
    const want = c.slice();
    reference.matmul(a, ars, acs, b, want, M, K, N, init, bias);
    assertClose(arena.floats(pc, M * N), want, `matmul ${M}x${K}x${N} init ${init} transposed ${transposed}`);
  }
});

/** A step's inputs: pre-activations, state and a mask with some rows off, at a mask offset and stride. */
function stepInputs(B: number, H: number) {
  const maskStride = int(1, 3);
  const maskAt = int(0, 2);
  const mask = new Uint8Array(maskAt + B * maskStride);
  for (let b = 0; b < B; b++) mask[maskAt + b * maskStride] = rng() < 0.75 ? 1 : 0;
  return { z: randoms(B * gateWidth(H), 3), c: randoms(B * H), h: randoms(B * H), mask, maskAt, maskStride, B, H };
}

eachBuild('forwardGates matches the reference, with and without a trace (SIMD units and one-unit tails)', (build) => {
  tested.add('forwardGates');
  for (let trial = 0; trial < 30; trial++) {
    const [B, H] = [int(1, 6), int(1, 13)];
    const s = stepInputs(B, H);
    const withTrace = trial % 2 === 0;
    const arena = new Arena(build);
    const [pz, pc, ph, pmask] = [arena.put(s.z), arena.put(s.c), arena.put(s.h), arena.put(s.mask)];
    const traces = withTrace
      ? [arena.put(new Float32Array(B * H)), arena.put(new Float32Array(B * H)), arena.put(new Float32Array(B * H))]
      : [0, 0, 0];
    arena.kernel.forwardGates(pz, pc, ph, pmask + s.maskAt, s.maskStride, B, H, traces[0], traces[1], traces[2]);
    const want = { ...s, z: s.z.slice(), c: s.c.slice(), h: s.h.slice() };
    const trace = { hiddenBefore: new Float32Array(B * H), cellsBefore: new Float32Array(B * H), cellTanh: new Float32Array(B * H) };
    reference.forwardGates(want, withTrace ? trace : undefined);
    const what = `forwardGates B ${B} H ${H}`;
    assertClose(arena.floats(pz, B * gateWidth(H)), want.z, `${what} z`);
    assertClose(arena.floats(pc, B * H), want.c, `${what} c`);
    assertClose(arena.floats(ph, B * H), want.h, `${what} h`);
    if (withTrace) {
      // The trace of masked rows' c and tanh(c) is left as it was (zeros here) by both.
      assertClose(arena.floats(traces[0], B * H), trace.hiddenBefore, `${what} hiddenBefore`);
      assertClose(arena.floats(traces[1], B * H), trace.cellsBefore, `${what} cellsBefore`);
      assertClose(arena.floats(traces[2], B * H), trace.cellTanh, `${what} cellTanh`);
    }
  }
});

eachBuild('backwardGates matches the reference (live and masked rows)', (build) => {
  tested.add('backwardGates');
  for (let trial = 0; trial < 30; trial++) {
    const [B, H] = [int(1, 6), int(1, 13)];
    const s = stepInputs(B, H);
    // Activations as a forward step leaves them, and its trace.
    const trace = { hiddenBefore: new Float32Array(B * H), cellsBefore: new Float32Array(B * H), cellTanh: new Float32Array(B * H) };
    reference.forwardGates({ ...s, mask: new Uint8Array(s.mask.length).fill(1) }, trace);
    const dh = randoms(B * H);
    const dc = randoms(B * H);
    const arena = new Arena(build);
    const [pz, ptanh, pcells, pdh, pdc, pmask] = [s.z, trace.cellTanh, trace.cellsBefore, dh, dc, s.mask].map((a) => arena.put(a));
    arena.kernel.backwardGates(pz, ptanh, pcells, pdh, pdc, pmask + s.maskAt, s.maskStride, B, H);
    const want = { ...s, z: s.z.slice(), cellTanh: trace.cellTanh, cellsBefore: trace.cellsBefore, dh: dh.slice(), dc: dc.slice() };
    reference.backwardGates(want);
    const what = `backwardGates B ${B} H ${H}`;
    assertClose(arena.floats(pz, B * gateWidth(H)), want.z, `${what} dz`);
    assertClose(arena.floats(pdh, B * H), want.dh, `${what} dh`);
    assertClose(arena.floats(pdc, B * H), want.dc, `${what} dc`);
  }
});

eachBuild('gatherRows and scatterAddRows match the reference (repeated ids)', (build) => {
  tested.add('gatherRows').add('scatterAddRows');
  for (let trial = 0; trial < 20; trial++) {
    const [rows, width, n] = [int(1, 9), int(1, 21), int(0, 30)];
    const table = randoms(rows * width);
    const ids = Int32Array.from({ length: n }, () => int(0, rows - 1));
    const arena = new Arena(build);
    const [ptable, pids, pout] = [arena.put(table), arena.put(ids), arena.put(new Float32Array(n * width))];
    arena.kernel.gatherRows(ptable, pids, pout, n, width * 4);
    const gathered = new Float32Array(n * width);
    reference.gatherRows(table, ids, gathered, n, width);
    assertClose(arena.floats(pout, n * width), gathered, `gatherRows ${n}x${width}`, 0);

    const sums = randoms(rows * width);
    const psums = arena.put(sums);
    arena.kernel.scatterAddRows(pout, pids, psums, n, width);
    reference.scatterAddRows(gathered, ids, sums, n, width);
    assertClose(arena.floats(psums, rows * width), sums, `scatterAddRows ${n}x${width}`);
  }
});

eachBuild('bagMeans and bagMeansBackward match the reference (empty lines, repeated ids, SIMD and tail widths)', (build) => {
  tested.add('bagMeans').add('bagMeansBackward');
  for (let trial = 0; trial < 20; trial++) {
    const [rows, width, lines] = [int(1, 12), int(1, 21), int(1, 7)];
    const counts = Array.from({ length: lines }, () => (rng() < 0.2 ? 0 : int(1, 9)));
    const offsets = Int32Array.from([0, ...counts.map((_, b) => counts.slice(0, b + 1).reduce((x, y) => x + y, 0))]);
    const ids = Int32Array.from({ length: offsets[lines] }, () => int(0, rows - 1));
    const table = randoms(rows * width);
    const out = randoms(lines * width);
    const arena = new Arena(build);
    const [ptable, pids, poffsets, pout] = [table, ids, offsets, out].map((a) => arena.put(a));
    arena.kernel.bagMeans(ptable, pids, poffsets, pout, lines, width);
    const means = out.slice();
    reference.bagMeans(table, ids, offsets, means, lines, width);
    assertClose(arena.floats(pout, lines * width), means, `bagMeans ${lines} lines x ${width}`);

    const grad = randoms(lines * width);
    const dTable = randoms(rows * width);
    const [pgrad, pdTable] = [grad, dTable].map((a) => arena.put(a));
    arena.kernel.bagMeansBackward(pgrad, pids, poffsets, pdTable, lines, width);
    reference.bagMeansBackward(grad, ids, offsets, dTable, lines, width);
    assertClose(arena.floats(pdTable, rows * width), dTable, `bagMeansBackward ${lines} lines x ${width}`);
  }
});

for (const [name, byId] of [
  ['adamRows', false],
  ['adamRowsById', true],
] as const) {
  eachBuild(
    `${name} matches the reference (${byId ? 'weights and moments both rows by id' : 'lazy rows by id'}, clipping scale)`,
    (build) => {
      tested.add(name);
      for (let trial = 0; trial < 20; trial++) {
        const [rows, width, used] = [int(1, 8), int(1, 19), int(0, 8)];
        const ids = Int32Array.from(new Set(Array.from({ length: used }, () => int(0, rows - 1))));
        // adamRows: the used rows gathered; adamRowsById: the whole table (rows no id names stay as they were).
        const p = randoms((byId ? rows : ids.length) * width);
        const g = randoms(ids.length * width);
        const m = randoms(rows * width, 0.1);
        const v = Float32Array.from(randoms(rows * width, 0.1), Math.abs);
        const [scale, lr, eps, beta1, beta2] = [rng(), 0.01 * rng(), 1e-7, 0.9, 0.999];
        const arena = new Arena(build);
        const [pp, pm, pv, pg, pids] = [p, m, v, g, ids].map((a) => arena.put(a));
        arena.kernel[name](pp, pm, pv, pg, pids, ids.length, width, scale, lr, eps, beta1, beta2);
        const want = { p: p.slice(), m: m.slice(), v: v.slice() };
        reference[name](want.p, want.m, want.v, g, ids, ids.length, width, scale, lr, eps, beta1, beta2);
        assertClose(arena.floats(pp, p.length), want.p, `${name} p ${ids.length}x${width}`);
        assertClose(arena.floats(pm, m.length), want.m, `${name} m ${ids.length}x${width}`);
        assertClose(arena.floats(pv, v.length), want.v, `${name} v ${ids.length}x${width}`);
      }
    },
  );
}

eachBuild('sumSquares matches the reference', (build) => {
  tested.add('sumSquares');
  for (const n of [0, 1, 3, 4, 5, 17, 64, 1001]) {
    const a = randoms(n);
    const arena = new Arena(build);
    const got = arena.kernel.sumSquares(arena.put(a), n);
    const want = reference.sumSquares(a, n);
    assert.ok(Math.abs(got - want) <= 1e-5 * Math.max(1, want), `sumSquares ${n}: ${got} vs ${want}`);
  }
});

eachBuild('every kernel export has a reference and a test above', (build) => {
  const exported = Object.keys(privateKernel(build)).filter((name) => name !== 'memory');
  assert.deepEqual([...tested].sort(), exported.sort());
  for (const name of exported) assert.equal(typeof (reference as Record<string, unknown>)[name], 'function', `reference.${name}`);
});
