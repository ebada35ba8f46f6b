/**
 * The small integer dtypes (uint8, int8, int16) and the promotion table against PyTorch: every
 * ordered pair of dtypes as torch.result_type gives it (tensor/tensor, tensor/0-d tensor,
 * tensor/Python int and float), then the cases of tools/fixtures/gen_core_dtypes.py (wrap-around
 * arithmetic, casts, sums, comparisons, bitwise ops), and creation, printing and serialization.
 */
import { describe, it, expect } from "vitest";
import { DTYPES, Tensor, deserialize, full, promoteTypes, serialize, stack, tensor, zeros, type DType } from "@tsgrad/core";
import { resultTypeOf } from "../src/ops/helpers.js";
import { runCase, type OpCase, type OpFn } from "./op-table.js";
import { decode, expectClose, loadFixture } from "../../../tools/test-utils.js";

interface PromotionRow {
  dtype: DType;
  int: DType;
  float: DType;
  tensors: Record<DType, DType>;
  zeroDim: Record<DType, DType>;
}
const FIXTURE = loadFixture<{ promotion: PromotionRow[]; cases: OpCase[] }>(new URL("./fixtures/core-dtypes.json", import.meta.url));

describe("type promotion = torch.result_type", () => {
  it("covers every dtype", () => expect(FIXTURE.promotion.map((r) => r.dtype).sort()).toEqual([...DTYPES].sort()));
  for (const row of FIXTURE.promotion) {
    it(`${row.dtype} with every dtype, 0-d tensor and number`, () => {
      const a = zeros([2], { dtype: row.dtype });
      for (const b of DTYPES) {
        expect(promoteTypes(row.dtype, b), `${row.dtype} with ${b}`).toBe(row.tensors[b]);
        expect(resultTypeOf([a, zeros([2], { dtype: b })]), `${row.dtype} with ${b}`).toBe(row.tensors[b]);
        expect(a.maximum(zeros([2], { dtype: b })).dtype, `maximum(${row.dtype}, ${b})`).toBe(row.tensors[b]);
        expect(resultTypeOf([a, zeros([], { dtype: b })]), `${row.dtype} with a 0-d ${b}`).toBe(row.zeroDim[b]);
        expect(a.maximum(zeros([], { dtype: b })).dtype, `maximum(${row.dtype}, 0-d ${b})`).toBe(row.zeroDim[b]);
      }
      expect(resultTypeOf([a, 1]), `${row.dtype} with an integer`).toBe(row.int);
      expect(resultTypeOf([a, 1.5]), `${row.dtype} with a float`).toBe(row.float);
      expect(a.maximum(1.5).dtype).toBe(row.float);
    });
  }
});

const CASES = FIXTURE.cases;
const SMALL = ["uint8", "int8", "int16"] as const;
const OPS: Record<string, OpFn> = {
  uint8_plus_int8: (a, b) => a.add(b),
  uint8_sub_below_zero: (a) => a.sub(10),
  int8_with_zero_dim_int16: (a, b) => a.add(b),
  bool_with_uint8: (a, b) => a.add(b),
  int32_mul_wraps: (a, b) => a.mul(b),
  int32_square_wraps: (a) => a.square(),
  int32_pow_scalar_wraps: (a) => stack([a.pow(2), a.pow(3), a.pow(13), a.pow(0), a.pow(31)]),
  int32_pow_tensor_wraps: (a, b) => a.pow(b),
  int32_pow_negative_exponents: (a, b) => a.pow(b),
  int32_pow_scalar_base: (e) => tensor(3, { dtype: "int32" }).pow(e),
  int32_pow_broadcast: (a, b) => a.pow(b),
};
for (const d of SMALL) {
  Object.assign(OPS, {
    [`${d}_add_wraps`]: (a: Tensor, b: Tensor) => a.add(b),
    [`${d}_sub_wraps`]: (a: Tensor, b: Tensor) => a.sub(b),
    [`${d}_mul_wraps`]: (a: Tensor, b: Tensor) => a.mul(b),
    [`${d}_pow_wraps`]: (a: Tensor, b: Tensor) => a.pow(b),
    [`${d}_square_wraps`]: (a: Tensor) => a.square(),
    [`${d}_neg`]: (a: Tensor) => a.neg(),
    [`${d}_add_scalar`]: (a: Tensor) => a.add(100),
    [`${d}_mul_float_scalar`]: (a: Tensor) => a.mul(0.5),
    [`${d}_true_div`]: (a: Tensor, b: Tensor) => a.div(b),
    [`${d}_floor_divide`]: (a: Tensor, b: Tensor) => a.floorDivide(b),
    [`${d}_remainder`]: (a: Tensor, b: Tensor) => a.remainder(b),
    [`${d}_sum`]: (a: Tensor) => a.sum(),
    [`${d}_sum_dim`]: (a: Tensor) => a.reshape(2, 2).sum(0),
    [`${d}_compare`]: (a: Tensor, b: Tensor) => stack([a.lt(b), a.eq(b), a.ge(b)]),
    [`${d}_maximum`]: (a: Tensor, b: Tensor) => a.maximum(b),
    [`${d}_abs`]: (a: Tensor) => a.abs(),
    [`${d}_shift`]: (a: Tensor) => stack([a.bitwiseLeftShift(3), a.bitwiseRightShift(2)]),
    [`${d}_from_float`]: (x: Tensor) => x.to(d),
    [`${d}_to_float`]: (a: Tensor) => a.to("float32"),
    [`${d}_exp`]: (a: Tensor) => a.exp(),
    [`${d}_with_int32`]: (a: Tensor, b: Tensor) => a.add(b),
    [`${d}_with_float64`]: (a: Tensor, b: Tensor) => a.mul(b),
    [`${d}_bitwise`]: (a: Tensor, b: Tensor) => stack([a.bitwiseAnd(b), a.bitwiseOr(b), a.bitwiseXor(b), a.bitwiseNot()]),
  });
}

