/**
 * Turns a snippet's TypeScript into a runnable function body: imports become look-ups of already
 * loaded modules, and each statement that carries an expectation comment is wrapped in a call to
 * the doctest's checker. Only statements the snippet runs directly are instrumented (top level and
 * the blocks of if/for/while/try), never function or class bodies.
 */
import ts from "typescript";
import { ExpectationSyntaxError, parseExpectation, type Expectation } from "./expect.js";

/** One check in a snippet: where it is and what it expects. */
export interface Check {
  id: number;
  /** 0-based line of the comment in the snippet's code. */
  line: number;
  expectation: Expectation;
  /** For a value check on `console.log(a, b)`: the comment's values are the arguments. */
  consoleArgs: number | null;
}

/** An import, hoisted: `const { local names } = await __import(spec)`. */
interface ImportBinding {
  spec: string;
  /** local name → exported name ("*" for the namespace, "default" for a default import). */
  names: Map<string, string>;
}

export interface Instrumented {
  /** TypeScript declaring `async function __snippet(__dt, __import, console, __scope)`. */
  source: string;
  checks: Check[];
  /** Whether the snippet imports anything (if not, it runs with the implicit scope). */
  hasImports: boolean;
  /** Problems with the snippet's expectation comments (each names its 0-based line). */
  errors: Array<{ line: number; message: string }>;
}

interface Edit {
  pos: number;
  end: number;
  text: string;
  /** Among insertions at the same position: opening ones outer-first, closing ones inner-first. */
  order: number;
}

/**
 * Instruments `code` (one snippet, or several that share a scope). A snippet without imports gets
 * `scopeNames` (read from the `__scope` argument) in scope.
 */
