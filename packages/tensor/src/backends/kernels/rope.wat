;; Rotary position embedding (RoPE) with adjacent-pair rotation, forward and backward, on
;; tfjs-backend-wasm's heap.
;; Shapes and layout: x, y, dy, dx [outer, N, D] float32, contiguous (outer = the product of the
;; leading dims, e.g. B · H); cos, sin [N, D] float32, the same tables for every outer index.
;; nd = N · D, a multiple of 4 (ops/rope.ts asks D mod 4 = 0), so four lanes at a time with no
;; tail, and a 4-lane vector holds two whole pairs (2i, 2i + 1). Pointers are byte offsets,
;; 4-byte aligned. rot(x) = (−x₁, x₀, −x₃, x₂, …) is a lane shuffle and a flip of the sign bit
;; (exact). Each product and sum rounded to float32 on its own (no FMA):
;;   forward   y  = x · cos + rot(x) · sin
;;   backward  t  = dy · sin;  dx[2i] = dy[2i] · cos[2i] + t[2i+1],  dx[2i+1] = dy[2i+1] · cos[2i+1] − t[2i]
;; which is what tfjs computes for add(mul(x, cos), mul(rotateHalf(x), sin)) and its autodiff
;; (rotateHalf a product with a signed permutation matrix R, exact; its gradient drot · Rᵀ), so
;; y and dx are bit-identical to the composite ops' (ops/rope.test.ts checks it).
;; Assemble with `npm run -w @pixelrepa/tensor build:kernels` (wabt) into rope-wasm.ts.
(module
  (import "env" "memory" (memory 1 65536 shared))

  (func (export "forward") (param $x i32) (param $cos i32) (param $sin i32) (param $y i32) (param $outer i32) (param $nd i32)
    (local $o i32) (local $p i32) (local $bytes i32) (local $xv v128)
    (local.set $bytes (i32.shl (local.get $nd) (i32.const 2)))
    (block $outerDone (loop $eachOuter
      (br_if $outerDone (i32.ge_u (local.get $o) (local.get $outer)))
      (local.set $p (i32.const 0))
      (block $done (loop $each
        (br_if $done (i32.ge_u (local.get $p) (local.get $bytes)))
        (local.set $xv (v128.load (i32.add (local.get $x) (local.get $p))))
        (v128.store (i32.add (local.get $y) (local.get $p))
          (f32x4.add
            (f32x4.mul (local.get $xv) (v128.load (i32.add (local.get $cos) (local.get $p))))
            (f32x4.mul
              ;; rot(x): lanes (x₁, x₀, x₃, x₂), sign of lanes 0 and 2 flipped
              (v128.xor
                (i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11 (local.get $xv) (local.get $xv))
                (v128.const i32x4 0x80000000 0 0x80000000 0))
              (v128.load (i32.add (local.get $sin) (local.get $p))))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $each)))
      (local.set $x (i32.add (local.get $x) (local.get $bytes)))
      (local.set $y (i32.add (local.get $y) (local.get $bytes)))
      (local.set $o (i32.add (local.get $o) (i32.const 1)))
      (br $eachOuter)))
  )

  (func (export "backward") (param $dy i32) (param $cos i32) (param $sin i32) (param $dx i32) (param $outer i32) (param $nd i32)
    (local $o i32) (local $p i32) (local $bytes i32) (local $dyv v128) (local $t v128)
    (local.set $bytes (i32.shl (local.get $nd) (i32.const 2)))
    (block $outerDone (loop $eachOuter
      (br_if $outerDone (i32.ge_u (local.get $o) (local.get $outer)))
      (local.set $p (i32.const 0))
      (block $done (loop $each
        (br_if $done (i32.ge_u (local.get $p) (local.get $bytes)))
        (local.set $dyv (v128.load (i32.add (local.get $dy) (local.get $p))))
        (local.set $t (f32x4.mul (local.get $dyv) (v128.load (i32.add (local.get $sin) (local.get $p)))))
        (v128.store (i32.add (local.get $dx) (local.get $p))
          (f32x4.add
            (f32x4.mul (local.get $dyv) (v128.load (i32.add (local.get $cos) (local.get $p))))
            ;; Rᵀ applied to t: lanes (t₁, t₀, t₃, t₂), sign of lanes 1 and 3 flipped
            (v128.xor
              (i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11 (local.get $t) (local.get $t))
              (v128.const i32x4 0 0x80000000 0 0x80000000))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $each)))
      (local.set $dy (i32.add (local.get $dy) (local.get $bytes)))
      (local.set $dx (i32.add (local.get $dx) (local.get $bytes)))
      (local.set $o (i32.add (local.get $o) (i32.const 1)))
      (br $eachOuter)))
  )
)
