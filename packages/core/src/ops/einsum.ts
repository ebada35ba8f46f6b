/**
 * `einsum` with PyTorch's equation grammar. The plan, per operand: repeated subscripts become
 * diagonals (`diagonal`, a view), size-1 dims that broadcast against a larger size of the same
 * subscript are squeezed out, and subscripts no other operand or the output uses are summed. Then
 * the operands are contracted left to right, each pair as ONE batched `matmul` (permute + reshape
 * to `(batch, m, k)·(batch, k, n)`, so through the WASM GEMM kernel), or a broadcast `mul` when
 * the pair shares no summed subscript. Every step is a differentiable op, so gradients of every
 * order come from their rules.
 */
import { Tensor } from "../tensor.js";
import { fmtShape, numelOf, sameShape } from "../shape.js";
import { describeValue } from "../options.js";
import { matmul } from "./matmul.js";

/** Subscript ids: A–Z are 0–25, a–z 26–51 (PyTorch's order), ellipsis dims 52 and up. */
const ELLIPSIS_BASE = 52;

function labelId(ch: string): number {
  const c = ch.charCodeAt(0);
  if (c >= 65 && c <= 90) return c - 65;
  return c - 97 + 26;
}

function labelName(id: number): string {
  if (id >= ELLIPSIS_BASE) return `... dim ${id - ELLIPSIS_BASE}`;
  return String.fromCharCode(id < 26 ? id + 65 : id - 26 + 97);
}

/** One side of the equation: its subscript ids in order, with `ELLIPSIS` where "..." stands. */
const ELLIPSIS = -1;

interface Term {
  labels: number[];
  hasEllipsis: boolean;
}

class EinsumError {
  constructor(readonly equation: string) {}
  range(msg: string): RangeError {
    return new RangeError(`einsum: equation "${this.equation}": ${msg}`);
  }
  type(msg: string): TypeError {
    return new TypeError(`einsum: equation "${this.equation}": ${msg}`);
  }
}

// Parses one comma-separated term (or the output); `start` is its index in the equation.
function parseTerm(text: string, start: number, what: string, err: EinsumError): Term {
  const labels: number[] = [];
  let hasEllipsis = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === " ") continue;
    if (ch === ".") {
      if (text.slice(i, i + 3) !== "..." || hasEllipsis) {
        throw err.range(`found '.' for ${what} that is not part of one ellipsis (...) at index ${start + i}`);
      }
      hasEllipsis = true;
      labels.push(ELLIPSIS);
      i += 2;
      continue;
    }
    if (!/[a-zA-Z]/.test(ch)) {
      throw err.range(`invalid subscript ${JSON.stringify(ch)} at index ${start + i}; subscripts must be in [a-zA-Z]`);
    }
    labels.push(labelId(ch));
  }
  return { labels, hasEllipsis };
}

// A term's ids per dim of its operand, "..." expanded to the ellipsis ids right-aligned in `nEll`.
function expandTerm(term: Term, ellDims: number, nEll: number): number[] {
  return term.labels.flatMap((l) => (l === ELLIPSIS ? Array.from({ length: ellDims }, (_, j) => ELLIPSIS_BASE + nEll - ellDims + j) : [l]));
}

// permute and reshape that leave a tensor alone when they would not change it, so the common
// layouts ("bij,bjk->bik") reach matmul as they are, with no extra graph nodes.
function permuteTo(t: Tensor, dims: readonly number[]): Tensor {
  return dims.every((d, i) => d === i) ? t : t.permute(dims);
}
function reshapeTo(t: Tensor, shape: readonly number[]): Tensor {
  return sameShape(t.shape, shape) ? t : t.reshape(shape);
}

/** An operand as it goes through the plan: the tensor and the subscript of each of its dims. */
interface Labeled {
  t: Tensor;
  labels: number[];
}

// Sums the dims of x whose subscripts `keep` rejects.
function sumOut(x: Labeled, keep: (l: number) => boolean): Labeled {
  const dims = x.labels.flatMap((l, d) => (keep(l) ? [] : [d]));
  if (dims.length === 0) return x;
  return { t: x.t.sum(dims), labels: x.labels.filter((l) => keep(l)) };
}

// Takes the diagonal of every subscript that repeats within x (the diagonal dim goes last).
function diagonals(x: Labeled): Labeled {
  let { t, labels } = x;
  for (;;) {
    const d1 = labels.findIndex((l, i) => labels.indexOf(l) !== i);
    if (d1 < 0) return { t, labels };
    const d0 = labels.indexOf(labels[d1]);
    const l = labels[d1];
    t = t.diagonal(0, d0, d1);
    labels = [...labels.filter((_, i) => i !== d0 && i !== d1), l];
  }
}

