/**
 * Packages a user can install (issue 11): `pnpm pack` every package (prepack builds ESM + CJS +
 * .d.ts, `workspace:^` becomes a caret range), install the tarballs into a fresh project with plain
 * npm (offline: tsgrad has no third-party dependency), and use them there as a user would:
 * - a training script as ESM (.mjs) and as CommonJS (.cjs), each reaching >= 90% on moons, with
 *   `save` / `load` from `tsgrad/node`;
 * - the same script in TypeScript, checked by `tsc --strict` with `skipLibCheck: false` under
 *   node16, nodenext and bundler resolution.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const TSC = join(root, "node_modules/typescript/bin/tsc");
let dir = "";
let app = "";

const TRAIN = (imports: string) => `${imports}
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
save(model.stateDict(), "model.json");
const copy = new tg.nn.Sequential(new tg.nn.Linear(2, 16), new tg.nn.ReLU(), new tg.nn.Linear(16, 1));
copy.loadStateDict(load("model.json") as Record<string, tg.Tensor>);
const accuracy = tg.noGrad(() => copy.forward(X).gt(0).float().eq(target).float().mean().item());
console.log(JSON.stringify({ accuracy, printed: copy.toString().split("\\n")[0] }));
`;
const untyped = (source: string): string => source.replace(" as Record<string, tg.Tensor>", "");

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "tsgrad-pack-"));
  const tarballs = join(dir, "tarballs");
  mkdirSync(tarballs);
  execFileSync("pnpm", ["-r", "--filter", "./packages/*", "pack", "--pack-destination", tarballs], { cwd: root, stdio: "pipe" });
  app = join(dir, "app");
  mkdirSync(app);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", version: "1.0.0", private: true }));
  const files = readdirSync(tarballs).map((f) => join(tarballs, f));
  execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--loglevel=error", ...files], { cwd: app, stdio: "pipe" });
}, 300_000);

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
      try {
        execFileSync(process.execPath, [TSC, "-p", sub], { cwd: app, encoding: "utf8" });
      } catch (e) {
        throw new Error(`tsc failed:\n${(e as { stdout?: string }).stdout ?? String(e)}`);
      }
    },
  );
});
