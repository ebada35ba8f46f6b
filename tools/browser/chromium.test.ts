/// <reference lib="dom" />
/**
 * The browser tests (issue 11), in Debian's Chromium driven by playwright-core (never a browser
 * download): the browser subset of the unit tests, unchanged (page.ts lists them), plus
 * in-browser.ts, run in a page served from 127.0.0.1, twice:
 * - as is: the kernels are compiled with new Function;
 * - under `Content-Security-Policy: script-src 'self' 'wasm-unsafe-eval'`: eval is refused, tsgrad
 *   must still import, pick the interpreted kernels by itself and pass the same tests.
 * Both pages then train the moons workload, which must give the very losses Node gives, bit for bit,
 * on the same build of the GEMM kernels: Chromium has relaxed SIMD, so its products use fused
 * multiply-adds, and Node's reference is computed with --experimental-wasm-relaxed-simd.
 */
import { existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext } from "playwright-core";
import { browserTestFiles, bundleScriptTag, bundleTestPage } from "./bundle.js";
import { CSP, launchChromium, nodeWorkload, pageResult } from "./chromium.js";
import type { trainMoons } from "./workload.js";
import type { Result } from "./vitest-shim.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
let server: Server;
let base = "";
let context: BrowserContext;
let closeChromium: (() => Promise<void>) | undefined;

/** Serves the page (/ and /csp), its script, and the repository's test fixtures (JSON under /repo/, read-only). */
function serve(script: string, scriptTag: string): Promise<Server> {
  const html = `<!doctype html><meta charset="utf-8"><title>tsgrad browser tests</title><body>running…<script type="module" src="/page.js"></script>`;
  // A page that uses tsgrad.min.js from a classic <script> tag, under the strict CSP.
  const scriptPage = `<!doctype html><meta charset="utf-8"><title>tsgrad by script tag</title><body><script src="/tsgrad.min.js"></script><script src="/script-main.js"></script>`;
  const scriptMain = `
    const tg = globalThis.tsgrad;
    tg.manualSeed(0);
    const model = new tg.nn.Sequential(new tg.nn.Linear(2, 8), new tg.nn.Tanh(), new tg.nn.Linear(8, 1));
    const opt = new tg.optim.SGD(model.parameters(), { lr: 0.1 });
    const x = tg.randn([64, 2]);
    const y = x.sum(1, true);
    const losses = [];
    for (let i = 0; i < 50; i++) { opt.zeroGrad(); const l = tg.losses.mseLoss(model.forward(x), y); l.backward(); opt.step(); losses.push(l.item()); }
    window.__script = { printed: model.toString(), mode: tg.getKernelMode(), first: losses[0], last: losses[49] };`;
  const s = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const js = { "content-type": "text/javascript; charset=utf-8" };
    if (url.pathname === "/" || url.pathname === "/csp" || url.pathname === "/script") {
      const headers: Record<string, string> = { "content-type": "text/html; charset=utf-8" };
      if (url.pathname !== "/") headers["content-security-policy"] = CSP;
      res.writeHead(200, headers).end(url.pathname === "/script" ? scriptPage : html);
    } else if (url.pathname === "/favicon.ico") {
      res.writeHead(204).end();
    } else if (url.pathname === "/page.js") {
      res.writeHead(200, js).end(script);
    } else if (url.pathname === "/tsgrad.min.js") {
      res.writeHead(200, js).end(scriptTag);
    } else if (url.pathname === "/script-main.js") {
      res.writeHead(200, js).end(scriptMain);
    } else if (url.pathname.startsWith("/repo/") && url.pathname.endsWith(".json")) {
      const path = normalize(join(root, decodeURIComponent(url.pathname.slice("/repo/".length))));
      if (!path.startsWith(root) || !existsSync(path)) res.writeHead(404).end();
      else res.writeHead(200, { "content-type": "application/json" }).end(readFileSync(path));
    } else {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => s.listen(0, "127.0.0.1", () => resolve(s)));
}

beforeAll(async () => {
  server = await serve(await bundleTestPage(), await bundleScriptTag());
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  ({ context, close: closeChromium } = await launchChromium());
}, 120_000);

afterAll(async () => {
  await closeChromium?.();
  server?.close();
});

interface PageRun {
  results: Result[];
  kernelMode: string;
  gemmKernel: string | null;
  moons: ReturnType<typeof trainMoons>;
  ms: number;
  console: string[];
}

const runPage = (path: string): Promise<PageRun> => pageResult<Omit<PageRun, "console">>(context, `${base}${path}`, "__tsgrad", 150_000);

function expectAllPassed(run: PageRun): void {
  const failed = run.results.filter((r) => r.status === "failed");
  expect(failed.map((r) => `${r.file} > ${r.name}\n${r.error}`), run.console.join("\n")).toEqual([]);
  const files = new Set(run.results.map((r) => r.file));
  expect(files.size).toBe(browserTestFiles().length + 1 - (run.kernelMode === "compiled" ? 0 : 1));
  expect(run.results.filter((r) => r.status === "passed").length).toBeGreaterThan(500);
}

describe("in Chromium", () => {
  // Chromium validates relaxed SIMD, so its GEMM runs the fused build; Node's reference runs it too.
  const node = nodeWorkload("moons", "relaxed-simd");

  it("the browser subset of the unit tests passes, with compiled kernels and fused multiply-adds, and trains like Node", async () => {
    const run = await runPage("/");
    expect(run.kernelMode).toBe("compiled");
    expect(run.gemmKernel).toBe("relaxed-simd");
    expectAllPassed(run);
    expect(run.moons).toEqual(node);
    expect(node.accuracy).toBeGreaterThan(0.9);
    console.log(`chromium: ${run.results.length} tests in ${run.ms.toFixed(0)} ms (compiled kernels)`);
  }, 180_000);

  it(`under "${CSP}" tsgrad imports, picks the interpreted kernels, passes the same tests and trains to the same bits`, async () => {
    const run = await runPage("/csp");
    expect(run.kernelMode).toBe("interpreted");
    expect(run.gemmKernel).toBe("relaxed-simd");
    expectAllPassed(run);
    expect(run.moons).toEqual(node);
    // The one refused eval is tsgrad's own check (canEval); nothing else tried.
    const refusals = run.console.filter((m) => /unsafe-eval|Content Security Policy/i.test(m));
    expect(refusals.length).toBeLessThanOrEqual(1);
    console.log(`chromium under CSP: ${run.results.length} tests in ${run.ms.toFixed(0)} ms (interpreted kernels)`);
  }, 180_000);

  it("tsgrad.min.js from a <script> tag, under the same CSP, sets the global tsgrad, trains and prints real class names", async () => {
    const page = await context.newPage();
    await page.goto(`${base}/script`);
    await page.waitForFunction(() => (window as { __script?: unknown }).__script !== undefined, null, { timeout: 60_000 });
    const out = (await page.evaluate(() => (window as { __script?: unknown }).__script)) as { printed: string; mode: string; first: number; last: number };
    await page.close();
    expect(out.mode).toBe("interpreted");
    expect(out.printed).toBe("Sequential(\n  (0): Linear(inFeatures=2, outFeatures=8, bias=true)\n  (1): Tanh()\n  (2): Linear(inFeatures=8, outFeatures=1, bias=true)\n)");
    expect(out.last).toBeLessThan(out.first / 10);
  }, 90_000);
});
