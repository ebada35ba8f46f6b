/**
 * The doctest: runs every TSDoc `@example` and every ```ts snippet of the guides against the
 * sources, and checks each `// → value`, `// prints …` and `// throws …` comment against what the
 * code really produces. One test per snippet, named file:line. The conventions are in
 * docs/adding-an-op.md ("Examples are tested").
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, expect, test } from "vitest";
import * as tsgrad from "tsgrad";
import * as core from "@tsgrad/core";
import * as coreNode from "@tsgrad/core/node";
import * as tsgradNode from "tsgrad/node";
import * as nn from "@tsgrad/nn";
import * as losses from "@tsgrad/losses";
import * as optim from "@tsgrad/optim";
import * as data from "@tsgrad/data";
import { findSnippets, type Snippet } from "./extract.js";
import { runSnippet } from "./run.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const MODULES: Record<string, object> = {
  tsgrad,
  "tsgrad/node": tsgradNode,
  "@tsgrad/core": core,
  "@tsgrad/core/node": coreNode,
  "@tsgrad/nn": nn,
  "@tsgrad/losses": losses,
  "@tsgrad/optim": optim,
  "@tsgrad/data": data,
};

/** A snippet and the ones that continue it: run as one program. */
interface Group {
  parts: Snippet[];
  name: string;
}

function groupSnippets(snippets: Snippet[]): Group[] {
  const groups: Group[] = [];
  for (const s of snippets) {
    const last = groups[groups.length - 1];
    if (s.continues && last && last.parts[0].file === s.file) {
      last.parts.push(s);
      last.name += `,${s.line}`;
    } else groups.push({ parts: [s], name: `${s.file}:${s.line}` });
  }
  return groups;
}

/**
 * The names a snippet without imports sees: `tg`, everything "tsgrad" exports and, for a TSDoc
 * example, its package's exports and its own file's (so an internal helper's example runs too).
 */
async function implicitScope(snippet: Snippet): Promise<Record<string, unknown>> {
  if (!snippet.pkg) return { ...tsgrad, tg: tsgrad };
  const own = (await import(/* @vite-ignore */ pathToFileURL(join(ROOT, snippet.file)).href)) as object;
  return { ...tsgrad, ...MODULES[snippet.pkg], ...own, tg: tsgrad };
}

const stats = { snippets: 0, tsdoc: 0, markdown: 0, run: 0, skipped: 0, checks: 0 };

async function runGroup(group: Group): Promise<void> {
  const origins: string[] = [];
  for (const p of group.parts) p.code.split("\n").forEach((_, i) => origins.push(`${p.file}:${p.line + i}`));
  const dir = dirname(join(ROOT, group.parts[0].file));
  const result = await runSnippet(group.parts.map((p) => p.code).join("\n"), {
    scope: await implicitScope(group.parts[0]),
    where: (line) => origins[line] ?? group.name,
    importer: async (spec) => MODULES[spec] ?? (await import(/* @vite-ignore */ spec.startsWith(".") ? pathToFileURL(resolve(dir, spec)).href : spec)),
    before: () => core.manualSeed(0), // every snippet starts like a fresh process
  });
  stats.run += group.parts.length;
  stats.checks += result.checked;
  const failures = [...result.failures];
  if (!core.isGradEnabled()) failures.push(`${group.name}: the snippet left grad mode disabled`);
  if (failures.length) {
    const printed = result.logs.length ? `\n--- it printed:\n${result.logs.join("\n")}` : "";
    throw new Error(failures.join("\n") + printed);
  }
}

const snippets = findSnippets(ROOT);
const groups = groupSnippets(snippets);
stats.snippets = snippets.length;
stats.tsdoc = snippets.filter((s) => s.pkg !== null).length;
stats.markdown = stats.snippets - stats.tsdoc;

let cwd = "";
let tmp = "";
beforeAll(() => {
  // Snippets that save files write them to a scratch directory, not into the repository.
  cwd = process.cwd();
  tmp = mkdtempSync(join(tmpdir(), "tsgrad-doctest-"));
  process.chdir(tmp);
});
afterAll(() => {
  process.chdir(cwd);
  rmSync(tmp, { recursive: true, force: true });
  console.log(
    `doctest: ${stats.snippets} snippets (${stats.tsdoc} TSDoc @example blocks, ${stats.markdown} in markdown): ` +
      `${stats.run} run, ${stats.checks} expectation comments checked, ${stats.skipped} skipped`,
  );
});

test("the doctest finds the examples", () => {
  expect(stats.tsdoc).toBeGreaterThan(100);
  expect(stats.markdown).toBeGreaterThan(10);
});

for (const group of groups) {
  const skip = group.parts.find((p) => p.skip)?.skip;
  if (skip) {
    stats.skipped += group.parts.length;
    test.skip(`${group.name} (skipped: ${skip})`, () => {});
  } else test(group.name, () => runGroup(group));
}

