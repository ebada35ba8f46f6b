/**
 * Quickstart: fit y = 3x − 2 (plus noise) with tensors, backward() and a hand-written
 * gradient-descent update — no nn, no optim, just the autograd core.
 *
 *   pnpm tsx --conditions=@tsgrad/source examples/quickstart.ts [--epochs N] [--seed S]
 */
import { tensor, randn, rand, manualSeed, noGrad } from "@tsgrad/core";
import { runIfMain } from "./cli.js";

export function fitLine(epochs: number, seed: number): { w: number; b: number; loss: number } {
  manualSeed(seed);
  const x = rand([200, 1]).mul(4).sub(2);                // x ~ U(-2, 2)
  const y = x.mul(3).sub(2).add(randn([200, 1]).mul(0.1)); // y = 3x − 2 + noise

  const w = tensor([[0]], { requiresGrad: true });
  const b = tensor([0], { requiresGrad: true });
  const lr = 0.1;
  let loss = Infinity;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const pred = x.matmul(w).add(b);
    const mse = pred.sub(y).square().mean();
    mse.backward();
    noGrad(() => {
      w.sub_(w.grad!.mul(lr));
      b.sub_(b.grad!.mul(lr));
    });
    w.grad = null;
    b.grad = null;
    loss = mse.item();
  }
  return { w: w.item(), b: b.item(), loss };
}

runIfMain(import.meta.url, async (args) => {
  const { w, b, loss } = fitLine(args.epochs, args.seed);
  console.log(`quickstart: learned y = ${w.toFixed(4)}·x ${b < 0 ? "−" : "+"} ${Math.abs(b).toFixed(4)}  (true: y = 3x − 2), final MSE ${loss.toFixed(5)}`);
}, { epochs: 200, seed: 0 });
