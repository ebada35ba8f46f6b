/**
 * PyTorch's results at the edges (issue 7, "nothing silent"): int32 values that fit or overflow,
 * empty and degenerate shapes with their gradients. Expected values and refusals come from
 * tools/fixtures/gen_core_edges.py; each case here is the same call in tsgrad.
 */
import { describe, expect, it } from "vitest";
import { Tensor, arange, cat, full, linear, randint, stack, tensor, zeros, ones, grad } from "@tsgrad/core";
import { decode, expectClose, loadFixture, type EncodedTensor } from "../../../tools/test-utils.js";

interface EdgeCase {
  inputs: EncodedTensor[];
  output?: EncodedTensor;
  grads?: EncodedTensor[];
  raises?: string;
}

const fixture = loadFixture<{ cases: Record<string, EdgeCase> }>(new URL("./fixtures/core-edges.json", import.meta.url));

const I32 = { dtype: "int32" } as const;

/**
 * Each fixture case as a tsgrad call on the decoded inputs; `op` is the name a refusal's message
 * must start with.
 */
const CASES: Record<string, { run: (...xs: Tensor[]) => Tensor; op?: string }> = {
  "tensor int32 truncates": { run: () => tensor([2.7, -2.7, 2147483647.0, -2147483648.0], I32) },
  "tensor int32 3e9": { run: () => tensor([3e9], I32), op: "tensor" },
  "tensor int32 nan": { run: () => tensor([NaN], I32), op: "tensor" },
  "tensor int32 inf": { run: () => tensor([Infinity], I32), op: "tensor" },
  "tensor int32 -2^31-1": { run: () => tensor([-(2 ** 31) - 1], I32), op: "tensor" },
  "full int32 -2^31": { run: () => full([2], -(2 ** 31), I32) },
  "full int32 3e9": { run: () => full([2], 3e9, I32), op: "full" },
  "full int32 nan": { run: () => full([2], NaN, I32), op: "full" },
  "full float32 1e40": { run: () => full([2], 1e40, { dtype: "float32" }), op: "full" },
  "full float32 inf": { run: () => full([2], Infinity, { dtype: "float32" }) },
  "fill_ int32 3e9": { run: () => zeros([2], I32).fill_(3e9), op: "fill_" },
  "randint int32 full range": { run: () => randint(-(2 ** 31), 2 ** 31, [0], I32) },
  "randint int32 2^40": { run: () => randint(0, 2 ** 40, [3], I32), op: "randint" },
  "randint int32 low -2^31-1": { run: () => randint(-(2 ** 31) - 1, 0, [3], I32), op: "randint" },
  "randint low >= high": { run: () => randint(5, 5, [3]), op: "randint" },
  "sum int32 at the limit": { run: () => tensor([2 ** 30, 2 ** 30 - 1, 2 ** 30, -(2 ** 30)], I32).sum() },
  "sum int32 dim": { run: () => tensor([[1, 2, 3], [4, 5, 6]], I32).sum(1) },
  "sum bool": { run: () => tensor([true, true, false]).sum() },
  "mean int32": { run: () => tensor([1, 2], I32).mean(), op: "mean" },
  "pow int32 -2": { run: () => tensor([1, 2, 3], I32).pow(-2), op: "pow" },
  "pow int32 -1 zero base": { run: () => tensor([0, 1], I32).pow(-1), op: "pow" },
  "pow bool -1": { run: () => tensor([true]).pow(-1), op: "pow" },
  "pow int32 2": { run: () => tensor([-3, 2, 5], I32).pow(2) },
  "pow int32 tensor exponent -1": { run: () => tensor([1, 2, -1], I32).pow(tensor([-1, -1, -1], I32)) },
  "pow int32 float exponent": { run: () => tensor([1, 2, 4], I32).pow(-0.5) },
  "arange int32 at the limit": { run: () => arange(2 ** 31 - 3, 2 ** 31 - 1, 1, I32) },

  "linear in 0 with bias": { run: (w, b) => linear(ones([1, 0]), w, b) },
  "linear in 0 batch 3": { run: (x, w, b) => linear(x, w, b) },
  "linear out 0": { run: (x, w, b) => linear(x, w, b) },
  "linear batch 0": { run: (x, w, b) => linear(x, w, b) },
  "matmul k 0": { run: (a, b) => a.matmul(b) },
  "matmul k 0 float64": { run: (a, b) => a.matmul(b) },
  "matmul m 0": { run: (a, b) => a.matmul(b) },
  "matmul n 0": { run: (a, b) => a.matmul(b) },
  "matmul batched k 0": { run: (a, b) => a.matmul(b) },
  "matmul batch 0": { run: (a, b) => a.matmul(b) },
  "matmul dot of empties": { run: (a, b) => a.matmul(b) },
  "matmul vector k 0": { run: (a, b) => a.matmul(b) },
  "matmul k 0 large": { run: (a, b) => a.matmul(b) },
  "linear in 0 large": { run: (x, w, b) => linear(x, w, b) },
  "matmul int32 k 0": { run: () => ones([2, 0], I32).matmul(ones([0, 2], I32)) },
  "sum of empty": { run: (x) => x.sum() },
  "mean of empty": { run: (x) => x.mean() },
  "mean over empty dim": { run: (x) => x.mean(1) },
  "sum over empty dim": { run: (x) => x.sum(1) },
  "var of empty": { run: (x) => x.var() },
  "std of one": { run: () => tensor([1]).std() },
  "norm of empty": { run: (x) => x.norm() },
  "amax of empty": { run: (x) => x.amax(), op: "amax" },
  "max of empty": { run: (x) => x.max(), op: "max" },
  "max over empty dim": { run: (x) => x.max(0).values, op: "max" },
  "max along dim of empty": { run: (x) => x.max(1).values },
  "argmax along dim of empty": { run: () => ones([0, 3]).argmax(1) },
  "argmax over empty dim": { run: () => ones([0, 3]).argmax(0), op: "argmax" },
  "argmax of empty": { run: () => ones([0]).argmax(), op: "argmax" },
  "amin over empty dim": { run: (x) => x.amin(1), op: "amin" },
  "softmax over empty dim": { run: (x) => x.softmax(1) },
  "softmax along dim of empty": { run: (x) => x.softmax(1) },
  "logSoftmax over empty dim": { run: (x) => x.logSoftmax(1) },
  "logsumexp over empty dim": { run: (x) => x.logsumexp(1) },
  "cat of empties": { run: (a, b) => cat([a, b]) },
  "cat skips legacy empty": { run: (a, b) => cat([a, b], 1) },
  "cat of legacy empties": { run: (a, b) => cat([a, b]) },
  "cat empty with rows": { run: (a, b) => cat([a, b]) },
  "stack of empties": { run: (a, b) => stack([a, b], 1) },
  "all of empty": { run: () => ones([0]).bool().all() },
  "any of empty": { run: () => ones([0]).bool().any() },
  "prod-free reshape of empty": { run: (x) => x.reshape(3, 0, 2) },
  "reshape -1 of empty ambiguous": { run: (x) => x.reshape(-1, 0), op: "reshape" },
  "split of empty dim": { run: () => ones([0, 2]).split(1)[0] },
  "expand empty": { run: (x) => x.expand(0, 3) },
  "arange nan": { run: () => arange(0, NaN), op: "arange" },
  "arange inf end": { run: () => arange(0, Infinity), op: "arange" },
  "arange step 0": { run: () => arange(0, 1, 0), op: "arange" },
  "arange wrong sign": { run: () => arange(0, -1), op: "arange" },
  "arange empty": { run: () => arange(3, 3) },
  "arange negative float step": { run: () => arange(5, 0, -1.5) },
  "zeros 0-d": { run: () => zeros([]) },
  "zeros with a zero size": { run: () => zeros(2, 0, 3) },
  "zeros negative": { run: () => zeros(2, -1), op: "zeros" },
};

