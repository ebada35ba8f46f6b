/**
 * The op table of @tsgrad/core's tests: every case of tools/fixtures/gen_core.py, once, as the
 * tsgrad expression that should reproduce PyTorch's. The sample inputs, the upstream gradients
 * and the per-case flags (gradcheck, gradgrad) come from the fixture, so reference.test.ts and
 * gradcheck.test.ts run the same rows on the same inputs.
 */
import { describe, expect, it } from "vitest";
import { Tensor, cat, stack, where, matmul, grad, zerosLike, gradcheck, gradgradcheck, type DType } from "@tsgrad/core";
import { decode, expectClose, loadFixture, type EncodedTensor } from "../../../tools/test-utils.js";

/** One case as gen_core.py writes it. */
export interface OpCase {
  name: string;
  gradcheck: boolean;
  gradgrad: boolean;
  inputs: EncodedTensor[];
  outputs: EncodedTensor[];
  /** The fixed upstream gradient of each output (null for integer outputs such as indices). */
  gradOutputs: Array<EncodedTensor | null>;
  /** PyTorch's gradient of each input (null for integer and bool inputs). */
  inputGrads: Array<EncodedTensor | null>;
}

/** The cases in gen_core.py's order. */
export const CASES: OpCase[] = loadFixture<{ cases: OpCase[] }>(new URL("./fixtures/core.json", import.meta.url)).cases;

/** Decodes a case's inputs; floating-point ones become leaves that require grad. */
export function caseInputs(c: OpCase): Tensor[] {
  return c.inputs.map((e) => decode(e, { requiresGrad: isFloat(e.dtype) }));
}

/** True for the dtypes that carry gradients. */
export function isFloat(dtype: DType): boolean {
  return dtype === "float32" || dtype === "float64";
}

/** A case's outputs as a list (tuple-returning ops such as split and max(dim) give several). */
export function runCase(name: string, inputs: Tensor[], ops: Record<string, OpFn> = OPS): Tensor[] {
  const fn = ops[name];
  if (!fn) throw new Error(`op table: no tsgrad expression for fixture case ${name}`);
  const out = fn(...inputs);
  return out instanceof Tensor ? [out] : out;
}

/**
 * Runs case `c` and checks its outputs and input gradients (for the fixture's upstream
 * gradients) against PyTorch's. With `dtype`, floating-point inputs and upstream gradients are
 * cast to it first, and floating-point results must come back in it.
 */
export function checkAgainstReference(c: OpCase, options: { dtype?: DType; rtol?: number; atol?: number } = {}, ops: Record<string, OpFn> = OPS): void {
  const { dtype, rtol = 1e-6, atol = 1e-8 } = options;
  const floatDType = (e: EncodedTensor): DType => (dtype && isFloat(e.dtype) ? dtype : e.dtype);
  const inputs = c.inputs.map((e) => decode(e, { dtype: floatDType(e), requiresGrad: isFloat(e.dtype) }));
  const outputs = runCase(c.name, inputs, ops);
  expect(outputs.length, `${c.name}: number of outputs`).toBe(c.outputs.length);
  outputs.forEach((out, k) => {
    expect(out.dtype, `${c.name}: output ${k} dtype`).toBe(floatDType(c.outputs[k]));
    expectClose(out, c.outputs[k], `${c.name}: output ${k}`, rtol, atol);
  });

  // As the generator does: an output seeds the backward only when it is in the graph (a float
  // result of an integer input, e.g. sum with a dtype, is not).
  const seeded = outputs.flatMap((out, k) => {
    const g = c.gradOutputs[k];
    return g && out.requiresGrad ? [{ out, g: decode(g, { dtype: floatDType(g) }) }] : [];
  });
  const diff = inputs.filter((x) => x.requiresGrad);
  const grads = seeded.length === 0 ? [] : grad(seeded.map((s) => s.out), diff, { gradOutputs: seeded.map((s) => s.g), allowUnused: true });
  let next = 0;
  inputs.forEach((x, k) => {
    const expected = c.inputGrads[k];
    if (!x.requiresGrad) {
      expect(expected, `${c.name}: input ${k} has no gradient in PyTorch either`).toBeNull();
      return;
    }
    const g = grads[next++] ?? zerosLike(x);
    expect(g.dtype, `${c.name}: gradient ${k} dtype`).toBe(x.dtype);
    expectClose(g, expected!, `${c.name}: gradient of input ${k}`, rtol, atol);
  });
}

/**
 * The float64 gradcheck of every case flagged `gradcheck`, and the gradgradcheck of every case
 * flagged `gradgrad`, on the fixture's inputs (for a family's own table of cases and expressions).
 */
