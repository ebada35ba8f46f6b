import { describe, it, expect } from "vitest";
import { Generator, Tensor, arange, manualSeed, tensor } from "@tsgrad/core";
import { DataLoader, Dataset, TensorDataset, defaultCollate } from "@tsgrad/data";

// X row i is [i, 10i]; y[i] = i, so a batch's rows say which samples it holds.
function indexed(n: number): { X: Tensor; y: Tensor; ds: TensorDataset } {
  const y = arange(n).to("int32");
  const X = tensor(Float32Array.from({ length: 2 * n }, (_, k) => (k % 2 ? 10 : 1) * Math.floor(k / 2)), { shape: [n, 2] });
  return { X, y, ds: new TensorDataset(X, y) };
}

function epochOrder<B extends Tensor[]>(loader: Iterable<B>): number[] {
  return [...loader].flatMap(([, y]) => y.toArray() as number[]);
}

class Squares extends Dataset<[Tensor, number]> {
  readonly length = 7;
  get(i: number): [Tensor, number] {
    return [tensor([i, i * i]), i];
  }
}

describe("TensorDataset", () => {
  it("has the shared first dim as length and returns row i of every tensor", () => {
    const { ds } = indexed(5);
    expect(ds.length).toBe(5);
    expect(ds.len()).toBe(5);
    const [x3, y3] = ds.get(3);
    expect(x3.toArray()).toEqual([3, 30]);
    expect(y3.shape).toEqual([]);
    expect(y3.item()).toBe(3);
    expect([...ds].length).toBe(5);
  });

  it("names the shapes when first dims differ", () => {
    expect(() => new TensorDataset(tensor([[1], [2], [3]]), tensor([1, 2]))).toThrow(
      /TensorDataset: size mismatch.*\[3, 1\], \[2\]/,
    );
  });

  it("rejects no tensors, 0-d tensors, non-tensors and out-of-range indices", () => {
    expect(() => new TensorDataset()).toThrow(RangeError);
    expect(() => new TensorDataset(tensor(1))).toThrow(/tensor 0 is 0-d/);
    expect(() => new TensorDataset([1, 2] as unknown as Tensor)).toThrow(TypeError);
    const { ds } = indexed(3);
    expect(() => ds.get(3)).toThrow(/index 3 is out of range for a dataset of length 3/);
    expect(() => ds.get(-1)).toThrow(RangeError);
  });
});

