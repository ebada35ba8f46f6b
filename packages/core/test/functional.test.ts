/**
 * The top-level functional forms: generated from the dual-method table, up to date, exported from
 * @tsgrad/core and the tsgrad umbrella, giving the method's result, and covering every Tensor
 * method whose name PyTorch also has as `torch.X`.
 */
import { readFileSync } from "node:fs";
import { describe, it, expect } from "vitest";
import * as core from "@tsgrad/core";
import * as tg from "tsgrad";
import { Tensor, tensor, ValuesIndices, type DType, type NestedArray } from "@tsgrad/core";
import { DUAL_METHODS, METHOD_ONLY, SAMPLES, type DualRow } from "../src/functional-table.js";
import { generateFunctional, GENERATED_PATH } from "../../../tools/gen-functional.js";
import { loadFixture } from "../../../tools/test-utils.js";

const ROWS = Object.entries(DUAL_METHODS) as Array<[string, DualRow]>;
const { torchDualNames } = loadFixture<{ torchDualNames: string[] }>(new URL("./fixtures/core-layout.json", import.meta.url));

/** Fresh float64 sample tensors (float ones require grad, so the graph is compared too). */
function samples(): Record<string, Tensor> {
  return Object.fromEntries(
    Object.entries(SAMPLES).map(([name, [values, dtype]]) => {
      const t = tensor(values as unknown as NestedArray, { dtype: dtype === "float32" ? "float64" : (dtype as DType) });
      return [name, dtype === "float32" ? t.requiresGrad_(true) : t];
    }),
  );
}

function resolveArg(value: unknown, s: Record<string, Tensor>): unknown {
  return typeof value === "string" && Object.hasOwn(s, value) ? s[value] : value;
}

/** Asserts two results of the same call are the same: tensors element by element, with the same graph node. */
function expectSame(a: unknown, b: unknown, what: string): void {
  if (a instanceof Tensor) {
    expect(b, what).toBeInstanceOf(Tensor);
    const t = b as Tensor;
    expect([t.dtype, t.shape, t.gradFn?.name], what).toEqual([a.dtype, a.shape, a.gradFn?.name]);
    expect(Array.from(t.dataSync()), what).toEqual(Array.from(a.dataSync()));
  } else if (a instanceof ValuesIndices || Array.isArray(a)) {
    expect(b?.constructor, what).toBe(a.constructor);
    const [av, bv] = [[...(a as Iterable<unknown>)], [...(b as Iterable<unknown>)]];
    expect(bv.length, what).toBe(av.length);
    av.forEach((x, k) => expectSame(x, bv[k], `${what}[${k}]`));
  } else {
    expect(b, what).toEqual(a);
  }
}

const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

describe("functional.generated.ts", () => {
  it("is what tools/gen-functional.ts writes from the table and tensor.ts (rerun it after a change)", () => {
    expect(readFileSync(GENERATED_PATH, "utf8")).toBe(generateFunctional());
  });
});

describe("every dual method has both forms with the same result", () => {
  for (const [name, row] of ROWS) {
    it(`${name}: tg.${name}(${row.input ?? "x"}, ...) = ${row.input ?? "x"}.${name}(...)`, () => {
      expect(typeof (core as Record<string, unknown>)[name], `@tsgrad/core exports ${name}`).toBe("function");
      expect((tg as Record<string, unknown>)[name], `tsgrad re-exports core's ${name}`).toBe((core as Record<string, unknown>)[name]);
      const [s1, s2] = [samples(), samples()];
      const viaMethod = Reflect.apply(Reflect.get(Tensor.prototype, name) as () => unknown, s1[row.input ?? "x"], row.args.map((a) => resolveArg(a, s1)));
      const fn = (core as Record<string, unknown>)[name] as (...a: unknown[]) => unknown;
      const viaFunction = fn(s2[row.input ?? "x"], ...row.args.map((a) => resolveArg(a, s2)));
      expectSame(viaMethod, viaFunction, name);
    });
  }
});

describe("the table covers PyTorch's functional forms", () => {
  const methods = Object.getOwnPropertyNames(Tensor.prototype).filter((n) => {
    const d = Object.getOwnPropertyDescriptor(Tensor.prototype, n)!;
    return typeof d.value === "function" && n !== "constructor" && !n.startsWith("_") && !n.endsWith("_");
  });

  it("lists every Tensor method whose snake_case name is a torch function (or says why not in METHOD_ONLY)", () => {
    const torchNames = new Set(torchDualNames);
    const missing = methods.filter((n) => torchNames.has(snake(n)) && !Object.hasOwn(DUAL_METHODS, n) && !Object.hasOwn(METHOD_ONLY, n));
    expect(missing).toEqual([]);
  });

  it("lists only methods PyTorch has as torch functions", () => {
    const torchNames = new Set(torchDualNames);
    expect(ROWS.map(([n]) => n).filter((n) => !torchNames.has(snake(n)))).toEqual([]);
  });
});
