/**
 * Resampling and padding against PyTorch (gen_nn_resample.py): F.interpolate in every mode and
 * option combination, Upsample, the padding layers, pixel (un)shuffle, channel shuffle and
 * Unflatten — outputs and input gradients, float64 to 1e-10, float32 to 1e-5, and the printed
 * forms; float64 gradcheck and gradgradcheck; non-contiguous inputs; the dropout variants'
 * statistics.
 */
import { describe, it, expect } from "vitest";
import { Tensor, Generator, gradcheck, gradgradcheck, ones, randn, tensor, zeros, type DType } from "@tsgrad/core";
import * as nn from "@tsgrad/nn";
import { F, Module, type InterpolateOptions } from "@tsgrad/nn";
import { decode, expectClose, loadFixture, type EncodedTensor } from "../../../tools/test-utils.js";

interface InterpCase {
  options: InterpolateOptions;
  dtype: "float32" | "float64";
  x: EncodedTensor;
  y: EncodedTensor;
  gout: EncodedTensor;
  gx: EncodedTensor;
  torchBackwardDiffers: boolean;
}
interface LayerCase {
  layer: string;
  args: unknown[];
  options: Record<string, unknown>;
  dtype: "float32" | "float64";
  repr: string;
  x: EncodedTensor;
  y: EncodedTensor;
  gout: EncodedTensor;
  gx: EncodedTensor;
}
const fixture = loadFixture<{ interpolate: InterpCase[]; layers: LayerCase[] }>(new URL("./fixtures/resample.json", import.meta.url));

const tol = (dtype: DType): [number, number] => (dtype === "float64" ? [1e-10, 1e-10] : [1e-5, 1e-5]);

describe("F.interpolate matches PyTorch", () => {
  for (const c of fixture.interpolate) {
    const title = `${JSON.stringify(c.options)} on [${c.x.shape.join(", ")}] ${c.dtype}${c.torchBackwardDiffers ? " (adjoint gradient)" : ""}`;
    it(title, () => {
      const x = decode(c.x, { requiresGrad: true });
      const y = F.interpolate(x, c.options);
      const [rtol, atol] = tol(c.dtype);
      expect(y.dtype).toBe(c.dtype);
      expectClose(y, c.y, "forward", rtol, atol);
      y.backward(decode(c.gout));
      expectClose(x.grad!, c.gx, "dx", rtol, atol);
    });
  }
  it("covers every mode in both dtypes, with scale factors, sizes, alignCorners and recomputeScaleFactor", () => {
    const seen = new Set(fixture.interpolate.map((c) => `${c.options.mode}/${c.dtype}`));
    for (const m of ["nearest", "nearest-exact", "linear", "bilinear", "bicubic", "trilinear", "area"]) {
      expect(seen.has(`${m}/float64`) && seen.has(`${m}/float32`), m).toBe(true);
    }
    expect(fixture.interpolate.some((c) => c.options.alignCorners === true && c.options.mode === "bicubic")).toBe(true);
    expect(fixture.interpolate.some((c) => c.options.recomputeScaleFactor === true)).toBe(true);
    // PyTorch's nearest backward is not its forward's adjoint in a few of the cases (see the generator).
    expect(fixture.interpolate.some((c) => c.torchBackwardDiffers)).toBe(true);
  });
});

type LayerCtor = new (...args: unknown[]) => Module & { forward(x: Tensor): Tensor };

/** PyTorch's repr in tsgrad's spelling: camelCase names and quoted modes. */
function tsgradRepr(repr: string): string {
  return repr
    .replace(/upscale_factor=/g, "upscaleFactor=").replace(/downscale_factor=/g, "downscaleFactor=")
    .replace(/unflattened_size=/g, "unflattenedSize=").replace(/scale_factor=/g, "scaleFactor=")
    .replace(/mode=([\w-]+)/g, 'mode="$1"');
}

