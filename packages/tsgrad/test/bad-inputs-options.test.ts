/**
 * Issue 7: bad option values (wrong type, out of range) across the packages. Each row asserts the
 * error class, that the message starts with the op as called, and that it names the option and
 * the offending value. Unknown keys are covered for every export by unknown-options.test.ts.
 */
import { describe, it } from "vitest";
import * as tg from "tsgrad";
import { nn, losses as L, optim, data } from "tsgrad";
import { expectBadInput, type BadInputRow } from "../../../tools/test-utils.js";

const bad = (v: unknown): never => v as never;
const x = (): tg.Tensor => tg.tensor([[1, 2], [3, 4]]);
const idx = (): tg.Tensor => tg.tensor([0, 1], { dtype: "int32" });
const labels = (): tg.Tensor => tg.tensor([0, 1, 1, 0], { dtype: "int32" });
const pm = (): tg.Tensor[] => [tg.tensor([1, 2], { requiresGrad: true })];
const sgd = (): optim.SGD => new optim.SGD(pm(), { lr: 0.1 });
const withGrad = (g: number[]): tg.Tensor[] => {
  const p = tg.tensor(g.map(() => 0), { requiresGrad: true });
  p.grad = tg.tensor(g);
  return [p];
};

const ROWS: BadInputRow[] = [
  // ---------------------------------------------------------------- core
  { what: "tensor requiresGrad as a string", call: () => tg.tensor([1], { requiresGrad: bad("yes") }), error: TypeError, op: "tensor", names: ["requiresGrad", '"yes"'] },
  { what: "tensor options that are not an object", call: () => tg.tensor([1], bad("float64")), error: TypeError, op: "tensor", names: ["options must be an object", '"float64"'] },
  { what: "zeros dtype as a number", call: () => tg.zeros([2], { dtype: bad(3) }), error: TypeError, op: "zeros", names: ["dtype", "number 3"] },
  { what: "ones unknown dtype name", call: () => tg.ones([2], { dtype: bad("float16") }), error: TypeError, op: "ones", names: ['"float16"'] },
  { what: "fullLike requiresGrad as a number", call: () => tg.fullLike(x(), 1, { requiresGrad: bad(1) }), error: TypeError, op: "fullLike", names: ["requiresGrad", "number 1"] },
  { what: "arange dtype as an array", call: () => tg.arange(0, 3, 1, { dtype: bad(["int32"]) }), error: TypeError, op: "arange", names: ["dtype", "an array of length 1"] },
  { what: "randn generator as a string (issue item 9)", call: () => tg.randn([2], { generator: bad("x") }), error: TypeError, op: "randn", names: ["generator must be a Generator", '"x"'] },
  { what: "rand generator as a seed number", call: () => tg.rand([2], { generator: bad(42) }), error: TypeError, op: "rand", names: ["generator must be a Generator", "number 42"] },
  { what: "randint generator as a plain object", call: () => tg.randint(0, 3, [2], { generator: bad({}) }), error: TypeError, op: "randint", names: ["generator", "a plain object"] },
  { what: "randperm generator null", call: () => tg.randperm(3, { generator: bad(null) }), error: TypeError, op: "randperm", names: ["generator", "null"] },
  { what: "uniform_ generator as a string", call: () => x().uniform_(0, 1, { generator: bad("g") }), error: TypeError, op: "uniform_", names: ["generator", '"g"'] },
  { what: "var correction as a string", call: () => x().var(1, { correction: bad("1") }), error: TypeError, op: "var", names: ["correction", '"1"'] },
  { what: "std correction NaN", call: () => x().std(1, { correction: NaN }), error: RangeError, op: "std", names: ["correction", "NaN"] },
  { what: "var keepdim as a number", call: () => x().var(1, { keepdim: bad(1) }), error: TypeError, op: "var", names: ["keepdim", "number 1"] },
  { what: "add alpha as a string", call: () => x().add(1, { alpha: bad("2") }), error: TypeError, op: "add", names: ["alpha", '"2"'] },
  { what: "sub_ alpha as a tensor", call: () => x().sub_(1, { alpha: bad(tg.tensor(2)) }), error: TypeError, op: "sub_", names: ["alpha", "a Tensor of shape []"] },
  { what: "allclose negative rtol", call: () => x().allclose(x(), { rtol: -1 }), error: RangeError, op: "allclose", names: ["rtol", "-1"] },
  { what: "allclose equalNan as a string", call: () => x().allclose(x(), { equalNan: bad("true") }), error: TypeError, op: "allclose", names: ["equalNan", '"true"'] },
  { what: "backward retainGraph as a number", call: () => tg.tensor([1], { requiresGrad: true }).sum().backward({ retainGraph: bad(1) }), error: TypeError, op: "backward", names: ["retainGraph", "number 1"] },
  { what: "grad allowUnused as a string", call: () => { const w = tg.tensor([1], { requiresGrad: true }); return tg.grad([w.sum()], [w], { allowUnused: bad("no") }); }, error: TypeError, op: "grad", names: ["allowUnused", '"no"'] },
  { what: "zeroGrads setToNone as a number", call: () => tg.zeroGrads(pm(), { setToNone: bad(0) }), error: TypeError, op: "zeroGrads", names: ["setToNone", "number 0"] },
  { what: "gradcheck eps 0", call: () => tg.gradcheck((t) => t, [tg.tensor([1], { dtype: "float64", requiresGrad: true })], { eps: 0 }), error: RangeError, op: "gradcheck", names: ["eps", "0"] },
  { what: "gradgradcheck negative seed", call: () => tg.gradgradcheck((t) => t.mul(t), [tg.tensor([1], { dtype: "float64", requiresGrad: true })], { seed: -1 }), error: RangeError, op: "gradgradcheck", names: ["seed", "-1"] },
  // ---------------------------------------------------------------- nn
  { what: "Linear bias as a string", call: () => new nn.Linear(2, 3, { bias: bad("false") }), error: TypeError, op: "Linear", names: ["bias", '"false"'] },
  { what: "Linear int32 dtype", call: () => new nn.Linear(2, 3, { dtype: bad("int32") }), error: TypeError, op: "Linear", names: ["dtype", '"int32"', "floating-point"] },
  { what: "Linear generator as a seed", call: () => new nn.Linear(2, 3, { generator: bad(0) }), error: TypeError, op: "Linear", names: ["generator must be a Generator", "number 0"] },
  { what: "Dropout generator as a string", call: () => new nn.Dropout(0.5, { generator: bad("g") }), error: TypeError, op: "Dropout", names: ["generator", '"g"'] },
  { what: "PReLU numParameters 0", call: () => new nn.PReLU({ numParameters: 0 }), error: RangeError, op: "PReLU", names: ["numParameters", "0"] },
  { what: "PReLU init as a string", call: () => new nn.PReLU({ init: bad("0.25") }), error: TypeError, op: "PReLU", names: ["init", '"0.25"'] },
  { what: "GELU approximate unknown", call: () => new nn.GELU({ approximate: bad("erf") }), error: RangeError, op: "GELU", names: ["approximate", '"erf"'] },
  { what: "F.softplus beta Infinity", call: () => nn.F.softplus(x(), { beta: Infinity }), error: RangeError, op: "softplus", names: ["beta", "Infinity"] },
  { what: "Softplus threshold as a string", call: () => new nn.Softplus({ threshold: bad("20") }), error: TypeError, op: "Softplus", names: ["threshold", '"20"'] },
  { what: "init.kaimingNormal_ mode fan_in", call: () => nn.init.kaimingNormal_(x(), { mode: bad("fan_in") }), error: RangeError, op: "kaimingNormal_", names: ["mode", '"fan_in"'] },
  { what: "init.xavierUniform_ gain NaN", call: () => nn.init.xavierUniform_(x(), { gain: NaN }), error: RangeError, op: "xavierUniform_", names: ["gain", "NaN"] },
  { what: "init.normal_ generator as a number", call: () => nn.init.normal_(x(), 0, 1, { generator: bad(1) }), error: TypeError, op: "normal_", names: ["generator", "number 1"] },
  { what: "parameters recurse as a string", call: () => new nn.Linear(2, 2).parameters({ recurse: bad("no") }), error: TypeError, op: "parameters", names: ["recurse", '"no"'] },
  { what: "namedParameters prefix as a number", call: () => new nn.Linear(2, 2).namedParameters({ prefix: bad(1) }), error: TypeError, op: "namedParameters", names: ["prefix", "number 1"] },
  { what: "registerBuffer persistent as a number", call: () => new nn.Linear(2, 2).registerBuffer("b", tg.zeros([1]), { persistent: bad(1) }), error: TypeError, op: "registerBuffer", names: ["persistent", "number 1"] },
  { what: "loadStateDict strict as a string", call: () => { const m = new nn.Linear(2, 2); return m.loadStateDict(m.stateDict(), { strict: bad("false") }); }, error: TypeError, op: "loadStateDict", names: ["strict", '"false"'] },
  // ---------------------------------------------------------------- losses
  { what: "mseLoss reduction avg", call: () => L.mseLoss(x(), x(), { reduction: bad("avg") }), error: RangeError, op: "mseLoss", names: ["reduction", '"avg"'] },
  { what: "l1Loss reduction as a number", call: () => L.l1Loss(x(), x(), { reduction: bad(1) }), error: TypeError, op: "l1Loss", names: ["reduction", "number 1"] },
  { what: "huberLoss delta 0", call: () => L.huberLoss(x(), x(), { delta: 0 }), error: RangeError, op: "huberLoss", names: ["delta", "0"] },
  { what: "crossEntropy labelSmoothing 1.5", call: () => L.crossEntropy(x(), idx(), { labelSmoothing: 1.5 }), error: RangeError, op: "crossEntropy", names: ["labelSmoothing", "1.5"] },
  { what: "nllLoss ignoreIndex 0.5", call: () => L.nllLoss(x(), idx(), { ignoreIndex: 0.5 }), error: RangeError, op: "nllLoss", names: ["ignoreIndex", "0.5"] },
  { what: "binaryCrossEntropy weight as an array", call: () => L.binaryCrossEntropy(tg.full([2], 0.5), tg.ones([2]), { weight: bad([1, 1]) }), error: TypeError, op: "binaryCrossEntropy", names: ["weight must be a Tensor", "an array of length 2"] },
  { what: "multiMarginLoss p 3", call: () => L.multiMarginLoss(x(), idx(), { p: bad(3) }), error: RangeError, op: "multiMarginLoss", names: ["p", "3"] },
  { what: "CrossEntropyLoss reduction as a string", call: () => new L.CrossEntropyLoss({ reduction: bad("max") }), error: RangeError, op: "CrossEntropyLoss", names: ["reduction", '"max"'] },
  { what: "HingeLoss margin NaN", call: () => new L.HingeLoss({ margin: NaN }), error: RangeError, op: "HingeLoss", names: ["margin", "NaN"] },
  // ---------------------------------------------------------------- optim
  { what: "SGD negative lr", call: () => new optim.SGD(pm(), { lr: -0.1 }), error: RangeError, op: "SGD", names: ["lr", "-0.1"] },
  { what: "SGD without lr", call: () => new optim.SGD(pm(), bad({})), error: TypeError, op: "SGD", names: ["lr is required"] },
  { what: "SGD nesterov as a string", call: () => new optim.SGD(pm(), { lr: 0.1, nesterov: bad("yes") }), error: TypeError, op: "SGD", names: ["nesterov", '"yes"'] },
  { what: "Adam beta1 = 1", call: () => new optim.Adam(pm(), { betas: [1, 0.999] }), error: RangeError, op: "Adam", names: ["betas[0]", "1"] },
  { what: "Adam eps as a string", call: () => new optim.Adam(pm(), { eps: bad("1e-8") }), error: TypeError, op: "Adam", names: ["eps", '"1e-8"'] },
  { what: "AdamW amsgrad as a number", call: () => new optim.AdamW(pm(), { amsgrad: bad(1) }), error: TypeError, op: "AdamW", names: ["amsgrad", "number 1"] },
  { what: "RMSprop negative alpha", call: () => new optim.RMSprop(pm(), { alpha: -0.5 }), error: RangeError, op: "RMSprop", names: ["alpha", "-0.5"] },
  { what: "Adagrad lrDecay NaN", call: () => new optim.Adagrad(pm(), { lrDecay: NaN }), error: RangeError, op: "Adagrad", names: ["lrDecay", "NaN"] },
  { what: "Adadelta rho 1.5", call: () => new optim.Adadelta(pm(), { rho: 1.5 }), error: RangeError, op: "Adadelta", names: ["rho", "1.5"] },
  { what: "Adadelta rho as a string", call: () => new optim.Adadelta(pm(), { rho: bad("0.9") }), error: TypeError, op: "Adadelta", names: ["rho", '"0.9"'] },
  { what: "Adamax beta2 = 1", call: () => new optim.Adamax(pm(), { betas: [0.9, 1] }), error: RangeError, op: "Adamax", names: ["betas[1]", "1"] },
  { what: "Adamax negative eps", call: () => new optim.Adamax(pm(), { eps: -1 }), error: RangeError, op: "Adamax", names: ["eps", "-1"] },
  { what: "NAdam negative momentumDecay", call: () => new optim.NAdam(pm(), { momentumDecay: -0.1 }), error: RangeError, op: "NAdam", names: ["momentumDecay", "-0.1"] },
  { what: "NAdam decoupledWeightDecay as a number", call: () => new optim.NAdam(pm(), { decoupledWeightDecay: bad(1) }), error: TypeError, op: "NAdam", names: ["decoupledWeightDecay", "number 1"] },
  { what: "RAdam betas of three", call: () => new optim.RAdam(pm(), { betas: bad([0.9, 0.99, 0.999]) }), error: TypeError, op: "RAdam", names: ["betas", "two numbers"] },
  { what: "RAdam maximize as a string", call: () => new optim.RAdam(pm(), { maximize: bad("yes") }), error: TypeError, op: "RAdam", names: ["maximize", '"yes"'] },
  { what: "ASGD negative lambd", call: () => new optim.ASGD(pm(), { lambd: -1 }), error: RangeError, op: "ASGD", names: ["lambd", "-1"] },
  { what: "ASGD alpha as a string", call: () => new optim.ASGD(pm(), { alpha: bad("0.75") }), error: TypeError, op: "ASGD", names: ["alpha", '"0.75"'] },
  { what: "Rprop etas reversed", call: () => new optim.Rprop(pm(), { etas: [1.2, 0.5] }), error: RangeError, op: "Rprop", names: ["etas", "0 < etaMinus < 1 < etaPlus", "[1.2, 0.5]"] },
  { what: "Rprop stepSizes as a number", call: () => new optim.Rprop(pm(), { stepSizes: bad(0.1) }), error: TypeError, op: "Rprop", names: ["stepSizes", "number 0.1"] },
  { what: "LBFGS lineSearchFn backtracking", call: () => new optim.LBFGS(pm(), { lineSearchFn: bad("backtracking") }), error: RangeError, op: "LBFGS", names: ["lineSearchFn", '"strong_wolfe"', '"backtracking"'] },
  { what: "LBFGS maxIter 0", call: () => new optim.LBFGS(pm(), { maxIter: 0 }), error: RangeError, op: "LBFGS", names: ["maxIter", "0"] },
  { what: "LBFGS historySize 2.5", call: () => new optim.LBFGS(pm(), { historySize: 2.5 }), error: RangeError, op: "LBFGS", names: ["historySize", "2.5"] },
  { what: "LBFGS with two parameter groups", call: () => new optim.LBFGS([{ params: pm() }, { params: pm() }]), error: RangeError, op: "LBFGS", names: ["parameter groups"] },
  { what: "a parameter group's lr as a string", call: () => new optim.SGD([{ params: pm(), lr: bad("0.1") }], { lr: 0.1 }), error: TypeError, op: "SGD", names: ["lr", '"0.1"'] },
  { what: "zeroGrad setToNone as a string", call: () => sgd().zeroGrad({ setToNone: bad("yes") }), error: TypeError, op: "SGD.zeroGrad", names: ["setToNone", '"yes"'] },
  { what: "StepLR without stepSize", call: () => new optim.StepLR(sgd(), bad({})), error: TypeError, op: "StepLR", names: ["stepSize is required"] },
  { what: "StepLR stepSize 0", call: () => new optim.StepLR(sgd(), { stepSize: 0 }), error: RangeError, op: "StepLR", names: ["stepSize", "0"] },
  { what: "StepLR gamma as a string", call: () => new optim.StepLR(sgd(), { stepSize: 2, gamma: bad("0.1") }), error: TypeError, op: "StepLR", names: ["gamma", '"0.1"'] },
  { what: "MultiStepLR fractional milestone", call: () => new optim.MultiStepLR(sgd(), { milestones: [2, 2.5] }), error: TypeError, op: "MultiStepLR", names: ["milestones[1]", "number 2.5"] },
  { what: "CosineAnnealingLR tMax 1.5", call: () => new optim.CosineAnnealingLR(sgd(), { tMax: 1.5 }), error: RangeError, op: "CosineAnnealingLR", names: ["tMax", "1.5"] },
  { what: "LinearLR totalIters 0", call: () => new optim.LinearLR(sgd(), { totalIters: 0 }), error: RangeError, op: "LinearLR", names: ["totalIters", "0"] },
  { what: "ReduceLROnPlateau mode lowest", call: () => new optim.ReduceLROnPlateau(sgd(), { mode: bad("lowest") }), error: RangeError, op: "ReduceLROnPlateau", names: ["mode", '"lowest"'] },
  { what: "ReduceLROnPlateau patience -1", call: () => new optim.ReduceLROnPlateau(sgd(), { patience: -1 }), error: RangeError, op: "ReduceLROnPlateau", names: ["patience", "-1"] },
  { what: "ReduceLROnPlateau minLr list with a negative", call: () => new optim.ReduceLROnPlateau(sgd(), { minLr: [-1] }), error: RangeError, op: "ReduceLROnPlateau", names: ["minLr[0]", "-1"] },
  { what: "LambdaLR without lrLambda", call: () => new optim.LambdaLR(sgd(), bad({})), error: TypeError, op: "LambdaLR", names: ["lrLambda is required"] },
  { what: "LambdaLR lrLambda as a number", call: () => new optim.LambdaLR(sgd(), { lrLambda: bad(0.5) }), error: TypeError, op: "LambdaLR", names: ["lrLambda", "number 0.5"] },
  { what: "LambdaLR two lambdas for one group", call: () => new optim.LambdaLR(sgd(), { lrLambda: [() => 1, () => 2] }), error: RangeError, op: "LambdaLR", names: ["expected 1 values for lrLambda", "got 2"] },
  { what: "MultiplicativeLR lrLambda list with a string", call: () => new optim.MultiplicativeLR(sgd(), { lrLambda: [bad("x")] }), error: TypeError, op: "MultiplicativeLR", names: ["lrLambda[0]", '"x"'] },
  { what: "ConstantLR factor 0", call: () => new optim.ConstantLR(sgd(), { factor: 0 }), error: RangeError, op: "ConstantLR", names: ["factor", "(0, 1]", "0"] },
  { what: "ConstantLR factor 1.5", call: () => new optim.ConstantLR(sgd(), { factor: 1.5 }), error: RangeError, op: "ConstantLR", names: ["factor", "1.5"] },
  { what: "PolynomialLR power as a string", call: () => new optim.PolynomialLR(sgd(), { power: bad("2") }), error: TypeError, op: "PolynomialLR", names: ["power", '"2"'] },
  { what: "PolynomialLR totalIters 0", call: () => new optim.PolynomialLR(sgd(), { totalIters: 0 }), error: RangeError, op: "PolynomialLR", names: ["totalIters", "0"] },
  { what: "CyclicLR without maxLr", call: () => new optim.CyclicLR(sgd(), bad({ baseLr: 0.01 })), error: TypeError, op: "CyclicLR", names: ["maxLr is required"] },
  { what: "CyclicLR mode triangle", call: () => new optim.CyclicLR(sgd(), { baseLr: 0.01, maxLr: 0.1, mode: bad("triangle") }), error: RangeError, op: "CyclicLR", names: ["mode", '"triangle"', '"exp_range"'] },
  { what: "CyclicLR stepSizeUp 0", call: () => new optim.CyclicLR(sgd(), { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 0 }), error: RangeError, op: "CyclicLR", names: ["stepSizeUp", "0"] },
  { what: "CyclicLR maxLr for 2 groups of 1", call: () => new optim.CyclicLR(sgd(), { baseLr: 0.01, maxLr: [0.1, 0.2] }), error: RangeError, op: "CyclicLR", names: ["maxLr", "1 values", "got 2"] },
  { what: "CyclicLR negative baseLr in a list", call: () => new optim.CyclicLR(sgd(), { baseLr: [-1], maxLr: 0.1 }), error: RangeError, op: "CyclicLR", names: ["baseLr[0]", "-1"] },
  { what: "CyclicLR momentum cycling on Adam", call: () => new optim.CyclicLR(new optim.Adam(pm()), { baseLr: 0.01, maxLr: 0.1 }), error: TypeError, op: "CyclicLR", names: ["cycleMomentum", "Adam", "cycleMomentum: false"] },
  { what: "CyclicLR scaleFn as a string", call: () => new optim.CyclicLR(sgd(), { baseLr: 0.01, maxLr: 0.1, scaleFn: bad("x => 1") }), error: TypeError, op: "CyclicLR", names: ["scaleFn", '"x => 1"'] },
  { what: "OneCycleLR without a length", call: () => new optim.OneCycleLR(sgd(), { maxLr: 0.1 }), error: TypeError, op: "OneCycleLR", names: ["totalSteps", "epochs and stepsPerEpoch"] },
  { what: "OneCycleLR epochs without stepsPerEpoch", call: () => new optim.OneCycleLR(sgd(), { maxLr: 0.1, epochs: 3 }), error: TypeError, op: "OneCycleLR", names: ["epochs and stepsPerEpoch"] },
  { what: "OneCycleLR totalSteps 2.5", call: () => new optim.OneCycleLR(sgd(), { maxLr: 0.1, totalSteps: 2.5 }), error: RangeError, op: "OneCycleLR", names: ["totalSteps", "2.5"] },
  { what: "OneCycleLR pctStart 1.5", call: () => new optim.OneCycleLR(sgd(), { maxLr: 0.1, totalSteps: 10, pctStart: 1.5 }), error: RangeError, op: "OneCycleLR", names: ["pctStart", "1.5"] },
  { what: "OneCycleLR annealStrategy cosine", call: () => new optim.OneCycleLR(sgd(), { maxLr: 0.1, totalSteps: 10, annealStrategy: bad("cosine") }), error: RangeError, op: "OneCycleLR", names: ["annealStrategy", '"cos"', '"cosine"'] },
  { what: "OneCycleLR on Adagrad cycling momentum", call: () => new optim.OneCycleLR(new optim.Adagrad(pm()), { maxLr: 0.1, totalSteps: 10 }), error: TypeError, op: "OneCycleLR", names: ["cycleMomentum", "Adagrad"] },
  { what: "CosineAnnealingWarmRestarts without T0", call: () => new optim.CosineAnnealingWarmRestarts(sgd(), bad({})), error: TypeError, op: "CosineAnnealingWarmRestarts", names: ["T0 is required"] },
  { what: "CosineAnnealingWarmRestarts T0 0", call: () => new optim.CosineAnnealingWarmRestarts(sgd(), { T0: 0 }), error: RangeError, op: "CosineAnnealingWarmRestarts", names: ["T0", "0"] },
  { what: "CosineAnnealingWarmRestarts TMult 1.5", call: () => new optim.CosineAnnealingWarmRestarts(sgd(), { T0: 2, TMult: 1.5 }), error: RangeError, op: "CosineAnnealingWarmRestarts", names: ["TMult", "1.5"] },
  { what: "CosineAnnealingWarmRestarts step(-1)", call: () => new optim.CosineAnnealingWarmRestarts(sgd(), { T0: 2 }).step(-1), error: RangeError, op: "CosineAnnealingWarmRestarts.step", names: ["epoch", "-1"] },
  { what: "SequentialLR milestones count", call: () => { const o = sgd(); return new optim.SequentialLR(o, { schedulers: [new optim.ConstantLR(o), new optim.StepLR(o, { stepSize: 2 })], milestones: [] }); }, error: RangeError, op: "SequentialLR", names: ["expected 1 milestones", "got 0"] },
  { what: "SequentialLR scheduler of another optimizer", call: () => new optim.SequentialLR(sgd(), { schedulers: [new optim.ConstantLR(sgd())], milestones: [] }), error: RangeError, op: "SequentialLR", names: ["same optimizer", "schedulers[0]"] },
  { what: "SequentialLR with ReduceLROnPlateau", call: () => { const o = sgd(); return new optim.SequentialLR(o, { schedulers: [bad(new optim.ReduceLROnPlateau(o))], milestones: [] }); }, error: TypeError, op: "SequentialLR", names: ["schedulers[0]", "ReduceLROnPlateau"] },
  { what: "ChainedScheduler of nothing", call: () => new optim.ChainedScheduler([]), error: TypeError, op: "ChainedScheduler", names: ["non-empty array", "empty array"] },
  { what: "ChainedScheduler of two optimizers", call: () => new optim.ChainedScheduler([new optim.ConstantLR(sgd()), new optim.ConstantLR(sgd())]), error: RangeError, op: "ChainedScheduler", names: ["same optimizer", "schedulers[1]"] },
  { what: "clipGradNorm_ normType 0", call: () => optim.clipGradNorm_(pm(), 1, { normType: 0 }), error: RangeError, op: "clipGradNorm_", names: ["normType", "0"] },
  { what: "clipGradNorm_ errorIfNonfinite as a number", call: () => optim.clipGradNorm_(pm(), 1, { errorIfNonfinite: bad(1) }), error: TypeError, op: "clipGradNorm_", names: ["errorIfNonfinite", "number 1"] },
  { what: "clipGradNorm_ errorIfNonfinite with an infinite norm", call: () => optim.clipGradNorm_(withGrad([1, Infinity]), 1, { errorIfNonfinite: true }), error: RangeError, op: "clipGradNorm_", names: ["total norm of order 2", "Infinity"] },
  { what: "clipGradNorm_ errorIfNonfinite with a NaN norm", call: () => optim.clipGradNorm_(withGrad([NaN, 1]), 1, { normType: Infinity, errorIfNonfinite: true }), error: RangeError, op: "clipGradNorm_", names: ["order Infinity", "NaN"] },
  // ---------------------------------------------------------------- data
  { what: "DataLoader batchSize 0", call: () => new data.DataLoader(new data.TensorDataset(tg.zeros([4])), { batchSize: 0 }), error: RangeError, op: "DataLoader", names: ["batchSize", "0"] },
  { what: "DataLoader shuffle as a string", call: () => new data.DataLoader(new data.TensorDataset(tg.zeros([4])), { shuffle: bad("true") }), error: TypeError, op: "DataLoader", names: ["shuffle", '"true"'] },
  { what: "DataLoader collateFn as an object", call: () => new data.DataLoader(new data.TensorDataset(tg.zeros([4])), { collateFn: bad({}) }), error: TypeError, op: "DataLoader", names: ["collateFn", "a plain object"] },
  { what: "makeMoons noise negative", call: () => data.makeMoons({ noise: -0.1 }), error: RangeError, op: "makeMoons", names: ["noise", "-0.1"] },
  { what: "makeMoons dtype int32", call: () => data.makeMoons({ dtype: bad("int32") }), error: TypeError, op: "makeMoons", names: ["dtype", '"int32"'] },
  { what: "makeCircles factor 1", call: () => data.makeCircles({ factor: 1 }), error: RangeError, op: "makeCircles", names: ["factor", "1"] },
  { what: "makeSpiral shuffle as a number", call: () => data.makeSpiral({ shuffle: bad(1) }), error: TypeError, op: "makeSpiral", names: ["shuffle", "number 1"] },
  { what: "makeBlobs randomState as a string", call: () => data.makeBlobs({ randomState: bad("0") }), error: TypeError, op: "makeBlobs", names: ["randomState", '"0"'] },
  { what: "makeRegression outlierFraction 1.5", call: () => data.makeRegression({ outlierFraction: 1.5 }), error: RangeError, op: "makeRegression", names: ["outlierFraction", "1.5"] },
  { what: "makeRegression bias Infinity", call: () => data.makeRegression({ bias: Infinity }), error: RangeError, op: "makeRegression", names: ["bias", "Infinity"] },
  { what: "trainTestSplit shuffle as a string", call: () => data.trainTestSplit(x(), { shuffle: bad("no") }), error: TypeError, op: "trainTestSplit", names: ["shuffle", '"no"'] },
  { what: "StandardScaler withMean as a number", call: () => new data.StandardScaler({ withMean: bad(0) }), error: TypeError, op: "StandardScaler", names: ["withMean", "number 0"] },
  { what: "f1 average samples", call: () => data.f1(labels(), labels(), { average: bad("samples") }), error: RangeError, op: "f1", names: ["average", '"samples"'] },
  { what: "precision zeroDivision 2", call: () => data.precision(labels(), labels(), { zeroDivision: bad(2) }), error: RangeError, op: "precision", names: ["zeroDivision", "2"] },
  { what: "recall posLabel as a string", call: () => data.recall(labels(), labels(), { posLabel: bad("1") }), error: TypeError, op: "recall", names: ["posLabel", '"1"'] },
];

describe("bad option values give clear errors", () => {
  it.each(ROWS.map((row) => [row.what, row] as const))("%s", (_, row) => expectBadInput(row));
});
