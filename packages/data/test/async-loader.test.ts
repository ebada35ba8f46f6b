/**
 * `for await (const batch of loader)` over datasets whose get() returns a Promise: the loader
 * must be reading the next batches while the current one is in use. Proven with promises the test
 * resolves by hand, so the order of events is fixed (no timers, no timing).
 */
import { describe, it, expect } from "vitest";
import { Tensor, arange, tensor } from "@tsgrad/core";
import { DataLoader, Dataset, IterableDataset, RandomSampler, TensorDataset } from "@tsgrad/data";

interface Deferred<T> { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void }
function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

// get(i) is a promise the test settles: `requested` lists the indices asked for, in order.
class Manual extends Dataset<Promise<Tensor>> {
  readonly requested: number[] = [];
  readonly pending = new Map<number, Deferred<Tensor>>();
  constructor(readonly length: number) {
    super();
  }
  get(i: number): Promise<Tensor> {
    this.requested.push(i);
    const d = deferred<Tensor>();
    this.pending.set(i, d);
    return d.promise;
  }
  settle(...indices: number[]): void {
    for (const i of indices) this.pending.get(i)!.resolve(tensor([i]));
  }
}

// Lets every already-queued promise reaction run.
const flush = async (): Promise<void> => {
  for (let k = 0; k < 10; k++) await Promise.resolve();
};
const rows = (t: Tensor): number[] => t.flatten().toArray() as number[];

describe("DataLoader with for await", () => {
  it("loads the next prefetchFactor batches while the current one is in use (prefetchFactor 1)", async () => {
    const ds = new Manual(6);
    const it = new DataLoader(ds, { batchSize: 2, prefetchFactor: 1 })[Symbol.asyncIterator]();
    const first = it.next();
    await flush();
    expect(ds.requested).toEqual([0, 1]); // batch 0 requested, all its items at once; nothing more yet
    ds.settle(0, 1);
    const b0 = await first;
    expect(rows(b0.value as Tensor)).toEqual([0, 1]);
    // The caller now "trains" on batch 0 and has not asked for batch 1: it is loading already.
    await flush();
    expect(ds.requested).toEqual([0, 1, 2, 3]);
    ds.settle(2, 3);
    await flush();
    const b1 = await it.next();
    expect(rows(b1.value as Tensor)).toEqual([2, 3]);
    expect(ds.requested).toEqual([0, 1, 2, 3, 4, 5]);
    ds.settle(4, 5);
    expect(rows((await it.next()).value as Tensor)).toEqual([4, 5]);
    expect((await it.next()).done).toBe(true);
  });

  it("with the default prefetchFactor 2 keeps two batches loading, and yields in order even if later ones settle first", async () => {
    const ds = new Manual(8);
    const it = new DataLoader(ds, { batchSize: 2 })[Symbol.asyncIterator]();
    const first = it.next();
    await flush();
    expect(ds.requested).toEqual([0, 1, 2, 3]);
    ds.settle(3, 2); // batch 1 completes before batch 0
    await flush();
    ds.settle(1, 0);
    expect(rows((await first).value as Tensor)).toEqual([0, 1]);
    await flush();
    expect(ds.requested).toEqual([0, 1, 2, 3, 4, 5]); // while batch 0 is used, batches 1 and 2 are out
    expect(rows((await it.next()).value as Tensor)).toEqual([2, 3]);
    ds.settle(4, 5, 6, 7);
    const rest: number[][] = [];
    for (let r = await it.next(); !r.done; r = await it.next()) rest.push(rows(r.value as Tensor));
    expect(rest).toEqual([[4, 5], [6, 7]]);
  });

  it("a rejected get() surfaces at its batch, not earlier, and is not an unhandled rejection", async () => {
    const ds = new Manual(4);
    const it = new DataLoader(ds, { batchSize: 2 })[Symbol.asyncIterator]();
    const first = it.next();
    await flush();
    ds.pending.get(2)!.reject(new Error("disk read failed at item 2"));
    ds.settle(0, 1);
    expect(rows((await first).value as Tensor)).toEqual([0, 1]);
    await expect(it.next()).rejects.toThrow("disk read failed at item 2");
  });

  it("for await also runs sync datasets, samplers, collateFn and iterable datasets", async () => {
    const seen: number[][] = [];
    for await (const [x] of new DataLoader(new TensorDataset(arange(5)), { batchSize: 2 })) seen.push(rows(x));
    expect(seen).toEqual([[0, 1], [2, 3], [4]]);
    class Async extends Dataset<Promise<number>> {
      readonly length = 5;
      async get(i: number): Promise<number> {
        return 10 * i;
      }
    }
    const loader = new DataLoader(new Async(), { batchSize: 2, sampler: [4, 0, 2], collateFn: (items: number[]) => items.join(",") });
    const out: string[] = [];
    for await (const b of loader) out.push(b);
    expect(out).toEqual(["40,0", "20"]);
    const shuffled: number[] = [];
    for await (const b of new DataLoader(new Async(), { batchSize: 5, sampler: new RandomSampler(new Async()) })) shuffled.push(...(b.toArray() as number[]));
    expect(shuffled.sort((a, b) => a - b)).toEqual([0, 10, 20, 30, 40]);
    class Lines extends IterableDataset<Promise<number>> {
      *[Symbol.iterator]() {
        for (let i = 0; i < 3; i++) yield Promise.resolve(i);
      }
    }
    const streamed: number[][] = [];
    for await (const b of new DataLoader(new Lines(), { batchSize: 2, dropLast: true })) streamed.push(b.toArray() as number[]);
    expect(streamed).toEqual([[0, 1]]);
  });

  it("sync iteration over an async dataset says to use for await", () => {
    expect(() => [...new DataLoader(new Manual(2), { batchSize: 2 })]).toThrow(
      /DataLoader: the dataset returned a Promise for item 0 of a batch; iterate with `for await \(const batch of loader\)`/,
    );
  });
});
