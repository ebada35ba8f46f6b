/**
 * Without WebAssembly (a runtime without it, or a CSP that forbids compiling) float32 Adam runs
 * its JS fallback, and still matches PyTorch's float32 trajectories bit for bit. Its own file: the
 * kernel is loaded once per module graph, and vitest gives each test file a fresh one.
 */
import { afterAll, describe, expect, it } from "vitest";
import { tensor } from "@tsgrad/core";
import { Adam, AdamW } from "@tsgrad/optim";
import { loadFixture, type EncodedTensor } from "../../../tools/test-utils.js";
import { adamF32WasmAvailable } from "../src/kernels/adam-f32.js";

interface Fixture {
  init: EncodedTensor[];
  grads: EncodedTensor[][];
  cases: Array<{ optimizer: "Adam" | "AdamW"; options: Record<string, unknown>; last: EncodedTensor[] }>;
}
const fx = loadFixture<Fixture>(new URL("./fixtures/adam-float32.json", import.meta.url));
const holder = globalThis as { WebAssembly?: unknown };
const saved = holder.WebAssembly;
holder.WebAssembly = undefined;
afterAll(() => {
  holder.WebAssembly = saved;
});

describe("float32 Adam without WebAssembly", () => {
  it("takes the JS fallback", () => {
    expect(adamF32WasmAvailable()).toBe(false);
  });

  for (const c of fx.cases) {
    it(`${c.optimizer} ${JSON.stringify(c.options)} matches PyTorch bit for bit`, () => {
      const params = fx.init.map((e) => tensor(Float32Array.from(e.data as number[]), { shape: e.shape, requiresGrad: true }));
      const opt = new (c.optimizer === "Adam" ? Adam : AdamW)(params, c.options);
      for (const step of fx.grads) {
        params.forEach((p, i) => (p.grad = tensor(Float32Array.from(step[i].data as number[]), { shape: step[i].shape })));
        opt.step();
      }
      params.forEach((p, i) => expect(Array.from(p.dataSync()), `param ${i}`).toEqual(c.last[i].data));
    });
  }
});
