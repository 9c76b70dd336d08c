// Source of kernels/lstm.wasm: WebAssembly text for the whole LSTM (every matrix product, the gate step
// forward and backward, row gathers), written by this generator because the matrix-product tiles are
// unrolled code. `npm run build:kernels` (scripts/build-kernels.mjs, through tsx: it reads model/cell.ts)
// compiles it; test/unit/kernels.test.ts checks the build is current.
//
// The gate layout (which section of z holds which gate, and its activation) comes from ../cell.ts, the one
// description of the cell; the cell math below names gates by role. Run under tsx (npm run build:kernels).
//
// Memory layout is the caller's (src/core/model/kernel.ts): all arrays are f32 row-major in the one memory,
// pointers are byte offsets. The plain build uses only SIMD128 and bulk memory, so its results are the same
// on every x86 and ARM machine. The relaxed build (lstmWat({ relaxed: true }), the `variants` below) turns the
// multiply-adds of the matrix product, exp, the cell update and the bag means into f32x4.relaxed_madd / nmadd:
// fused where the CPU has FMA, so faster, and its last bits depend on the machine (docs/performance.md).

import { GATES } from '../cell.ts';
import { matmul } from './matmul.mjs';

// Which build lstmWat is generating (the helpers below read it, as splat reads CONSTANTS).
let relaxed = false;
/** a·b + c */
const mulAdd = (a, b, c) => (relaxed ? `(f32x4.relaxed_madd ${a} ${b} ${c})` : `(f32x4.add (f32x4.mul ${a} ${b}) ${c})`);
/** c + a·b (the plain build's operand order differs from mulAdd's; kept, so its bytes stay what they were) */
const addMul = (c, a, b) => (relaxed ? `(f32x4.relaxed_madd ${a} ${b} ${c})` : `(f32x4.add ${c} (f32x4.mul ${a} ${b}))`);
/** c − a·b */
const subMul = (c, a, b) => (relaxed ? `(f32x4.relaxed_nmadd ${a} ${b} ${c})` : `(f32x4.sub ${c} (f32x4.mul ${a} ${b}))`);

// ---- gates ----
// Units go 4 at a time; the last H mod 4 units one at a time through the same code on a splatted lane.

function unitAccess(kind) {
  return kind === 'vec'
    ? { load: (addr) => `(v128.load ${addr})`, store: (addr, v) => `(v128.store ${addr} ${v})`, width: 4 }
    : {
        load: (addr) => `(f32x4.splat (f32.load ${addr}))`,
        store: (addr, v) => `(f32.store ${addr} (f32x4.extract_lane 0 ${v}))`,
        width: 1,
      };
}

// Each gate's value and its pointer into z are locals named after its role ($i and $zi for the input gate...).
const SHORT = { input: 'i', forget: 'f', candidate: 'g', output: 'o' };
const short = (gate) => SHORT[gate.name];

/** $zi, $zf, $zg, $zo: units $j… of row $b in each gate's section of z (sections in GATES order). */
function gatePointers() {
  return GATES.map((gate, index) =>
    index === 0
      ? `(local.set $z${short(gate)} (i32.add (local.get $z) (i32.shl (i32.add (i32.mul (local.get $b) (local.get $G)) (local.get $j)) (i32.const 2))))`
      : `(local.set $z${short(gate)} (i32.add (local.get $z${short(GATES[index - 1])}) (local.get $hb)))`,
  ).join('\n            ');
}

/** Loops over the units of row $b, with $zi/$zf/$zg/$zo (gate rows of z) and $su (state offset) set. */
function unitLoops(body) {
  return ['vec', 'lane']
    .map((kind) => {
      const access = unitAccess(kind);
      return `
          (block $${kind}Done (loop $${kind}Units
            (br_if $${kind}Done (i32.gt_u (i32.add (local.get $j) (i32.const ${access.width})) (local.get $H)))
            ${gatePointers()}
            (local.set $su (i32.shl (i32.add (i32.mul (local.get $b) (local.get $H)) (local.get $j)) (i32.const 2)))
            ${body(access)}
            (local.set $j (i32.add (local.get $j) (i32.const ${access.width})))
            (br $${kind}Units)))`;
    })
    .join('');
}

