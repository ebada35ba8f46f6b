/**
 * Property tests (fast-check): broadcasting follows the NumPy/PyTorch rule (checked against an
 * independent few-line implementation), gradients come back with their inputs' shapes and the
 * right totals, reductions, permutes and batched matmul keep their shape contracts.
 */
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { Tensor, broadcastShapes, randn, ones, where, Generator, grad, sumToShape } from "@tsgrad/core";

const RUNS = { numRuns: 150 };

/** The broadcast rule written out plainly: pad with leading 1s, then each dim pair must agree or have a 1. */
function referenceBroadcast(a: readonly number[], b: readonly number[]): number[] | null {
  const n = Math.max(a.length, b.length);
  const pa = [...new Array<number>(n - a.length).fill(1), ...a];
  const pb = [...new Array<number>(n - b.length).fill(1), ...b];
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    if (pa[i] === pb[i] || pb[i] === 1) out.push(pa[i]);
    else if (pa[i] === 1) out.push(pb[i]);
    else return null;
  }
  return out;
}

const numel = (shape: readonly number[]): number => shape.reduce((p, s) => p * s, 1);

const size = fc.integer({ min: 0, max: 4 });
const shape = fc.array(size, { maxLength: 4 });

/** A shape that broadcasts to `out`: a suffix of it with some dims set to 1. */
const broadcastsTo = (out: number[]): fc.Arbitrary<number[]> =>
  fc.tuple(fc.integer({ min: 0, max: out.length }), fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }))
    .map(([drop, ones]) => out.slice(drop).map((s, i) => (ones[i + drop] ? 1 : s)));

const broadcastablePair = shape.chain((out) => fc.tuple(broadcastsTo(out), broadcastsTo(out)));
const seed = fc.integer({ min: 0, max: 2 ** 31 - 1 });

const sample = (s: readonly number[], g: Generator): Tensor => randn(s, { dtype: "float64", generator: g, requiresGrad: true });

describe("broadcasting", () => {
  it("broadcastShapes and every binary op agree with the reference rule", () => {
    fc.assert(fc.property(broadcastablePair, ([a, b]) => {
      const expected = referenceBroadcast(a, b);
      expect(expected).not.toBeNull();
      expect(broadcastShapes("test", a, b)).toEqual(expected);
      const x = sample(a, new Generator(1));
      const y = sample(b, new Generator(2));
      expect(x.add(y).shape).toEqual(expected);
      expect(x.mul(y).shape).toEqual(expected);
      expect(x.maximum(y).shape).toEqual(expected);
      expect(x.lt(y).shape).toEqual(expected);
      expect(where(x.gt(0), x, y).shape).toEqual(expected);
    }), RUNS);
  });

  it("any shape pair either broadcasts as the reference says or throws a RangeError naming both shapes", () => {
    fc.assert(fc.property(shape, shape, (a, b) => {
      const expected = referenceBroadcast(a, b);
      if (expected) {
        expect(broadcastShapes("add", a, b)).toEqual(expected);
      } else {
        expect(() => broadcastShapes("add", a, b)).toThrow(RangeError);
        expect(() => broadcastShapes("add", a, b)).toThrow(`add: shapes [${a.join(", ")}] and [${b.join(", ")}] cannot be broadcast`);
      }
    }), RUNS);
  });

  it("gradients come back with the input shapes and the broadcast totals", () => {
    fc.assert(fc.property(broadcastablePair, seed, ([a, b], s) => {
      const g = new Generator(s);
      const x = sample(a, g);
      const y = sample(b, g);
      const out = referenceBroadcast(a, b)!;
      // d/dx Σ(x + y) is, at each x element, the number of output elements it was copied to.
      const [gx, gy] = grad([x.add(y).sum()], [x, y]);
      expect(gx!.shape).toEqual(a);
      expect(gy!.shape).toEqual(b);
      if (numel(a) > 0) for (const v of gx!.dataSync()) expect(v).toBe(numel(out) / numel(a));
      expect(sumToShape(ones(out, { dtype: "float64" }), a).toArray()).toEqual(gx!.toArray());
      // Σ d/dy Σ(x·y) = Σ over the output of broadcast x = Σx · numel(out) / numel(x).
      const [mx, my] = grad([x.mul(y).sum()], [x, y]);
      expect(mx!.shape).toEqual(a);
      expect(my!.shape).toEqual(b);
      if (numel(a) > 0) {
        const total = my!.sum().item();
        expect(total).toBeCloseTo(x.detach().sum().item() * (numel(out) / numel(a)), 9);
      }
    }), RUNS);
  });
});

