/**
 * Indexing into a storage of 2³¹ elements or more (a uint8 tensor of 3 GiB, which Node allows):
 * the offset tables of advanced indexing and of gather / scatter switch from Int32 to Float64
 * there (kernels/runs.ts `offsetArray`), where an Int32 offset would wrap to a negative number and
 * read nothing or write nowhere. The storage is zero-filled by the system, page by page as it is
 * touched, so the test costs a few pages, not 3 GiB.
 */
import { describe, expect, it } from "vitest";
import { slice, tensor, zeros } from "@tsgrad/core";

const ROW = 2 ** 30; // row 2 starts at element 2³¹
const i32 = (data: number[] | number[][]) => tensor(data, { dtype: "int32" });

describe("indexing a storage of 2³¹ elements or more", () => {
  const big = zeros([3, ROW], { dtype: "uint8" });
  big.data[2 * ROW + 5] = 7;

  it("x[idx, a:b] reads past 2³¹", () => {
    expect(Array.from(big.index(i32([2]), slice(5, 6)).dataSync())).toEqual([7]);
    expect(Array.from(big.index(i32([0, 2]), slice(4, 7)).dataSync())).toEqual([0, 0, 0, 0, 7, 0]);
  });

  it("x[idx, a:b] = v writes past 2³¹, and nowhere else", () => {
    big.indexPut_([i32([2]), slice(6, 7)], tensor([9], { dtype: "uint8" }));
    expect([big.data[2 * ROW + 6], big.data[6], big.data[ROW + 6]]).toEqual([9, 0, 0]);
  });

  // The scatters share gather's offset table (ops/indexing.ts indexedOffsets), but write into a
  // copy of x: 3 GiB of page faults, too slow for a test.
  it("gather along dim 0 reaches row 2", () => {
    expect(Array.from(big.gather(0, i32([[2, 2, 2, 2, 2, 2]])).dataSync())).toEqual([0, 0, 0, 0, 0, 7]);
    expect(Array.from(big.gather(0, i32([[0, 1, 2, 2, 1, 2]])).dataSync())).toEqual([0, 0, 0, 0, 0, 7]);
  });
});
