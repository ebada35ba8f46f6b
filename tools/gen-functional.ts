/**
 * Writes packages/core/src/functional.generated.ts: for each row of the dual-method table
 * (packages/core/src/functional-table.ts) a top-level function `X(input, ...args)` with the
 * method's own parameter list (read from tensor.ts), its doc summary and an example, whose body is
 * `input.X(...args)`. Run after adding a row or changing a dual method's signature:
 *
 *   npx tsx tools/gen-functional.ts
 *
 * packages/core/test/functional.test.ts fails while the file is out of date.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { DUAL_METHODS, SAMPLES, type DualRow, type SampleName } from "../packages/core/src/functional-table.js";
import { RESERVED_WORDS } from "./js-names.js";

const SRC = new URL("../packages/core/src/", import.meta.url);
/** Where the generated file lives. */
export const GENERATED_PATH = fileURLToPath(new URL("functional.generated.ts", SRC));

interface Param {
  name: string;
  type: string;
  optional: boolean;
  rest: boolean;
}

interface Signature {
  params: Param[];
  returns: string;
  doc: string;
  group: string | undefined;
}

/** The lines of a declaration's `/** ... *\/` comment (empty without one). */
function docLines(node: ts.Node, text: string): string[] {
  const ranges = ts.getLeadingCommentRanges(text, node.getFullStart()) ?? [];
  const jsdoc = ranges.filter((r) => text.startsWith("/**", r.pos)).at(-1);
  if (!jsdoc) return [];
  return text
    .slice(jsdoc.pos + 3, jsdoc.end - 2)
    .split("\n")
    .map((l, i) => (i === 0 ? l.trim() : l.replace(/^\s*\* ?/, "").trimEnd()));
}

/** A block tag: at the start of a line, or after a space in a one-line comment (not `{@link}`). */
const BLOCK_TAG = /(?:^|\s)@[a-z]+\b/;

/** A declaration's comment, read once: its text before the first block tag (one string per line) and its `@group`. */
function readDoc(node: ts.Node, text: string): { summary: string[]; group?: string } {
  const lines = docLines(node, text);
  const tag = lines.findIndex((l) => BLOCK_TAG.test(l));
  const summary = tag >= 0 ? [...lines.slice(0, tag), lines[tag].slice(0, lines[tag].search(BLOCK_TAG)).trimEnd()] : [...lines];
  while (summary.length && summary[0].trim() === "") summary.shift();
  while (summary.length && summary.at(-1)!.trim() === "") summary.pop();
  const group = /@group ([^@]+?)\s*$/m.exec(lines.join("\n"))?.[1];
  return group ? { summary, group } : { summary };
}

function inferType(init: ts.Expression | undefined, where: string): string {
  if (init && (init.kind === ts.SyntaxKind.TrueKeyword || init.kind === ts.SyntaxKind.FalseKeyword)) return "boolean";
  if (init && (ts.isNumericLiteral(init) || ts.isPrefixUnaryExpression(init))) return "number";
  if (init && ts.isStringLiteral(init)) return "string";
  throw new Error(`gen-functional: cannot tell the type of ${where}; annotate it in tensor.ts`);
}

function signatureOf(decl: ts.MethodDeclaration, text: string, docFallback: string[], groupFallback?: string): Signature {
  const name = decl.name.getText();
  const params = decl.parameters.map((p): Param => ({
    name: p.name.getText(),
    type: p.type ? p.type.getText() : inferType(p.initializer, `parameter ${p.name.getText()} of Tensor.${name}`),
    optional: p.questionToken !== undefined || p.initializer !== undefined,
    rest: p.dotDotDotToken !== undefined,
  }));
  if (!decl.type) throw new Error(`gen-functional: Tensor.${name} needs a declared return type`);
  const returns = decl.type.getText() === "this" ? "Tensor" : decl.type.getText();
  const own = readDoc(decl, text);
  // The summary speaks of the method's receiver; the function's is its `input`, and it mirrors
  // torch.X (a dual row exists only where torch.X does), not torch.Tensor.X.
  const doc = (own.summary.length ? own.summary : docFallback)
    .join("\n")
    .replace(/\bthis\b/g, "input")
    .replace(/PyTorch: `torch\.Tensor\./g, "PyTorch: `torch.");
  return { params, returns, doc, group: own.group ?? groupFallback };
}

interface Method {
  overloads: Signature[];
  implementation: Signature;
}

/** Tensor's methods by name, read from tensor.ts (syntax only: fast and independent of the build). */
function readTensorMethods(): { methods: Map<string, Method>; typeSources: Map<string, string> } {
  const path = fileURLToPath(new URL("tensor.ts", SRC));
  const text = readFileSync(path, "utf8");
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.ES2022, true);
  const typeSources = new Map<string, string>();
  const decls = new Map<string, ts.MethodDeclaration[]>();
  for (const st of file.statements) {
    if (ts.isImportDeclaration(st) && st.importClause) {
      const from = (st.moduleSpecifier as ts.StringLiteral).text;
      const named = st.importClause.namedBindings;
      if (named && ts.isNamedImports(named)) for (const el of named.elements) typeSources.set(el.name.text, from);
    }
    if ((ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st) || ts.isClassDeclaration(st)) && st.name) {
      typeSources.set(st.name.text, "./tensor.js");
    }
    if (ts.isClassDeclaration(st) && st.name?.text === "Tensor") {
      for (const m of st.members) {
        if (!ts.isMethodDeclaration(m)) continue;
        const name = m.name.getText();
        decls.set(name, [...(decls.get(name) ?? []), m]);
      }
    }
  }
  const methods = new Map<string, Method>();
  for (const [name, list] of decls) {
    const { summary: first, group } = readDoc(list[0], text);
    const impl = list.find((d) => d.body !== undefined)!;
    const overloads = list.filter((d) => d.body === undefined).map((d) => signatureOf(d, text, first, group));
    methods.set(name, { overloads, implementation: signatureOf(impl, text, first, group) });
  }
  return { methods, typeSources };
}

