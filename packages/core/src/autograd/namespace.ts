/**
 * PyTorch's `torch.autograd` names that are not also top-level: `autograd.functional` (Jacobians,
 * Hessians and their vector products of whole functions), and anomaly detection under its
 * PyTorch path (`autograd.detectAnomaly`, also exported top-level).
 *
 * @example
 * ```ts
 * autograd.functional.jacobian((x) => x.mul(3), tensor([1, 2])); // → [[3, 0], [0, 3]]
 * ```
 * @module autograd
 */
export * as functional from "./functional.js";
export { detectAnomaly, setDetectAnomaly, isAnomalyEnabled } from "./anomaly.js";
