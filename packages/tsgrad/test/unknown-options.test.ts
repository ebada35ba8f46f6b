/**
 * Issue 7, item 1: every exported function, method and constructor that takes an options object
 * rejects an unknown key with a TypeError naming the op, and suggests the camelCase name for a
 * PyTorch-style snake_case key. The list of option takers comes from the TypeScript compiler (see
 * option-takers.ts), so a new option-taking export without a row here fails the first test.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as tg from "tsgrad";
import { nn, losses as L, optim, data } from "tsgrad";
import { optionTakers } from "./option-takers.js";
type Opts = never;

const root = fileURLToPath(new URL("../../..", import.meta.url));

/** Exports that take a resolved options record, not a user's options bag. */
const EXEMPT: Readonly<Record<string, string>> = {
  sgdUpdate: "pure update kernel: takes the optimizer's already-resolved param group (with params, initialLr) on the hot path",
  adamUpdate: "pure update kernel: takes the optimizer's already-resolved param group",
  rmspropUpdate: "pure update kernel: takes the optimizer's already-resolved param group",
  adagradUpdate: "pure update kernel: takes the optimizer's already-resolved param group",
  adadeltaUpdate: "pure update kernel: takes the optimizer's already-resolved param group",
  adamaxUpdate: "pure update kernel: takes the optimizer's already-resolved param group",
  nadamUpdate: "pure update kernel: takes the optimizer's already-resolved param group",
  radamUpdate: "pure update kernel: takes the optimizer's already-resolved param group",
  asgdUpdate: "pure update kernel: takes the optimizer's already-resolved param group",
  rpropUpdate: "pure update kernel: takes the optimizer's already-resolved param group",
  "LBFGS.addParamGroup": "LBFGS has exactly the one group its constructor makes (as PyTorch's): adding one throws before reading its options",
  "new NormBase": "abstract base of the batch/instance-norm layers: its subclasses' rows check the options it resolves",
  "new DropoutNd": "abstract base of the dropout layers: its subclasses' rows check the options it resolves",
};

const x = (): tg.Tensor => tg.tensor([[1, 2], [3, 4]]);
const leaf = (): tg.Tensor => tg.tensor([1, 2], { requiresGrad: true });
const idx = (): tg.Tensor => tg.tensor([0, 1], { dtype: "int32" });
const labels = (): tg.Tensor => tg.tensor([0, 1, 1, 0], { dtype: "int32" });
const img = (): tg.Tensor => tg.ones([1, 1, 2, 2]);
const img1 = (): tg.Tensor => tg.ones([1, 1, 2]);
const img2 = img;
const img3 = (): tg.Tensor => tg.ones([1, 1, 2, 2, 2]);
const f64 = (): tg.Tensor => tg.tensor([1, 2], { dtype: "float64", requiresGrad: true });
const pm = (): tg.Tensor[] => [leaf()];
const sgd = (): optim.SGD => new optim.SGD(pm(), { lr: 0.1 });
const dataset = (): data.TensorDataset => new data.TensorDataset(tg.zeros([4, 2]));

class CubeLoss extends L.Loss<{ reduction: L.Reduction }> {
  constructor(options?: L.ReductionOptions) { super((a, b, o) => L.reduce(a.sub(b).abs().pow(3), o.reduction), options, { reduction: "mean" }); }
}
class PlainSGD extends optim.Optimizer {
  constructor(params: tg.Tensor[], options?: Partial<optim.OptimizerOptions>) { super(params, { lr: 0.1 }, options); }
  protected validate(): void {}
  protected initState(): optim.ParamState { return {}; }
  protected updateParam(): void {}
}

/**
 * One row per option taker: the op name its errors start with, a call with the options object
 * `o`, and one of its real option names (whose snake_case form must get a "did you mean").
 */
interface Row {
  op: string;
  real: string;
  call: (o: Opts) => unknown;
}

