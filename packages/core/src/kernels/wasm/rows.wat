;; Row copies inside one memory, for the gathers of pad and advanced indexing (kernels/wasm/rows.ts).
;; A JS loop moving a row's elements (or 8-byte words) runs at about a fifth of memcpy's speed; here
;; each row is one memory.copy.
(module
  (import "env" "memory" (memory 1 65536))

  ;; Writes the 8-byte pattern $pattern over the bytes [$p, $q). $p is element-aligned and the
  ;; pattern is one element repeated (its size divides 8), so every store lands in phase.
  (func $fillBytes (param $p i32) (param $q i32) (param $pattern i64)
    (block $done
      (loop $words
        (br_if $done (i32.gt_u (i32.add (local.get $p) (i32.const 8)) (local.get $q)))
        (i64.store (local.get $p) (local.get $pattern))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br $words)))
    (block $tail
      (loop $bytes
        (br_if $tail (i32.ge_u (local.get $p) (local.get $q)))
        (i64.store8 (local.get $p) (local.get $pattern))
        (local.set $pattern (i64.shr_u (local.get $pattern) (i64.const 8)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $bytes))))

  ;; For r < rows with bases[r] >= 0 (an i32 table at $bases): copies $len bytes from
  ;; $src + $from + (bases[r] << $elemShift) to $out + $at + r·$outStride. Rows with a negative base are
  ;; skipped. With $fill set, every other byte of the rows gets the pattern $patternLo, $patternHi
  ;; (the fill element repeated over 8 bytes), one fill from the end of each copy to the start of
  ;; the next: a row's right border, the rows skipped and the next row's left border in one go.
  (func (export "gatherRows")
    (param $out i32) (param $src i32) (param $bases i32) (param $rows i32)
    (param $outStride i32) (param $at i32) (param $from i32) (param $len i32) (param $elemShift i32)
    (param $fill i32) (param $patternLo i32) (param $patternHi i32)
    (local $r i32) (local $base i32) (local $to i32) (local $s i32) (local $filled i32) (local $pattern i64)
    (local.set $s (i32.add (local.get $src) (local.get $from)))
    (local.set $to (i32.add (local.get $out) (local.get $at)))
    (local.set $filled (local.get $out))
    (local.set $pattern
      (i64.or
        (i64.extend_i32_u (local.get $patternLo))
        (i64.shl (i64.extend_i32_u (local.get $patternHi)) (i64.const 32))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $base (i32.load (i32.add (local.get $bases) (i32.shl (local.get $r) (i32.const 2)))))
        (if (i32.ge_s (local.get $base) (i32.const 0))
          (then
            (if (local.get $fill)
              (then (call $fillBytes (local.get $filled) (local.get $to) (local.get $pattern))))
            (memory.copy
              (local.get $to)
              (i32.add (local.get $s) (i32.shl (local.get $base) (local.get $elemShift)))
              (local.get $len))
            (local.set $filled (i32.add (local.get $to) (local.get $len)))))
        (local.set $to (i32.add (local.get $to) (local.get $outStride)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $next)))
    (if (local.get $fill)
      (then
        (call $fillBytes
          (local.get $filled)
          (i32.add (local.get $out) (i32.mul (local.get $rows) (local.get $outStride)))
          (local.get $pattern)))))
)
