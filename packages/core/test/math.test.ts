/**
 * The pointwise math library against PyTorch: every case of tools/fixtures/gen_core_math.py, once,
 * as the tsgrad expression that should reproduce it. Each case runs in its fixture's dtype
 * (float32 cases were computed by PyTorch in float32) forward and backward, a float64 gradcheck
 * and, where flagged, a gradgradcheck. Ops PyTorch does not differentiate are compared on values.
 */
import { describe, it, expect } from "vitest";
import { Tensor, tensor } from "@tsgrad/core";
import * as tg from "tsgrad";
import { checkAgainstReference, gradcheckSuites, isFloat, runCase, type OpCase, type OpFn } from "./op-table.js";
import { decode, expectClose, loadFixture } from "../../../tools/test-utils.js";

const CASES = loadFixture<{ cases: OpCase[] }>(new URL("./fixtures/core-math.json", import.meta.url)).cases;

const UNARY: Record<string, (x: Tensor) => Tensor> = {
  tan: (x) => x.tan(), asin: (x) => x.asin(), acos: (x) => x.acos(), atan: (x) => tg.atan(x),
  sinh: (x) => x.sinh(), cosh: (x) => tg.cosh(x), asinh: (x) => x.asinh(), acosh: (x) => x.acosh(),
  atanh: (x) => x.atanh(), log2: (x) => x.log2(), log10: (x) => tg.log10(x), exp2: (x) => x.exp2(),
  sinc: (x) => x.sinc(), erfc: (x) => x.erfc(), erfinv: (x) => tg.erfinv(x), lgamma: (x) => x.lgamma(),
  digamma: (x) => x.digamma(), i0: (x) => x.i0(), trunc: (x) => x.trunc(), frac: (x) => tg.frac(x),
};

