// Optimizer and scheduler misuse (issue 7, item 9): calls with the wrong things name the class
// and the offending value instead of letting an internal error escape or ignoring the argument.
import { describe, it } from "vitest";
import { ones } from "@tsgrad/core";
import { ReduceLROnPlateau, SGD, StepLR, Adam, LBFGS } from "@tsgrad/optim";
import { expectBadInput, type BadInputRow } from "../../../tools/test-utils.js";

const sgd = (): SGD => new SGD([ones([1]).requiresGrad_()], { lr: 0.1 });

const rows: BadInputRow[] = [
  { what: "step with a number closure", call: () => sgd().step(3 as never), error: TypeError, op: "SGD.step", names: ["closure", "number 3"] },
  { what: "Adam step with a string closure", call: () => new Adam([ones([1]).requiresGrad_()]).step("x" as never), error: TypeError, op: "Adam.step", names: ['"x"'] },
  { what: "scheduler step(epoch), PyTorch's deprecated form", call: () => (new StepLR(sgd(), { stepSize: 1 }).step as (e: number) => void)(5), error: TypeError, op: "StepLR.step", names: ["step(epoch)"] },
  { what: "ReduceLROnPlateau step without a metric", call: () => (new ReduceLROnPlateau(sgd()).step as () => void)(), error: TypeError, op: "ReduceLROnPlateau.step", names: ["metric", "got undefined"] },
  { what: "LBFGS step without a closure", call: () => new LBFGS([ones([1]).requiresGrad_()]).step(), error: TypeError, op: "LBFGS.step", names: ["closure", "got undefined"] },
  { what: "LBFGS closure returning a string", call: () => new LBFGS([ones([1]).requiresGrad_()]).step(() => "0.5"), error: TypeError, op: "LBFGS.step", names: ["the loss", '"0.5"'] },
  { what: "LBFGS addParamGroup", call: () => new LBFGS([ones([1]).requiresGrad_()]).addParamGroup({ params: [ones([1]).requiresGrad_()] }), error: RangeError, op: "LBFGS", names: ["parameter groups"] },
  { what: "a scheduler of a non-optimizer", call: () => new StepLR({} as never, { stepSize: 1 }), error: TypeError, op: "StepLR", names: ["a plain object"] },
];

describe("optimizer and scheduler misuse gives clear errors", () => {
  it.each(rows.map((r) => [r.what, r] as const))("%s", (_, row) => expectBadInput(row));
});
