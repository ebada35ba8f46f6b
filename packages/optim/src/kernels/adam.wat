;; Adam's and AdamW's float32 update, four lanes at a time, with PyTorch 1.13's CPU arithmetic
;; (_single_tensor_adam/_adamw): every tensor op rounds to float32, and where PyTorch's vectorized
;; kernels fuse a multiply-add (add_(x, alpha) and addcmul_) this rounds a·b + c once too.
;; fma(a, b, c), written out inline below (V8 does not inline WebAssembly calls): a·b of two
;; float32 is exact in float64, so promoting both halves of the lanes to float64, multiplying,
;; adding and rounding back to float32 rounds the sum only.
;; Compiled by tools/build-wasm.ts into adam-bytes.ts; adam-f32.ts drives it.
(module
  (import "env" "memory" (memory 2 2))

  ;; One step over `bytes` bytes (a multiple of 16) of each array, all byte addresses:
  ;;   g = ±grad                        (maximize: flags & 8)
  ;;   θ = θ·decay                      (AdamW: flags & 2)
  ;;   g = fma(θ, λ, g)                 (Adam's L2 term: flags & 1)
  ;;   m = fma(g, 1 − β1, m·β1)         v = fma((1 − β2)·g, g, v·β2)
  ;;   vmax = max(vmax, v), used for v  (amsgrad: flags & 4)
  ;;   θ = θ + (−stepSize·m) / (√v / √(1 − β2^t) + ε)
  (func (export "adamF32")
    (param $p i32) (param $g i32) (param $m i32) (param $v i32) (param $vmax i32) (param $bytes i32) (param $flags i32)
    (param $wd f32) (param $decay f32) (param $beta1 f32) (param $c1 f32) (param $beta2 f32) (param $c2 f32)
    (param $negStep f32) (param $bias2Sqrt f32) (param $eps f32)
    (local $i i32) (local $t v128) (local $u v128) (local $gv v128) (local $pv v128) (local $mv v128) (local $vv v128)
    (local $wdS v128) (local $decayS v128) (local $beta1S v128) (local $c1S v128) (local $beta2S v128) (local $c2S v128)
    (local $negStepS v128) (local $bias2S v128) (local $epsS v128) (local $wdD v128) (local $c1D v128)
    (local.set $wdS (f32x4.splat (local.get $wd)))
    (local.set $decayS (f32x4.splat (local.get $decay)))
    (local.set $beta1S (f32x4.splat (local.get $beta1)))
    (local.set $c1S (f32x4.splat (local.get $c1)))
    ;; the constant factors of the two multiply-adds, already in float64
    (local.set $wdD (f64x2.splat (f64.promote_f32 (local.get $wd))))
    (local.set $c1D (f64x2.splat (f64.promote_f32 (local.get $c1))))
    (local.set $beta2S (f32x4.splat (local.get $beta2)))
    (local.set $c2S (f32x4.splat (local.get $c2)))
    (local.set $negStepS (f32x4.splat (local.get $negStep)))
    (local.set $bias2S (f32x4.splat (local.get $bias2Sqrt)))
    (local.set $epsS (f32x4.splat (local.get $eps)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $bytes)))
        (local.set $gv (v128.load (i32.add (local.get $g) (local.get $i))))
        (if (i32.and (local.get $flags) (i32.const 8)) (then (local.set $gv (f32x4.neg (local.get $gv)))))
        (local.set $pv (v128.load (i32.add (local.get $p) (local.get $i))))
        (if (i32.and (local.get $flags) (i32.const 2)) (then (local.set $pv (f32x4.mul (local.get $pv) (local.get $decayS)))))
        (if (i32.and (local.get $flags) (i32.const 1)) (then (local.set $gv
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
            (f32x4.demote_f64x2_zero (f64x2.add (f64x2.mul (f64x2.promote_low_f32x4 (local.get $pv)) (local.get $wdD)) (f64x2.promote_low_f32x4 (local.get $gv))))
            (f32x4.demote_f64x2_zero (f64x2.add (f64x2.mul (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $pv) (local.get $pv))) (local.get $wdD)) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $gv) (local.get $gv)))))))))
        (local.set $t (f32x4.mul (v128.load (i32.add (local.get $m) (local.get $i))) (local.get $beta1S)))
        (local.set $mv
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
            (f32x4.demote_f64x2_zero (f64x2.add (f64x2.mul (f64x2.promote_low_f32x4 (local.get $gv)) (local.get $c1D)) (f64x2.promote_low_f32x4 (local.get $t))))
            (f32x4.demote_f64x2_zero (f64x2.add (f64x2.mul (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $gv) (local.get $gv))) (local.get $c1D)) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $t) (local.get $t)))))))
        (v128.store (i32.add (local.get $m) (local.get $i)) (local.get $mv))
        (local.set $t (f32x4.mul (v128.load (i32.add (local.get $v) (local.get $i))) (local.get $beta2S)))
        (local.set $u (f32x4.mul (local.get $c2S) (local.get $gv)))
        (local.set $vv
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
            (f32x4.demote_f64x2_zero (f64x2.add (f64x2.mul (f64x2.promote_low_f32x4 (local.get $u)) (f64x2.promote_low_f32x4 (local.get $gv))) (f64x2.promote_low_f32x4 (local.get $t))))
            (f32x4.demote_f64x2_zero (f64x2.add (f64x2.mul (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $u) (local.get $u))) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $gv) (local.get $gv)))) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $t) (local.get $t)))))))
        (v128.store (i32.add (local.get $v) (local.get $i)) (local.get $vv))
        (if (i32.and (local.get $flags) (i32.const 4))
          (then
            (local.set $vv (f32x4.max (v128.load (i32.add (local.get $vmax) (local.get $i))) (local.get $vv)))
            (v128.store (i32.add (local.get $vmax) (local.get $i)) (local.get $vv))))
        (v128.store (i32.add (local.get $p) (local.get $i))
          (f32x4.add (local.get $pv)
            (f32x4.div (f32x4.mul (local.get $negStepS) (local.get $mv))
              (f32x4.add (f32x4.div (f32x4.sqrt (local.get $vv)) (local.get $bias2S)) (local.get $epsS)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next))))
)
