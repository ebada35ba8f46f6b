/**
 * Tensor image transforms against torchvision 0.14's tensor code, as reproduced in
 * tools/fixtures/gen_data_torch.py (torchvision is not installed next to torch 1.13): exact values.
 */
import { describe, it, expect } from "vitest";
import { Generator, Tensor, arange, gradcheck, ones, randn, tensor, zeros } from "@tsgrad/core";
import { transforms } from "@tsgrad/data";
import { decode, loadFixture, type EncodedTensor } from "../../../tools/test-utils.js";

const TF = transforms.functional;
type Mode = transforms.PaddingMode;
interface Fixture {
  transforms: {
    toTensor: { input: EncodedTensor; output: EncodedTensor };
    toTensorGray: { input: EncodedTensor; output: EncodedTensor };
    normalize: { input: EncodedTensor; batchedInput: EncodedTensor; cases: Array<{ mean: number[]; std: number[]; batched?: boolean; output: EncodedTensor }> };
    pad: {
      input: EncodedTensor; uint8Input: EncodedTensor;
      cases: Array<{ padding: number | number[]; mode: Mode; fill: number; output: EncodedTensor }>;
      uint8Cases: Array<{ padding: number[]; mode: Mode; fill: number; output: EncodedTensor }>;
    };
    crop: { input: EncodedTensor; cases: Array<{ top: number; left: number; height: number; width: number; output: EncodedTensor }> };
    hflip: { input: EncodedTensor; output: EncodedTensor };
    randomCrop: { input: EncodedTensor; cases: Array<{ size: [number, number]; padding: number | number[] | null; padIfNeeded: boolean; paddingMode: Mode; padded: EncodedTensor }> };
  };
}
const fx = loadFixture<Fixture>(new URL("./fixtures/torch-data.json", import.meta.url)).transforms;

function same(actual: Tensor, expected: Tensor, what = ""): void {
  expect(actual.dtype, what).toBe(expected.dtype);
  expect(actual.shape, what).toEqual(expected.shape);
  expect(Array.from(actual.dataSync()), what).toEqual(Array.from(expected.dataSync()));
}

describe("toTensor", () => {
  it("uint8 HWC (and HW) to float32 CHW v / 255, exactly torchvision's values", () => {
    for (const c of [fx.toTensor, fx.toTensorGray]) {
      same(TF.toTensor(decode(c.input)), decode(c.output));
      same(new transforms.ToTensor().forward(decode(c.input)), decode(c.output));
    }
  });

  it("keeps the values of non-uint8 inputs, reads ImageData as RGBA, and names bad inputs", () => {
    const f = tensor([[[0.5, 2]]]);
    expect(TF.toTensor(f).toArray()).toEqual([[[0.5]], [[2]]]);
    const img = { data: new Uint8ClampedArray([255, 0, 51, 255, 0, 0, 0, 0]), width: 2, height: 1 };
    const t = TF.toTensor(img);
    expect(t.shape).toEqual([4, 1, 2]);
    expect(t.toArray()).toEqual([[[1, 0]], [[0, 0]], [[Math.fround(51 / 255), 0]], [[1, 0]]]);
    expect(() => TF.toTensor(zeros([2]))).toThrow(/toTensor: pic should be 2 or 3 dimensional \(H, W\[, C\]\), got shape \[2\]/);
    expect(() => TF.toTensor({ data: new Uint8ClampedArray(3), width: 2, height: 1 })).toThrow(/ImageData of 2×1 should hold 8 RGBA bytes, got 3/);
  });
});

