// Module misuse (issue 7, items 4 and 9): each row must throw the named error class with a message
// that starts with the module or function the user called and names the offending value.
import { describe, expect, it } from "vitest";
import { Tensor, ones, zeros } from "@tsgrad/core";
import { Dropout, F, Flatten, Linear, LogSoftmax, Module, ModuleList, PReLU, Parameter, ReLU, Sequential, Softmax } from "@tsgrad/nn";
import { expectBadInput, type BadInputRow } from "../../../tools/test-utils.js";

// Subclasses that forgot forward, as JavaScript users can write them (TypeScript refuses to).
// @ts-expect-error forward is abstract
class NoForward extends Module {}
// @ts-expect-error forward is abstract
class NamedNoForward extends Module {
  static override readonly typeName: string = "Encoder";
}
const lin = (): Linear => new Linear(2, 3);

const rows: BadInputRow[] = [
  // forward
  { what: "a subclass without forward, called by forward", call: () => new NoForward().forward(ones([2])), error: TypeError, op: "NoForward", names: ["forward is not implemented"] },
  { what: "a subclass without forward, called by call", call: () => new NoForward().call(ones([2])), error: TypeError, op: "NoForward", names: ["forward is not implemented"] },
  { what: "a subclass without forward is named by its typeName", call: () => (new NamedNoForward() as Module).forward(), error: TypeError, op: "Encoder", names: ["forward"] },
  { what: "ModuleList has no forward", call: () => new ModuleList([lin()]).forward(), error: TypeError, op: "ModuleList", names: ["forward is not implemented"] },
  // calling a module with the wrong things
  { what: "Linear with no input", call: () => (lin().forward as (...a: unknown[]) => Tensor)(), error: TypeError, op: "linear", names: ["input", "undefined"] },
  { what: "Linear with a string", call: () => lin().forward("abc" as never), error: TypeError, op: "linear", names: ['"abc"'] },
  { what: "Linear with a nested array", call: () => lin().forward([[1, 2]] as never), error: TypeError, op: "linear", names: ["an array of length 1"] },
  { what: "Linear with the wrong feature count", call: () => lin().forward(ones([4, 5])), error: RangeError, op: "linear", names: ["[4, 5]", "[3, 2]"] },
  { what: "Linear with an int32 input", call: () => lin().forward(ones([4, 2], { dtype: "int32" })), error: TypeError, op: "linear", names: ["int32"] },
  { what: "Sequential with no input", call: () => (new Sequential(lin()).forward as (...a: unknown[]) => Tensor)(), error: TypeError, op: "linear", names: ["undefined"] },
  { what: "ReLU with a number", call: () => new ReLU().forward(3 as never), error: TypeError, op: "relu", names: ["number 3"] },
  { what: "Softmax with null", call: () => new Softmax(1).forward(null as never), error: TypeError, op: "softmax", names: ["null"] },
  { what: "Dropout with an array", call: () => new Dropout(0.5).forward([1] as never), error: TypeError, op: "dropout", names: ["an array"] },
  { what: "Flatten with a plain object", call: () => new Flatten().forward({} as never), error: TypeError, op: "Flatten", names: ["a plain object"] },
  { what: "PReLU with a number", call: () => new PReLU().forward(3 as never), error: TypeError, op: "prelu", names: ["number 3"] },
  { what: "F.linear with a number weight", call: () => F.linear(ones([1, 2]), 3 as never), error: TypeError, op: "linear", names: ["weight", "number 3"] },
  // constructors
  { what: "Sequential of a number", call: () => new Sequential(3 as never), error: TypeError, op: "Sequential", names: ["number 3"] },
  { what: "Softmax with a string dim", call: () => new Softmax("1" as never), error: TypeError, op: "Softmax", names: ["dim", "1"] },
  { what: "LogSoftmax with a string dim", call: () => new LogSoftmax("1" as never), error: TypeError, op: "LogSoftmax", names: ["dim"] },
  { what: "Linear with fractional features", call: () => new Linear(2.5, 3), error: RangeError, op: "Linear", names: ["inFeatures", "2.5"] },
  { what: "Dropout with p = 2", call: () => new Dropout(2), error: RangeError, op: "Dropout", names: ["2"] },
  { what: "Parameter of a number", call: () => new Parameter(3 as never), error: TypeError, op: "Parameter", names: ["number 3"] },
  // containers
  { what: "ModuleList index out of range", call: () => new ModuleList([lin()]).at(5), error: RangeError, op: "ModuleList", names: ["index 5", "1 modules"] },
  { what: "Sequential index of a string", call: () => new Sequential(lin()).at("a" as never), error: TypeError, op: "Sequential", names: ["index", "\"a\""] },
  { what: "ModuleList.append of a number", call: () => new ModuleList([]).append(3 as never), error: TypeError, op: "ModuleList.append", names: ["number 3"] },
  // module methods
  { what: "train with a string", call: () => lin().train("yes" as never), error: TypeError, op: "Linear.train", names: ["\"yes\""] },
  { what: "apply of a number", call: () => lin().apply(5 as never), error: TypeError, op: "Linear.apply", names: ["number 5"] },
  { what: "registerBuffer over a parameter names the module", call: () => lin().registerBuffer("weight", zeros([1])), error: TypeError, op: "registerBuffer", names: ['"weight"', "parameter of Linear"] },
  { what: "registerBuffer of a number", call: () => lin().registerBuffer("b2", 3 as never), error: TypeError, op: "registerBuffer", names: ['"b2"', "number 3"] },
  { what: "registerBuffer with a dotted name", call: () => lin().registerBuffer("a.b", zeros([1])), error: TypeError, op: "registerBuffer", names: ['"a.b"'] },
  { what: "loadStateDict of a number", call: () => lin().loadStateDict(3 as never), error: TypeError, op: "loadStateDict", names: ["number 3"] },
  { what: "loadStateDict with a wrong shape names the module", call: () => lin().loadStateDict({ weight: ones([1]), bias: zeros([3]) }), error: RangeError, op: "loadStateDict", names: ["Linear", "weight", "[1]", "[3, 2]"] },
  { what: "to an unknown dtype", call: () => lin().to("float16" as never), error: TypeError, op: "to", names: ['"float16"'] },
  // a module's parameter grads are checked like any tensor's
  { what: "assigning a parameter a grad of the wrong shape", call: () => { lin().weight.grad = zeros([2, 3]); }, error: RangeError, op: "Tensor.grad", names: ["[2, 3]", "[3, 2]"] },
];

describe("module misuse gives clear errors", () => {
  it.each(rows.map((r) => [r.what, r] as const))("%s", (_, row) => expectBadInput(row));

  it("a user module's name comes from its class in messages too", () => {
    class Encoder extends Module {
      fc = new Linear(2, 2);
      forward(x: Tensor): Tensor { return this.fc.forward(x); }
    }
    expect(() => new Encoder().registerBuffer("fc", zeros([1]))).toThrow('registerBuffer: "fc" is already a submodule of Encoder');
  });
});
