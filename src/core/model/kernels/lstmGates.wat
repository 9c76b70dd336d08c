;; LSTM gate arithmetic for one time step of a batch, 4 units at a time with WebAssembly SIMD.
;; The matrix products stay on tfjs's XNNPACK; this replaces the per-unit JS loop (5 exp per unit).
;; exp is Cephes' expf (range reduction by ln 2, degree-6 polynomial): ~1 ulp in float32.
(module
  (memory (export "memory") 1)

  (func $exp (param $x v128) (result v128)
    (local $n v128) (local $r v128) (local $p v128)
    ;; clamp so 2^n stays a normal float
    (local.set $x (f32x4.min (f32x4.max (local.get $x) (f32x4.splat (f32.const -87.3))) (f32x4.splat (f32.const 88.3))))
    (local.set $n (f32x4.nearest (f32x4.mul (local.get $x) (f32x4.splat (f32.const 1.44269504088896341)))))
    ;; r = x - n ln2, with ln2 split in two for accuracy (Cody–Waite)
    (local.set $r (f32x4.sub (local.get $x) (f32x4.mul (local.get $n) (f32x4.splat (f32.const 0.693359375)))))
    (local.set $r (f32x4.sub (local.get $r) (f32x4.mul (local.get $n) (f32x4.splat (f32.const -2.12194440e-4)))))
    (local.set $p (f32x4.splat (f32.const 1.9875691500e-4)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1.3981999507e-3))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 8.3334519073e-3))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 4.1665795894e-2))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1.6666665459e-1))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 5.0000001201e-1))))
    ;; e^r = p r^2 + r + 1
    (local.set $p (f32x4.add (f32x4.add (f32x4.mul (f32x4.mul (local.get $p) (local.get $r)) (local.get $r)) (local.get $r)) (f32x4.splat (f32.const 1))))
    ;; times 2^n, built from the exponent bits
    (f32x4.mul (local.get $p)
      (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $n)) (i32x4.splat (i32.const 127))) (i32.const 23))))

  (func $sigmoid (param $x v128) (result v128)
    (f32x4.div (f32x4.splat (f32.const 1))
      (f32x4.add (f32x4.splat (f32.const 1)) (call $exp (f32x4.neg (local.get $x))))))

  ;; tanh x = 2 sigmoid(2x) - 1
  (func $tanh (param $x v128) (result v128)
    (f32x4.sub (f32x4.mul (f32x4.splat (f32.const 2)) (call $sigmoid (f32x4.add (local.get $x) (local.get $x))))
      (f32x4.splat (f32.const 1))))

  ;; For each row b whose mask byte is set: z = recurrent[b] + projected[b] (both [B, 4H], gates i f g o),
  ;; c[b] = f c[b] + i g, h[b] = o tanh(c[b]). Rows with mask 0 keep h and c. When gates/cellTanh are not 0,
  ;; the activations ([B, 4H]) and tanh(c) ([B, H]) are written there for backpropagation. H % 4 == 0.
  (func (export "forwardStep")
    (param $recurrent i32) (param $projected i32) (param $c i32) (param $h i32)
    (param $mask i32) (param $maskStride i32) (param $B i32) (param $H i32)
    (param $gates i32) (param $cellTanh i32)
    (local $b i32) (local $j i32) (local $row i32) (local $unit i32) (local $H4 i32)
    (local $i v128) (local $f v128) (local $g v128) (local $o v128) (local $cell v128) (local $tc v128)
    (local.set $H4 (i32.shl (local.get $H) (i32.const 2)))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $b) (local.get $B)))
        (if (i32.load8_u (i32.add (local.get $mask) (i32.mul (local.get $b) (local.get $maskStride))))
          (then
            (local.set $j (i32.const 0))
            (block $unitsDone
              (loop $units
                (br_if $unitsDone (i32.ge_u (local.get $j) (local.get $H)))
                ;; byte offsets of unit j in this row of a [B, 4H] and a [B, H] array
                (local.set $row (i32.shl (i32.add (i32.mul (local.get $b) (local.get $H4)) (local.get $j)) (i32.const 2)))
                (local.set $unit (i32.shl (i32.add (i32.mul (local.get $b) (local.get $H)) (local.get $j)) (i32.const 2)))
                (local.set $i (call $sigmoid (f32x4.add
                  (v128.load (i32.add (local.get $recurrent) (local.get $row)))
                  (v128.load (i32.add (local.get $projected) (local.get $row))))))
                (local.set $row (i32.add (local.get $row) (local.get $H4)))
                (local.set $f (call $sigmoid (f32x4.add
                  (v128.load (i32.add (local.get $recurrent) (local.get $row)))
                  (v128.load (i32.add (local.get $projected) (local.get $row))))))
                (local.set $row (i32.add (local.get $row) (local.get $H4)))
                (local.set $g (call $tanh (f32x4.add
                  (v128.load (i32.add (local.get $recurrent) (local.get $row)))
                  (v128.load (i32.add (local.get $projected) (local.get $row))))))
                (local.set $row (i32.add (local.get $row) (local.get $H4)))
                (local.set $o (call $sigmoid (f32x4.add
                  (v128.load (i32.add (local.get $recurrent) (local.get $row)))
                  (v128.load (i32.add (local.get $projected) (local.get $row))))))
                (local.set $cell (f32x4.add
                  (f32x4.mul (local.get $f) (v128.load (i32.add (local.get $c) (local.get $unit))))
                  (f32x4.mul (local.get $i) (local.get $g))))
                (local.set $tc (call $tanh (local.get $cell)))
                (v128.store (i32.add (local.get $c) (local.get $unit)) (local.get $cell))
                (v128.store (i32.add (local.get $h) (local.get $unit)) (f32x4.mul (local.get $o) (local.get $tc)))
                (if (local.get $gates)
                  (then
                    (local.set $row (i32.sub (local.get $row) (i32.mul (local.get $H4) (i32.const 3))))
                    (v128.store (i32.add (local.get $gates) (local.get $row)) (local.get $i))
                    (local.set $row (i32.add (local.get $row) (local.get $H4)))
                    (v128.store (i32.add (local.get $gates) (local.get $row)) (local.get $f))
                    (local.set $row (i32.add (local.get $row) (local.get $H4)))
                    (v128.store (i32.add (local.get $gates) (local.get $row)) (local.get $g))
                    (local.set $row (i32.add (local.get $row) (local.get $H4)))
                    (v128.store (i32.add (local.get $gates) (local.get $row)) (local.get $o))
                    (v128.store (i32.add (local.get $cellTanh) (local.get $unit)) (local.get $tc))))
                (local.set $j (i32.add (local.get $j) (i32.const 4)))
                (br $units)))))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $rows))))
)
