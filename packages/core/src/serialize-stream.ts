/**
 * Reading a tsgrad file (serialize.ts's format) as a stream of text chunks, so that loading a
 * large file never holds its whole text or a tensor's whole base64: the JSON is parsed as the
 * chunks arrive, and the base64 data of each `$tensor` whose dtype and shape came before it (the
 * order tsgrad writes) is decoded straight into the buffer the tensor will own. What it returns is
 * what `JSON.parse` would, with those data strings replaced by {@link DecodedBase64}; serialize.ts's
 * `decodeParsed` then checks it all exactly as it checks `JSON.parse`'s result, so both readers
 * give the same values and the same errors.
 *
 * The text is untrusted. The parser is RFC 8259's grammar, as `JSON.parse` accepts it (no
 * comments, no trailing commas, raw control characters refused in strings), and iterative (deep
 * nesting cannot overflow the stack; serialize.ts refuses it afterwards). A tensor's buffer is
 * allocated when its data starts, and only if the bytes its shape claims fit in what is left of a
 * budget of ¾ of the file's size (base64 holds 3 bytes per 4 characters): a claim the file cannot
 * hold allocates nothing, and serialize.ts reports the mismatch.
 */
import { DecodedBase64, invalidJson, plannedTensorBytes } from "./serialize.js";

// Base64 (RFC 4648) character values; 255 outside the alphabet.
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DECODE = new Uint8Array(128).fill(255);
for (let i = 0; i < 64; i++) DECODE[ALPHABET.charCodeAt(i)] = i;
const EQUALS = 61;
const QUOTE = 34;
const BACKSLASH = 92;

const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
const NUMBER_CHAR = /[-+0-9.eE]/y;
const STRING_SPECIAL = /["\\\u0000-\u001f]/g;
const ESCAPES: Readonly<Record<string, string>> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
const LITERALS: ReadonlyArray<[string, unknown]> = [["true", true], ["false", false], ["null", null]];

/**
 * Decodes base64 characters as they arrive, into `out` (or only counts them when `out` is null),
 * with serialize.ts's `decodeBase64` rules: `padding` is the number of `=` that end the text (at
 * most 2 count), and it is valid when every other character is in the alphabet.
 */
class Base64Sink {
  private acc = 0;
  private bits = 0;
  private written = 0;
  /** `=` at the end of the text so far. */
  private trailing = 0;
  length = 0;
  private bad = false;
  constructor(readonly out: Uint8Array<ArrayBuffer> | null) {}

  get padding(): number {
    return Math.min(this.trailing, 2);
  }

  get valid(): boolean {
    return !this.bad && this.trailing <= 2;
  }

  /**
   * Feeds the characters of `text` from `from` up to the first `"`, `\\` or control character (or
   * the end); returns where it stopped. Local variables in the loop: it runs once per character
   * of every tensor.
   */
  feed(text: string, from: number): number {
    const out = this.out;
    const limit = out === null ? 0 : out.length;
    let { acc, bits, written, trailing, bad } = this;
    let i = from;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === EQUALS) {
        trailing++;
        continue;
      }
      if (c === QUOTE || c === BACKSLASH || c < 0x20) break;
      const v = c < 128 ? DECODE[c] : 255;
      if (v === 255 || trailing > 0) bad = true; // outside the alphabet, or data after "="
      trailing = 0;
      if (bad) continue;
      acc = ((acc << 6) | v) & 0xffffff;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        if (written < limit) out![written++] = (acc >> bits) & 255;
      }
    }
    Object.assign(this, { acc, bits, written, trailing, bad });
    this.length += i - from;
    return i;
  }

  /** Feeds one character that came from an escape (`\\u0041` is an `A`). */
  feedEscaped(char: string): void {
    if (this.feed(char, 0) === 0) {
      // `"`, `\\` or a control character: not base64.
      Object.assign(this, { bad: true, trailing: 0, length: this.length + 1 });
    }
  }
}

/** An array or object being parsed, and what it expects next. */
type Frame =
  | { kind: "array"; value: unknown[]; expect: "first" | "value" | "next" }
  | { kind: "object"; value: Record<string, unknown>; key: string; expect: "firstKey" | "key" | "colon" | "value" | "next" };

/** A string being parsed: its text so far, or the base64 sink its characters go to. */
interface OpenString {
  isKey: boolean;
  parts: string[];
  sink?: Base64Sink;
  /** Bytes the sink's buffer took from the budget. */
  reserved: number;
}

