// Printing and explicit names (issue 7, item 4): console.log shows toString() for every printable
// class, and names in prints and messages come from each class's own static typeName, so a
// minifying bundler (which renames classes) changes nothing.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { inspect } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import * as core from "@tsgrad/core";
import * as nn from "@tsgrad/nn";
import * as losses from "@tsgrad/losses";
import * as optim from "@tsgrad/optim";
import { printZoo } from "./fixtures/print-zoo.js";

// esbuild comes with tsx (a dev dependency) rather than as a direct one.
const requireFromTsx = createRequire(fileURLToPath(new URL("../../../node_modules/tsx/package.json", import.meta.url)));
const esbuild = requireFromTsx("esbuild") as { buildSync(options: object): { outputFiles: Array<{ text: string }> } };

const workDir = mkdtempSync(join(tmpdir(), "tsgrad-print-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function bundleAndRun(minify: boolean): Record<string, string> {
  const zoo = fileURLToPath(new URL("./fixtures/print-zoo.ts", import.meta.url));
  const result = esbuild.buildSync({
    stdin: { contents: `import { printZoo } from ${JSON.stringify(zoo)};\nconsole.log(JSON.stringify(printZoo()));`, resolveDir: workDir, loader: "ts" },
    bundle: true,
    minify,
    format: "esm",
    platform: "node",
    conditions: ["@tsgrad/source"],
    write: false,
    logLevel: "silent",
  });
  const file = join(workDir, minify ? "zoo.min.mjs" : "zoo.mjs");
  writeFileSync(file, result.outputFiles[0].text);
  return JSON.parse(execFileSync(process.execPath, [file], { encoding: "utf8" })) as Record<string, string>;
}

describe("explicit names survive minification", () => {
  it("a minified bundle prints models, losses, optimizers and messages exactly as the sources do", () => {
    const expected = printZoo();
    const minified = bundleAndRun(true);
    // The bundle really renamed the classes...
    expect(minified.constructorNames).not.toBe("Sequential,Linear");
    expect(expected.constructorNames).toBe("Sequential,Linear");
    // ...and nothing printed depends on that.
    const { constructorNames: _a, ...printedMinified } = minified;
    const { constructorNames: _b, ...printedSource } = expected;
    expect(printedMinified).toEqual(printedSource);
    expect(printedSource.model).toContain("(0): Linear(inFeatures=2, outFeatures=4, bias=true)");
    expect(printedSource.model).toContain("(6): SiLU()");
    expect(printedSource.criteria).toContain("(6): CrossEntropyLoss(labelSmoothing=0.1)");
    expect(printedSource.optimizerMessages).toMatch(/^SGD: /);
    expect(printedSource.schedulerMessages.split("\n").map((m) => m.split(":")[0])).toEqual(
      ["StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR", "LinearLR", "ReduceLROnPlateau"],
    );
  }, 60_000);

  // Bases users extend: their subclasses are named by their own class.
  const ABSTRACT_BASES = new Set(["Loss", "LRScheduler"]);
  const classesOf = (ns: Record<string, unknown>, base: Function): Array<[string, Function]> =>
    Object.entries(ns).filter((e): e is [string, Function] => typeof e[1] === "function" && e[1].prototype instanceof base);

  it.each([
    ["@tsgrad/nn", classesOf(nn, nn.Module)],
    ["@tsgrad/losses", classesOf(losses, nn.Module)],
    ["@tsgrad/optim", [...classesOf(optim, optim.Optimizer), ...classesOf(optim, optim.LRSchedulerBase)]],
  ])("every concrete class exported by %s declares its own typeName", (_, classes) => {
    expect(classes.length).toBeGreaterThan(3);
    for (const [exportName, cls] of classes) {
      if (exportName === "Swish" || ABSTRACT_BASES.has(exportName)) continue; // Swish is SiLU, printed as SiLU like PyTorch
      const own = Object.getOwnPropertyDescriptor(cls, "typeName")?.value;
      expect(own, `${exportName} needs: static override readonly typeName: string = "${exportName}";`).toBe(exportName);
    }
  });

  it("a user subclass is named by its own class, not by the built-in it extends", () => {
    class MyLinear extends nn.Linear {}
    class Named extends nn.Linear {
      static override readonly typeName: string = "Renamed";
    }
    expect(new MyLinear(1, 2).toString()).toBe("MyLinear(inFeatures=1, outFeatures=2, bias=true)");
    expect(new Named(1, 2).toString()).toBe("Renamed(inFeatures=1, outFeatures=2, bias=true)");
    expect(core.typeNameOf(new MyLinear(1, 1))).toBe("MyLinear");
  });
});

describe("console.log prints toString()", () => {
  const x = core.tensor([[1, 2], [3, 4]], { requiresGrad: true });
  const model = new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU());
  const cases: Array<[string, { toString(): string }]> = [
    ["Tensor", x],
    ["Tensor with a graph", x.mul(2)],
    ["Parameter", model.parameters()[0]],
    ["ValuesIndices", x.max(1)],
    ["Generator", new core.Generator(3)],
    ["Module", model],
    ["Loss", new losses.HuberLoss({ delta: 2 })],
    ["Optimizer", new optim.Adam(model.parameters(), { lr: 0.01 })],
    ["LR scheduler", new optim.StepLR(new optim.SGD(model.parameters(), { lr: 0.1 }), { stepSize: 5 })],
  ];
  it.each(cases)("%s", (_, value) => {
    expect(inspect(value)).toBe(value.toString());
    expect(inspect([value])).toContain(value.toString().split("\n")[0]);
  });

  it("does not import node:util: the hook is the registry symbol", () => {
    expect(core.inspectCustom).toBe(Symbol.for("nodejs.util.inspect.custom"));
    expect(inspect.custom).toBe(core.inspectCustom);
  });

  it("an optimizer prints its groups like PyTorch", () => {
    const [w, b] = model.parameters();
    const opt = new optim.SGD([{ params: [w] }, { params: [b], lr: 0.5 }], { lr: 0.1 });
    expect(opt.toString()).toBe(
      "SGD (\nParameter Group 0\n    dampening: 0\n    lr: 0.1\n    maximize: false\n    momentum: 0\n    nesterov: false\n    weightDecay: 0\n\n" +
        "Parameter Group 1\n    dampening: 0\n    lr: 0.5\n    maximize: false\n    momentum: 0\n    nesterov: false\n    weightDecay: 0\n)",
    );
    expect(new optim.Adam([w]).toString()).toContain("    betas: [0.9, 0.999]\n");
  });

  it("a scheduler prints its name and state, not its optimizer", () => {
    const sched = new optim.StepLR(new optim.SGD(model.parameters(), { lr: 0.1 }), { stepSize: 5, gamma: 0.5 });
    expect(sched.toString()).toMatch(/^StepLR\(.*stepSize=5, gamma=0.5/);
    expect(sched.toString()).toContain("lastLr=[0.1]");
    expect(sched.toString()).not.toContain("Parameter Group");
  });

  it("a generator prints its seed", () => {
    expect(new core.Generator(42).toString()).toBe("Generator(initialSeed=42)");
  });
});
