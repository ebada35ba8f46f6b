/**
 * The streaming reader `load` uses (serialize-stream.ts): the text of a file cut into chunks at
 * every possible place (inside escapes, numbers, literals, keys and base64) parses to what
 * `JSON.parse` gives, so that `load` and `deserialize` return the same values and throw the same
 * errors (persistence-untrusted.test.ts runs every crafted file through both). Then what only the
 * streaming reader does: base64 decoded into the tensor's buffer as it arrives, nothing allocated
 * for a shape the file's size cannot hold, and files in another key order.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Tensor, deserialize, serialize, tensor, zeros } from "@tsgrad/core";
import { load } from "@tsgrad/core/node";
import { TsgradTextReader } from "../src/serialize-stream.js";
import { DecodedBase64, decodeParsed } from "../src/serialize.js";

/** Parses `text` pushed in chunks of `size` characters. */
function parseInChunks(text: string, size: number, fileBytes = text.length): unknown {
  const reader = new TsgradTextReader("load", fileBytes);
  for (let i = 0; i < text.length; i += size) reader.push(text.slice(i, i + size));
  return reader.end();
}

/** What a parse gave, with decoded data replaced by its bytes, to compare with JSON.parse's base64 strings. */
function plain(value: unknown): unknown {
  if (value instanceof DecodedBase64) return value.bytes === null ? null : Buffer.from(value.bytes).toString("base64");
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

const text = new TextDecoder().decode(
  serialize({
    model: { "0.weight": tensor([[1.5, -2], [3, 4]]), "0.bias": tensor([1, -0, NaN], { dtype: "float64" }), mask: tensor([true, false, true]) },
    lr: 1e-3,
    big: -1.25e-300,
    note: 'quote " backslash \\ tab \t nul \u0000 é 😀 \u2028',
    flags: [true, false, null],
    $step: 3,
    ["__proto__"]: { not: "a prototype" },
    empty: { a: [], b: {} },
  }),
);

describe("the streaming reader parses what JSON.parse parses", () => {
  for (const size of [1, 2, 3, 5, 7, 64, text.length]) {
    it(`in chunks of ${size} characters`, () => {
      expect(plain(parseInChunks(text, size))).toEqual(JSON.parse(text));
    });
  }

  it("escapes inside base64 data, and data before its dtype and shape, decode as JSON.parse reads them", () => {
    const escaped = '{"format":"tsgrad","version":1,"value":{"$tensor":{"dtype":"uint8","shape":[3],"data":"\\u0041QID"}}}';
    const reordered = '{"format":"tsgrad","version":1,"value":{"$tensor":{"data":"AQID","shape":[3],"dtype":"uint8"}}}';
    for (const t of [escaped, reordered]) {
      for (const size of [1, 4, t.length]) {
        expect((decodeParsed("load", parseInChunks(t, size)) as Tensor).toArray()).toEqual((deserialize(t) as Tensor).toArray());
      }
    }
    expect((deserialize(escaped) as Tensor).toArray()).toEqual([1, 2, 3]);
  });

  const invalid = ["", "{", '{"a" 1}', "[1,]", '{"a":1,}', "01", "1.", "-", "tru", "nul", '"\\x"', '"\\u12"', '"a\nb"', "[1] 2", '{"a":1}}', "[", '"abc'];
  for (const bad of invalid) {
    it(`refuses ${JSON.stringify(bad)} as JSON.parse does`, () => {
      expect(() => JSON.parse(bad)).toThrow(SyntaxError);
      for (const size of [1, 2, bad.length || 1]) expect(() => parseInChunks(bad, size)).toThrow(/^load: not a tsgrad file \(invalid JSON: .*\); was it truncated\?$/);
    });
  }
});

describe("load decodes each tensor's base64 into its buffer as it reads", () => {
  it("a 40 MB tensor across many 4 MiB reads loads exactly", () => {
    const dir = mkdtempSync(join(tmpdir(), "tsgrad-stream-"));
    const path = join(dir, "big.json");
    const big = zeros([10 << 20]).add(0.5);
    writeFileSync(path, serialize({ w: big, b: tensor([1, 2]) }));
    const back = load(path) as { w: Tensor; b: Tensor };
    expect(back.w.shape).toEqual([10 << 20]);
    expect(back.w.equal(big)).toBe(true);
    expect(back.b.toArray()).toEqual([1, 2]);
  });

  it("allocates a tensor's buffer only when the file's size can hold it", () => {
    // 1e9 float32 claim 4 GB; a file of 80 bytes can hold at most 60: nothing is allocated.
    const t = '{"format":"tsgrad","version":1,"value":{"$tensor":{"dtype":"float32","shape":[1000000000],"data":"AAAAAA=="}}}';
    const parsed = parseInChunks(t, 7) as { value: { $tensor: { data: DecodedBase64 } } };
    expect(parsed.value.$tensor.data.bytes).toBeNull();
    expect(() => decodeParsed("load", parsed)).toThrow("load: the tensor at the top level of shape [1000000000] and dtype float32 needs 4000000000 bytes, the file holds 4");
    // Within the budget, the bytes are decoded into a buffer of exactly the claimed size.
    const fits = parseInChunks(t.replace("1000000000", "1"), 3) as typeof parsed;
    expect([...fits.value.$tensor.data.bytes!]).toEqual([0, 0, 0, 0]);
  });

  it("a data string that does not fill its claimed buffer gives the buffer's bytes back to the budget", () => {
    // Three tensors each claiming 45 bytes in a file whose budget is about 150: only the short
    // claims' refunds let the last, real one be decoded.
    const spec = (n: number, data: string): string => `{"$tensor":{"dtype":"uint8","shape":[${n}],"data":"${data}"}}`;
    const t = `{"format":"tsgrad","version":1,"value":[${spec(45, "AA==")},${spec(45, "AA==")},${spec(45, "A".repeat(60))}]}`;
    const parsed = parseInChunks(t, 5, t.length) as { value: Array<{ $tensor: { data: DecodedBase64 } }> };
    expect(parsed.value.map((v) => v.$tensor.data.bytes?.length ?? null)).toEqual([null, null, 45]);
  });

  it("a dtype or shape repeated after the data (which JSON.parse lets win) is refused when the data no longer fits", () => {
    // The data was decoded for uint8 [8] (and dropped: 4 bytes), then the later keys claim float32 [1].
    const t = '{"format":"tsgrad","version":1,"value":{"$tensor":{"dtype":"uint8","shape":[8],"data":"AAAAAA==","dtype":"float32","shape":[1]}}}';
    expect(() => decodeParsed("load", parseInChunks(t, 8))).toThrow("load: malformed tensor: the dtype or shape of the tensor at the top level changed after its data (a repeated key)");
  });
});
