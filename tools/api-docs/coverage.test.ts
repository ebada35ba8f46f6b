/**
 * Every public declaration has a summary, every function, class, method and interface an
 * `@example`, every Tensor member and every top-level export of tg a `@group` (the sections of
 * their API pages) and every class of tg.nn a `@group` naming its layer family (the sections of
 * the nn page).
 */
import { beforeAll, expect, test } from "vitest";
import { auditProject, convertProject, type Gap } from "./coverage.js";

let gaps: Gap[] = [];

beforeAll(async () => {
  gaps = auditProject(await convertProject());
}, 400_000);

const gapKeys = (): string[] => gaps.flatMap((g) => g.missing.map((m) => `${g.name}: ${m}`));
const isNnClass = (g: Gap): boolean => g.name.startsWith("tg.nn.") && g.kind === "Class";

test("typedoc sees the whole API", () => {
  expect(gaps.length).toBeGreaterThan(800);
  expect(gaps.some((g) => g.name === "tg.Tensor.matmul")).toBe(true);
  expect(gaps.find((g) => g.name === "tg.nn.Linear")?.group).toBe("Linear");
});

test("no public declaration lacks a summary, an example or (on Tensor and tg) a group", () => {
  // An nn class without its family is reported by the next test, with the tag to add.
  const missing = gapKeys().filter((k) => !gaps.some((g) => isNnClass(g) && k === `${g.name}: group`));
  expect(missing, "document these (docs/adding-an-op.md §4–5; groups: typedoc.json groupOrder), or they fail CI").toEqual([]);
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
