/**
 * CSP-safe kernels (issue 11): where `new Function` is forbidden, elementwise kernels run
 * interpreted (kernels/expr.ts) and must compute the same bits. Three checks:
 * - a workload over every dual method of the functional table, the activations and a training
 *   step gives bit-identical tensors (values and gradients) on both paths;
 * - every kernel that workload built is run on both paths over special values (±0, ±Infinity, NaN,
 *   huge, tiny, int32 extremes), broadcast, transposed and 0-d inputs, and compared bit for bit;
 * (packages/tsgrad/test/eval-forbidden.test.ts trains with `Function` made to throw.)
 */
import { afterAll, describe, expect, it } from "vitest";
import * as core from "@tsgrad/core";
import { Tensor, tensor, setKernelMode, getKernelMode, type NestedArray, type DType } from "@tsgrad/core";
import { DUAL_METHODS, SAMPLES, type DualRow } from "../src/functional-table.js";
import { builtKernels, unaryKernel, binaryKernel, ternaryKernel, gradientKernel, UNARY, BINARY, TERNARY, GRADIENT } from "../src/kernels/elementwise.js";
import { compileExpression } from "../src/kernels/expr.js";

afterAll(() => setKernelMode("auto"));

function samples(dtype: DType): Record<string, Tensor> {
  return Object.fromEntries(
    Object.entries(SAMPLES).map(([name, [values, kind]]) => {
      const t = tensor(values as unknown as NestedArray, { dtype: kind === "float32" ? dtype : (kind as DType) });
      return [name, kind === "float32" ? t.requiresGrad_(true) : t];
    }),
  );
}

/** Every tensor a call produced, and the gradients of its float inputs through the sum of its float outputs. */
function runWorkload(): Tensor[] {
  const out: Tensor[] = [];
  for (const dtype of ["float32", "float64"] as const) {
    for (const [name, row] of Object.entries(DUAL_METHODS) as Array<[string, DualRow]>) {
      const s = samples(dtype);
      const args = row.args.map((a) => (typeof a === "string" && Object.hasOwn(s, a) ? s[a] : a));
      let result: unknown;
      try {
        result = Reflect.apply(Reflect.get(Tensor.prototype, name) as () => unknown, s[row.input ?? "x"], args);
      } catch {
        continue; // the same call throws on both paths; the kernels it reached are still compared below
      }
      const list = result instanceof Tensor ? [result] : result !== null && typeof result === "object" && Symbol.iterator in result ? [...(result as Iterable<unknown>)] : [];
      const tensors = list.filter((t): t is Tensor => t instanceof Tensor);
      out.push(...tensors);
      const floats = tensors.filter((t) => t.requiresGrad);
      if (floats.length) {
        try {
          floats.map((t) => t.sum()).reduce((a, b) => a.add(b)).backward();
        } catch {
          continue; // an op PyTorch does not differentiate (floorDivide): its backward throws on both paths
        }
        for (const t of Object.values(s)) if (t.grad) out.push(t.grad);
      }
    }
  }
  // Activations built with elementwiseOp (nn), and a fused backward through each.
  const x = tensor([[-3, -0.5, 0, 0.5, 3, 40, -40]], { requiresGrad: true });
  for (const f of [(t: Tensor) => t.sigmoid(), (t: Tensor) => t.tanh(), (t: Tensor) => t.relu(), (t: Tensor) => t.clamp(-1, 1), (t: Tensor) => t.abs(), (t: Tensor) => t.erf()]) {
    x.grad = null;
    const y = f(x);
    y.sum().backward();
    out.push(y, x.grad!);
  }
  return out;
}

function sameBits(a: Tensor, b: Tensor, what: string): void {
  expect([b.dtype, b.shape], what).toEqual([a.dtype, a.shape]);
  const [u, v] = [Array.from(a.dataSync()), Array.from(b.dataSync())];
  const differ = u.findIndex((value, i) => !Object.is(value, v[i]));
  expect(differ, `${what}: element ${differ} is ${u[differ]} compiled, ${v[differ]} interpreted`).toBe(-1);
}