const ROWS: Readonly<Record<string, Row>> = {
  // ---------------------------------------------------------------- core
  tensor: { op: "tensor", real: "requiresGrad", call: (o) => tg.tensor([1], o) },
  zeros: { op: "zeros", real: "requiresGrad", call: (o) => tg.zeros([2], o) },
  ones: { op: "ones", real: "requiresGrad", call: (o) => tg.ones(2, 3, o) },
  empty: { op: "empty", real: "requiresGrad", call: (o) => tg.empty([2], o) },
  full: { op: "full", real: "requiresGrad", call: (o) => tg.full([2], 1, o) },
  zerosLike: { op: "zerosLike", real: "requiresGrad", call: (o) => tg.zerosLike(x(), o) },
  onesLike: { op: "onesLike", real: "requiresGrad", call: (o) => tg.onesLike(x(), o) },
  fullLike: { op: "fullLike", real: "requiresGrad", call: (o) => tg.fullLike(x(), 2, o) },
  arange: { op: "arange", real: "requiresGrad", call: (o) => tg.arange(0, 3, 1, o) },
  linspace: { op: "linspace", real: "requiresGrad", call: (o) => tg.linspace(0, 1, 3, o) },
  eye: { op: "eye", real: "requiresGrad", call: (o) => tg.eye(2, 2, o) },
  rand: { op: "rand", real: "requiresGrad", call: (o) => tg.rand([2], o) },
  randn: { op: "randn", real: "requiresGrad", call: (o) => tg.randn(2, 3, o) },
  randint: { op: "randint", real: "dtype", call: (o) => tg.randint(0, 5, [2], o) },
  randperm: { op: "randperm", real: "generator", call: (o) => tg.randperm(3, o) },
  detectAnomaly: { op: "detectAnomaly", real: "checkNan", call: (o) => tg.detectAnomaly(() => 0, o) },
  setDetectAnomaly: { op: "setDetectAnomaly", real: "checkNan", call: (o) => tg.setDetectAnomaly(false, o) },
  "autograd.functional.jacobian": { op: "jacobian", real: "createGraph", call: (o) => tg.autograd.functional.jacobian((t) => t, leaf(), o) },
  "autograd.functional.hessian": { op: "hessian", real: "createGraph", call: (o) => tg.autograd.functional.hessian((t) => t.sum(), leaf(), o) },
  "autograd.functional.vjp": { op: "vjp", real: "createGraph", call: (o) => tg.autograd.functional.vjp((t) => t, leaf(), leaf(), o) },
  "autograd.functional.jvp": { op: "jvp", real: "createGraph", call: (o) => tg.autograd.functional.jvp((t) => t, leaf(), leaf(), o) },
  "autograd.functional.hvp": { op: "hvp", real: "createGraph", call: (o) => tg.autograd.functional.hvp((t) => t.sum(), leaf(), leaf(), o) },
  "autograd.functional.vhp": { op: "vhp", real: "createGraph", call: (o) => tg.autograd.functional.vhp((t) => t.sum(), leaf(), leaf(), o) },
  "Tensor.add": { op: "add", real: "alpha", call: (o) => x().add(1, o) },
  "Tensor.sub": { op: "sub", real: "alpha", call: (o) => x().sub(1, o) },
  "Tensor.add_": { op: "add_", real: "alpha", call: (o) => x().add_(1, o) },
  "Tensor.sub_": { op: "sub_", real: "alpha", call: (o) => x().sub_(1, o) },
  add: { op: "add", real: "alpha", call: (o) => tg.add(x(), 1, o) },
  sub: { op: "sub", real: "alpha", call: (o) => tg.sub(x(), 1, o) },
  "Tensor.var": { op: "var", real: "keepdim", call: (o) => x().var(1, o) },
  "Tensor.std": { op: "std", real: "keepdim", call: (o) => x().std(1, o) },
  var: { op: "var", real: "keepdim", call: (o) => tg.var(x(), 1, o) },
  std: { op: "std", real: "keepdim", call: (o) => tg.std(x(), 1, o) },
  "Tensor.sum": { op: "sum", real: "dtype", call: (o) => x().sum(1, false, o) },
  sum: { op: "sum", real: "dtype", call: (o) => tg.sum(x(), 1, false, o) },
  "Tensor.nansum": { op: "nansum", real: "dtype", call: (o) => x().nansum(1, false, o) },
  nansum: { op: "nansum", real: "dtype", call: (o) => tg.nansum(x(), 1, false, o) },
  "Tensor.nanmean": { op: "nanmean", real: "dtype", call: (o) => x().nanmean(1, false, o) },
  nanmean: { op: "nanmean", real: "dtype", call: (o) => tg.nanmean(x(), 1, false, o) },
  "Tensor.prod": { op: "prod", real: "dtype", call: (o) => x().prod(1, false, o) },
  prod: { op: "prod", real: "dtype", call: (o) => tg.prod(x(), 1, false, o) },
  "Tensor.cumsum": { op: "cumsum", real: "dtype", call: (o) => x().cumsum(1, o) },
  cumsum: { op: "cumsum", real: "dtype", call: (o) => tg.cumsum(x(), 1, o) },
  "Tensor.cumprod": { op: "cumprod", real: "dtype", call: (o) => x().cumprod(1, o) },
  cumprod: { op: "cumprod", real: "dtype", call: (o) => tg.cumprod(x(), 1, o) },
  "Tensor.sort": { op: "sort", real: "descending", call: (o) => x().sort(1, o) },
  sort: { op: "sort", real: "descending", call: (o) => tg.sort(x(), 1, o) },
  "Tensor.argsort": { op: "argsort", real: "stable", call: (o) => x().argsort(1, o) },
  argsort: { op: "argsort", real: "stable", call: (o) => tg.argsort(x(), 1, o) },
  "Tensor.topk": { op: "topk", real: "largest", call: (o) => x().topk(1, 1, o) },
  topk: { op: "topk", real: "largest", call: (o) => tg.topk(x(), 1, 1, o) },
  "Tensor.quantile": { op: "quantile", real: "interpolation", call: (o) => x().quantile(0.5, 1, false, o) },
  quantile: { op: "quantile", real: "interpolation", call: (o) => tg.quantile(x(), 0.5, 1, false, o) },
  "Tensor.unique": { op: "unique", real: "returnCounts", call: (o) => x().unique(o) },
  unique: { op: "unique", real: "returnCounts", call: (o) => tg.unique(x(), o) },
  "Tensor.uniqueConsecutive": { op: "uniqueConsecutive", real: "returnInverse", call: (o) => x().uniqueConsecutive(o) },
  uniqueConsecutive: { op: "uniqueConsecutive", real: "returnInverse", call: (o) => tg.uniqueConsecutive(x(), o) },
  "Tensor.aminmax": { op: "aminmax", real: "keepdim", call: (o) => x().aminmax(o) },
  aminmax: { op: "aminmax", real: "keepdim", call: (o) => tg.aminmax(x(), o) },
  searchsorted: { op: "searchsorted", real: "right", call: (o) => tg.searchsorted(tg.tensor([1, 2]), x(), o) },
  bucketize: { op: "bucketize", real: "right", call: (o) => tg.bucketize(x(), tg.tensor([1, 2]), o) },
  cdist: { op: "cdist", real: "p", call: (o) => tg.cdist(x(), x(), o) },
  pairwiseDistance: { op: "pairwiseDistance", real: "keepdim", call: (o) => tg.pairwiseDistance(x(), x(), o) },
  cosineSimilarity: { op: "cosineSimilarity", real: "eps", call: (o) => tg.cosineSimilarity(x(), x(), o) },
  varMean: { op: "varMean", real: "correction", call: (o) => tg.varMean(x(), 1, o) },
  stdMean: { op: "stdMean", real: "correction", call: (o) => tg.stdMean(x(), 1, o) },
  "Tensor.allclose": { op: "allclose", real: "equalNan", call: (o) => x().allclose(x(), o) },
  allclose: { op: "allclose", real: "equalNan", call: (o) => tg.allclose(x(), x(), o) },
  "Tensor.round": { op: "round", real: "decimals", call: (o) => x().round(o) },
  round: { op: "round", real: "decimals", call: (o) => tg.round(x(), o) },
  "Tensor.div": { op: "div", real: "roundingMode", call: (o) => x().div(2, o) },
  div: { op: "div", real: "roundingMode", call: (o) => tg.div(x(), 2, o) },
  "Tensor.divide": { op: "divide", real: "roundingMode", call: (o) => x().divide(2, o) },
  divide: { op: "divide", real: "roundingMode", call: (o) => tg.divide(x(), 2, o) },
  "Tensor.isclose": { op: "isclose", real: "equalNan", call: (o) => x().isclose(x(), o) },
  isclose: { op: "isclose", real: "equalNan", call: (o) => tg.isclose(x(), x(), o) },
  "Tensor.nanToNum": { op: "nanToNum", real: "posinf", call: (o) => x().nanToNum(o) },
  nanToNum: { op: "nanToNum", real: "posinf", call: (o) => tg.nanToNum(x(), o) },
  "Tensor.addcmul": { op: "addcmul", real: "value", call: (o) => x().addcmul(x(), x(), o) },
  addcmul: { op: "addcmul", real: "value", call: (o) => tg.addcmul(x(), x(), x(), o) },
  "Tensor.addcdiv": { op: "addcdiv", real: "value", call: (o) => x().addcdiv(x(), x(), o) },
  addcdiv: { op: "addcdiv", real: "value", call: (o) => tg.addcdiv(x(), x(), x(), o) },
  "Tensor.uniform_": { op: "uniform_", real: "generator", call: (o) => x().uniform_(0, 1, o) },
  "Tensor.normal_": { op: "normal_", real: "generator", call: (o) => x().normal_(0, 1, o) },
  "Tensor.backward": { op: "backward", real: "retainGraph", call: (o) => leaf().sum().backward(o) },
  grad: { op: "grad", real: "retainGraph", call: (o) => { const w = leaf(); return tg.grad([w.sum()], [w], o); } },
  zeroGrads: { op: "zeroGrads", real: "setToNone", call: (o) => tg.zeroGrads(pm(), o) },
  saveToIndexedDB: { op: "saveToIndexedDB", real: "database", call: (o) => tg.saveToIndexedDB({ w: x() }, "k", o) },
  loadFromIndexedDB: { op: "loadFromIndexedDB", real: "store", call: (o) => tg.loadFromIndexedDB("k", o) },
  deleteFromIndexedDB: { op: "deleteFromIndexedDB", real: "store", call: (o) => tg.deleteFromIndexedDB("k", o) },
  encodeSafetensors: { op: "encodeSafetensors", real: "metadata", call: (o) => tg.encodeSafetensors({ w: x() }, o) },
  gradcheck: { op: "gradcheck", real: "atol", call: (o) => tg.gradcheck((t) => t.mul(2), [f64()], o) },
  gradgradcheck: { op: "gradgradcheck", real: "atol", call: (o) => tg.gradgradcheck((t) => t.mul(t), [f64()], o) },
  resolveOptions: { op: "myOp", real: "batchSize", call: (o) => tg.resolveOptions("myOp", o, { batchSize: 1 }) },
  checkOptionKeys: { op: "myOp", real: "batchSize", call: (o) => tg.checkOptionKeys("myOp", o, ["batchSize"]) },
  "Tensor.indexPut": { op: "indexPut", real: "accumulate", call: (o) => x().indexPut([idx()], 0, o) },
  "Tensor.indexPut_": { op: "indexPut_", real: "accumulate", call: (o) => x().indexPut_([idx()], 0, o) },
  indexPut: { op: "indexPut", real: "accumulate", call: (o) => tg.indexPut(x(), [idx()], 0, o) },
  "Tensor.indexAdd": { op: "indexAdd", real: "alpha", call: (o) => x().indexAdd(0, idx(), x(), o) },
  "Tensor.indexAdd_": { op: "indexAdd_", real: "alpha", call: (o) => x().indexAdd_(0, idx(), x(), o) },
  indexAdd: { op: "indexAdd", real: "alpha", call: (o) => tg.indexAdd(x(), 0, idx(), x(), o) },
  "Tensor.nonzero": { op: "nonzero", real: "asTuple", call: (o) => x().nonzero(o) },
  nonzero: { op: "nonzero", real: "asTuple", call: (o) => tg.nonzero(x(), o) },
  "Tensor.repeatInterleave": { op: "repeatInterleave", real: "outputSize", call: (o) => x().repeatInterleave(2, 0, o) },
  repeatInterleave: { op: "repeatInterleave", real: "outputSize", call: (o) => tg.repeatInterleave(x(), 2, 0, o) },
  "Tensor.scatter": { op: "scatter", real: "reduce", call: (o) => x().scatter(0, tg.zeros([1, 2], { dtype: "int32" }), 1, o) },
  "Tensor.scatter_": { op: "scatter_", real: "reduce", call: (o) => x().scatter_(0, tg.zeros([1, 2], { dtype: "int32" }), 1, o) },
  scatter: { op: "scatter", real: "reduce", call: (o) => tg.scatter(x(), 0, tg.zeros([1, 2], { dtype: "int32" }), 1, o) },
  "Tensor.scatterReduce": { op: "scatterReduce", real: "includeSelf", call: (o) => x().scatterReduce(0, tg.zeros([1, 2], { dtype: "int32" }), x(), "sum", o) },
  "Tensor.scatterReduce_": { op: "scatterReduce_", real: "includeSelf", call: (o) => x().scatterReduce_(0, tg.zeros([1, 2], { dtype: "int32" }), x(), "sum", o) },
  scatterReduce: { op: "scatterReduce", real: "includeSelf", call: (o) => tg.scatterReduce(x(), 0, tg.zeros([1, 2], { dtype: "int32" }), x(), "sum", o) },
  meshgrid: { op: "meshgrid", real: "indexing", call: (o) => tg.meshgrid([idx(), idx()], o) },
  pad: { op: "pad", real: "value", call: (o) => tg.pad(x(), [1, 1], o) },
  "linalg.svd": { op: "linalg.svd", real: "fullMatrices", call: (o) => tg.linalg.svd(x(), o) },
  convolution: { op: "convolution", real: "outputPadding", call: (o) => tg.convolution(img(), tg.ones([1, 1, 1, 1]), null, o) },
  convolutionAs: { op: "conv2d", real: "outputPadding", call: (o) => tg.convolutionAs("conv2d", img(), tg.ones([1, 1, 1, 1]), null, o) },
  im2col: { op: "unfold", real: "dilation", call: (o) => tg.im2col(img(), 1, o) },
  col2im: { op: "fold", real: "dilation", call: (o) => tg.col2im(tg.ones([1, 1, 4]), [2, 2], 1, o) },
  "Tensor.addmm": { op: "addmm", real: "beta", call: (o) => tg.zeros([2, 2]).addmm(tg.zeros([2, 3]), tg.zeros([3, 2]), o) },
  addmm: { op: "addmm", real: "beta", call: (o) => tg.addmm(tg.zeros([2, 2]), tg.zeros([2, 3]), tg.zeros([3, 2]), o) },
  "Tensor.addmv": { op: "addmv", real: "alpha", call: (o) => tg.zeros([2]).addmv(tg.zeros([2, 3]), tg.zeros([3]), o) },
  addmv: { op: "addmv", real: "alpha", call: (o) => tg.addmv(tg.zeros([2]), tg.zeros([2, 3]), tg.zeros([3]), o) },
  "Tensor.baddbmm": { op: "baddbmm", real: "beta", call: (o) => tg.zeros([1]).baddbmm(tg.zeros([2, 2, 3]), tg.zeros([2, 3, 2]), o) },
  baddbmm: { op: "baddbmm", real: "beta", call: (o) => tg.baddbmm(tg.zeros([1]), tg.zeros([2, 2, 3]), tg.zeros([2, 3, 2]), o) },
  "Tensor.addbmm": { op: "addbmm", real: "alpha", call: (o) => tg.zeros([1]).addbmm(tg.zeros([2, 2, 3]), tg.zeros([2, 3, 2]), o) },
  addbmm: { op: "addbmm", real: "alpha", call: (o) => tg.addbmm(tg.zeros([1]), tg.zeros([2, 2, 3]), tg.zeros([2, 3, 2]), o) },
  // ---------------------------------------------------------------- nn
  "new Linear": { op: "Linear", real: "bias", call: (o) => new nn.Linear(2, 3, o) },
  "F.conv1d": { op: "conv1d", real: "dilation", call: (o) => nn.F.conv1d(img1(), tg.ones([1, 1, 1]), null, o) },
  "F.convTranspose1d": { op: "convTranspose1d", real: "outputPadding", call: (o) => nn.F.convTranspose1d(img1(), tg.ones([1, 1, 1]), null, o) },
  "new Conv1d": { op: "Conv1d", real: "paddingMode", call: (o) => new nn.Conv1d(1, 1, 1, o) },
  "new ConvTranspose1d": { op: "ConvTranspose1d", real: "outputPadding", call: (o) => new nn.ConvTranspose1d(1, 1, 1, o) },
  "F.conv2d": { op: "conv2d", real: "dilation", call: (o) => nn.F.conv2d(img2(), tg.ones([1, 1, 1, 1]), null, o) },
  "F.convTranspose2d": { op: "convTranspose2d", real: "outputPadding", call: (o) => nn.F.convTranspose2d(img2(), tg.ones([1, 1, 1, 1]), null, o) },
  "new Conv2d": { op: "Conv2d", real: "paddingMode", call: (o) => new nn.Conv2d(1, 1, 1, o) },
  "new ConvTranspose2d": { op: "ConvTranspose2d", real: "outputPadding", call: (o) => new nn.ConvTranspose2d(1, 1, 1, o) },
  "F.conv3d": { op: "conv3d", real: "dilation", call: (o) => nn.F.conv3d(img3(), tg.ones([1, 1, 1, 1, 1]), null, o) },
  "F.convTranspose3d": { op: "convTranspose3d", real: "outputPadding", call: (o) => nn.F.convTranspose3d(img3(), tg.ones([1, 1, 1, 1, 1]), null, o) },
  "new Conv3d": { op: "Conv3d", real: "paddingMode", call: (o) => new nn.Conv3d(1, 1, 1, o) },
  "new ConvTranspose3d": { op: "ConvTranspose3d", real: "outputPadding", call: (o) => new nn.ConvTranspose3d(1, 1, 1, o) },
  "F.maxPool1d": { op: "maxPool1d", real: "returnIndices", call: (o) => nn.F.maxPool1d(img1(), 1, o) },
  "F.avgPool1d": { op: "avgPool1d", real: "countIncludePad", call: (o) => nn.F.avgPool1d(img1(), 1, o) },
  "F.adaptiveMaxPool1d": { op: "adaptiveMaxPool1d", real: "returnIndices", call: (o) => nn.F.adaptiveMaxPool1d(img1(), 1, o) },
  "F.lpPool1d": { op: "lpPool1d", real: "ceilMode", call: (o) => nn.F.lpPool1d(img1(), 2, 1, o) },
  "F.maxUnpool1d": { op: "maxUnpool1d", real: "outputSize", call: (o) => nn.F.maxUnpool1d(img1(), tg.zeros(img1().shape, { dtype: "int32" }), 1, o) },
  "F.maxPool2d": { op: "maxPool2d", real: "returnIndices", call: (o) => nn.F.maxPool2d(img2(), 1, o) },
  "F.avgPool2d": { op: "avgPool2d", real: "countIncludePad", call: (o) => nn.F.avgPool2d(img2(), 1, o) },
  "F.adaptiveMaxPool2d": { op: "adaptiveMaxPool2d", real: "returnIndices", call: (o) => nn.F.adaptiveMaxPool2d(img2(), 1, o) },
  "F.lpPool2d": { op: "lpPool2d", real: "ceilMode", call: (o) => nn.F.lpPool2d(img2(), 2, 1, o) },
  "F.maxUnpool2d": { op: "maxUnpool2d", real: "outputSize", call: (o) => nn.F.maxUnpool2d(img2(), tg.zeros(img2().shape, { dtype: "int32" }), 1, o) },
  "new MaxPool1d": { op: "MaxPool1d", real: "ceilMode", call: (o) => new nn.MaxPool1d(2, o) },
  "new AvgPool1d": { op: "AvgPool1d", real: "countIncludePad", call: (o) => new nn.AvgPool1d(2, o) },
  "new AdaptiveMaxPool1d": { op: "AdaptiveMaxPool1d", real: "returnIndices", call: (o) => new nn.AdaptiveMaxPool1d(2, o) },
  "new LPPool1d": { op: "LPPool1d", real: "ceilMode", call: (o) => new nn.LPPool1d(2, 2, o) },
  "new MaxUnpool1d": { op: "MaxUnpool1d", real: "padding", call: (o) => new nn.MaxUnpool1d(2, o) },
  "F.unfold": { op: "unfold", real: "padding", call: (o) => nn.F.unfold(img(), 1, o) },
  "F.fold": { op: "fold", real: "padding", call: (o) => nn.F.fold(tg.ones([1, 1, 4]), [2, 2], 1, o) },
  "new Dropout": { op: "Dropout", real: "generator", call: (o) => new nn.Dropout(0.5, o) },
  "new Dropout1d": { op: "Dropout1d", real: "generator", call: (o) => new nn.Dropout1d(0.5, o) },
  "new Dropout2d": { op: "Dropout2d", real: "generator", call: (o) => new nn.Dropout2d(0.5, o) },
  "new Dropout3d": { op: "Dropout3d", real: "generator", call: (o) => new nn.Dropout3d(0.5, o) },
  "new AlphaDropout": { op: "AlphaDropout", real: "generator", call: (o) => new nn.AlphaDropout(0.5, o) },
  "new FeatureAlphaDropout": { op: "FeatureAlphaDropout", real: "generator", call: (o) => new nn.FeatureAlphaDropout(0.5, o) },
  "F.interpolate": { op: "interpolate", real: "scaleFactor", call: (o) => nn.F.interpolate(img1(), o) },
  "new Upsample": { op: "Upsample", real: "alignCorners", call: (o) => new nn.Upsample(o) },
  "new UpsamplingNearest2d": { op: "UpsamplingNearest2d", real: "scaleFactor", call: (o) => new nn.UpsamplingNearest2d(o) },
  "new UpsamplingBilinear2d": { op: "UpsamplingBilinear2d", real: "scaleFactor", call: (o) => new nn.UpsamplingBilinear2d(o) },
  "new PReLU": { op: "PReLU", real: "numParameters", call: (o) => new nn.PReLU(o) },
  "new GELU": { op: "GELU", real: "approximate", call: (o) => new nn.GELU(o) },
  "new Softplus": { op: "Softplus", real: "threshold", call: (o) => new nn.Softplus(o) },
  // BatchNorm1d/2d/3d and InstanceNorm1d/2d inherit these constructors (the walker lists each once).
  "new BatchNorm": { op: "BatchNorm2d", real: "trackRunningStats", call: (o) => new nn.BatchNorm2d(2, o) },
  "new InstanceNorm": { op: "InstanceNorm1d", real: "affine", call: (o) => new nn.InstanceNorm1d(2, o) },
  "new LayerNorm": { op: "LayerNorm", real: "elementwiseAffine", call: (o) => new nn.LayerNorm(2, o) },
  "new GroupNorm": { op: "GroupNorm", real: "affine", call: (o) => new nn.GroupNorm(1, 2, o) },
  "new RMSNorm": { op: "RMSNorm", real: "elementwiseAffine", call: (o) => new nn.RMSNorm(2, o) },
  "new LocalResponseNorm": { op: "LocalResponseNorm", real: "alpha", call: (o) => new nn.LocalResponseNorm(2, o) },
  "F.batchNorm": { op: "batchNorm", real: "training", call: (o) => nn.F.batchNorm(x().reshape([4, 1]), null, null, o) },
  "F.instanceNorm": { op: "instanceNorm", real: "useInputStats", call: (o) => nn.F.instanceNorm(x().reshape([1, 2, 2]), o) },
  "F.layerNorm": { op: "layerNorm", real: "weight", call: (o) => nn.F.layerNorm(x(), [2], o) },
  "F.groupNorm": { op: "groupNorm", real: "eps", call: (o) => nn.F.groupNorm(x(), 1, o) },
  "F.rmsNorm": { op: "rmsNorm", real: "eps", call: (o) => nn.F.rmsNorm(x(), [2], o) },
  "F.localResponseNorm": { op: "localResponseNorm", real: "beta", call: (o) => nn.F.localResponseNorm(x().reshape([1, 2, 2]), 2, o) },
  "F.normalize": { op: "normalize", real: "dim", call: (o) => nn.F.normalize(x(), o) },
  "new Embedding": { op: "Embedding", real: "paddingIdx", call: (o) => new nn.Embedding(3, 2, o) },
  "Embedding.fromPretrained": { op: "Embedding.fromPretrained", real: "freeze", call: (o) => nn.Embedding.fromPretrained(tg.ones([3, 2]), o) },
  "new EmbeddingBag": { op: "EmbeddingBag", real: "includeLastOffset", call: (o) => new nn.EmbeddingBag(3, 2, o) },
  "EmbeddingBag.fromPretrained": { op: "EmbeddingBag.fromPretrained", real: "scaleGradByFreq", call: (o) => nn.EmbeddingBag.fromPretrained(tg.ones([3, 2]), o) },
  "new RNN": { op: "RNN", real: "nonlinearity", call: (o) => new nn.RNN(2, 3, o) },
  "new LSTM": { op: "LSTM", real: "projSize", call: (o) => new nn.LSTM(2, 3, o) },
  "new GRU": { op: "GRU", real: "bidirectional", call: (o) => new nn.GRU(2, 3, o) },
  "new RNNCell": { op: "RNNCell", real: "nonlinearity", call: (o) => new nn.RNNCell(2, 3, o) },
  "new LSTMCell": { op: "LSTMCell", real: "bias", call: (o) => new nn.LSTMCell(2, 3, o) },
  "new GRUCell": { op: "GRUCell", real: "bias", call: (o) => new nn.GRUCell(2, 3, o) },
  "F.embedding": { op: "embedding", real: "maxNorm", call: (o) => nn.F.embedding(idx(), tg.ones([3, 2]), o) },
  "F.embeddingBag": { op: "embeddingBag", real: "perSampleWeights", call: (o) => nn.F.embeddingBag(idx().reshape([1, 2]), tg.ones([3, 2]), o) },
  "F.scaledDotProductAttention": { op: "scaledDotProductAttention", real: "dropoutP", call: (o) => nn.F.scaledDotProductAttention(x(), x(), x(), o) },
  "new MultiheadAttention": { op: "MultiheadAttention", real: "addBiasKv", call: (o) => new nn.MultiheadAttention(2, 1, o) },
  "MultiheadAttention.forward": { op: "MultiheadAttention.forward", real: "keyPaddingMask", call: (o) => new nn.MultiheadAttention(2, 1).forward(x(), x(), x(), o) },
  "new TransformerEncoderLayer": { op: "TransformerEncoderLayer", real: "dimFeedforward", call: (o) => new nn.TransformerEncoderLayer(2, 1, o) },
  "TransformerEncoderLayer.forward": { op: "TransformerEncoderLayer.forward", real: "srcKeyPaddingMask", call: (o) => new nn.TransformerEncoderLayer(2, 1, { dimFeedforward: 2 }).forward(x(), o) },
  "new TransformerDecoderLayer": { op: "TransformerDecoderLayer", real: "layerNormEps", call: (o) => new nn.TransformerDecoderLayer(2, 1, o) },
  "TransformerDecoderLayer.forward": { op: "TransformerDecoderLayer.forward", real: "memoryKeyPaddingMask", call: (o) => new nn.TransformerDecoderLayer(2, 1, { dimFeedforward: 2 }).forward(x(), x(), o) },
  "new TransformerEncoder": { op: "TransformerEncoder", real: "norm", call: (o) => new nn.TransformerEncoder(new nn.TransformerEncoderLayer(2, 1, { dimFeedforward: 2 }), 1, o) },
  "TransformerEncoder.forward": { op: "TransformerEncoder.forward", real: "srcKeyPaddingMask", call: (o) => new nn.TransformerEncoder(new nn.TransformerEncoderLayer(2, 1, { dimFeedforward: 2 }), 1).forward(x(), o) },
  "new TransformerDecoder": { op: "TransformerDecoder", real: "norm", call: (o) => new nn.TransformerDecoder(new nn.TransformerDecoderLayer(2, 1, { dimFeedforward: 2 }), 1, o) },
  "TransformerDecoder.forward": { op: "TransformerDecoder.forward", real: "tgtKeyPaddingMask", call: (o) => new nn.TransformerDecoder(new nn.TransformerDecoderLayer(2, 1, { dimFeedforward: 2 }), 1).forward(x(), x(), o) },
  "new Transformer": { op: "Transformer", real: "numEncoderLayers", call: (o) => new nn.Transformer(o) },
  "Transformer.forward": { op: "Transformer.forward", real: "memoryMask", call: (o) => new nn.Transformer({ dModel: 2, nhead: 1, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 2 }).forward(x(), x(), o) },
  "Transformer.generateSquareSubsequentMask": { op: "Transformer.generateSquareSubsequentMask", real: "dtype", call: (o) => nn.Transformer.generateSquareSubsequentMask(2, o) },
  "new RReLU": { op: "RReLU", real: "lower", call: (o) => new nn.RReLU(o) },
  "F.rrelu": { op: "rrelu", real: "generator", call: (o) => nn.F.rrelu(x(), o) },
  "F.gelu": { op: "gelu", real: "approximate", call: (o) => nn.F.gelu(x(), o) },
  "F.softplus": { op: "softplus", real: "threshold", call: (o) => nn.F.softplus(x(), o) },
  "init.uniform_": { op: "uniform_", real: "generator", call: (o) => nn.init.uniform_(x(), 0, 1, o) },
  "init.normal_": { op: "normal_", real: "generator", call: (o) => nn.init.normal_(x(), 0, 1, o) },
  "init.truncNormal_": { op: "truncNormal_", real: "generator", call: (o) => nn.init.truncNormal_(x(), 0, 1, -2, 2, o) },
  "init.orthogonal_": { op: "orthogonal_", real: "generator", call: (o) => nn.init.orthogonal_(tg.zeros([2, 2]), 1, o) },
  "init.sparse_": { op: "sparse_", real: "generator", call: (o) => nn.init.sparse_(tg.zeros([2, 2]), 0.5, 0.01, o) },
  "init.xavierUniform_": { op: "xavierUniform_", real: "gain", call: (o) => nn.init.xavierUniform_(x(), o) },
  "init.xavierNormal_": { op: "xavierNormal_", real: "gain", call: (o) => nn.init.xavierNormal_(x(), o) },
  "init.kaimingUniform_": { op: "kaimingUniform_", real: "nonlinearity", call: (o) => nn.init.kaimingUniform_(x(), o) },
  "init.kaimingNormal_": { op: "kaimingNormal_", real: "nonlinearity", call: (o) => nn.init.kaimingNormal_(x(), o) },
  "Module.parameters": { op: "parameters", real: "recurse", call: (o) => new nn.Linear(2, 2).parameters(o) },
  "Module.namedParameters": { op: "namedParameters", real: "recurse", call: (o) => new nn.Linear(2, 2).namedParameters(o) },
  "Module.buffers": { op: "buffers", real: "recurse", call: (o) => new nn.Linear(2, 2).buffers(o) },
  "Module.namedBuffers": { op: "namedBuffers", real: "recurse", call: (o) => new nn.Linear(2, 2).namedBuffers(o) },
  "Module.registerBuffer": { op: "registerBuffer", real: "persistent", call: (o) => new nn.Linear(2, 2).registerBuffer("b", tg.zeros([1]), o) },
  "Module.zeroGrad": { op: "zeroGrad", real: "setToNone", call: (o) => new nn.Linear(2, 2).zeroGrad(o) },
  "Module.registerForwardPreHook": { op: "registerForwardPreHook", real: "prepend", call: (o) => new nn.Linear(2, 2).registerForwardPreHook(() => undefined, o) },
  "Module.registerForwardHook": { op: "registerForwardHook", real: "prepend", call: (o) => new nn.Linear(2, 2).registerForwardHook(() => undefined, o) },
  "Module.registerFullBackwardPreHook": { op: "registerFullBackwardPreHook", real: "prepend", call: (o) => new nn.Linear(2, 2).registerFullBackwardPreHook(() => undefined, o) },
  "Module.registerFullBackwardHook": { op: "registerFullBackwardHook", real: "prepend", call: (o) => new nn.Linear(2, 2).registerFullBackwardHook(() => undefined, o) },
  "Module.loadStateDict": { op: "loadStateDict", real: "strict", call: (o) => { const m = new nn.Linear(2, 2); return m.loadStateDict(m.stateDict(), o); } },
  // ---------------------------------------------------------------- losses
  mseLoss: { op: "mseLoss", real: "reduction", call: (o) => L.mseLoss(x(), x(), o) },
  l1Loss: { op: "l1Loss", real: "reduction", call: (o) => L.l1Loss(x(), x(), o) },
  huberLoss: { op: "huberLoss", real: "delta", call: (o) => L.huberLoss(x(), x(), o) },
  smoothL1Loss: { op: "smoothL1Loss", real: "beta", call: (o) => L.smoothL1Loss(x(), x(), o) },
  binaryCrossEntropy: { op: "binaryCrossEntropy", real: "weight", call: (o) => L.binaryCrossEntropy(tg.full([2], 0.5), tg.ones([2]), o) },
  binaryCrossEntropyWithLogits: { op: "binaryCrossEntropyWithLogits", real: "posWeight", call: (o) => L.binaryCrossEntropyWithLogits(x(), x(), o) },
  crossEntropy: { op: "crossEntropy", real: "ignoreIndex", call: (o) => L.crossEntropy(x(), idx(), o) },
  nllLoss: { op: "nllLoss", real: "ignoreIndex", call: (o) => L.nllLoss(x(), idx(), o) },
  hingeLoss: { op: "hingeLoss", real: "margin", call: (o) => L.hingeLoss(x(), tg.ones([2, 2]), o) },
  perceptronLoss: { op: "perceptronLoss", real: "reduction", call: (o) => L.perceptronLoss(x(), tg.ones([2, 2]), o) },
  multiMarginLoss: { op: "multiMarginLoss", real: "margin", call: (o) => L.multiMarginLoss(x(), idx(), o) },
  zeroOneLoss: { op: "zeroOneLoss", real: "reduction", call: (o) => L.zeroOneLoss(idx(), idx(), o) },
  "new MSELoss": { op: "MSELoss", real: "reduction", call: (o) => new L.MSELoss(o) },
  "new L1Loss": { op: "L1Loss", real: "reduction", call: (o) => new L.L1Loss(o) },
  "new HuberLoss": { op: "HuberLoss", real: "delta", call: (o) => new L.HuberLoss(o) },
  "new SmoothL1Loss": { op: "SmoothL1Loss", real: "beta", call: (o) => new L.SmoothL1Loss(o) },
  "new BCELoss": { op: "BCELoss", real: "weight", call: (o) => new L.BCELoss(o) },
  "new BCEWithLogitsLoss": { op: "BCEWithLogitsLoss", real: "posWeight", call: (o) => new L.BCEWithLogitsLoss(o) },
  "new CrossEntropyLoss": { op: "CrossEntropyLoss", real: "labelSmoothing", call: (o) => new L.CrossEntropyLoss(o) },
  "new NLLLoss": { op: "NLLLoss", real: "ignoreIndex", call: (o) => new L.NLLLoss(o) },
  "new HingeLoss": { op: "HingeLoss", real: "margin", call: (o) => new L.HingeLoss(o) },
  "new PerceptronLoss": { op: "PerceptronLoss", real: "reduction", call: (o) => new L.PerceptronLoss(o) },
  "new MultiMarginLoss": { op: "MultiMarginLoss", real: "margin", call: (o) => new L.MultiMarginLoss(o) },
  "new Loss": { op: "CubeLoss", real: "reduction", call: (o) => new CubeLoss(o) },
  klDiv: { op: "klDiv", real: "logTarget", call: (o) => L.klDiv(x(), x(), o) },
  poissonNllLoss: { op: "poissonNllLoss", real: "logInput", call: (o) => L.poissonNllLoss(x(), x(), o) },
  gaussianNllLoss: { op: "gaussianNllLoss", real: "eps", call: (o) => L.gaussianNllLoss(x(), x(), x(), o) },
  hingeEmbeddingLoss: { op: "hingeEmbeddingLoss", real: "margin", call: (o) => L.hingeEmbeddingLoss(x(), tg.ones([2, 2]), o) },
  multilabelMarginLoss: { op: "multilabelMarginLoss", real: "reduction", call: (o) => L.multilabelMarginLoss(x(), idx(), o) },
  multilabelSoftMarginLoss: { op: "multilabelSoftMarginLoss", real: "weight", call: (o) => L.multilabelSoftMarginLoss(x(), x(), o) },
  softMarginLoss: { op: "softMarginLoss", real: "reduction", call: (o) => L.softMarginLoss(x(), tg.ones([2, 2]), o) },
  cosineEmbeddingLoss: { op: "cosineEmbeddingLoss", real: "margin", call: (o) => L.cosineEmbeddingLoss(x(), x(), tg.ones([2]), o) },
  marginRankingLoss: { op: "marginRankingLoss", real: "margin", call: (o) => L.marginRankingLoss(x(), x(), tg.ones([2, 2]), o) },
  tripletMarginLoss: { op: "tripletMarginLoss", real: "swap", call: (o) => L.tripletMarginLoss(x(), x(), x(), o) },
  tripletMarginWithDistanceLoss: { op: "tripletMarginWithDistanceLoss", real: "distanceFunction", call: (o) => L.tripletMarginWithDistanceLoss(x(), x(), x(), o) },
  ctcLoss: { op: "ctcLoss", real: "zeroInfinity", call: (o) => L.ctcLoss(x(), tg.ones([1], { dtype: "int32" }), [2], [1], o) },
  "new KLDivLoss": { op: "KLDivLoss", real: "logTarget", call: (o) => new L.KLDivLoss(o) },
  "new PoissonNLLLoss": { op: "PoissonNLLLoss", real: "logInput", call: (o) => new L.PoissonNLLLoss(o) },
  "new GaussianNLLLoss": { op: "GaussianNLLLoss", real: "full", call: (o) => new L.GaussianNLLLoss(o) },
  "new HingeEmbeddingLoss": { op: "HingeEmbeddingLoss", real: "margin", call: (o) => new L.HingeEmbeddingLoss(o) },
  "new MultiLabelMarginLoss": { op: "MultiLabelMarginLoss", real: "reduction", call: (o) => new L.MultiLabelMarginLoss(o) },
  "new MultiLabelSoftMarginLoss": { op: "MultiLabelSoftMarginLoss", real: "weight", call: (o) => new L.MultiLabelSoftMarginLoss(o) },
  "new SoftMarginLoss": { op: "SoftMarginLoss", real: "reduction", call: (o) => new L.SoftMarginLoss(o) },
  "new CosineEmbeddingLoss": { op: "CosineEmbeddingLoss", real: "margin", call: (o) => new L.CosineEmbeddingLoss(o) },
  "new MarginRankingLoss": { op: "MarginRankingLoss", real: "margin", call: (o) => new L.MarginRankingLoss(o) },
  "new TripletMarginLoss": { op: "TripletMarginLoss", real: "swap", call: (o) => new L.TripletMarginLoss(o) },
  "new TripletMarginWithDistanceLoss": { op: "TripletMarginWithDistanceLoss", real: "distanceFunction", call: (o) => new L.TripletMarginWithDistanceLoss(o) },
  "new CTCLoss": { op: "CTCLoss", real: "zeroInfinity", call: (o) => new L.CTCLoss(o) },
  // ---------------------------------------------------------------- optim
  "new SGD": { op: "SGD", real: "weightDecay", call: (o) => new optim.SGD(pm(), { lr: 0.1, ...(o as object) }) },
  "new Adam": { op: "Adam", real: "weightDecay", call: (o) => new optim.Adam(pm(), o) },
  "new AdamW": { op: "AdamW", real: "weightDecay", call: (o) => new optim.AdamW(pm(), o) },
  "new RMSprop": { op: "RMSprop", real: "weightDecay", call: (o) => new optim.RMSprop(pm(), o) },
  "new Adagrad": { op: "Adagrad", real: "lrDecay", call: (o) => new optim.Adagrad(pm(), o) },
  "new Adadelta": { op: "Adadelta", real: "weightDecay", call: (o) => new optim.Adadelta(pm(), o) },
  "new Adamax": { op: "Adamax", real: "weightDecay", call: (o) => new optim.Adamax(pm(), o) },
  "new NAdam": { op: "NAdam", real: "momentumDecay", call: (o) => new optim.NAdam(pm(), o) },
  "new RAdam": { op: "RAdam", real: "decoupledWeightDecay", call: (o) => new optim.RAdam(pm(), o) },
  "new ASGD": { op: "ASGD", real: "weightDecay", call: (o) => new optim.ASGD(pm(), o) },
  "new Rprop": { op: "Rprop", real: "stepSizes", call: (o) => new optim.Rprop(pm(), o) },
  "new LBFGS": { op: "LBFGS", real: "lineSearchFn", call: (o) => new optim.LBFGS(pm(), o) },
  "new Optimizer": { op: "PlainSGD", real: "lr", call: (o) => new PlainSGD(pm(), o) },
  "Optimizer.zeroGrad": { op: "SGD.zeroGrad", real: "setToNone", call: (o) => sgd().zeroGrad(o) },
  "Optimizer.stateDict": { op: "SGD.stateDict", real: "layout", call: (o) => sgd().stateDict(o as never) },
  "new StepLR": { op: "StepLR", real: "stepSize", call: (o) => new optim.StepLR(sgd(), { stepSize: 2, ...(o as object) }) },
  "new MultiStepLR": { op: "MultiStepLR", real: "milestones", call: (o) => new optim.MultiStepLR(sgd(), { milestones: [1], ...(o as object) }) },
  "new ExponentialLR": { op: "ExponentialLR", real: "gamma", call: (o) => new optim.ExponentialLR(sgd(), { gamma: 0.9, ...(o as object) }) },
  "new CosineAnnealingLR": { op: "CosineAnnealingLR", real: "etaMin", call: (o) => new optim.CosineAnnealingLR(sgd(), { tMax: 5, ...(o as object) }) },
  "new LinearLR": { op: "LinearLR", real: "totalIters", call: (o) => new optim.LinearLR(sgd(), o) },
  "new ReduceLROnPlateau": { op: "ReduceLROnPlateau", real: "thresholdMode", call: (o) => new optim.ReduceLROnPlateau(sgd(), o) },
  "new LambdaLR": { op: "LambdaLR", real: "lrLambda", call: (o) => new optim.LambdaLR(sgd(), { lrLambda: () => 1, ...(o as object) }) },
  "new MultiplicativeLR": { op: "MultiplicativeLR", real: "lrLambda", call: (o) => new optim.MultiplicativeLR(sgd(), { lrLambda: () => 1, ...(o as object) }) },
  "new ConstantLR": { op: "ConstantLR", real: "totalIters", call: (o) => new optim.ConstantLR(sgd(), o) },
  "new PolynomialLR": { op: "PolynomialLR", real: "totalIters", call: (o) => new optim.PolynomialLR(sgd(), o) },
  "new CyclicLR": { op: "CyclicLR", real: "stepSizeUp", call: (o) => new optim.CyclicLR(sgd(), { baseLr: 0.01, maxLr: 0.1, ...(o as object) }) },
  "new OneCycleLR": { op: "OneCycleLR", real: "pctStart", call: (o) => new optim.OneCycleLR(sgd(), { maxLr: 0.1, totalSteps: 10, ...(o as object) }) },
  "new CosineAnnealingWarmRestarts": { op: "CosineAnnealingWarmRestarts", real: "etaMin", call: (o) => new optim.CosineAnnealingWarmRestarts(sgd(), { T0: 5, ...(o as object) }) },
  "new SequentialLR": {
    op: "SequentialLR", real: "milestones",
    call: (o) => { const opt = sgd(); return new optim.SequentialLR(opt, { schedulers: [new optim.ConstantLR(opt)], milestones: [], ...(o as object) }); },
  },
  clipGradNorm_: { op: "clipGradNorm_", real: "errorIfNonfinite", call: (o) => optim.clipGradNorm_(pm(), 1, o) },
  // ---------------------------------------------------------------- data
  "new DataLoader": { op: "DataLoader", real: "batchSize", call: (o) => new data.DataLoader(dataset(), o) },
  "new RandomSampler": { op: "RandomSampler", real: "numSamples", call: (o) => new data.RandomSampler(dataset(), o) },
  "new SubsetRandomSampler": { op: "SubsetRandomSampler", real: "generator", call: (o) => new data.SubsetRandomSampler([0, 1], o) },
  "new WeightedRandomSampler": { op: "WeightedRandomSampler", real: "replacement", call: (o) => new data.WeightedRandomSampler([1, 2], 2, o) },
  randomSplit: { op: "randomSplit", real: "generator", call: (o) => data.randomSplit(dataset(), [2, 2], o) },
  "new Normalize": { op: "Normalize", real: "inplace", call: (o) => new data.transforms.Normalize([0], [1], o) },
  "new RandomCrop": { op: "RandomCrop", real: "padIfNeeded", call: (o) => new data.transforms.RandomCrop(2, o) },
  "new RandomHorizontalFlip": { op: "RandomHorizontalFlip", real: "generator", call: (o) => new data.transforms.RandomHorizontalFlip(0.5, o) },
  "transforms.functional.normalize": { op: "normalize", real: "inplace", call: (o) => data.transforms.functional.normalize(tg.ones([1, 2, 2]), [0], [1], o) },
  "transforms.functional.pad": { op: "pad", real: "paddingMode", call: (o) => data.transforms.functional.pad(tg.ones([1, 2, 2]), 1, o) },
  makeMoons: { op: "makeMoons", real: "nSamples", call: (o) => data.makeMoons(o) },
  makeCircles: { op: "makeCircles", real: "nSamples", call: (o) => data.makeCircles(o) },
  makeBlobs: { op: "makeBlobs", real: "clusterStd", call: (o) => data.makeBlobs(o) },
  makeSpiral: { op: "makeSpiral", real: "nClasses", call: (o) => data.makeSpiral(o) },
  makeRegression: { op: "makeRegression", real: "nInformative", call: (o) => data.makeRegression(o) },
  trainTestSplit: { op: "trainTestSplit", real: "testSize", call: (o) => data.trainTestSplit(x(), o) },
  "new StandardScaler": { op: "StandardScaler", real: "withMean", call: (o) => new data.StandardScaler(o) },
  confusionMatrix: { op: "confusionMatrix", real: "labels", call: (o) => data.confusionMatrix(labels(), labels(), o) },
  precision: { op: "precision", real: "zeroDivision", call: (o) => data.precision(labels(), labels(), o) },
  recall: { op: "recall", real: "zeroDivision", call: (o) => data.recall(labels(), labels(), o) },
  f1: { op: "f1", real: "posLabel", call: (o) => data.f1(labels(), labels(), o) },
};

