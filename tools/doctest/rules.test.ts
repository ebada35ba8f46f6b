// The doctest's own rules: each expectation form passes on the right value and fails on a stale one.
import { describe, expect, test } from "vitest";
import * as tsgrad from "tsgrad";
import { markdownSnippets, tsdocSnippets } from "./extract.js";
import { runSnippet } from "./run.js";

const run = (code: string) => runSnippet(code, { scope: { ...tsgrad } });
async function passes(code: string, checked = 1): Promise<void> {
  const r = await run(code);
  expect(r.failures).toEqual([]);
  expect(r.checked).toBe(checked);
}
async function fails(code: string, message: string | RegExp): Promise<void> {
  const r = await run(code);
  expect(r.failures.join("\n")).toMatch(message);
}

describe("value comments", () => {
  test("a number matches exactly, or as the float32 it is", async () => {
    await passes("1 + 1; // 2");
    await passes("1 + 1; // → 2");
    await fails("1 + 1; // 3", "line 1: expected 3, got 2");
    await passes("new Float32Array([0.1])[0]; // 0.1");
    await fails("0.1 + 0.2; // 0.3", "expected 0.3, got 0.30000000000000004");
    await passes("-0; // -0");
    await fails("0; // -0", "expected -0");
  });

  test("≈ and … match the digits shown, rounded or truncated", async () => {
    await passes("Math.PI; // ≈ 3.14");
    await passes("Math.PI; // ≈ 3.1416");
    await passes("Math.PI; // 3.14159…");
    await fails("Math.PI; // ≈ 3.15", "expected 3.15");
    await passes("Math.fround(-0.02); // -0.0199999995…");
    await fails("Math.fround(-0.02); // -0.0199998…", "expected -0.0199998…");
    await passes("[0.123456, 2]; // ≈ [0.1235, 2]");
    await passes("2.8e-7 + 1e-10; // ≈ 2.8e-7");
    await passes("Math.expm1(1e-10); // ≈ 1.00000000005e-10"); // 12 digits: exact in units of the last one
    await fails("Math.expm1(1e-10); // ≈ 1.00000000006e-10", "expected 1.00000000006e-10");
  });

  test("arrays, strings, literals and objects compare deeply", async () => {
    await passes("[1, [2, 3]]; // [1, [2, 3]]");
    await fails("[1, [2, 4]]; // [1, [2, 3]]", "expected 3, got 4 at [1][1]");
    await fails("[1, 2, 3]; // [1, 2]", "expected 2 elements, got 3");
    await passes("[1, 2, 3]; // [1, 2, …]");
    await passes('"abc"; // "abc"');
    await passes("'abcdef'; // 'abc…'");
    await fails('"abd"; // "abc"', 'expected "abc"');
    await passes("null; // null");
    await fails("undefined; // null", "expected null, got undefined");
    await passes("({ a: 1, b: [2] }); // { a: 1, b: [2] }");
    await fails("({ a: 1, b: 2 }); // { a: 1 }", "unexpected keys b");
    await fails("true; // 1", "expected the number 1, got true");
  });

  test("tensors compare by their values, or by their printed form", async () => {
    await passes("tensor([1, 2]).mul(2); // [2, 4]");
    await passes("tensor([1, 2]).sum(); // 3");
    await passes("tensor([1.5, 2]); // tensor([1.5000, 2.0000])");
    await fails("tensor([1, 2]); // [1, 3]", "expected 3, got 2 at [1]");
    await passes("tensor([1, 2]).shape; // [2]");
  });

  test("a declaration checks the declared value; a remark may follow the value", async () => {
    await passes("const x = 2 * 3; // 6 (two times three)");
    await passes("const x = 2 * 3; // 6: two times three");
    await passes("const x = 2 * 3; // 6, two times three");
    await fails("console.log(6, 7); // 6, seven", "console.log has 2 argument(s) but the comment shows 1 value(s)");
    await fails("const x = 2 * 3; // 7", "expected 7, got 6");
    await fails("const [x] = [1]; // 1", 'belongs after an expression or a "const name = …" declaration');
  });

  test("console.log's arguments are checked one by one", async () => {
    await passes('console.log(1, "a"); // 1, "a"');
    await fails("console.log(1, 2); // 1", "console.log has 2 argument(s) but the comment shows 1 value(s)");
    await fails('console.log(1, "b"); // 1, "a"', 'argument 2: expected "a"');
  });

  test("a value-looking comment that does not parse fails instead of passing silently", async () => {
    await fails("1; // 1 apple", 'cannot read the expected value "1 apple"');
    await fails("1; // → one", "cannot read the expected value");
  });

  test("prose comments are not checked", async () => {
    await passes("1; // one, in words", 0);
    await passes("tensor([1]); // [N, C]: a shape in words", 0);
    await passes("tensor([1]); // {0, 1}: a set", 0);
  });

  test("a check inside a block runs; one never reached fails", async () => {
    await passes("for (const i of [1]) { i * 2; // 2\n}");
    await passes("for (const i of [1]) i * 2; // 2");
    await fails("if (Math.random() > 2) {\n  1; // 1\n}", "line 2: this check never ran");
    await passes("function f() { return 1; // 2\n}\nf();", 0);
  });

  test("an expectation comment attached to nothing fails", async () => {
    await fails("1;\n\n// → 2", "line 3: this expectation comment is not attached");
  });
});

