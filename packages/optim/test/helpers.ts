/** Shared pieces of the optim tests: building optimizers from fixture specs and the fixed gradient. */
import { Tensor, tensor } from "@tsgrad/core";
import { SGD, Adam, AdamW, RMSprop, Adagrad, Adadelta, Adamax, NAdam, RAdam, ASGD, Rprop, type Optimizer } from "@tsgrad/optim";

/** The optimizer classes by the names the fixtures use (LBFGS, which steps by closure, has its own test). */
export const OPTIMIZERS = { SGD, Adam, AdamW, RMSprop, Adagrad, Adadelta, Adamax, NAdam, RAdam, ASGD, Rprop };
export type OptimizerName = keyof typeof OPTIMIZERS;

/** A param group as the fixtures write it: parameter indices plus option overrides. */
export type GroupSpec = { params: number[] } & Record<string, unknown>;

type AnyOptimizerClass = new (params: unknown, options: Record<string, unknown>) => Optimizer;

/** `new <kind>(params | groups, options)`, with groups given as indices into `params`. */
export function makeOptimizer(kind: OptimizerName, params: Tensor[], options: Record<string, unknown>, groups: GroupSpec[] | null = null): Optimizer {
  const Cls = OPTIMIZERS[kind] as unknown as AnyOptimizerClass;
  const arg = groups === null ? params : groups.map((g) => ({ ...g, params: g.params.map((i) => params[i]) }));
  return new Cls(arg, options);
}

/** `a * (p - t) + 0.05 * p³`, elementwise in float64: the fixtures' gradient (same operation order). */
export function fixedGrad(p: Tensor, a: Tensor, t: Tensor): Tensor {
  const pv = p.dataSync();
  const av = a.dataSync();
  const tv = t.dataSync();
  const out = new Float64Array(pv.length);
  for (let i = 0; i < out.length; i++) out[i] = av[i] * (pv[i] - tv[i]) + 0.05 * (pv[i] * pv[i] * pv[i]);
  return tensor(out, { shape: p.shape, dtype: "float64" });
}

/** A detached float64 copy of `t` that requires grad (a fresh parameter). */
export function freshParam(t: Tensor): Tensor {
  return tensor(t.dataSync().slice(), { shape: t.shape, dtype: t.dtype, requiresGrad: true });
}
