/**
 * The doctest's expectation comments: what a `// → value`, `// prints …` or `// throws …` comment
 * says, parsed, and the comparison of that against what the snippet really produced.
 *
 * The rules (docs/adding-an-op.md, "Examples are tested", is the user-facing version):
 * - a comment that starts with `→`, or with something that reads as a value (a number, `[`, `{`, a
 *   quoted string, `true`/`false`/`null`/`undefined`/`NaN`/`Infinity`, `≈`, `tensor(`), is a value
 *   check; text after the value that starts with `:`, `(`, `;`, `—` or `–`, or a comma followed by
 *   words, is a remark;
 * - a number matches exactly, or as the float32 it rounds to (`0.1` matches float32 0.1);
 *   `≈ 0.731` or `0.7310…` matches a number that, rounded or truncated to the last digit shown,
 *   reads so (0.7310585… matches both); `≈` before an array or object applies to every number inside;
 * - `…` (or `...`) as an array's last element allows more elements; at the end of a string, a prefix;
 * - `tensor(…)` compares the tensor's printed form, whitespace-insensitive, `…` a wildcard;
 * - `prints text` and `throws ErrorName: message` (or just `RangeError: message`) compare text,
 *   whitespace-insensitive, `…` a wildcard.
 */
import { inspect } from "node:util";

/** One expected value, parsed from a comment. */
export type Expected =
  | { kind: "number"; value: number; unit: number | null; text: string } // unit: tolerance, null = exact
  | { kind: "string"; value: string; prefix: boolean }
  | { kind: "literal"; value: boolean | null | undefined }
  | { kind: "array"; items: Expected[]; rest: boolean }
  | { kind: "object"; entries: Array<[string, Expected]> }
  | { kind: "repr"; text: string }; // `tensor(...)`: the printed form

/** What a comment asks the doctest to check. */
export type Expectation =
  | { kind: "value"; items: Expected[]; text: string }
  | { kind: "prints"; text: string }
  | { kind: "throws"; text: string };

/** A comment that looks like an expectation but does not parse: the snippet fails with it. */
export class ExpectationSyntaxError extends Error {}

