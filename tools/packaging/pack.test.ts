/**
 * Packages a user can install (issue 11): `pnpm pack` every package (prepack builds ESM + CJS +
 * .d.ts, `workspace:^` becomes a caret range), install the tarballs into a fresh project with plain
 * npm (offline: tsgrad has no third-party dependency), and use them there as a user would:
 * - a training script as ESM (.mjs) and as CommonJS (.cjs), each reaching >= 90% on moons, with
 *   `save` / `load` from `tsgrad/node`;
 * - the same script in TypeScript, checked by `tsc --strict` with `skipLibCheck: false` under
 *   node16, nodenext and bundler resolution;
 * - a Vite app: a page whose Web Worker imports `tsgrad`, built by Vite from the installed
 *   tarballs and opened in Chromium, trains.
 * Each tarball also passes `@arethetypeswrong/cli` (types for every entry under node10, node16 from
 * ESM and from CJS, and bundler) and `publint` (suggestions included), and carries the metadata.
 */
import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, serveDirectory } from "../browser/chromium.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const TSC = join(root, "node_modules/typescript/bin/tsc");
const ATTW = join(root, "node_modules/@arethetypeswrong/cli/dist/index.js");
let dir = "";
let app = "";
let tarballs: string[] = [];

/** How a training script gets the trained weights into a fresh copy, and says what it found. */
interface Ending { roundTrip: string; report: (result: string) => string }
const IN_NODE: Ending = {
  roundTrip: 'save(model.stateDict(), "model.json");\ncopy.loadStateDict(load("model.json") as Record<string, tg.Tensor>);',
  report: (result) => `console.log(JSON.stringify(${result}));`,
};

const TRAIN = (imports: string, ending: Ending = IN_NODE) => `${imports}
tg.manualSeed(0);
const { X, y } = tg.data.makeMoons({ nSamples: 400, noise: 0.2, randomState: 0 });
const target = y.float().unsqueeze(1);
const model = new tg.nn.Sequential(new tg.nn.Linear(2, 16), new tg.nn.ReLU(), new tg.nn.Linear(16, 1));
const opt = new tg.optim.Adam(model.parameters(), { lr: 0.05 });
for (let step = 0; step < 150; step++) {
  opt.zeroGrad();
  tg.losses.binaryCrossEntropyWithLogits(model.forward(X), target).backward();
  opt.step();
}
const copy = new tg.nn.Sequential(new tg.nn.Linear(2, 16), new tg.nn.ReLU(), new tg.nn.Linear(16, 1));
${ending.roundTrip}
const accuracy = tg.noGrad(() => copy.forward(X).gt(0).float().eq(target).float().mean().item());
${ending.report('{ accuracy, printed: copy.toString().split("\\n")[0], mode: tg.getKernelMode() }')}
`;
const untyped = (source: string): string => source.replaceAll(" as Record<string, tg.Tensor>", "");

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "tsgrad-pack-"));
  const destination = join(dir, "tarballs");
  mkdirSync(destination);
  execFileSync("pnpm", ["-r", "--filter", "./packages/*", "pack", "--pack-destination", destination], { cwd: root, stdio: "pipe" });
  app = join(dir, "app");
  mkdirSync(app);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", version: "1.0.0", private: true }));
  tarballs = readdirSync(destination).map((f) => join(destination, f));
  execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--loglevel=error", ...tarballs], { cwd: app, stdio: "pipe" });
}, 420_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const run = (file: string): { accuracy: number; printed: string } =>
  JSON.parse(execFileSync(process.execPath, [file], { cwd: app, encoding: "utf8" }).trim().split("\n").pop()!) as { accuracy: number; printed: string };