export function gradcheckSuites(cases: readonly OpCase[], ops: Record<string, OpFn>): void {
  const fnOf = (name: string) => (...xs: Tensor[]): Tensor[] => runCase(name, xs, ops);
  describe("gradcheck", () => {
    for (const c of cases.filter((c) => c.gradcheck)) {
      it(c.name, () => expect(gradcheck(fnOf(c.name), caseInputs(c))).toBe(true));
    }
  });
  describe("gradgradcheck", () => {
    for (const c of cases.filter((c) => c.gradgrad)) {
      it(c.name, () => expect(gradgradcheck(fnOf(c.name), caseInputs(c))).toBe(true));
    }
  });
}

/**
 * The standard suites of a family's fixture (layout, reduce, ...): the table lists exactly the
 * fixture's cases; each case matches PyTorch forward and backward in float64 and (unless listed
 * in `notFloat32`, with its reason in the caller) in float32; then {@link gradcheckSuites}.
 */
export function describeFixtureCases(
  family: string, cases: readonly OpCase[], table: Record<string, OpFn>, notFloat32: ReadonlySet<string> = new Set(),
): void {
  describe(`${family} table`, () => {
    it("lists exactly the fixture's cases", () => {
      expect(Object.keys(table).sort()).toEqual(cases.map((c) => c.name).sort());
    });
  });
  describe("forward and backward match PyTorch (float64)", () => {
    for (const c of cases) it(c.name, () => checkAgainstReference(c, {}, table));
  });
  describe("forward and backward match PyTorch (float32)", () => {
    for (const c of cases.filter((c) => !notFloat32.has(c.name))) {
      it(c.name, () => checkAgainstReference(c, { dtype: "float32", rtol: 1e-5, atol: 1e-6 }, table));
    }
  });
  gradcheckSuites(cases, table);
}

/** A table entry: the tsgrad expression of a fixture case. */
export type OpFn = (...inputs: Tensor[]) => Tensor | Tensor[];
const pair = (r: { values: Tensor; indices: Tensor }): Tensor[] => [r.values, r.indices];

