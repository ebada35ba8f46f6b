/** Scalar special functions that JavaScript's Math lacks, callable from compiled kernels. */

const TWO_OVER_SQRT_PI = 1.1283791670955126;

/**
 * The error function to ~1e-15 relative: the everywhere-positive series
 * `erf x = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (1·3···(2n+1))` for |x| < 3, and erfc's continued
 * fraction beyond (no cancellation on either side).
 */
export function erf(x: number): number {
  if (x !== x) return NaN;
  const ax = Math.abs(x);
  if (ax < 3) {
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 200; n++) {
      term *= (2 * x2) / (2 * n + 1);
      sum += term;
      if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
    }
    return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
  }
  if (ax > 6) return x > 0 ? 1 : -1;
  // erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))), by backward recurrence.
  let f = ax;
  for (let k = 60; k >= 1; k--) f = ax + k / 2 / f;
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
  return x > 0 ? 1 - erfc : erfc - 1;
}

/** Round half to even, like PyTorch's `round`. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : r;
}

/** The complementary error function `1 − erf x`, without the cancellation of `1 − erf(x)` for large x. */
export function erfc(x: number): number {
  if (x !== x) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 2) return 1 - erf(x);
  if (x > 27.3) return 0;
  // erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), by backward recurrence.
  let f = x;
  for (let k = 120; k >= 1; k--) f = x + k / 2 / f;
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

/**
 * The inverse error function: Giles' single-precision approximation as the start, then Newton
 * steps on erf (erfc near ±1, where 1 − |y| is exact) to double precision. ±1 give ±∞, |y| > 1 NaN.
 */
export function erfinv(y: number): number {
  if (y !== y || y < -1 || y > 1) return NaN;
  if (y === 1) return Infinity;
  if (y === -1) return -Infinity;
  if (y === 0) return y;
  let w = -Math.log((1 - y) * (1 + y));
  let p: number;
  if (w < 5) {
    w -= 2.5;
    p = 2.81022636e-8;
    for (const c of [3.43273939e-7, -3.5233877e-6, -4.39150654e-6, 0.00021858087, -0.00125372503, -0.00417768164, 0.246640727, 1.50140941]) p = c + p * w;
  } else {
    w = Math.sqrt(w) - 3;
    p = -0.000200214257;
    for (const c of [0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613, 0.00943887047, 1.00167406, 2.83297682]) p = c + p * w;
  }
  const a = Math.abs(y);
  let x = p * a;
  for (let i = 0; i < 30; i++) {
    const residual = a < 0.5 ? erf(x) - a : (1 - a) - erfc(x);
    const step = residual / (TWO_OVER_SQRT_PI * Math.exp(-x * x));
    x -= step;
    if (Math.abs(step) <= 1e-16 * Math.abs(x)) break;
  }
  return y < 0 ? -x : x;
}