describe("resampling and padding layers match PyTorch", () => {
  for (const c of fixture.layers) {
    it(`${c.layer}(${c.args.map((a) => JSON.stringify(a)).join(", ")}${Object.keys(c.options).length ? JSON.stringify(c.options) : ""}) on [${c.x.shape.join(", ")}] ${c.dtype}`, () => {
      const Ctor = (nn as unknown as Record<string, LayerCtor>)[c.layer];
      const layer = Object.keys(c.options).length ? new Ctor(...c.args, c.options) : new Ctor(...c.args);
      expect(String(layer)).toBe(tsgradRepr(c.repr));
      const x = decode(c.x, { requiresGrad: true });
      const y = layer.forward(x);
      const [rtol, atol] = tol(c.dtype);
      expect(y.dtype).toBe(c.dtype);
      expectClose(y, c.y, `${c.layer} forward`, rtol, atol);
      y.backward(decode(c.gout));
      expectClose(x.grad!, c.gx, `${c.layer} dx`, rtol, atol);
    });
  }
});

const f64 = (shape: number[]): Tensor => randn(shape, { dtype: "float64", requiresGrad: true });

const GRAD_CASES: Array<[string, (x: Tensor) => Tensor, number[]]> = [
  ["nearest 1-d, scale 1.7", (x) => F.interpolate(x, { scaleFactor: 1.7 }), [1, 2, 5]],
  ["nearest-exact 2-d down", (x) => F.interpolate(x, { size: [3, 2], mode: "nearest-exact" }), [1, 2, 5, 4]],
  ["linear, alignCorners", (x) => F.interpolate(x, { size: 7, mode: "linear", alignCorners: true }), [2, 1, 4]],
  ["bilinear, non-integer scales", (x) => F.interpolate(x, { scaleFactor: [1.5, 0.7], mode: "bilinear" }), [1, 2, 4, 5]],
  ["bicubic up", (x) => F.interpolate(x, { size: [5, 6], mode: "bicubic" }), [1, 1, 3, 4]],
  ["bicubic down, alignCorners", (x) => F.interpolate(x, { size: [2, 3], mode: "bicubic", alignCorners: true }), [1, 1, 5, 5]],
  ["trilinear", (x) => F.interpolate(x, { scaleFactor: [1.5, 2, 0.7], mode: "trilinear" }), [1, 1, 2, 3, 4]],
  ["area", (x) => F.interpolate(x, { size: [2, 3], mode: "area" }), [1, 2, 5, 4]],
  ["ReflectionPad2d", (x) => new nn.ReflectionPad2d([1, 2, 2, 0]).forward(x), [1, 3, 4]],
  ["CircularPad1d unbatched", (x) => new nn.CircularPad1d([2, 1]).forward(x), [2, 3]],
  ["ReplicationPad3d", (x) => new nn.ReplicationPad3d(1).forward(x), [1, 2, 2, 2]],
  ["ConstantPad1d negative", (x) => new nn.ConstantPad1d([-1, 2], 0.5).forward(x), [2, 4]],
  ["pixelShuffle", (x) => F.pixelShuffle(x, 2), [1, 8, 2, 3]],
  ["pixelUnshuffle", (x) => F.pixelUnshuffle(x, 2), [2, 1, 4, 2]],
  ["channelShuffle", (x) => F.channelShuffle(x, 3), [2, 6, 2]],
];

describe("gradcheck and gradgradcheck (float64)", () => {
  for (const [name, fn, shape] of GRAD_CASES) {
    it(name, () => {
      const x = f64(shape);
      expect(gradcheck(fn, [x])).toBe(true);
      expect(gradgradcheck(fn, [x])).toBe(true);
    });
  }
});