const gateLocals = `(local $b i32) (local $j i32) (local $G i32) (local $hb i32) (local $zi i32) (local $zf i32) (local $zg i32) (local $zo i32) (local $su i32) (local $zrow i32) (local $p i32) (local $end i32)
    (local $i v128) (local $f v128) (local $g v128) (local $o v128) (local $cell v128) (local $tc v128) (local $dhv v128) (local $dcell v128)
    (local $ex v128) (local $en v128) (local $er v128) (local $ep v128)`;

const at = (base) => `(i32.add (local.get ${base}) (local.get $su))`;

/** The four gate values of units $j… into $i, $f, $g, $o. */
const loadGates = (load) =>
  GATES.map(short)
    .map((g) => `(local.set $${g} ${load(`(local.get $z${g})`)})`)
    .join('\n            ');

/** An exported gate function: the shared locals and constants, and a loop over the rows b of the batch. */
function gateFunction(name, params, row) {
  return `(func (export "${name}")
    ${params}
    ${gateLocals} ${constantLocals()}
    ${constantSetup()}
    (local.set $G (i32.shl (local.get $H) (i32.const 2)))
    (local.set $hb (i32.shl (local.get $H) (i32.const 2)))
    (block $rowsDone (loop $rows
      (br_if $rowsDone (i32.ge_u (local.get $b) (local.get $B)))
      ${row}
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $rows))))`;
}

/** Applies `activation` in place to the f32 elements in bytes [$p, $end): 4 at a time, then one at a time. */
function elementLoop(name, activation) {
  return `
          (block $${name}VecDone (loop $${name}Vec
            (br_if $${name}VecDone (i32.gt_u (i32.add (local.get $p) (i32.const 16)) (local.get $end)))
            (v128.store (local.get $p) ${activation('(v128.load (local.get $p))')})
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (br $${name}Vec)))
          (block $${name}LaneDone (loop $${name}Lane
            (br_if $${name}LaneDone (i32.ge_u (local.get $p) (local.get $end)))
            (f32.store (local.get $p) (f32x4.extract_lane 0 ${activation('(f32x4.splat (f32.load (local.get $p)))')}))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (br $${name}Lane)))`;
}

// The activations go in a pass of their own over the row (i and f together, then g, then o): every iteration
// is one independent exp, so the CPU overlaps many of them; computed unit by unit, the chain exp → cell → exp
// left it waiting on latency.
function forwardActivations() {
  const section = (from, to) => `
          (local.set $p (i32.add (local.get $zrow) (i32.mul (local.get $hb) (i32.const ${from}))))
          (local.set $end (i32.add (local.get $zrow) (i32.mul (local.get $hb) (i32.const ${to}))))`;
  // Adjacent sections with the same activation go in one pass.
  const runs = [];
  GATES.forEach((gate, index) => {
    const last = runs.at(-1);
    if (last && last.activation === gate.activation) last.to = index + 1;
    else runs.push({ activation: gate.activation, from: index, to: index + 1 });
  });
  return `
          (local.set $zrow (i32.add (local.get $z) (i32.shl (i32.mul (local.get $b) (local.get $G)) (i32.const 2))))${runs
            .map(
              (run, r) => `
          ${section(run.from, run.to)} ${elementLoop(`act${r}`, ACTIVATIONS[run.activation])}`,
            )
            .join('')}`;
}

