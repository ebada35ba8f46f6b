;; Row copies inside one memory, for the gathers of pad and advanced indexing (kernels/wasm/rows.ts).
;; A JS loop moving a row's elements (or 8-byte words) runs at about a fifth of memcpy's speed; here
;; each row is one memory.copy.
(module
  (import "env" "memory" (memory 1 65536))

  ;; For r < rows with bases[r] >= 0 (an i32 table at $bases): copies $len bytes from
  ;; $src + $from + (bases[r] << $elemShift) to $out + $at + r·$outStride. Rows with a negative base are skipped.
  (func (export "gatherRows")
    (param $out i32) (param $src i32) (param $bases i32) (param $rows i32)
    (param $outStride i32) (param $at i32) (param $from i32) (param $len i32) (param $elemShift i32)
    (local $r i32) (local $base i32) (local $o i32) (local $s i32)
    (local.set $o (i32.add (local.get $out) (local.get $at)))
    (local.set $s (i32.add (local.get $src) (local.get $from)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $base (i32.load (i32.add (local.get $bases) (i32.shl (local.get $r) (i32.const 2)))))
        (if (i32.ge_s (local.get $base) (i32.const 0))
          (then
            (memory.copy
              (local.get $o)
              (i32.add (local.get $s) (i32.shl (local.get $base) (local.get $elemShift)))
              (local.get $len))))
        (local.set $o (i32.add (local.get $o) (local.get $outStride)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $next)))))