describe("normalize", () => {
  it("(x - mean) / std in float32, exactly torchvision's, for per-channel, single and batched", () => {
    for (const c of fx.normalize.cases) {
      const x = decode(c.batched ? fx.normalize.batchedInput : fx.normalize.input);
      same(TF.normalize(x, c.mean, c.std), decode(c.output), JSON.stringify(c.mean));
      same(new transforms.Normalize(c.mean, c.std).forward(x), decode(c.output));
    }
  });

  it("inplace writes the input; otherwise the input is untouched and gradients flow (gradcheck)", () => {
    const x = decode(fx.normalize.input);
    const before = Array.from(x.dataSync());
    const out = TF.normalize(x, [0.5, 0.25], [2, 4]);
    expect(Array.from(x.dataSync())).toEqual(before);
    const y = x.clone();
    expect(TF.normalize(y, [0.5, 0.25], [2, 4], { inplace: true })).toBe(y);
    expect(Array.from(y.dataSync())).toEqual(Array.from(out.dataSync()));
    const x64 = randn([2, 2, 3], { dtype: "float64", generator: new Generator(0), requiresGrad: true });
    expect(gradcheck((t) => TF.normalize(t, [0.1, -0.2], [0.5, 3]), [x64])).toBe(true);
  });

  it("throws torchvision's errors naming the dtype, shape and values", () => {
    expect(() => TF.normalize(ones([1, 2, 2], { dtype: "int32" }), [0], [1])).toThrow(new TypeError("normalize: input tensor should be a float tensor, got int32"));
    expect(() => TF.normalize(ones([2, 2]), [0], [1])).toThrow(/normalize: expected a tensor image of size \(\.\.\., C, H, W\), got shape \[2, 2\]/);
    expect(() => TF.normalize(ones([2, 2, 2]), [0, 0], [1, 1e-50])).toThrow(/normalize: std evaluated to zero after conversion to float32, leading to division by zero/);
    expect(() => TF.normalize(ones([2, 2, 2]), [0, 0, 0], [1])).toThrow(/normalize: mean has 3 values \[0, 0, 0\] but the image \[2, 2, 2\] has 2 channels/);
    expect(() => new transforms.Normalize([0], [1], { in_place: true } as never)).toThrow(/Normalize: unknown option "in_place"/);
  });
});

