/// <reference lib="dom" />
/** The playground's two canvases: the data with the decision regions or the fitted curve, and the loss curves. */
import type { Points, Task } from "./pairings.js";

/** Class colours (points), and their light tints for the regions. */
const COLORS = ["#1f6fb4", "#e8731a", "#2c9a3c", "#c4303a"];
const TINTS: ReadonlyArray<readonly [number, number, number]> = [[166, 199, 232], [250, 200, 160], [170, 220, 175], [240, 170, 175]];

export interface Scene {
  task: Task;
  classes: number;
  bounds: readonly [number, number, number, number];
  train: Points;
  test: Points;
  truth?: number[][];
}

function toPixels(canvas: HTMLCanvasElement, bounds: Scene["bounds"]): (x: number, y: number) => [number, number] {
  const [x0, x1, y0, y1] = bounds;
  return (x, y) => [((x - x0) / (x1 - x0)) * canvas.width, ((y1 - y) / (y1 - y0)) * canvas.height];
}

/** Regions: `grid` holds (class, confidence) per cell, `size × size` cells, the top row first. */
function drawRegions(ctx: CanvasRenderingContext2D, grid: Float32Array, size: number): void {
  const cells = new ImageData(size, size);
  for (let i = 0; i < size * size; i++) {
    const tint = TINTS[grid[2 * i] % TINTS.length];
    const strength = 0.25 + 0.75 * grid[2 * i + 1]; // a pale cell where the model hesitates
    for (let c = 0; c < 3; c++) cells.data[4 * i + c] = Math.round(255 - (255 - tint[c]) * strength);
    cells.data[4 * i + 3] = 255;
  }
  const small = document.createElement("canvas");
  small.width = small.height = size;
  small.getContext("2d")!.putImageData(cells, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(small, 0, 0, ctx.canvas.width, ctx.canvas.height);
}

function drawPoints(ctx: CanvasRenderingContext2D, scene: Scene, points: Points, hollow: boolean): void {
  const at = toPixels(ctx.canvas, scene.bounds);
  points.x.forEach((p, i) => {
    const [px, py] = scene.task === "regression" ? at(p[0], points.y[i]) : at(p[0], p[1]);
    const color = scene.task === "regression" ? (points.outliers?.[i] ? COLORS[3] : COLORS[0]) : COLORS[points.y[i] % COLORS.length];
    ctx.beginPath();
    ctx.arc(px, py, 3.5, 0, 2 * Math.PI);
    ctx.lineWidth = 1.5;
    if (hollow) {
      ctx.strokeStyle = color;
      ctx.stroke();
    } else {
      ctx.fillStyle = color;
      ctx.fill();
      ctx.strokeStyle = "white";
      ctx.lineWidth = 0.8;
      ctx.stroke();
    }
  });
}

function polyline(ctx: CanvasRenderingContext2D, xy: ReadonlyArray<readonly [number, number]>, color: string, width: number, dash: number[] = []): void {
  ctx.beginPath();
  xy.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
  ctx.setLineDash(dash);
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.stroke();
  ctx.setLineDash([]);
}

/** The data (training points filled, test points hollow) over the regions, or with the fitted curve and the truth. */
export function drawScene(canvas: HTMLCanvasElement, scene: Scene, grid?: Float32Array, gridSize = 0): void {
  const ctx = canvas.getContext("2d")!;
  ctx.fillStyle = "white";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  const at = toPixels(canvas, scene.bounds);
  if (scene.task === "classification" && grid) drawRegions(ctx, grid, gridSize);
  if (scene.task === "regression" && scene.truth) polyline(ctx, scene.truth.map(([x, y]) => at(x, y)), "#555", 1.5, [6, 4]);
  drawPoints(ctx, scene, scene.train, false);
  drawPoints(ctx, scene, scene.test, true);
  if (scene.task === "regression" && grid) {
    const [x0, x1] = scene.bounds;
    polyline(ctx, Array.from(grid, (y, i) => at(x0 + ((x1 - x0) * i) / (gridSize - 1), y)), "#111", 2.5);
  }
}

/** Training (solid) and test (dashed) loss against the step, on a log scale when every loss is positive. */
export function drawLosses(canvas: HTMLCanvasElement, steps: readonly number[], train: readonly number[], test: readonly number[]): void {
  const ctx = canvas.getContext("2d")!;
  const { width, height } = canvas;
  ctx.fillStyle = "white";
  ctx.fillRect(0, 0, width, height);
  const all = [...train, ...test].filter(Number.isFinite);
  if (steps.length === 0 || all.length === 0) return;
  const log = all.every((v) => v > 0);
  const f = (v: number) => (log ? Math.log10(v) : v);
  let lo = Math.min(...all.map(f));
  let hi = Math.max(...all.map(f));
  if (hi - lo < 1e-9) [lo, hi] = [lo - 0.5, hi + 0.5];
  const left = 48;
  const last = steps[steps.length - 1];
  const px = (s: number) => left + ((width - left - 8) * s) / Math.max(last, 1);
  const py = (v: number) => 8 + ((height - 28) * (hi - f(v))) / (hi - lo);
  ctx.fillStyle = "#555";
  ctx.font = "11px system-ui, sans-serif";
  for (const v of [hi, (hi + lo) / 2, lo]) {
    const value = log ? 10 ** v : v;
    ctx.fillText(value.toPrecision(2), 2, py(log ? 10 ** v : v) + 4);
  }
  ctx.fillText(`step ${last}`, width - 70, height - 6);
  ctx.fillText(log ? "loss (log scale)" : "loss", left, height - 6);
  ctx.fillText("train", width - 150, 16);
  ctx.fillText("test", width - 66, 16);
  polyline(ctx, [[width - 118, 12], [width - 90, 12]], COLORS[0], 2);
  polyline(ctx, [[width - 40, 12], [width - 12, 12]], COLORS[1], 2, [5, 3]);
  const series = (values: readonly number[]) => values.map((v, i) => [px(steps[i]), py(v)] as const).filter(([, y]) => Number.isFinite(y));
  polyline(ctx, series(train), COLORS[0], 2);
  polyline(ctx, series(test), COLORS[1], 2, [5, 3]);
}
