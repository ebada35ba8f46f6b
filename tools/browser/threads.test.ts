/// <reference lib="dom" />
/**
 * The thread pool in Chromium (issue 13): threads-page.ts, served from 127.0.0.1 in three ways:
 * - cross-origin isolated (`Cross-Origin-Opener-Policy: same-origin`,
 *   `Cross-Origin-Embedder-Policy: require-corp`): shared memory exists, the pool starts Web
 *   Workers from a Blob URL and products are split (the main thread spin-waits: Atomics.wait is
 *   refused there);
 * - not isolated: no SharedArrayBuffer, so one thread whatever setNumThreads says;
 * - isolated under the strict CSP (`script-src 'self' 'wasm-unsafe-eval'`, no blob: workers): the
 *   worker is refused and tsgrad stays on one thread.
 * Every page, every thread count and Node must give the same numbers, bit for bit.
 */
import { createServer, type Server } from "node:http";
import { build } from "esbuild";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext } from "playwright-core";
import { CSP, launchChromium } from "./chromium.js";
import type { ThreadsPage } from "./threads-page.js";
import { threadsWorkload } from "./workload.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const ISOLATED = { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" };
let server: Server;
let base = "";
let context: BrowserContext;
let closeChromium: (() => Promise<void>) | undefined;

async function bundle(): Promise<string> {
  const result = await build({
    entryPoints: ["tools/browser/threads-page.ts"], absWorkingDir: root, bundle: true, write: false, format: "esm",
    platform: "browser", target: "es2022", conditions: ["@tsgrad/source"], logLevel: "silent",
  });
  return result.outputFiles[0].text;
}

beforeAll(async () => {
  const script = await bundle();
  const html = `<!doctype html><meta charset="utf-8"><title>tsgrad threads</title><body><script type="module" src="page.js"></script>`;
  server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    const [, mode, file] = /^\/(isolated|plain|csp)\/(|page\.js)$/.exec(path) ?? [];
    if (mode === undefined) {
      res.writeHead(404).end();
      return;
    }
    const headers: Record<string, string> = { "content-type": file === "" ? "text/html; charset=utf-8" : "text/javascript; charset=utf-8" };
    if (mode !== "plain") Object.assign(headers, ISOLATED);
    if (mode === "csp") headers["content-security-policy"] = CSP;
    res.writeHead(200, headers).end(file === "" ? html : script);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  ({ context, close: closeChromium } = await launchChromium());
}, 120_000);

afterAll(async () => {
  await closeChromium?.();
  server?.close();
});

async function runPage(mode: string): Promise<ThreadsPage & { console: string[] }> {
  const page = await context.newPage();
  const messages: string[] = [];
  page.on("console", (m) => messages.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => messages.push(`pageerror: ${e.message}`));
  await page.goto(`${base}/${mode}/`);
  await page.waitForFunction(() => window.__threads !== undefined, null, { timeout: 90_000 });
  const out = (await page.evaluate(() => window.__threads)) as ThreadsPage | { crashed: string };
  await page.close();
  if ("crashed" in out) throw new Error(`the page crashed: ${out.crashed}\n${messages.join("\n")}`);
  return { ...out, console: messages };
}

describe("the thread pool in Chromium", () => {
  const node = threadsWorkload();

  it("splits products among Web Workers on a cross-origin-isolated page, with Node's numbers", async () => {
    const run = await runPage("isolated");
    expect(run.isolated).toBe(true);
    expect(run.cores).toBeGreaterThanOrEqual(2); // the CI machine has two cores
    expect(run.runs.map((r) => r.threads), run.console.join("\n")).toEqual([1, run.cores]);
    expect(run.handOffs).toBeGreaterThan(0);
    for (const r of run.runs) expect(r.result).toEqual(node);
  }, 120_000);

  it("runs on one thread, with the same numbers, on a page that is not isolated", async () => {
    const run = await runPage("plain");
    expect(run.isolated).toBe(false);
    expect(run.runs.map((r) => r.threads)).toEqual([1, 1]);
    expect(run.handOffs).toBe(0);
    for (const r of run.runs) expect(r.result).toEqual(node);
  }, 120_000);

  it(`falls back to one thread when "${CSP}" refuses the blob: worker`, async () => {
    const run = await runPage("csp");
    expect(run.isolated).toBe(true);
    expect(run.runs.map((r) => r.threads)).toEqual([1, 1]);
    expect(run.handOffs).toBe(0);
    for (const r of run.runs) expect(r.result).toEqual(node);
  }, 120_000);
});
