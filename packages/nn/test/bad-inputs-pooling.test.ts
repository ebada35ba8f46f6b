// Pooling misuse: each row must throw the named error class with a message that starts with the
// function or layer the user called and names the offending shapes, options or values.
import { describe, it } from "vitest";
import { ones, tensor } from "@tsgrad/core";
import { F, AdaptiveAvgPool2d, AvgPool1d, LPPool2d, MaxPool2d, MaxUnpool2d } from "@tsgrad/nn";
import { expectBadInput, type BadInputRow } from "../../../tools/test-utils.js";

const bad = <T>(v: unknown): T => v as T;
const x4 = (): ReturnType<typeof ones> => ones([2, 3, 6, 6]);
const idx = (shape: number[]): ReturnType<typeof ones> => ones(shape, { dtype: "int32" });

const rows: BadInputRow[] = [
  { what: "maxPool2d of a string", call: () => F.maxPool2d(bad("x"), 2), error: TypeError, op: "maxPool2d", names: ['"x"'] },
  { what: "maxPool2d of a 2-D input", call: () => F.maxPool2d(ones([6, 6]), 2), error: RangeError, op: "maxPool2d", names: ["3-D (unbatched) or 4-D (batched)", "[6, 6]"] },
  { what: "maxPool1d of a 4-D input", call: () => F.maxPool1d(x4(), 2), error: RangeError, op: "maxPool1d", names: ["2-D (unbatched) or 3-D (batched)", "[2, 3, 6, 6]"] },
  { what: "maxPool2d of an int32 input", call: () => F.maxPool2d(ones([1, 4, 4], { dtype: "int32" }), 2), error: TypeError, op: "maxPool2d", names: ["int32"] },
  { what: "maxPool2d kernel 0", call: () => F.maxPool2d(x4(), 0), error: RangeError, op: "maxPool2d", names: ["kernelSize", "0"] },
  { what: "maxPool2d kernel of three", call: () => F.maxPool2d(x4(), [2, 2, 2]), error: RangeError, op: "maxPool2d", names: ["kernelSize", "[2, 2, 2]"] },
  { what: "maxPool2d padding over half the kernel", call: () => F.maxPool2d(x4(), 2, { padding: 2 }), error: RangeError, op: "maxPool2d", names: ["padding [2, 2]", "half", "[2, 2]"] },
  { what: "maxPool2d kernel larger than the input", call: () => F.maxPool2d(ones([1, 1, 2, 2]), 3), error: RangeError, op: "maxPool2d", names: ["[1, 1, 2, 2]", "too small", "[3, 3]"] },
  { what: "maxPool2d empty plane", call: () => F.maxPool2d(ones([1, 1, 0, 4]), 1), error: RangeError, op: "maxPool2d", names: ["non-empty", "[1, 1, 0, 4]"] },
  { what: "maxPool2d ceilMode a string", call: () => F.maxPool2d(x4(), 2, { ceilMode: bad("yes") }), error: TypeError, op: "maxPool2d", names: ["ceilMode", '"yes"'] },
  { what: "maxPool2d dilation 0", call: () => F.maxPool2d(x4(), 2, { dilation: 0 }), error: RangeError, op: "maxPool2d", names: ["dilation", "0"] },
  { what: "maxPool2d stride a string", call: () => F.maxPool2d(x4(), 2, { stride: bad("2") }), error: TypeError, op: "maxPool2d", names: ["stride", '"2"'] },
  { what: "avgPool2d divisorOverride 0", call: () => F.avgPool2d(x4(), 2, { divisorOverride: 0 }), error: RangeError, op: "avgPool2d", names: ["divisorOverride", "0"] },
  { what: "avgPool1d divisorOverride", call: () => F.avgPool1d(ones([1, 4]), 2, { divisorOverride: 2 }), error: TypeError, op: "avgPool1d", names: ["divisorOverride", "2-d"] },
  { what: "avgPool2d countIncludePad a number", call: () => F.avgPool2d(x4(), 2, { countIncludePad: bad(1) }), error: TypeError, op: "avgPool2d", names: ["countIncludePad", "number 1"] },
  { what: "adaptiveAvgPool2d outputSize 0", call: () => F.adaptiveAvgPool2d(x4(), 0), error: RangeError, op: "adaptiveAvgPool2d", names: ["outputSize", "[0, 0]"] },
  { what: "adaptiveAvgPool2d outputSize of three", call: () => F.adaptiveAvgPool2d(x4(), [1, 2, 3]), error: RangeError, op: "adaptiveAvgPool2d", names: ["outputSize", "2 entries", "[1, 2, 3]"] },
  { what: "adaptiveMaxPool1d outputSize a string", call: () => F.adaptiveMaxPool1d(ones([1, 4]), bad("2")), error: TypeError, op: "adaptiveMaxPool1d", names: ["outputSize", '"2"'] },
  { what: "adaptiveMaxPool2d returnIndices a number", call: () => F.adaptiveMaxPool2d(x4(), 2, { returnIndices: bad(1) }), error: TypeError, op: "adaptiveMaxPool2d", names: ["returnIndices", "number 1"] },
  { what: "lpPool2d normType 0", call: () => F.lpPool2d(x4(), 0, 2), error: RangeError, op: "lpPool2d", names: ["normType", "0"] },
  { what: "lpPool2d of a number", call: () => F.lpPool2d(bad(3), 2, 2), error: TypeError, op: "lpPool2d", names: ["number 3"] },
  { what: "maxUnpool2d float indices", call: () => F.maxUnpool2d(ones([1, 1, 2, 2]), ones([1, 1, 2, 2]), 2), error: TypeError, op: "maxUnpool2d", names: ["indices", "int32", "float32"] },
  { what: "maxUnpool2d indices of another shape", call: () => F.maxUnpool2d(ones([1, 1, 2, 2]), idx([1, 1, 2, 3]), 2), error: RangeError, op: "maxUnpool2d", names: ["[1, 1, 2, 3]", "[1, 1, 2, 2]"] },
  { what: "maxUnpool2d index out of range", call: () => F.maxUnpool2d(ones([1, 1, 1, 1]), tensor([[[[4]]]], { dtype: "int32" }), 2), error: RangeError, op: "maxUnpool2d", names: ["index 4", "4 elements", "[2, 2]"] },
  { what: "maxUnpool2d outputSize out of reach", call: () => F.maxUnpool2d(ones([1, 1, 2, 2]), idx([1, 1, 2, 2]), 2, { outputSize: [7, 4] }), error: RangeError, op: "maxUnpool2d", names: ["[7, 4]", "dim 0", "2", "6"] },
  { what: "maxUnpool2d outputSize a number", call: () => F.maxUnpool2d(ones([1, 1, 2, 2]), idx([1, 1, 2, 2]), 2, { outputSize: bad(4) }), error: TypeError, op: "maxUnpool2d", names: ["outputSize", "number 4"] },
  { what: "maxUnpool2d indices a number", call: () => F.maxUnpool2d(ones([1, 1, 2, 2]), bad(0), 2), error: TypeError, op: "maxUnpool2d", names: ["indices", "number 0"] },
  // layers
  { what: "MaxPool2d unknown option", call: () => new MaxPool2d(2, bad({ ceil_mode: true })), error: TypeError, op: "MaxPool2d", names: ["ceil_mode", "ceilMode"] },
  { what: "MaxPool2d forward of a 5-D input", call: () => new MaxPool2d(2).forward(ones([1, 1, 1, 4, 4])), error: RangeError, op: "maxPool2d", names: ["[1, 1, 1, 4, 4]"] },
  { what: "AvgPool1d divisorOverride", call: () => new AvgPool1d(2, { divisorOverride: 2 }), error: TypeError, op: "AvgPool1d", names: ["divisorOverride"] },
  { what: "AdaptiveAvgPool2d forward with a bad size", call: () => new AdaptiveAvgPool2d(bad([2, "a"])).forward(x4()), error: TypeError, op: "adaptiveAvgPool2d", names: ["outputSize", '"a"'] },
  { what: "LPPool2d normType a string", call: () => new LPPool2d(bad("2"), 2), error: TypeError, op: "LPPool2d", names: ["normType", '"2"'] },
  { what: "MaxUnpool2d kernel 0", call: () => new MaxUnpool2d(0), error: RangeError, op: "MaxUnpool2d", names: ["kernelSize", "0"] },
];

describe("pooling misuse gives clear errors", () => {
  it.each(rows.map((r) => [r.what, r] as const))("%s", (_, row) => expectBadInput(row));
});