/** Case name → the tsgrad expression. Names match gen_core_math.py, which has the PyTorch side. */
const MATH: Record<string, OpFn> = {
  sinc_near_zero: (x) => x.sinc(),
  sinc_0d: (x) => tg.sinc(x),
  tan_empty: (x) => x.tan(),
  atanh_expanded: (x) => x.expand(3, 4).atanh(),
  lgamma_negative: (x) => x.lgamma(),
  digamma_negative: (x) => x.digamma(),
  erfinv_tails: (x) => x.erfinv(),
  erfc_tails: (x) => x.erfc(),
  i0_large: (x) => x.i0(),
  polygamma_1_float32: (x) => x.polygamma(1),
  logit: (x) => x.logit(),
  logit_eps: (x) => x.logit(0.2),
  logit_special: (x) => tg.logit(x),
  logit_eps_special: (x) => x.logit(0.25),
  logit_float32: (x) => x.logit(1e-6),
  round_decimals: (x) => x.round({ decimals: 2 }),
  round_decimals_negative: (x) => tg.round(x, { decimals: -2 }),
  round_decimals_float32: (x) => x.round({ decimals: 3 }),
  round_decimals_grad: (x) => x.round({ decimals: 1 }),
  round_half_even: (x) => x.round(),

  atan2: (a, b) => a.atan2(b),
  atan2_bcast: (a, b) => tg.atan2(a, b),
  atan2_special: (a, b) => a.atan2(b),
  atan2_int: (a, b) => a.arctan2(b),
  hypot: (a, b) => a.hypot(b),
  hypot_bcast: (a, b) => tg.hypot(a, b),
  hypot_special: (a, b) => a.hypot(b),
  logaddexp: (a, b) => a.logaddexp(b),
  logaddexp_bcast: (a, b) => tg.logaddexp(a, b),
  logaddexp_special: (a, b) => a.logaddexp(b),
  logaddexp_float32: (a, b) => a.logaddexp(b),
  logaddexp2: (a, b) => a.logaddexp2(b),
  logaddexp2_special: (a, b) => tg.logaddexp2(a, b),
  xlogy: (a, b) => a.xlogy(b),
  xlogy_bcast: (a, b) => tg.xlogy(a, b),
  xlogy_scalar: (a) => a.xlogy(3),
  xlogy_special: (a, b) => a.xlogy(b),
  xlogy_int: (a, b) => a.xlogy(b),
  copysign: (a, b) => a.copysign(b),
  copysign_bcast: (a, b) => tg.copysign(a, b),
  copysign_special: (a, b) => a.copysign(b),
  copysign_scalar: (a) => a.copysign(-1),
  copysign_int: (a, b) => a.copysign(b),
  nextafter: (a, b) => a.nextafter(b),
  nextafter_float32: (a, b) => a.nextafter(b),
  nextafter_bcast: (a, b) => tg.nextafter(a, b),
  heaviside: (a, b) => a.heaviside(b),
  heaviside_int: (a, b) => tg.heaviside(a, b),

  div_none: (a, b) => a.div(b, { roundingMode: null }),
  floor_divide: (a, b) => a.floorDivide(b),
  floor_divide_special: (a, b) => a.floorDivide(b),
  floor_divide_int: (a, b) => tg.floorDivide(a, b),
  floor_divide_float32: (a, b) => a.floorDivide(b),
  floor_divide_bcast_scalar: (a) => a.floorDivide(0.7),

  clamp_tensors: (x, lo, hi) => x.clamp(lo, hi),
  clamp_tensors_kinks: (x, lo, hi) => tg.clamp(x, lo, hi),
  clamp_tensor_min: (x, lo) => x.clamp(lo),
  clamp_tensor_min_kinks: (x, lo) => x.clamp(lo, null),
  clamp_tensor_max: (x, hi) => x.clamp(null, hi),
  clamp_tensor_max_kinks: (x, hi) => x.clip(undefined, hi),
  clamp_tensor_and_number: (x, lo) => x.clamp(lo, 0.5),
  clamp_min: (x, lo) => x.clampMin(lo),
  clamp_min_scalar: (x) => tg.clampMin(x, 0.25),
  clamp_max: (x, hi) => tg.clampMax(x, hi),
  clamp_max_scalar: (x) => x.clampMax(-0.25),
  clamp_int_by_float_tensor: (x, lo) => x.clamp(lo),
  clamp_tensors_float32: (x, lo, hi) => x.clamp(lo, hi),

  lerp_scalar: (a, b) => a.lerp(b, 0.3),
  lerp_scalar_high: (a, b) => tg.lerp(a, b, 0.75),
  lerp_scalar_ends: (a, b) => tg.stack([a.lerp(b, 0), a.lerp(b, 1), a.lerp(b, -0.5), a.lerp(b, 0.5)]),
  lerp_tensor: (a, b, w) => a.lerp(b, w),
  lerp_tensor_bcast: (a, b, w) => tg.lerp(a, b, w),
  lerp_float32: (a, b, w) => a.lerp(b, w),
  lerp_special: (a, b, w) => a.lerp(b, w),
  addcmul: (a, b, c) => a.addcmul(b, c, { value: 0.5 }),
  addcmul_bcast: (a, b, c) => tg.addcmul(a, b, c),
  addcmul_int: (a, b, c) => a.addcmul(b, c, { value: 3 }),
  addcdiv: (a, b, c) => a.addcdiv(b, c, { value: -2 }),
  addcdiv_bcast: (a, b, c) => tg.addcdiv(a, b, c),
  addcdiv_float32: (a, b, c) => a.addcdiv(b, c, { value: 0.1 }),

  signbit_bool: (x) => x.signbit(),
  nan_to_num: (x) => x.nanToNum(),
  nan_to_num_values: (x) => tg.nanToNum(x, { nan: -1, posinf: 9, neginf: -9 }),
  nan_to_num_float32: (x) => x.nanToNum(),
  nan_to_num_int: (x) => x.nanToNum(),
  nan_to_num_grad: (x) => x.nanToNum(),
  isclose: (a, b) => a.isclose(b),
  isclose_float32: (a, b) => a.isclose(b),
  isclose_tolerances: (a, b) => tg.isclose(a, b, { rtol: 1e-3, atol: 1e-6, equalNan: true }),
  isclose_zero_tolerance: (a, b) => a.isclose(b, { rtol: 0, atol: 0 }),
  isclose_bcast: (a, b) => a.isclose(b),
  isclose_int: (a, b) => a.isclose(b, { rtol: 0.1, atol: 1 }),
  allclose: (a, b) => tensor([a.allclose(b), a.narrow(0, 0, 2).allclose(b.narrow(0, 0, 2)), tg.allclose(a, b, { equalNan: true })]),
  allclose_infinities: (a, b) => tensor([a.allclose(b), a.narrow(0, 0, 1).allclose(b.narrow(0, 0, 1))]),
  equal: (a, b) => tensor([a.equal(b), a.equal(a), a.narrow(0, 0, 2).equal(b.narrow(0, 0, 2)), tg.equal(a, b.narrow(0, 0, 2))]),
  equal_nan_and_dtypes: (a, i) => tensor([a.equal(a), a.narrow(0, 0, 2).equal(i.double())]),

  logical_xor: (a, b) => a.logicalXor(b),
  logical_xor_numbers: (a, b) => tg.logicalXor(a, b),
  bitwise_not: (a) => a.bitwiseNot(),
  bitwise_not_bool: (a) => tg.bitwiseNot(a),
  bitwise_left_shift: (a, b) => a.bitwiseLeftShift(b),
  bitwise_left_shift_scalar: (a) => tg.bitwiseLeftShift(a, 3),
  bitwise_right_shift: (a, b) => a.bitwiseRightShift(b),
  bitwise_right_shift_scalar: (a) => a.bitwiseRightShift(2),
};
const PREDICATES = { isinf: (x: Tensor) => x.isinf(), isposinf: (x: Tensor) => x.isposinf(), isneginf: (x: Tensor) => tg.isneginf(x),
  isfinite: (x: Tensor) => x.isfinite(), signbit: (x: Tensor) => tg.signbit(x), isnan: (x: Tensor) => x.isnan() };
