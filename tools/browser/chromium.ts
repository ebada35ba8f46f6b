/**
 * The browser tests' common parts (issue 11): Debian's Chromium driven by playwright-core (never a
 * browser download), launched headless with the flags below and a fresh profile, and a static file
 * server on 127.0.0.1 for built pages (the playground, the Vite app of the packaging test).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type BrowserContext } from "playwright-core";
import type { ThreadsWorkload, trainMoons } from "./workload.js";

export const CHROMIUM = "/usr/bin/chromium";
/** The strict policy: no eval, WebAssembly allowed. */
export const CSP = "script-src 'self' 'wasm-unsafe-eval'";
export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

/**
 * Opens `url` in a new page of `context`, waits until the page sets `window[key]`, and returns
 * that value (passed through JSON) with what the page logged. A page that sets `{ crashed }`
 * instead throws, with its log.
 */
export async function pageResult<T extends object>(context: BrowserContext, url: string, key: string, timeout: number): Promise<T & { console: string[] }> {
  const page = await context.newPage();
  const messages: string[] = [];
  page.on("console", (m) => messages.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => messages.push(`pageerror: ${e.message}`));
  await page.goto(url, { waitUntil: "commit" });
  await page.waitForFunction((k) => (window as unknown as Record<string, unknown>)[k] !== undefined, key, { timeout });
  const out = (await page.evaluate((k) => (window as unknown as Record<string, unknown>)[k], key)) as T | { crashed: string };
  await page.close();
  if ("crashed" in out) throw new Error(`the page crashed: ${out.crashed}\n${messages.join("\n")}`);
  return { ...out, console: messages };
}

/** A headless Chromium with a fresh user-data dir; `close` also removes the profile. */
export async function launchChromium(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does it)`);
  const profile = mkdtempSync(join(tmpdir(), "tsgrad-chromium-"));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8", ".json": "application/json", ".png": "image/png", ".svg": "image/svg+xml",
  ".wasm": "application/wasm", ".map": "application/json",
};

/**
 * Serves the files of `dir` (a built site) on 127.0.0.1 at a free port: `/` is index.html, and
 * `/csp/...` serves the same files with `Content-Security-Policy: {@link CSP}` on every response.
 */
export async function serveDirectory(dir: string): Promise<{ url: string; close: () => void }> {
  const root = normalize(dir);
  const server: Server = createServer((req, res) => {
    let path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    const headers: Record<string, string> = {};
    if (path === "/csp" || path.startsWith("/csp/")) {
      headers["content-security-policy"] = CSP;
      path = path.slice("/csp".length) || "/";
    }
    if (path.endsWith("/")) path += "index.html";
    const file = normalize(join(root, decodeURIComponent(path)));
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    headers["content-type"] = TYPES[extname(file)] ?? "application/octet-stream";
    res.writeHead(200, headers).end(readFileSync(file));
  });
  return { url: await listenLocal(server), close: () => server.close() };
}

/** Starts `server` on 127.0.0.1 at a free port; resolves with its base URL (`http://127.0.0.1:<port>`). */
export async function listenLocal(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
}

/**
 * A workload of workload.ts as Node computes it with the GEMM kernel build `kernel` (the one a page
 * reported), in a child process given the flag that selects that build (node-workload.ts), so
 * Chromium's bits are compared with Node's on the same arithmetic: the relaxed-SIMD build fuses
 * each float32 multiply-add (one rounding), the SIMD128 build rounds twice.
 */
export function nodeWorkload(which: "moons", kernel: string): ReturnType<typeof trainMoons>;
export function nodeWorkload(which: "threads", kernel: string): ThreadsWorkload;
export function nodeWorkload(which: "moons" | "threads", kernel: string): unknown {
  const flag = kernel === "relaxed-simd" ? "--experimental-wasm-relaxed-simd" : "--no-experimental-wasm-relaxed-simd";
  const script = fileURLToPath(new URL("./node-workload.ts", import.meta.url));
  const run = spawnSync(process.execPath, [flag, "--import", "tsx", "--conditions=@tsgrad/source", script, which], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`node-workload ${which} (${flag}) failed: ${run.stderr}`);
  const out = JSON.parse(run.stdout) as { kernel: string; result: unknown };
  if (out.kernel !== kernel) throw new Error(`node-workload ${which}: ${flag} gave the ${out.kernel} kernels, not ${kernel}`);
  return out.result;
}
