/**
 * Pooling layers and functional forms against PyTorch (outputs, argmax indices incl. ties,
 * constant planes, -Infinity and NaN; input gradients; float64 to 1e-10, float32 to 1e-5; the
 * printed form), float64 gradcheck and gradgradcheck of every functional form, and edge shapes.
 */
import { describe, it, expect } from "vitest";
import { Tensor, ValuesIndices, gradcheck, gradgradcheck, randn, tensor, zeros } from "@tsgrad/core";
import * as nn from "@tsgrad/nn";
import { F, Module } from "@tsgrad/nn";
import { decode, expectClose, loadFixture, type EncodedTensor } from "../../../tools/test-utils.js";

interface PoolCase {
  layer: string;
  args: unknown[];
  options: Record<string, unknown>;
  dtype: "float32" | "float64";
  repr: string;
  x: EncodedTensor;
  indices: EncodedTensor | null;
  outputSize: number[] | null;
  y: EncodedTensor;
  yIndices: EncodedTensor | null;
  gout: EncodedTensor;
  gx: EncodedTensor;
}
const fixture = loadFixture<{ layers: PoolCase[] }>(new URL("./fixtures/pooling.json", import.meta.url));

type PoolLayer = Module & { forward(x: Tensor, ...rest: unknown[]): Tensor | ValuesIndices };
type LayerCtor = new (...args: unknown[]) => PoolLayer;

/** PyTorch's repr in tsgrad's spelling: camelCase names, JS booleans and null. */
function tsgradRepr(repr: string): string {
  return repr
    .replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())
    .replace(/False/g, "false").replace(/True/g, "true").replace(/None/g, "null");
}

describe("pooling layers match PyTorch", () => {
  for (const c of fixture.layers) {
    const title = `${c.layer}(${c.args.map((a) => JSON.stringify(a)).join(", ")}, ${JSON.stringify(c.options)}) on [${c.x.shape.join(", ")}] ${c.dtype}`;
    it(title, () => {
      const Ctor = (nn as unknown as Record<string, LayerCtor>)[c.layer];
      const layer = new Ctor(...c.args, c.options);
      expect(String(layer)).toBe(tsgradRepr(c.repr));
      expect(Object.keys(layer.stateDict())).toEqual([]);
      const x = decode(c.x, { requiresGrad: true });
      const res = c.indices ? layer.forward(x, decode(c.indices, { dtype: "int32" }), c.outputSize ?? undefined) : layer.forward(x);
      const [y, idx] = res instanceof ValuesIndices ? [res.values, res.indices] : [res, null];
      const [rtol, atol] = c.dtype === "float64" ? [1e-10, 1e-10] : [1e-5, 1e-5];
      expect(y.dtype).toBe(c.dtype);
      expectClose(y, c.y, `${c.layer} forward`, rtol, atol);
      if (c.yIndices) {
        expect(idx, "returnIndices gives indices").not.toBeNull();
        expect(idx!.dtype).toBe("int32");
        expect(idx!.toArray()).toEqual(decode(c.yIndices, { dtype: "int32" }).toArray());
      } else {
        expect(idx).toBeNull();
      }
      y.backward(decode(c.gout));
      expectClose(x.grad!, c.gx, `${c.layer} dx`, rtol, atol);
    });
  }
});

const f64 = (shape: number[]): Tensor => randn(shape, { dtype: "float64", requiresGrad: true });
const pos64 = (shape: number[]): Tensor => randn(shape, { dtype: "float64" }).abs().add(0.5).requiresGrad_(true);

