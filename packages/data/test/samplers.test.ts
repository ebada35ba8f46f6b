/**
 * Samplers, Subset / ConcatDataset / randomSplit and the DataLoader's sampler options, against
 * torch.utils.data (fixtures/torch-data.json, tools/fixtures/gen_data_torch.py).
 */
import { describe, it, expect, vi } from "vitest";
import { Generator, arange, randperm, tensor, type Tensor } from "@tsgrad/core";
import {
  BatchSampler, ChainDataset, ConcatDataset, DataLoader, Dataset, IterableDataset, RandomSampler, SequentialSampler, Subset, SubsetRandomSampler,
  TensorDataset, WeightedRandomSampler, randomSplit, splitLengths,
} from "@tsgrad/data";
import { loadFixture } from "../../../tools/test-utils.js";

interface LoaderRow { kind: "map" | "iterable"; n: number; batchSize: number | null; dropLast: boolean; length: number; batches: Array<number[] | number> }
interface Fixture {
  loaders: LoaderRow[];
  samplerLengths: Array<{ n: number; replacement: boolean; numSamples: number | null; batchSize: number; dropLast: boolean; samplerLength: number; length: number; batchSizes: number[] }>;
  batchSampler: Array<{ sampler: number[]; batchSize: number; dropLast: boolean; batches: number[][]; length: number; sequential: number[][] }>;
  splitLengths: Array<{ n: number; lengths: number[]; splitLengths: number[] }>;
  weighted: {
    replacement: { weights: number[]; draws: number; counts: number[] };
    noReplacement: { weights: number[]; k: number; reps: number; included: number[]; first: number[] };
  };
}
const fx = loadFixture<Fixture>(new URL("./fixtures/torch-data.json", import.meta.url));

// Item i is the number i, like the generator's Range and Stream datasets.
class Range extends Dataset<number> {
  constructor(readonly length: number) {
    super();
  }
  get(i: number): number {
    return i;
  }
}
class Stream extends IterableDataset<number> {
  constructor(readonly length: number) {
    super();
  }
  *[Symbol.iterator](): Iterator<number> {
    for (let i = 0; i < this.length; i++) yield i;
  }
}
class Unsized extends IterableDataset<number> {
  *[Symbol.iterator](): Iterator<number> {
    yield* [1, 2, 3];
  }
}

const asList = (b: unknown): unknown => (b && typeof (b as Tensor).toArray === "function" ? (b as Tensor).toArray() : b);

