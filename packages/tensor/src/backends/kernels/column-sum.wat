;; Sums over the middle axis on tfjs-backend-wasm's heap: x [outer, reduce, rest] → out [outer, rest],
;; out[o, j] = (((0 + x[o, 0, j]) + x[o, 1, j]) + …) + x[o, reduce-1, j], in that order: the same chain
;; of float32 adds as a sequential sum (tfjs's Sum kernel after its transpose), so the same bits. Bias
;; and broadcast gradients ([M, N] → [N]: outer 1) and adaLN's per-sample gradients ([B, T, C] →
;; [B, 1, C]). rest % 4 == 0; pointers are byte offsets. x is read once, row after row in memory
;; order (prefetch-friendly); the running sums of a row's columns live in out (in L1 for rows of up to
;; a few thousand values), 16 columns per step, then 4.
;; Assemble with `npm run -w @pixelrepa/tensor build:kernels` (wabt) into column-sum-wasm.ts.
(module
  (import "env" "memory" (memory 1 65536 shared))

  (func (export "run") (param $x i32) (param $out i32) (param $outer i32) (param $reduce i32) (param $rest i32)
    (local $o i32) (local $r i32) (local $j i32) (local $row i32) (local $acc i32) (local $bytes i32) (local $wide i32)
    (local.set $bytes (i32.shl (local.get $rest) (i32.const 2)))
    (local.set $wide (i32.and (local.get $bytes) (i32.const -64))) ;; bytes in whole 16-column steps
    (block $doneO (loop $eachO
      (br_if $doneO (i32.ge_u (local.get $o) (local.get $outer)))
      ;; first row: out = 0 + x[o, 0, :] (adding to 0 keeps -0 → +0, as the sequential sum does)
      (local.set $j (i32.const 0))
      (block $doneZ (loop $eachZ
        (br_if $doneZ (i32.ge_u (local.get $j) (local.get $bytes)))
        (v128.store (i32.add (local.get $out) (local.get $j))
          (f32x4.add (v128.const i32x4 0 0 0 0) (v128.load (i32.add (local.get $x) (local.get $j)))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $eachZ)))
      (local.set $x (i32.add (local.get $x) (local.get $bytes)))
      (local.set $r (i32.const 1))
      (block $doneR (loop $eachR
        (br_if $doneR (i32.ge_u (local.get $r) (local.get $reduce)))
        (local.set $row (local.get $x))
        (local.set $acc (local.get $out))
        (local.set $j (i32.const 0))
        (block $doneW (loop $eachW
          (br_if $doneW (i32.ge_u (local.get $j) (local.get $wide)))
          (v128.store (local.get $acc) (f32x4.add (v128.load (local.get $acc)) (v128.load (local.get $row))))
          (v128.store offset=16 (local.get $acc) (f32x4.add (v128.load offset=16 (local.get $acc)) (v128.load offset=16 (local.get $row))))
          (v128.store offset=32 (local.get $acc) (f32x4.add (v128.load offset=32 (local.get $acc)) (v128.load offset=32 (local.get $row))))
          (v128.store offset=48 (local.get $acc) (f32x4.add (v128.load offset=48 (local.get $acc)) (v128.load offset=48 (local.get $row))))
          (local.set $acc (i32.add (local.get $acc) (i32.const 64)))
          (local.set $row (i32.add (local.get $row) (i32.const 64)))
          (local.set $j (i32.add (local.get $j) (i32.const 64)))
          (br $eachW)))
        (block $doneN (loop $eachN
          (br_if $doneN (i32.ge_u (local.get $j) (local.get $bytes)))
          (v128.store (local.get $acc) (f32x4.add (v128.load (local.get $acc)) (v128.load (local.get $row))))
          (local.set $acc (i32.add (local.get $acc) (i32.const 16)))
          (local.set $row (i32.add (local.get $row) (i32.const 16)))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br $eachN)))
        (local.set $x (i32.add (local.get $x) (local.get $bytes)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $eachR)))
      (local.set $out (i32.add (local.get $out) (local.get $bytes)))
      (local.set $o (i32.add (local.get $o) (i32.const 1)))
      (br $eachO)))
  )
)