describe("the interpreted kernels compute what the compiled ones do", () => {
  it("this runtime allows new Function, so the automatic choice is the compiled path", () => {
    expect(getKernelMode()).toBe("compiled");
  });

  it("a workload over every dual method, activations and gradients gives the same bits on both paths", () => {
    setKernelMode("compiled");
    const compiled = runWorkload();
    setKernelMode("interpreted");
    const interpreted = runWorkload();
    setKernelMode("auto");
    expect(interpreted.length).toBe(compiled.length);
    compiled.forEach((t, i) => sameBits(t, interpreted[i], `result ${i}`));
    expect(builtKernels("interpreted").length).toBeGreaterThan(40);
  });

  it("every kernel built so far agrees bit for bit on special values, broadcast, transposed and 0-d inputs", () => {
    const V = [0, -0, 1, -1, 0.5, -2.5, 3, 1e-300, -1e300, Infinity, -Infinity, NaN, 2147483647, -2147483648, 1e-45, 88.7];
    const n = V.length;
    const kernels = { [UNARY.join()]: unaryKernel, [BINARY.join()]: binaryKernel, [TERNARY.join()]: ternaryKernel, [GRADIENT.join()]: gradientKernel };
    const built = builtKernels("compiled");
    expect(built.length).toBeGreaterThan(40);
    const rotated = (r: number) => new Float64Array(V.map((_, i) => V[(i + r) % n]));
    let compared = 0;
    for (const { names, expr } of built) {
      const make = kernels[names.join()] as (e: string) => (...a: unknown[]) => void;
      // Kernels other test files built in this process (in the browser page, all files share one)
      // may be deliberately outside the subset (a global assigned in sloppy compiled code); the
      // workload above ran every one of its kernels on both paths already.
      setKernelMode("interpreted");
      try {
        make(expr);
      } catch {
        continue;
      }
      compared++;
      const run = (mode: "compiled" | "interpreted", p: number, q: number, layout: "flat" | "outer" | "scalar"): Float64Array => {
        setKernelMode(mode);
        const k = make(expr);
        const inputs = names.map((_, i) => rotated(i * 5));
        if (layout === "scalar") {
          const out = new Float64Array(1);
          k(out, ...inputs.flatMap((a) => [a, 3, []]), [], p, q);
          return out;
        }
        if (layout === "flat") {
          const out = new Float64Array(n);
          k(out, ...inputs.flatMap((a) => [a, 0, [1]]), [n], p, q);
          return out;
        }
        // [n, n]: input 0 along rows (stride [1, 0]), the others along columns, one transposed.
        const out = new Float64Array(n * n);
        k(out, ...inputs.flatMap((a, i) => [a, 0, i === 0 ? [1, 0] : [0, 1]]), [n, n], p, q);
        return out;
      };
      for (const [p, q] of [[0, 0], [0.5, 2], [-1, 1], [2, -3], [1, Infinity]]) {
        for (const layout of ["flat", "outer", "scalar"] as const) {
          const a = run("compiled", p, q, layout);
          const b = run("interpreted", p, q, layout);
          const differ = Array.from(a).findIndex((value, i) => !Object.is(value, b[i]));
          expect(differ, `${names.join(",")} "${expr}" (p=${p}, q=${q}, ${layout}): element ${differ} is ${a[differ]} compiled, ${b[differ]} interpreted`).toBe(-1);
        }
      }
    }
    expect(compared).toBeGreaterThan(40);
    setKernelMode("auto");
  });
});

describe("the expression interpreter", () => {
  const slots = new Map([["x", 0], ["y", 1], ["p", 2], ["q", 3], ["t", 4], ["u", 5]]);
  const evaluate = (src: string, x = 0, y = 0): unknown => {
    const vars: unknown[] = [x, y, 2, 3, 0, 0];
    return compileExpression(src, slots, vars, { erf: (v: number) => v * 10 })();
  };

  it("follows JavaScript's precedence, associativity and operators", () => {
    const cases: Array<[string, number, number]> = [
      ["1 + 2 * 3 - 4 / 2", 0, 0], ["2 ** 3 ** 2", 0, 0], ["(2 ** 3) ** 2", 0, 0], ["-x ** 2".replace("-x", "(-x)"), 3, 0],
      ["x - y - 1", 5, 2], ["x / y / 2", 8, 2], ["x % y", -7, 3], ["x > 0 ? x : y > 0 ? y : p", -1, 4], ["x < y === y > x", 1, 2],
      ["x & y | 1 ^ 6", 12, 10], ["x << 2 >> 1 >>> 0", -5, 0], ["~x", 5, 0], ["!x", 0, 0], ["+true", 0, 0], ["x !== x ? 1 : 0", NaN, 0],
      ["(t = x * 2, u = t + 1, t * u)", 3, 0], ["(t = x, t += 2, t *= y, t)", 1, 4], ["x || y", 0, 7], ["x && y", 0, 7], ["x ?? y", 0, 7],
      ["Math.max(x, y, p)", 1, 9], ["Math.min(Math.max(x, p), q)", 10, 0], ["erf(x) + Math.PI", 1, 0], ["Number.EPSILON * 0 + 1e-3 + .5 + 0x10", 0, 0],
      ["x == y", 1, 1], ["x != y", 1, 1], ["x >= p && x <= q ? 1 : 0", 2.5, 0], ["1 / x", -0, 0], ["-x", 0, 0], ["2 * x", -0, 0], ["1 - y", 0, 1],
    ];
    for (const [src, x, y] of cases) {
      const expected = new Function("x", "y", "p", "q", "erf", `let t = 0, u = 0; return (${src});`)(x, y, 2, 3, (v: number) => v * 10);
      expect(Object.is(evaluate(src, x, y), expected), `${src} with x=${x}, y=${y}: ${String(evaluate(src, x, y))} vs ${String(expected)}`).toBe(true);
    }
  });

  it("rejects what is outside the subset, naming where", () => {
    expect(() => evaluate("x +")).toThrow(/expected a value at 3 \(end of input\)/);
    expect(() => evaluate("x = 1")).toThrow(/cannot assign to "x"/);
    expect(() => evaluate("-x ** 2")).toThrow(/a unary operator before \*\* needs parentheses/);
    expect(() => evaluate("alert(1)")).toThrow(ReferenceError);
    expect(() => evaluate("x; y")).toThrow(/unexpected character ";"/);
    expect(() => evaluate("Math.nope(x)")).toThrow("Math.nope is not defined");
    expect(() => evaluate("x y")).toThrow(/unexpected token at 2, found "y"/);
  });

  it("elementwiseOp reports an expression outside the subset when it is built, on the interpreted path", () => {
    setKernelMode("interpreted");
    try {
      expect(() => core.elementwiseOp({ name: "bad", expr: "x +", grad: (g) => g })).toThrow(/elementwiseOp: bad: the forward expression "x \+" does not compile \(expected a value/);
      const softsign = core.elementwiseOp({ name: "softsign", expr: "x / (1 + Math.abs(x))", grad: (g, x) => g.div(x.abs().add(1).square()) });
      expect(softsign(tensor([-1, 3])).toArray()).toEqual([-0.5, 0.75]);
    } finally {
      setKernelMode("auto");
    }
  });

  it("setKernelMode checks its argument", () => {
    expect(() => setKernelMode("fast" as never)).toThrow('setKernelMode: mode must be "auto", "compiled" or "interpreted", got "fast"');
  });
});