/**
 * Parses the text of a tsgrad file chunk by chunk: `push` each chunk, then `end()` returns the
 * parsed value. Errors start with `op` (`load:`), as serialize.ts's do.
 */
export class TsgradTextReader {
  private text = "";
  private pos = 0;
  /** Characters before `text` (for positions in messages). */
  private before = 0;
  private readonly stack: Frame[] = [];
  private string: OpenString | undefined;
  private root: unknown;
  private done = false;
  /** Bytes tensors' buffers may still take: ¾ of the file's size, less what they took. */
  private budget: number;

  /** `fileBytes`: the size of the file, which bounds what the tensors' buffers may take. */
  constructor(private readonly op: string, fileBytes: number) {
    this.budget = Math.floor(fileBytes / 4) * 3;
  }

  /** Parses `chunk`, the next piece of the text. */
  push(chunk: string): void {
    this.before += this.pos;
    this.text = this.text.slice(this.pos) + chunk;
    this.pos = 0;
    this.run(false);
  }

  /** Ends the text; returns the parsed value. */
  end(): unknown {
    this.run(true);
    if (!this.done) this.fail("Unexpected end of JSON input");
    return this.root;
  }

  private fail(reason: string): never {
    throw invalidJson(this.op, reason);
  }

  private unexpected(): never {
    this.fail(`Unexpected token ${JSON.stringify(this.text[this.pos])} at position ${this.before + this.pos}`);
  }

  /** Parses as far as the text goes; `final` when no more text will come. */
  private run(final: boolean): void {
    const text = this.text;
    for (;;) {
      if (this.string !== undefined && !this.continueString(final)) return;
      while (this.pos < text.length && isSpace(text.charCodeAt(this.pos))) this.pos++;
      if (this.pos >= text.length) return;
      if (this.done) this.fail(`Unexpected non-whitespace character after JSON at position ${this.before + this.pos}`);
      const c = text[this.pos];
      const top = this.stack.at(-1);
      const expect = top?.expect ?? "value";
      if (expect === "next") {
        if (c === ",") {
          this.pos++;
          if (top!.kind === "array") top!.expect = "value";
          else top!.expect = "key";
        } else if ((c === "]" && top!.kind === "array") || (c === "}" && top!.kind === "object")) {
          this.pos++;
          this.close();
        } else this.unexpected();
      } else if (expect === "colon") {
        if (c !== ":") this.unexpected();
        this.pos++;
        top!.expect = "value";
      } else if (expect === "firstKey" || expect === "key") {
        if (c === "}" && expect === "firstKey") {
          this.pos++;
          this.close();
        } else if (c === '"') {
          this.pos++;
          this.string = { isKey: true, parts: [], reserved: 0 };
        } else this.unexpected();
      } else if (c === "]" && expect === "first") {
        this.pos++;
        this.close();
      } else if (!this.value(c, final)) return;
    }
  }

  /** Starts or reads the value that begins with `c`; false when it needs more text. */
  private value(c: string, final: boolean): boolean {
    const text = this.text;
    if (c === "{") {
      this.pos++;
      this.stack.push({ kind: "object", value: {}, key: "", expect: "firstKey" });
    } else if (c === "[") {
      this.pos++;
      this.stack.push({ kind: "array", value: [], expect: "first" });
    } else if (c === '"') {
      this.pos++;
      this.string = { isKey: false, parts: [], sink: this.tensorSink(), reserved: 0 };
      if (this.string.sink?.out) this.string.reserved = this.string.sink.out.length;
    } else if (c === "-" || (c >= "0" && c <= "9")) {
      let end = this.pos;
      NUMBER_CHAR.lastIndex = end;
      while (NUMBER_CHAR.test(text)) NUMBER_CHAR.lastIndex = ++end;
      if (end === text.length && !final) return false;
      const token = text.slice(this.pos, end);
      if (!NUMBER.test(token)) this.fail(`invalid number ${JSON.stringify(token.slice(0, 40))} at position ${this.before + this.pos}`);
      this.pos = end;
      this.emit(Number(token));
    } else {
      const literal = LITERALS.find(([word]) => word[0] === c);
      if (literal === undefined) this.unexpected();
      const [word, value] = literal;
      if (text.length - this.pos < word.length && !final && word.startsWith(text.slice(this.pos))) return false;
      if (!text.startsWith(word, this.pos)) this.unexpected();
      this.pos += word.length;
      this.emit(value);
    }
    return true;
  }

