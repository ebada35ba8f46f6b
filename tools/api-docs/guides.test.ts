/**
 * The guides in docs/ are all reachable, in order: docs/README.md's reading-order table links every
 * guide exactly once (a new guide that is not listed fails here), and every guide has the
 * `title` front matter typedoc names its page by (without it the page is called by its file name).
 */
import { readdirSync, readFileSync } from "node:fs";
import { expect, test } from "vitest";

const DOCS = new URL("../../docs/", import.meta.url);
const guides = readdirSync(DOCS).filter((f) => f.endsWith(".md") && f !== "README.md").sort();
const index = readFileSync(new URL("README.md", DOCS), "utf8");
/** The guides the reading-order table links, in its order (rows start with `| [Title](./file.md)`). */
const listed = [...index.matchAll(/^\| \[[^\]]+\]\(\.\/([\w.-]+\.md)\)/gm)].map((m) => m[1]);

test("docs/README.md lists every guide once, in its reading-order table", () => {
  expect(guides.length).toBeGreaterThan(5);
  expect([...listed].sort(), "add a row for each new guide to the table in docs/README.md").toEqual(guides);
});

test("every guide has a title, which names its page in the API docs", () => {
  const untitled = guides.filter((f) => !/^---\ntitle: .+\n---\n/.test(readFileSync(new URL(f, DOCS), "utf8")));
  expect(untitled).toEqual([]);
});
