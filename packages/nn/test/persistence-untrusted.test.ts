/**
 * Module.loadStateDict with untrusted state dicts (issue "nothing silent", item 11): keys are
 * data, so `constructor`, `toString`, `__proto__` and `hasOwnProperty` are unexpected keys like any
 * other, whether the dict was built in code or loaded from a tampered file.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Tensor, ones, zeros } from "@tsgrad/core";
import { save, load } from "@tsgrad/core/node";
import { Linear, Sequential, ReLU } from "@tsgrad/nn";
import { expectBadInput, type BadInputRow } from "../../../tools/test-utils.js";

const dir = mkdtempSync(join(tmpdir(), "tsgrad-nn-untrusted-"));

/** `entries` as an object of own properties (a "__proto__" entry stays a key). */
const dict = (entries: Array<[string, unknown]>): Record<string, Tensor> => Object.fromEntries(entries) as Record<string, Tensor>;
const linear = (): Linear => new Linear(2, 3);
const full = (extra: Array<[string, unknown]>): Record<string, Tensor> => dict([["weight", zeros([3, 2])], ["bias", zeros([3])], ...extra]);

const prototypeKeys = ["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf"];

const rows: BadInputRow[] = [
  ...prototypeKeys.map((key): BadInputRow => ({
    what: `strict: an unexpected key "${key}"`,
    call: () => linear().loadStateDict(full([[key, ones([1])]])),
    error: RangeError,
    op: "loadStateDict",
    names: ["unexpected keys", `"${key}"`],
  })),
  {
    what: 'strict: "__proto__" as the only key is both missing weight/bias and unexpected',
    call: () => linear().loadStateDict(dict([["__proto__", ones([1])]])),
    error: RangeError,
    op: "loadStateDict",
    names: ['missing keys: "weight", "bias"', 'unexpected keys: "__proto__"'],
  },
  {
    what: 'a Map with a "constructor" key',
    call: () => linear().loadStateDict(new Map([...Object.entries(full([])), ["constructor", ones([1])]])),
    error: RangeError,
    op: "loadStateDict",
    names: ['unexpected keys: "constructor"'],
  },
  {
    what: 'a "__proto__" key that is not a tensor',
    call: () => linear().loadStateDict(full([["__proto__", { polluted: 1 }]])),
    error: TypeError,
    op: "loadStateDict",
    names: ['"__proto__" is', "expected a Tensor"],
  },
];

afterEach(() => {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.getPrototypeOf({})).toBe(Object.prototype);
});

describe("Module.loadStateDict: keys are data", () => {
  for (const row of rows) it(row.what, () => expectBadInput(row));

  it("non-strict mode reports prototype-named keys as unexpected and loads the rest", () => {
    const fc = linear();
    const result = fc.loadStateDict(full(prototypeKeys.map((k) => [k, ones([1])])), { strict: false });
    expect(result).toEqual({ missingKeys: [], unexpectedKeys: prototypeKeys });
    expect(fc.weight.toArray()).toEqual([[0, 0], [0, 0], [0, 0]]);
  });

  it("a tampered checkpoint file: the added __proto__ and constructor keys load as data and are refused", () => {
    const model = new Sequential(new Linear(2, 4), new ReLU(), new Linear(4, 1));
    const path = join(dir, "model.json");
    save(model.stateDict(), path);
    const text = readFileSync(path, "utf8");
    const weight = JSON.stringify(JSON.parse(text).value["2.bias"]);
    writeFileSync(path, text.replace('"value":{', `"value":{"__proto__":${weight},"constructor":${weight},`));
    const sd = load(path) as Record<string, Tensor>;
    expect(Object.getPrototypeOf(sd)).toBe(Object.prototype);
    expect(Object.keys(sd).slice(0, 2)).toEqual(["__proto__", "constructor"]);
    const fresh = new Sequential(new Linear(2, 4), new ReLU(), new Linear(4, 1));
    expect(() => fresh.loadStateDict(sd)).toThrow('unexpected keys: "__proto__", "constructor"');
    expect(fresh.loadStateDict(sd, { strict: false }).unexpectedKeys).toEqual(["__proto__", "constructor"]);
    expect(fresh.forward(ones([1, 2])).toArray()).toEqual(model.forward(ones([1, 2])).toArray());
  });

  it("stateDict() is an ordinary object of own keys", () => {
    const sd = new Sequential(new Linear(2, 2)).stateDict();
    expect(Object.getPrototypeOf(sd)).toBe(Object.prototype);
    expect(Object.keys(sd)).toEqual(["0.weight", "0.bias"]);
  });
});