function forwardGates() {
  const body = ({ load, store }) => `
            ${loadGates(load)}
            (if (local.get $cellsBefore) (then ${store(at('$cellsBefore'), load(at('$c')))}))
            (local.set $cell ${mulAdd('(local.get $f)', load(at('$c')), '(f32x4.mul (local.get $i) (local.get $g))')})
            (local.set $tc ${tanh('(local.get $cell)')})
            ${store(at('$c'), '(local.get $cell)')}
            ${store(at('$h'), '(f32x4.mul (local.get $o) (local.get $tc))')}
            (if (local.get $cellTanh) (then ${store(at('$cellTanh'), '(local.get $tc)')}))`;
  const activations = forwardActivations();
  const units = unitLoops(body);
  return `
  ;; One time step for rows whose mask byte is set: z [B,4H] holds the pre-activations (GATES order) and
  ;; becomes the activations; c, h [B,H] advance. Masked rows keep c and h. When the trace pointers are not 0,
  ;; h before the step (every row), c before the step and tanh(c) after it are written there for backward.
  ${gateFunction(
    'forwardGates',
    `(param $z i32) (param $c i32) (param $h i32) (param $mask i32) (param $maskStride i32) (param $B i32) (param $H i32)
    (param $hiddenBefore i32) (param $cellsBefore i32) (param $cellTanh i32)`,
    `(if (local.get $hiddenBefore) (then
        (memory.copy
          (i32.add (local.get $hiddenBefore) (i32.mul (local.get $b) (local.get $hb)))
          (i32.add (local.get $h) (i32.mul (local.get $b) (local.get $hb)))
          (local.get $hb))))
      (if (i32.load8_u (i32.add (local.get $mask) (i32.mul (local.get $b) (local.get $maskStride)))) (then
        ${activations}
        (local.set $j (i32.const 0))
        ${units}))`,
  )}`;
}

/** The gradient reaching a gate's value from c' = f·c + i·g and h' = o·tanh(c'). */
function upstream(name, load) {
  switch (name) {
    case 'input':
      return '(f32x4.mul (local.get $dcell) (local.get $g))';
    case 'forget':
      return `(f32x4.mul (local.get $dcell) ${load(at('$cellsBefore'))})`;
    case 'candidate':
      return '(f32x4.mul (local.get $dcell) (local.get $i))';
    case 'output':
      return '(f32x4.mul (local.get $dhv) (local.get $tc))';
  }
  throw new Error(`no cell math for the ${name} gate`);
}

/** The activation's derivative from its output a: σ' = a(1 − a), tanh' = 1 − a². */
function derivative(activation, a) {
  return activation === 'sigmoid' ? `(f32x4.mul ${a} (f32x4.sub ${splat(1)} ${a}))` : `(f32x4.sub ${splat(1)} (f32x4.mul ${a} ${a}))`;
}

function backwardGates() {
  const body = ({ load, store }) => `
            ${loadGates(load)}
            (local.set $tc ${load(at('$cellTanh'))})
            (local.set $dhv ${load(at('$dh'))})
            ;; dcell = dc + dh · o · (1 − tanh²c)
            (local.set $dcell (f32x4.add ${load(at('$dc'))}
              (f32x4.mul (f32x4.mul (local.get $dhv) (local.get $o)) (f32x4.sub ${splat(1)} (f32x4.mul (local.get $tc) (local.get $tc))))))
            ;; d(gate value) by the cell math, times the derivative of the gate's activation at its value
            ${GATES.map((gate) => store(`(local.get $z${short(gate)})`, `(f32x4.mul ${upstream(gate.name, load)} ${derivative(gate.activation, `(local.get $${short(gate)})`)})`)).join('\n            ')}
            ${store(at('$dc'), '(f32x4.mul (local.get $dcell) (local.get $f))')}
            ${store(at('$dh'), '(v128.const i32x4 0 0 0 0)')}`;
  const units = unitLoops(body);
  return `
  ;; Backward through one time step. z [B,4H] holds the step's activations and becomes d(pre-activations);
  ;; dc advances; dh of live rows is zeroed, ready for dh += dz · Wᵀ. Masked rows get dz = 0 and keep dh, dc.
  ${gateFunction(
    'backwardGates',
    `(param $z i32) (param $cellTanh i32) (param $cellsBefore i32) (param $dh i32) (param $dc i32)
    (param $mask i32) (param $maskStride i32) (param $B i32) (param $H i32)`,
    `(if (i32.load8_u (i32.add (local.get $mask) (i32.mul (local.get $b) (local.get $maskStride))))
        (then
          (local.set $j (i32.const 0))
          ${units})
        (else
          (memory.fill (i32.add (local.get $z) (i32.shl (i32.mul (local.get $b) (local.get $G)) (i32.const 2))) (i32.const 0) (i32.shl (local.get $G) (i32.const 2)))))`,
  )}`;
}