for (const [name, f] of Object.entries(PREDICATES)) for (const suffix of ["", "_float32", "_int"]) MATH[`${name}${suffix}`] = f;
for (const [name, f] of [["and", (a: Tensor, b: Tensor | number) => a.bitwiseAnd(b)], ["or", (a: Tensor, b: Tensor | number) => a.bitwiseOr(b)], ["xor", (a: Tensor, b: Tensor | number) => tg.bitwiseXor(a, b)]] as const) {
  for (const suffix of ["", "_bool", "_bool_int", "_bcast"]) MATH[`bitwise_${name}${suffix}`] = (a, b) => f(a, b);
  MATH[`bitwise_${name}_scalar`] = (a) => f(a, 6);
}
for (const [name, f] of Object.entries(UNARY)) {
  MATH[name] = f;
  MATH[`${name}_transposed`] = (x) => f(x.T);
  MATH[`${name}_float32`] = f;
  MATH[`${name}_special`] = f;
  if (CASES.some((c) => c.name === `${name}_int`)) MATH[`${name}_int`] = f;
}
for (const n of [0, 1, 2, 3]) {
  MATH[`polygamma_${n}`] = (x) => x.polygamma(n);
  MATH[`polygamma_${n}_special`] = (x) => x.polygamma(n);
}
for (const mode of ["trunc", "floor"] as const) {
  const f = (a: Tensor, b: Tensor | number): Tensor => a.div(b, { roundingMode: mode });
  for (const suffix of ["", "_special", "_int", "_float32"]) MATH[`div_${mode}${suffix}`] = (a, b) => f(a, b);
  MATH[`div_${mode}_scalar`] = (a) => f(a, -1.5);
  MATH[`div_${mode}_int_by_float`] = (a) => tg.div(a, 2.5, { roundingMode: mode });
}
for (const name of ["remainder", "fmod"] as const) {
  const f = (a: Tensor, b: Tensor | number): Tensor => a[name](b);
  for (const suffix of ["", "_negative_divisor", "_special", "_int", "_float32"]) MATH[`${name}${suffix}`] = (a, b) => f(a, b);
  MATH[`${name}_scalar`] = (a) => f(a, -1.5);
  MATH[`${name}_int_scalar`] = (a) => tg[name](a, -3);
  MATH[`${name}_transposed`] = (a, b) => f(a.T, b);
}

/** Cases of ops PyTorch does not differentiate (its backward throws): values only. */
const VALUES_ONLY = /^(nextafter|heaviside$|floor_divide)/;

describe("math table", () => {
  it("lists exactly the fixture's cases", () => {
    expect(Object.keys(MATH).sort()).toEqual(CASES.map((c) => c.name).sort());
  });
});

describe("forward and backward match PyTorch", () => {
  for (const c of CASES) {
    const float32 = [...c.inputs, ...c.outputs].some((e) => e.dtype === "float32");
    const tol = float32 ? { rtol: 1e-5, atol: 1e-6 } : {};
    if (VALUES_ONLY.test(c.name) || !c.inputs.some((e) => isFloat(e.dtype))) {
      it(`${c.name} (values)`, () => {
        const outs = runCase(c.name, c.inputs.map((e) => decode(e)), MATH);
        outs.forEach((o, k) => {
          expect(o.dtype).toBe(c.outputs[k].dtype);
          // exact where tsgrad and PyTorch compute in the same precision (float32 computes in float64 here)
          expectClose(o, c.outputs[k], `${c.name}: output ${k}`, tol.rtol ?? 0, tol.atol ?? 0);
        });
      });
    } else {
      it(c.name, () => checkAgainstReference(c, tol, MATH));
    }
  }
});

gradcheckSuites(CASES, MATH);

describe("ops PyTorch does not differentiate", () => {
  for (const [name, f] of [
    ["nextafter", (x: Tensor) => x.nextafter(tensor(0))],
    ["heaviside", (x: Tensor) => x.heaviside(tensor([0.5]))],
    ["floorDivide", (x: Tensor) => x.floorDivide(2)],
  ] as const) {
    it(`${name} records a node whose backward throws naming the op`, () => {
      const x = tensor([1.5, -2], { requiresGrad: true });
      const y = f(x);
      expect(y.requiresGrad).toBe(true);
      expect(() => y.sum().backward()).toThrow(new RegExp(`^${name}: the derivative for '${name}' is not implemented`));
    });
  }
});

describe("float32 nextafter steps one float32 ulp", () => {
  it("from 1 up and down, and across zero", () => {
    const one = tensor([1, 1, 0]);
    const to = tensor([2, 0, -1]);
    expect(Array.from(one.nextafter(to).dataSync())).toEqual([1 + 2 ** -23, 1 - 2 ** -24, -(2 ** -149)]);
  });
});

describe("shifts out of range follow PyTorch >= 2.1 (undefined behaviour in 1.13)", () => {
  it("a negative count or one of 32 or more gives 0 for <<, the sign fill for >>", () => {
    const x = tensor([5, -5, 5, -5], { dtype: "int32" });
    const n = tensor([32, 33, -1, 40], { dtype: "int32" });
    expect(x.bitwiseLeftShift(n).toArray()).toEqual([0, 0, 0, 0]);
    expect(x.bitwiseRightShift(n).toArray()).toEqual([0, -1, 0, -1]);
  });
});
