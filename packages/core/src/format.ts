/** PyTorch-style printing of tensors. */
import type { Tensor } from "./tensor.js";
import { fmtShape } from "./shape.js";
import { isFloatingPoint } from "./dtype.js";

const SUMMARIZE_ABOVE = 1000;
const EDGE_ITEMS = 3;

function floatFormatter(values: ArrayLike<number>): (v: number) => string {
  // Loops rather than Math.max(...values): a spread of a million arguments overflows the stack.
  let intMode = true;
  let anyFinite = false;
  let max = 0;
  let min = Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = Math.abs(values[i]);
    if (!Number.isFinite(v)) continue;
    anyFinite = true;
    if (!Number.isInteger(v)) intMode = false;
    if (v > max) max = v;
    if (v > 0 && v < min) min = v;
  }
  if (min === Infinity) min = 0;
  const special = (v: number): string | undefined => (v !== v ? "nan" : v === Infinity ? "inf" : v === -Infinity ? "-inf" : undefined);
  if (!anyFinite) return (v) => special(v) ?? String(v);
  // PyTorch's _Formatter: scientific when the nonzero magnitudes span more than 1000x or pass 1e8
  // (and, for non-integers, when one is below 1e-4); exponents get at least two digits.
  const wide = max > 1e8 || (min > 0 && max / min > 1000);
  const sci = intMode ? wide : wide || (min > 0 && min < 1e-4);
  const plain = intMode ? (v: number) => `${v.toFixed(0)}.` : (v: number) => v.toFixed(4);
  return (v) => special(v) ?? (sci ? v.toExponential(4).replace(/e([+-])(\d)$/, "e$10$2") : plain(v));
}

// What gets printed: flat indices of the shown elements, nested like the tensor, with "..." where
// a long dim is summarised (its first and last EDGE_ITEMS entries shown).
type Layout = number | "..." | Layout[];

function layoutOf(t: Tensor, summarize: boolean): Layout {
  const strides = t.shape.map((_, d) => t.shape.slice(d + 1).reduce((p, s) => p * s, 1));
  const walk = (d: number, base: number): Layout => {
    if (d === t.ndim) return base;
    const n = t.shape[d];
    const at = (i: number): Layout => walk(d + 1, base + i * strides[d]);
    if (!summarize || n <= 2 * EDGE_ITEMS) return Array.from({ length: n }, (_, i) => at(i));
    const head = Array.from({ length: EDGE_ITEMS }, (_, i) => at(i));
    const tail = Array.from({ length: EDGE_ITEMS }, (_, i) => at(n - EDGE_ITEMS + i));
    return [...head, "...", ...tail];
  };
  return walk(0, 0);
}

function shownIndices(layout: Layout, out: number[] = []): number[] {
  if (typeof layout === "number") out.push(layout);
  else if (Array.isArray(layout)) for (const item of layout) shownIndices(item, out);
  return out;
}

/** Formats `t` like PyTorch's repr, e.g. `tensor([[1.0000, 2.5000]], requiresGrad=true)`. */
export function formatTensor(t: Tensor): string {
  const flat = t.dataSync();
  const layout = layoutOf(t, flat.length > SUMMARIZE_ABOVE);
  // Like PyTorch, the number format and the column width come from the shown elements only.
  const shown = shownIndices(layout).map((i) => flat[i]);
  let fmt: (v: number) => string;
  if (t.dtype === "bool") fmt = (v) => (v ? "true" : "false");
  else if (!isFloatingPoint(t.dtype)) fmt = (v) => String(v);
  else fmt = floatFormatter(shown);
  // The column width comes from the finite values; nan and inf may stick out.
  const anyFinite = shown.some((v) => Number.isFinite(v));
  let width = 1;
  for (const v of shown) if (!anyFinite || Number.isFinite(v)) width = Math.max(width, fmt(v).length);

  const indent = "tensor(".length;
  const render = (item: Layout, d: number): string => {
    if (typeof item === "number") return fmt(flat[item]).padStart(width);
    if (item === "...") return d === t.ndim ? " ..." : "...";
    const sep = d === t.ndim - 1 ? ", " : "," + "\n".repeat(t.ndim - d - 1) + " ".repeat(indent + d + 1);
    return `[${item.map((x) => render(x, d + 1)).join(sep)}]`;
  };

  let body: string;
  const extras: string[] = [];
  if (t.numel() === 0) {
    body = "[]";
    if (t.ndim !== 1) extras.push(`shape=${fmtShape(t.shape)}`);
  } else {
    body = render(layout, 0);
  }
  // float32 and int32 (tsgrad's stand-in for PyTorch's default int64) go unnamed, as PyTorch's defaults do.
  if (t.dtype !== "float32" && t.dtype !== "int32" && t.dtype !== "bool") extras.push(`dtype=${t.dtype}`);
  if (t.gradFn) extras.push(`gradFn=<${t.gradFn.name}>`);
  else if (t.requiresGrad) extras.push("requiresGrad=true");
  return `tensor(${[body, ...extras].join(", ")})`;
}
