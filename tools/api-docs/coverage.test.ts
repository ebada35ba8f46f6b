/**
 * Every public declaration has a summary, every function, class, method and interface an
 * `@example`, and every Tensor member a `@group` (the sections of its API page). The gaps that
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

test("typedoc sees the whole API", () => {
  expect(gaps.length).toBeGreaterThan(800);
  expect(gaps.some((g) => g.name === "tg.Tensor.matmul")).toBe(true);
  expect(gaps.some((g) => g.name === "tg.nn.Linear")).toBe(true);
});

test("no public declaration lacks a summary, an example or (on Tensor) a group, beyond the known gaps", () => {
  const known = new Set(KNOWN);
  const fresh = gapKeys().filter((k) => !known.has(k));
  expect(fresh, "document these (docs/adding-an-op.md §4–5), or they fail CI").toEqual([]);
});

test("the known gaps are still gaps (delete the lines of those now documented)", () => {
  const now = new Set(gapKeys());
  expect(KNOWN.filter((k) => !now.has(k))).toEqual([]);
});
