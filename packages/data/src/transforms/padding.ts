/** Reading torchvision's padding argument. */
import { describeValue } from "@tsgrad/core";

/** Padding as torchvision reads it: `p` on every side, `[p]`, `[leftRight, topBottom]`, or `[left, top, right, bottom]`. */
export type Padding = number | readonly number[];

/** `[left, right, top, bottom]` from torchvision's padding forms (its `_parse_pad_padding`). */
export function parsePadding(op: string, padding: Padding): [number, number, number, number] {
  const list = typeof padding === "number" ? [padding] : padding;
  if (!Array.isArray(list) || ![1, 2, 4].includes(list.length)) {
    throw new RangeError(`${op}: padding must be a number or a 1, 2, or 4 element list, got ${describeValue(padding)}`);
  }
  if (list.some((p) => !Number.isInteger(p) || p < 0)) throw new RangeError(`${op}: padding must hold non-negative integers, got [${list.join(", ")}]`);
  if (list.length === 1) return [list[0], list[0], list[0], list[0]];
  if (list.length === 2) return [list[0], list[0], list[1], list[1]];
  return [list[0], list[2], list[1], list[3]];
}

