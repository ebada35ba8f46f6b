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
};
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
