/// <reference lib="dom" />
/**
 * `node:fs` for the browser test page, as far as the test helpers use it: `readFileSync` of a
 * fixture, fetched synchronously from the test server (which serves the repository's test
 * fixtures read-only under /repo/). Test files see their own path in `import.meta.url` (the bundle
 * rewrites it), so `new URL("./fixtures/x.json", import.meta.url)` points there.
 */
export function readFileSync(url: URL | string): string {
  const request = new XMLHttpRequest();
  request.open("GET", String(url), false);
  request.send();
  if (request.status !== 200) throw new Error(`readFileSync: ${String(url)}: HTTP ${request.status}`);
  return request.responseText;
}
