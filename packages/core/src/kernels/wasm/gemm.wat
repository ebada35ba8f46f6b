;; The matrix-multiply kernels of @tsgrad/core in WebAssembly SIMD (v128 = 4 × f32 or 2 × f64).
;; Compiled to gemm-bytes.ts by tools/build-wasm.ts; driven by gemm.ts, which copies blocks of the
;; operands into this module's memory, packs them, runs $gemmF32 or $gemmF64 and copies C out.
;;
;; Layout (byte addresses into linear memory; one element type per call, float32 or float64):
;;   Ap at $ap: A packed in panels of 4 rows: panel i holds A[4i .. 4i+4)[0..k) step by step, the
;;              4 rows' elements of one k step side by side (16 bytes float32, 32 float64), so a
;;              step is 4 splat loads at fixed offsets from one pointer. A last panel of fewer
;;              rows is padded with zero rows. $packTransposedF32x4 / $packTransposedF64 build Ap
;;              from A (m × k row-major); $packRows (16- or 32-byte panels) from Aᵀ (k × m), so
;;              a transposed A (the backward's gᵀ) is packed as it lies, never transposed first.
;;   Bp at $bp: B packed in panels 32 bytes wide, i.e. of w = 8 float32 or 4 float64 columns:
;;              panel q holds B[0..k)[wq .. wq+w) as k rows of w elements, so one k step of a
;;              panel is two v128 loads. nPad = n rounded up to w; the pad columns are zero.
;;              $packTransposedF32/F64 build Bp from Bᵀ (n × k row-major, a Linear weight as it
;;              lies), $packRows from B (k × n row-major).
;;   C  at $c:  (4 · mPanels) × nPad, row-major; the driver copies the first m rows' n columns out.
;;
;; Micro-kernel: 4 rows × 32 bytes of columns of C live in 8 v128 accumulators while p runs over
;; k; per step it loads one row of the B panel (2 × v128) and broadcasts the 4 elements of the A
;; panel's step, then does 8 mul + 8 add. 8 accumulators + 2 B vectors + 1 broadcast fit V8's 16
;; xmm registers; measured on the dev machine against 4×12, 3×16, 6×8, 8×4 float32 blocks and 2- or
;; 4-fold unrolling of p, this was fastest. For each panel of B (32·k bytes, kept in L1/L2) the
;; kernel runs down every panel of A of the chunk the driver packed.
;;
;; Sums: float64 accumulates in f64x2 in order of p, bit for bit like the JS kernel. float32
;; accumulates in f32x4, one rounding per mul and per add, over blocks of $blockSteps steps of k
;; (the driver passes 256); each block's sums are widened (exactly) and added to float64 totals
;; at $totals (256 bytes: 4 rows × 8 columns), which are rounded once to float32 at the end. A
;; plain float32 running sum over k = 4e6 had 15× (signed data) to 2000× (positive data) PyTorch's
;; relative error, and stops growing at 2^24 when adding ones; with blocks the error is below
;; PyTorch's (numerics.test.ts). They cost ~200 instructions per 4×8 block of C per block of k.
;; When k fits one block the sums are stored directly, the same code as without blocks.
;; Padding lanes and rows compute zeros (their B columns, A rows are zero); the driver never copies them out.
;;
;; tools/build-wasm.ts also emits a relaxed-SIMD variant of this module, in which each float32
;; `f32x4.add (s, f32x4.mul (x, b))` of the micro-kernel becomes `f32x4.relaxed_madd (x, b, s)`:
;; a fused multiply-add where the CPU has one (one rounding per step instead of two). gemm.ts uses
;; it where WebAssembly.validate accepts it (current browsers; Node 20 with
;; --experimental-wasm-relaxed-simd). float64 stays unfused in both, bit for bit with JS.
;;
;; $gemmF64 is $gemmF32 without the k blocks, with f64x2 for f32x4, 8-byte elements (load64_splat)
;; and rows of C nPad · 8 bytes long; keep the two in step when changing either.
(module
  ;; The driver creates the memory (gemm.ts): an ordinary one, or a shared one for the thread pool;
  ;; tools/build-wasm.ts emits this module both ways, marking the import `shared` for the second.
  (import "env" "memory" (memory 1 32768))

  (func (export "gemmF32")
    (param $ap i32) (param $bp i32) (param $c i32) (param $mPanels i32) (param $k i32) (param $nPad i32)
    (param $totals i32) (param $blockSteps i32)
    (local $aPanelBytes i32) ;; k · 16: one panel of Ap
    (local $cRowBytes i32)   ;; nPad · 4: one row of C
    (local $panelBytes i32)  ;; k · 32: one panel of Bp
    (local $panel i32)       ;; the current panel of Bp
    (local $col i32)         ;; byte offset of the panel's first column in a row of C
    (local $i i32) (local $cp i32)
    (local $a0 i32) (local $aEnd i32) (local $rowEnd i32) (local $b i32)
    (local $x v128) (local $b0 v128) (local $b1 v128)
    (local $s00 v128) (local $s01 v128) (local $s10 v128) (local $s11 v128)
    (local $s20 v128) (local $s21 v128) (local $s30 v128) (local $s31 v128)
    (local.set $aPanelBytes (i32.shl (local.get $k) (i32.const 4)))
    (local.set $cRowBytes (i32.shl (local.get $nPad) (i32.const 2)))
    (local.set $panelBytes (i32.shl (local.get $k) (i32.const 5)))
    (local.set $blockSteps (i32.shl (local.get $blockSteps) (i32.const 4))) ;; now in bytes of an Ap panel
    (local.set $panel (local.get $bp))
    (local.set $col (i32.const 0))
    (block $panelsDone (loop $panels
      (br_if $panelsDone (i32.ge_u (local.get $col) (local.get $cRowBytes)))
      (local.set $i (i32.const 0))
      (local.set $a0 (local.get $ap))
      (local.set $cp (i32.add (local.get $c) (local.get $col)))
      (block $blocksDone (loop $blocks
        (br_if $blocksDone (i32.ge_u (local.get $i) (local.get $mPanels)))
        (local.set $rowEnd (i32.add (local.get $a0) (local.get $aPanelBytes)))
        (local.set $b (local.get $panel))
        (if (i32.eqz (i32.le_u (local.get $aPanelBytes) (local.get $blockSteps))) (then
          (v128.store offset=0 (local.get $totals) (v128.const i32x4 0 0 0 0))
          (v128.store offset=16 (local.get $totals) (v128.const i32x4 0 0 0 0))
          (v128.store offset=32 (local.get $totals) (v128.const i32x4 0 0 0 0))
          (v128.store offset=48 (local.get $totals) (v128.const i32x4 0 0 0 0))
          (v128.store offset=64 (local.get $totals) (v128.const i32x4 0 0 0 0))
          (v128.store offset=80 (local.get $totals) (v128.const i32x4 0 0 0 0))
          (v128.store offset=96 (local.get $totals) (v128.const i32x4 0 0 0 0))
          (v128.store offset=112 (local.get $totals) (v128.const i32x4 0 0 0 0))
          (v128.store offset=128 (local.get $totals) (v128.const i32x4 0 0 0 0))
          (v128.store offset=144 (local.get $totals) (v128.const i32x4 0 0 0 0))
          (v128.store offset=160 (local.get $totals) (v128.const i32x4 0 0 0 0))
          (v128.store offset=176 (local.get $totals) (v128.const i32x4 0 0 0 0))
          (v128.store offset=192 (local.get $totals) (v128.const i32x4 0 0 0 0))
          (v128.store offset=208 (local.get $totals) (v128.const i32x4 0 0 0 0))
          (v128.store offset=224 (local.get $totals) (v128.const i32x4 0 0 0 0))
          (v128.store offset=240 (local.get $totals) (v128.const i32x4 0 0 0 0))))
        (block $stored (loop $kBlocks
          (local.set $aEnd (i32.add (local.get $a0) (local.get $blockSteps)))
          (local.set $aEnd (select (local.get $aEnd) (local.get $rowEnd) (i32.lt_u (local.get $aEnd) (local.get $rowEnd))))
          (local.set $s00 (v128.const i32x4 0 0 0 0)) (local.set $s01 (v128.const i32x4 0 0 0 0))
          (local.set $s10 (v128.const i32x4 0 0 0 0)) (local.set $s11 (v128.const i32x4 0 0 0 0))
          (local.set $s20 (v128.const i32x4 0 0 0 0)) (local.set $s21 (v128.const i32x4 0 0 0 0))
          (local.set $s30 (v128.const i32x4 0 0 0 0)) (local.set $s31 (v128.const i32x4 0 0 0 0))
          (block $kDone (loop $kLoop
            (br_if $kDone (i32.ge_u (local.get $a0) (local.get $aEnd)))
            (local.set $b0 (v128.load (local.get $b)))
            (local.set $b1 (v128.load offset=16 (local.get $b)))
            (local.set $x (v128.load32_splat offset=0 (local.get $a0)))
            (local.set $s00 (f32x4.add (local.get $s00) (f32x4.mul (local.get $x) (local.get $b0))))
            (local.set $s01 (f32x4.add (local.get $s01) (f32x4.mul (local.get $x) (local.get $b1))))
            (local.set $x (v128.load32_splat offset=4 (local.get $a0)))
            (local.set $s10 (f32x4.add (local.get $s10) (f32x4.mul (local.get $x) (local.get $b0))))
            (local.set $s11 (f32x4.add (local.get $s11) (f32x4.mul (local.get $x) (local.get $b1))))
            (local.set $x (v128.load32_splat offset=8 (local.get $a0)))
            (local.set $s20 (f32x4.add (local.get $s20) (f32x4.mul (local.get $x) (local.get $b0))))
            (local.set $s21 (f32x4.add (local.get $s21) (f32x4.mul (local.get $x) (local.get $b1))))
            (local.set $x (v128.load32_splat offset=12 (local.get $a0)))
            (local.set $s30 (f32x4.add (local.get $s30) (f32x4.mul (local.get $x) (local.get $b0))))
            (local.set $s31 (f32x4.add (local.get $s31) (f32x4.mul (local.get $x) (local.get $b1))))
            (local.set $a0 (i32.add (local.get $a0) (i32.const 16)))
            (local.set $b (i32.add (local.get $b) (i32.const 32)))
            (br $kLoop)))
          (if (i32.le_u (local.get $aPanelBytes) (local.get $blockSteps)) (then
            (local.set $aEnd (local.get $cp))
            (v128.store (local.get $aEnd) (local.get $s00)) (v128.store offset=16 (local.get $aEnd) (local.get $s01))
            (local.set $aEnd (i32.add (local.get $aEnd) (local.get $cRowBytes)))
            (v128.store (local.get $aEnd) (local.get $s10)) (v128.store offset=16 (local.get $aEnd) (local.get $s11))
            (local.set $aEnd (i32.add (local.get $aEnd) (local.get $cRowBytes)))
            (v128.store (local.get $aEnd) (local.get $s20)) (v128.store offset=16 (local.get $aEnd) (local.get $s21))
            (local.set $aEnd (i32.add (local.get $aEnd) (local.get $cRowBytes)))
            (v128.store (local.get $aEnd) (local.get $s30)) (v128.store offset=16 (local.get $aEnd) (local.get $s31))
            (br $stored)))
          (v128.store offset=0 (local.get $totals) (f64x2.add (v128.load offset=0 (local.get $totals)) (f64x2.promote_low_f32x4 (local.get $s00))))
          (v128.store offset=16 (local.get $totals) (f64x2.add (v128.load offset=16 (local.get $totals))
            (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $s00) (local.get $s00)))))
          (v128.store offset=32 (local.get $totals) (f64x2.add (v128.load offset=32 (local.get $totals)) (f64x2.promote_low_f32x4 (local.get $s01))))
          (v128.store offset=48 (local.get $totals) (f64x2.add (v128.load offset=48 (local.get $totals))
            (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $s01) (local.get $s01)))))
          (v128.store offset=64 (local.get $totals) (f64x2.add (v128.load offset=64 (local.get $totals)) (f64x2.promote_low_f32x4 (local.get $s10))))
          (v128.store offset=80 (local.get $totals) (f64x2.add (v128.load offset=80 (local.get $totals))
            (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $s10) (local.get $s10)))))
          (v128.store offset=96 (local.get $totals) (f64x2.add (v128.load offset=96 (local.get $totals)) (f64x2.promote_low_f32x4 (local.get $s11))))
          (v128.store offset=112 (local.get $totals) (f64x2.add (v128.load offset=112 (local.get $totals))
            (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $s11) (local.get $s11)))))
          (v128.store offset=128 (local.get $totals) (f64x2.add (v128.load offset=128 (local.get $totals)) (f64x2.promote_low_f32x4 (local.get $s20))))
          (v128.store offset=144 (local.get $totals) (f64x2.add (v128.load offset=144 (local.get $totals))
            (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $s20) (local.get $s20)))))
          (v128.store offset=160 (local.get $totals) (f64x2.add (v128.load offset=160 (local.get $totals)) (f64x2.promote_low_f32x4 (local.get $s21))))
          (v128.store offset=176 (local.get $totals) (f64x2.add (v128.load offset=176 (local.get $totals))
            (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $s21) (local.get $s21)))))
          (v128.store offset=192 (local.get $totals) (f64x2.add (v128.load offset=192 (local.get $totals)) (f64x2.promote_low_f32x4 (local.get $s30))))
          (v128.store offset=208 (local.get $totals) (f64x2.add (v128.load offset=208 (local.get $totals))
            (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $s30) (local.get $s30)))))
          (v128.store offset=224 (local.get $totals) (f64x2.add (v128.load offset=224 (local.get $totals)) (f64x2.promote_low_f32x4 (local.get $s31))))
          (v128.store offset=240 (local.get $totals) (f64x2.add (v128.load offset=240 (local.get $totals))
            (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $s31) (local.get $s31)))))
          (br_if $kBlocks (i32.lt_u (local.get $a0) (local.get $rowEnd)))
          (local.set $aEnd (local.get $cp))
          (v128.store (local.get $aEnd) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
            (f32x4.demote_f64x2_zero (v128.load offset=0 (local.get $totals))) (f32x4.demote_f64x2_zero (v128.load offset=16 (local.get $totals)))))
          (v128.store offset=16 (local.get $aEnd) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
            (f32x4.demote_f64x2_zero (v128.load offset=32 (local.get $totals))) (f32x4.demote_f64x2_zero (v128.load offset=48 (local.get $totals)))))
          (local.set $aEnd (i32.add (local.get $aEnd) (local.get $cRowBytes)))
          (v128.store (local.get $aEnd) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
            (f32x4.demote_f64x2_zero (v128.load offset=64 (local.get $totals))) (f32x4.demote_f64x2_zero (v128.load offset=80 (local.get $totals)))))
          (v128.store offset=16 (local.get $aEnd) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
            (f32x4.demote_f64x2_zero (v128.load offset=96 (local.get $totals))) (f32x4.demote_f64x2_zero (v128.load offset=112 (local.get $totals)))))
          (local.set $aEnd (i32.add (local.get $aEnd) (local.get $cRowBytes)))
          (v128.store (local.get $aEnd) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
            (f32x4.demote_f64x2_zero (v128.load offset=128 (local.get $totals))) (f32x4.demote_f64x2_zero (v128.load offset=144 (local.get $totals)))))
          (v128.store offset=16 (local.get $aEnd) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
            (f32x4.demote_f64x2_zero (v128.load offset=160 (local.get $totals))) (f32x4.demote_f64x2_zero (v128.load offset=176 (local.get $totals)))))
          (local.set $aEnd (i32.add (local.get $aEnd) (local.get $cRowBytes)))
          (v128.store (local.get $aEnd) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
            (f32x4.demote_f64x2_zero (v128.load offset=192 (local.get $totals))) (f32x4.demote_f64x2_zero (v128.load offset=208 (local.get $totals)))))
          (v128.store offset=16 (local.get $aEnd) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
            (f32x4.demote_f64x2_zero (v128.load offset=224 (local.get $totals))) (f32x4.demote_f64x2_zero (v128.load offset=240 (local.get $totals)))))))
        (local.set $cp (i32.add (local.get $cp) (i32.shl (local.get $cRowBytes) (i32.const 2))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $blocks)))
      (local.set $panel (i32.add (local.get $panel) (local.get $panelBytes)))
      (local.set $col (i32.add (local.get $col) (i32.const 32)))
      (br $panels)))
  )

  (func (export "gemmF64")
    (param $ap i32) (param $bp i32) (param $c i32) (param $mPanels i32) (param $k i32) (param $nPad i32)
    (local $aPanelBytes i32) ;; k · 32: one panel of Ap
    (local $cRowBytes i32)   ;; nPad · 8: one row of C
    (local $panelBytes i32)  ;; k · 32: one panel of Bp
    (local $panel i32)       ;; the current panel of Bp
    (local $col i32)         ;; byte offset of the panel's first column in a row of C
    (local $i i32) (local $cp i32)
    (local $a0 i32) (local $aEnd i32) (local $b i32)
    (local $x v128) (local $b0 v128) (local $b1 v128)
    (local $s00 v128) (local $s01 v128) (local $s10 v128) (local $s11 v128)
    (local $s20 v128) (local $s21 v128) (local $s30 v128) (local $s31 v128)
    (local.set $aPanelBytes (i32.shl (local.get $k) (i32.const 5)))
    (local.set $cRowBytes (i32.shl (local.get $nPad) (i32.const 3)))
    (local.set $panelBytes (i32.shl (local.get $k) (i32.const 5)))
    (local.set $panel (local.get $bp))
    (local.set $col (i32.const 0))
    (block $panelsDone (loop $panels
      (br_if $panelsDone (i32.ge_u (local.get $col) (local.get $cRowBytes)))
      (local.set $i (i32.const 0))
      (local.set $a0 (local.get $ap))
      (local.set $cp (i32.add (local.get $c) (local.get $col)))
      (block $blocksDone (loop $blocks
        (br_if $blocksDone (i32.ge_u (local.get $i) (local.get $mPanels)))
        (local.set $aEnd (i32.add (local.get $a0) (local.get $aPanelBytes)))
        (local.set $b (local.get $panel))
        (local.set $s00 (v128.const i32x4 0 0 0 0)) (local.set $s01 (v128.const i32x4 0 0 0 0))
        (local.set $s10 (v128.const i32x4 0 0 0 0)) (local.set $s11 (v128.const i32x4 0 0 0 0))
        (local.set $s20 (v128.const i32x4 0 0 0 0)) (local.set $s21 (v128.const i32x4 0 0 0 0))
        (local.set $s30 (v128.const i32x4 0 0 0 0)) (local.set $s31 (v128.const i32x4 0 0 0 0))
        (block $kDone (loop $kLoop
          (br_if $kDone (i32.ge_u (local.get $a0) (local.get $aEnd)))
          (local.set $b0 (v128.load (local.get $b)))
          (local.set $b1 (v128.load offset=16 (local.get $b)))
          (local.set $x (v128.load64_splat offset=0 (local.get $a0)))
          (local.set $s00 (f64x2.add (local.get $s00) (f64x2.mul (local.get $x) (local.get $b0))))
          (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $x) (local.get $b1))))
          (local.set $x (v128.load64_splat offset=8 (local.get $a0)))
          (local.set $s10 (f64x2.add (local.get $s10) (f64x2.mul (local.get $x) (local.get $b0))))
          (local.set $s11 (f64x2.add (local.get $s11) (f64x2.mul (local.get $x) (local.get $b1))))
          (local.set $x (v128.load64_splat offset=16 (local.get $a0)))
          (local.set $s20 (f64x2.add (local.get $s20) (f64x2.mul (local.get $x) (local.get $b0))))
          (local.set $s21 (f64x2.add (local.get $s21) (f64x2.mul (local.get $x) (local.get $b1))))
          (local.set $x (v128.load64_splat offset=24 (local.get $a0)))
          (local.set $s30 (f64x2.add (local.get $s30) (f64x2.mul (local.get $x) (local.get $b0))))
          (local.set $s31 (f64x2.add (local.get $s31) (f64x2.mul (local.get $x) (local.get $b1))))
          (local.set $a0 (i32.add (local.get $a0) (i32.const 32)))
          (local.set $b (i32.add (local.get $b) (i32.const 32)))
          (br $kLoop)))
        (v128.store (local.get $cp) (local.get $s00))
        (v128.store offset=16 (local.get $cp) (local.get $s01))
        (local.set $cp (i32.add (local.get $cp) (local.get $cRowBytes)))
        (v128.store (local.get $cp) (local.get $s10))
        (v128.store offset=16 (local.get $cp) (local.get $s11))
        (local.set $cp (i32.add (local.get $cp) (local.get $cRowBytes)))
        (v128.store (local.get $cp) (local.get $s20))
        (v128.store offset=16 (local.get $cp) (local.get $s21))
        (local.set $cp (i32.add (local.get $cp) (local.get $cRowBytes)))
        (v128.store (local.get $cp) (local.get $s30))
        (v128.store offset=16 (local.get $cp) (local.get $s31))
        (local.set $cp (i32.add (local.get $cp) (local.get $cRowBytes)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $blocks)))
      (local.set $panel (i32.add (local.get $panel) (local.get $panelBytes)))
      (local.set $col (i32.add (local.get $col) (i32.const 32)))
      (br $panels)))
  )

  ;; Bp from Bᵀ in float32 (n × k row-major at $src), panels of 8 columns: 4 k steps × 8 rows at
  ;; a time, 8 v128 loads, two 4 × 4 transposes by shuffles, 8 stores. The k mod 4 leftover steps
  ;; and a last panel of fewer than 8 rows go through $packScalar.
  (func (export "packTransposedF32") (param $src i32) (param $dst i32) (param $n i32) (param $k i32)
    (local $rowBytes i32) (local $k4Bytes i32) (local $row i32) (local $rowsLeft i32)
    (local $p i32) (local $at i32) (local $d i32)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128)
    (local $x4 v128) (local $x5 v128) (local $x6 v128) (local $x7 v128)
    (local $lo v128) (local $hi v128) (local $lo2 v128) (local $hi2 v128)
    (local.set $rowBytes (i32.shl (local.get $k) (i32.const 2)))
    (local.set $k4Bytes (i32.shl (i32.and (local.get $k) (i32.const -4)) (i32.const 2)))
    (local.set $row (local.get $src))
    (local.set $rowsLeft (local.get $n))
    (local.set $d (local.get $dst))
    (block $fullDone (loop $full
      (br_if $fullDone (i32.lt_u (local.get $rowsLeft) (i32.const 8)))
      (local.set $p (i32.const 0))
      (block $stepsDone (loop $steps
        (br_if $stepsDone (i32.ge_u (local.get $p) (local.get $k4Bytes)))
        (local.set $at (i32.add (local.get $row) (local.get $p)))
        (local.set $x0 (v128.load (local.get $at)))
        (local.set $at (i32.add (local.get $at) (local.get $rowBytes)))
        (local.set $x1 (v128.load (local.get $at)))
        (local.set $at (i32.add (local.get $at) (local.get $rowBytes)))
        (local.set $x2 (v128.load (local.get $at)))
        (local.set $at (i32.add (local.get $at) (local.get $rowBytes)))
        (local.set $x3 (v128.load (local.get $at)))
        (local.set $at (i32.add (local.get $at) (local.get $rowBytes)))
        (local.set $x4 (v128.load (local.get $at)))
        (local.set $at (i32.add (local.get $at) (local.get $rowBytes)))
        (local.set $x5 (v128.load (local.get $at)))
        (local.set $at (i32.add (local.get $at) (local.get $rowBytes)))
        (local.set $x6 (v128.load (local.get $at)))
        (local.set $at (i32.add (local.get $at) (local.get $rowBytes)))
        (local.set $x7 (v128.load (local.get $at)))
        ;; rows 0-3: lo = [x0₀ x1₀ x0₁ x1₁], hi = [x0₂ x1₂ x0₃ x1₃], likewise lo2/hi2 from x2, x3;
        ;; column q of the 4 × 4 block then is two lanes of lo|hi and two of lo2|hi2
        (local.set $lo (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $x0) (local.get $x1)))
        (local.set $hi (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $x0) (local.get $x1)))
        (local.set $lo2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $x2) (local.get $x3)))
        (local.set $hi2 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $x2) (local.get $x3)))
        (v128.store offset=0 (local.get $d) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $lo) (local.get $lo2)))
        (v128.store offset=32 (local.get $d) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $lo) (local.get $lo2)))
        (v128.store offset=64 (local.get $d) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $hi) (local.get $hi2)))
        (v128.store offset=96 (local.get $d) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $hi) (local.get $hi2)))
        ;; rows 4-7, into the upper half of each 8-float step
        (local.set $lo (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $x4) (local.get $x5)))
        (local.set $hi (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $x4) (local.get $x5)))
        (local.set $lo2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $x6) (local.get $x7)))
        (local.set $hi2 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $x6) (local.get $x7)))
        (v128.store offset=16 (local.get $d) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $lo) (local.get $lo2)))
        (v128.store offset=48 (local.get $d) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $lo) (local.get $lo2)))
        (v128.store offset=80 (local.get $d) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $hi) (local.get $hi2)))
        (v128.store offset=112 (local.get $d) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $hi) (local.get $hi2)))
        (local.set $d (i32.add (local.get $d) (i32.const 128)))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $steps)))
      (local.set $d (call $packScalar (i32.add (local.get $row) (local.get $p)) (local.get $rowBytes) (i32.const 4)
        (i32.const 8) (i32.shr_u (i32.sub (local.get $rowBytes) (local.get $p)) (i32.const 2)) (local.get $d) (i32.const 4) (i32.const 32)))
      (local.set $row (i32.add (local.get $row) (i32.shl (local.get $rowBytes) (i32.const 3))))
      (local.set $rowsLeft (i32.sub (local.get $rowsLeft) (i32.const 8)))
      (br $full)))
    (if (local.get $rowsLeft)
      (then (drop (call $packScalar (local.get $row) (local.get $rowBytes) (i32.const 4)
        (local.get $rowsLeft) (local.get $k) (local.get $d) (i32.const 4) (i32.const 32)))))
  )

  ;; Bp from Bᵀ in float64 (n × k row-major at $src), panels of 4 columns: 2 k steps × 4 rows at a
  ;; time, 4 v128 loads, two 2 × 2 transposes by shuffles, 4 stores. An odd last k step and a last
  ;; panel of fewer than 4 rows go through $packScalar.
  (func (export "packTransposedF64") (param $src i32) (param $dst i32) (param $n i32) (param $k i32)
    (local $rowBytes i32) (local $k2Bytes i32) (local $row i32) (local $rowsLeft i32)
    (local $p i32) (local $at i32) (local $d i32)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128)
    (local.set $rowBytes (i32.shl (local.get $k) (i32.const 3)))
    (local.set $k2Bytes (i32.shl (i32.and (local.get $k) (i32.const -2)) (i32.const 3)))
    (local.set $row (local.get $src))
    (local.set $rowsLeft (local.get $n))
    (local.set $d (local.get $dst))
    (block $fullDone (loop $full
      (br_if $fullDone (i32.lt_u (local.get $rowsLeft) (i32.const 4)))
      (local.set $p (i32.const 0))
      (block $stepsDone (loop $steps
        (br_if $stepsDone (i32.ge_u (local.get $p) (local.get $k2Bytes)))
        (local.set $at (i32.add (local.get $row) (local.get $p)))
        (local.set $x0 (v128.load (local.get $at)))
        (local.set $at (i32.add (local.get $at) (local.get $rowBytes)))
        (local.set $x1 (v128.load (local.get $at)))
        (local.set $at (i32.add (local.get $at) (local.get $rowBytes)))
        (local.set $x2 (v128.load (local.get $at)))
        (local.set $at (i32.add (local.get $at) (local.get $rowBytes)))
        (local.set $x3 (v128.load (local.get $at)))
        ;; step p: [x0₀ x1₀] [x2₀ x3₀]; step p + 1: [x0₁ x1₁] [x2₁ x3₁]
        (v128.store offset=0 (local.get $d) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $x0) (local.get $x1)))
        (v128.store offset=16 (local.get $d) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $x2) (local.get $x3)))
        (v128.store offset=32 (local.get $d) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $x0) (local.get $x1)))
        (v128.store offset=48 (local.get $d) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $x2) (local.get $x3)))
        (local.set $d (i32.add (local.get $d) (i32.const 64)))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $steps)))
      (local.set $d (call $packScalar (i32.add (local.get $row) (local.get $p)) (local.get $rowBytes) (i32.const 8)
        (i32.const 4) (i32.shr_u (i32.sub (local.get $rowBytes) (local.get $p)) (i32.const 3)) (local.get $d) (i32.const 8) (i32.const 32)))
      (local.set $row (i32.add (local.get $row) (i32.shl (local.get $rowBytes) (i32.const 2))))
      (local.set $rowsLeft (i32.sub (local.get $rowsLeft) (i32.const 4)))
      (br $full)))
    (if (local.get $rowsLeft)
      (then (drop (call $packScalar (local.get $row) (local.get $rowBytes) (i32.const 8)
        (local.get $rowsLeft) (local.get $k) (local.get $d) (i32.const 8) (i32.const 32)))))
  )

  ;; Panels $panelBytes wide (32: Bp from B; 16 or 32: Ap, 4 rows of A, from Aᵀ) out of a k × n
  ;; row-major matrix at $src with elements of $elemBytes (4 or 8) bytes: each k step of a full
  ;; panel is $panelBytes contiguous bytes of a row (one or two v128 copies); a last panel of fewer
  ;; columns goes through $packScalar.
  (func (export "packRows") (param $src i32) (param $dst i32) (param $n i32) (param $k i32) (param $elemBytes i32) (param $panelBytes i32)
    (local $rowBytes i32) (local $fullBytes i32) (local $col i32) (local $s i32) (local $d i32) (local $end i32)
    (local.set $rowBytes (i32.mul (local.get $n) (local.get $elemBytes)))
    (local.set $fullBytes (i32.sub (local.get $rowBytes) (i32.rem_u (local.get $rowBytes) (local.get $panelBytes))))
    (local.set $d (local.get $dst))
    (local.set $col (i32.const 0))
    (block $panelsDone (loop $panels
      (br_if $panelsDone (i32.ge_u (local.get $col) (local.get $fullBytes)))
      (local.set $s (i32.add (local.get $src) (local.get $col)))
      (local.set $end (i32.add (local.get $d) (i32.mul (local.get $k) (local.get $panelBytes))))
      (if (i32.eq (local.get $panelBytes) (i32.const 32))
        (then (block $stepsDone (loop $steps
          (br_if $stepsDone (i32.ge_u (local.get $d) (local.get $end)))
          (v128.store (local.get $d) (v128.load (local.get $s)))
          (v128.store offset=16 (local.get $d) (v128.load offset=16 (local.get $s)))
          (local.set $s (i32.add (local.get $s) (local.get $rowBytes)))
          (local.set $d (i32.add (local.get $d) (i32.const 32)))
          (br $steps))))
        (else (block $stepsDone16 (loop $steps16
          (br_if $stepsDone16 (i32.ge_u (local.get $d) (local.get $end)))
          (v128.store (local.get $d) (v128.load (local.get $s)))
          (local.set $s (i32.add (local.get $s) (local.get $rowBytes)))
          (local.set $d (i32.add (local.get $d) (i32.const 16)))
          (br $steps16)))))
      (local.set $col (i32.add (local.get $col) (local.get $panelBytes)))
      (br $panels)))
    (if (i32.lt_u (local.get $fullBytes) (local.get $rowBytes))
      (then (drop (call $packScalar (i32.add (local.get $src) (local.get $fullBytes)) (local.get $elemBytes) (local.get $rowBytes)
        (i32.div_u (i32.sub (local.get $rowBytes) (local.get $fullBytes)) (local.get $elemBytes)) (local.get $k) (local.get $d)
        (local.get $elemBytes) (local.get $panelBytes)))))
  )

  ;; Ap from A in float32 (n = rows × k row-major at $src), panels of 4 rows, 16 bytes a step: 4
  ;; k steps × 4 rows at a time, 4 v128 loads, a 4 × 4 transpose by shuffles (as in
  ;; $packTransposedF32), 4 stores. The k mod 4 leftover steps and a last panel of fewer than 4
  ;; rows go through $packScalar, which pads the panel with zero rows.
  (func (export "packTransposedF32x4") (param $src i32) (param $dst i32) (param $n i32) (param $k i32)
    (local $rowBytes i32) (local $k4Bytes i32) (local $row i32) (local $rowsLeft i32)
    (local $p i32) (local $at i32) (local $d i32)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128)
    (local $lo v128) (local $hi v128) (local $lo2 v128) (local $hi2 v128)
    (local.set $rowBytes (i32.shl (local.get $k) (i32.const 2)))
    (local.set $k4Bytes (i32.shl (i32.and (local.get $k) (i32.const -4)) (i32.const 2)))
    (local.set $row (local.get $src))
    (local.set $rowsLeft (local.get $n))
    (local.set $d (local.get $dst))
    (block $fullDone (loop $full
      (br_if $fullDone (i32.lt_u (local.get $rowsLeft) (i32.const 4)))
      (local.set $p (i32.const 0))
      (block $stepsDone (loop $steps
        (br_if $stepsDone (i32.ge_u (local.get $p) (local.get $k4Bytes)))
        (local.set $at (i32.add (local.get $row) (local.get $p)))
        (local.set $x0 (v128.load (local.get $at)))
        (local.set $at (i32.add (local.get $at) (local.get $rowBytes)))
        (local.set $x1 (v128.load (local.get $at)))
        (local.set $at (i32.add (local.get $at) (local.get $rowBytes)))
        (local.set $x2 (v128.load (local.get $at)))
        (local.set $at (i32.add (local.get $at) (local.get $rowBytes)))
        (local.set $x3 (v128.load (local.get $at)))
        (local.set $lo (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $x0) (local.get $x1)))
        (local.set $hi (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $x0) (local.get $x1)))
        (local.set $lo2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $x2) (local.get $x3)))
        (local.set $hi2 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $x2) (local.get $x3)))
        (v128.store offset=0 (local.get $d) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $lo) (local.get $lo2)))
        (v128.store offset=16 (local.get $d) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $lo) (local.get $lo2)))
        (v128.store offset=32 (local.get $d) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $hi) (local.get $hi2)))
        (v128.store offset=48 (local.get $d) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $hi) (local.get $hi2)))
        (local.set $d (i32.add (local.get $d) (i32.const 64)))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $steps)))
      (local.set $d (call $packScalar (i32.add (local.get $row) (local.get $p)) (local.get $rowBytes) (i32.const 4)
        (i32.const 4) (i32.shr_u (i32.sub (local.get $rowBytes) (local.get $p)) (i32.const 2)) (local.get $d) (i32.const 4) (i32.const 16)))
      (local.set $row (i32.add (local.get $row) (i32.shl (local.get $rowBytes) (i32.const 2))))
      (local.set $rowsLeft (i32.sub (local.get $rowsLeft) (i32.const 4)))
      (br $full)))
    (if (local.get $rowsLeft)
      (then (drop (call $packScalar (local.get $row) (local.get $rowBytes) (i32.const 4)
        (local.get $rowsLeft) (local.get $k) (local.get $d) (i32.const 4) (i32.const 16)))))
  )

  ;; $steps k steps of one panel $panelBytes wide (16 or 32), element by element, written from $d
  ;; on: element jj of step t is read at $src + jj·$colStride + t·$stepStride for jj < $width; the
  ;; other elements of the step get zeros. Elements are moved as bits, i32 or i64 by $elemBytes (4
  ;; or 8). Returns the advanced destination pointer.
  (func $packScalar (param $src i32) (param $colStride i32) (param $stepStride i32) (param $width i32)
    (param $steps i32) (param $d i32) (param $elemBytes i32) (param $panelBytes i32) (result i32)
    (local $jj i32) (local $cols i32) (local $from i32) (local $to i32) (local $end i32)
    (local.set $cols (i32.div_u (local.get $panelBytes) (local.get $elemBytes)))
    (local.set $end (i32.add (local.get $d) (i32.mul (local.get $steps) (local.get $panelBytes))))
    (block $done (loop $stepsLoop
      (br_if $done (i32.ge_u (local.get $d) (local.get $end)))
      (local.set $jj (i32.const 0))
      (block $colsDone (loop $colsLoop
        (br_if $colsDone (i32.ge_u (local.get $jj) (local.get $cols)))
        (local.set $to (i32.add (local.get $d) (i32.mul (local.get $jj) (local.get $elemBytes))))
        (local.set $from (i32.add (local.get $src) (i32.mul (local.get $jj) (local.get $colStride))))
        (if (i32.eq (local.get $elemBytes) (i32.const 8))
          (then (i64.store (local.get $to) (if (result i64) (i32.lt_u (local.get $jj) (local.get $width))
            (then (i64.load (local.get $from))) (else (i64.const 0)))))
          (else (i32.store (local.get $to) (if (result i32) (i32.lt_u (local.get $jj) (local.get $width))
            (then (i32.load (local.get $from))) (else (i32.const 0))))))
        (local.set $jj (i32.add (local.get $jj) (i32.const 1)))
        (br $colsLoop)))
      (local.set $src (i32.add (local.get $src) (local.get $stepStride)))
      (local.set $d (i32.add (local.get $d) (local.get $panelBytes)))
      (br $stepsLoop)))
    (local.get $d)
  )
)