describe("the packed tarballs, installed with npm into a fresh project", () => {
  it("have workspace:^ rewritten to caret ranges, dist built, and a README", () => {
    const pkg = JSON.parse(readFileSync(join(app, "node_modules/tsgrad/package.json"), "utf8")) as { dependencies: Record<string, string> };
    expect(Object.values(pkg.dependencies).every((v) => /^\^\d/.test(v)), JSON.stringify(pkg.dependencies)).toBe(true);
    for (const p of ["tsgrad", "@tsgrad/core", "@tsgrad/nn"]) {
      const files = readdirSync(join(app, "node_modules", p, "dist"));
      expect(files).toContain("index.cjs");
      expect(files).toContain("index.d.ts");
      expect(readdirSync(join(app, "node_modules", p))).toContain("README.md");
    }
  });

  it("share one copy of @tsgrad/core: the internal dependencies are caret ranges npm deduplicates", () => {
    const nested = ["tsgrad", "@tsgrad/nn", "@tsgrad/losses", "@tsgrad/optim", "@tsgrad/data"]
      .filter((p) => existsSync(join(app, "node_modules", p, "node_modules")));
    expect(nested).toEqual([]);
    for (const p of ["nn", "losses", "optim", "data"]) {
      const pkg = JSON.parse(readFileSync(join(app, "node_modules/@tsgrad", p, "package.json"), "utf8")) as { dependencies: Record<string, string> };
      expect(pkg.dependencies["@tsgrad/core"]).toBe("^0.1.0");
    }
  });

  it("carry the metadata: description, keywords, license, engines, files, sideEffects", () => {
    for (const p of ["tsgrad", "@tsgrad/core", "@tsgrad/nn", "@tsgrad/losses", "@tsgrad/optim", "@tsgrad/data"]) {
      const pkg = JSON.parse(readFileSync(join(app, "node_modules", p, "package.json"), "utf8")) as Record<string, unknown>;
      expect(pkg.description, p).toMatch(/^tsgrad: /);
      expect((pkg.keywords as string[]).length, p).toBeGreaterThan(5);
      expect(pkg.license, p).toBe("MIT");
      expect(pkg.engines, p).toEqual({ node: ">=20" });
      expect(pkg.sideEffects, p).toBe(false);
      // No repository / homepage / bugs: the project has no public URL yet (README, "Releasing").
      expect(Object.keys(pkg).filter((k) => ["repository", "homepage", "bugs"].includes(k)), p).toEqual([]);
    }
  });

  it("pass publint (suggestions included) and @arethetypeswrong/cli (every entry, every resolution)", async () => {
    const lint = await Promise.all(tarballs.map(async (t) => {
      const buffer = readFileSync(t);
      const { messages, pkg } = await publint({ pack: { tarball: buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) }, level: "suggestion", strict: true });
      return messages.map((m) => `${t}: ${m.type}: ${formatMessage(m, pkg) ?? m.code}`);
    }));
    expect(lint.flat()).toEqual([]);
    const attw = await Promise.all(tarballs.map(async (t) => {
      const out = await promisify(execFile)(process.execPath, [ATTW, t, "--format", "json"]).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? "" }));
      const report = JSON.parse(out.stdout) as { analysis: { packageName: string; entrypoints: Record<string, unknown> }; problems: Record<string, unknown[]> };
      return { name: report.analysis.packageName, entries: Object.keys(report.analysis.entrypoints), problems: report.problems };
    }));
    for (const { name, problems } of attw) expect(problems, name).toEqual({});
    expect(attw.find((a) => a.name === "tsgrad")?.entries).toEqual([".", "./node", "./package.json"]);
  }, 240_000);

  it("train from ESM (.mjs)", () => {
    writeFileSync(join(app, "train.mjs"), untyped(TRAIN('import * as tg from "tsgrad";\nimport { save, load } from "tsgrad/node";')));
    const out = run("train.mjs");
    expect(out.accuracy).toBeGreaterThan(0.9);
    expect(out.printed).toBe("Sequential(");
  });

  it("train from CommonJS (.cjs)", () => {
    writeFileSync(join(app, "train.cjs"), untyped(TRAIN('const tg = require("tsgrad");\nconst { save, load } = require("tsgrad/node");')));
    const out = run("train.cjs");
    expect(out.accuracy).toBeGreaterThan(0.9);
  });

  it.each([["node16", "node16"], ["nodenext", "nodenext"], ["esnext", "bundler"]])(
    "type-check in TypeScript (module %s, moduleResolution %s, strict, skipLibCheck false)",
    (module, resolution) => {
      const sub = join(app, `ts-${resolution}`);
      mkdirSync(sub, { recursive: true });
      writeFileSync(join(sub, "train.mts"), TRAIN('import * as tg from "tsgrad";\nimport { save, load } from "tsgrad/node";'));
      writeFileSync(join(sub, "tsconfig.json"), JSON.stringify({
        compilerOptions: { target: "es2022", module, moduleResolution: resolution, strict: true, skipLibCheck: false, noEmit: true, types: [], lib: ["es2022", "dom"] },
        files: ["train.mts"],
      }));
      expect(tsc(sub)).toBe("");
    },
  );

  it("`import { save } from \"tsgrad\"` type-checks where TypeScript resolves for Node (node16, or bundler with customConditions [\"node\"]), not under plain bundler resolution", () => {
    const check = (name: string, compilerOptions: Record<string, unknown>): string => {
      const sub = join(app, `save-${name}`);
      mkdirSync(sub, { recursive: true });
      writeFileSync(join(sub, "save.mts"), 'import { save } from "tsgrad";\nsave({}, "x.json");\n');
      writeFileSync(join(sub, "tsconfig.json"), JSON.stringify({
        compilerOptions: { target: "es2022", strict: true, skipLibCheck: false, noEmit: true, types: [], lib: ["es2022"], ...compilerOptions },
        files: ["save.mts"],
      }));
      return tsc(sub);
    };
    expect(check("node16", { module: "node16", moduleResolution: "node16" })).toBe("");
    expect(check("bundler-node", { module: "esnext", moduleResolution: "bundler", customConditions: ["node"] })).toBe("");
    // Plain bundler resolution is resolution for the browser: `save` is in tsgrad/node only (docs/browser.md).
    expect(check("bundler", { module: "esnext", moduleResolution: "bundler" })).toMatch(/error TS2305: Module '"tsgrad"' has no exported member 'save'/);
  });

  it("build into a Vite app whose Web Worker trains, in Chromium (as is and under the strict CSP)", async () => {
    const site = join(app, "vite-app");
    mkdirSync(site);
    writeFileSync(join(site, "index.html"), '<!doctype html><meta charset="utf-8"><title>a Vite app</title><script type="module" src="./main.js"></script>\n');
    writeFileSync(join(site, "main.js"), `
const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
worker.onmessage = (e) => { window.__result = e.data; };
worker.onerror = (e) => { window.__result = { error: e.message }; };
`);
    // In a worker: the weights round-trip through serialize / deserialize (file IO is Node-only), the result is posted.
    writeFileSync(join(site, "worker.js"), untyped(TRAIN('import * as tg from "tsgrad";', {
      roundTrip: "copy.loadStateDict(tg.deserialize(tg.serialize(model.stateDict())) as Record<string, tg.Tensor>);",
      report: (result) => `postMessage(${result});`,
    })));
    await build({ root: site, configFile: false, logLevel: "silent", mode: "production", base: "./", build: { outDir: join(site, "dist") } });
    const server = await serveDirectory(join(site, "dist"));
    const chromium = await launchChromium();
    try {
      for (const [path, mode] of [["/", "compiled"], ["/csp/", "interpreted"]]) {
        const page = await chromium.context.newPage();
        await page.goto(server.url + path);
        await page.waitForFunction(() => (window as { __result?: unknown }).__result !== undefined, null, { timeout: 60_000 });
        const out = (await page.evaluate(() => (window as { __result?: unknown }).__result)) as { accuracy: number; printed: string; mode: string; error?: string };
        await page.close();
        expect(out.error, path).toBeUndefined();
        expect(out.mode, path).toBe(mode);
        expect(out.printed, path).toBe("Sequential(");
        expect(out.accuracy, path).toBeGreaterThan(0.9);
      }
    } finally {
      await chromium.close();
      server.close();
    }
  }, 180_000);
});

/** tsc's output for the project in `sub` ("" when it type-checks). */
function tsc(sub: string): string {
  try {
    return execFileSync(process.execPath, [TSC, "-p", sub], { cwd: app, encoding: "utf8" });
  } catch (e) {
    return (e as { stdout?: string }).stdout ?? String(e);
  }
}
