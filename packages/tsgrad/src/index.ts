/**
 * tsgrad — a PyTorch-like reverse-mode autograd framework for TypeScript.
 *
 * The umbrella package: core's tensors and autograd at the top level, the other packages as
 * namespaces.
 *
 * @example
 * ```ts
 * import * as tg from "tsgrad";
 * const model = new tg.nn.Sequential(new tg.nn.Linear(2, 16), new tg.nn.ReLU(), new tg.nn.Linear(16, 1));
 * const opt = new tg.optim.Adam(model.parameters(), { lr: 1e-2 });
 * const loss = tg.losses.mseLoss(model.forward(tg.randn([8, 2])), tg.zeros([8, 1]));
 * loss.backward();
 * opt.step();
 * ```
 * @packageDocumentation
 * @module tsgrad
 */
export * from "@tsgrad/core";
export * as nn from "@tsgrad/nn";
export * as losses from "@tsgrad/losses";
export * as optim from "@tsgrad/optim";
export * as data from "@tsgrad/data";