// sin(πx) with the argument reduced exactly (x mod 2), so large and integer x stay accurate.
function sinPi(x: number): number {
  const r = x % 2;
  if (r === 0 || r === 1 || r === -1) return 0;
  return Math.sin(Math.PI * r);
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_2PI = 0.9189385332046728;

/**
 * `ln |Γ(x)|`: Lanczos' approximation (g = 7, 9 terms) for x ≥ ½, the reflection
 * `ln(π / |sin πx|) − lnΓ(1 − x)` below; +∞ at the poles (0, −1, −2, …) and at ±∞, as C's lgamma.
 */
export function lgamma(x: number): number {
  if (x !== x) return NaN;
  if (x === Infinity || x === -Infinity) return Infinity;
  if (x <= 0 && x === Math.floor(x)) return Infinity;
  if (x === 1 || x === 2) return 0;
  if (x < 0.5) return Math.log(Math.PI / Math.abs(sinPi(x))) - lgamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0];
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (z + i);
  const t = z + 7.5;
  return HALF_LOG_2PI + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

// PyTorch's calc_digamma (Cephes psi): the asymptotic series in 1/x² has these coefficients,
// B₂ₖ/2k from k = 7 down to 1.
const PSI_SERIES = [
  8.33333333333333333333e-2, -2.10927960927960927961e-2, 7.57575757575757575758e-3, -4.16666666666666666667e-3,
  3.96825396825396825397e-3, -8.33333333333333333333e-3, 8.33333333333333333333e-2,
];
const PSI_10 = 2.25175258906672110764;

/** The digamma function ψ(x) = d/dx ln Γ(x), PyTorch's algorithm: ∓∞ at ±0, NaN at negative integers. */
export function digamma(x: number): number {
  if (x !== x) return NaN;
  if (x === 0) return 1 / x < 0 ? Infinity : -Infinity;
  if (x === Infinity) return Infinity;
  if (x < 0) {
    if (x === Math.trunc(x)) return NaN;
    const r = x - Math.trunc(x);
    return digamma(1 - x) - Math.PI / Math.tan(Math.PI * r);
  }
  let result = 0;
  while (x < 10) {
    result -= 1 / x;
    x += 1;
  }
  if (x === 10) return result + PSI_10;
  let y = 0;
  if (x < 1e17) {
    const z = 1 / (x * x);
    let p = PSI_SERIES[0];
    for (let i = 1; i < PSI_SERIES.length; i++) p = p * z + PSI_SERIES[i];
    y = z * p;
  }
  return result + Math.log(x) - 0.5 / x - y;
}

/** The trigamma function ψ′(x), PyTorch's calc_trigamma (reflection below ½, six recurrence steps, asymptotic series). */
export function trigamma(x: number): number {
  let sign = 1;
  let result = 0;
  if (x < 0.5) {
    sign = -1;
    const s = Math.sin(Math.PI * x);
    result -= (Math.PI * Math.PI) / (s * s);
    x = 1 - x;
  }
  for (let i = 0; i < 6; i++) {
    result += 1 / (x * x);
    x += 1;
  }
  const ixx = 1 / (x * x);
  result += (1 + 1 / (2 * x) + ixx * (1 / 6 - ixx * (1 / 30 - ixx * (1 / 42)))) / x;
  return sign * result;
}

// (2k)!/B₂ₖ for k = 1..12: the Euler–Maclaurin tail of the Hurwitz zeta function (Cephes zeta).
const ZETA_A = [
  12.0, -720.0, 30240.0, -1209600.0, 47900160.0, -1.8924375803183791606e9, 7.47242496e10, -2.950130727918164224e12,
  1.1646782814350067249e14, -4.5979787224074726105e15, 1.8152105401943546773e17, -7.1661652561756670113e18,
];
const MACHEP = 1.11022302462515654042e-16;

/** The Hurwitz zeta function ζ(x, q) = Σₖ (k + q)^(−x), Cephes' algorithm as PyTorch has it. */
export function zeta(x: number, q: number): number {
  if (x === 1) return Infinity;
  if (x < 1) return NaN;
  if (q <= 0) {
    if (q === Math.floor(q)) return Infinity;
    if (x !== Math.floor(x)) return NaN;
  }
  let s = Math.pow(q, -x);
  let a = q;
  let i = 0;
  let b = 0;
  while (i < 9 || a <= 9) {
    i += 1;
    a += 1;
    b = Math.pow(a, -x);
    s += b;
    if (-MACHEP * s < b && b < MACHEP * s) return s;
  }
  const w = a;
  s += (b * w) / (x - 1);
  s -= 0.5 * b;
  a = 1;
  let k = 0;
  for (let j = 0; j < 12; j++) {
    a *= x + k;
    b /= w;
    const t = (a * b) / ZETA_A[j];
    s += t;
    if (Math.abs(t / s) < MACHEP) return s;
    k += 1;
    a *= x + k;
    b /= w;
    k += 1;
  }
  return s;
}

/** ψ⁽ⁿ⁾(x), the n-th derivative of digamma: digamma, trigamma, then `(−1)ⁿ⁺¹ n! ζ(n + 1, x)` as PyTorch. */
export function polygamma(n: number, x: number): number {
  if (n === 0) return digamma(x);
  if (n === 1) return trigamma(x);
  let factorial = 1;
  for (let k = 2; k <= n; k++) factorial *= k;
  return (n % 2 ? 1 : -1) * factorial * zeta(n + 1, x);
}

// Modified Bessel functions of the first kind: the everywhere-positive power series
// Σ (x²/4)ᵏ / (k!(k + ν)!) up to |x| = 30, the asymptotic series e^|x|/√(2π|x|)·Σ (−1)ᵏ aₖ(ν)/|x|ᵏ beyond
// (NaN at ±∞, as PyTorch).
function besselI(nu: 0 | 1, x: number): number {
  const ax = Math.abs(x);
  if (ax !== ax) return NaN;
  // Cephes (and so PyTorch) evaluates e^x·P(32/x − 2)/√x, which is ∞/∞ at ±∞.
  if (ax === Infinity) return NaN;
  let value: number;
  if (ax <= 30) {
    const q = (ax * ax) / 4;
    let term = nu === 0 ? 1 : ax / 2;
    let sum = term;
    for (let k = 1; k < 500; k++) {
      term *= q / (k * (k + nu));
      sum += term;
      if (term < 1e-17 * sum) break;
    }
    value = sum;
  } else {
    const mu = 4 * nu * nu;
    let term = 1;
    let sum = 1;
    for (let k = 1; k < 60; k++) {
      const next = (term * -(mu - (2 * k - 1) * (2 * k - 1))) / (k * 8 * ax);
      if (Math.abs(next) >= Math.abs(term)) break;
      term = next;
      sum += term;
      if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
    }
    // e^|x| first, so the result overflows where PyTorch's (Cephes') does: past |x| ≈ 709.78.
    value = (Math.exp(ax) * sum) / Math.sqrt(2 * Math.PI * ax);
  }
  return nu === 1 && x < 0 ? -value : value;
}

/** The modified Bessel function of the first kind of order 0, I₀(x) = Σ (x²/4)ᵏ/(k!)². */
export function i0(x: number): number {
  return besselI(0, x);
}

/** The modified Bessel function of the first kind of order 1, I₁(x) = (x/2) Σ (x²/4)ᵏ/(k!(k + 1)!). */
export function i1(x: number): number {
  return besselI(1, x);
}

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const F32 = new Float32Array(1);
const I32 = new Int32Array(F32.buffer);
// Which 32-bit half of a float64 holds the sign and exponent (1 on little-endian machines).
const HIGH = new Uint8Array(new Float64Array([-0]).buffer)[7] === 0x80 ? 1 : 0;

/** True when the sign bit is set: negative numbers, −0 and NaNs with the sign bit (C's signbit). */
export function signbit(v: number): boolean {
  if (v < 0) return true;
  if (v > 0) return false;
  F64[0] = v;
  return U32[HIGH] >>> 31 === 1;
}

/** `|a|` with the sign of `b` (C's copysign; −0 and a negative-signed NaN count as negative). */
export function copysign(a: number, b: number): number {
  const m = Math.abs(a);
  return signbit(b) ? -m : m;
}

/** The next float64 after `x` towards `y` (C's nextafter): `y` when equal, NaN when either is. */
export function nextafter(x: number, y: number): number {
  if (x !== x || y !== y) return NaN;
  if (x === y) return y;
  if (x === 0) return y > 0 ? 5e-324 : -5e-324;
  F64[0] = x;
  const lo = 1 - HIGH;
  if ((y > x) === (x > 0)) {
    // away from zero: the magnitude's bit pattern + 1
    if (U32[lo] === 0xffffffff) {
      U32[lo] = 0;
      U32[HIGH] += 1;
    } else U32[lo] += 1;
  } else if (U32[lo] === 0) {
    U32[lo] = 0xffffffff;
    U32[HIGH] -= 1;
  } else U32[lo] -= 1;
  return F64[0];
}

/** The next float32 after `x` towards `y` (C's nextafterf): steps of one float32 ulp. */
export function nextafter32(x: number, y: number): number {
  if (x !== x || y !== y) return NaN;
  F32[0] = x;
  const fx = F32[0];
  F32[0] = y;
  const fy = F32[0];
  if (fx === fy) return fy;
  if (fx === 0) return fy > 0 ? 1.401298464324817e-45 : -1.401298464324817e-45;
  F32[0] = fx;
  I32[0] += (fy > fx) === (fx > 0) ? 1 : -1;
  return F32[0];
}

/**
 * Floor division of floats, PyTorch's div_floor_floating: from fmod, so that `a = b·q + r`
 * holds as Python's `//`; a division by zero gives IEEE's a/b. `round` is the precision to
 * compute in (Math.fround for float32, identity for float64).
 */
function floorDivideIn(round: (v: number) => number, a: number, b: number): number {
  if (b === 0) return round(a / b);
  const mod = a % b;
  let div = round(round(a - mod) / b);
  if (mod !== 0 && (b < 0) !== (mod < 0)) div = round(div - 1);
  if (div === 0) return copysign(0, a / b);
  let floordiv = Math.floor(div);
  if (round(div - floordiv) > 0.5) floordiv = round(floordiv + 1);
  return floordiv;
}

const identity = (v: number): number => v;

/** `⌊a / b⌋` of float64s as PyTorch computes it (see floorDivideIn). */
export function divFloor(a: number, b: number): number {
  return floorDivideIn(identity, a, b);
}

/** `⌊a / b⌋` of float32s as PyTorch computes it, in float32 arithmetic. */
export function divFloor32(a: number, b: number): number {
  return floorDivideIn(Math.fround, a, b);
}

/**
 * `a ** b` of integers in wrapping 32-bit arithmetic, as PyTorch's `powi`: square-and-multiply with
 * `Math.imul`, so the low 32 bits are exact where a float64 power (beyond 2⁵³) has lost them; a
 * narrower integer dtype keeps the low bits of this when stored. Negative exponents give 1 for a = 1,
 * ±1 for a = −1 (by the exponent's parity) and 0 otherwise.
 */
export function powInt(a: number, b: number): number {
  if (b < 0) return a === 1 ? 1 : a === -1 ? (b % 2 === 0 ? 1 : -1) : 0;
  let result = 1;
  let base = a | 0;
  for (let e = b >>> 0; e !== 0; e >>>= 1) {
    if (e & 1) result = Math.imul(result, base);
    base = Math.imul(base, base);
  }
  return result;
}
