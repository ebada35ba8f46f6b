import { describe, expect, it } from "vitest";
import { resolveOptions, checkOptionKeys, optionChecks, describeValue, tensor } from "../src/index.js";

describe("resolveOptions", () => {
  const defaults = { batchSize: 1, shuffle: false, generator: undefined as object | undefined };
  const checks = { batchSize: optionChecks.intAtLeast(1), shuffle: optionChecks.boolean };

  it("merges given values over defaults; undefined keeps the default", () => {
    expect(resolveOptions("DataLoader", { batchSize: 4, shuffle: undefined }, defaults, checks)).toEqual({ batchSize: 4, shuffle: false, generator: undefined });
    expect(resolveOptions("DataLoader", undefined, defaults, checks)).toEqual(defaults);
  });

  it.each([
    ["batch_size", /unknown option "batch_size" \(did you mean "batchSize"\?\)/],
    ["batchsize", /did you mean "batchSize"/],
    ["shufle", /did you mean "shuffle"/],
    ["requires_grad", /unknown option "requires_grad"; known options: batchSize, shuffle, generator/],
    ["constructor", /unknown option "constructor"/],
    ["__proto__x", /unknown option "__proto__x"/],
  ])("rejects the unknown key %s with a hint", (key, message) => {
    expect(() => resolveOptions("DataLoader", { [key]: 4 }, defaults, checks)).toThrow(TypeError);
    expect(() => resolveOptions("DataLoader", { [key]: 4 }, defaults, checks)).toThrow(message);
  });

  it("points legacy names at their replacement", () => {
    expect(() => resolveOptions("var", { unbiased: false }, { correction: 1, keepdim: false })).toThrow(/did you mean correction \(unbiased: false is correction: 0\)\?/);
    expect(() => resolveOptions("mseLoss", { size_average: false }, { reduction: "mean" })).toThrow(/did you mean "reduction"\?/);
  });

  it("runs each check, naming op, option and value", () => {
    expect(() => resolveOptions("DataLoader", { batchSize: 0 }, defaults, checks)).toThrow(new RangeError("DataLoader: batchSize must be an integer >= 1, got 0"));
    expect(() => resolveOptions("DataLoader", { batchSize: "4" }, defaults, checks)).toThrow(new TypeError('DataLoader: batchSize must be an integer >= 1, got "4"'));
    expect(() => resolveOptions("DataLoader", { shuffle: 1 }, defaults, checks)).toThrow(new TypeError("DataLoader: shuffle must be a boolean, got number 1"));
  });

  it("rejects options that are not a plain object", () => {
    for (const bad of [null, 3, "x", [1]]) expect(() => resolveOptions("op", bad, defaults)).toThrow(/op: options must be an object, got /);
  });

  it("ignores inherited keys: only own keys are options", () => {
    const inherited = Object.create({ batch_size: 3 }) as object;
    expect(resolveOptions("DataLoader", inherited, defaults, checks)).toEqual(defaults);
  });

  it("checkOptionKeys rejects unknown keys without merging", () => {
    expect(() => checkOptionKeys("sum", { dtype: "float64" }, ["dtype"])).not.toThrow();
    expect(() => checkOptionKeys("sum", { keep_dim: true }, ["dtype"])).toThrow(/sum: unknown option "keep_dim"/);
  });

  it.each([
    [optionChecks.positive, 0, RangeError], [optionChecks.positive, Infinity, RangeError], [optionChecks.nonNegative, -1, RangeError],
    [optionChecks.probability, 1.5, RangeError], [optionChecks.integer, 1.5, RangeError], [optionChecks.finite, NaN, RangeError],
    [optionChecks.oneOf(["mean", "sum"]), "avg", RangeError], [optionChecks.oneOf(["mean", "sum"]), 3, TypeError],
    [optionChecks.string, 3, TypeError], [optionChecks.function, {}, TypeError],
  ])("check %# refuses %s", (check, value, cls) => {
    expect(() => check("op", "x", value)).toThrow(cls);
  });
});

describe("describeValue", () => {
  it.each([
    [null, "null"], [undefined, "undefined"], ["a", '"a"'], [NaN, "number NaN"], [[1, 2], "an array of length 2"],
    [{}, "a plain object"], [Object.create(null), "a plain object"], [new Map(), "a Map"], [() => 1, "a function"],
  ])("describes %s", (value, text) => {
    expect(describeValue(value)).toBe(text);
  });
  it("describes a tensor by its shape", () => {
    expect(describeValue(tensor([[1, 2, 3]]))).toBe("a Tensor of shape [1, 3]");
  });
});