describe("prints and throws", () => {
  test("prints compares the printed text, whitespace-insensitive, with … as a wildcard", async () => {
    await passes('console.log("hello", 2); // prints hello 2');
    await passes('console.log("a\\n  b");\n// prints a\n//   b');
    await passes('for (const i of [1, 2]) console.log(`step ${i}`);\n// prints step 1\n// step 2');
    await passes('console.log("x = 12345 (done)"); // prints x = 12… (done)');
    await fails('console.log("hello"); // prints goodbye', "expected it to print\ngoodbye\nbut it printed\nhello");
    await fails('console.log("a"), console.log("b");\n// prints a', "but it printed\na\nb");
  });

  test("throws checks the error class and message", async () => {
    await passes('JSON.parse("{"); // throws SyntaxError');
    await passes("tensor([1, 2]).matmul(tensor([1, 2, 3])); // RangeError: matmul: …");
    await fails("tensor([1, 2]).sum(); // RangeError: sum", "but it did not throw");
    await passes("tensor([1, 2]).matmul(tensor([1, 2, 3])); // throws RangeError: matmul: …");
    await fails("tensor([1, 2]).matmul(tensor([1, 2, 3])); // throws TypeError", "expected it to throw TypeError, but it threw RangeError");
    await fails("1 + 1; // throws RangeError", "but it did not throw");
  });

  test("a snippet that throws fails", async () => {
    await fails("undefinedName.foo;", "the snippet threw ReferenceError: undefinedName is not defined");
  });
});

describe("imports and scope", () => {
  test("a snippet with imports sees only what it imports", async () => {
    const r = await runSnippet('import { tensor as t } from "tsgrad";\nt([1]).toArray(); // [1]', {
      scope: { ...tsgrad },
      importer: async () => tsgrad,
    });
    expect(r.failures).toEqual([]);
    const missing = await runSnippet('import { ones } from "tsgrad";\ntensor([1]);', { scope: { ...tsgrad }, importer: async () => tsgrad });
    expect(missing.failures.join("\n")).toMatch("tensor is not defined");
  });

  test("a snippet may shadow a name of the implicit scope", async () => {
    await passes("const tensor = 3;\ntensor; // 3");
  });
});

describe("extraction", () => {
  test("TSDoc: fenced @example blocks, inline examples, and skip markers", () => {
    const text = [
      "/**",
      " * Doubles.",
      " *",
      " * @example",
      " * ```ts",
      " * double(2); // 4",
      " * ```",
      " * @example",
      " * ```ts",
      " * // doctest: skip (needs a browser)",
      " * document.title;",
      " * ```",
      " */",
      "/** Halves. @example `half(4)` */",
      "/** Not an example:",
      " * ```ts",
      " * ignored();",
      " * ```",
      " */",
    ].join("\n");
    const snippets = tsdocSnippets("a.ts", text, "@tsgrad/core");
    expect(snippets.map((s) => [s.line, s.code, s.skip])).toEqual([
      [6, "double(2); // 4", null],
      [10, "// doctest: skip (needs a browser)\ndocument.title;", "needs a browser"],
      [14, "half(4)", null],
    ]);
  });

  test("markdown: ts fences, html markers, other languages ignored", () => {
    const text = ["# T", "```ts", "a(); // 1", "```", "```sh", "ls", "```", "<!-- doctest: continue -->", "", "```ts", "b();", "```"].join("\n");
    const snippets = markdownSnippets("d.md", text);
    expect(snippets.map((s) => [s.line, s.code, s.continues])).toEqual([
      [3, "a(); // 1", false],
      [11, "b();", true],
    ]);
  });
});