  /**
   * The sink for the string that starts here when it is the `data` of a `$tensor` spec whose dtype
   * and shape are known and valid, with a buffer when their bytes fit in the budget.
   */
  private tensorSink(): Base64Sink | undefined {
    const spec = this.stack.at(-1);
    const parent = this.stack.at(-2);
    if (spec?.kind !== "object" || spec.key !== "data" || parent?.kind !== "object" || parent.key !== "$tensor") return undefined;
    const own = (key: string): unknown => (Object.hasOwn(spec.value, key) ? spec.value[key] : undefined);
    const bytes = plannedTensorBytes(own("dtype"), own("shape"));
    if (bytes === undefined) return undefined;
    if (bytes > this.budget) return new Base64Sink(null); // the file cannot hold it: count, allocate nothing
    this.budget -= bytes;
    return new Base64Sink(new Uint8Array(bytes));
  }

  /** Reads the open string as far as the text goes; true when it ended. */
  private continueString(final: boolean): boolean {
    const text = this.text;
    const s = this.string!;
    for (;;) {
      let end: number;
      if (s.sink !== undefined) {
        end = s.sink.feed(text, this.pos);
      } else {
        STRING_SPECIAL.lastIndex = this.pos;
        end = STRING_SPECIAL.exec(text)?.index ?? text.length;
        if (end > this.pos) s.parts.push(text.slice(this.pos, end));
      }
      this.pos = end;
      if (end >= text.length) {
        if (final) this.fail("Unterminated string in JSON");
        return false;
      }
      const c = text.charCodeAt(end);
      if (c === QUOTE) {
        this.pos++;
        this.string = undefined;
        this.finishString(s);
        return true;
      }
      if (c < 0x20) this.fail(`Bad control character in string literal at position ${this.before + end}`);
      // An escape: \x or \uXXXX, which may be cut by the chunk's end.
      const kind = text[end + 1];
      const length = kind === "u" ? 6 : 2;
      if (end + length > text.length) {
        if (final) this.fail("Unterminated string in JSON");
        return false;
      }
      let char: string;
      if (kind === "u") {
        const hex = text.slice(end + 2, end + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail(`Bad Unicode escape in JSON at position ${this.before + end}`);
        char = String.fromCharCode(parseInt(hex, 16));
      } else {
        if (!Object.hasOwn(ESCAPES, kind)) this.fail(`Bad escaped character in JSON at position ${this.before + end + 1}`);
        char = ESCAPES[kind];
      }
      if (s.sink !== undefined) s.sink.feedEscaped(char);
      else s.parts.push(char);
      this.pos = end + length;
    }
  }

  private finishString(s: OpenString): void {
    if (s.isKey) {
      const top = this.stack.at(-1) as Extract<Frame, { kind: "object" }>;
      top.key = s.parts.join("");
      top.expect = "colon";
      return;
    }
    const sink = s.sink;
    if (sink === undefined) {
      this.emit(s.parts.join(""));
      return;
    }
    const held = (sink.length / 4) * 3 - sink.padding;
    const bytes = sink.out;
    if (bytes !== null && (!sink.valid || held !== bytes.length)) {
      this.budget += s.reserved; // the data does not fill its buffer: the checks will throw, so give its bytes back
      this.emit(new DecodedBase64(sink.length, sink.padding, sink.valid, null));
    } else this.emit(new DecodedBase64(sink.length, sink.padding, sink.valid, bytes));
  }

  /** Ends the innermost array or object and hands it to its parent. */
  private close(): void {
    this.emit(this.stack.pop()!.value);
  }

  /** Puts a finished value where it belongs: its parent's next item or the key's value, or the root. */
  private emit(value: unknown): void {
    const top = this.stack.at(-1);
    if (top === undefined) {
      this.root = value;
      this.done = true;
    } else if (top.kind === "array") {
      top.value.push(value);
      top.expect = "next";
    } else {
      // defineProperty, as JSON.parse does: a "__proto__" key stays data.
      Object.defineProperty(top.value, top.key, { value, enumerable: true, writable: true, configurable: true });
      top.expect = "next";
    }
  }
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}