/** A table argument as TypeScript source: sample names stay names, the rest is written out. */
function literal(value: unknown): string {
  if (typeof value === "string") return Object.hasOwn(SAMPLES, value) ? value : JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(literal).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    return `{ ${Object.entries(value).map(([k, v]) => `${k}: ${literal(v)}`).join(", ")} }`;
  }
  return String(value);
}

function sampleNames(row: DualRow): SampleName[] {
  const names = new Set<SampleName>([row.input ?? "x"]);
  const visit = (v: unknown): void => {
    if (typeof v === "string" && Object.hasOwn(SAMPLES, v)) names.add(v as SampleName);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v !== null && typeof v === "object") Object.values(v).forEach(visit);
  };
  row.args.forEach(visit);
  return [...names].sort((a, b) => Object.keys(SAMPLES).indexOf(a) - Object.keys(SAMPLES).indexOf(b));
}

function exampleLines(name: string, row: DualRow): string[] {
  const input = row.input ?? "x";
  const defs = sampleNames(row).map((s) => {
    const [values, dtype] = SAMPLES[s];
    const opts = dtype === "float32" || dtype === "bool" ? "" : `, { dtype: "${dtype}" }`;
    return `const ${s} = tg.tensor(${literal(values)}${opts});`;
  });
  const args = row.args.map(literal).join(", ");
  return [
    "```ts",
    'import * as tg from "tsgrad";',
    ...defs,
    `tg.${name}(${[input, ...row.args.map(literal)].join(", ")}); // same as ${input}.${name}(${args})`,
    "```",
  ];
}

function paramList(params: Param[]): string {
  return ["input: Tensor", ...params.map((p) => (p.rest ? `...${p.name}: ${p.type}` : `${p.name}${p.optional ? "?" : ""}: ${p.type}`))].join(", ");
}

function comment(sig: Signature, name: string, row: DualRow): string {
  const lines = [
    ...sig.doc.split("\n"),
    "",
    `Functional form of {@link Tensor.${name}}: \`${name}(input, ...args)\` is \`input.${name}(...args)\`.`,
    "",
    "@example",
    ...exampleLines(name, row),
    ...(sig.group ? [`@group ${sig.group}`] : []),
  ];
  return ["/**", ...lines.map((l) => (l ? ` * ${l}` : " *")), " */"].join("\n");
}

/** Collects the type names a signature mentions, to import them. */
function typeNames(sig: Signature, out: Set<string>): void {
  const texts = [...sig.params.map((p) => p.type), sig.returns];
  for (const t of texts) for (const m of t.matchAll(/\b[A-Z][A-Za-z0-9]*\b/g)) out.add(m[0]);
}

/** The whole generated file as a string. */
export function generateFunctional(): string {
  const { methods, typeSources } = readTensorMethods();
  const used = new Set<string>(["Tensor"]);
  const blocks: string[] = [];
  const renamed: string[] = [];
  for (const [name, row] of Object.entries(DUAL_METHODS) as Array<[string, DualRow]>) {
    if (row.standalone) continue;
    const m = methods.get(name);
    if (!m) throw new Error(`gen-functional: the table lists ${name}, but Tensor has no method ${name}`);
    // A reserved name (var) is declared as `name_` and exported as `name`.
    const fn = RESERVED_WORDS.has(name) ? `${name}_` : name;
    if (fn !== name) renamed.push(`${fn} as ${name}`);
    const decl = fn === name ? "export function" : "function";
    const impl = m.implementation;
    typeNames(impl, used);
    if (m.overloads.length === 0) {
      const call = impl.params.map((p) => (p.rest ? `...${p.name}` : p.name)).join(", ");
      blocks.push(`${comment(impl, name, row)}\n${decl} ${fn}(${paramList(impl.params)}): ${impl.returns} {\n  return input.${name}(${call});\n}`);
    } else {
      // Overloads are kept as overloads; the implementation forwards the arguments as given so
      // the method picks the same overload.
      const sigs = m.overloads.map((s) => {
        typeNames(s, used);
        return `${comment(s, name, row)}\n${decl} ${fn}(${paramList(s.params)}): ${s.returns};`;
      });
      blocks.push(
        `${sigs.join("\n")}\n${decl} ${fn}(input: Tensor, ...args: unknown[]): ${impl.returns} {\n` +
          `  return Reflect.apply(input.${name}, input, args) as ${impl.returns};\n}`,
      );
    }
  }
  const bySource = new Map<string, string[]>();
  for (const t of [...used].sort()) {
    const from = typeSources.get(t);
    if (from) bySource.set(from, [...(bySource.get(from) ?? []), t]);
  }
  const imports = [...bySource].sort(([a], [b]) => a.localeCompare(b)).map(([from, names]) => `import type { ${names.join(", ")} } from "${from}";`);
  return [
    "/**",
    " * Top-level functional forms of the dual Tensor methods (`exp(x)` for `x.exp()`), like PyTorch's",
    " * `torch.exp(x)`. GENERATED by tools/gen-functional.ts from src/functional-table.ts and the",
    " * method signatures in src/tensor.ts: do not edit; add a table row and rerun the generator.",
    " * @module",
    " */",
    ...imports,
    "",
    blocks.join("\n\n"),
    ...(renamed.length ? ["", `export { ${renamed.join(", ")} };`] : []),
    "",
  ].join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(GENERATED_PATH, generateFunctional());
  console.log(`wrote ${GENERATED_PATH}`);
}