// Contracts two operands: shared subscripts in `needed` stay (batch dims), the other shared ones
// are summed by one batched matmul. The result's subscripts: batch, a's own, b's own.
function contract(a: Labeled, b: Labeled, needed: Set<number>): Labeled {
  a = sumOut(a, (l) => b.labels.includes(l) || needed.has(l));
  b = sumOut(b, (l) => a.labels.includes(l) || needed.has(l));
  const inB = new Set(b.labels);
  const shared = a.labels.filter((l) => inB.has(l));
  const batch = shared.filter((l) => needed.has(l));
  const summed = shared.filter((l) => !needed.has(l));
  const ownA = a.labels.filter((l) => !inB.has(l));
  const ownB = b.labels.filter((l) => !a.labels.includes(l));
  const sizeA = (l: number): number => a.t.shape[a.labels.indexOf(l)];
  const sizeB = (l: number): number => b.t.shape[b.labels.indexOf(l)];
  const dimsA = (ls: number[]): number[] => ls.map((l) => a.labels.indexOf(l));
  const dimsB = (ls: number[]): number[] => ls.map((l) => b.labels.indexOf(l));
  const batchShape = batch.map(sizeA);
  const shapeA = ownA.map(sizeA);
  const shapeB = ownB.map(sizeB);
  const labels = [...batch, ...ownA, ...ownB];
  if (summed.length === 0) {
    // Nothing to sum: an elementwise product, broadcast over each side's own dims.
    const left = reshapeTo(permuteTo(a.t, dimsA([...batch, ...ownA])), [...batchShape, ...shapeA, ...shapeB.map(() => 1)]);
    const right = reshapeTo(permuteTo(b.t, dimsB([...batch, ...ownB])), [...batchShape, ...shapeA.map(() => 1), ...shapeB]);
    return { t: left.mul(right), labels };
  }
  const nb = numelOf(batchShape);
  const m = numelOf(shapeA);
  const n = numelOf(shapeB);
  const k = numelOf(summed.map(sizeA));
  const left = reshapeTo(permuteTo(a.t, dimsA([...batch, ...ownA, ...summed])), [nb, m, k]);
  const right = reshapeTo(permuteTo(b.t, dimsB([...batch, ...summed, ...ownB])), [nb, k, n]);
  return { t: reshapeTo(matmul(left, right), [...batchShape, ...shapeA, ...shapeB]), labels };
}

/**
 * Einstein summation: `equation` names each operand's dims with letters (`"ij,jk->ik"`); a
 * letter shared between operands multiplies along it, and a letter missing from the output is
 * summed: `out[output letters] = Σ_(other letters) Πₒ operandₒ[its letters]`. PyTorch's grammar:
 * - `->` and the output are optional: without them the output is the letters that appear once,
 *   in alphabetical order (upper case first), after the ellipsis dims;
 * - `...` stands for any number of dims (right-aligned, broadcast across operands; summed when
 *   the output has no `...`);
 * - a letter repeated in one operand takes the diagonal (`"ii->i"`; `"ii"` is the trace);
 * - a dim of size 1 broadcasts against a larger size of the same letter;
 * - spaces are ignored; any number of operands, contracted left to right.
 * Each contraction that sums a letter is one batched `matmul` (so `"bij,bjk->bik"` is exactly
 * `bmm`). The operands must share one dtype, not bool (PyTorch's `bmm` has no bool kernel either).
 * Shapes: per the equation, e.g. `(B, N, K), (B, K, M) → (B, N, M)` for `"bik,bkm->bnm"`.
 *
 * PyTorch: `torch.einsum(equation, *operands)` (operands may also come as one array).
 *
 * @example
 * ```ts
 * const a = tensor([[1, 2], [3, 4]]);
 * einsum("ij,jk->ik", a, a).toArray(); // [[7, 10], [15, 22]]
 * einsum("ii", a).item();              // 5 (trace)
 * einsum("ij->ji", a).toArray();       // [[1, 3], [2, 4]]
 * einsum("i,j", tensor([1, 2]), tensor([1, 10])).toArray(); // [[1, 10], [2, 20]]
 * einsum("...ij,...jk", ones([5, 2, 3]), ones([3, 4])).shape; // [5, 2, 4]
 * ```
 * @group Linear algebra
 */
