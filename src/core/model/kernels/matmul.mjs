// The kernel's matrix product, generated for lstm.wat.mjs (its tiles are unrolled code). With `relaxed`, the
// vector tiles accumulate with f32x4.relaxed_madd: one fused multiply-add where the CPU has FMA (x86 with FMA3,
// every ARM64), a multiply then an add elsewhere, so its results depend on the machine (docs/performance.md).

// ---- matrix product: C[M,N] = init + A[M,K] · B[K,N] ----
// A is read through strides (element (i,k) at a + 4(i·ars + k·acs)), so the same code multiplies by Aᵀ.
// Tiles of 2 rows × 16 columns keep 8 accumulators in registers (measured fastest of 1–8 rows × 4–16 columns,
// ~38 GFLOP/s on one x86 core); narrower tails take 4 columns, then 1.

const cols = { wide: { width: 16, vecs: 4 }, narrow: { width: 4, vecs: 1 }, single: { width: 1, vecs: 1 } };

function tile(rows, kind, relaxed) {
  const { width, vecs } = cols[kind];
  const scalar = kind === 'single';
  const ty = scalar ? 'f32' : 'v128';
  const load = (addr, off) => (scalar ? `(f32.load ${addr})` : `(v128.load offset=${off} ${addr})`);
  const zero = scalar ? '(f32.const 0)' : '(v128.const i32x4 0 0 0 0)';
  const splat = (addr) => (scalar ? `(f32.load ${addr})` : `(v128.load32_splat ${addr})`);
  const add = scalar ? 'f32.add' : 'f32x4.add';
  const mul = scalar ? 'f32.mul' : 'f32x4.mul';
  const store = (addr, off, v) => (scalar ? `(f32.store ${addr} ${v})` : `(v128.store offset=${off} ${addr} ${v})`);
  const acc = (r, v) => `$${kind}${rows}_${r}_${v}`;
  const out = [];
  const locals = [];
  for (let r = 0; r < rows; r++) for (let v = 0; v < vecs; v++) locals.push(`(local ${acc(r, v)} ${ty})`);
  for (let v = 0; v < vecs; v++) locals.push(`(local $${kind}${rows}_b${v} ${ty})`);
  locals.push(`(local $${kind}${rows}_x ${ty})`);
  out.push(`(block $${kind}${rows}Done (loop $${kind}${rows}Cols`);
  out.push(`(br_if $${kind}${rows}Done (i32.gt_u (i32.add (local.get $j) (i32.const ${width})) (local.get $N)))`);
  for (let r = 0; r < rows; r++) {
    out.push(
      `(local.set $cp${r} (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (i32.add (local.get $i) (i32.const ${r})) (local.get $N)) (local.get $j)) (i32.const 2))))`,
    );
    out.push(`(local.set $ap${r} (i32.add (local.get $a) (i32.mul (i32.add (local.get $i) (i32.const ${r})) (local.get $mb))))`);
  }
  out.push(`(local.set $biasp (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 2))))`);
  for (let r = 0; r < rows; r++)
    for (let v = 0; v < vecs; v++)
      out.push(
        `(local.set ${acc(r, v)} (if (result ${ty}) (i32.eq (local.get $init) (i32.const 1)) (then ${load(`(local.get $cp${r})`, v * 16)}) (else (if (result ${ty}) (i32.eq (local.get $init) (i32.const 2)) (then ${load('(local.get $biasp)', v * 16)}) (else ${zero})))))`,
      );
  out.push(`(local.set $bp (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))`);
  out.push(`(local.set $k (local.get $K))`);
  out.push(`(if (i32.gt_s (local.get $k) (i32.const 0)) (then (loop $${kind}${rows}K`);
  for (let v = 0; v < vecs; v++) out.push(`(local.set $${kind}${rows}_b${v} ${load('(local.get $bp)', v * 16)})`);
  for (let r = 0; r < rows; r++) {
    out.push(`(local.set $${kind}${rows}_x ${splat(`(local.get $ap${r})`)})`);
    for (let v = 0; v < vecs; v++) {
      const [x, b, sum] = [`(local.get $${kind}${rows}_x)`, `(local.get $${kind}${rows}_b${v})`, `(local.get ${acc(r, v)})`];
      out.push(
        `(local.set ${acc(r, v)} ${relaxed && !scalar ? `(f32x4.relaxed_madd ${x} ${b} ${sum})` : `(${add} ${sum} (${mul} ${x} ${b}))`})`,
      );
    }
    out.push(`(local.set $ap${r} (i32.add (local.get $ap${r}) (local.get $kb)))`);
  }
  out.push(`(local.set $bp (i32.add (local.get $bp) (local.get $nb)))`);
  out.push(`(br_if $${kind}${rows}K (local.tee $k (i32.sub (local.get $k) (i32.const 1)))))))`);
  for (let r = 0; r < rows; r++) for (let v = 0; v < vecs; v++) out.push(store(`(local.get $cp${r})`, v * 16, `(local.get ${acc(r, v)})`));
  out.push(`(local.set $j (i32.add (local.get $j) (i32.const ${width})))`);
  out.push(`(br $${kind}${rows}Cols)))`);
  return { locals, code: out };
}

function rowBlock(rows, relaxed) {
  const parts = ['wide', 'narrow', 'single'].map((kind) => tile(rows, kind, relaxed));
  return { locals: parts.flatMap((p) => p.locals), code: ['(local.set $j (i32.const 0))', ...parts.flatMap((p) => p.code)] };
}

/** The exported function `matmul`. */
export function matmul({ relaxed = false } = {}) {
  const two = rowBlock(2, relaxed);
  const one = rowBlock(1, relaxed);
  return `
  ;; C[M,N] = init + A·B. init 0: zero, 1: C itself (accumulate), 2: the row vector at $bias on every row.
  (func $matmul (export "matmul")
    (param $a i32) (param $ars i32) (param $acs i32) (param $b i32) (param $c i32)
    (param $M i32) (param $K i32) (param $N i32) (param $init i32) (param $bias i32)
    (local $i i32) (local $j i32) (local $k i32) (local $mb i32) (local $kb i32) (local $nb i32)
    (local $ap0 i32) (local $ap1 i32) (local $bp i32) (local $cp0 i32) (local $cp1 i32) (local $biasp i32)
    ${[...two.locals, ...one.locals].join(' ')}
    (local.set $mb (i32.shl (local.get $ars) (i32.const 2)))
    (local.set $kb (i32.shl (local.get $acs) (i32.const 2)))
    (local.set $nb (i32.shl (local.get $N) (i32.const 2)))
    (block $pairsDone (loop $pairs
      (br_if $pairsDone (i32.gt_u (i32.add (local.get $i) (i32.const 2)) (local.get $M)))
      ${two.code.join('\n      ')}
      (local.set $i (i32.add (local.get $i) (i32.const 2)))
      (br $pairs)))
    (if (i32.lt_u (local.get $i) (local.get $M)) (then
      ${one.code.join('\n      ')})))`;
}
