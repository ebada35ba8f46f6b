/**
 * Finds the snippets the doctest runs: every ```ts fence inside a TSDoc `@example` (and every
 * inline "@example `code`") in packages/ * /src, and every ```ts fence in README.md, docs/*.md and
 * examples/README.md.
 *
 * Markers, either as a line inside the snippet (`// doctest: skip (needs a browser)`) or, in
 * markdown, as an HTML comment on the line before the fence (`<!-- doctest: continue -->`):
 * - `skip (reason)`: not run; the reason is shown with the skipped test;
 * - `continue`: runs together with the file's previous snippet, sharing its variables.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

export interface Snippet {
  /** Path relative to the repository root, with forward slashes. */
  file: string;
  /** 1-based line of the snippet's first code line in `file`. */
  line: number;
  code: string;
  /** For a TSDoc example: the package whose exports are in scope (`@tsgrad/nn`). */
  pkg: string | null;
  skip: string | null;
  continues: boolean;
}

const RUNNABLE_FENCE = /^```(?:ts|typescript)\s*$/;
const MARKER = /^\s*\/\/\s*doctest:\s*(.*?)\s*$/;
const HTML_MARKER = /^\s*<!--\s*doctest:\s*(.*?)\s*-->\s*$/;

/** Every snippet in the repository at `root`, in file order. */
export function findSnippets(root: string): Snippet[] {
  const out: Snippet[] = [];
  for (const dir of readdirSync(join(root, "packages")).sort()) {
    const pkgDir = join(root, "packages", dir);
    const src = join(pkgDir, "src");
    if (!isDir(src)) continue;
    const pkg = (JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")) as { name: string }).name;
    for (const file of walk(src).filter((f) => f.endsWith(".ts"))) {
      out.push(...tsdocSnippets(rel(root, file), readFileSync(file, "utf8"), pkg));
    }
  }
  const docs = join(root, "docs");
  const markdown = [
    join(root, "README.md"),
    ...readdirSync(docs).filter((f) => f.endsWith(".md")).sort().map((f) => join(docs, f)),
    join(root, "examples", "README.md"),
  ];
  for (const file of markdown) out.push(...markdownSnippets(rel(root, file), readFileSync(file, "utf8")));
  return out;
}

/** The ```ts fences of every `@example` in a TypeScript file's doc comments. */
export function tsdocSnippets(file: string, text: string, pkg: string | null): Snippet[] {
  const out: Snippet[] = [];
  for (const m of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const firstLine = text.slice(0, m.index).split("\n").length; // 1-based line of "/**"
    const lines = m[0].split("\n").map((l) => l.replace(/^\s*\/\*\*\s?/, "").replace(/\s*\*\/\s*$/, "").replace(/^\s*\* ?/, ""));
    let inExample = false;
    for (let i = 0; i < lines.length; i++) {
      // An inline example: "@example `new ReLU()`".
      for (const inline of lines[i].matchAll(/@example\s+`([^`]+)`/g)) out.push(snippet(file, firstLine + i, [inline[1]], pkg, null));
      if (/^@example\b/.test(lines[i])) inExample = true;
      else if (/^@\w+/.test(lines[i])) inExample = false;
      else if (/^```/.test(lines[i])) {
        const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
        const stop = end < 0 ? lines.length : end;
        if (inExample && RUNNABLE_FENCE.test(lines[i])) out.push(snippet(file, firstLine + i + 1, lines.slice(i + 1, stop), pkg, null));
        i = stop;
      }
    }
  }
  return out;
}

/** The ```ts fences of a markdown file. */
export function markdownSnippets(file: string, text: string): Snippet[] {
  const out: Snippet[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const fence = /^(\s*)(```.*)$/.exec(lines[i]);
    if (!fence) continue;
    const indent = fence[1].length;
    const end = lines.findIndex((l, j) => j > i && /^\s*```\s*$/.test(l));
    const stop = end < 0 ? lines.length : end;
    if (RUNNABLE_FENCE.test(fence[2])) {
      let before = i - 1;
      while (before >= 0 && lines[before].trim() === "") before--;
      const marker = before >= 0 ? HTML_MARKER.exec(lines[before])?.[1] ?? null : null;
      out.push(snippet(file, i + 2, lines.slice(i + 1, stop).map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length))), null, marker));
    }
    i = stop;
  }
  return out;
}

function snippet(file: string, line: number, lines: string[], pkg: string | null, htmlMarker: string | null): Snippet {
  const markers = [htmlMarker, ...lines.map((l) => MARKER.exec(l)?.[1] ?? null)].filter((m): m is string => m !== null);
  let skip: string | null = null;
  let continues = false;
  for (const m of markers) {
    const s = /^skip\b\s*[:(]?\s*(.*?)\)?$/.exec(m);
    if (s) skip = s[1] || "no reason given";
    else if (m === "continue") continues = true;
    else throw new Error(`${file}:${line}: unknown doctest marker "${m}" (use "skip (reason)" or "continue")`);
  }
  return { file, line, code: lines.join("\n"), pkg, skip, continues };
}

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      return isDir(p) ? walk(p) : [p];
    });
}

const isDir = (p: string) => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

const rel = (root: string, file: string) => relative(root, file).split("\\").join("/");