// exp is Cephes' expf (range reduction by ln 2, degree-6 polynomial): ~1 ulp in float32. It is emitted inline
// (V8 does not inline wasm calls here, and a call with v128 arguments cost a third of the gate time), and 2^n
// comes from the bits of x·log2(e) + 1.5·2^23 + 127, which also does the rounding to nearest.
// V8 rebuilds a splatted constant (three instructions) at every use, so the gate functions load them once
// into locals at entry ($k0, $k1, …) and use those.
const CONSTANTS = [];
const splat = (v) => {
  if (!CONSTANTS.includes(v)) CONSTANTS.push(v);
  return `(local.get $k${CONSTANTS.indexOf(v)})`;
};
const constantLocals = () => CONSTANTS.map((_, i) => `(local $k${i} v128)`).join(' ');
const constantSetup = () => CONSTANTS.map((v, i) => `(local.set $k${i} (f32x4.splat (f32.const ${v})))`).join('\n    ');
const MAGIC = 12583039; // 1.5 * 2^23 + 127

/** e^(scale·x) */
function exp(x, scale) {
  const poly = [1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1]
    .map((c) => `(local.set $ep ${mulAdd('(local.get $ep)', '(local.get $er)', splat(c))})`)
    .join(' ');
  return `(block (result v128)
              (local.set $ex (f32x4.pmin (f32x4.pmax ${splat(-87.3)} (f32x4.mul ${x} ${splat(scale)})) ${splat(88.3)}))
              (local.set $en ${mulAdd('(local.get $ex)', splat(1.4426950408889634), splat(MAGIC))})
              (local.set $er (f32x4.sub (local.get $en) ${splat(MAGIC)}))
              (local.set $ep ${subMul('(local.get $ex)', '(local.get $er)', splat(0.693359375))})
              (local.set $er ${subMul('(local.get $ep)', '(local.get $er)', splat(-2.1219444e-4))})
              (local.set $ep ${splat(1.98756915e-4)}) ${poly}
              (local.set $ep (f32x4.add ${mulAdd('(f32x4.mul (local.get $ep) (local.get $er))', '(local.get $er)', '(local.get $er)')} ${splat(1)}))
              (f32x4.mul (local.get $ep) (i32x4.shl (local.get $en) (i32.const 23))))`;
}

const sigmoid = (x) => `(f32x4.div ${splat(1)} (f32x4.add ${splat(1)} ${exp(x, -1)}))`;
// tanh x = 2 sigmoid(2x) − 1
const tanh = (x) => `(f32x4.sub (f32x4.div ${splat(2)} (f32x4.add ${splat(1)} ${exp(x, -2)})) ${splat(1)})`;
const ACTIVATIONS = { sigmoid, tanh };

const gatherRows = `
  ;; out[r] = table[ids[r]] for n rows of rowBytes bytes (ids are i32).
  (func (export "gatherRows") (param $table i32) (param $ids i32) (param $out i32) (param $n i32) (param $rowBytes i32)
    (local $r i32)
    (block $done (loop $rows
      (br_if $done (i32.ge_u (local.get $r) (local.get $n)))
      (memory.copy
        (i32.add (local.get $out) (i32.mul (local.get $r) (local.get $rowBytes)))
        (i32.add (local.get $table) (i32.mul (i32.load (i32.add (local.get $ids) (i32.shl (local.get $r) (i32.const 2)))) (local.get $rowBytes)))
        (local.get $rowBytes))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rows))))`;

