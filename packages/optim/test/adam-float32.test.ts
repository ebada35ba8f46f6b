/**
 * Adam's float32 path (src/kernels/adam-f32.ts): PyTorch 1.13's float32 trajectories bit for bit
 * for every option (fixture: tools/fixtures/gen_optim_float32.py), the WebAssembly kernel and its
 * JS fallback identical element for element, across chunk and SIMD-group boundaries.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Generator, randn, tensor, type Tensor } from "@tsgrad/core";
import { Adam, AdamW } from "@tsgrad/optim";
import { loadFixture, type EncodedTensor } from "../../../tools/test-utils.js";
import { ADAM_WAT_SHA256 } from "../src/kernels/adam-bytes.js";
import { adamF32, adamF32Js, adamF32WasmAvailable, type AdamF32Arrays, type AdamF32Step } from "../src/kernels/adam-f32.js";

interface Fixture {
  init: EncodedTensor[];
  grads: EncodedTensor[][];
  cases: Array<{ optimizer: "Adam" | "AdamW"; options: Record<string, unknown>; first: EncodedTensor[]; last: EncodedTensor[] }>;
}
const fx = loadFixture<Fixture>(new URL("./fixtures/adam-float32.json", import.meta.url));
const f32 = (e: EncodedTensor, requiresGrad = false): Tensor => tensor(Float32Array.from(e.data as number[]), { shape: e.shape, requiresGrad });
/** The bits of a float32 array, so that −0 differs from 0 (every NaN as one: its sign and payload carry nothing). */
const bits = (a: Float32Array | Tensor): number[] =>
  Array.from(new Uint32Array(Float32Array.from(a instanceof Float32Array ? a : (a.dataSync() as Float32Array), (x) => (Number.isNaN(x) ? NaN : x)).buffer));

describe("float32 Adam and AdamW match PyTorch bit for bit", () => {
  for (const c of fx.cases) {
    for (const grads of ["contiguous", "transposed"] as const) {
      it(`${c.optimizer} ${JSON.stringify(c.options)}, ${grads} gradients`, () => {
        const params = fx.init.map((e) => f32(e, true));
        const opt = new (c.optimizer === "Adam" ? Adam : AdamW)(params, c.options);
        fx.grads.forEach((step, k) => {
          params.forEach((p, i) => {
            const g = f32(step[i]);
            // The same values through a non-contiguous view: the optimizer copies it contiguous first.
            p.grad = grads === "transposed" && g.ndim === 2 ? g.T.contiguous().T : g;
          });
          opt.step();
          const want = k === 0 ? c.first : k === fx.grads.length - 1 ? c.last : null;
          want?.forEach((w, i) => expect(bits(params[i]), `step ${k + 1}, param ${i}`).toEqual(bits(Float32Array.from(w.data as number[]))));
        });
      });
    }
  }
});

describe("the WebAssembly Adam kernel", () => {
  it("is built from the current adam.wat (rerun `npx tsx tools/build-wasm.ts` after editing it)", () => {
    const wat = readFileSync(new URL("../src/kernels/adam.wat", import.meta.url), "utf8");
    expect(createHash("sha256").update(wat).digest("hex")).toBe(ADAM_WAT_SHA256);
  });

  it("compiles on this runtime (Node 20 has WebAssembly SIMD), so the tests below exercise it", () => {
    expect(adamF32WasmAvailable()).toBe(true);
  });

  const gen = new Generator(5);
  const data = (n: number, scale: number): Float32Array => randn([n], { generator: gen }).mul(scale).dataSync() as Float32Array;
  /** Arrays of length n with zeros, infinities and NaN among the gradients. */
  function arrays(n: number, amsgrad: boolean): AdamF32Arrays {
    const grad = data(n, 3);
    [0, 5, 9].filter((i) => i < n).forEach((i, k) => (grad[i] = [0, Infinity, NaN][k]));
    const v = data(n, 1).map((x) => x * x);
    return { param: data(n, 1), grad, expAvg: data(n, 0.1), expAvgSq: v, maxExpAvgSq: amsgrad ? v.map((x, i) => (i % 2 ? x * 2 : x / 2)) : null };
  }
  const copy = (a: AdamF32Arrays): AdamF32Arrays => ({ param: a.param.slice(), grad: a.grad, expAvg: a.expAvg.slice(), expAvgSq: a.expAvgSq.slice(), maxExpAvgSq: a.maxExpAvgSq?.slice() ?? null });
  const base: AdamF32Step = { maximize: false, l2: 0, decay: 1, beta1: 0.9, beta2: 0.999, negStepSize: -0.01 / (1 - 0.9 ** 3), bias2Sqrt: Math.sqrt(1 - 0.999 ** 3), eps: 1e-8 };
  const variants: Array<[string, Partial<AdamF32Step>, boolean]> = [
    ["plain", {}, false],
    ["L2 weight decay, maximize", { l2: 0.1, maximize: true }, false],
    ["decoupled decay, amsgrad", { decay: 1 - 0.01 * 0.05 }, true],
    ["everything", { l2: 0.01, maximize: true, beta1: 0.5, beta2: 0.9, eps: 1e-3 }, true],
  ];
  // Lengths around a SIMD group of 4 and the 4096-element chunk the arrays are staged in.
  for (const n of [1, 3, 4, 5, 4095, 4096, 4097, 9001]) {
    for (const [name, options, amsgrad] of variants) {
      it(`equals the JS fallback: ${n} elements, ${name}`, () => {
        const input = arrays(n, amsgrad);
        const [viaWasm, viaJs] = [copy(input), copy(input)];
        const step = { ...base, ...options };
        adamF32(viaWasm, step);
        adamF32Js(viaJs, step);
        for (const key of ["param", "expAvg", "expAvgSq", "maxExpAvgSq"] as const) {
          if (viaJs[key] !== null) expect(bits(viaWasm[key]!), key).toEqual(bits(viaJs[key]!));
        }
      });
    }
  }
});