describe("pad, crop, hflip", () => {
  it("pads in every mode and padding form exactly as torchvision (float32 and uint8)", () => {
    const img = decode(fx.pad.input);
    for (const c of fx.pad.cases) same(TF.pad(img, c.padding, { fill: c.fill, paddingMode: c.mode }), decode(c.output), JSON.stringify(c.padding) + c.mode);
    const u8 = decode(fx.pad.uint8Input);
    expect(u8.dtype).toBe("uint8");
    for (const c of fx.pad.uint8Cases) same(TF.pad(u8, c.padding, { fill: c.fill, paddingMode: c.mode }), decode(c.output), c.mode);
    expect(fx.pad.cases.length).toBeGreaterThan(15);
  });

  it("padding errors", () => {
    const img = zeros([1, 3, 3]);
    expect(() => TF.pad(img, [1, 2, 3])).toThrow(/pad: padding must be a number or a 1, 2, or 4 element list, got an array of length 3/);
    expect(() => TF.pad(img, 3, { paddingMode: "reflect" })).toThrow(/mode "reflect" needs padding less than the dim's size/);
    expect(() => TF.pad(img, 4, { paddingMode: "symmetric" })).toThrow(/pad: symmetric padding \(4, 4\) must be at most the dim's size 3/);
    expect(() => TF.pad(img, -1)).toThrow(/pad: padding must hold non-negative integers, got \[-1\]/);
    expect(() => TF.pad(img, 1, { paddingMode: "wrap" as Mode })).toThrow(/pad: paddingMode must be one of "constant", "edge", "reflect", "symmetric", got "wrap"/);
  });

  it("crops inside and outside the image as torchvision (zeros outside)", () => {
    const img = decode(fx.crop.input);
    for (const c of fx.crop.cases) same(TF.crop(img, c.top, c.left, c.height, c.width), decode(c.output), JSON.stringify(c));
  });

  it("hflip is flip(-1), and RandomHorizontalFlip flips when the uniform draw is below p", () => {
    const img = decode(fx.hflip.input);
    same(TF.hflip(img), decode(fx.hflip.output));
    const flips = new transforms.RandomHorizontalFlip(0.3, { generator: new Generator(9) });
    const g = new Generator(9);
    let flipped = 0;
    for (let k = 0; k < 200; k++) {
      const out = flips.forward(img);
      const expectFlip = g.random() < 0.3;
      same(out, expectFlip ? decode(fx.hflip.output) : img);
      flipped += expectFlip ? 1 : 0;
    }
    expect(flipped).toBeGreaterThan(40);
    expect(flipped).toBeLessThan(80);
    expect(() => new transforms.RandomHorizontalFlip(1.5)).toThrow(/RandomHorizontalFlip: p must be a probability in \[0, 1\], got number 1.5/);
  });
});

describe("RandomCrop", () => {
  it("pads (padding, then padIfNeeded by the deficit on both sides) as torchvision, then crops at getParams' corner", () => {
    const img = decode(fx.randomCrop.input);
    for (const c of fx.randomCrop.cases) {
      const padded = decode(c.padded);
      const opts = { padIfNeeded: c.padIfNeeded, paddingMode: c.paddingMode, generator: new Generator(4), ...(c.padding === null ? {} : { padding: c.padding }) };
      const rc = new transforms.RandomCrop(c.size, opts);
      const params = transforms.RandomCrop.getParams(padded, c.size, new Generator(4));
      same(rc.forward(img), TF.crop(padded, ...params), JSON.stringify(c));
      expect(rc.forward(img).shape).toEqual([2, ...c.size]);
    }
  });

  it("draws every top-left corner, top first, uniformly", () => {
    const img = arange(25).reshape(1, 5, 5);
    const rc = new transforms.RandomCrop([3, 2], { generator: new Generator(0) });
    const seen = new Map<number, number>();
    for (let k = 0; k < 600; k++) {
      const corner = rc.forward(img).flatten().dataSync()[0]; // = 5·i + j
      seen.set(corner, (seen.get(corner) ?? 0) + 1);
    }
    expect([...seen.keys()].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 5, 6, 7, 8, 10, 11, 12, 13]);
    for (const n of seen.values()) expect(n).toBeGreaterThan(25); // 50 expected each
    const g = new Generator(1);
    const [i, j] = transforms.RandomCrop.getParams(img, [3, 2], new Generator(1));
    expect([i, j]).toEqual([g.integer(0, 3), g.integer(0, 4)]);
  });

  it("size forms and errors", () => {
    expect(new transforms.RandomCrop(4).size).toEqual([4, 4]);
    expect(new transforms.RandomCrop([4]).size).toEqual([4, 4]);
    expect(() => new transforms.RandomCrop([4, 0])).toThrow(/RandomCrop: size must be a positive integer or \[height, width\]/);
    expect(() => new transforms.RandomCrop(4, { padding: [1, 2, 3] })).toThrow(/RandomCrop: padding must be a number or a 1, 2, or 4 element list/);
    expect(() => new transforms.RandomCrop(6).forward(zeros([1, 5, 5]))).toThrow(
      /RandomCrop: required crop size \[6, 6\] is larger than the input image size \[5, 5\]/,
    );
    expect(() => new transforms.RandomCrop(4, { pad_if_needed: true } as never)).toThrow(/did you mean "padIfNeeded"/);
  });
});

describe("Compose", () => {
  it("chains transform objects and functions in order", () => {
    const t = new transforms.Compose<Tensor, Tensor>([new transforms.ToTensor(), (x: Tensor) => x.mul(255), new transforms.Normalize([1], [2])]);
    const out = t.forward(tensor([[[3]]], { dtype: "uint8" }));
    expect(out.item()).toBeCloseTo(1, 5);
    expect(() => new transforms.Compose([3 as never])).toThrow(/Compose: transforms\[0\] must be a function or have a forward method, got number 3/);
  });
});