describe("interpolate edges", () => {
  it("a non-contiguous input gives the contiguous input's result, in every mode", () => {
    const x = randn([1, 5, 6, 2], { dtype: "float64" }).permute(0, 3, 2, 1); // [1, 2, 6, 5]
    for (const mode of ["nearest", "nearest-exact", "bilinear", "bicubic", "area"] as const) {
      const o: InterpolateOptions = { size: [4, 9], mode };
      expectClose(F.interpolate(x, o), F.interpolate(x.contiguous(), o), mode, 0, 0);
    }
  });

  it("an empty batch gives an empty output; size equal to the input copies it", () => {
    expect(F.interpolate(zeros([0, 2, 3]), { scaleFactor: 2 }).shape).toEqual([0, 2, 6]);
    const x = randn([1, 2, 3, 4]);
    for (const mode of ["nearest", "bilinear", "bicubic"] as const) expectClose(F.interpolate(x, { size: [3, 4], mode }), x, mode, 0, 0);
  });

  it("nearest upsampling by 2 repeats each pixel, bilinear with alignCorners keeps the corners", () => {
    expect(F.interpolate(tensor([[[[1, 2], [3, 4]]]]), { scaleFactor: 2 }).toArray()).toEqual([[[[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]]]]);
    const x = randn([1, 1, 3, 4], { dtype: "float64" });
    const y = F.interpolate(x, { size: [7, 9], mode: "bilinear", alignCorners: true });
    for (const [i, j, k, l] of [[0, 0, 0, 0], [0, 3, 0, 8], [2, 0, 6, 0], [2, 3, 6, 8]]) {
      expect(y.index(0, 0, k, l).item()).toBe(x.index(0, 0, i, j).item());
    }
  });

  it("bicubic reproduces a linear ramp exactly and overshoots at a step (A = -0.75)", () => {
    const ramp = tensor([[[[0, 1, 2, 3, 4, 5]]]], { dtype: "float64" });
    const y = F.interpolate(ramp, { size: [1, 11], mode: "bicubic", alignCorners: true }).reshape([11]);
    // Outputs 2..8 read four in-range pixels; output 1 (source 0.5) reads pixel 0 twice (border clamping):
    // 0.59375·1 − 0.09375·2 with t = ½'s weights [−0.09375, 0.59375, 0.59375, −0.09375].
    expectClose(y.narrow(0, 2, 7), tensor([1, 1.5, 2, 2.5, 3, 3.5, 4], { dtype: "float64" }), "ramp", 1e-12, 1e-12);
    expect(y.index(1).item()).toBe(0.40625);
    const step = F.interpolate(tensor([[[[0, 0, 1, 1]]]]), { size: [1, 8], mode: "bicubic" });
    expect(step.max().item()).toBeGreaterThan(1);
    expect(step.min().item()).toBeLessThan(0);
  });

  it("Upsample applies interpolate with its options and names itself in errors", () => {
    const x = randn([2, 3, 5, 4]);
    const up = new nn.Upsample({ scaleFactor: [1.5, 2], mode: "bilinear", alignCorners: true });
    expectClose(up.forward(x), F.interpolate(x, { scaleFactor: [1.5, 2], mode: "bilinear", alignCorners: true }), "Upsample", 0, 0);
    expect(() => up.forward(randn([2, 3, 5]))).toThrow(/^Upsample: interpolate: mode "bilinear" needs a 4-D input/);
    expect(String(new nn.Upsample({ size: [3, 4] }))).toBe('Upsample(size=(3, 4), mode="nearest")');
  });
});

