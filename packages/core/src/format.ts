/** PyTorch-style printing of tensors. */
import type { Tensor } from "./tensor.js";
import { fmtShape } from "./shape.js";

const SUMMARIZE_ABOVE = 1000;
const EDGE_ITEMS = 3;

function floatFormatter(values: ArrayLike<number>): (v: number) => string {
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) finite.push(Math.abs(values[i]));
  const special = (v: number): string | undefined => (v !== v ? "nan" : v === Infinity ? "inf" : v === -Infinity ? "-inf" : undefined);
  if (finite.length === 0) return (v) => special(v) ?? String(v);
  const intMode = finite.every((v) => Number.isInteger(v));
  const max = Math.max(...finite);
  const nonzero = finite.filter((v) => v > 0);
  const min = nonzero.length ? Math.min(...nonzero) : 0;
  if (intMode) {
    const sci = max > 1e8;
    return (v) => special(v) ?? (sci ? v.toExponential(4) : `${v.toFixed(0)}.`);
  }
  const sci = max > 1e8 || (min > 0 && min < 1e-4) || (min > 0 && max / min > 1000);
  return (v) => special(v) ?? (sci ? v.toExponential(4).replace(/e([+-])(\d)$/, "e$10$2") : v.toFixed(4));
}

/** Formats `t` like PyTorch's repr, e.g. `tensor([[1.0000, 2.5000]], requiresGrad=true)`. */
export function formatTensor(t: Tensor): string {
  const flat = t.dataSync();
  const summarize = flat.length > SUMMARIZE_ABOVE;
  let fmt: (v: number) => string;
  if (t.dtype === "bool") fmt = (v) => (v ? "true" : "false");
  else if (t.dtype === "int32") fmt = (v) => String(v);
  else fmt = floatFormatter(flat);
  const width = Math.max(1, ...Array.from(flat, (v) => fmt(v).length));
  const cell = (v: number): string => fmt(v).padStart(width);
  const strides = t.shape.map((_, d) => t.shape.slice(d + 1).reduce((p, s) => p * s, 1));

  const indent = "tensor(".length;
  const block = (d: number, base: number): string => {
    if (d === t.ndim) return cell(flat[base]);
    const n = t.shape[d];
    const items: string[] = [];
    const pick = (i: number): void => {
      items.push(block(d + 1, base + i * strides[d]));
    };
    if (summarize && n > 2 * EDGE_ITEMS) {
      for (let i = 0; i < EDGE_ITEMS; i++) pick(i);
      items.push("...");
      for (let i = n - EDGE_ITEMS; i < n; i++) pick(i);
    } else {
      for (let i = 0; i < n; i++) pick(i);
    }
    const sep = d === t.ndim - 1 ? ", " : "," + "\n".repeat(t.ndim - d - 1) + " ".repeat(indent + d + 1);
    return `[${items.join(sep)}]`;
  };

  let body: string;
  const extras: string[] = [];
  if (t.numel() === 0) {
    body = "[]";
    if (t.ndim !== 1) extras.push(`shape=${fmtShape(t.shape)}`);
  } else {
    body = block(0, 0);
  }
  if (t.dtype === "float64") extras.push("dtype=float64");
  if (t.gradFn) extras.push(`gradFn=<${t.gradFn.name}>`);
  else if (t.requiresGrad) extras.push("requiresGrad=true");
  return `tensor(${[body, ...extras].join(", ")})`;
}
