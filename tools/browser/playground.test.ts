/// <reference lib="dom" />
/**
 * The playground (examples/playground), built by Vite as `pnpm playground` builds it, served from
 * 127.0.0.1 and used in Debian's Chromium as a person would: a click on "train" trains the moons
 * to >= 95% test accuracy in the Web Worker (a screenshot is kept in artifacts/ for CI), a
 * mismatched pairing shows the article's warning, and the page trains under the strict CSP too.
 * No request leaves 127.0.0.1: the built files are the whole site (no CDN, system fonts).
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HIDDEN_ACTIVATIONS } from "../../examples/playground/src/pairings.js";
import { launchChromium, serveDirectory } from "./chromium.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const ARTIFACTS = join(root, "artifacts");
let out = "";
let server: Awaited<ReturnType<typeof serveDirectory>>;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
const outside: string[] = [];

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), "tsgrad-playground-"));
  await build({ configFile: join(root, "examples/playground/vite.config.ts"), logLevel: "silent", mode: "production", build: { outDir: out } });
  server = await serveDirectory(out);
  chromium = await launchChromium();
  await chromium.context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === "127.0.0.1") return route.continue();
    outside.push(url.href);
    return route.abort();
  });
}, 120_000);

afterAll(async () => {
  await chromium?.close();
  server?.close();
  if (out) rmSync(out, { recursive: true, force: true });
});

async function open(path: string): Promise<{ page: Page; errors: string[] }> {
  const page = await chromium.context.newPage();
  await page.setViewportSize({ width: 1080, height: 900 });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  await page.goto(server.url + path);
  return { page, errors };
}

/** Clicks "train" and waits for the run to end; its last metrics. */
async function train(page: Page): Promise<{ state: string; test: number; train: number; step: number; mode: string; text: string }> {
  await page.click("#train");
  await page.waitForSelector('body[data-state="done"], body[data-state="error"]', { timeout: 90_000 });
  return page.evaluate(() => {
    const m = document.getElementById("metrics")!;
    return {
      state: document.body.dataset.state!, text: m.textContent ?? "", mode: m.dataset.kernelMode ?? "",
      test: Number(m.dataset.testMetric), train: Number(m.dataset.trainMetric), step: Number(m.dataset.step),
    };
  });
}

describe("the playground in Chromium", () => {
  it("offers every activation layer of tsgrad's nn as the hidden activation (Softmax2d aside: it is for images)", () => {
    const source = readFileSync(join(root, "packages/nn/src/activation.ts"), "utf8");
    const layers = [...source.matchAll(/^export class (\w+) extends (?:Module|AlongDim)\b/gm)].map((m) => m[1]);
    expect(layers.length).toBeGreaterThan(25);
    expect(layers.filter((l) => l !== "Softmax2d" && !(HIDDEN_ACTIVATIONS as readonly string[]).includes(l))).toEqual([]);
  });

  it("keeps tsgrad out of the page's own script: the training is all in the worker's", () => {
    const assets = readdirSync(join(out, "assets")).filter((f) => f.endsWith(".js"));
    const page = assets.filter((f) => f.startsWith("index-"));
    const worker = assets.filter((f) => f.startsWith("worker-"));
    expect([page.length, worker.length]).toEqual([1, 1]);
    expect(readFileSync(join(out, "index.html"), "utf8")).toContain(`assets/${page[0]}`);
    const text = (f: string) => readFileSync(join(out, "assets", f), "utf8");
    expect(text(page[0])).not.toContain("StepBackward0"); // a name from tsgrad's autograd
    expect(text(worker[0])).toContain("StepBackward0");
    expect(text(page[0]).length).toBeLessThan(30_000);
  });

  it("a click on train trains the moons to >= 95% test accuracy in the worker, drawing as it goes", async () => {
    const { page, errors } = await open("/");
    const result = await train(page);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, "playground-moons.png"), fullPage: true });
    const drawn = await page.evaluate(() => {
      const c = document.getElementById("plot") as HTMLCanvasElement;
      const pixels = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
      let tinted = 0;
      for (let i = 0; i < pixels.length; i += 4) if (pixels[i] !== pixels[i + 2]) tinted++;
      return tinted / (pixels.length / 4);
    });
    await page.close();
    expect(errors).toEqual([]);
    expect(result.state, result.text).toBe("done");
    expect(result.step).toBe(300);
    expect(result.test, result.text).toBeGreaterThanOrEqual(0.95);
    expect(result.mode).toBe("compiled");
    expect(drawn).toBeGreaterThan(0.5); // the decision regions cover the plot
    console.log(`playground: moons ${result.text}`);
  }, 120_000);

  it("switching to a mismatched pairing shows the article's warning, and a matched one hides it", async () => {
    const { page } = await open("/");
    expect(await page.isVisible("#warning")).toBe(false);
    await page.selectOption("#dataset", "spiral");
    await page.selectOption("#loss", "mse"); // softmax output, MSE
    expect(await page.isVisible("#warning")).toBe(true);
    expect(await page.textContent("#warning")).toMatch(/^Mismatched pairing\. MSE on a softmax output: .*vanishes when the output saturates/);
    await page.selectOption("#dataset", "moons");
    await page.selectOption("#output", "linear"); // linear output, BCE
    expect(await page.textContent("#warning")).toMatch(/Binary cross-entropy on a linear output: .*needs a probability p in \[0, 1\]/);
    // Trained as is, BCE on a linear output fails as the warning says it does.
    const result = await train(page);
    expect(result.state).toBe("error");
    expect(result.text).toMatch(/binaryCrossEntropy: every input element must be between 0 and 1/);
    await page.selectOption("#output", "sigmoid");
    expect(await page.isVisible("#warning")).toBe(false);
    await page.close();
  }, 120_000);

  it(`under the strict CSP (script-src 'self' 'wasm-unsafe-eval') the page still trains, with the interpreted kernels`, async () => {
    const { page, errors } = await open("/csp/");
    const result = await train(page);
    await page.close();
    expect(result.state, result.text).toBe("done");
    expect(result.test).toBeGreaterThanOrEqual(0.95);
    expect(result.mode).toBe("interpreted");
    // The one refusal is tsgrad's own eval check (docs/browser.md).
    expect(errors.filter((e) => !/unsafe-eval|Content Security Policy/i.test(e))).toEqual([]);
    console.log(`playground under CSP: moons ${result.text}`);
  }, 120_000);

  it("loaded nothing from outside 127.0.0.1", () => {
    expect(outside).toEqual([]);
  });
});