describe("padding and shuffle edges", () => {
  it("non-contiguous inputs give the contiguous input's result", () => {
    const x = randn([3, 4, 2, 5], { dtype: "float64" }).permute(3, 2, 1, 0); // [5, 2, 4, 3]
    const layers: Array<Module & { forward(t: Tensor): Tensor }> = [
      new nn.ReflectionPad2d([1, 2, 0, 1]), new nn.ReplicationPad3d(2), new nn.CircularPad2d(1), new nn.ConstantPad3d(1, -2),
      new nn.PixelShuffle(1), new nn.PixelUnshuffle(1), new nn.ChannelShuffle(2), new nn.Unflatten(1, [2, 1]),
    ];
    for (const layer of layers) expectClose(layer.forward(x), layer.forward(x.contiguous()), String(layer), 0, 0);
    const y = randn([6, 4, 8, 2], { dtype: "float64" }).permute(3, 0, 2, 1); // [2, 6, 8, 4]
    expectClose(F.pixelUnshuffle(y, 2), F.pixelUnshuffle(y.contiguous(), 2), "pixelUnshuffle", 0, 0);
  });

  it("empty batches keep their shape; the layers have no state", () => {
    expect(new nn.ZeroPad2d(1).forward(zeros([0, 3, 2, 2])).shape).toEqual([0, 3, 4, 4]);
    expect(new nn.ReflectionPad1d(1).forward(zeros([0, 3, 2])).shape).toEqual([0, 3, 4]);
    expect(F.pixelShuffle(zeros([0, 8, 2, 3]), 2).shape).toEqual([0, 2, 4, 6]);
    expect(F.channelShuffle(zeros([0, 4, 3]), 2).shape).toEqual([0, 4, 3]);
    for (const layer of [new nn.Upsample({ size: 3 }), new nn.CircularPad1d(1), new nn.PixelShuffle(2), new nn.Dropout2d(), new nn.Unflatten(0, [1])]) {
      expect(Object.keys(layer.stateDict())).toEqual([]);
    }
  });

  it("pixelUnshuffle inverts pixelShuffle, and ConstantPad crops with negative amounts", () => {
    const x = randn([2, 3, 12, 5, 7]);
    expect(F.pixelUnshuffle(F.pixelShuffle(x, 2), 2).toArray()).toEqual(x.toArray());
    expect(new nn.ConstantPad2d([-1, -1, 0, 0], 0).forward(tensor([[[1, 2, 3, 4]]])).toArray()).toEqual([[[2, 3]]]);
  });
});

