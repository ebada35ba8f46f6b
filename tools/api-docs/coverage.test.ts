/**
 * Every public declaration has a summary, every function, class, method and interface an
 * `@example`, every Tensor member a `@group` (the sections of its API page) and every class of
 * tg.nn a `@group` naming its layer family (the sections of the nn page). The gaps that
 * predate this check are listed in known-gaps.json; that list may only shrink: a new gap fails,
 * and so does a listed gap that has been filled (delete its line).
 */
import { readFileSync } from "node:fs";
import { beforeAll, expect, test } from "vitest";
import { auditProject, convertProject, type Gap } from "./coverage.js";

const KNOWN: string[] = JSON.parse(readFileSync(new URL("./known-gaps.json", import.meta.url), "utf8"));
let gaps: Gap[] = [];

beforeAll(async () => {
  gaps = auditProject(await convertProject());
}, 120_000);

const gapKeys = (): string[] => gaps.flatMap((g) => g.missing.map((m) => `${g.name}: ${m}`));
const isNnClass = (g: Gap): boolean => g.name.startsWith("tg.nn.") && g.kind === "Class";

test("typedoc sees the whole API", () => {
  expect(gaps.length).toBeGreaterThan(800);
  expect(gaps.some((g) => g.name === "tg.Tensor.matmul")).toBe(true);
  expect(gaps.find((g) => g.name === "tg.nn.Linear")?.group).toBe("Linear");
});

test("no public declaration lacks a summary, an example or (on Tensor) a group, beyond the known gaps", () => {
  const known = new Set(KNOWN);
  // An nn class without its family is reported by the next test, with the tag to add.
  const fresh = gapKeys().filter((k) => !known.has(k) && !gaps.some((g) => isNnClass(g) && k === `${g.name}: group`));
  expect(fresh, "document these (docs/adding-an-op.md §4–5), or they fail CI").toEqual([]);
});

test("every class of tg.nn is listed under its layer family (@group)", () => {
  const classes = gaps.filter(isNnClass);
  const families = [...new Set(classes.flatMap((g) => (g.group ? [g.group] : [])))].sort();
  const untagged = classes.filter((g) => g.missing.includes("group")).map((g) => g.name);
  expect(
    untagged,
    `add a \`@group <family>\` tag to the TSDoc of each of these classes, e.g. \`@group Convolution\` ` +
      `(the families so far: ${families.join(", ")}; a new family also goes into groupOrder in typedoc.json)`,
  ).toEqual([]);
});

test("the known gaps are still gaps (delete the lines of those now documented)", () => {
  const now = new Set(gapKeys());
  expect(KNOWN.filter((k) => !now.has(k))).toEqual([]);
});