const GRAD_CASES: Array<[string, (x: Tensor) => Tensor, () => Tensor]> = [
  ["maxPool1d", (x) => F.maxPool1d(x, 3, { stride: 2, padding: 1, dilation: 1, ceilMode: true }), () => f64([2, 2, 9])],
  ["maxPool2d", (x) => F.maxPool2d(x, [3, 2], { stride: [2, 1], padding: 1, dilation: [1, 2] }), () => f64([1, 2, 7, 6])],
  ["maxPool2d unbatched", (x) => F.maxPool2d(x, 2), () => f64([2, 4, 4])],
  ["maxPool2d 2×2 (the unrolled kernel), odd sizes", (x) => F.maxPool2d(x, 2, { stride: 2 }), () => f64([2, 3, 5, 7])],
  ["avgPool1d", (x) => F.avgPool1d(x, 3, { stride: 2, padding: 1, countIncludePad: false, ceilMode: true }), () => f64([2, 2, 8])],
  ["avgPool2d", (x) => F.avgPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true }), () => f64([1, 2, 7, 6])],
  ["avgPool2d divisorOverride", (x) => F.avgPool2d(x, 2, { divisorOverride: 3 }), () => f64([1, 2, 4, 4])],
  ["adaptiveAvgPool1d", (x) => F.adaptiveAvgPool1d(x, 3), () => f64([2, 2, 7])],
  ["adaptiveAvgPool2d", (x) => F.adaptiveAvgPool2d(x, [3, 2]), () => f64([1, 2, 7, 5])],
  ["adaptiveMaxPool1d", (x) => F.adaptiveMaxPool1d(x, 3), () => f64([2, 2, 7])],
  ["adaptiveMaxPool2d", (x) => F.adaptiveMaxPool2d(x, [2, 3]), () => f64([1, 2, 5, 7])],
  ["lpPool1d", (x) => F.lpPool1d(x, 2, 3, { stride: 2 }), () => pos64([2, 2, 8])],
  ["lpPool2d", (x) => F.lpPool2d(x, 3, 2, { ceilMode: true }), () => pos64([1, 2, 5, 5])],
  ["maxUnpool2d", (x) => {
    const { indices } = F.maxPool2d(x.detach(), 2, { returnIndices: true });
    return F.maxUnpool2d(F.maxPool2d(x, 2), indices, 2);
  }, () => f64([1, 2, 4, 6])],
  ["maxUnpool1d", (x) => F.maxUnpool1d(x, tensor([[[1, 2, 5]]], { dtype: "int32" }), 2), () => f64([1, 1, 3])],
];

describe("gradcheck and gradgradcheck (float64)", () => {
  for (const [name, fn, input] of GRAD_CASES) {
    it(name, () => {
      const x = input();
      expect(gradcheck(fn, [x])).toBe(true);
      expect(gradgradcheck(fn, [x])).toBe(true);
    });
  }
});

describe("pooling edges", () => {
  it("a non-contiguous input gives the contiguous input's result", () => {
    const x = randn([2, 6, 5, 3], { dtype: "float64" }).permute(0, 3, 2, 1);
    expectClose(F.maxPool2d(x, 2), F.maxPool2d(x.contiguous(), 2), "max", 0, 0);
    expectClose(F.avgPool2d(x, 2, { stride: 1 }), F.avgPool2d(x.contiguous(), 2, { stride: 1 }), "avg", 0, 0);
  });

  it("an empty batch gives an empty output", () => {
    expect(F.maxPool2d(zeros([0, 3, 4, 4]), 2).shape).toEqual([0, 3, 2, 2]);
    expect(F.adaptiveAvgPool1d(zeros([2, 0, 5]), 2).shape).toEqual([2, 0, 2]);
  });

  it("returnIndices pairs destructure like PyTorch's tuples", () => {
    const [values, indices] = F.maxPool2d(tensor([[[[1, 4], [3, 2]]]]), 2, { returnIndices: true });
    expect(values.toArray()).toEqual([[[[4]]]]);
    expect(indices.toArray()).toEqual([[[[1]]]]);
  });

  it("a kernel of 1 with stride 1 is the identity", () => {
    const x = randn([2, 3, 4, 5]);
    expect(F.maxPool2d(x, 1).toArray()).toEqual(x.toArray());
    expect(F.avgPool2d(x, 1).toArray()).toEqual(x.toArray());
  });
});
