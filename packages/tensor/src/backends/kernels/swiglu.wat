;; SwiGLU's elementwise middle, forward and backward, on tfjs-backend-wasm's heap.
;; Shapes and layout: a, s, b, y, dy, da, db [n] float32, any shape flattened (all the same shape);
;; s = sigmoid(a), computed before by tfjs's own Sigmoid kernel. Any n: four lanes at a time, then
;; the last n mod 4 one by one; pointers are byte offsets, 4-byte aligned. Each operation rounded
;; to float32 (no FMA), in the order
;; tfjs's autodiff of mul(mul(a, sigmoid(a)), b) uses (Multiply's and Sigmoid's gradients):
;;   forward   y = (a · s) · b
;;   backward  g = dy · b;  da = g · s + (g · a) · (s · (1 − s));  db = dy · (a · s)
;; so y, da and db are bit-identical to the composite ops' (ops/swiglu.test.ts checks it).
;; Assemble with `npm run -w @pixelrepa/tensor build:kernels` (wabt) into swiglu-wasm.ts.
(module
  (import "env" "memory" (memory 1 65536 shared))

  (func (export "forward") (param $a i32) (param $s i32) (param $b i32) (param $y i32) (param $n i32)
    (local $i i32) (local $bytes i32) (local $vectorBytes i32)
    (local.set $bytes (i32.shl (local.get $n) (i32.const 2)))
    (local.set $vectorBytes (i32.and (local.get $bytes) (i32.const -16)))
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $i) (local.get $vectorBytes)))
      (v128.store (i32.add (local.get $y) (local.get $i))
        (f32x4.mul
          (f32x4.mul (v128.load (i32.add (local.get $a) (local.get $i))) (v128.load (i32.add (local.get $s) (local.get $i))))
          (v128.load (i32.add (local.get $b) (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $each)))
    ;; the tail, one value at a time
    (block $tailDone (loop $tail
      (br_if $tailDone (i32.ge_u (local.get $i) (local.get $bytes)))
      (f32.store (i32.add (local.get $y) (local.get $i))
        (f32.mul
          (f32.mul (f32.load (i32.add (local.get $a) (local.get $i))) (f32.load (i32.add (local.get $s) (local.get $i))))
          (f32.load (i32.add (local.get $b) (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $tail)))
  )

  (func (export "backward") (param $a i32) (param $s i32) (param $b i32) (param $dy i32) (param $da i32) (param $db i32)
    (param $n i32)
    (local $i i32) (local $bytes i32) (local $vectorBytes i32) (local $av v128) (local $sv v128) (local $dyv v128) (local $g v128)
    (local $a1 f32) (local $s1 f32) (local $dy1 f32) (local $g1 f32)
    (local.set $bytes (i32.shl (local.get $n) (i32.const 2)))
    (local.set $vectorBytes (i32.and (local.get $bytes) (i32.const -16)))
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $i) (local.get $vectorBytes)))
      (local.set $av (v128.load (i32.add (local.get $a) (local.get $i))))
      (local.set $sv (v128.load (i32.add (local.get $s) (local.get $i))))
      (local.set $dyv (v128.load (i32.add (local.get $dy) (local.get $i))))
      (local.set $g (f32x4.mul (local.get $dyv) (v128.load (i32.add (local.get $b) (local.get $i)))))
      ;; da = g · s + (g · a) · (s · (1 − s))
      (v128.store (i32.add (local.get $da) (local.get $i))
        (f32x4.add
          (f32x4.mul (local.get $g) (local.get $sv))
          (f32x4.mul
            (f32x4.mul (local.get $g) (local.get $av))
            (f32x4.mul (local.get $sv) (f32x4.sub (v128.const f32x4 1 1 1 1) (local.get $sv))))))
      ;; db = dy · (a · s)
      (v128.store (i32.add (local.get $db) (local.get $i))
        (f32x4.mul (local.get $dyv) (f32x4.mul (local.get $av) (local.get $sv))))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $each)))
    ;; the tail, one value at a time, the same operations
    (block $tailDone (loop $tail
      (br_if $tailDone (i32.ge_u (local.get $i) (local.get $bytes)))
      (local.set $a1 (f32.load (i32.add (local.get $a) (local.get $i))))
      (local.set $s1 (f32.load (i32.add (local.get $s) (local.get $i))))
      (local.set $dy1 (f32.load (i32.add (local.get $dy) (local.get $i))))
      (local.set $g1 (f32.mul (local.get $dy1) (f32.load (i32.add (local.get $b) (local.get $i)))))
      (f32.store (i32.add (local.get $da) (local.get $i))
        (f32.add
          (f32.mul (local.get $g1) (local.get $s1))
          (f32.mul
            (f32.mul (local.get $g1) (local.get $a1))
            (f32.mul (local.get $s1) (f32.sub (f32.const 1) (local.get $s1))))))
      (f32.store (i32.add (local.get $db) (local.get $i))
        (f32.mul (local.get $dy1) (f32.mul (local.get $a1) (local.get $s1))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $tail)))
  )
)
