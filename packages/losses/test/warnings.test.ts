// Warnings PyTorch gives, given the same way (console.warn). Node only: it mocks the console (vi),
// which the browser subset of the tests (tools/browser/bundle.ts) has no shim for.
import { describe, it, expect, vi } from "vitest";
import { tensor } from "@tsgrad/core";
import * as L from "@tsgrad/losses";

describe("klDiv's reduction", () => {
  it('warns once for "mean", as PyTorch does, and divides by the element count; "batchmean" by the batch', () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const logQ = tensor([[0.25, 0.75], [0.5, 0.5]]).log();
      const p = tensor([[0.5, 0.5], [0.25, 0.75]]);
      const sum = L.klDiv(logQ, p, { reduction: "sum" }).item();
      expect(warn).not.toHaveBeenCalled();
      expect(L.klDiv(logQ, p, { reduction: "batchmean" }).item()).toBeCloseTo(sum / 2, 6);
      expect(warn).not.toHaveBeenCalled();
      expect(new L.KLDivLoss().forward(logQ, p).item()).toBeCloseTo(sum / 4, 6);
      L.klDiv(logQ, p);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0][0]).toMatch(/^UserWarning: klDiv: reduction: 'mean' divides the total loss by both the batch size and the support size/);
    } finally {
      warn.mockRestore();
    }
  });
});
