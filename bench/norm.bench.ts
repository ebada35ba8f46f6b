/**
 * Normalization benchmark (not a test): the fused batchNorm / layerNorm ops of @tsgrad/nn against
 * the same formula composed of core ops, forward and forward + backward. Mean of 10 runs after two
 * warm-ups.
 *
 *   npx tsx --conditions=@tsgrad/source bench/norm.bench.ts
 */
import { randn, Tensor } from "@tsgrad/core";
import { F } from "@tsgrad/nn";
function composedBN(x: Tensor, w: Tensor, b: Tensor): Tensor {
  const dims = [0, 2, 3];
  const mean = x.mean(dims, true);
  const c = x.sub(mean);
  const v = c.square().mean(dims, true);
  return c.mul(v.add(1e-5).rsqrt()).mul(w.reshape([1, -1, 1, 1])).add(b.reshape([1, -1, 1, 1]));
}
function composedLN(x: Tensor, w: Tensor, b: Tensor): Tensor {
  const mean = x.mean(-1, true);
  const c = x.sub(mean);
  const v = c.square().mean(-1, true);
  return c.mul(v.add(1e-5).rsqrt()).mul(w).add(b);
}
function time(name: string, fn: () => void, reps = 10): number {
  fn(); fn();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) fn();
  const ms = (performance.now() - t0) / reps;
  console.log(name, ms.toFixed(2), "ms");
  return ms;
}
const x = randn([64, 16, 28, 28], { requiresGrad: true });
const w = randn([16], { requiresGrad: true }), b = randn([16], { requiresGrad: true });
const g = randn(x.shape);
time("bn fused fwd", () => F.batchNorm(x.detach(), null, null, { weight: w.detach(), bias: b.detach(), training: true }));
time("bn composed fwd", () => composedBN(x.detach(), w.detach(), b.detach()));
time("bn fused fwd+bwd", () => F.batchNorm(x, null, null, { weight: w, bias: b, training: true }).backward(g));
time("bn composed fwd+bwd", () => composedBN(x, w, b).backward(g));
const xl = randn([32 * 50, 128], { requiresGrad: true });
const wl = randn([128], { requiresGrad: true }), bl = randn([128], { requiresGrad: true });
const gl = randn(xl.shape);
time("ln fused fwd", () => F.layerNorm(xl.detach(), [128], { weight: wl.detach(), bias: bl.detach() }));
time("ln composed fwd", () => composedLN(xl.detach(), wl.detach(), bl.detach()));
time("ln fused fwd+bwd", () => F.layerNorm(xl, [128], { weight: wl, bias: bl }).backward(gl));
time("ln composed fwd+bwd", () => composedLN(xl, wl, bl).backward(gl));
