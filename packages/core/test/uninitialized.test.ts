import { describe, expect, it } from "vitest";
import { allocate, allocateUninitialized, setPoisonUninitializedForTesting } from "../src/dtype.js";
import { consumeGradient, setConsumable } from "../src/autograd/recycle.js";

// tools/test-setup.ts turns the poison on for the whole suite; these tests depend on that.
describe("allocateUninitialized", () => {
  it("is poisoned in the test suite, so an element a kernel leaves unwritten shows", () => {
    expect(Array.from(allocateUninitialized("float32", 300)).every(Number.isNaN)).toBe(true);
    expect(Array.from(allocateUninitialized("float64", 3)).every(Number.isNaN)).toBe(true);
    expect(Array.from(allocateUninitialized("int32", 300))).toEqual(new Array(300).fill(0x5a5a5a5a));
    expect(Array.from(allocateUninitialized("int16", 2))).toEqual([0x5a5a, 0x5a5a]);
    expect(Array.from(allocateUninitialized("bool", 1500))).toEqual(new Array(1500).fill(0x5a));
  });

  it("gives an array of the dtype's type and length over a buffer of its own", () => {
    setPoisonUninitializedForTesting(false);
    try {
      for (const [dtype, ctor] of [["float32", Float32Array], ["float64", Float64Array], ["int32", Int32Array], ["int16", Int16Array], ["int8", Int8Array], ["uint8", Uint8Array], ["bool", Uint8Array]] as const) {
        for (const length of [0, 1, 255, 256, 4097, 100_000]) {
          const a = allocateUninitialized(dtype, length);
          const b = allocateUninitialized(dtype, length);
          expect(a.constructor).toBe(ctor);
          expect(a.length).toBe(length);
          // Not Node's Buffer (whose slice() shares memory), and no pooled slab shared with anything else.
          expect(Object.getPrototypeOf(a)).toBe(ctor.prototype);
          expect([a.byteOffset, a.buffer.byteLength]).toEqual([0, length * ctor.BYTES_PER_ELEMENT]);
          if (length > 0) expect(a.buffer).not.toBe(b.buffer);
        }
      }
    } finally {
      setPoisonUninitializedForTesting(true);
    }
  });

  it("takes a recycled gradient buffer as it is, where allocate zeroes one", () => {
    const give = (): Float32Array => {
      const g = { data: new Float32Array(64).fill(7) };
      setConsumable(g);
      consumeGradient(g, g.data);
      return g.data;
    };
    const first = give();
    expect(allocate("float32", 64)).toBe(first);
    expect(Array.from(first)).toEqual(new Array(64).fill(0));
    const second = give();
    const again = allocateUninitialized("float32", 64);
    expect(again).toBe(second);
    expect(Array.from(again).every(Number.isNaN)).toBe(true); // poisoned, not zeroed
  });

  it("names the op and the size when the runtime cannot hold the array", () => {
    expect(() => allocateUninitialized("float64", 2 ** 40, "pad")).toThrow(/^pad: cannot allocate 1099511627776 elements of float64 \(8\.19e\+3 GiB\)/);
  });
});
