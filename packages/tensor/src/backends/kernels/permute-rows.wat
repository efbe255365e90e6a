;; A transpose that keeps the last axis in place, on tfjs-backend-wasm's heap: whole rows of d
;; values are copied, in the output's order, from wherever the permutation puts them in the input.
;; Shapes and layout: the output is [n0, n1, n2, d] contiguous; output row (i0, i1, i2) is the d
;; values at src + 4·(i0·s0 + i1·s1 + i2·s2) (s0, s1, s2: the input's strides, in values, of the
;; axes that become output axes 0, 1, 2; lower ranks pad with n = 1). Every element is 4 bytes
;; (float32, int32, bool), d is a multiple of 4, so each row is d / 4 vector copies; pointers are
;; byte offsets. A copy: the output is bit-identical to tfjs's Transpose (kernel tests check it).
;; Assemble with `npm run -w @pixelrepa/tensor build:kernels` (wabt) into permute-rows-wasm.ts.
(module
  (import "env" "memory" (memory 1 65536 shared))

  (func (export "run") (param $src i32) (param $dst i32) (param $n0 i32) (param $n1 i32) (param $n2 i32)
    (param $s0 i32) (param $s1 i32) (param $s2 i32) (param $d i32)
    (local $i0 i32) (local $i1 i32) (local $i2 i32) (local $row0 i32) (local $row1 i32) (local $from i32)
    (local $p i32) (local $bytes i32)
    (local.set $bytes (i32.shl (local.get $d) (i32.const 2)))
    (local.set $s0 (i32.shl (local.get $s0) (i32.const 2)))
    (local.set $s1 (i32.shl (local.get $s1) (i32.const 2)))
    (local.set $s2 (i32.shl (local.get $s2) (i32.const 2)))
    (block $done0 (loop $each0
      (br_if $done0 (i32.ge_u (local.get $i0) (local.get $n0)))
      (local.set $row0 (i32.add (local.get $src) (i32.mul (local.get $i0) (local.get $s0))))
      (local.set $i1 (i32.const 0))
      (block $done1 (loop $each1
        (br_if $done1 (i32.ge_u (local.get $i1) (local.get $n1)))
        (local.set $row1 (i32.add (local.get $row0) (i32.mul (local.get $i1) (local.get $s1))))
        (local.set $i2 (i32.const 0))
        (block $done2 (loop $each2
          (br_if $done2 (i32.ge_u (local.get $i2) (local.get $n2)))
          (local.set $from (i32.add (local.get $row1) (i32.mul (local.get $i2) (local.get $s2))))
          (local.set $p (i32.const 0))
          (block $doneRow (loop $eachRow
            (br_if $doneRow (i32.ge_u (local.get $p) (local.get $bytes)))
            (v128.store (i32.add (local.get $dst) (local.get $p)) (v128.load (i32.add (local.get $from) (local.get $p))))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (br $eachRow)))
          (local.set $dst (i32.add (local.get $dst) (local.get $bytes)))
          (local.set $i2 (i32.add (local.get $i2) (i32.const 1)))
          (br $each2)))
        (local.set $i1 (i32.add (local.get $i1) (i32.const 1)))
        (br $each1)))
      (local.set $i0 (i32.add (local.get $i0) (i32.const 1)))
      (br $each0)))
  )
)