const LITERAL_START = /^(?:≈|[-−]?\d|[-−]?\.\d|["']|tensor\(|(?:true|false|null|undefined|NaN|[-−]?Infinity)(?![\w$]))/;

/**
 * Whether a comment starts like a value. `[` and `{` count only when what follows reads as one
 * (`[N, C]` and `{0, 1}` are prose: shapes and sets).
 */
function looksLikeValue(text: string): boolean {
  if (text.startsWith("[")) {
    const inner = text.replace(/^[[\s]+/, "");
    return inner.startsWith("]") || inner.startsWith("…") || inner.startsWith("...") || LITERAL_START.test(inner) || inner.startsWith("{");
  }
  if (text.startsWith("{")) return /^\{\s*(?:\}|["']|[A-Za-z_$][\w$]*\s*:)/.test(text);
  return LITERAL_START.test(text);
}

/**
 * The expectation a comment's text (what follows `//`) states, or null for a prose comment.
 * Throws {@link ExpectationSyntaxError} for a comment that starts like a value but does not parse.
 */
export function parseExpectation(comment: string): Expectation | null {
  const text = comment.trim();
  const prints = /^prints(?:\s+|$)([\s\S]*)$/.exec(text);
  if (prints) return { kind: "prints", text: prints[1] };
  // `// throws RangeError: …`, or just `// RangeError: …`
  const throws = /^throws(?:\s+|$)([\s\S]*)$/.exec(text)?.[1] ?? (/^[A-Z]\w*Error(?::|$)/.test(text) ? text : null);
  if (throws !== null) {
    if (!/^[A-Z]\w*(?::|$)/.test(throws)) throw new ExpectationSyntaxError(`"// throws" needs an error class, e.g. "// throws RangeError: matmul: …", got "${text}"`);
    return { kind: "throws", text: throws };
  }
  let body = text;
  if (body.startsWith("→")) body = body.slice(1).trim();
  else if (!looksLikeValue(body)) return null;
  return { kind: "value", items: new ValueParser(body).items(), text: body };
}

class ValueParser {
  private pos = 0;
  constructor(private readonly src: string) {}

  /** item (',' item)* followed by nothing or a remark. */
  items(): Expected[] {
    const items = [this.item(false)];
    for (;;) {
      this.ws();
      if (this.src[this.pos] !== ",") break;
      // `// "Residual", minified or not`: a comma followed by prose starts a remark.
      if (!looksLikeValue(this.src.slice(this.pos + 1).trim())) return items;
      this.pos++;
      items.push(this.item(false));
    }
    this.ws();
    const rest = this.src.slice(this.pos);
    if (rest !== "" && !/^[:(;—–]/.test(rest)) {
      this.fail(`unexpected "${rest}" after the value (start a remark with ",", ":", "(", ";" or "—")`);
    }
    return items;
  }

  private item(approx: boolean): Expected {
    this.ws();
    const s = this.src;
    if (s[this.pos] === "≈") {
      this.pos++;
      return this.item(true);
    }
    const c = s[this.pos];
    if (c === "[") return this.array(approx);
    if (c === "{") return this.object(approx);
    if (c === '"' || c === "'") return this.string();
    if (s.startsWith("tensor(", this.pos)) return this.repr();
    const word = /^(?:true|false|null|undefined)(?![\w$])/.exec(s.slice(this.pos));
    if (word) {
      this.pos += word[0].length;
      return { kind: "literal", value: ({ true: true, false: false, null: null, undefined } as Record<string, boolean | null | undefined>)[word[0]] };
    }
    return this.number(approx);
  }

  private number(approx: boolean): Expected {
    const m = /^([-−]?)(?:(Infinity)|(NaN)|(\d+(?:\.(\d+))?|\.(\d+))(?:[eE]([-+]?\d+))?)(…|\.\.\.)?/.exec(this.src.slice(this.pos));
    if (!m || m[0] === "" || m[0] === "-" || m[0] === "−") this.fail(`expected a value at "${this.src.slice(this.pos)}"`);
    this.pos += m[0].length;
    const sign = m[1] ? -1 : 1;
    if (m[2]) return { kind: "number", value: sign * Infinity, unit: null, text: m[0] };
    if (m[3]) return { kind: "number", value: NaN, unit: null, text: m[0] };
    const value = sign * Number(m[4] + (m[7] !== undefined ? `e${m[7]}` : ""));
    const decimals = (m[5] ?? m[6] ?? "").length;
    const unit = approx || m[8] ? 10 ** (Number(m[7] ?? 0) - decimals) : null;
    return { kind: "number", value: Object.is(value, -0) || (value === 0 && sign < 0) ? -0 : value, unit, text: m[0] };
  }

  private string(): Expected {
    const q = this.src[this.pos];
    let out = "";
    let i = this.pos + 1;
    for (; i < this.src.length && this.src[i] !== q; i++) {
      if (this.src[i] === "\\") {
        i++;
        const e = this.src[i];
        out += e === "n" ? "\n" : e === "t" ? "\t" : e;
      } else out += this.src[i];
    }
    if (i >= this.src.length) this.fail(`unterminated string ${this.src.slice(this.pos)}`);
    this.pos = i + 1;
    const prefix = out.endsWith("…");
    return { kind: "string", value: prefix ? out.slice(0, -1) : out, prefix };
  }

  private array(approx: boolean): Expected {
    this.pos++; // [
    const items: Expected[] = [];
    let rest = false;
    this.ws();
    if (this.src[this.pos] === "]") {
      this.pos++;
      return { kind: "array", items, rest };
    }
    for (;;) {
      this.ws();
      if (this.src.startsWith("…", this.pos) || this.src.startsWith("...", this.pos)) {
        this.pos += this.src[this.pos] === "…" ? 1 : 3;
        rest = true;
        this.ws();
        if (this.src[this.pos] !== "]") this.fail("an ellipsis is only allowed as an array's last element");
      } else items.push(this.item(approx));
      this.ws();
      const c = this.src[this.pos++];
      if (c === "]") return { kind: "array", items, rest };
      if (c !== ",") this.fail(`expected "," or "]" in an array, got "${c ?? "end of comment"}"`);
    }
  }

  private object(approx: boolean): Expected {
    this.pos++; // {
    const entries: Array<[string, Expected]> = [];
    for (;;) {
      this.ws();
      if (this.src[this.pos] === "}") {
        this.pos++;
        return { kind: "object", entries };
      }
      let key: string;
      const c = this.src[this.pos];
      if (c === '"' || c === "'") key = (this.string() as { value: string }).value;
      else {
        const m = /^[A-Za-z_$][\w$]*|^\d+/.exec(this.src.slice(this.pos));
        if (!m) this.fail(`expected a key in an object at "${this.src.slice(this.pos)}"`);
        key = m[0];
        this.pos += key.length;
      }
      this.ws();
      if (this.src[this.pos++] !== ":") this.fail(`expected ":" after key "${key}"`);
      entries.push([key, this.item(approx)]);
      this.ws();
      if (this.src[this.pos] === ",") this.pos++;
      else if (this.src[this.pos] !== "}") this.fail(`expected "," or "}" in an object`);
    }
  }

  /** `tensor(...)`: the raw text up to the matching parenthesis. */
  private repr(): Expected {
    const start = this.pos;
    let depth = 0;
    for (; this.pos < this.src.length; this.pos++) {
      const c = this.src[this.pos];
      if (c === "(") depth++;
      else if (c === ")" && --depth === 0) {
        this.pos++;
        return { kind: "repr", text: this.src.slice(start, this.pos) };
      }
    }
    return this.fail(`unbalanced parentheses in ${this.src.slice(start)}`);
  }

  private ws(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos])) this.pos++;
  }

  private fail(message: string): never {
    throw new ExpectationSyntaxError(`cannot read the expected value "${this.src}": ${message}`);
  }
}

interface TensorLikeValue {
  toArray(): unknown;
  shape: number[];
  dtype: string;
}
const isTensor = (v: unknown): v is TensorLikeValue =>
  typeof v === "object" && v !== null && typeof (v as TensorLikeValue).toArray === "function" && Array.isArray((v as TensorLikeValue).shape);

/** How the doctest shows an actual value in a failure message. */
export function show(v: unknown): string {
  if (isTensor(v)) return String(v);
  return inspect(v, { depth: 8, breakLength: Infinity, maxArrayLength: 50 });
}

/**
 * Why `actual` does not match `expected`, or null when it does. `path` locates a mismatch inside
 * nested arrays and objects.
 */
export function mismatch(actual: unknown, expected: Expected, path = ""): string | null {
  const at = path ? ` at ${path}` : "";
  if (expected.kind === "repr") {
    const text = isTensor(actual) || typeof actual === "string" ? String(actual) : show(actual);
    return matchesText(text, expected.text) ? null : `expected ${expected.text}, got ${text}${at}`;
  }
  if (isTensor(actual)) actual = actual.toArray();
  if (ArrayBuffer.isView(actual) && !(actual instanceof DataView)) actual = Array.from(actual as unknown as ArrayLike<number>);
  const got = () => `${show(actual)}${at}`;
  switch (expected.kind) {
    case "number": {
      if (typeof actual !== "number") return `expected the number ${expected.text}, got ${got()}`;
      return numberMatches(actual, expected) ? null : `expected ${expected.text}${expected.unit !== null ? ` (±${expected.unit})` : ""}, got ${got()}`;
    }
    case "string":
      if (typeof actual !== "string") return `expected the string ${JSON.stringify(expected.value)}, got ${got()}`;
      if (expected.prefix ? actual.startsWith(expected.value) : actual === expected.value) return null;
      return `expected ${JSON.stringify(expected.value)}${expected.prefix ? "…" : ""}, got ${got()}`;
    case "literal":
      return actual === expected.value ? null : `expected ${String(expected.value)}, got ${got()}`;
    case "array": {
      if (!Array.isArray(actual)) return `expected an array, got ${got()}`;
      const n = expected.items.length;
      if (expected.rest ? actual.length < n : actual.length !== n) {
        return `expected ${expected.rest ? "at least " : ""}${n} elements, got ${actual.length}: ${got()}`;
      }
      for (let i = 0; i < n; i++) {
        const m = mismatch(actual[i], expected.items[i], `${path}[${i}]`);
        if (m) return m;
      }
      return null;
    }
    case "object": {
      if (typeof actual !== "object" || actual === null) return `expected an object, got ${got()}`;
      const record = actual as Record<string, unknown>;
      for (const [key, value] of expected.entries) {
        if (!(key in record)) return `expected a key "${key}", got ${got()}`;
        const m = mismatch(record[key], value, `${path}.${key}`);
        if (m) return m;
      }
      const proto = Object.getPrototypeOf(actual);
      if (proto === Object.prototype || proto === null) {
        const extra = Object.keys(record).filter((k) => !expected.entries.some(([key]) => key === k));
        if (extra.length) return `unexpected keys ${extra.join(", ")} in ${got()}`;
      }
      return null;
    }
  }
}

function numberMatches(actual: number, expected: Extract<Expected, { kind: "number" }>): boolean {
  const e = expected.value;
  if (Number.isNaN(e)) return Number.isNaN(actual);
  if (!Number.isFinite(e) || expected.unit === null) {
    if (Object.is(e, -0)) return Object.is(actual, -0);
    return actual === e || Math.fround(e) === actual;
  }
  // The digits shown are the actual number rounded or truncated to the last digit shown. Compared
  // as counts of that digit's unit: scaling back (count · unit) is inexact with many digits.
  const digits = Math.round(e / expected.unit);
  const scaled = actual / expected.unit;
  return Math.round(scaled) === digits || Math.trunc(scaled) === digits;
}

/** Whitespace-insensitive text match, `…` or `...` in `pattern` matching any run of text. */
export function matchesText(actual: string, pattern: string): boolean {
  const norm = (s: string) => s.replace(/\s+/g, " ").trim();
  const parts = norm(pattern).split(/…|\.\.\./).map((p) => p.trim());
  const text = norm(actual);
  if (parts.length === 1) return text === parts[0];
  if (!text.startsWith(parts[0])) return false;
  let pos = parts[0].length;
  for (let i = 1; i < parts.length - 1; i++) {
    const found = text.indexOf(parts[i], pos);
    if (found < 0) return false;
    pos = found + parts[i].length;
  }
  const last = parts[parts.length - 1];
  return text.length - last.length >= pos && text.endsWith(last);
}
