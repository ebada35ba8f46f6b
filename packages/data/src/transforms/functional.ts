/**
 * Image transforms on tensors, the functional forms (torchvision's `transforms.functional`, for
 * tensors): images are `(..., C, H, W)` tensors, as torchvision's tensor path takes them.
 */
import { Tensor, describeValue, pad as padNd, tensor } from "@tsgrad/core";
import { fmtShape, resolveDataOptions } from "../validate.js";
import { type Padding, parsePadding } from "./padding.js";

export type { Padding } from "./padding.js";

/**
 * The shape of the browser's `ImageData` (a canvas's RGBA bytes, row by row), which
 * {@link toTensor} reads as a `(4, H, W)` image.
 *
 * @example
 * ```ts
 * const px: transforms.ImageDataLike = { data: new Uint8ClampedArray([255, 0, 0, 255]), width: 1, height: 1 };
 * transforms.functional.toTensor(px).shape; // → [4, 1, 1]
 * ```
 */
export interface ImageDataLike {
  /** `width · height · 4` bytes, RGBA, row-major. */
  readonly data: Uint8Array | Uint8ClampedArray;
  /** Pixels per row. */
  readonly width: number;
  /** Rows. */
  readonly height: number;
}

function checkImage(op: string, img: unknown, minDims = 2): Tensor {
  if (!(img instanceof Tensor)) throw new TypeError(`${op}: img must be a Tensor image of shape (..., C, H, W), got ${describeValue(img)}`);
  if (img.ndim < minDims) throw new RangeError(`${op}: expected a tensor image with at least ${minDims} dims (..., H, W), got shape ${fmtShape(img.shape)}`);
  return img;
}

/**
 * Converts an image in height × width × channels layout to a `(C, H, W)` tensor, like
 * torchvision's `to_tensor` on an HWC array: a `(H, W, C)` or `(H, W)` tensor (a 2-D one gets
 * one channel) is permuted to `(C, H, W)`; uint8 values become float32 `v / 255`, in `[0, 1]`,
 * other dtypes keep their values and dtype (torchvision scales only bytes). An `ImageData`
 * (a canvas's RGBA pixels) becomes `(4, H, W)`.
 *
 * PyTorch: `torchvision.transforms.functional.to_tensor`.
 *
 * @example
 * ```ts
 * const hwc = tensor([[[0, 255], [51, 102]]], { dtype: "uint8" }); // (H=1, W=2, C=2)
 * transforms.functional.toTensor(hwc).toArray(); // → [[[0, 0.20000000298023224]], [[1, 0.4000000059604645]]]
 * ```
 */
export function toTensor(pic: Tensor | ImageDataLike): Tensor {
  const op = "toTensor";
  let hwc: Tensor;
  if (pic instanceof Tensor) {
    if (pic.ndim !== 2 && pic.ndim !== 3) throw new RangeError(`${op}: pic should be 2 or 3 dimensional (H, W[, C]), got shape ${fmtShape(pic.shape)}`);
    hwc = pic.ndim === 2 ? pic.unsqueeze(2) : pic;
  } else if (pic !== null && typeof pic === "object" && (pic.data instanceof Uint8ClampedArray || pic.data instanceof Uint8Array)) {
    const { data, width, height } = pic;
    if (data.length !== width * height * 4) throw new RangeError(`${op}: ImageData of ${width}×${height} should hold ${width * height * 4} RGBA bytes, got ${data.length}`);
    hwc = tensor(new Uint8Array(data.buffer, data.byteOffset, data.length), { shape: [height, width, 4], dtype: "uint8" });
  } else {
    throw new TypeError(`${op}: pic should be a Tensor of shape (H, W, C) or (H, W), or an ImageData, got ${describeValue(pic)}`);
  }
  const chw = hwc.permute(2, 0, 1).contiguous();
  return chw.dtype === "uint8" ? chw.to("float32").div(255) : chw;
}

/**
 * Options of {@link normalize} and `Normalize`.
 *
 * @example
 * ```ts
 * const x = ones([1, 2, 2]);
 * transforms.functional.normalize(x, [0.5], [0.5], { inplace: true });
 * x.toArray(); // → [[[1, 1], [1, 1]]]
 * ```
 */
export interface NormalizeOptions {
  /** Write the result into the input (default false). */
  inplace?: boolean;
}

