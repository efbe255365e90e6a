;; A float32 binary operation where one operand is broadcast, on tfjs-backend-wasm's heap:
;;   out[p, q, r] = full[p, q, r] OP small[p·sP + q·sQ + r·sR]     (swap = 0)
;;   out[p, q, r] = small[p·sP + q·sQ + r·sR] OP full[p, q, r]     (swap = 1)
;; full and out: [P, Q, R] row-major; small: any layout the element strides sP, sQ, sR (sR is 0 or 1)
;; describe, e.g. a bias [R] (sP = sQ = 0, sR = 1), adaLN's [B, 1, D] (sP = D, sQ = 0, sR = 1) or a
;; per-row factor [B·N, 1] (sQ = 1, sR = 0). Pointers are byte offsets, 4-byte aligned.
;; OP is written f32x4.OP / f32.OP below: build-kernels.mjs assembles one module per operation
;; (add, sub, mul, div), each rounded once per element as tfjs's own kernels round it.
;; Assemble with `npm run -w @pixelrepa/tensor build:kernels` (wabt) into broadcast-binary-wasm.ts.
(module
  (import "env" "memory" (memory 1 65536 shared))
  (func (export "run") (param $full i32) (param $small i32) (param $out i32) (param $P i32) (param $Q i32) (param $R i32)
    (param $sP i32) (param $sQ i32) (param $sR i32) (param $swap i32)
    (local $p i32) (local $q i32) (local $i i32) (local $o i32) (local $row i32) (local $vecEnd i32) (local $end i32)
    (local $x v128) (local $y v128) (local $xs f32) (local $ys f32)
    (local.set $end (i32.shl (local.get $R) (i32.const 2)))
    (local.set $vecEnd (i32.shl (i32.and (local.get $R) (i32.const -4)) (i32.const 2)))
    (block $pDone (loop $eachP
      (br_if $pDone (i32.ge_u (local.get $p) (local.get $P)))
      (local.set $q (i32.const 0))
      (block $qDone (loop $eachQ
        (br_if $qDone (i32.ge_u (local.get $q) (local.get $Q)))
        ;; this row of the small operand, and its value when broadcast along r
        (local.set $row (i32.add (local.get $small)
          (i32.shl (i32.add (i32.mul (local.get $p) (local.get $sP)) (i32.mul (local.get $q) (local.get $sQ))) (i32.const 2))))
        (local.set $y (f32x4.splat (f32.load (local.get $row))))
        (local.set $i (i32.const 0))
        (block $vecDone (loop $vec
          (br_if $vecDone (i32.ge_u (local.get $i) (local.get $vecEnd)))
          (local.set $x (v128.load (i32.add (i32.add (local.get $full) (local.get $o)) (local.get $i))))
          (if (local.get $sR) (then (local.set $y (v128.load (i32.add (local.get $row) (local.get $i))))))
          (v128.store (i32.add (i32.add (local.get $out) (local.get $o)) (local.get $i))
            (if (result v128) (local.get $swap)
              (then (f32x4.OP (local.get $y) (local.get $x)))
              (else (f32x4.OP (local.get $x) (local.get $y)))))
          (local.set $i (i32.add (local.get $i) (i32.const 16)))
          (br $vec)))
        (block $tailDone (loop $tail
          (br_if $tailDone (i32.ge_u (local.get $i) (local.get $end)))
          (local.set $xs (f32.load (i32.add (i32.add (local.get $full) (local.get $o)) (local.get $i))))
          (local.set $ys (f32.load (i32.add (local.get $row) (i32.mul (local.get $i) (local.get $sR)))))
          (f32.store (i32.add (i32.add (local.get $out) (local.get $o)) (local.get $i))
            (if (result f32) (local.get $swap)
              (then (f32.OP (local.get $ys) (local.get $xs)))
              (else (f32.OP (local.get $xs) (local.get $ys)))))
          (local.set $i (i32.add (local.get $i) (i32.const 4)))
          (br $tail)))
        (local.set $o (i32.add (local.get $o) (local.get $end)))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $eachQ)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $eachP)))
  )
)
