/// <reference lib="dom" />
/**
 * The built API docs (docs/api, from `pnpm docs:api`) as a user sees them, in Debian's Chromium
 * driven by playwright-core (issue 14): served from 127.0.0.1, the search box finds PyTorch's
 * names, a Tensor method's anchor scrolls to its example, and no page logs a console error or
 * requests a missing file. A screenshot of the Tensor page is kept in artifacts/.
 *
 * It runs after the docs build (`pnpm test:docs-site` in .ci/run), so it is not part of `pnpm test`.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type BrowserContext, type Page } from "playwright-core";

const root = fileURLToPath(new URL("../..", import.meta.url));
const site = join(root, "docs/api");
const CHROMIUM = "/usr/bin/chromium";
const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
};

let server: Server;
let base = "";
let context: BrowserContext;
let profile = "";

/** Serves docs/api read-only; anything outside it, or missing, is a 404 (and fails the console check). */
function serve(): Promise<Server> {
  const s = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    // typedoc ships no favicon; Chromium asks for one anyway.
    if (url.pathname === "/favicon.ico") {
      res.writeHead(204).end();
      return;
    }
    let path = normalize(join(site, decodeURIComponent(url.pathname)));
    if (existsSync(path) && statSync(path).isDirectory()) path = join(path, "index.html");
    if (!path.startsWith(site) || !existsSync(path)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream" }).end(readFileSync(path));
  });
  return new Promise((resolve) => s.listen(0, "127.0.0.1", () => resolve(s)));
}

/** Opens a page and records what a user would see in the console: errors, warnings, failed requests. */
async function open(path: string): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`${path}: console ${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`${path}: pageerror: ${e.message}`));
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`${path}: ${r.status()} ${r.url()}`);
  });
  page.on("requestfailed", (r) => problems.push(`${path}: request failed ${r.url()}`));
  await page.goto(`${base}/${path}`, { waitUntil: "load" });
  return { page, problems };
}

/** Types a query into typedoc's search dialog and returns the result titles with their links. */
async function search(page: Page, query: string): Promise<{ text: string; href: string }[]> {
  await page.click("#tsd-search-trigger");
  await page.fill("#tsd-search-input", query);
  await page.waitForFunction(() => document.querySelectorAll("#tsd-search-results li a").length > 0, null, { timeout: 10_000 });
  return page.$$eval("#tsd-search-results li a", (links) =>
    links.map((a) => ({ text: (a.textContent ?? "").replace(/\s+/g, " ").trim(), href: (a as HTMLAnchorElement).getAttribute("href") ?? "" })),
  );
}

beforeAll(async () => {
  if (!existsSync(join(site, "index.html"))) throw new Error("docs/api is not built: run `pnpm docs:api` first (.ci/run does)");
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does it)`);
  server = await serve();
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  profile = mkdtempSync(join(tmpdir(), "tsgrad-docs-chromium-"));
  context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 900 } });
}, 120_000);

afterAll(async () => {
  await context?.close();
  server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

describe("the API docs site in Chromium", () => {
  // Each PyTorch name, and where its first hit must link.
  const PYTORCH_NAMES: [string, RegExp][] = [
    ["zero_grad", /\.html#zerograd$/],
    ["state_dict", /\.html#statedict$/],
    ["requires_grad", /tg\.Tensor\.html#requiresgrad$/],
    ["CrossEntropyLoss", /tg\.losses\.CrossEntropyLoss\.html$/],
    ["masked_fill", /tg\.Tensor\.html#maskedfill_?$/],
    ["no_grad", /functions\/tg\.noGrad\.html$/],
  ];

  it.each(PYTORCH_NAMES)("searching for %s lands on the tsgrad page", async (query, expected) => {
    const { page, problems } = await open("index.html");
    const hits = await search(page, query);
    await page.close();
    expect(hits[0]?.href, hits.map((h) => h.href).join("\n")).toMatch(expected);
    expect(problems).toEqual([]);
  }, 60_000);

  it("a Tensor method's anchor scrolls to it, and its example is right below", async () => {
    const { page, problems } = await open("classes/tg.Tensor.html#matmul");
    await page.waitForFunction(() => window.scrollY > 0, null, { timeout: 10_000 });
    const where = await page.evaluate(() => {
      const anchor = document.getElementById("matmul");
      if (!anchor) return null;
      const section = anchor.closest("section") ?? anchor.parentElement!;
      const example = Array.from(section.querySelectorAll("h4, h3, h5")).find((h) => /^Example/.test((h.textContent ?? "").trim()));
      const code = example?.nextElementSibling?.textContent ?? "";
      return { top: anchor.getBoundingClientRect().top, scrollY: window.scrollY, innerHeight: window.innerHeight, code };
    });
    expect(where).not.toBeNull();
    // The anchor sits in the top part of the viewport, far down a long page.
    expect(where!.scrollY).toBeGreaterThan(2000);
    expect(where!.top).toBeGreaterThanOrEqual(-1);
    expect(where!.top).toBeLessThan(where!.innerHeight / 2);
    expect(where!.code).toMatch(/matmul/);
    mkdirSync(join(root, "artifacts"), { recursive: true });
    await page.goto(`${base}/classes/tg.Tensor.html`, { waitUntil: "load" });
    await page.screenshot({ path: join(root, "artifacts/docs-tensor-page.png") });
    // The page opens on the groups, not on an alphabetical list.
    const firstGroups = await page.$$eval("section.tsd-index-section h3, .tsd-index-section h3", (hs) => hs.slice(0, 4).map((h) => (h.textContent ?? "").trim()));
    await page.close();
    expect(firstGroups).toEqual(["Constructors", "Attributes", "Autograd", "Pointwise math"]);
    expect(problems).toEqual([]);
  }, 60_000);

  it("no page logs a console error or requests a missing file", async () => {
    const pages = ["index.html", "modules.html", "hierarchy.html", "classes/tg.Tensor.html", "classes/tg.nn.Linear.html", "modules/tg.nn.html", "modules/tg.nn.F.html", "documents/Getting_started.html", "documents/PyTorch_→_tsgrad.html"];
    const problems: string[] = [];
    for (const path of pages) {
      const opened = await open(encodeURI(path));
      // Let the deferred scripts (search index, navigation, hierarchy) load and run.
      await opened.page.waitForLoadState("networkidle");
      await opened.page.close();
      problems.push(...opened.problems);
    }
    expect(problems).toEqual([]);
  }, 120_000);
});