/**
 * Normalizes each channel: `out[c] = (x[c] − mean[c]) / std[c]`, like torchvision's `normalize`,
 * computed as torchvision does (`x.sub(mean).div(std)`, mean and std cast to the image's dtype
 * first, so in float32 for a float32 image). `x` is a float `(..., C, H, W)` tensor; `mean` and
 * `std` are one number or `C` numbers (a single number serves every channel). Gradients flow to
 * `x` unless `inplace`.
 *
 * PyTorch: `torchvision.transforms.functional.normalize`.
 *
 * @example
 * ```ts
 * const img = full([2, 1, 2], 0.5);
 * transforms.functional.normalize(img, [0.5, 0.25], [0.5, 0.25]).toArray(); // → [[[0, 0]], [[1, 1]]]
 * ```
 */
export function normalize(x: Tensor, mean: number | readonly number[], std: number | readonly number[], options: NormalizeOptions = {}): Tensor {
  const op = "normalize";
  const { inplace } = resolveDataOptions(op, options, { inplace: false });
  checkImage(op, x);
  if (x.dtype !== "float32" && x.dtype !== "float64") throw new TypeError(`${op}: input tensor should be a float tensor, got ${x.dtype}`);
  if (x.ndim < 3) throw new RangeError(`${op}: expected a tensor image of size (..., C, H, W), got shape ${fmtShape(x.shape)}`);
  const channels = x.shape[x.ndim - 3];
  const perChannel = (name: string, v: number | readonly number[]): Tensor => {
    const list = typeof v === "number" ? [v] : v;
    if (!Array.isArray(list) || list.length === 0 || list.some((e) => typeof e !== "number")) {
      throw new TypeError(`${op}: ${name} must be a number or a list of numbers, got ${describeValue(v)}`);
    }
    if (list.length !== 1 && list.length !== channels) {
      throw new RangeError(`${op}: ${name} has ${list.length} values [${list.join(", ")}] but the image ${fmtShape(x.shape)} has ${channels} channels`);
    }
    return tensor(list as number[], { dtype: x.dtype }).reshape(list.length, 1, 1);
  };
  const m = perChannel("mean", mean);
  const s = perChannel("std", std);
  if (s.eq(0).any().item()) {
    throw new RangeError(`${op}: std evaluated to zero after conversion to ${x.dtype}, leading to division by zero (std ${JSON.stringify(std)})`);
  }
  return inplace ? x.sub_(m).div_(s) : x.sub(m).div(s);
}

/**
 * Flips an image left to right: `x.flip(-1)`.
 *
 * PyTorch: `torchvision.transforms.functional.hflip`.
 *
 * @example
 * ```ts
 * transforms.functional.hflip(tensor([[[1, 2, 3]]])).toArray(); // → [[[3, 2, 1]]]
 * ```
 */
export function hflip(img: Tensor): Tensor {
  return checkImage("hflip", img).flip(-1);
}

/** How {@link pad} fills the border: torchvision's padding modes. */
export type PaddingMode = "constant" | "edge" | "reflect" | "symmetric";

/**
 * Options of {@link pad}.
 *
 * | option | default | torchvision |
 * |---|---|---|
 * | `fill` | `0` | `fill` |
 * | `paddingMode` | `"constant"` | `padding_mode` |
 *
 * @example
 * ```ts
 * transforms.functional.pad(tensor([[[1, 2]]]), [1, 0], { fill: 9 }).toArray(); // → [[[9, 1, 2, 9]]]
 * ```
 */
export interface PadOptions {
  /** The value of mode `"constant"` (default 0). */
  fill?: number;
  /** `"constant"` (default), `"edge"`, `"reflect"` or `"symmetric"`. */
  paddingMode?: PaddingMode;
}

// torchvision's _pad_symmetric: mirror including the edge, along one dim (at most its size).
function symmetricIndices(op: string, n: number, before: number, after: number): Tensor {
  if (before > n || after > n) throw new RangeError(`${op}: symmetric padding (${before}, ${after}) must be at most the dim's size ${n}`);
  const idx = [
    ...Array.from({ length: before }, (_, i) => before - 1 - i),
    ...Array.from({ length: n }, (_, i) => i),
    ...Array.from({ length: after }, (_, i) => n - 1 - i),
  ];
  return tensor(idx, { dtype: "int32" });
}

