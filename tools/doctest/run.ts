/**
 * Runs one instrumented snippet and collects what its expectation comments found: the engine of
 * the doctest (tools/doctest/doctest.test.ts), separate so its own tests can feed it snippets.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { format } from "node:util";
import ts from "typescript";
import { instrument, type Check } from "./instrument.js";
import { matchesText, mismatch, type Expected } from "./expect.js";
import { RESERVED_WORDS } from "../js-names.js";

/** Records each check's outcome while the snippet runs. */
export class Checker {
  readonly failures: string[] = [];
  readonly ran = new Set<number>();
  readonly logs: string[] = [];
  private readonly marks = new Map<number, number>();
  constructor(private readonly checks: Check[], private readonly where: (line: number) => string) {}

  readonly console = Object.fromEntries(
    ["log", "info", "debug", "warn", "error"].map((k) => [k, (...args: unknown[]) => void this.logs.push(format(...args))]),
  );

  value(id: number, actual: unknown): unknown {
    const { expectation } = this.begin(id);
    if (expectation.kind !== "value") return actual;
    if (expectation.items.length !== 1) this.fail(id, `the comment shows ${expectation.items.length} values for one expression`);
    else this.compare(id, actual, expectation.items[0]);
    return actual;
  }

  args(id: number, actual: unknown[]): unknown[] {
    const { expectation } = this.begin(id);
    if (expectation.kind !== "value") return actual;
    if (expectation.items.length !== actual.length) {
      this.fail(id, `console.log has ${actual.length} argument(s) but the comment shows ${expectation.items.length} value(s)`);
    } else actual.forEach((a, i) => this.compare(id, a, expectation.items[i], actual.length > 1 ? `argument ${i + 1}: ` : ""));
    return actual;
  }

  mark(id: number): void {
    this.marks.set(id, this.logs.length);
  }

  printed(id: number): void {
    const { expectation } = this.begin(id);
    const text = this.logs.slice(this.marks.get(id) ?? 0).join("\n");
    if (!matchesText(text, expectation.text)) this.fail(id, `expected it to print\n${expectation.text}\nbut it printed\n${text}`);
  }

  async throws(id: number, fn: () => Promise<void>): Promise<void> {
    const { expectation } = this.begin(id);
    try {
      await fn();
    } catch (e) {
      const err = e as Error;
      const text = `${err?.name}: ${err?.message}`;
      const ok = /^\w+$/.test(expectation.text) ? err?.name === expectation.text : matchesText(text, expectation.text);
      if (!ok) this.fail(id, `expected it to throw ${expectation.text}, but it threw ${text}`);
      return;
    }
    this.fail(id, `expected it to throw ${expectation.text}, but it did not throw`);
  }

  /** Failures, plus the checks the run never reached. */
  finish(): string[] {
    for (const c of this.checks) if (!this.ran.has(c.id)) this.failures.push(`${this.where(c.line)}: this check never ran`);
    return this.failures;
  }

  private begin(id: number): Check {
    this.ran.add(id);
    return this.checks[id];
  }

  private compare(id: number, actual: unknown, expected: Expected, label = ""): void {
    const m = mismatch(actual, expected);
    if (m) this.fail(id, label + m);
  }

  private fail(id: number, message: string): void {
    this.failures.push(`${this.where(this.checks[id].line)}: ${message}`);
  }
}

type Transpile = (source: string) => Promise<string>;
let loading: Promise<Transpile> | null = null;

/**
 * TypeScript → JavaScript with the transform vitest itself applies (vite's oxc, ~0.2 ms a
 * snippet), found through vitest's own dependency on vite; TypeScript's transpileModule (~30 ms a
 * snippet) if that cannot be loaded.
 */
function transpiler(): Promise<Transpile> {
  // A file name inside the repository, so the transform reads the repository's tsconfig.json.
  const filename = join(dirname(fileURLToPath(import.meta.url)), "snippet.ts");
  return (loading ??= (async (): Promise<Transpile> => {
    try {
      const fromVitest = createRequire(createRequire(import.meta.url).resolve("vitest/package.json"));
      const vite = (await import(/* @vite-ignore */ pathToFileURL(fromVitest.resolve("vite")).href)) as {
        transformWithOxc(code: string, filename: string, options?: object): Promise<{ code: string }>;
      };
      return async (source) => (await vite.transformWithOxc(source, filename, { target: "es2022" })).code;
    } catch {
      const compilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, useDefineForClassFields: true };
      return async (source) => ts.transpileModule(source, { compilerOptions }).outputText;
    }
  })());
}

/** What running a snippet found. */
export interface RunResult {
  /** Each failure as "file:line: message"; empty when every check held. */
  failures: string[];
  /** How many expectation comments ran. */
  checked: number;
  /** What the snippet printed. */
  logs: string[];
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

export interface RunOptions {
  /** Names in scope for a snippet without imports (those that cannot be a bare name are left out). */
  scope?: Record<string, unknown>;
  /** Loads what the snippet imports. */
  importer?: (spec: string) => Promise<unknown>;
  /** "file:line" of a 0-based line of the code, for messages. */
  where?: (line: number) => string;
  /** Called right before the snippet runs (to reset global state). */
  before?: () => void;
}

/** Instruments and runs `code`, checking its expectation comments. */
export async function runSnippet(code: string, options: RunOptions = {}): Promise<RunResult> {
  const scope = Object.fromEntries(Object.entries(options.scope ?? {}).filter(([k]) => IDENTIFIER.test(k) && !RESERVED_WORDS.has(k))); // tg.var(x) works, a bare var(x) cannot
  const where = options.where ?? ((line: number) => `line ${line + 1}`);
  const importer = options.importer ?? ((spec: string) => import(/* @vite-ignore */ spec));
  const inst = instrument(code, Object.keys(scope));
  if (inst.errors.length) return { failures: inst.errors.map((e) => `${where(e.line)}: ${e.message}`), checked: 0, logs: [] };

  const js = await (await transpiler())(inst.source);
  const snippetFn = new Function(`${js}\nreturn __snippet;`)() as (
    dt: Checker,
    importer: (spec: string) => Promise<unknown>,
    console: object,
    scope: object,
  ) => Promise<void>;
  const checker = new Checker(inst.checks, where);
  options.before?.();
  let crash: unknown = null;
  try {
    await snippetFn(checker, importer, checker.console, scope);
  } catch (e) {
    crash = e;
  }
  const failures = crash ? checker.failures : checker.finish();
  if (crash) {
    const e = crash as Error;
    failures.push(`${where(0)}: the snippet threw ${e?.name}: ${e?.message}\n${(e?.stack ?? "").split("\n").slice(1, 6).join("\n")}`);
  }
  return { failures, checked: checker.ran.size, logs: checker.logs };
}
