;; One update of up to two exponential moving averages of one float32 parameter on tfjs-backend-wasm's
;; heap, in place, each operation rounded as tfjs's elementwise kernels round it (no FMA):
;;   e1 ← e1·keep1 + p·take1;  if count == 2: e2 ← e2·keep2 + p·take2
;; p [n] and e1, e2 (each n floats inside an EMA's flat buffer) are byte offsets, 4-byte aligned
;; (a parameter's slot in the flat buffer can start anywhere). p is read once for both.
;; Assemble with `npm run -w @pixelrepa/tensor build:kernels` (wabt) into ema-wasm.ts.
(module
  (import "env" "memory" (memory 1 65536 shared))
  (func (export "ema") (param $p i32) (param $e1 i32) (param $e2 i32) (param $n i32) (param $count i32)
    (param $keep1 f32) (param $take1 f32) (param $keep2 f32) (param $take2 f32)
    (local $i i32) (local $end i32) (local $pi v128) (local $ps f32)
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (local.set $i (i32.const 0))
    (block $done (loop $lanes
      (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
      (local.set $pi (v128.load (i32.add (local.get $p) (local.get $i))))
      (v128.store (i32.add (local.get $e1) (local.get $i))
        (f32x4.add (f32x4.mul (v128.load (i32.add (local.get $e1) (local.get $i))) (f32x4.splat (local.get $keep1)))
          (f32x4.mul (local.get $pi) (f32x4.splat (local.get $take1)))))
      (if (i32.eq (local.get $count) (i32.const 2)) (then
        (v128.store (i32.add (local.get $e2) (local.get $i))
          (f32x4.add (f32x4.mul (v128.load (i32.add (local.get $e2) (local.get $i))) (f32x4.splat (local.get $keep2)))
            (f32x4.mul (local.get $pi) (f32x4.splat (local.get $take2)))))))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $lanes)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done (loop $tail
      (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
      (local.set $ps (f32.load (i32.add (local.get $p) (local.get $i))))
      (f32.store (i32.add (local.get $e1) (local.get $i))
        (f32.add (f32.mul (f32.load (i32.add (local.get $e1) (local.get $i))) (local.get $keep1)) (f32.mul (local.get $ps) (local.get $take1))))
      (if (i32.eq (local.get $count) (i32.const 2)) (then
        (f32.store (i32.add (local.get $e2) (local.get $i))
          (f32.add (f32.mul (f32.load (i32.add (local.get $e2) (local.get $i))) (local.get $keep2)) (f32.mul (local.get $ps) (local.get $take2))))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $tail)))
  )
)
