;; RMSNorm over the last axis (LlamaRMSNorm), forward and backward, on tfjs-backend-wasm's heap.
;; Shapes and layout: x, y, dy, dx [rows, d] float32 row-major; w, dw [d]; r [rows], each row's
;; 1/sqrt(mean(x²) + eps), kept by the forward pass for the backward one. d is a multiple of 4;
;; pointers are byte offsets, 4-byte aligned. Each operation rounded to float32 (no FMA):
;;   forward   r = 1 / sqrt(Σx² / d + eps);  y = w · (x · r)
;;   backward  g = w · dy;  dx = r · g − x · (r³ · Σ(g · x) / d);  dw = Σ over rows of dy · (x · r)
;; Row sums run in four lanes, added lane 0 + 1 and 2 + 3, then together.
;; Assemble with `npm run -w @pixelrepa/tensor build:kernels` (wabt) into rms-norm-wasm.ts.
(module
  (import "env" "memory" (memory 1 65536 shared))

  (func $lanesSum (param $v v128) (result f32)
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
      (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))

  (func (export "forward") (param $x i32) (param $w i32) (param $y i32) (param $r i32)
    (param $rows i32) (param $d i32) (param $eps f32)
    (local $row i32) (local $i i32) (local $bytes i32) (local $acc v128) (local $v v128) (local $rr f32) (local $rv v128)
    (local.set $bytes (i32.shl (local.get $d) (i32.const 2)))
    (block $rowsDone (loop $eachRow
      (br_if $rowsDone (i32.ge_u (local.get $row) (local.get $rows)))
      ;; Σ x² over the row
      (local.set $acc (v128.const f32x4 0 0 0 0))
      (local.set $i (i32.const 0))
      (block $sumDone (loop $sum
        (br_if $sumDone (i32.ge_u (local.get $i) (local.get $bytes)))
        (local.set $v (v128.load (i32.add (local.get $x) (local.get $i))))
        (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $v) (local.get $v))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $sum)))
      (local.set $rr (f32.div (f32.const 1)
        (f32.sqrt (f32.add (f32.div (call $lanesSum (local.get $acc)) (f32.convert_i32_u (local.get $d))) (local.get $eps)))))
      (f32.store (local.get $r) (local.get $rr))
      ;; y = w · (x · r)
      (local.set $rv (f32x4.splat (local.get $rr)))
      (local.set $i (i32.const 0))
      (block $scaleDone (loop $scale
        (br_if $scaleDone (i32.ge_u (local.get $i) (local.get $bytes)))
        (v128.store (i32.add (local.get $y) (local.get $i))
          (f32x4.mul (v128.load (i32.add (local.get $w) (local.get $i)))
            (f32x4.mul (v128.load (i32.add (local.get $x) (local.get $i))) (local.get $rv))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $scale)))
      (local.set $x (i32.add (local.get $x) (local.get $bytes)))
      (local.set $y (i32.add (local.get $y) (local.get $bytes)))
      (local.set $r (i32.add (local.get $r) (i32.const 4)))
      (local.set $row (i32.add (local.get $row) (i32.const 1)))
      (br $eachRow)))
  )

  (func (export "backward") (param $x i32) (param $w i32) (param $r i32) (param $dy i32) (param $dx i32) (param $dw i32)
    (param $rows i32) (param $d i32)
    (local $row i32) (local $i i32) (local $bytes i32) (local $acc v128) (local $xv v128) (local $dyv v128)
    (local $rr f32) (local $rv v128) (local $cv v128)
    (local.set $bytes (i32.shl (local.get $d) (i32.const 2)))
    ;; dw = 0
    (local.set $i (i32.const 0))
    (block $zeroDone (loop $zero
      (br_if $zeroDone (i32.ge_u (local.get $i) (local.get $bytes)))
      (v128.store (i32.add (local.get $dw) (local.get $i)) (v128.const f32x4 0 0 0 0))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $zero)))
    (block $rowsDone (loop $eachRow
      (br_if $rowsDone (i32.ge_u (local.get $row) (local.get $rows)))
      (local.set $rr (f32.load (local.get $r)))
      ;; Σ (w · dy) · x over the row
      (local.set $acc (v128.const f32x4 0 0 0 0))
      (local.set $i (i32.const 0))
      (block $sumDone (loop $sum
        (br_if $sumDone (i32.ge_u (local.get $i) (local.get $bytes)))
        (local.set $acc (f32x4.add (local.get $acc)
          (f32x4.mul
            (f32x4.mul (v128.load (i32.add (local.get $w) (local.get $i))) (v128.load (i32.add (local.get $dy) (local.get $i))))
            (v128.load (i32.add (local.get $x) (local.get $i))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $sum)))
      ;; c = r³ · Σ / d; dx = r · (w · dy) − c · x; dw += dy · (x · r)
      (local.set $cv (f32x4.splat
        (f32.div (f32.mul (f32.mul (f32.mul (local.get $rr) (local.get $rr)) (local.get $rr)) (call $lanesSum (local.get $acc)))
          (f32.convert_i32_u (local.get $d)))))
      (local.set $rv (f32x4.splat (local.get $rr)))
      (local.set $i (i32.const 0))
      (block $gradDone (loop $grad
        (br_if $gradDone (i32.ge_u (local.get $i) (local.get $bytes)))
        (local.set $xv (v128.load (i32.add (local.get $x) (local.get $i))))
        (local.set $dyv (v128.load (i32.add (local.get $dy) (local.get $i))))
        (v128.store (i32.add (local.get $dx) (local.get $i))
          (f32x4.sub
            (f32x4.mul (local.get $rv) (f32x4.mul (v128.load (i32.add (local.get $w) (local.get $i))) (local.get $dyv)))
            (f32x4.mul (local.get $cv) (local.get $xv))))
        (v128.store (i32.add (local.get $dw) (local.get $i))
          (f32x4.add (v128.load (i32.add (local.get $dw) (local.get $i)))
            (f32x4.mul (local.get $dyv) (f32x4.mul (local.get $xv) (local.get $rv)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $grad)))
      (local.set $x (i32.add (local.get $x) (local.get $bytes)))
      (local.set $dy (i32.add (local.get $dy) (local.get $bytes)))
      (local.set $dx (i32.add (local.get $dx) (local.get $bytes)))
      (local.set $r (i32.add (local.get $r) (i32.const 4)))
      (local.set $row (i32.add (local.get $row) (i32.const 1)))
      (br $eachRow)))
  )
)