/** Case name → the tsgrad expression. Names match gen_core.py, which has the PyTorch side. */
export const OPS: Record<string, OpFn> = {
  // arithmetic, with broadcast shape pairs
  add: (a, b) => a.add(b),
  add_bcast_both: (a, b) => a.add(b),
  add_alpha: (a, b) => a.add(b, { alpha: 2.5 }),
  add_scalar: (a) => a.add(1.5),
  sub: (a, b) => a.sub(b),
  sub_alpha: (a, b) => a.sub(b, { alpha: -0.5 }),
  sub_scalar: (a) => a.sub(2),
  mul: (a, b) => a.mul(b),
  mul_scalar: (a) => a.mul(-3),
  mul_self: (a) => a.mul(a),
  div: (a, b) => a.div(b),
  div_bcast: (a, b) => a.div(b),
  div_scalar: (a) => a.div(4),
  pow_tensor: (a, b) => a.pow(b),
  pow_bcast: (a, b) => a.pow(b),
  pow_scalar: (a) => a.pow(3),
  pow_scalar_frac: (a) => a.pow(-1.5),
  maximum: (a, b) => a.maximum(b),
  minimum: (a, b) => a.minimum(b),

  // unary math
  neg: (x) => x.neg(),
  exp: (x) => x.exp(),
  log: (x) => x.log(),
  log1p: (x) => x.log1p(),
  expm1: (x) => x.expm1(),
  sqrt: (x) => x.sqrt(),
  rsqrt: (x) => x.rsqrt(),
  square: (x) => x.square(),
  reciprocal: (x) => x.reciprocal(),
  abs: (x) => x.abs(),
  sign: (x) => x.sign(),
  sin: (x) => x.sin(),
  cos: (x) => x.cos(),
  erf: (x) => x.erf(),
  sigmoid: (x) => x.sigmoid(),
  tanh: (x) => x.tanh(),
  relu: (x) => x.relu(),
  clamp: (x) => x.clamp(-0.5, 0.5),
  clamp_min: (x) => x.clamp(0.1),
  clamp_max: (x) => x.clamp(null, 0.3),
  floor: (x) => x.floor(),
  ceil: (x) => x.ceil(),
  round: (x) => x.round(),

  // reductions
  sum_all: (x) => x.sum(),
  sum_dim: (x) => x.sum(1),
  sum_dims_keepdim: (x) => x.sum([0, 2], true),
  sum_neg_dim: (x) => x.sum(-1),
  mean_all: (x) => x.mean(),
  mean_dim_keepdim: (x) => x.mean(2, true),
  mean_dims: (x) => x.mean([0, 1]),
  amax_all: (x) => x.amax(),
  amax_dim: (x) => x.amax(1),
  amax_dims_keepdim: (x) => x.amax([0, 2], true),
  amin_dim: (x) => x.amin(-1),
  max_all: (x) => x.max(),
  min_all: (x) => x.min(),
  max_dim: (x) => pair(x.max(1)),
  max_dim_keepdim: (x) => pair(x.max(2, true)),
  min_dim: (x) => pair(x.min(0)),
  logsumexp_dim: (x) => x.logsumexp(1),
  logsumexp_dims_keepdim: (x) => x.logsumexp([0, 2], true),
  var_all: (x) => x.var(),
  var_dim: (x) => x.var(1),
  var_dim_correction0_keepdim: (x) => x.var(2, { correction: 0, keepdim: true }),
  var_dims: (x) => x.var([0, 2]),
  std_all: (x) => x.std(),
  std_dim_correction0: (x) => x.std(1, { correction: 0 }),
  norm_all: (x) => x.norm(),
  norm_p1_dim: (x) => x.norm(1, 1),
  norm_p3_dim_keepdim: (x) => x.norm(3, 2, true),
  norm_inf: (x) => x.norm(Infinity),
  norm_dims: (x) => x.norm(2, [0, 1]),

  // softmax family
  softmax_dim1: (x) => x.softmax(1),
  softmax_dim0: (x) => x.softmax(0),
  softmax_3d_middle: (x) => x.softmax(1),
  log_softmax_last: (x) => x.logSoftmax(-1),
  log_softmax_3d_first: (x) => x.logSoftmax(0),

  // matmul
  matmul_dot: (a, b) => a.matmul(b),
  matmul_mm: (a, b) => a.matmul(b),
  matmul_vec_mat: (a, b) => a.matmul(b),
  matmul_mat_vec: (a, b) => a.matmul(b),
  matmul_batched: (a, b) => a.matmul(b),
  matmul_batch_bcast: (a, b) => a.matmul(b),
  matmul_mat_batched: (a, b) => matmul(a, b),
  matmul_batched_vec: (a, b) => a.matmul(b),

  // shape ops
  reshape: (x) => x.reshape(4, 6),
  reshape_infer: (x) => x.reshape([-1, 2]),
  reshape_noncontiguous: (x) => x.transpose(0, 2).reshape(4, 6),
  view: (x) => x.view(6, 4),
  flatten: (x) => x.flatten(),
  flatten_from1: (x) => x.flatten(1),
  flatten_0_1: (x) => x.flatten(0, 1),
  transpose: (x) => x.transpose(0, 2),
  transpose_neg: (x) => x.transpose(-1, -2),
  T: (x) => x.T,
  permute: (x) => x.permute(2, 0, 1),
  squeeze_all: (x) => x.squeeze(),
  squeeze_dim: (x) => x.squeeze(1),
  squeeze_noop: (x) => x.squeeze(0),
  unsqueeze: (x) => x.unsqueeze(1),
  unsqueeze_neg: (x) => x.unsqueeze(-1),
  expand: (x) => x.expand(2, 3, 4),
  expand_keep: (x) => x.expand([3, -1]),
  expand_as: (x, y) => x.expandAs(y).mul(y),
  contiguous: (x) => x.transpose(0, 1).contiguous(),
  narrow: (x) => x.narrow(2, 1, 2),
  narrow_neg_start: (x) => x.narrow(1, -2, 2),
  select: (x) => x.select(1, 2),
  select_neg: (x) => x.select(0, -1),
  slice: (x) => x.slice(1, 1, 3),
  slice_step: (x) => x.slice(2, 0, undefined, 2),
  slice_neg: (x) => x.slice(1, -2),
  split: (x) => x.split(2, 2),
  split_sizes: (x) => x.split([1, 2], 1),
  chunk: (x) => x.chunk(3, 2),
  chunk_uneven: (x) => x.chunk(2, 1),
  cat: (a, b) => cat([a, b], 0),
  cat_three_dim1: (a, b, c) => cat([a, b, c], 1),
  cat_neg_dim: (a, b) => cat([a, b], -1),
  stack: (a, b) => stack([a, b], 0),
  stack_last: (a, b, c) => stack([a, b, c], -1),

  // indexing
  gather_dim1: (x, i) => x.gather(1, i),
  gather_dim0: (x, i) => x.gather(0, i),
  scatter_add: (x, i, s) => x.scatterAdd(0, i, s),
  scatter_add_dim1: (x, i, s) => x.scatterAdd(1, i, s),
  index_select: (x, i) => x.indexSelect(0, i),
  index_select_dim1: (x, i) => x.indexSelect(1, i),
  index_add: (x, i, s) => x.indexAdd(1, i, s),
  where: (c, a, b) => where(c, a, b),
  where_scalar: (c, a) => where(c, a, 0),
  masked_fill: (x, m) => x.maskedFill(m, -1.5),

  // dtype casts, clone
  to_float32: (x) => x.to("float32"),
  to_float64: (x) => x.double(),
  to_same: (x) => x.to("float64"),
  clone: (x) => x.clone(),

  // non-contiguous inputs
  mul_transposed: (a, b) => a.T.mul(b),
  add_expanded: (a, b) => a.expand(3, 4).add(b),
  exp_narrowed: (x) => x.narrow(1, 1, 2).exp(),
  sum_transposed: (x) => x.transpose(0, 2).sum(1),
  amax_narrowed: (x) => x.narrow(1, 1, 2).amax(0),
  var_permuted: (x) => x.permute(2, 0, 1).var(0),
  softmax_transposed: (x) => x.T.softmax(1),
  logsumexp_expanded: (x) => x.expand(3, 4).logsumexp(0),
  matmul_transposed: (a, b) => a.T.matmul(b.T),
  matmul_narrowed: (a, b) => a.narrow(1, 1, 3).matmul(b),
  matmul_expanded: (a, b) => a.expand(2, 3, 4).matmul(b),

  // empty and 0-d tensors
  sum_empty: (x) => x.sum(),
  sum_empty_dim1: (x) => x.sum(1),
  sum_empty_dim0: (x) => x.sum(0),
  mean_empty: (x) => x.mean(),
  exp_empty: (x) => x.exp(),
  add_empty_bcast: (a, b) => a.add(b),
  matmul_empty_inner: (a, b) => a.matmul(b),
  matmul_empty_rows: (a, b) => a.matmul(b),
  softmax_empty: (x) => x.softmax(1),
  logsumexp_empty: (x) => x.logsumexp(1),
  cat_empty: (a, b) => cat([a, b], 0),
  reshape_empty: (x) => x.reshape(0, 5),
  exp_0d: (x) => x.exp(),
  mul_0d_bcast: (a, b) => a.mul(b),
  sum_0d: (x) => x.sum(),
  sum_0d_dim0: (x) => x.sum(0),
  mean_0d: (x) => x.mean(),
  amax_0d: (x) => x.amax(),
  max_0d_dim: (x) => pair(x.max(0)),
  softmax_0d: (x) => x.softmax(0),
  logsumexp_0d: (x) => x.logsumexp(0),
  reshape_0d: (x) => x.reshape(1, 1),
  unsqueeze_0d: (x) => x.unsqueeze(0),
  pow_0d_exponent: (a, b) => a.pow(b),
  where_0d_cond: (c, a, b) => where(c, a, b),
  var_0d_correction0: (x) => x.var(null, { correction: 0 }),

  // kinks
  relu_at_0: (x) => x.relu(),
  abs_at_0: (x) => x.abs(),
  clamp_at_bounds: (x) => x.clamp(-0.5, 0.5),
  clamp_min_at_bound: (x) => x.clamp(0),
  clamp_max_at_bound: (x) => x.clamp(undefined, 0),
  maximum_ties: (a, b) => a.maximum(b),
  maximum_ties_bcast: (a, b) => a.maximum(b),
  minimum_ties: (a, b) => a.minimum(b),
  amax_ties: (x) => x.amax(1),
  amax_all_ties: (x) => x.amax(),
  amin_ties: (x) => x.amin(0),
  max_all_ties: (x) => x.max(),
  max_dim_ties: (x) => pair(x.max(1)),
  min_dim_ties: (x) => pair(x.min(1)),
  round_half_even: (x) => x.round(),
  sqrt_at_0: (x) => x.sqrt(),
  pow_at_0: (a, b) => a.pow(b),
  norm_at_0: (x) => x.norm(),
  norm_dim_zero_row: (x) => x.norm(2, 1),
  norm_p3_zero_row: (x) => x.norm(3, 1),
  std_constant: (x) => x.std(),

  // extremes
  softmax_extreme: (x) => x.softmax(1),
  log_softmax_extreme: (x) => x.logSoftmax(1),
  logsumexp_extreme: (x) => x.logsumexp(1),
  logsumexp_inf: (x) => x.logsumexp(1),
  sigmoid_extreme: (x) => x.sigmoid(),
  tanh_extreme: (x) => x.tanh(),
  exp_overflow: (x) => x.exp(),
  log_at_0: (x) => x.log(),
  erf_tails: (x) => x.erf(),
  log1p_expm1_tiny: (x) => [x.log1p(), x.expm1()],
  div_by_zero: (a, b) => a.div(b),
};