const scatterAddRows = `
  ;; out[ids[r]] += rows[r] for n rows of width floats: the gradient of gatherRows (sums per vocabulary row).
  (func (export "scatterAddRows") (param $rows i32) (param $ids i32) (param $out i32) (param $n i32) (param $width i32)
    (local $r i32) (local $src i32) (local $dst i32) (local $end i32)
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $r) (local.get $n)))
      (local.set $src (i32.add (local.get $rows) (i32.shl (i32.mul (local.get $r) (local.get $width)) (i32.const 2))))
      (local.set $dst (i32.add (local.get $out) (i32.shl (i32.mul (i32.load (i32.add (local.get $ids) (i32.shl (local.get $r) (i32.const 2)))) (local.get $width)) (i32.const 2))))
      (local.set $end (i32.add (local.get $src) (i32.shl (local.get $width) (i32.const 2))))
      (block $vecDone (loop $vec
        (br_if $vecDone (i32.gt_u (i32.add (local.get $src) (i32.const 16)) (local.get $end)))
        (v128.store (local.get $dst) (f32x4.add (v128.load (local.get $dst)) (v128.load (local.get $src))))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (br $vec)))
      (block $laneDone (loop $lane
        (br_if $laneDone (i32.ge_u (local.get $src) (local.get $end)))
        (f32.store (local.get $dst) (f32.add (f32.load (local.get $dst)) (f32.load (local.get $src))))
        (local.set $src (i32.add (local.get $src) (i32.const 4)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (br $lane)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $each))))`;

// ---- bags (the wide path: the mean of a line's n-gram rows) ----
// Lines are segments of one id list: line b holds ids[offsets[b]] … ids[offsets[b + 1] − 1] (i32 each).

/** dst[0..width) += src[0..width) · $scale4 ($scale for the lane tail), $src and $dst advancing. */
function scaledRowAdd(name) {
  return `
          (local.set $end (i32.add (local.get $src) (i32.shl (local.get $width) (i32.const 2))))
          (block $${name}VecDone (loop $${name}Vec
            (br_if $${name}VecDone (i32.gt_u (i32.add (local.get $src) (i32.const 16)) (local.get $end)))
            (v128.store (local.get $dst) ${addMul('(v128.load (local.get $dst))', '(v128.load (local.get $src))', '(local.get $scale4)')})
            (local.set $src (i32.add (local.get $src) (i32.const 16)))
            (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
            (br $${name}Vec)))
          (block $${name}LaneDone (loop $${name}Lane
            (br_if $${name}LaneDone (i32.ge_u (local.get $src) (local.get $end)))
            (f32.store (local.get $dst) (f32.add (f32.load (local.get $dst)) (f32.mul (f32.load (local.get $src)) (local.get $scale))))
            (local.set $src (i32.add (local.get $src) (i32.const 4)))
            (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
            (br $${name}Lane)))`;
}

/** A loop over lines b and their ids t with $scale = 1 / (ids in the line) set; `body` runs per id. */
function bagLoop(body) {
  return `
    (local $b i32) (local $t i32) (local $last i32) (local $src i32) (local $dst i32) (local $end i32) (local $scale f32) (local $scale4 v128)
    (block $linesDone (loop $lines
      (br_if $linesDone (i32.ge_u (local.get $b) (local.get $lines)))
      (local.set $t (i32.load (i32.add (local.get $offsets) (i32.shl (local.get $b) (i32.const 2)))))
      (local.set $last (i32.load (i32.add (local.get $offsets) (i32.shl (i32.add (local.get $b) (i32.const 1)) (i32.const 2)))))
      (local.set $scale (f32.div (f32.const 1) (f32.convert_i32_u (i32.sub (local.get $last) (local.get $t)))))
      (local.set $scale4 (f32x4.splat (local.get $scale)))
      (block $idsDone (loop $each
        (br_if $idsDone (i32.ge_u (local.get $t) (local.get $last)))
        ${body}
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $each)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $lines)))`;
}

/** Byte address of row ids[$t] of the [·, width] array at `base`. */
const idRow = (base) =>
  `(i32.add (local.get ${base}) (i32.mul (i32.load (i32.add (local.get $ids) (i32.shl (local.get $t) (i32.const 2)))) (i32.shl (local.get $width) (i32.const 2))))`;
