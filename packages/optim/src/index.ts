/**
 * @tsgrad/optim — optimizers, learning-rate schedulers and gradient clipping, like `torch.optim`.
 *
 * Each optimizer class validates its options and keeps param groups and state in the shared
 * {@link Optimizer} base; the math is one small pure update function per algorithm
 * ({@link sgdUpdate}, {@link adamUpdate}, ...) that runs in place on the parameters' typed arrays,
 * with PyTorch 1.13's order of operations.
 *
 * @example
 * ```ts
 * import { tensor } from "@tsgrad/core";
 * import { Adam, StepLR } from "@tsgrad/optim";
 * const w = tensor([1, -2], { requiresGrad: true });
 * const opt = new Adam([w], { lr: 0.1 });
 * const sched = new StepLR(opt, { stepSize: 10 });
 * for (let epoch = 0; epoch < 30; epoch++) {
 *   opt.zeroGrad();
 *   w.mul(w).sum().backward();
 *   opt.step();
 *   sched.step();
 * }
 * ```
 * @packageDocumentation
 * @module tg.optim
 */
export {
  Optimizer, type OptimizerOptions, type ParamGroup, type ParamGroupInput, type Params, type ParamState,
  type OptimizerStateDict, type FloatArray,
} from "./optimizer.js";
export { type TorchOptimizerStateDict } from "./torch-state.js";
export { SGD, sgdUpdate, type SGDOptions, type SGDState } from "./sgd.js";
export { Adam, AdamW, adamUpdate, type AdamOptions, type AdamState, type AdamBuffers } from "./adam.js";
export { RMSprop, rmspropUpdate, type RMSpropOptions, type RMSpropState, type RMSpropBuffers } from "./rmsprop.js";
export { Adagrad, adagradUpdate, type AdagradOptions, type AdagradState } from "./adagrad.js";
export { Adadelta, adadeltaUpdate, type AdadeltaOptions, type AdadeltaState } from "./adadelta.js";
export {
  Adamax, adamaxUpdate, NAdam, nadamUpdate, RAdam, radamUpdate,
  type AdamLikeOptions, type AdamaxOptions, type AdamaxState, type NAdamOptions, type NAdamState, type RAdamOptions, type RAdamState,
} from "./adam-variants.js";
export { ASGD, asgdUpdate, Rprop, rpropUpdate, type ASGDOptions, type ASGDState, type RpropOptions, type RpropState } from "./asgd-rprop.js";
export { LBFGS, type LBFGSOptions, type LBFGSState } from "./lbfgs.js";
export {
  LRSchedulerBase, LRScheduler, StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, LinearLR, ReduceLROnPlateau,
  type SchedulerStateDict, type StepLROptions, type MultiStepLROptions, type ExponentialLROptions,
  type CosineAnnealingLROptions, type LinearLROptions, type ReduceLROnPlateauOptions,
} from "./lr-scheduler.js";
export {
  LambdaLR, MultiplicativeLR, ConstantLR, PolynomialLR,
  type LrLambda, type LambdaLROptions, type ConstantLROptions, type PolynomialLROptions,
} from "./lr-scheduler-factor.js";
export {
  CyclicLR, OneCycleLR, CosineAnnealingWarmRestarts,
  type CyclicLROptions, type OneCycleLROptions, type CosineAnnealingWarmRestartsOptions,
} from "./lr-scheduler-cyclic.js";
export { SequentialLR, ChainedScheduler, type SequentialLROptions } from "./lr-scheduler-compose.js";
export { clipGradNorm_, clipGradValue_, type ClipGradNormOptions } from "./clip-grad.js";