export function einsum(equation: string, ...operands: Tensor[] | [readonly Tensor[]]): Tensor {
  if (typeof equation !== "string") throw new TypeError(`einsum: expected the equation to be a string, got ${describeValue(equation)}`);
  const err = new EinsumError(equation);
  const ops: readonly unknown[] = operands.length === 1 && Array.isArray(operands[0]) ? operands[0] : operands;
  ops.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw err.type(`operand ${i} must be a Tensor, got ${describeValue(t)}`);
  });
  const tensors = ops as Tensor[];
  if (tensors.length === 0) throw err.range("einsum needs at least one operand");

  const arrow = equation.indexOf("->");
  if (arrow >= 0 && equation.indexOf("->", arrow + 1) >= 0) throw err.range("more than one '->'");
  const lhs = arrow >= 0 ? equation.slice(0, arrow) : equation;
  let pos = 0;
  const terms = lhs.split(",").map((text, i) => {
    const term = parseTerm(text, pos, `operand ${i}`, err);
    pos += text.length + 1;
    return term;
  });
  if (terms.length > tensors.length) throw err.range(`${terms.length} operands in the equation but ${tensors.length} given (fewer operands than the equation has)`);
  if (terms.length < tensors.length) throw err.range(`${terms.length} operands in the equation but ${tensors.length} given (more operands than the equation has)`);

  const dtype = tensors[0].dtype;
  tensors.forEach((t, i) => {
    if (t.dtype === "bool") throw err.type(`bool operands are not supported (operand ${i}); cast with .int() or .float()`);
    if (t.dtype !== dtype) throw err.type(`expected operands of one dtype, got ${dtype} (operand 0) and ${t.dtype} (operand ${i})`);
  });

  // Ellipsis dims per operand, and each subscript's size (1 broadcasts).
  const ellDims = terms.map((term, i) => {
    const letters = term.labels.filter((l) => l !== ELLIPSIS).length;
    const nd = tensors[i].ndim;
    if (term.hasEllipsis ? nd < letters : nd !== letters) {
      throw err.range(`operand ${i} has shape ${fmtShape(tensors[i].shape)} (${nd} dims) but ${letters} subscripts${term.hasEllipsis ? " besides the ellipsis" : " and no ellipsis"}`);
    }
    return nd - letters;
  });
  const nEll = Math.max(0, ...ellDims);
  const sizes = new Map<number, number>();
  const inputs: Labeled[] = tensors.map((t, i) => {
    const labels = expandTerm(terms[i], ellDims[i], nEll);
    const own = new Map<number, number>();
    labels.forEach((l, d) => {
      const s = t.shape[d];
      const mine = own.get(l);
      if (mine !== undefined && mine !== s) {
        throw err.range(`subscript ${labelName(l)} is repeated in operand ${i} (shape ${fmtShape(t.shape)}) but the sizes don't match, ${mine} != ${s}`);
      }
      own.set(l, s);
      const seen = sizes.get(l);
      if (seen === undefined || seen === 1) sizes.set(l, s);
      else if (s !== 1 && s !== seen) {
        throw err.range(`subscript ${labelName(l)} has size ${s} in operand ${i} (shape ${fmtShape(t.shape)}), which does not broadcast with the size ${seen} seen before`);
      }
    });
    return { t, labels };
  });

  // The output's subscripts.
  let output: number[];
  if (arrow >= 0) {
    const term = parseTerm(equation.slice(arrow + 2), arrow + 2, "the output", err);
    output = expandTerm(term, nEll, nEll);
    output.forEach((l, i) => {
      if (output.indexOf(l) !== i) throw err.range(`output subscript ${labelName(l)} appears more than once in the output`);
      if (!sizes.has(l)) throw err.range(`output subscript ${labelName(l)} does not appear in any operand`);
    });
  } else {
    const count = new Map<number, number>();
    for (const x of inputs) for (const l of x.labels) if (l < ELLIPSIS_BASE) count.set(l, (count.get(l) ?? 0) + 1);
    const once = [...count].filter(([, c]) => c === 1).map(([l]) => l).sort((p, q) => p - q);
    output = [...Array.from({ length: nEll }, (_, j) => ELLIPSIS_BASE + j), ...once];
  }
  const inOutput = new Set(output);

  // Per operand: diagonals, then broadcast size-1 dims squeezed out.
  const prepared = inputs.map((x) => {
    const { t, labels } = diagonals(x);
    const drop = labels.flatMap((l, d) => (t.shape[d] === 1 && sizes.get(l) !== 1 ? [d] : []));
    if (drop.length === 0) return { t, labels };
    let squeezed = t;
    for (const d of [...drop].reverse()) squeezed = squeezed.squeeze(d);
    return { t: squeezed, labels: labels.filter((_, d) => !drop.includes(d)) };
  });

  const compute = (): Tensor => {
    // The subscripts each later step still needs: the output's and those of the operands after i.
    const neededAfter = prepared.map((_, i) => {
      const s = new Set(inOutput);
      for (const x of prepared.slice(i + 1)) for (const l of x.labels) s.add(l);
      return s;
    });
    let acc = sumOut(prepared[0], (l) => neededAfter[0].has(l));
    for (let i = 1; i < prepared.length; i++) acc = contract(acc, prepared[i], neededAfter[i]);
    acc = sumOut(acc, (l) => inOutput.has(l));
    // A subscript of the output that every operand had as a broadcast 1 was squeezed: put it back.
    let t = acc.t;
    const labels = [...acc.labels];
    for (const l of output) {
      if (!labels.includes(l)) {
        t = t.unsqueeze(t.ndim);
        labels.push(l);
      }
    }
    const y = permuteTo(t, output.map((l) => labels.indexOf(l)));
    // Like PyTorch, never hand back an operand itself ("ij->ij" is a view of it).
    return tensors.includes(y) ? y.permute(y.shape.map((_, i) => i)) : y;
  };
  return compute();
}