describe("reductions", () => {
  const shapeAndDims = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }).chain((s) =>
    fc.tuple(fc.constant(s), fc.subarray(s.map((_, i) => i), { minLength: 1 }), fc.boolean()));

  it("sum and mean drop (or keep as 1) exactly the reduced dims, and backward gives the input shape", () => {
    fc.assert(fc.property(shapeAndDims, seed, ([s, dims, keepdim], sd) => {
      const x = sample(s, new Generator(sd));
      const expected = s.flatMap((n, i) => (dims.includes(i) ? (keepdim ? [1] : []) : [n]));
      const count = dims.reduce((p, d) => p * s[d], 1);
      const y = x.mean(dims, keepdim);
      expect(y.shape).toEqual(expected);
      expect(x.sum(dims, keepdim).shape).toEqual(expected);
      const [g] = grad([y.sum()], [x]);
      expect(g!.shape).toEqual(s);
      for (const v of g!.dataSync()) expect(v).toBeCloseTo(1 / count, 14);
    }), RUNS);
  });

  it("softmax sums to 1 along its dim and equals exp(logSoftmax), even for logits of ±1000", () => {
    fc.assert(fc.property(shapeAndDims, seed, fc.constantFrom(1, 1000), ([s, dims], sd, scale) => {
      const x = randn(s, { dtype: "float64", generator: new Generator(sd) }).mul(scale);
      const d = dims[0];
      const p = x.softmax(d);
      for (const v of p.sum(d).dataSync()) expect(v).toBeCloseTo(1, 12);
      const lp = x.logSoftmax(d);
      for (const v of lp.dataSync()) expect(Number.isFinite(v)).toBe(true);
      const diff = lp.exp().sub(p).abs().amax().item();
      expect(diff).toBeLessThan(1e-12);
    }), RUNS);
  });
});

describe("shape ops", () => {
  const shapeAndPerm = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }).chain((s) =>
    fc.tuple(fc.constant(s), fc.shuffledSubarray(s.map((_, i) => i), { minLength: s.length, maxLength: s.length })));

  it("permute moves sizes and elements, and its inverse restores the tensor", () => {
    fc.assert(fc.property(shapeAndPerm, seed, ([s, perm], sd) => {
      const x = sample(s, new Generator(sd));
      const y = x.permute(perm);
      expect(y.shape).toEqual(perm.map((p) => s[p]));
      const inverse = perm.map((_, i) => perm.indexOf(i));
      expect(y.permute(inverse).toArray()).toEqual(x.toArray());
      expect(y.contiguous().reshape(-1).sum().item()).toBeCloseTo(x.sum().item(), 12);
      const [g] = grad([y.mul(y).sum()], [x]);
      expect(g!.toArray()).toEqual(x.detach().mul(2).toArray());
    }), RUNS);
  });
});

describe("matmul", () => {
  const batched = fc.tuple(broadcastablePair, fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }))
    .filter(([[a, b]]) => a.length + b.length <= 6);

  it("broadcasts batch dims, equals broadcast-multiply-and-sum, and returns gradients of the input shapes", () => {
    fc.assert(fc.property(batched, seed, ([[ba, bb], m, k, n], sd) => {
      const g = new Generator(sd);
      const a = sample([...ba, m, k], g);
      const b = sample([...bb, k, n], g);
      const y = a.matmul(b);
      expect(y.shape).toEqual([...referenceBroadcast(ba, bb)!, m, n]);
      // Independent route: (..., m, k, 1) · (..., 1, k, n) summed over k.
      const viaBroadcast = a.unsqueeze(-1).mul(b.unsqueeze(-3)).sum(-2);
      const err = y.numel() ? y.sub(viaBroadcast).abs().amax().item() : 0;
      expect(err).toBeLessThan(1e-12);
      const [ga, gb] = grad([y.sum()], [a, b]);
      expect(ga!.shape).toEqual(a.shape);
      expect(gb!.shape).toEqual(b.shape);
    }), RUNS);
  });
});