/** `weightDecay` → `weight_decay`, the way a PyTorch user types it. */
const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function thrown(call: () => unknown): Error {
  try {
    call();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a throw");
}

describe("every option-taking export rejects unknown options", () => {
  const takers = optionTakers(root, ["core", "nn", "losses", "optim", "data"]);

  it("has a row (or a stated exemption) for every export that takes options, and no stale rows", () => {
    expect(takers.length).toBeGreaterThan(100);
    const missing = takers.filter((name) => !Object.hasOwn(ROWS, name) && !Object.hasOwn(EXEMPT, name));
    expect(missing, "option-taking exports without a row in ROWS").toEqual([]);
    const stale = [...Object.keys(ROWS), ...Object.keys(EXEMPT)].filter((name) => !takers.includes(name));
    expect(stale, "rows for exports the walker no longer finds").toEqual([]);
  });

  it.each(Object.entries(ROWS))("%s: { notAnOption: 1 } is a TypeError naming the op and the key", (_, row) => {
    const error = thrown(() => row.call({ notAnOption: 1 } as Opts));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message.startsWith(`${row.op}:`), error.message).toBe(true);
    expect(error.message).toContain('unknown option "notAnOption"');
    expect(error.message).toContain(row.real);
  });

  it.each(Object.entries(ROWS).filter(([, row]) => snake(row.real) !== row.real))(
    "%s: the snake_case name gets a did-you-mean hint",
    (_, row) => {
      const error = thrown(() => row.call({ [snake(row.real)]: 1 } as Opts));
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message.startsWith(`${row.op}:`), error.message).toBe(true);
      expect(error.message).toContain(`unknown option "${snake(row.real)}" (did you mean "${row.real}"?)`);
    },
  );
});