export function instrument(code: string, scopeNames: readonly string[] = []): Instrumented {
  const sf = ts.createSourceFile("snippet.ts", code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const lines = code.split("\n");
  const lineOf = (pos: number) => sf.getLineAndCharacterOfPosition(pos).line;
  const edits: Edit[] = [];
  const checks: Check[] = [];
  const errors: Array<{ line: number; message: string }> = [];
  const consumedLines = new Set<number>();
  const imports: ImportBinding[] = [];

  const open = (pos: number, text: string, depth: number) => edits.push({ pos, end: pos, text, order: depth });
  const close = (pos: number, text: string, depth: number) => edits.push({ pos, end: pos, text, order: 1000 - depth });

  /** The expectation stated after `stmt`: a trailing comment, or a `// prints` block on the next lines. */
  function expectationOf(stmt: ts.Statement): { expectation: Expectation; line: number } | null {
    const endLine = lineOf(stmt.end);
    const trailing = ts.getTrailingCommentRanges(code, stmt.end)?.find((r) => r.kind === ts.SyntaxKind.SingleLineCommentTrivia);
    let line: number;
    let first: string;
    if (trailing) {
      line = endLine;
      first = code.slice(trailing.pos + 2, trailing.end);
    } else if (/^\s*\/\/\s*prints\b/.test(lines[endLine + 1] ?? "") && code.slice(stmt.end).split("\n")[0].trim() === "") {
      line = endLine + 1;
      first = lines[line].replace(/^\s*\/\//, "");
    } else return null;
    if (consumedLines.has(line)) return null; // a block ending where its statement ends: the comment is taken
    let expectation: Expectation | null;
    try {
      expectation = parseExpectation(first);
    } catch (e) {
      if (!(e instanceof ExpectationSyntaxError)) throw e;
      errors.push({ line, message: e.message });
      consumedLines.add(line);
      return null;
    }
    if (!expectation) return null;
    consumedLines.add(line);
    if (expectation.kind === "prints") {
      // Comment-only lines right below continue the printed text.
      const more: string[] = [];
      for (let l = line + 1; l < lines.length && /^\s*\/\//.test(lines[l]); l++) {
        more.push(lines[l].replace(/^\s*\/\/ ?/, ""));
        consumedLines.add(l);
      }
      expectation = { kind: "prints", text: [expectation.text, ...more].join("\n") };
    }
    return { expectation, line };
  }

  function visitStatement(stmt: ts.Statement, depth: number): void {
    if (ts.isImportDeclaration(stmt)) {
      edits.push({ pos: stmt.getStart(sf), end: stmt.end, text: "", order: 0 });
      const clause = stmt.importClause;
      const spec = (stmt.moduleSpecifier as ts.StringLiteral).text;
      const names = new Map<string, string>();
      if (clause && !clause.isTypeOnly) {
        if (clause.name) names.set(clause.name.text, "default");
        const nb = clause.namedBindings;
        if (nb && ts.isNamespaceImport(nb)) names.set(nb.name.text, "*");
        if (nb && ts.isNamedImports(nb)) {
          for (const el of nb.elements) if (!el.isTypeOnly) names.set(el.name.text, (el.propertyName ?? el.name).text);
        }
      }
      if (clause?.isTypeOnly) return;
      imports.push({ spec, names });
      return;
    }
    if (ts.isExportDeclaration(stmt) || ts.isExportAssignment(stmt)) {
      edits.push({ pos: stmt.getStart(sf), end: stmt.end, text: "", order: 0 });
      return;
    }
    const exportKeyword = ts.canHaveModifiers(stmt) ? ts.getModifiers(stmt)?.find((m) => m.kind === ts.SyntaxKind.ExportKeyword) : undefined;
    if (exportKeyword) edits.push({ pos: exportKeyword.getStart(sf), end: exportKeyword.end, text: "", order: 0 });

    const found = expectationOf(stmt);
    const children = childStatements(stmt);
    if (found && found.expectation.kind === "value" && children.length && !ts.isExpressionStatement(stmt) && !ts.isVariableStatement(stmt)) {
      consumedLines.delete(found.line); // `for (...) x; // 3`: the value is the inner statement's
    } else if (found) addCheck(stmt, found.expectation, found.line, depth);
    for (const child of children) visitStatement(child, depth + 1);
  }

  function addCheck(stmt: ts.Statement, expectation: Expectation, line: number, depth: number): void {
    const id = checks.length;
    const start = stmt.getStart(sf);
    if (expectation.kind === "prints") {
      open(start, `__dt.mark(${id}); `, depth);
      close(stmt.end, ` __dt.printed(${id});`, depth);
    } else if (expectation.kind === "throws") {
      open(start, `await __dt.throws(${id}, async () => { `, depth);
      close(stmt.end, ` });`, depth);
    } else if (ts.isExpressionStatement(stmt)) {
      const e = stmt.expression;
      if (ts.isCallExpression(e) && e.expression.getText(sf) === "console.log") {
        if (e.arguments.length === 0) return void errors.push({ line, message: "console.log() without arguments has no value to check" });
        open(e.arguments[0].getStart(sf), `...__dt.args(${id}, [`, depth + 1);
        close(e.arguments[e.arguments.length - 1].end, `])`, depth + 1);
        checks.push({ id, line, expectation, consoleArgs: e.arguments.length });
        return;
      }
      open(e.getStart(sf), `__dt.value(${id}, (`, depth + 1);
      close(e.end, `))`, depth + 1);
    } else if (ts.isVariableStatement(stmt) && stmt.declarationList.declarations.length === 1 && ts.isIdentifier(stmt.declarationList.declarations[0].name)) {
      close(stmt.end, ` __dt.value(${id}, ${stmt.declarationList.declarations[0].name.text});`, depth);
    } else {
      errors.push({ line: line, message: `a value comment belongs after an expression or a "const name = …" declaration` });
      return;
    }
    checks.push({ id, line, expectation, consoleArgs: null });
  }

  for (const stmt of sf.statements) visitStatement(stmt, 0);

  lines.forEach((text, l) => {
    if (!consumedLines.has(l) && /\/\/\s*(?:→|prints\b|throws\b)/.test(text) && !/^\s*\/\/\s*doctest:/.test(text)) {
      errors.push({ line: l, message: `this expectation comment is not attached to a statement the doctest runs` });
    }
  });

  const hoisted = new Map<string, string>();
  const header: string[] = [];
  imports.forEach((imp, i) => {
    const parts: string[] = [];
    let namespace: string | null = null;
    for (const [local, exported] of imp.names) {
      if (hoisted.has(local)) {
        if (hoisted.get(local) !== `${imp.spec}#${exported}`) errors.push({ line: 0, message: `"${local}" is imported twice, from different places` });
        continue;
      }
      hoisted.set(local, `${imp.spec}#${exported}`);
      if (exported === "*") namespace = local;
      else parts.push(exported === local ? local : `${JSON.stringify(exported)}: ${local}`);
    }
    const mod = `__m${i}`;
    header.push(`const ${mod} = await __import(${JSON.stringify(imp.spec)});`);
    if (namespace) header.push(`const ${namespace} = ${mod};`);
    if (parts.length) header.push(`const { ${parts.join(", ")} } = ${mod};`);
  });

  if (imports.length === 0 && scopeNames.length) header.push(`const { ${scopeNames.join(", ")} } = __scope;`);
  const body = applyEdits(code, edits);
  const inner = `${header.join("\n")}\nreturn await (async () => {\n${body}\n})();`;
  const source = `async function __snippet(__dt, __import, console, __scope) {\n${inner}\n}`;
  return { source, checks, hasImports: imports.length > 0, errors };
}

/** The statements a statement runs directly: blocks of if/for/while/do/try/labels, not functions. */
function childStatements(stmt: ts.Statement): ts.Statement[] {
  if (ts.isBlock(stmt)) return [...stmt.statements];
  if (ts.isIfStatement(stmt)) return [stmt.thenStatement, ...(stmt.elseStatement ? [stmt.elseStatement] : [])];
  if (ts.isForStatement(stmt) || ts.isForOfStatement(stmt) || ts.isForInStatement(stmt) || ts.isWhileStatement(stmt) || ts.isDoStatement(stmt)) return [stmt.statement];
  if (ts.isLabeledStatement(stmt)) return [stmt.statement];
  if (ts.isTryStatement(stmt)) {
    return [stmt.tryBlock, ...(stmt.catchClause ? [stmt.catchClause.block] : []), ...(stmt.finallyBlock ? [stmt.finallyBlock] : [])];
  }
  return [];
}

function applyEdits(code: string, edits: Edit[]): string {
  const sorted = [...edits].sort((a, b) => b.pos - a.pos || b.order - a.order);
  let out = code;
  for (const e of sorted) out = out.slice(0, e.pos) + e.text + out.slice(e.end);
  return out;
}