describe("edge cases against PyTorch (core-edges.json)", () => {
  it("lists every fixture case once", () => {
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(fixture.cases).sort());
  });

  for (const [name, c] of Object.entries(fixture.cases)) {
    const entry = CASES[name];
    if (!entry) continue;
    if (c.raises !== undefined) {
      it(`${name}: refuses, as PyTorch does (${c.raises})`, () => {
        const inputs = c.inputs.map((e) => decode(e));
        let caught: unknown;
        try {
          entry.run(...inputs);
        } catch (e) {
          caught = e;
        }
        expect(caught instanceof RangeError || caught instanceof TypeError, `${name}: expected a RangeError or TypeError, got ${String(caught)}`).toBe(true);
        expect((caught as Error).message.startsWith(`${entry.op}:`), (caught as Error).message).toBe(true);
      });
      continue;
    }
    it(`${name}: matches PyTorch's value${c.grads ? " and gradients" : ""}`, () => {
      const inputs = c.inputs.map((e) => decode(e, { requiresGrad: e.dtype === "float32" || e.dtype === "float64" }));
      const out = entry.run(...inputs);
      expect(out.dtype, `${name}: dtype`).toBe(c.output!.dtype);
      expectClose(out, c.output!, name);
      if (!c.grads) return;
      const upstream = arange(1, out.numel() + 1, 1, { dtype: out.dtype }).reshape(out.shape);
      const grads = grad([out], inputs, { gradOutputs: [upstream], allowUnused: true });
      c.grads.forEach((g, i) => {
        expect(grads[i], `${name}: gradient ${i}`).not.toBeNull();
        expectClose(grads[i] ?? zeros([0]), g, `${name}: gradient ${i}`);
      });
    });
  }
});
