// Convolution misuse: each row must throw the named error class with a message that starts with the
// function or layer the user called and names the offending shapes, options or values.
import { describe, it } from "vitest";
import { convolution, ones, tensor } from "@tsgrad/core";
import { F, Conv1d, Conv2d, ConvTranspose2d } from "@tsgrad/nn";
import { expectBadInput, type BadInputRow } from "../../../tools/test-utils.js";

const bad = <T>(v: unknown): T => v as T;
const x4 = (): ReturnType<typeof ones> => ones([2, 4, 5, 5]);
const w4 = (): ReturnType<typeof ones> => ones([6, 2, 3, 3]);

const rows: BadInputRow[] = [
  // functional forms
  { what: "conv2d of a string", call: () => F.conv2d(bad("x"), w4()), error: TypeError, op: "conv2d", names: ['"x"'] },
  { what: "conv2d without a weight", call: () => F.conv2d(x4(), bad(undefined)), error: TypeError, op: "conv2d", names: ["weight", "undefined"] },
  { what: "conv2d with a 2-D input", call: () => F.conv2d(ones([4, 5]), w4()), error: RangeError, op: "conv2d", names: ["3-D (unbatched) or 4-D (batched)", "[4, 5]"] },
  { what: "conv2d with a 3-D weight", call: () => F.conv2d(x4(), ones([6, 2, 3])), error: RangeError, op: "conv2d", names: ["[6, 2, 3]", "[2, 4, 5, 5]"] },
  { what: "conv2d channel mismatch", call: () => F.conv2d(x4(), ones([6, 3, 3, 3])), error: RangeError, op: "conv2d", names: ["[2, 4, 5, 5]", "4 channels", "[6, 3, 3, 3]", "expects 3"] },
  { what: "conv2d groups mismatch", call: () => F.conv2d(x4(), w4(), null, { groups: 3 }), error: RangeError, op: "conv2d", names: ["groups=3", "[6, 2, 3, 3]", "expects 6"] },
  { what: "conv2d kernel larger than the input", call: () => F.conv2d(ones([1, 1, 2, 2]), ones([1, 1, 3, 3])), error: RangeError, op: "conv2d", names: ["[1, 1, 2, 2]", "smaller than the kernel", "[3, 3]"] },
  { what: "conv2d stride 0", call: () => F.conv2d(x4(), w4(), null, { stride: 0 }), error: RangeError, op: "conv2d", names: ["stride", ">= 1", "0"] },
  { what: "conv2d negative padding", call: () => F.conv2d(x4(), w4(), null, { padding: [1, -1] }), error: RangeError, op: "conv2d", names: ["padding", "[1, -1]"] },
  { what: "conv2d padding of three numbers", call: () => F.conv2d(x4(), w4(), null, { padding: [1, 1, 1] }), error: RangeError, op: "conv2d", names: ["padding", "2 integers", "[1, 1, 1]"] },
  { what: "conv2d padding an unknown string", call: () => F.conv2d(x4(), w4(), null, { padding: bad("full") }), error: RangeError, op: "conv2d", names: ["padding", '"same"', '"full"'] },
  { what: "conv2d same with a stride", call: () => F.conv2d(x4(), w4(), null, { padding: "same", stride: 2 }), error: RangeError, op: "conv2d", names: ["same", "strided", "[2, 2]"] },
  { what: "conv2d fractional dilation", call: () => F.conv2d(x4(), w4(), null, { dilation: 1.5 }), error: RangeError, op: "conv2d", names: ["dilation", "1.5"] },
  { what: "conv2d groups 0", call: () => F.conv2d(x4(), w4(), null, { groups: 0 }), error: RangeError, op: "conv2d", names: ["groups", "0"] },
  { what: "conv2d bias of the wrong size", call: () => F.conv2d(x4(), ones([6, 4, 3, 3]), ones([5])), error: RangeError, op: "conv2d", names: ["bias", "[6]", "[5]"] },
  { what: "conv2d int32 input", call: () => F.conv2d(ones([1, 1, 3, 3], { dtype: "int32" }), ones([1, 1, 2, 2])), error: TypeError, op: "conv2d", names: ["int32"] },
  { what: "conv2d mixed dtypes", call: () => F.conv2d(ones([1, 1, 3, 3], { dtype: "float64" }), ones([1, 1, 2, 2])), error: TypeError, op: "conv2d", names: ["float64", "float32"] },
  { what: "conv1d with a 4-D input", call: () => F.conv1d(x4(), ones([2, 4, 3])), error: RangeError, op: "conv1d", names: ["2-D (unbatched) or 3-D (batched)", "[2, 4, 5, 5]"] },
  { what: "conv3d bias a number", call: () => F.conv3d(ones([1, 1, 2, 2, 2]), ones([1, 1, 1, 1, 1]), bad(1)), error: TypeError, op: "conv3d", names: ["bias", "number 1"] },
  { what: "convTranspose2d channel mismatch", call: () => F.convTranspose2d(x4(), ones([3, 2, 3, 3])), error: RangeError, op: "convTranspose2d", names: ["4 channels", "[3, 2, 3, 3]", "expects 3"] },
  { what: "convTranspose2d outputPadding too large", call: () => F.convTranspose2d(x4(), ones([4, 2, 3, 3]), null, { stride: 2, outputPadding: 2 }), error: RangeError, op: "convTranspose2d", names: ["outputPadding", "[2, 2]", "stride"] },
  { what: "convTranspose2d padding as a string", call: () => F.convTranspose2d(x4(), ones([4, 2, 3, 3]), null, { padding: bad("same") }), error: TypeError, op: "convTranspose2d", names: ["padding", '"same"'] },
  { what: "convolution transposed as a number", call: () => convolution(x4(), w4(), null, { transposed: bad(1) }), error: TypeError, op: "convolution", names: ["transposed", "number 1"] },
  { what: "unfold of a 2-D input", call: () => F.unfold(ones([3, 3]), 2), error: RangeError, op: "unfold", names: ["4-D", "[3, 3]"] },
  { what: "unfold kernel larger than the input", call: () => F.unfold(ones([1, 1, 2, 2]), 3), error: RangeError, op: "unfold", names: ["[2, 2]", "[3, 3]"] },
  { what: "fold block count mismatch", call: () => F.fold(ones([1, 4, 5]), [3, 3], 2), error: RangeError, op: "fold", names: ["[1, 4, 5]", "5 blocks", "gives 4"] },
  { what: "fold channels not divisible by the taps", call: () => F.fold(ones([1, 3, 4]), [3, 3], 2), error: RangeError, op: "fold", names: ["[1, 3, 4]", "4 taps"] },
  { what: "fold outputSize a string", call: () => F.fold(ones([1, 4, 4]), bad("3"), 2), error: TypeError, op: "fold", names: ["outputSize", '"3"'] },
  // layers
  { what: "Conv2d fractional channels", call: () => new Conv2d(1.5, 2, 3), error: RangeError, op: "Conv2d", names: ["inChannels", "1.5"] },
  { what: "Conv2d channels not divisible by groups", call: () => new Conv2d(4, 6, 3, { groups: 4 }), error: RangeError, op: "Conv2d", names: ["outChannels (6)", "groups (4)"] },
  { what: "Conv2d kernel 0", call: () => new Conv2d(1, 1, 0), error: RangeError, op: "Conv2d", names: ["kernelSize", "0"] },
  { what: "Conv2d kernel of three numbers", call: () => new Conv2d(1, 1, [3, 3, 3]), error: RangeError, op: "Conv2d", names: ["kernelSize", "[3, 3, 3]"] },
  { what: "Conv2d unknown paddingMode", call: () => new Conv2d(1, 1, 3, { paddingMode: bad("mirror") }), error: RangeError, op: "Conv2d", names: ["paddingMode", '"mirror"'] },
  { what: "Conv2d same with a stride", call: () => new Conv2d(1, 1, 3, { padding: "same", stride: 2 }), error: RangeError, op: "Conv2d", names: ["same", "strided", "(2, 2)"] },
  { what: "Conv1d bias a string", call: () => new Conv1d(1, 1, 3, { bias: bad("no") }), error: TypeError, op: "Conv1d", names: ["bias", '"no"'] },
  { what: "Conv2d forward with the wrong channels", call: () => new Conv2d(3, 2, 3).forward(ones([1, 2, 5, 5])), error: RangeError, op: "conv2d", names: ["[1, 2, 5, 5]", "expects 3"] },
  { what: "Conv2d reflect forward of a string", call: () => new Conv2d(3, 2, 3, { padding: 1, paddingMode: "reflect" }).forward(bad("img")), error: TypeError, op: "conv2d", names: ['"img"'] },
  { what: "ConvTranspose2d reflect padding", call: () => new ConvTranspose2d(1, 1, 3, { paddingMode: bad("reflect") }), error: RangeError, op: "ConvTranspose2d", names: ["paddingMode", '"zeros"', '"reflect"'] },
  { what: "ConvTranspose2d outputSize out of reach", call: () => new ConvTranspose2d(1, 1, 3, { stride: 2 }).forward(ones([1, 1, 4, 4]), [12, 12]), error: RangeError, op: "ConvTranspose2d.forward", names: ["[12, 12]", "[9, 10]"] },
  { what: "ConvTranspose2d outputSize of one number", call: () => new ConvTranspose2d(1, 1, 3).forward(ones([1, 1, 4, 4]), [6]), error: RangeError, op: "ConvTranspose2d.forward", names: ["outputSize", "[6]"] },
  { what: "ConvTranspose2d outputSize a number", call: () => new ConvTranspose2d(1, 1, 3).forward(ones([1, 1, 4, 4]), bad(6)), error: TypeError, op: "ConvTranspose2d.forward", names: ["outputSize", "6"] },
  { what: "Conv2d forward of a nested array", call: () => new Conv2d(1, 1, 1).forward(bad([[1]])), error: TypeError, op: "conv2d", names: ["an array of length 1"] },
  { what: "conv2d unknown option", call: () => F.conv2d(x4(), w4(), null, bad({ padding_mode: "reflect" })), error: TypeError, op: "conv2d", names: ["padding_mode"] },
  { what: "conv2d of a tensor-like number", call: () => F.conv2d(bad(tensor(1).item()), w4()), error: TypeError, op: "conv2d", names: ["number 1"] },
];

describe("convolution misuse gives clear errors", () => {
  it.each(rows.map((r) => [r.what, r] as const))("%s", (_, row) => expectBadInput(row));
});
