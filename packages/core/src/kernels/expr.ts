/**
 * The CSP-safe path of the elementwise kernels: a parser for the JavaScript expressions the
 * kernels are written in, and a compiler of their syntax trees to closures, so a page whose
 * Content-Security-Policy forbids `eval` / `new Function` still computes the same results.
 *
 * The subset is what kernel expressions use, with JavaScript's own semantics (each operator is
 * applied by the same JavaScript operator, so NaN, -0, ±Infinity and booleans behave as in the
 * compiled loop): number literals, `true`/`false`/`NaN`/`Infinity`; the variables of the kernel
 * (the inputs such as `x`, `y`, `g`, `c`, the parameters `p`, `q`, the scratch variables `t`,
 * `u`); `Math.*` and `Number.*` members and the helpers passed in (`erf`, `roundHalfEven`); calls;
 * unary `- + ! ~`; binary `** * / % + - << >> >>> < <= > >= == != === !== & ^ |`; `&& || ??`;
 * `a ? b : c`; assignment to `t`/`u` (`=` and the arithmetic compound forms); the comma operator;
 * parentheses. Anything else is a SyntaxError naming the position.
 */

/** Reads the current value of a compiled expression. */
export type Evaluator = () => unknown;

type Node =
  | { k: "num"; v: unknown }
  | { k: "var"; slot: number; name: string }
  | { k: "const"; v: unknown }
  | { k: "un"; op: string; a: Node }
  | { k: "bin"; op: string; a: Node; b: Node }
  | { k: "logic"; op: string; a: Node; b: Node }
  | { k: "cond"; c: Node; a: Node; b: Node }
  | { k: "assign"; op: string; slot: number; b: Node }
  | { k: "seq"; a: Node; b: Node }
  | { k: "call"; f: Node; args: Node[] };

const PUNCT = [">>>=", "===", "!==", ">>>", "**=", "<<=", ">>=", "**", "==", "!=", "<=", ">=", "&&", "||", "??", "<<", ">>", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=",
  "+", "-", "*", "/", "%", "<", ">", "!", "~", "&", "|", "^", "?", ":", "(", ")", ",", ".", "="];
const NUMBER = /^(?:0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/;
const IDENT = /^[A-Za-z_$][\w$]*/;

interface Token {
  t: "num" | "id" | "p" | "end";
  v: string;
  at: number;
}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const rest = src.slice(i);
    const ws = /^\s+/.exec(rest);
    if (ws) {
      i += ws[0].length;
      continue;
    }
    const num = NUMBER.exec(rest);
    if (num) {
      out.push({ t: "num", v: num[0], at: i });
      i += num[0].length;
      continue;
    }
    const id = IDENT.exec(rest);
    if (id) {
      out.push({ t: "id", v: id[0], at: i });
      i += id[0].length;
      continue;
    }
    const p = PUNCT.find((s) => rest.startsWith(s));
    if (!p) throw new SyntaxError(`unexpected character ${JSON.stringify(src[i])} at ${i}`);
    out.push({ t: "p", v: p, at: i });
    i += p.length;
  }
  out.push({ t: "end", v: "", at: src.length });
  return out;
}

const BINARY_LEVELS: readonly (readonly string[])[] = [
  ["??"], ["||"], ["&&"], ["|"], ["^"], ["&"], ["==", "!=", "===", "!=="], ["<", "<=", ">", ">="], ["<<", ">>", ">>>"], ["+", "-"], ["*", "/", "%"],
];
const ASSIGN_OPS = new Set(["=", "+=", "-=", "*=", "/=", "%=", "**=", "<<=", ">>=", ">>>=", "&=", "|=", "^="]);
const CONSTANTS: Readonly<Record<string, unknown>> = { true: true, false: false, NaN: NaN, Infinity: Infinity, undefined: undefined };
const NAMESPACES: Readonly<Record<string, object>> = { Math, Number };

/**
 * Parses `src` over the variables `slots` (name → index into the evaluation's variable array)
 * and the helper functions `helpers`. Throws a SyntaxError for anything outside the subset, and a
 * ReferenceError for an unknown name (the compiled path would throw it when first run).
 */