/**
 * Pads the last two dims (H, W) of an image, like torchvision's `pad` on a tensor. `padding` is
 * `p` (every side), `[leftRight, topBottom]` or `[left, top, right, bottom]`. Modes, for an edge
 * row `a b c d` padded by 2 on the left: `"constant"` `f f a b c d` (`fill`), `"edge"`
 * `a a a b c d`, `"reflect"` `c b a b c d` (padding less than the size), `"symmetric"`
 * `b a a b c d` (padding at most the size).
 *
 * PyTorch: `torchvision.transforms.functional.pad`.
 *
 * @example
 * ```ts
 * const img = tensor([[[1, 2, 3]]]);
 * transforms.functional.pad(img, [2, 0], { paddingMode: "reflect" }).toArray();   // → [[[3, 2, 1, 2, 3, 2, 1]]]
 * transforms.functional.pad(img, [2, 0], { paddingMode: "symmetric" }).toArray(); // → [[[2, 1, 1, 2, 3, 3, 2]]]
 * ```
 */
export function pad(img: Tensor, padding: Padding, options: PadOptions = {}): Tensor {
  const op = "pad";
  const { fill, paddingMode } = resolveDataOptions(op, options, { fill: 0, paddingMode: "constant" as PaddingMode });
  checkImage(op, img, paddingMode === "constant" || paddingMode === "symmetric" ? 2 : 3);
  const [left, right, top, bottom] = parsePadding(op, padding);
  if (paddingMode === "symmetric") {
    const [h, w] = img.shape.slice(-2);
    return img.indexSelect(-2, symmetricIndices(op, h, top, bottom)).indexSelect(-1, symmetricIndices(op, w, left, right));
  }
  const p = [left, right, top, bottom];
  if (paddingMode === "constant") return padNd(img, p, { value: fill });
  const mode = paddingMode === "edge" ? "replicate" : "reflect";
  if (img.ndim > 4) throw new RangeError(`${op}: padding mode "${paddingMode}" takes a (C, H, W) or (N, C, H, W) image, got shape ${fmtShape(img.shape)}`);
  return padNd(img, p, mode);
}

/**
 * The `height × width` window of an image whose top-left corner is at (`top`, `left`), like
 * torchvision's `crop`: parts of the window outside the image are zeros (a window may start at a
 * negative position or run past the edge).
 *
 * PyTorch: `torchvision.transforms.functional.crop`.
 *
 * @example
 * ```ts
 * const img = arange(9).reshape(1, 3, 3);
 * transforms.functional.crop(img, 1, 1, 2, 2).toArray();  // → [[[4, 5], [7, 8]]]
 * transforms.functional.crop(img, -1, 0, 2, 1).toArray(); // → [[[0], [0]]]
 * ```
 */
export function crop(img: Tensor, top: number, left: number, height: number, width: number): Tensor {
  const op = "crop";
  checkImage(op, img);
  for (const [name, v] of [["top", top], ["left", left], ["height", height], ["width", width]] as const) {
    if (!Number.isSafeInteger(v)) throw new TypeError(`${op}: ${name} must be an integer, got ${describeValue(v)}`);
  }
  if (height < 0 || width < 0) throw new RangeError(`${op}: height and width must be >= 0, got ${height}×${width}`);
  const [h, w] = img.shape.slice(-2);
  const bottom = top + height;
  const right = left + width;
  const y0 = Math.min(Math.max(top, 0), h);
  const x0 = Math.min(Math.max(left, 0), w);
  const inside = img.narrow(-2, y0, Math.max(Math.min(bottom, h) - y0, 0)).narrow(-1, x0, Math.max(Math.min(right, w) - x0, 0));
  if (left >= 0 && top >= 0 && right <= w && bottom <= h) return inside;
  // torchvision's padding_ltrb: what lies outside the image on each side.
  const ltrb = [Math.max(-left + Math.min(0, right), 0), Math.max(-top + Math.min(0, bottom), 0), Math.max(right - Math.max(w, left), 0), Math.max(bottom - Math.max(h, top), 0)];
  return padNd(inside, [ltrb[0], ltrb[2], ltrb[1], ltrb[3]], { value: 0 });
}