describe("bad inputs name the op", () => {
  const rows: Array<[string, () => unknown, ErrorConstructor, RegExp]> = [
    ["size and scaleFactor", () => F.interpolate(ones([1, 1, 4]), { size: 2, scaleFactor: 2 }), RangeError, /^interpolate: give exactly one of size and scaleFactor, got both/],
    ["neither", () => F.interpolate(ones([1, 1, 4]), {}), RangeError, /^interpolate: .*got neither/],
    ["alignCorners with nearest", () => F.interpolate(ones([1, 1, 4]), { size: 2, alignCorners: false }), RangeError, /^interpolate: alignCorners can only be set .* not "nearest"/],
    ["bilinear on 3-D", () => F.interpolate(ones([1, 1, 4]), { size: 2, mode: "bilinear" }), RangeError, /^interpolate: mode "bilinear" needs a 4-D input, got 3-D input of shape \[1, 1, 4\]/],
    ["linear on 4-D", () => F.interpolate(ones([1, 1, 4, 4]), { size: 2, mode: "linear" }), RangeError, /^interpolate: mode "linear" needs a 3-D input/],
    ["trilinear on 4-D", () => F.interpolate(ones([1, 1, 4, 4]), { size: 2, mode: "trilinear" }), RangeError, /^interpolate: mode "trilinear" needs a 5-D input/],
    ["area on 5-D", () => F.interpolate(ones([1, 1, 2, 2, 2]), { size: 1, mode: "area" }), RangeError, /^interpolate: mode "area" needs a 3-D or 4-D input/],
    ["a 2-D input", () => F.interpolate(ones([3, 4]), { size: 2 }), RangeError, /^interpolate: expected a 3-D .* got 2-D input of shape \[3, 4\]/],
    ["size of the wrong length", () => F.interpolate(ones([1, 1, 4, 4]), { size: [2, 2, 2] }), RangeError, /^interpolate: size \[2, 2, 2\] must have one entry per spatial dim \(2/],
    ["size 0", () => F.interpolate(ones([1, 1, 4]), { size: 0 }), RangeError, /^interpolate: size must hold positive integers, got 0/],
    ["size 2.5", () => F.interpolate(ones([1, 1, 4]), { size: 2.5 }), RangeError, /^interpolate: size must hold positive integers, got 2.5/],
    ["scaleFactor -1", () => F.interpolate(ones([1, 1, 4]), { scaleFactor: -1 }), RangeError, /^interpolate: scaleFactor must hold finite numbers > 0, got -1/],
    ["an empty output", () => F.interpolate(ones([1, 1, 4]), { scaleFactor: 0.2 }), RangeError, /^interpolate: input and output sizes should be greater than 0, got input \[4\] and output \[0\]/],
    ["an empty spatial dim", () => F.interpolate(ones([1, 1, 0]), { size: 3 }), RangeError, /^interpolate: input and output sizes .* input \[0\]/],
    ["recompute with size", () => F.interpolate(ones([1, 1, 4]), { size: 3, recomputeScaleFactor: true }), RangeError, /^interpolate: recomputeScaleFactor is not meaningful with an explicit size/],
    ["antialias", () => F.interpolate(ones([1, 1, 4, 4]), { size: 3, mode: "bilinear", antialias: true }), RangeError, /^interpolate: antialias is not implemented/],
    ["unknown mode", () => F.interpolate(ones([1, 1, 4]), { size: 3, mode: "cubic" as never }), RangeError, /^interpolate: mode must be one of "nearest", .* got "cubic"/],
    ["int32 input", () => F.interpolate(ones([1, 1, 4], { dtype: "int32" }), { size: 3 }), TypeError, /^interpolate: expected a float32 or float64 input, got int32/],
    ["snake_case option", () => F.interpolate(ones([1, 1, 4]), { scale_factor: 2 } as never), TypeError, /^interpolate: unknown option "scale_factor" \(did you mean "scaleFactor"\?\)/],
    ["Upsample without size", () => new nn.Upsample(), RangeError, /^Upsample: give exactly one of size and scaleFactor, got neither/],
    ["UpsamplingBilinear2d with a mode", () => new nn.UpsamplingBilinear2d({ mode: "nearest" } as never), TypeError, /^UpsamplingBilinear2d: unknown option "mode"/],
    ["ReflectionPad1d too much", () => new nn.ReflectionPad1d(3).forward(ones([1, 2, 3])), RangeError, /^ReflectionPad1d: pad: mode "reflect" needs padding less than the dim's size, got \(3, 3\) for dim 2 of size 3/],
    ["ReflectionPad2d of a 2-D input", () => new nn.ReflectionPad2d(1).forward(ones([3, 3])), RangeError, /^ReflectionPad2d: expected a 3-D \(unbatched\) or 4-D \(batched\) input, got 2-D input of shape \[3, 3\]/],
    ["CircularPad1d more than the size", () => new nn.CircularPad1d(4).forward(ones([2, 3])), RangeError, /^CircularPad1d: pad: mode "circular" needs padding at most the dim's size, got \(4, 4\)/],
    ["ConstantPad3d of a 2-D input", () => new nn.ConstantPad3d(1, 0).forward(ones([3, 3])), RangeError, /^ConstantPad3d: expected an input with at least 3 dims, got 2-D input of shape \[3, 3\]/],
    ["ZeroPad2d padding of three", () => new nn.ZeroPad2d([1, 2, 3]), TypeError, /^ZeroPad2d: padding must be an integer or an array of 4 integers, got \[1, 2, 3\]/],
    ["ZeroPad1d padding 1.5", () => new nn.ZeroPad1d(1.5), TypeError, /^ZeroPad1d: padding must be an integer or an array of 2 integers, got number 1.5/],
    ["ConstantPad1d value NaN", () => new nn.ConstantPad1d(1, NaN), TypeError, /^ConstantPad1d: value must be a finite number, got number NaN/],
    ["pixelShuffle channels", () => F.pixelShuffle(ones([1, 6, 2, 2]), 2), RangeError, /^pixelShuffle: the channel dim \(size 6\) of input \[1, 6, 2, 2\] must be divisible by upscaleFactor² = 4/],
    ["pixelShuffle of 2-D", () => F.pixelShuffle(ones([4, 4]), 2), RangeError, /^pixelShuffle: expected an input with at least 3 dims .* shape \[4, 4\]/],
    ["pixelUnshuffle width", () => F.pixelUnshuffle(ones([1, 1, 4, 3]), 2), RangeError, /^pixelUnshuffle: height 4 and width 3 of input \[1, 1, 4, 3\] must be divisible by downscaleFactor 2/],
    ["PixelShuffle factor 0", () => new nn.PixelShuffle(0), RangeError, /^PixelShuffle: upscaleFactor must be a positive integer, got number 0/],
    ["channelShuffle groups", () => F.channelShuffle(ones([1, 6, 2]), 4), RangeError, /^channelShuffle: the 6 channels of input \[1, 6, 2\] must be divisible by groups 4/],
    ["ChannelShuffle on 2-D", () => new nn.ChannelShuffle(2).forward(ones([2, 4])), RangeError, /^channelShuffle: expected an input with at least 3 dims/],
    ["Unflatten sizes", () => new nn.Unflatten(1, [3, 3]).forward(ones([2, 10])), RangeError, /^Unflatten: unflatten: sizes \[3, 3\] don't multiply up to the size 10 of dim 1/],
    ["Unflatten empty sizes", () => new nn.Unflatten(1, []), TypeError, /^Unflatten: unflattenedSize must be a non-empty array/],
    ["dropout1d of 4-D", () => F.dropout1d(ones([1, 2, 3, 4])), RangeError, /^dropout1d: expected a 2-D \(C, L\) or 3-D \(N, C, L\) input, got 4-D input of shape \[1, 2, 3, 4\]/],
    ["dropout2d of 2-D", () => F.dropout2d(ones([2, 3])), RangeError, /^dropout2d: expected a 4-D/],
    ["dropout3d of 3-D", () => F.dropout3d(ones([2, 3, 4])), RangeError, /^dropout3d: expected a 4-D \(C, D, H, W\) or 5-D/],
    ["Dropout2d p 1.5", () => new nn.Dropout2d(1.5), RangeError, /^Dropout2d: dropout probability has to be between 0 and 1, but got 1.5/],
    ["alphaDropout p -0.1", () => F.alphaDropout(ones([3]), -0.1, true), RangeError, /^alphaDropout: dropout probability has to be between 0 and 1, but got -0.1/],
    ["featureAlphaDropout of 1-D", () => F.featureAlphaDropout(ones([3]), 0.5, true), RangeError, /^featureAlphaDropout: channel-wise dropout needs an input with at least 2 dims/],
    ["AlphaDropout unknown option", () => new nn.AlphaDropout(0.5, { seed: 1 } as never), TypeError, /^AlphaDropout: unknown option "seed"/],
  ];
  for (const [what, call, error, message] of rows) {
    it(what, () => {
      expect(call).toThrow(error);
      expect(call).toThrow(message);
    });
  }
});

describe("dropout variants", () => {
  const gen = (seed: number): Generator => new Generator(seed);

  it("Dropout1d/2d/3d zero whole channels and scale the others by 1/(1 - p)", () => {
    const cases: Array<[nn.DropoutNd, number[], number[]]> = [
      [new nn.Dropout1d(0.3, { generator: gen(1) }), [16, 32, 5], [2]],
      [new nn.Dropout1d(0.3, { generator: gen(2) }), [64, 5], [1]],
      [new nn.Dropout2d(0.3, { generator: gen(3) }), [16, 32, 3, 4], [2, 3]],
      [new nn.Dropout2d(0.3, { generator: gen(4) }), [16, 32, 5], [2]], // 3-D read as (N, C, L)
      [new nn.Dropout3d(0.3, { generator: gen(5) }), [8, 32, 2, 2, 3], [2, 3, 4]],
      [new nn.Dropout3d(0.3, { generator: gen(6) }), [64, 2, 2, 3], [1, 2, 3]], // unbatched (C, D, H, W)
    ];
    for (const [layer, shape, spatial] of cases) {
      const x = randn(shape, { dtype: "float64", generator: gen(9) }).abs().add(0.5);
      const y = layer.forward(x);
      const ratio = y.div(x); // 0 or 1/(1 - p) everywhere
      const hi = ratio.amax(spatial);
      const lo = ratio.amin(spatial);
      expect(hi.sub(lo).abs().max().item(), String(layer)).toBeLessThan(1e-12); // constant over each channel
      const kept = hi.gt(0.5);
      expect(hi.sub(kept.double().mul(1 / 0.7)).abs().max().item()).toBeLessThan(1e-12);
      const dropRate = 1 - kept.double().mean().item();
      expect(dropRate).toBeGreaterThan(0.22);
      expect(dropRate).toBeLessThan(0.38);
      expect(layer.eval().forward(x)).toBe(x);
    }
  });

  it("their gradient is the same channel mask and scale", () => {
    const x = randn([4, 6, 5], { dtype: "float64", requiresGrad: true });
    const y = F.dropout1d(x, 0.5, true, gen(3));
    y.sum().backward();
    expectClose(x.grad!, y.div(x.detach()), "grad", 1e-12, 1e-12);
  });

  it("AlphaDropout keeps the mean and variance of SELU-normal inputs and sends dropped entries to one value", () => {
    for (const p of [0.1, 0.5]) {
      const x = randn([200000], { dtype: "float64", generator: gen(11) });
      const y = new nn.AlphaDropout(p, { generator: gen(12) }).forward(x);
      expect(Math.abs(y.mean().item())).toBeLessThan(0.01);
      expect(Math.abs(y.var().item() - 1)).toBeLessThan(0.015);
      const alpha = 1.7580993408473766;
      const a = 1 / Math.sqrt((alpha * alpha * p + 1) * (1 - p));
      const keptValue = x.mul(a).add(a * alpha * p);
      const dropped = y.sub(keptValue).abs().gt(1e-9);
      expect(y.index(dropped).sub(-a * alpha * (1 - p)).abs().max().item()).toBeLessThan(1e-12);
      expect(dropped.double().mean().item()).toBeCloseTo(p, 2);
    }
  });

  it("FeatureAlphaDropout drops whole channels to the same value; eval and p = 0 are the identity, p = 1 gives zeros", () => {
    const x = randn([32, 16, 7], { dtype: "float64", generator: gen(1) });
    const y = F.featureAlphaDropout(x, 0.4, true, gen(2));
    const alpha = 1.7580993408473766;
    const a = 1 / Math.sqrt((alpha * alpha * 0.4 + 1) * 0.6);
    const droppedValue = -a * alpha * 0.6;
    const isDropped = y.sub(droppedValue).abs().lt(1e-12).double().mean(2); // per channel: 0 or 1
    expect(isDropped.mul(isDropped.neg().add(1)).abs().max().item()).toBe(0);
    expect(isDropped.mean().item()).toBeGreaterThan(0.3);
    expect(isDropped.mean().item()).toBeLessThan(0.5);
    for (const f of [F.alphaDropout, F.featureAlphaDropout, F.dropout2d, F.dropout3d]) {
      const z = randn([2, 3, 4, 5]);
      expect(f(z, 0.5, false)).toBe(z);
      expect(f(z, 0, true)).toBe(z);
      expect(f(z, 1, true).abs().sum().item()).toBe(0);
    }
    expect(F.alphaDropout(x)).toBe(x); // PyTorch's default: training = false
  });

  it("the same generator seed gives the same channel mask", () => {
    const x = ones([4, 8, 3]);
    expect(F.dropout1d(x, 0.5, true, gen(5)).toArray()).toEqual(F.dropout1d(x, 0.5, true, gen(5)).toArray());
    expect(String(new nn.Dropout2d(0.25))).toBe("Dropout2d(p=0.25)");
  });
});