function parse(src: string, slots: ReadonlyMap<string, number>, helpers: Readonly<Record<string, unknown>>): Node {
  const toks = tokenize(src);
  let pos = 0;
  const peek = (): Token => toks[pos];
  const isP = (v: string): boolean => toks[pos].t === "p" && toks[pos].v === v;
  const fail = (what: string): never => {
    const tok = toks[pos];
    throw new SyntaxError(`${what} at ${tok.at}${tok.t === "end" ? " (end of input)" : `, found ${JSON.stringify(tok.v)}`}`);
  };
  const expect = (v: string): void => {
    if (!isP(v)) fail(`expected ${JSON.stringify(v)}`);
    pos++;
  };

  const sequence = (): Node => {
    let a = assignment();
    while (isP(",")) {
      pos++;
      a = { k: "seq", a, b: assignment() };
    }
    return a;
  };
  const assignment = (): Node => {
    const tok = peek();
    const next = toks[pos + 1];
    if (tok.t === "id" && next.t === "p" && ASSIGN_OPS.has(next.v)) {
      const slot = slots.get(tok.v);
      if (slot === undefined || !(tok.v === "t" || tok.v === "u")) fail(`cannot assign to ${JSON.stringify(tok.v)} (only the scratch variables t and u)`);
      pos += 2;
      return { k: "assign", op: next.v, slot: slot!, b: assignment() };
    }
    return conditional();
  };
  const conditional = (): Node => {
    const c = binary(0);
    if (!isP("?")) return c;
    pos++;
    const a = assignment();
    expect(":");
    return { k: "cond", c, a, b: assignment() };
  };
  const binary = (level: number): Node => {
    if (level === BINARY_LEVELS.length) return exponent();
    let a = binary(level + 1);
    while (peek().t === "p" && BINARY_LEVELS[level].includes(peek().v)) {
      const op = toks[pos++].v;
      const b = binary(level + 1);
      a = op === "&&" || op === "||" || op === "??" ? { k: "logic", op, a, b } : { k: "bin", op, a, b };
    }
    return a;
  };
  const exponent = (): Node => {
    const startsUnary = peek().t === "p" && ["-", "+", "!", "~"].includes(peek().v);
    const a = unary();
    if (!isP("**")) return a;
    if (startsUnary) fail("a unary operator before ** needs parentheses");
    pos++;
    return { k: "bin", op: "**", a, b: exponent() };
  };
  const unary = (): Node => {
    if (peek().t === "p" && ["-", "+", "!", "~"].includes(peek().v)) {
      const op = toks[pos++].v;
      return { k: "un", op, a: unary() };
    }
    return postfix();
  };
  const postfix = (): Node => {
    let f = primary();
    while (isP("(")) {
      pos++;
      const args: Node[] = [];
      if (!isP(")")) {
        args.push(assignment());
        while (isP(",")) {
          pos++;
          args.push(assignment());
        }
      }
      expect(")");
      f = { k: "call", f, args };
    }
    return f;
  };
  const primary = (): Node => {
    const tok = peek();
    if (tok.t === "num") {
      pos++;
      return { k: "num", v: Number(tok.v) };
    }
    if (isP("(")) {
      pos++;
      const inner = sequence();
      expect(")");
      return inner;
    }
    if (tok.t !== "id") return fail("expected a value");
    pos++;
    const slot = slots.get(tok.v);
    if (slot !== undefined) return { k: "var", slot, name: tok.v };
    if (Object.hasOwn(CONSTANTS, tok.v)) return { k: "const", v: CONSTANTS[tok.v] };
    if (Object.hasOwn(helpers, tok.v)) return { k: "const", v: helpers[tok.v] };
    if (Object.hasOwn(NAMESPACES, tok.v)) {
      expect(".");
      const member = peek();
      if (member.t !== "id") fail("expected a member name");
      pos++;
      const ns = NAMESPACES[tok.v] as Record<string, unknown>;
      if (!(member.v in ns)) throw new TypeError(`${tok.v}.${member.v} is not defined`);
      return { k: "const", v: ns[member.v] };
    }
    throw new ReferenceError(`${tok.v} is not defined`);
  };

  const tree = sequence();
  if (peek().t !== "end") fail("unexpected token");
  return tree;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- the operators are JavaScript's, on any values */
type Fn = () => any;
const BINARY: Readonly<Record<string, (a: Fn, b: Fn) => Fn>> = {
  "+": (a, b) => () => a() + b(),
  "-": (a, b) => () => a() - b(),
  "*": (a, b) => () => a() * b(),
  "/": (a, b) => () => a() / b(),
  "%": (a, b) => () => a() % b(),
  "**": (a, b) => () => a() ** b(),
  "<": (a, b) => () => a() < b(),
  "<=": (a, b) => () => a() <= b(),
  ">": (a, b) => () => a() > b(),
  ">=": (a, b) => () => a() >= b(),
  "==": (a, b) => () => a() == b(), // eslint-disable-line eqeqeq
  "!=": (a, b) => () => a() != b(), // eslint-disable-line eqeqeq
  "===": (a, b) => () => a() === b(),
  "!==": (a, b) => () => a() !== b(),
  "&": (a, b) => () => a() & b(),
  "|": (a, b) => () => a() | b(),
  "^": (a, b) => () => a() ^ b(),
  "<<": (a, b) => () => a() << b(),
  ">>": (a, b) => () => a() >> b(),
  ">>>": (a, b) => () => a() >>> b(),
};
/** The same operators with a variable on the left and a constant on the right (`x * 2`, `x > 0`). */
const VAR_CONST: Readonly<Record<string, (v: any[], s: number, c: any) => Fn>> = {
  "+": (v, s, c) => () => v[s] + c,
  "-": (v, s, c) => () => v[s] - c,
  "*": (v, s, c) => () => v[s] * c,
  "/": (v, s, c) => () => v[s] / c,
  "<": (v, s, c) => () => v[s] < c,
  "<=": (v, s, c) => () => v[s] <= c,
  ">": (v, s, c) => () => v[s] > c,
  ">=": (v, s, c) => () => v[s] >= c,
  "===": (v, s, c) => () => v[s] === c,
  "!==": (v, s, c) => () => v[s] !== c,
};
/** Two variables (`x * y`, `x !== x`). */
const VAR_VAR: Readonly<Record<string, (v: any[], s: number, r: number) => Fn>> = {
  "+": (v, s, r) => () => v[s] + v[r],
  "-": (v, s, r) => () => v[s] - v[r],
  "*": (v, s, r) => () => v[s] * v[r],
  "/": (v, s, r) => () => v[s] / v[r],
  "<": (v, s, r) => () => v[s] < v[r],
  ">": (v, s, r) => () => v[s] > v[r],
  "===": (v, s, r) => () => v[s] === v[r],
  "!==": (v, s, r) => () => v[s] !== v[r],
};
/** A constant on the left and a variable on the right (`1 - y`, `2 * x`). */
const CONST_VAR: Readonly<Record<string, (v: any[], c: any, s: number) => Fn>> = {
  "+": (v, c, s) => () => c + v[s],
  "-": (v, c, s) => () => c - v[s],
  "*": (v, c, s) => () => c * v[s],
  "/": (v, c, s) => () => c / v[s],
};

function lower(node: Node, vars: any[]): Fn {
  switch (node.k) {
    case "num":
    case "const": {
      const value = node.v;
      return () => value;
    }
    case "var": {
      const s = node.slot;
      return () => vars[s];
    }
    case "un": {
      const a = lower(node.a, vars);
      if (node.op === "-") return node.a.k === "var" ? ((s) => () => -vars[s])(node.a.slot) : () => -a();
      if (node.op === "+") return () => +a();
      if (node.op === "!") return () => !a();
      return () => ~a();
    }
    case "bin": {
      const { a, b, op } = node;
      const isValue = (n: Node): n is { k: "num" | "const"; v: unknown } => n.k === "num" || n.k === "const";
      if (a.k === "var" && isValue(b) && VAR_CONST[op]) return VAR_CONST[op](vars, a.slot, b.v);
      if (a.k === "var" && b.k === "var" && VAR_VAR[op]) return VAR_VAR[op](vars, a.slot, b.slot);
      if (isValue(a) && b.k === "var" && CONST_VAR[op]) return CONST_VAR[op](vars, a.v, b.slot);
      return BINARY[op](lower(a, vars), lower(b, vars));
    }
    case "logic": {
      const a = lower(node.a, vars);
      const b = lower(node.b, vars);
      if (node.op === "&&") return () => a() && b();
      if (node.op === "||") return () => a() || b();
      return () => a() ?? b();
    }
    case "cond": {
      const c = lower(node.c, vars);
      const a = lower(node.a, vars);
      const b = lower(node.b, vars);
      return () => (c() ? a() : b());
    }
    case "assign": {
      const s = node.slot;
      const b = lower(node.b, vars);
      if (node.op === "=") return () => (vars[s] = b());
      const apply = BINARY[node.op.slice(0, -1)];
      const combined = apply(() => vars[s], b);
      return () => (vars[s] = combined());
    }
    case "seq": {
      const a = lower(node.a, vars);
      const b = lower(node.b, vars);
      return () => (a(), b());
    }
    case "call": {
      const args = node.args.map((n) => lower(n, vars));
      if (node.f.k === "const" && typeof node.f.v === "function") {
        const f = node.f.v as (...a: any[]) => any;
        if (args.length === 1) {
          const [a] = args;
          const arg = node.args[0];
          if (arg.k === "var") return ((s) => () => f(vars[s]))(arg.slot);
          return () => f(a());
        }
        if (args.length === 2) {
          const [a, b] = args;
          return () => f(a(), b());
        }
        return () => f(...args.map((g) => g()));
      }
      const callee = lower(node.f, vars);
      return () => (callee() as (...a: any[]) => any)(...args.map((g) => g()));
    }
  }
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/**
 * Compiles `src` to a closure reading its variables from `vars` (indices given by `slots`), with
 * `helpers` (such as `erf`) callable by name. Throws a SyntaxError / ReferenceError / TypeError
 * when `src` is outside the subset.
 *
 * @example
 * ```ts
 * const vars = [0];
 * const f = compileExpression("x > 0 ? x : 0.5 * x", new Map([["x", 0]]), vars, {});
 * vars[0] = -4;
 * f(); // → -2
 * ```
 */
export function compileExpression(src: string, slots: ReadonlyMap<string, number>, vars: unknown[], helpers: Readonly<Record<string, unknown>>): Evaluator {
  return lower(parse(src, slots, helpers), vars);
}
