/**
 * The public names of ../shared/DESIGN.md are the contract: this test fails if one is renamed or
 * dropped from the umbrella package.
 */
import { describe, expect, it } from "vitest";
import * as tg from "tsgrad";

const words = (s: string): string[] => s.trim().split(/\s+/);

const CONTRACT: Record<string, [object, string[]]> = {
  core: [tg, words(`tensor zeros ones empty full zerosLike onesLike fullLike arange linspace eye rand randn randint randperm
    manualSeed Generator cat stack where noGrad enableGrad isGradEnabled grad gradcheck AutogradFunction Tensor`)],
  nn: [tg.nn, words(`Module Parameter Linear Sequential ModuleList ModuleDict ParameterList ParameterDict Flatten Dropout Identity
    ReLU LeakyReLU PReLU ELU SiLU Swish GELU Sigmoid Tanh Softmax LogSoftmax Softplus Step F functional init`)],
  F: [tg.nn.F, words("relu leakyRelu elu prelu silu gelu softplus sigmoid tanh softmax logSoftmax step linear dropout")],
  init: [tg.nn.init, words(`xavierUniform_ xavierNormal_ kaimingUniform_ kaimingNormal_ uniform_ normal_ zeros_ ones_ constant_
    calculateGain truncNormal_ orthogonal_ sparse_ dirac_ eye_`)],
  losses: [tg.losses, words(`mseLoss l1Loss huberLoss smoothL1Loss binaryCrossEntropy binaryCrossEntropyWithLogits crossEntropy
    nllLoss hingeLoss multiMarginLoss perceptronLoss zeroOneLoss MSELoss L1Loss HuberLoss SmoothL1Loss BCELoss BCEWithLogitsLoss
    CrossEntropyLoss NLLLoss HingeLoss`)],
  optim: [tg.optim, words("Optimizer SGD Adam AdamW RMSprop Adagrad StepLR ExponentialLR CosineAnnealingLR ReduceLROnPlateau clipGradNorm_")],
  data: [tg.data, words(`Dataset TensorDataset DataLoader makeMoons makeBlobs makeCircles makeSpiral makeRegression trainTestSplit
    StandardScaler accuracy`)],
  "Tensor methods": [tg.Tensor.prototype, words(`backward detach requiresGrad_ item toArray dataSync add sub mul div pow neg exp log
    sqrt abs sign sigmoid tanh relu clamp maximum minimum eq ne lt le gt ge matmul sum mean amax amin max argmax logsumexp var std
    softmax logSoftmax reshape view flatten transpose permute squeeze unsqueeze expand contiguous gather indexSelect narrow to clone
    toString zero_ fill_ add_ mul_ copy_ numel shape dtype ndim requiresGrad grad gradFn isLeaf T registerHook retainGrad retainsGrad`)],
  "Module methods": [new tg.nn.Linear(1, 1), words(`forward parameters namedParameters children namedChildren modules train eval
    zeroGrad apply registerBuffer stateDict loadStateDict toString registerParameter registerModule addModule getSubmodule getParameter
    getBuffer buffers namedBuffers requiresGrad_ registerForwardPreHook registerForwardHook registerFullBackwardHook`)],
};

describe("DESIGN.md's public API", () => {
  for (const [where, [target, names]] of Object.entries(CONTRACT)) {
    it(`${where} has every contract name`, () => {
      const instance = target === tg.Tensor.prototype ? tg.tensor([1]) : target;
      const missing = names.filter((n) => !(n in (instance as object)));
      expect(missing).toEqual([]);
    });
  }
});