describe("DataLoader", () => {
  it("yields full batches then a last partial one, in order, and length counts them", () => {
    const { ds } = indexed(10);
    const loader = new DataLoader(ds, { batchSize: 4 });
    const batches = [...loader];
    expect(loader.length).toBe(3);
    expect(loader.len()).toBe(3);
    expect(batches.map(([x]) => x.shape)).toEqual([[4, 2], [4, 2], [2, 2]]);
    expect(batches.map(([, y]) => y.shape)).toEqual([[4], [4], [2]]);
    expect(batches[2][0].toArray()).toEqual([[8, 80], [9, 90]]);
    expect(batches[0][1].dtype).toBe("int32");
    expect(epochOrder(loader)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("dropLast skips the partial batch (and length agrees)", () => {
    const { ds } = indexed(10);
    const loader = new DataLoader(ds, { batchSize: 4, dropLast: true });
    expect(loader.length).toBe(2);
    expect([...loader].length).toBe(2);
    expect(epochOrder(loader)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(new DataLoader(ds, { batchSize: 5, dropLast: true }).length).toBe(2);
    expect(new DataLoader(ds, { batchSize: 11, dropLast: true }).length).toBe(0);
    expect(new DataLoader(ds, { batchSize: 11 }).length).toBe(1);
  });

  it("defaults to batchSize 1 and an empty dataset gives no batches", () => {
    const { ds } = indexed(3);
    expect([...new DataLoader(ds)].map(([x]) => x.shape)).toEqual([[1, 2], [1, 2], [1, 2]]);
    const empty = new TensorDataset(tensor(new Float32Array(0), { shape: [0, 2] }));
    expect(new DataLoader(empty, { batchSize: 2 }).length).toBe(0);
    expect([...new DataLoader(empty, { batchSize: 2 })]).toEqual([]);
  });

  it("shuffles each epoch anew: a permutation every time, reproducible from the seed", () => {
    const { ds } = indexed(20);
    const a = new DataLoader(ds, { batchSize: 6, shuffle: true, generator: new Generator(7) });
    const b = new DataLoader(ds, { batchSize: 6, shuffle: true, generator: new Generator(7) });
    const epochsA = [epochOrder(a), epochOrder(a), epochOrder(a)];
    const epochsB = [epochOrder(b), epochOrder(b), epochOrder(b)];
    expect(epochsA).toEqual(epochsB);
    for (const e of epochsA) expect([...e].sort((p, q) => p - q)).toEqual([...Array(20).keys()]);
    expect(epochsA[0]).not.toEqual(epochsA[1]);
    expect(epochsA[1]).not.toEqual(epochsA[2]);
    expect(epochsA[0]).not.toEqual([...Array(20).keys()]);
    const other = new DataLoader(ds, { batchSize: 6, shuffle: true, generator: new Generator(8) });
    expect(epochOrder(other)).not.toEqual(epochsA[0]);
  });

  it("keeps X rows and y labels together when shuffling", () => {
    const { ds } = indexed(13);
    for (const [x, y] of new DataLoader(ds, { batchSize: 5, shuffle: true, generator: new Generator(1) })) {
      const ys = y.toArray() as number[];
      expect(x.toArray()).toEqual(ys.map((i) => [i, 10 * i]));
    }
  });

  it("without a generator, shuffles from the global generator (manualSeed makes it reproducible)", () => {
    const { ds } = indexed(12);
    const loader = new DataLoader(ds, { batchSize: 12, shuffle: true });
    manualSeed(3);
    const first = epochOrder(loader);
    manualSeed(3);
    expect(epochOrder(loader)).toEqual(first);
  });

  it("rejects a batchSize that is not a positive integer, and bad datasets / generators", () => {
    const { ds } = indexed(4);
    for (const bad of [0, -1, 2.5, NaN]) {
      expect(() => new DataLoader(ds, { batchSize: bad })).toThrow(new RangeError(`DataLoader: batchSize must be an integer >= 1, got ${bad}`));
    }
    expect(() => new DataLoader([1, 2] as unknown as Dataset<number>)).toThrow(TypeError);
    expect(() => new DataLoader(ds, { generator: 3 as unknown as Generator })).toThrow(new TypeError("DataLoader: generator must be a Generator, got number 3"));
  });

  it("collates a custom Dataset's items: tensors stacked, numbers into a tensor", () => {
    const loader = new DataLoader(new Squares(), { batchSize: 3 });
    const batches = [...loader];
    expect(loader.length).toBe(3);
    const [x, i] = batches[1];
    expect(x.toArray()).toEqual([[3, 9], [4, 16], [5, 25]]);
    expect(i.toArray()).toEqual([3, 4, 5]);
    expect(batches[2][0].shape).toEqual([1, 2]);
  });

  it("uses a collateFn when given", () => {
    const loader = new DataLoader(new Squares(), { batchSize: 4, collateFn: (items) => items.map(([, i]) => i) });
    expect([...loader]).toEqual([[0, 1, 2, 3], [4, 5, 6]]);
    const { ds } = indexed(5);
    const sums = new DataLoader(ds, { batchSize: 5, collateFn: (items) => items.length });
    expect([...sums]).toEqual([5]);
  });

  it("keeps the autograd graph of dataset tensors that require grad (like PyTorch)", () => {
    const X = tensor([[1, 2], [3, 4], [5, 6]], { requiresGrad: true });
    const [[xb]] = [...new DataLoader(new TensorDataset(X), { batchSize: 2 })];
    xb.sum().backward();
    expect(X.grad!.toArray()).toEqual([[1, 1], [1, 1], [0, 0]]);
  });
});

describe("defaultCollate", () => {
  it("batches nested arrays and plain objects field by field", () => {
    const batch = defaultCollate([
      { x: tensor([1, 2]), label: 0, ok: true },
      { x: tensor([3, 4]), label: 1, ok: false },
    ]);
    expect(batch.x.toArray()).toEqual([[1, 2], [3, 4]]);
    expect(batch.label.toArray()).toEqual([0, 1]);
    expect(batch.ok.dtype).toBe("bool");
  });

  it("names the item that does not match", () => {
    expect(() => defaultCollate([tensor([1]), 3] as unknown[])).toThrow("defaultCollate: item 1 is not a Tensor but item 0 is");
    expect(() => defaultCollate([[tensor([1]), 1], [tensor([2])]] as unknown[])).toThrow(/item 1 must be an array of 2 elements/);
    expect(() => defaultCollate([[tensor([1])], [tensor([2, 3])]])).toThrow(/stack: expects each tensor to be the same shape/);
    expect(() => defaultCollate(["a", "b"])).toThrow(/cannot batch item 0 of type string; pass a collateFn/);
    expect(() => defaultCollate([])).toThrow(RangeError);
  });
});
