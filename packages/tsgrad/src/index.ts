/**
 * tsgrad — a PyTorch-like reverse-mode autograd framework for TypeScript. A PyTorch user writes a
 * training script by camelCasing what they already know: `torch.no_grad()` is `tg.noGrad(() => …)`,
 * `optimizer.zero_grad()` is `optimizer.zeroGrad()`.
 *
 * ## Install
 *
 * ```sh
 * npm install tsgrad
 * ```
 *
 * ## The namespaces
 *
 * | tsgrad | PyTorch | what is there |
 * |---|---|---|
 * | {@link tg!} | `torch` | `Tensor` and its methods, creation (`tensor`, `zeros`, `randn`, …), functional ops (`tg.exp(x)`), autograd (`noGrad`, `grad`, `AutogradFunction`, `gradcheck`, `detectAnomaly`, `checkpoint`, `autograd.functional`), random (`manualSeed`, `Generator`), `save` / `load` |
 * | {@link tg.nn!} | `torch.nn` | `Module`, `Parameter`, the layers (`Linear`, `Sequential`, activations, …), `F` (functional), `init` |
 * | {@link tg.losses!} | `torch.nn` losses, `F.*_loss` | functional losses (`crossEntropy`, `mseLoss`, …) and their `Loss` classes (`CrossEntropyLoss`, …) |
 * | {@link tg.optim!} | `torch.optim` | `SGD`, `Adam`, `AdamW`, `RMSprop`, `Adagrad`, the lr schedulers, `clipGradNorm_` |
 * | {@link tg.data!} | `torch.utils.data` (and scikit-learn's helpers) | `TensorDataset`, `Subset`, `randomSplit`, samplers, `DataLoader`, `transforms`, toy datasets, `trainTestSplit`, `StandardScaler`, metrics |
 *
 * Each namespace is also its own package (`@tsgrad/core`, `@tsgrad/nn`, …) for those who want less.
 *
 * ## Guides
 *
 * Start with the guides' index, "Guides" in this site's menu (docs/README.md in the repository),
 * which lists them in reading order: getting started, for PyTorch users, the "PyTorch → tsgrad"
 * table of names, the cheat sheet of activations and losses, custom layers, autograd internals,
 * adding an op, benchmarks.
 *
 * @example A first model
 * ```ts
 * import * as tg from "tsgrad";
 * tg.manualSeed(0);
 * const model = new tg.nn.Sequential(new tg.nn.Linear(2, 16), new tg.nn.ReLU(), new tg.nn.Linear(16, 1));
 * const optimizer = new tg.optim.Adam(model.parameters(), { lr: 1e-2 });
 * const x = tg.randn([64, 2]);
 * const y = x.sum(1, true);                       // learn y = x₀ + x₁
 * for (let step = 0; step < 200; step++) {
 *   optimizer.zeroGrad();
 *   const loss = tg.losses.mseLoss(model.forward(x), y);
 *   loss.backward();
 *   optimizer.step();
 * }
 * tg.losses.mseLoss(model.forward(x), y).item() < 0.01; // true
 * ```
 * @packageDocumentation
 * @module tsgrad
 */
export * from "@tsgrad/core";
export * as nn from "@tsgrad/nn";
export * as losses from "@tsgrad/losses";
export * as optim from "@tsgrad/optim";
export * as data from "@tsgrad/data";
