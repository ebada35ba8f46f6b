import { describe, it, expect } from "vitest";
import { tensor } from "@tsgrad/core";

describe("smoke", () => {
  it("backpropagates x² through sum", () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    x.mul(x).sum().backward();
    expect(x.grad!.toArray()).toEqual([2, 4, 6]);
  });
});
