;; One AdamW step of one float32 parameter on tfjs-backend-wasm's heap, torch 1.13's single-tensor
;; AdamW in float32, each operation rounded as tfjs's elementwise kernels round it (no FMA), so the
;; bits equal the tf-op update and the host update:
;;   m ← m·b1 + g·c1;  v ← v·b2 + (g·c2)·g;  denom ← √v / bias2 + eps;
;;   out ← (decays ? p·decay : p) + (m·step) / denom
;; p, g, out [n] and the moments m, v [n] are byte offsets (16-byte aligned); m and v are updated in
;; place, the new parameter goes to out (a new buffer: XNNPACK caches packed weights by buffer).
;; 4 lanes at a time, the n % 4 tail one at a time.
;; Assemble with `npm run -w @pixelrepa/tensor build:kernels` (wabt) into adamw-wasm.ts.
(module
  (import "env" "memory" (memory 1 65536 shared))
  (func (export "adamw") (param $p i32) (param $g i32) (param $m i32) (param $v i32) (param $out i32) (param $n i32)
    (param $decay f32) (param $b1 f32) (param $c1 f32) (param $b2 f32) (param $c2 f32) (param $bias2 f32)
    (param $eps f32) (param $step f32) (param $decays i32)
    (local $i i32) (local $end i32) (local $gi v128) (local $mi v128) (local $vi v128) (local $pi v128)
    (local $gs f32) (local $ms f32) (local $vs f32) (local $ps f32)
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (local.set $i (i32.const 0))
    (block $done (loop $lanes
      (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
      (local.set $gi (v128.load (i32.add (local.get $g) (local.get $i))))
      (local.set $mi (f32x4.add
        (f32x4.mul (v128.load (i32.add (local.get $m) (local.get $i))) (f32x4.splat (local.get $b1)))
        (f32x4.mul (local.get $gi) (f32x4.splat (local.get $c1)))))
      (local.set $vi (f32x4.add
        (f32x4.mul (v128.load (i32.add (local.get $v) (local.get $i))) (f32x4.splat (local.get $b2)))
        (f32x4.mul (f32x4.mul (local.get $gi) (f32x4.splat (local.get $c2))) (local.get $gi))))
      (local.set $pi (v128.load (i32.add (local.get $p) (local.get $i))))
      (if (local.get $decays) (then (local.set $pi (f32x4.mul (local.get $pi) (f32x4.splat (local.get $decay))))))
      (v128.store (i32.add (local.get $m) (local.get $i)) (local.get $mi))
      (v128.store (i32.add (local.get $v) (local.get $i)) (local.get $vi))
      (v128.store (i32.add (local.get $out) (local.get $i))
        (f32x4.add (local.get $pi)
          (f32x4.div (f32x4.mul (local.get $mi) (f32x4.splat (local.get $step)))
            (f32x4.add (f32x4.div (f32x4.sqrt (local.get $vi)) (f32x4.splat (local.get $bias2))) (f32x4.splat (local.get $eps))))))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $lanes)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done (loop $tail
      (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
      (local.set $gs (f32.load (i32.add (local.get $g) (local.get $i))))
      (local.set $ms (f32.add (f32.mul (f32.load (i32.add (local.get $m) (local.get $i))) (local.get $b1))
        (f32.mul (local.get $gs) (local.get $c1))))
      (local.set $vs (f32.add (f32.mul (f32.load (i32.add (local.get $v) (local.get $i))) (local.get $b2))
        (f32.mul (f32.mul (local.get $gs) (local.get $c2)) (local.get $gs))))
      (local.set $ps (f32.load (i32.add (local.get $p) (local.get $i))))
      (if (local.get $decays) (then (local.set $ps (f32.mul (local.get $ps) (local.get $decay)))))
      (f32.store (i32.add (local.get $m) (local.get $i)) (local.get $ms))
      (f32.store (i32.add (local.get $v) (local.get $i)) (local.get $vs))
      (f32.store (i32.add (local.get $out) (local.get $i))
        (f32.add (local.get $ps)
          (f32.div (f32.mul (local.get $ms) (local.get $step))
            (f32.add (f32.div (f32.sqrt (local.get $vs)) (local.get $bias2)) (local.get $eps)))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $tail)))
  )
)