describe("DataLoader length and batch composition (PyTorch)", () => {
  it("matches len(loader) and the batches for map-style and iterable datasets, every batchSize / dropLast", () => {
    expect(fx.loaders.length).toBeGreaterThan(100);
    for (const row of fx.loaders) {
      const ds = row.kind === "map" ? new Range(row.n) : new Stream(row.n);
      const loader = new DataLoader(ds, { batchSize: row.batchSize, dropLast: row.dropLast });
      const what = JSON.stringify({ ...row, batches: undefined });
      expect(loader.length, what).toBe(row.length);
      expect([...loader].map(asList), what).toEqual(row.batches);
    }
  });

  it("takes the length of a sampler with numSamples (RandomSampler with and without replacement)", () => {
    for (const row of fx.samplerLengths) {
      const sampler = new RandomSampler(new Range(row.n), { replacement: row.replacement, numSamples: row.numSamples ?? undefined, generator: new Generator(0) });
      const loader = new DataLoader(new Range(row.n), { sampler, batchSize: row.batchSize, dropLast: row.dropLast });
      expect(sampler.length).toBe(row.samplerLength);
      expect(loader.length, JSON.stringify(row)).toBe(row.length);
      const batches = [...loader].map((b) => b.toArray() as number[]);
      expect(batches.map((b) => b.length)).toEqual(row.batchSizes);
      for (const v of batches.flat()) expect(v >= 0 && v < row.n).toBe(true);
    }
  });

  it("BatchSampler groups any sampler's indices as PyTorch, and a DataLoader with batchSampler yields those batches", () => {
    for (const row of fx.batchSampler) {
      expect([...new BatchSampler(row.sampler, row.batchSize, row.dropLast)]).toEqual(row.batches);
      const seq = new BatchSampler(new SequentialSampler(new Range(row.sampler.length)), row.batchSize, row.dropLast);
      expect([...seq]).toEqual(row.sequential);
      expect(seq.length).toBe(row.length);
      const loader = new DataLoader(new TensorDataset(arange(10).mul(10)), { batchSampler: new BatchSampler(row.sampler, row.batchSize, row.dropLast) });
      expect([...loader].map(([x]) => x.toArray())).toEqual(row.batches.map((b) => b.map((i) => 10 * i)));
      expect(loader.batchSize).toBe(null);
    }
  });

  it("an IterableDataset without a length gives batches but no length (PyTorch: TypeError no len())", () => {
    const loader = new DataLoader(new Unsized(), { batchSize: 2 });
    expect([...loader].map(asList)).toEqual([[1, 2], [3]]);
    expect(() => loader.length).toThrow(/DataLoader: the IterableDataset \(an Unsized\) has no length/);
    expect(() => new DataLoader(new Range(3), { sampler: [0, 1, 2][Symbol.iterator]() }).length).toThrow(/BatchSampler: the sampler \(an Array Iterator\) has no length/);
  });

  it("uses sampler, batchSize: null and collateFn together as PyTorch does", () => {
    const ds = new TensorDataset(arange(6));
    const loader = new DataLoader(ds, { sampler: [5, 0, 3], batchSize: 2 });
    expect([...loader].map(([x]) => x.toArray())).toEqual([[5, 0], [3]]);
    const unbatched = new DataLoader(new Range(3), { batchSize: null, sampler: [2, 2, 0] });
    expect([...unbatched]).toEqual([2, 2, 0]);
    expect(unbatched.length).toBe(3);
    const doubled = new DataLoader(new Range(3), { batchSize: null, collateFn: ((x: number) => 2 * x) as unknown as (items: number[]) => number });
    expect([...doubled]).toEqual([0, 2, 4]);
  });

  it("throws PyTorch's mutual-exclusion errors, naming the options and values", () => {
    const ds = new Range(4);
    const bs = new BatchSampler([0, 1], 1, false);
    expect(() => new DataLoader(ds, { sampler: [0], shuffle: true })).toThrow(new RangeError("DataLoader: sampler option is mutually exclusive with shuffle"));
    expect(() => new DataLoader(ds, { batchSampler: bs, batchSize: 2 })).toThrow(/DataLoader: batchSampler option is mutually exclusive with batchSize, shuffle, sampler, and dropLast \(got batchSize=2/);
    expect(() => new DataLoader(ds, { batchSampler: bs, dropLast: true })).toThrow(/mutually exclusive.*dropLast=true/);
    expect(() => new DataLoader(ds, { batchSampler: bs, shuffle: true })).toThrow(/mutually exclusive.*shuffle=true/);
    expect(() => new DataLoader(ds, { batchSampler: bs, sampler: [0] })).toThrow(/mutually exclusive.*sampler=given/);
    expect(() => new DataLoader(ds, { batchSampler: bs, batchSize: 1 })).not.toThrow(); // PyTorch only checks batch_size != 1
    expect(() => new DataLoader(ds, { batchSize: null, dropLast: true })).toThrow(
      new RangeError("DataLoader: batchSize=null option disables auto-batching and is mutually exclusive with dropLast"),
    );
    const stream = new Stream(3);
    expect(() => new DataLoader(stream, { shuffle: true })).toThrow(new RangeError("DataLoader with IterableDataset: expected unspecified shuffle option, but got shuffle=boolean true"));
    expect(() => new DataLoader(stream, { sampler: [0] })).toThrow(/DataLoader with IterableDataset: expected unspecified sampler option, but got sampler=an array of length 1/);
    expect(() => new DataLoader(stream, { batchSampler: bs })).toThrow(/expected unspecified batchSampler option, but got batchSampler=a BatchSampler/);
    expect(() => new DataLoader(ds, { sampler: 3 as unknown as number[] })).toThrow(new TypeError("DataLoader: sampler must be an iterable of indices (a Sampler or an array), got number 3"));
    expect(() => new DataLoader(ds, { prefetchFactor: 0 })).toThrow(/DataLoader: prefetchFactor must be an integer >= 1, got 0/);
    expect(() => new DataLoader([1, 2] as unknown as Range)).toThrow(/wrap an array in a Dataset/);
  });
});

describe("samplers", () => {
  it("SequentialSampler counts up to the data source's current length", () => {
    const ds = new Range(3);
    const s = new SequentialSampler(ds);
    expect([...s]).toEqual([0, 1, 2]);
    (ds as { length: number }).length = 5;
    expect([...s]).toEqual([0, 1, 2, 3, 4]);
    expect(s.length).toBe(5);
    expect(() => new SequentialSampler(3 as unknown as Range)).toThrow(/SequentialSampler: dataSource must have a numeric length/);
  });

  it("RandomSampler: a fresh permutation per epoch, chained permutations for numSamples > n, randint with replacement", () => {
    const s = new RandomSampler(new Range(6), { generator: new Generator(3) });
    const e1 = [...s];
    const e2 = [...s];
    expect([...e1].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(e1).not.toEqual(e2);
    // Without replacement it is randperm(n) from the same generator, epoch after epoch, like PyTorch.
    const g = new Generator(3);
    expect(e1).toEqual(randperm(6, { generator: g }).toArray());
    expect(e2).toEqual(randperm(6, { generator: g }).toArray());
    const long = [...new RandomSampler(new Range(4), { numSamples: 10, generator: new Generator(1) })];
    expect(long.length).toBe(10);
    expect([...long.slice(0, 4)].sort()).toEqual([0, 1, 2, 3]);
    expect([...long.slice(4, 8)].sort()).toEqual([0, 1, 2, 3]);
    expect(new Set(long.slice(8)).size).toBe(2);
    const rep = [...new RandomSampler(new Range(3), { replacement: true, numSamples: 300, generator: new Generator(0) })];
    expect(rep.length).toBe(300);
    expect(new Set(rep)).toEqual(new Set([0, 1, 2]));
    expect(rep.some((v, i) => i > 0 && v === rep[i - 1])).toBe(true);
  });

  it("RandomSampler errors: numSamples and the empty data source (PyTorch: num_samples should be a positive integer)", () => {
    expect(() => new RandomSampler(new Range(0))).toThrow(/RandomSampler: numSamples should be a positive integer, but got numSamples=0/);
    expect(() => new DataLoader(new Range(0), { shuffle: true })).toThrow(/RandomSampler: numSamples/);
    expect(() => new RandomSampler(new Range(3), { numSamples: 0 })).toThrow(/RandomSampler: numSamples must be an integer >= 1, got 0/);
    expect(() => new RandomSampler(new Range(3), { replacement: 1 as unknown as boolean })).toThrow(TypeError);
    expect(() => new RandomSampler(new Range(3), { num_samples: 3 } as never)).toThrow(/numSamples/);
  });

  it("SubsetRandomSampler permutes its indices with randperm of their count", () => {
    const idx = [10, 20, 30, 40, 50];
    const s = new SubsetRandomSampler(idx, { generator: new Generator(5) });
    const perm = randperm(5, { generator: new Generator(5) }).toArray() as number[];
    expect([...s]).toEqual(perm.map((i) => idx[i]));
    expect(s.length).toBe(5);
    expect(() => new SubsetRandomSampler([1, 2.5])).toThrow(/SubsetRandomSampler: indices\[1\] must be an integer, got number 2.5/);
  });

  it("WeightedRandomSampler with replacement: frequencies agree with PyTorch's and with w / Σw", () => {
    const { weights, draws, counts } = fx.weighted.replacement;
    const ours = new Array<number>(weights.length).fill(0);
    for (const i of new WeightedRandomSampler(weights, draws, { generator: new Generator(0) })) ours[i]++;
    const total = weights.reduce((a, b) => a + b, 0);
    let chi2 = 0;
    weights.forEach((w, i) => {
      const p = w / total;
      const sd = Math.sqrt(draws * p * (1 - p));
      // Two independent samples of the same multinomial: their difference has sd √2·sd; 4.5 sd.
      expect(Math.abs(ours[i] - counts[i]), `index ${i}`).toBeLessThanOrEqual(4.5 * Math.SQRT2 * sd);
      if (p > 0) chi2 += (ours[i] - draws * p) ** 2 / (draws * p);
    });
    expect(ours[weights.indexOf(0)]).toBe(0);
    expect(counts[weights.indexOf(0)]).toBe(0);
    expect(chi2).toBeLessThan(22.5); // 5 degrees of freedom: P(chi2 > 22.5) ≈ 4e-4
  });

  it("WeightedRandomSampler without replacement: no repeats, inclusion and first-draw rates agree with PyTorch's", () => {
    const { weights, k, reps, included, first } = fx.weighted.noReplacement;
    const incl = new Array<number>(weights.length).fill(0);
    const firsts = new Array<number>(weights.length).fill(0);
    const s = new WeightedRandomSampler(weights, k, { replacement: false, generator: new Generator(1) });
    for (let r = 0; r < reps; r++) {
      const draw = [...s];
      expect(new Set(draw).size).toBe(k);
      draw.forEach((i) => incl[i]++);
      firsts[draw[0]]++;
    }
    const total = weights.reduce((a, b) => a + b, 0);
    weights.forEach((w, i) => {
      for (const [ours, theirs] of [[incl[i], included[i]], [firsts[i], first[i]]]) {
        const p = theirs / reps;
        const sd = Math.sqrt(reps * Math.max(p * (1 - p), 1 / reps));
        expect(Math.abs(ours - theirs), `index ${i}`).toBeLessThanOrEqual(4.5 * Math.SQRT2 * sd);
      }
      // The first draw is the with-replacement distribution.
      expect(Math.abs(firsts[i] / reps - w / total)).toBeLessThan(0.015);
    });
    // Zero weights fill a draw that asks for more than the non-zero ones, as torch.multinomial.
    expect(new Set(new WeightedRandomSampler([1, 0, 0], 3, { replacement: false }))).toEqual(new Set([0, 1, 2]));
    expect([...new WeightedRandomSampler([1, 0, 0], 3, { replacement: false })][0]).toBe(0);
  });

  it("WeightedRandomSampler errors name the class and the value", () => {
    expect(() => new WeightedRandomSampler([1, -1], 2)).toThrow(/WeightedRandomSampler: invalid multinomial distribution: weights\[1\] = -1/);
    expect(() => new WeightedRandomSampler([1, NaN], 2)).toThrow(/weights\[1\] = NaN/);
    expect(() => new WeightedRandomSampler([0, 0], 2)).toThrow(/WeightedRandomSampler: invalid multinomial distribution \(sum of weights <= 0\), weights \[0, 0\]/);
    expect(() => new WeightedRandomSampler([1, 2], 3, { replacement: false })).toThrow(/cannot draw numSamples=3 > 2 weights without replacement/);
    expect(() => new WeightedRandomSampler([[1, 2]] as unknown as number[], 2)).toThrow(/WeightedRandomSampler: weights should be a 1-D list of numbers, but weights\[0\] is an array of length 2/);
    expect(() => new WeightedRandomSampler([1, 2], 0)).toThrow(/WeightedRandomSampler: numSamples must be an integer >= 1, got 0/);
    expect(() => new WeightedRandomSampler(tensor([[1, 2]]), 2)).toThrow(/WeightedRandomSampler: weights should be a 1-D sequence, but the given weights have shape \[1, 2\]/);
    expect([...new WeightedRandomSampler(tensor([0, 3, 0]), 3)]).toEqual([1, 1, 1]); // a tensor of weights, as PyTorch takes
  });

  it("BatchSampler errors and the length of a sampler without one", () => {
    expect(() => new BatchSampler([0], 0, false)).toThrow(/BatchSampler: batchSize must be an integer >= 1, got 0/);
    expect(() => new BatchSampler([0], 2, 1 as unknown as boolean)).toThrow(/BatchSampler: dropLast should be a boolean value, but got dropLast=number 1/);
    expect(() => new BatchSampler(5 as unknown as number[], 2, false)).toThrow(/BatchSampler: sampler must be an iterable/);
    expect(() => new BatchSampler([0, 1].values(), 2, false).length).toThrow(/BatchSampler: the sampler .* has no length/);
  });
});

describe("Subset, ConcatDataset, randomSplit", () => {
  it("Subset maps indices, and a DataLoader over a Subset of a TensorDataset gathers with indexSelect", () => {
    const ds = new TensorDataset(arange(10).mul(2), arange(10).to("int32"));
    const sub = new Subset(ds, [9, 1, 4]);
    expect(sub.length).toBe(3);
    expect(sub.get(0)[0].item()).toBe(18);
    const nested = new Subset(sub, [2, 0]);
    expect(nested.get(1)[1].item()).toBe(9);
    const [[x, y]] = [...new DataLoader(nested, { batchSize: 2 })];
    expect(x.toArray()).toEqual([8, 18]);
    expect(y.dtype).toBe("int32");
    expect(() => new Subset(ds, [0, 10])).toThrow(new RangeError("Subset: indices[1] = 10 is out of range for a dataset of length 10"));
    expect(new Subset(ds, tensor([3, 1], { dtype: "int32" })).indices).toEqual([3, 1]);
    expect(() => new Subset(ds, tensor([0.5]))).toThrow(new TypeError("Subset: indices must be a 1-D integer tensor, got float32 of shape [1]"));
    expect(() => new Subset(ds, [1, 2.5])).toThrow(/Subset: indices\[1\] must be an integer, got number 2.5/);
    expect(() => sub.get(3)).toThrow(/Subset.get: index 3 is out of range for a dataset of length 3/);
  });

  it("ConcatDataset: cumulative sizes, bisect lookup, and PyTorch's errors", () => {
    const a = new Range(3);
    const b = new Range(0);
    const c = new TensorDataset(tensor([7, 8]));
    const cat = new ConcatDataset<unknown>([a, b, c]);
    expect(cat.cumulativeSizes).toEqual([3, 3, 5]);
    expect(cat.length).toBe(5);
    expect([0, 1, 2].map((i) => cat.get(i))).toEqual([0, 1, 2]);
    expect((cat.get(3) as Tensor[])[0].item()).toBe(7);
    expect((cat.get(4) as Tensor[])[0].item()).toBe(8);
    expect(() => cat.get(5)).toThrow(/ConcatDataset.get: index 5 is out of range for a dataset of length 5/);
    expect(() => new ConcatDataset([])).toThrow(new RangeError("ConcatDataset: datasets should not be an empty iterable"));
    expect(() => new ConcatDataset([a, new Stream(2) as unknown as Range])).toThrow(/ConcatDataset does not support IterableDataset \(datasets\[1\] is one\)/);
  });

  it("ChainDataset streams its datasets in turn, with the summed length, and batches across them", () => {
    const chain = new ChainDataset([new Stream(3), new Stream(2)]);
    expect([...chain]).toEqual([0, 1, 2, 0, 1]);
    expect(chain.length).toBe(5);
    expect([...new DataLoader(chain, { batchSize: 2 })].map(asList)).toEqual([[0, 1], [2, 0], [1]]);
    expect(() => new ChainDataset([new Stream(1), new Unsized()]).length).toThrow(/ChainDataset: datasets\[1\] \(an Unsized\) has no length/);
    expect(() => new ChainDataset([3 as unknown as Stream])).toThrow(/ChainDataset: datasets\[0\] must be an IterableDataset, got number 3/);
  });

  it("splitLengths: PyTorch's lengths for integer lengths and fractions, warning on an empty split", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(splitLengths(5, [0.1, 0.1, 0.8])).toEqual([1, 0, 4]);
    expect(warn).toHaveBeenCalledWith("UserWarning: randomSplit: length of split at index 1 is 0. This might result in an empty dataset.");
    for (const row of fx.splitLengths) {
      expect(splitLengths(row.n, row.lengths), JSON.stringify(row)).toEqual(row.splitLengths);
      expect(randomSplit(new Range(row.n), row.lengths).map((s) => s.length)).toEqual(row.splitLengths);
    }
    warn.mockRestore();
  });

  it("randomSplit gives split k the slice of one randperm(n, { generator }) at its offset, as PyTorch", () => {
    const ds = new Range(10);
    const splits = randomSplit(ds, [3, 5, 2], { generator: new Generator(42) });
    const perm = randperm(10, { generator: new Generator(42) }).toArray() as number[];
    expect(splits.map((s) => s.indices)).toEqual([perm.slice(0, 3), perm.slice(3, 8), perm.slice(8)]);
    expect(splits.map((s) => [...s])).toEqual([perm.slice(0, 3), perm.slice(3, 8), perm.slice(8)]);
    expect(splits.every((s) => s.dataset === ds)).toBe(true);
  });

  it("randomSplit errors: sums, fractions out of range, non-integer lengths", () => {
    const ds = new Range(10);
    expect(() => randomSplit(ds, [3, 3])).toThrow(new RangeError("randomSplit: sum of input lengths (6, from [3, 3]) does not equal the length of the input dataset (10)"));
    expect(() => randomSplit(ds, [-0.5, 1.5])).toThrow(/randomSplit: fraction at index 0 is not between 0 and 1, got -0.5/);
    expect(() => randomSplit(ds, [2.5, 7.5])).toThrow(/lengths\[0\] must be a non-negative integer length/);
    expect(() => randomSplit(ds, [])).toThrow(TypeError);
    expect(() => randomSplit(ds, [5, 5], { seed: 1 } as never)).toThrow(/randomSplit: unknown option "seed"/);
  });
});
