/**
 * Bad inputs to @tsgrad/data's DataLoader and defaultCollate (issue 7, "nothing silent"): each row
 * must throw its error class with a message that starts with the op and names the bad value.
 */
import { describe, it } from "vitest";
import { tensor } from "@tsgrad/core";
import { DataLoader, Dataset, defaultCollate } from "@tsgrad/data";
import { expectBadInput, type BadInputRow } from "../../../tools/test-utils.js";

// A custom dataset reporting whatever length it is given (a buggy __len__, in PyTorch terms).
class Sized extends Dataset<number> {
  constructor(readonly length: number) {
    super();
  }
  get(i: number): number {
    return i;
  }
}

// A dataset whose length changes after the loader was built.
class Shrinking extends Dataset<number> {
  length = 4;
  get(i: number): number {
    return i;
  }
}

const shrinking = new Shrinking();
const shrinkingLoader = new DataLoader(shrinking, { batchSize: 2 });

const rows: BadInputRow[] = [
  { what: "dataset length -3", call: () => new DataLoader(new Sized(-3)), error: RangeError, op: "DataLoader", names: ["length", "-3"] },
  { what: "dataset length NaN", call: () => new DataLoader(new Sized(NaN)), error: RangeError, op: "DataLoader", names: ["NaN"] },
  { what: "dataset length 2.5", call: () => new DataLoader(new Sized(2.5)), error: RangeError, op: "DataLoader", names: ["2.5"] },
  { what: "dataset length Infinity", call: () => new DataLoader(new Sized(Infinity)), error: RangeError, op: "DataLoader", names: ["Infinity"] },
  {
    what: "dataset length turned negative before an epoch",
    call: () => {
      shrinking.length = -1;
      return [...shrinkingLoader];
    },
    error: RangeError,
    op: "DataLoader",
    names: ["-1"],
  },
  {
    what: "collating an integer beyond int32",
    call: () => defaultCollate([1, 3e9]),
    error: RangeError,
    op: "defaultCollate",
    names: ["item 1", "3000000000", "int32"],
  },
  {
    what: "collating a label beyond int32 inside a tuple",
    call: () => defaultCollate([[tensor([1]), 2 ** 31]]),
    error: RangeError,
    op: "defaultCollate",
    names: ["item 0[1]", "2147483648"],
  },
  {
    what: "collating numbers mixed with booleans",
    call: () => defaultCollate([1, true] as unknown[]),
    error: TypeError,
    op: "defaultCollate",
    names: ["item 1", "boolean"],
  },
];

describe("bad inputs: @tsgrad/data sizes and collation", () => {
  for (const row of rows) it(row.what, () => expectBadInput(row));
});