/** Byte address of row $b of the [lines, width] array at `base`. */
const lineRow = (base) => `(i32.add (local.get ${base}) (i32.mul (local.get $b) (i32.shl (local.get $width) (i32.const 2))))`;

const bags = () => `
  ;; out[b] += the mean of rows table[ids[t]] over line b's ids, for \`lines\` lines of \`width\` floats (a line
  ;; without ids adds nothing): the wide path's logits.
  (func (export "bagMeans") (param $table i32) (param $ids i32) (param $offsets i32) (param $out i32) (param $lines i32) (param $width i32)
    ${bagLoop(`(local.set $src ${idRow('$table')}) (local.set $dst ${lineRow('$out')}) ${scaledRowAdd('mean')}`)})

  ;; dTable[ids[t]] += grad[b] / (ids in line b) for every id of every line: the gradient of bagMeans.
  (func (export "bagMeansBackward") (param $grad i32) (param $ids i32) (param $offsets i32) (param $dTable i32) (param $lines i32) (param $width i32)
    ${bagLoop(`(local.set $src ${lineRow('$grad')}) (local.set $dst ${idRow('$dTable')}) ${scaledRowAdd('spread')}`)})`;

// ---- Adam ----
// p [rows, width] and g [rows, width] are contiguous; the moments m and v are rows ids[r] of larger arrays
// (the embedding's, for the rows a batch used; for a dense array one row with id 0). Keras' Adam with the
// bias correction folded into lr and ε by the caller.
function adamStep(kind) {
  const vec = kind === 'vec';
  const [op, load, store, width] = vec
    ? [(o) => `f32x4.${o}`, (a) => `(v128.load ${a})`, (a, v) => `(v128.store ${a} ${v})`, 4]
    : [(o) => `f32.${o}`, (a) => `(f32.load ${a})`, (a, v) => `(f32.store ${a} ${v})`, 1];
  const c = (name) => (vec ? `(local.get $${name}4)` : `(local.get $${name})`);
  return `
        (block $${kind}Done (loop $${kind}Loop
          (br_if $${kind}Done (i32.gt_u (i32.add (local.get $j) (i32.const ${width})) (local.get $width)))
          (local.set $off (i32.shl (local.get $j) (i32.const 2)))
          (local.set $g${kind} (${op('mul')} ${load('(i32.add (local.get $grow) (local.get $off))')} ${c('scale')}))
          (local.set $m${kind} (${op('add')} (${op('mul')} ${c('b1')} ${load('(i32.add (local.get $mrow) (local.get $off))')}) (${op('mul')} ${c('a1')} (local.get $g${kind}))))
          (local.set $v${kind} (${op('add')} (${op('mul')} ${c('b2')} ${load('(i32.add (local.get $vrow) (local.get $off))')}) (${op('mul')} ${c('a2')} (${op('mul')} (local.get $g${kind}) (local.get $g${kind})))))
          ${store('(i32.add (local.get $mrow) (local.get $off))', `(local.get $m${kind})`)}
          ${store('(i32.add (local.get $vrow) (local.get $off))', `(local.get $v${kind})`)}
          ${store('(i32.add (local.get $prow) (local.get $off))', `(${op('sub')} ${load('(i32.add (local.get $prow) (local.get $off))')} (${op('div')} (${op('mul')} ${c('lr')} (local.get $m${kind})) (${op('add')} (${op('sqrt')} (local.get $v${kind})) ${c('eps')})))`)}
          (local.set $j (i32.add (local.get $j) (i32.const ${width})))
          (br $${kind}Loop)))`;
}

/**
 * adamRows: p and g are the used rows back to back (gathered by the caller). adamRowsById: p is the whole table
 * like m and v (row ids[r]), so a table that lives in kernel memory (the linear baseline's) is updated in place.
 */
