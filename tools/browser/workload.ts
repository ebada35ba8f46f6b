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

/** What {@link threadsWorkload} computes: a product's values and a training run's losses. */
export interface ThreadsWorkload {
  product: number[];
  losses: number[];
}

/**
 * Work big enough for the thread pool to split: a 300×200 by 200×160 float32 product, and 3
 * steps of a 784-256-10 MLP on a batch of 64 (SGD with momentum, cross-entropy). Every thread
 * count, and every runtime, must give the same bits.
 */
export function threadsWorkload(): ThreadsWorkload {
  tg.manualSeed(1);
  const product = Array.from(tg.randn([300, 200]).matmul(tg.randn([200, 160])).dataSync());
  const model = new tg.nn.Sequential(new tg.nn.Linear(784, 256), new tg.nn.ReLU(), new tg.nn.Linear(256, 10));
  const opt = new tg.optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
  const [x, y] = [tg.randn([64, 784]), tg.randint(0, 10, [64])];
  const losses: number[] = [];
  for (let step = 0; step < 3; step++) {
    opt.zeroGrad();
    const loss = tg.losses.crossEntropy(model.forward(x), y);
    loss.backward();
    opt.step();
    losses.push(loss.item());
  }
  return { product, losses };
}
