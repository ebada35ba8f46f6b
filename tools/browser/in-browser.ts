/// <reference lib="dom" />
/**
 * The tests that only a browser can run (bundled into the page with the browser subset of the
 * unit tests, see chromium.test.ts): persistence in IndexedDB, the download helper, the WASM
 * matmul, and the kernel path chosen under the page's CSP.
 */
import { describe, expect, it } from "vitest";
import * as tg from "tsgrad";
import { wasmGemmAvailable } from "../../packages/core/src/kernels/wasm/gemm.js";

describe("in the browser", () => {
  it("imports no Node globals: there is no process and no Buffer here", () => {
    expect(typeof (globalThis as Record<string, unknown>).process).toBe("undefined");
    expect(typeof (globalThis as Record<string, unknown>).Buffer).toBe("undefined");
  });

  it("loads the WebAssembly matmul (allowed by 'wasm-unsafe-eval')", () => {
    expect(wasmGemmAvailable()).toBe(true);
    const a = tg.randn([64, 64]);
    expect(a.matmul(tg.eye(64)).allclose(a)).toBe(true);
  });

  it("saveToIndexedDB / loadFromIndexedDB round-trip a model's state dict and an optimizer's, exactly", async () => {
    const model = new tg.nn.Sequential(new tg.nn.Linear(2, 4), new tg.nn.ReLU(), new tg.nn.Linear(4, 1));
    const opt = new tg.optim.Adam(model.parameters());
    model.forward(tg.randn([3, 2])).sum().backward();
    opt.step();
    await tg.saveToIndexedDB({ model: model.stateDict(), opt: opt.stateDict(), nan: NaN }, "ckpt");
    const back = (await tg.loadFromIndexedDB("ckpt")) as { model: Record<string, tg.Tensor>; opt: ReturnType<typeof opt.stateDict>; nan: number };
    const copy = new tg.nn.Sequential(new tg.nn.Linear(2, 4), new tg.nn.ReLU(), new tg.nn.Linear(4, 1));
    copy.loadStateDict(back.model);
    for (const [name, p] of copy.namedParameters()) expect(Array.from(p.dataSync()), name).toEqual(Array.from(model.stateDict()[name].dataSync()));
    expect(Number.isNaN(back.nan)).toBe(true);
    expect(tg.serialize(back.opt)).toEqual(tg.serialize(opt.stateDict()));
    await tg.saveToIndexedDB({ w: tg.tensor([1, 2]) }, "w", { database: "other", store: "things" });
    expect(((await tg.loadFromIndexedDB("w", { database: "other", store: "things" })) as { w: tg.Tensor }).w.toArray()).toEqual([1, 2]);
    await tg.deleteFromIndexedDB("ckpt");
    await expect(tg.loadFromIndexedDB("ckpt")).rejects.toThrow('loadFromIndexedDB: no record "ckpt" in the IndexedDB store "models" of "tsgrad"');
    expect(() => tg.saveToIndexedDB({}, "")).toThrow("saveToIndexedDB: key must be a non-empty string");
  });

  it("downloadBytes hands the serialized bytes to an <a download> link", async () => {
    let clicked: { download: string; href: string } | null = null;
    const original = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) { clicked = { download: this.download, href: this.href }; };
    try {
      const blob = tg.downloadBytes({ w: tg.tensor([3]) }, "w.json") as Blob;
      expect(clicked!.download).toBe("w.json");
      expect(clicked!.href).toMatch(/^blob:/);
      const back = tg.deserialize(new Uint8Array(await blob.arrayBuffer())) as { w: tg.Tensor };
      expect(back.w.toArray()).toEqual([3]);
    } finally {
      HTMLAnchorElement.prototype.click = original;
    }
  });
});
