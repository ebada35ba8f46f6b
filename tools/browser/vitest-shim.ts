/**
 * The part of vitest's API the browser subset of the tests uses (describe / it / test, .each,
 * .skip, hooks, expect), for running those test files unchanged in a page: esbuild aliases
 * "vitest" to this file. `expect` is vitest's own (@vitest/expect on chai), so matchers behave
 * exactly as under Node; the runner is a small sequential one that reports to `window`.
 */
import { chai, JestAsymmetricMatchers, JestChaiExpect, JestExtend, ASYMMETRIC_MATCHERS_OBJECT } from "@vitest/expect";

chai.use(JestExtend);
chai.use(JestChaiExpect);
chai.use(JestAsymmetricMatchers);

type Fn = () => unknown;
interface Case { name: string; fn: Fn | null }
interface Suite { name: string; cases: Case[]; children: Suite[]; beforeAll: Fn[]; afterAll: Fn[]; beforeEach: Fn[]; afterEach: Fn[] }

const root: Suite = { name: "", cases: [], children: [], beforeAll: [], afterAll: [], beforeEach: [], afterEach: [] };
let current = root;

/** vitest's `expect`, without the per-test state vitest's runner adds (assertion counting). */
export const expect = Object.assign((value: unknown, message?: string) => chai.expect(value, message), chai.expect, (globalThis as Record<symbol, object>)[ASYMMETRIC_MATCHERS_OBJECT as unknown as symbol] ?? {}, {
  fail: (message?: string) => chai.assert.fail(message),
  unreachable: (message?: string) => chai.assert.fail(`expected${message ? ` "${message}" ` : " "}not to be reached`),
}) as unknown as typeof import("vitest").expect;

function show(value: unknown): string {
  try {
    return typeof value === "object" && value !== null ? JSON.stringify(value) ?? String(value) : String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function format(name: string, args: unknown[], index: number): string {
  let i = 0;
  const first = args[0];
  return name
    .replace(/\$([\w.]+)/g, (m, key: string) => (typeof first === "object" && first !== null && key.split(".")[0] in first ? show(key.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], first)) : m))
    .replace(/%[sdifjo$#%]/g, (m) => (m === "%%" ? "%" : m === "%#" ? String(index) : show(args[i++])));
}

function withEach(register: (name: string, fn: Fn | null) => void) {
  const api = (name: string, fn?: Fn) => register(name, fn ?? null);
  return Object.assign(api, {
    skip: (name: string) => register(name, null),
    todo: (name: string) => register(name, null),
    only: (name: string, fn: Fn) => register(name, fn),
    each: (rows: readonly unknown[]) => (name: string, fn: (...a: unknown[]) => unknown) => {
      rows.forEach((row, index) => {
        const args = Array.isArray(row) ? row : [row];
        register(format(name, args, index), () => fn(...args));
      });
    },
  });
}

export const it = withEach((name, fn) => current.cases.push({ name, fn }));
export const test = it;
export const describe = withEach((name, fn) => {
  const suite: Suite = { name, cases: [], children: [], beforeAll: [], afterAll: [], beforeEach: [], afterEach: [] };
  current.children.push(suite);
  if (fn === null) return;
  const parent = current;
  current = suite;
  try {
    fn();
  } finally {
    current = parent;
  }
});
export const beforeAll = (fn: Fn): void => void current.beforeAll.push(fn);
export const afterAll = (fn: Fn): void => void current.afterAll.push(fn);
export const beforeEach = (fn: Fn): void => void current.beforeEach.push(fn);
export const afterEach = (fn: Fn): void => void current.afterEach.push(fn);

/** One result per test: its full name and, when it failed, the error. */
export interface Result { file: string; name: string; status: "passed" | "failed" | "skipped"; error?: string }

/** Runs what `register` declares (one test file's top level), appending to `results`. */
export async function runFile(file: string, register: () => Promise<unknown>, results: Result[]): Promise<void> {
  root.cases = [];
  root.children = [];
  root.beforeAll = [];
  root.afterAll = [];
  root.beforeEach = [];
  root.afterEach = [];
  try {
    await register();
  } catch (e) {
    results.push({ file, name: "(collecting the file)", status: "failed", error: String((e as Error)?.stack ?? e) });
    return;
  }
  const run = async (suite: Suite, path: string[], eachBefore: Fn[], eachAfter: Fn[]): Promise<void> => {
    const before = [...eachBefore, ...suite.beforeEach];
    const after = [...suite.afterEach, ...eachAfter];
    for (const hook of suite.beforeAll) await hook();
    for (const c of suite.cases) {
      const name = [...path, c.name].join(" > ");
      if (c.fn === null) {
        results.push({ file, name, status: "skipped" });
        continue;
      }
      try {
        for (const hook of before) await hook();
        await c.fn();
        for (const hook of after) await hook();
        results.push({ file, name, status: "passed" });
      } catch (e) {
        results.push({ file, name, status: "failed", error: String((e as Error)?.stack ?? e).slice(0, 2000) });
      }
    }
    for (const child of suite.children) await run(child, [...path, child.name], before, after);
    for (const hook of suite.afterAll) await hook();
  };
  await run(root, [], [], []);
}