const adam = (name, pById) => `
  (func (export "${name}") (param $p i32) (param $m i32) (param $v i32) (param $g i32) (param $ids i32) (param $rows i32) (param $width i32)
    (param $scale f32) (param $lr f32) (param $eps f32) (param $b1 f32) (param $b2 f32)
    (local $r i32) (local $j i32) (local $off i32) (local $prow i32) (local $grow i32) (local $mrow i32) (local $vrow i32) (local $rowBytes i32)
    (local $a1 f32) (local $a2 f32) (local $gscalar f32) (local $mscalar f32) (local $vscalar f32)
    (local $scale4 v128) (local $lr4 v128) (local $eps4 v128) (local $b14 v128) (local $b24 v128) (local $a14 v128) (local $a24 v128)
    (local $gvec v128) (local $mvec v128) (local $vvec v128)
    (local.set $a1 (f32.sub (f32.const 1) (local.get $b1)))
    (local.set $a2 (f32.sub (f32.const 1) (local.get $b2)))
    (local.set $scale4 (f32x4.splat (local.get $scale))) (local.set $lr4 (f32x4.splat (local.get $lr))) (local.set $eps4 (f32x4.splat (local.get $eps)))
    (local.set $b14 (f32x4.splat (local.get $b1))) (local.set $b24 (f32x4.splat (local.get $b2)))
    (local.set $a14 (f32x4.splat (local.get $a1))) (local.set $a24 (f32x4.splat (local.get $a2)))
    (local.set $rowBytes (i32.shl (local.get $width) (i32.const 2)))
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $grow (i32.add (local.get $g) (i32.mul (local.get $r) (local.get $rowBytes))))
      (local.set $off (i32.mul (i32.load (i32.add (local.get $ids) (i32.shl (local.get $r) (i32.const 2)))) (local.get $rowBytes)))
      (local.set $prow (i32.add (local.get $p) ${pById ? '(local.get $off)' : '(i32.mul (local.get $r) (local.get $rowBytes))'}))
      (local.set $mrow (i32.add (local.get $m) (local.get $off)))
      (local.set $vrow (i32.add (local.get $v) (local.get $off)))
      (local.set $j (i32.const 0))
      ${adamStep('vec')}
      ${adamStep('scalar')}
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $each))))`;

const sumSquares = () => `
  ;; Sum of squares of n floats (for clipping by global norm).
  (func (export "sumSquares") (param $a i32) (param $n i32) (result f32)
    (local $acc v128) (local $x v128) (local $end i32) (local $sum f32)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 2))))
    (block $vecDone (loop $vec
      (br_if $vecDone (i32.gt_u (i32.add (local.get $a) (i32.const 16)) (local.get $end)))
      (local.set $x (v128.load (local.get $a)))
      (local.set $acc ${addMul('(local.get $acc)', '(local.get $x)', '(local.get $x)')})
      (local.set $a (i32.add (local.get $a) (i32.const 16)))
      (br $vec)))
    (local.set $sum (f32.add (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
      (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc)))))
    (block $laneDone (loop $lane
      (br_if $laneDone (i32.ge_u (local.get $a) (local.get $end)))
      (local.set $sum (f32.add (local.get $sum) (f32.mul (f32.load (local.get $a)) (f32.load (local.get $a)))))
      (local.set $a (i32.add (local.get $a) (i32.const 4)))
      (br $lane)))
    (local.get $sum))`;

/** Builds besides the default one, for scripts/build-kernels.mjs: each is lstmWat(options), assembled with `features`. */
export const variants = { lstmRelaxed: { options: { relaxed: true }, features: { relaxed_simd: true } } };

export default function lstmWat(options = {}) {
  relaxed = options.relaxed ?? false;
  // Constants are numbered in order of first use, which differs between builds: start each text afresh.
  CONSTANTS.length = 0;
  return `;; Generated by src/core/model/kernels/lstm.wat.mjs: edit that file, then run npm run build:kernels.
(module
  (memory (export "memory") 1)
${matmul({ relaxed })}
${forwardGates()}
${backwardGates()}
${gatherRows}
${scatterAddRows}
${bags()}
${adam('adamRows', false)}
${adam('adamRowsById', true)}
${sumSquares()}
)
`;
}
