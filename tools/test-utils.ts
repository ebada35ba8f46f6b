/**
 * Test helpers shared by every package's tests: decoding PyTorch fixtures and comparing tensors.
 * Fixtures are written by tools/fixtures/gen_*.py (see common.py for the encoding).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Tensor, tensor, type DType } from "@tsgrad/core";

/** A tensor as the fixture generators encode it. */
export interface EncodedTensor {
  shape: number[];
  dtype: DType;
  data: Array<number | boolean | "nan" | "inf" | "-inf">;
}

function decodeNumber(v: number | boolean | string): number {
  if (v === "nan") return NaN;
  if (v === "inf") return Infinity;
  if (v === "-inf") return -Infinity;
  if (typeof v === "boolean") return v ? 1 : 0;
  return v as number;
}

/** Decodes a fixture tensor (optionally overriding its dtype and marking it requiresGrad). */
export function decode(e: EncodedTensor, options: { dtype?: DType; requiresGrad?: boolean } = {}): Tensor {
  const dtype = options.dtype ?? e.dtype;
  const flat = new Float64Array(e.data.map(decodeNumber));
  const t = tensor(flat, { shape: e.shape, dtype });
  return options.requiresGrad ? t.requiresGrad_(true) : t;
}

/** Reads a JSON fixture relative to the calling test file's URL. */
export function loadFixture<T>(url: URL): T {
  return JSON.parse(readFileSync(url, "utf8")) as T;
}

/**
 * Asserts `actual` has `expected`'s shape and every element within `atol + rtol·|expected|`
 * (NaN matches NaN, infinities must match exactly). `what` names the comparison in failures.
 */
export function expectClose(actual: Tensor, expected: Tensor | EncodedTensor, what: string, rtol = 1e-6, atol = 1e-8): void {
  const exp = expected instanceof Tensor ? expected : decode(expected);
  expect(actual.shape, `${what}: shape`).toEqual(exp.shape);
  const a = actual.to("float64").dataSync();
  const b = exp.to("float64").dataSync();
  for (let i = 0; i < b.length; i++) {
    const x = a[i];
    const y = b[i];
    const ok = (Number.isNaN(x) && Number.isNaN(y)) || x === y || Math.abs(x - y) <= atol + rtol * Math.abs(y);
    if (!ok) expect.fail(`${what}: element ${i} is ${x}, expected ${y} (rtol ${rtol}, atol ${atol})`);
  }
}

/**
 * One row of a bad-input table (issue "nothing silent"): calling `call` must throw an instance of
 * `error` whose message starts with `op` (the name the user called) and contains every string in
 * `names` (the offending value, shape, dtype or option).
 */
export interface BadInputRow {
  /** What the row exercises, shown as the test name. */
  what: string;
  call: () => unknown;
  error: typeof TypeError | typeof RangeError | typeof Error;
  /** The op name the message must start with (before the first ":"). */
  op: string;
  /** Substrings the message must contain. */
  names: readonly string[];
}

/** Asserts one {@link BadInputRow}: the class, the op prefix and the named values. */
export function expectBadInput(row: BadInputRow): void {
  let caught: unknown;
  try {
    row.call();
  } catch (e) {
    caught = e;
  }
  expect(caught, `${row.what}: expected a throw`).toBeInstanceOf(row.error);
  const message = (caught as Error).message;
  expect(message.startsWith(`${row.op}:`), `${row.what}: message "${message}" should start with "${row.op}:"`).toBe(true);
  for (const name of row.names) expect(message, row.what).toContain(name);
}

/**
 * One test per scenario of a fixture generator, plus one checking that the tests and the
 * generator list the same scenarios: `run` gives a scenario's results by key, `compareKey` checks
 * one of them against what PyTorch wrote under that key.
 */
export function describeScenarios<R extends Record<string, unknown>>(
  title: string, scenarios: Record<string, () => R>, expected: Record<string, object>,
  compareKey: (scenario: string, key: string, got: unknown, want: unknown) => void,
): void {
  describe(title, () => {
    it("covers every scenario of the generator", () => {
      expect(Object.keys(scenarios).sort()).toEqual(Object.keys(expected).sort());
    });
    for (const [name, want] of Object.entries(expected)) {
      it(name, () => {
        const got = scenarios[name]();
        expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
        for (const [key, value] of Object.entries(want)) compareKey(name, key, got[key], value);
      });
    }
  });
}
