;; Copies rows of bytes between strided places on tfjs-backend-wasm's heap: for i0 < n0, i1 < n1, the
;; `bytes` bytes at src + i0·s0 + i1·s1 go to dst + i0·t0 + i1·t1 (strides in bytes; every pointer a
;; byte offset). Slices (a block of rows out of a larger tensor), splits (one slice per output) and
;; concatenations (each input's rows into its columns of the output) are this copy; each row is one
;; memory.copy (V8: a memmove). A copy: the outputs are bit-identical to tfjs's kernels'.
;; Assemble with `npm run -w @pixelrepa/tensor build:kernels` (wabt) into copy-rows-wasm.ts.
(module
  (import "env" "memory" (memory 1 65536 shared))

  (func (export "run") (param $src i32) (param $dst i32) (param $n0 i32) (param $n1 i32) (param $s0 i32) (param $s1 i32)
    (param $t0 i32) (param $t1 i32) (param $bytes i32)
    (local $i0 i32) (local $i1 i32) (local $from i32) (local $to i32)
    (block $done0 (loop $each0
      (br_if $done0 (i32.ge_u (local.get $i0) (local.get $n0)))
      (local.set $from (i32.add (local.get $src) (i32.mul (local.get $i0) (local.get $s0))))
      (local.set $to (i32.add (local.get $dst) (i32.mul (local.get $i0) (local.get $t0))))
      (local.set $i1 (i32.const 0))
      (block $done1 (loop $each1
        (br_if $done1 (i32.ge_u (local.get $i1) (local.get $n1)))
        (memory.copy (local.get $to) (local.get $from) (local.get $bytes))
        (local.set $from (i32.add (local.get $from) (local.get $s1)))
        (local.set $to (i32.add (local.get $to) (local.get $t1)))
        (local.set $i1 (i32.add (local.get $i1) (i32.const 1)))
        (br $each1)))
      (local.set $i0 (i32.add (local.get $i0) (i32.const 1)))
      (br $each0)))
  )
)
