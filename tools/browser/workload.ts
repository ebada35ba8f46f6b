/**
 * A deterministic training run for comparing runtimes: the article's moons MLP (2-16-16-1, ReLU,
 * GELU, BCE on logits, Adam), 5 epochs. Node and Chromium (with and without the strict CSP) must
 * give the very same losses, bit for bit.
 */
import * as tg from "tsgrad";

/** The loss of every step, and the trained model's accuracy on the training points. */
export function trainMoons(): { losses: number[]; accuracy: number } {
  tg.manualSeed(0);
  const { X, y } = tg.data.makeMoons({ nSamples: 256, noise: 0.2, randomState: 0 });
  const target = y.float().unsqueeze(1);
  const model = new tg.nn.Sequential(new tg.nn.Linear(2, 16), new tg.nn.ReLU(), new tg.nn.Linear(16, 16), new tg.nn.GELU(), new tg.nn.Linear(16, 1));
  const opt = new tg.optim.Adam(model.parameters(), { lr: 0.02 });
  const loader = new tg.data.DataLoader(new tg.data.TensorDataset(X, target), { batchSize: 32, shuffle: true, generator: new tg.Generator(0) });
  const losses: number[] = [];
  for (let epoch = 0; epoch < 5; epoch++) {
    for (const [xb, yb] of loader) {
      opt.zeroGrad();
      const loss = tg.losses.binaryCrossEntropyWithLogits(model.forward(xb), yb);
      loss.backward();
      opt.step();
      losses.push(loss.item());
    }
  }
  const predicted = tg.noGrad(() => model.forward(X).gt(0).float());
  return { losses, accuracy: predicted.eq(target).float().mean().item() };
}