describe("small-integer arithmetic matches PyTorch (values and dtypes)", () => {
  it("lists exactly the fixture's cases", () => expect(Object.keys(OPS).sort()).toEqual(CASES.map((c) => c.name).sort()));
  for (const c of CASES) {
    it(c.name, () => {
      const outs = runCase(c.name, c.inputs.map((e) => decode(e)), OPS);
      expect(outs.length).toBe(c.outputs.length);
      outs.forEach((o, k) => {
        expect(o.dtype, `${c.name}: dtype`).toBe(c.outputs[k].dtype);
        // float32 results of integer inputs are computed in float64 and rounded once (PyTorch: in float32)
        const f32 = o.dtype === "float32";
        expectClose(o, c.outputs[k], `${c.name}: output ${k}`, f32 ? 1e-6 : 0, 0);
      });
    });
  }
});

describe("creating, printing and storing the small integer dtypes", () => {
  for (const d of SMALL) {
    it(`${d}: a value out of range throws on creation, like PyTorch`, () => {
      const [lo, hi] = { uint8: [0, 255], int8: [-128, 127], int16: [-32768, 32767] }[d];
      expect(tensor([lo, hi], { dtype: d }).toArray()).toEqual([lo, hi]);
      expect(() => tensor([hi + 1], { dtype: d })).toThrow(new RegExp(`^tensor: value ${hi + 1} at index 0 cannot be converted to ${d} without overflow`));
      expect(() => full([2], lo - 1, { dtype: d })).toThrow(/^full: value .* cannot be converted to/);
    });
    it(`${d}: prints its dtype, survives serialize/deserialize, keeps its typed array`, () => {
      const t = tensor([[1, 2], [3, 4]], { dtype: d });
      expect(t.toString()).toBe(`tensor([[1, 2],\n        [3, 4]], dtype=${d})`);
      const back = deserialize(serialize(t)) as Tensor;
      expect(back.dtype).toBe(d);
      expect(back.toArray()).toEqual([[1, 2], [3, 4]]);
      expect(t.data.constructor.name).toBe({ uint8: "Uint8Array", int8: "Int8Array", int16: "Int16Array" }[d]);
    });
  }
  it("uint8 is not bool: it holds 0..255 and sums as an integer", () => {
    const img = tensor(new Uint8Array([0, 128, 255]), { dtype: "uint8" });
    expect(img.dtype).toBe("uint8");
    expect(img.sum().item()).toBe(383);
    expect(img.sum().dtype).toBe("int32");
    expect(img.div(255).dtype).toBe("float32");
    expect(img.bool().toArray()).toEqual([false, true, true]);
  });
  it("requiresGrad is refused for the integer dtypes", () => {
    for (const d of SMALL) expect(() => zeros([2], { dtype: d, requiresGrad: true })).toThrow(/floating-point/);
  });
});
