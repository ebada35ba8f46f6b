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
 * Every page, every thread count and Node (on the same build of the GEMM kernels, the relaxed-SIMD
 * one Chromium picks) must give the same numbers, bit for bit.
 */
import { createServer, type Server } from "node:http";
import { build } from "esbuild";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext } from "playwright-core";
import { CSP, launchChromium, listenLocal, nodeWorkload, pageResult } from "./chromium.js";
import type { ThreadsPage } from "./threads-page.js";


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
  base = await listenLocal(server);
  ({ context, close: closeChromium } = await launchChromium());
}, 120_000);

afterAll(async () => {
  await closeChromium?.();
  server?.close();
});

const runPage = (mode: string): Promise<ThreadsPage & { console: string[] }> => pageResult<ThreadsPage>(context, `${base}/${mode}/`, "__threads", 90_000);

describe("the thread pool in Chromium", () => {
  // Chromium runs the relaxed-SIMD (fused) build of the kernels; Node's reference runs it too.
  const node = nodeWorkload("threads", "relaxed-simd");

  it("splits products among Web Workers on a cross-origin-isolated page, with Node's numbers", async () => {
    const run = await runPage("isolated");
    expect(run.isolated).toBe(true);
    expect(run.gemmKernel).toBe("relaxed-simd");
    expect(run.cores).toBeGreaterThanOrEqual(2); // the CI machine has two cores
    expect(run.runs.map((r) => r.threads), run.console.join("\n")).toEqual([1, run.cores]);
    expect(run.handOffs).toBeGreaterThan(0);
    for (const r of run.runs) expect(r.result).toEqual(node);
  }, 120_000);

  for (const [mode, isolated, what] of [["plain", false, "on a page that is not isolated"], ["csp", true, `when "${CSP}" refuses the blob: worker`]] as const) {
    it(`runs on one thread, with the same numbers, ${what}`, async () => {
      const run = await runPage(mode);
      expect(run.isolated).toBe(isolated);
      expect(run.runs.map((r) => r.threads)).toEqual([1, 1]);
      expect(run.handOffs).toBe(0);
      for (const r of run.runs) expect(r.result).toEqual(node);
    }, 120_000);
  }
});
