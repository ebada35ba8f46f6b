// Pair results (issue 7, item 3): one type, ValuesIndices, read by name, by position and by
// destructuring, printed like PyTorch's torch.return_types. Expected values come from PyTorch
// (tools/fixtures/gen_core_api.py).
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { Tensor, ValuesIndices, tensor } from "@tsgrad/core";
import { decode, expectClose, loadFixture, type EncodedTensor } from "../../../tools/test-utils.js";

interface PairCase {
  op: "max" | "min";
  input: EncodedTensor;
  dim: number;
  keepdim: boolean;
  values: EncodedTensor;
  indices: EncodedTensor;
  length: number;
  repr: string;
}
const fixture = loadFixture<{ pairs: PairCase[] }>(new URL("./fixtures/core-api.json", import.meta.url));

const run = (c: PairCase): ValuesIndices => decode(c.input)[c.op](c.dim, c.keepdim);
const label = (c: PairCase): string => `${c.op}(${c.dim}, keepdim=${c.keepdim}) of shape [${c.input.shape.join(", ")}]`;

describe("pair results (ValuesIndices)", () => {
  it.each(fixture.pairs.map((c) => [label(c), c] as const))("%s reads by name, by index and by destructuring", (_, c) => {
    const r = run(c);
    expect(r).toBeInstanceOf(ValuesIndices);
    expectClose(r.values, c.values, "values");
    expectClose(r.indices, c.indices, "indices");
    expect(r.indices.dtype).toBe("int32");
    expect(r[0]).toBe(r.values);
    expect(r[1]).toBe(r.indices);
    const [values, indices] = r;
    expect(values).toBe(r.values);
    expect(indices).toBe(r.indices);
    const { values: v2, indices: i2 } = r;
    expect(v2).toBe(r.values);
    expect(i2).toBe(r.indices);
    expect(r.length).toBe(c.length);
    expect([...r]).toEqual([r.values, r.indices]);
    expect(Array.from(r)).toHaveLength(2);
  });

  it.each(fixture.pairs.map((c) => [label(c), c] as const))("%s prints like torch.return_types", (_, c) => {
    const r = run(c);
    const expected = c.repr.replace(`torch.return_types.${c.op}(`, `${c.op}(`);
    expect(r.toString()).toBe(expected);
    expect(inspect(r)).toBe(expected);
    expect(String(r)).toBe(expected);
  });

  it("is immutable", () => {
    const r = tensor([[1, 2]]).max(1);
    expect(() => {
      (r as { values: Tensor }).values = tensor([0]);
    }).toThrow(TypeError);
    expect(Object.isFrozen(r)).toBe(true);
  });

  it("the values keep the graph; the gradient reaches the chosen index", () => {
    const x = tensor([[1, 5, 3]], { requiresGrad: true });
    const [values] = x.max(1);
    values.sum().backward();
    expect(x.grad!.toArray()).toEqual([[0, 1, 0]]);
  });

  it("is built by other pair ops with their own name", () => {
    const pair = new ValuesIndices("sort", tensor([1, 2]), tensor([1, 0], { dtype: "int32" }));
    expect(pair.op).toBe("sort");
    expect(pair.toString()).toBe("sort(\nvalues=tensor([1., 2.]),\nindices=tensor([1, 0]))");
    expect(Object.prototype.toString.call(pair)).toBe("[object ValuesIndices]");
  });

  it("types [0] and [1] as Tensors, and rejects [2] at compile time", () => {
    const r = tensor([[1, 2]]).max(1);
    const first: Tensor = r[0];
    const second: Tensor = r[1];
    const [a, b]: [Tensor, Tensor] = [...r] as [Tensor, Tensor];
    // @ts-expect-error a pair has no third element
    const third = r[2];
    expect(third).toBeUndefined();
    expect([first, second, a, b].every((t) => t instanceof Tensor)).toBe(true);
  });
});
