/**
 * Charts for the examples, drawn with Vega-Lite: each helper builds a Vega-Lite spec, which is
 * compiled to Vega, rendered to SVG by Vega's headless View and rasterised to PNG by resvg. The
 * text is set in Roboto, loaded from the `@expo-google-fonts/roboto` package, so the pictures look
 * the same on a machine without any system fonts.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { Resvg } from "@resvg/resvg-js";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { loadTextWidth } from "./text-width.js";

const require = createRequire(import.meta.url);
const FONT_FILES = ["400Regular/Roboto_400Regular.ttf", "700Bold/Roboto_700Bold.ttf"].map((file) =>
  require.resolve(`@expo-google-fonts/roboto/${file}`),
);
const FONT = "Roboto";
const [regularWidth, boldWidth] = FONT_FILES.map(loadTextWidth);

// Vega lays out titles, legends and axes by text width; measure with Roboto's real advance
// widths (what resvg will draw) instead of Vega's canvas-less 0.8 em per character guess.
interface TextItem { fontSize?: number; fontWeight?: string | number; limit?: number; text?: unknown }
(vega as unknown as { textMetrics: { width: (item: TextItem, text?: unknown) => number } }).textMetrics.width = (item, text) => {
  const str = String(text ?? item.text ?? "").trim();
  const size = item.fontSize ?? 11;
  const bold = item.fontWeight === "bold" || Number(item.fontWeight) >= 600;
  const width = (bold ? boldWidth : regularWidth)(str, size);
  return item.limit && item.limit > 0 ? Math.min(width, item.limit) : width;
};

/** Shared look: Roboto everywhere, slightly larger labels than Vega-Lite's defaults. */
const CONFIG = {
  font: FONT,
  title: { fontSize: 16, subtitleFontSize: 12, subtitleColor: "#555", anchor: "start" as const, offset: 10 },
  axis: { labelFontSize: 12, titleFontSize: 13, titleFontWeight: "normal" as const, labelLimit: 0 },
  legend: { labelFontSize: 12, titleFontSize: 12, titleFontWeight: "normal" as const, labelLimit: 0 },
  header: { labelFontSize: 13, titleFontSize: 13 },
  view: { stroke: "#ccc" },
};

/** A chart title with an optional smaller second line. */
export interface Title {
  title: string;
  subtitle?: string;
}

function titleOf({ title, subtitle }: Title) {
  return subtitle === undefined ? title : { text: title, subtitle };
}

/**
 * Renders a Vega-Lite spec to a PNG file (at 2× for crisp text) and returns the file's path.
 * Creates the parent directory if needed.
 */
export async function renderPng(spec: TopLevelSpec, path: string): Promise<string> {
  const config: Record<string, unknown> = { ...CONFIG };
  for (const [key, value] of Object.entries(spec.config ?? {})) {
    config[key] = { ...(config[key] as object | undefined), ...value }; // one level deep: a chart's axis tweak keeps the shared sizes
  }
  const full = { ...spec, config, background: "white" } as TopLevelSpec;
  const view = new vega.View(vega.parse(compile(full).spec), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  const png = new Resvg(svg, {
    background: "white",
    fitTo: { mode: "zoom", value: 2 },
    font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: FONT, sansSerifFamily: FONT },
  }).render().asPng();
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, png);
  return path;
}

/** One named curve: `values[i]` at `x[i]` (or at i + 1 when the chart has no x). */
export interface Series {
  name: string;
  values: readonly number[];
  x?: readonly number[];
  /** Draw it dashed, e.g. a run that lies on top of another. */
  dashed?: boolean;
}

/** Colour and dash encodings keyed by series name, merged by Vega-Lite into one legend. */
function seriesStyle(series: readonly Series[], legend: object) {
  const names = series.map((s) => s.name);
  const color = { field: "series", type: "nominal" as const, title: null, sort: names, legend };
  if (!series.some((s) => s.dashed)) return { color };
  return {
    color,
    strokeDash: {
      field: "series", type: "nominal" as const, title: null, sort: names, legend,
      scale: { domain: names, range: series.map((s) => (s.dashed ? [6, 4] : [1, 0])) },
    },
  };
}

/** Options of {@link lineChart}. */
export interface LineChartOptions extends Title {
  xTitle: string;
  yTitle: string;
  series: readonly Series[];
  /** "log" for quantities spanning decades (default "linear"). */
  yScale?: "linear" | "log";
  /** Fixed y range, e.g. [0, 1] for accuracies (default: fit the data); lines are clipped to it. */
  yDomain?: [number, number];
  /** Draw a dot at each value (for short series such as per-layer values; keep them inside any yDomain). */
  points?: boolean;
  width?: number;
  height?: number;
}

/** Long-form rows `{ series, x, y }` of several series, keeping their order for the legend. */
function seriesRows(series: readonly Series[]) {
  return series.flatMap((s) => s.values.map((y, i) => ({ series: s.name, x: s.x?.[i] ?? i + 1, y })));
}

/** A line chart of one or more series sharing the axes: loss or accuracy per epoch and the like. */
export function lineChart(path: string, options: LineChartOptions): Promise<string> {
  const { xTitle, yTitle, series, yScale = "linear", yDomain, points = false, width = 520, height = 300 } = options;
  return renderPng(
    {
      title: titleOf(options),
      width,
      height,
      data: { values: seriesRows(series) },
      mark: { type: "line", strokeWidth: 2, point: points, clip: yDomain !== undefined },
      encoding: {
        x: { field: "x", type: "quantitative", title: xTitle, scale: { nice: false, zero: false } },
        y: {
          field: "y",
          type: "quantitative",
          title: yTitle,
          scale: { type: yScale, ...(yScale === "linear" ? { zero: false } : {}), ...(yDomain ? { domain: yDomain } : {}) },
          ...(yScale === "log" ? { axis: { format: "~e" } } : {}), // 1e-7 … 1e+0, not 0.000001 beside 1e-7
        },
        ...seriesStyle(series, { orient: "right" }),
      },
    },
    path,
  );
}

/** Options of {@link smallMultiples}. */
export interface SmallMultiplesOptions extends Title {
  /** One panel each, laid out row by row; each panel holds one or more series. */
  panels: ReadonlyArray<{ title: string; series: readonly Series[] }>;
  columns: number;
  xTitle: string;
  yTitle: string;
  /** Same y range in every panel, e.g. [-2, 3] (default: each panel fits its data). */
  yDomain?: [number, number];
  panelWidth?: number;
  panelHeight?: number;
}

/** A grid of small line charts, one per panel, with one shared legend: the activation zoo. */
export function smallMultiples(path: string, options: SmallMultiplesOptions): Promise<string> {
  const { panels, columns, xTitle, yTitle, yDomain, panelWidth = 190, panelHeight = 130 } = options;
  const rows = panels.flatMap((p) => seriesRows(p.series).map((r) => ({ ...r, panel: p.title })));
  const styles = new Map(panels.flatMap((p) => p.series.map((s) => [s.name, s] as const)));
  return renderPng(
    {
      title: titleOf(options),
      data: { values: rows },
      columns,
      facet: { field: "panel", type: "nominal", title: null, sort: panels.map((p) => p.title), header: { labelFontWeight: "bold" } },
      spec: {
        width: panelWidth,
        height: panelHeight,
        mark: { type: "line", strokeWidth: 2, clip: yDomain !== undefined },
        encoding: {
          x: { field: "x", type: "quantitative", title: xTitle, scale: { nice: false } },
          y: { field: "y", type: "quantitative", title: yTitle, scale: yDomain ? { domain: yDomain } : { zero: false } },
          ...seriesStyle([...styles.values()], { orient: "top" }),
        },
      },
      resolve: { scale: { y: yDomain ? "shared" : "independent" }, axis: { x: "independent" } },
    },
    path,
  );
}

/** A grid of model outputs over a rectangle: `values[j * xs.length + i]` at `(xs[i], ys[j])`. */
export interface Grid {
  xs: readonly number[];
  ys: readonly number[];
  values: ArrayLike<number>;
}

/**
 * Cells of a grid as rectangles `{x, x2, y, y2, v}` for a heatmap, each a little wider than its
 * share so that anti-aliasing leaves no hairline seams between neighbours (cells are opaque).
 */
function gridCells(grid: Grid) {
  const { xs, ys, values } = grid;
  const half = (a: readonly number[], i: number) => 0.55 * (i + 1 < a.length ? a[i + 1] - a[i] : a[i] - a[i - 1]);
  const cells: Array<{ x: number; x2: number; y: number; y2: number; v: number }> = [];
  for (let j = 0; j < ys.length; j++) {
    for (let i = 0; i < xs.length; i++) {
      const hx = half(xs, i);
      const hy = half(ys, j);
      cells.push({ x: xs[i] - hx, x2: xs[i] + hx, y: ys[j] - hy, y2: ys[j] + hy, v: values[j * xs.length + i] });
    }
  }
  return cells;
}

/**
 * Line segments where a grid of values crosses `level` (marching squares with linear
 * interpolation along each cell edge): the decision boundary `p = 0.5` of a binary classifier.
 */
export function contourSegments(grid: Grid, level: number): Array<{ x: number; y: number; x2: number; y2: number }> {
  const { xs, ys, values } = grid;
  const nx = xs.length;
  const at = (i: number, j: number) => values[j * nx + i] - level;
  const segments: Array<{ x: number; y: number; x2: number; y2: number }> = [];
  for (let j = 0; j + 1 < ys.length; j++) {
    for (let i = 0; i + 1 < nx; i++) {
      // Corners counter-clockwise from bottom-left; a crossing on each edge whose ends differ in sign.
      const corners: Array<[number, number, number]> = [
        [xs[i], ys[j], at(i, j)],
        [xs[i + 1], ys[j], at(i + 1, j)],
        [xs[i + 1], ys[j + 1], at(i + 1, j + 1)],
        [xs[i], ys[j + 1], at(i, j + 1)],
      ];
      const crossings: Array<[number, number]> = [];
      for (let e = 0; e < 4; e++) {
        const [ax, ay, av] = corners[e];
        const [bx, by, bv] = corners[(e + 1) % 4];
        if (av < 0 !== bv < 0) {
          const t = av / (av - bv);
          crossings.push([ax + t * (bx - ax), ay + t * (by - ay)]);
        }
      }
      for (let k = 0; k + 1 < crossings.length; k += 2) {
        segments.push({ x: crossings[k][0], y: crossings[k][1], x2: crossings[k + 1][0], y2: crossings[k + 1][1] });
      }
    }
  }
  return segments;
}

/** Options of {@link decisionRegions}. */
export interface DecisionRegionsOptions extends Title {
  /** The model over a grid: P(class 1) for `kind: "probability"`, a class index for `kind: "class"`. */
  grid: Grid;
  kind: "probability" | "class";
  /** Data points: coordinates as [x, y] pairs and their class labels. */
  points: { xy: ArrayLike<number>; labels: ArrayLike<number> };
  /** Legend names of the classes (default "class 0", "class 1", ...). */
  classNames?: readonly string[];
  xTitle?: string;
  yTitle?: string;
  size?: number;
}

const CLASS_COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

/** `hex` mixed with white: `amount` 0 keeps the colour, 1 gives white. Region tints are opaque, so points stay crisp on them. */
function tint(hex: string, amount: number): string {
  const channel = (i: number) => Math.round(parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) * (1 - amount) + 255 * amount);
  return `rgb(${channel(0)}, ${channel(1)}, ${channel(2)})`;
}

/** One decision-region view (heatmap, boundary, points) as a Vega-Lite layer spec, titled by `title`. */
function regionsView(options: DecisionRegionsOptions) {
  const { grid, kind, points, xTitle = "x₁", yTitle = "x₂", size = 440 } = options;
  const labels = Array.from(points.labels);
  const nClasses = Math.max(...labels, kind === "class" ? Math.max(...Array.from(grid.values)) : 1) + 1;
  const classNames = options.classNames ?? Array.from({ length: nClasses }, (_, c) => `class ${c}`);
  const colors = CLASS_COLORS.slice(0, nClasses);
  const x = { field: "x", type: "quantitative" as const, title: xTitle, scale: { domain: [grid.xs[0], grid.xs[grid.xs.length - 1]], nice: false } };
  const y = { field: "y", type: "quantitative" as const, title: yTitle, scale: { domain: [grid.ys[0], grid.ys[grid.ys.length - 1]], nice: false } };
  const cells = gridCells(grid).map((c) => (kind === "class" ? { ...c, v: classNames[c.v] } : c));
  const heatmap =
    kind === "probability"
      ? {
          data: { values: cells },
          mark: { type: "rect" as const },
          encoding: {
            x, x2: { field: "x2" }, y, y2: { field: "y2" },
            color: {
              field: "v", type: "quantitative" as const, title: `P(${classNames[1]})`,
              scale: { domain: [0, 1], range: [tint("#2c6fbb", 0.45), "#f7f7f7", tint("#c8373b", 0.45)] },
              legend: { orient: "right" as const, gradientLength: 160 },
            },
          },
        }
      : {
          data: { values: cells },
          mark: { type: "rect" as const },
          encoding: {
            x, x2: { field: "x2" }, y, y2: { field: "y2" },
            color: { field: "v", type: "nominal" as const, scale: { domain: classNames, range: colors.map((c) => tint(c, 0.7)) }, legend: null },
          },
        };
  const boundary =
    kind === "probability"
      ? [{
          data: { values: contourSegments(grid, 0.5) },
          mark: { type: "rule" as const, color: "black", strokeWidth: 2 },
          encoding: { x, y, x2: { field: "x2" }, y2: { field: "y2" } },
        }]
      : [];
  const pts = labels.map((label, i) => ({ x: points.xy[2 * i], y: points.xy[2 * i + 1], label: classNames[label] }));
  const scatter = {
    data: { values: pts },
    mark: { type: "circle" as const, size: 18, opacity: 0.85, stroke: "white", strokeWidth: 0.4 },
    encoding: {
      x, y,
      fill: { field: "label", type: "nominal" as const, title: "data", scale: { domain: classNames, range: colors }, legend: { orient: "right" as const } },
    },
  };
  return {
    width: size,
    height: size,
    layer: [heatmap, ...boundary, scatter],
    resolve: { scale: { color: "independent" as const, fill: "independent" as const } },
  };
}

/**
 * Data points over the model's decision regions: for a binary classifier a red–blue map of
 * P(class 1) with the p = 0.5 boundary drawn in black; for a multiclass one each grid cell
 * tinted in the colour of its predicted class.
 */
export function decisionRegions(path: string, options: DecisionRegionsOptions): Promise<string> {
  return renderPng({ title: titleOf(options), ...regionsView(options), config: { axis: { grid: false } } } as TopLevelSpec, path);
}

/** Several decision-region views side by side, each titled by its own `title`: one per output of a multi-label model. */
export function decisionRegionPanels(path: string, options: Title & { panels: readonly DecisionRegionsOptions[] }): Promise<string> {
  return renderPng(
    {
      title: titleOf(options),
      hconcat: options.panels.map((panel) => ({ title: { text: panel.title, fontSize: 13 }, ...regionsView(panel) })),
      config: { axis: { grid: false } },
    } as TopLevelSpec,
    path,
  );
}

/** Options of {@link scatterWithLines}. */
export interface ScatterWithLinesOptions extends Title {
  /** Points, each in a named group (shown in the legend). */
  points: ReadonlyArray<{ x: number; y: number; group: string }>;
  /** Curves drawn over the points, e.g. the fitted lines of several models. */
  lines: readonly Series[];
  /** Legend title of the curves (default "fit"). */
  linesTitle?: string;
  xTitle: string;
  yTitle: string;
  /** Visible y range; points outside it are left out (default: fit everything). */
  yDomain?: [number, number];
  width?: number;
  height?: number;
}

/** A scatter plot with fitted curves over it: regression fits. */
export function scatterWithLines(path: string, options: ScatterWithLinesOptions): Promise<string> {
  const { points, lines, linesTitle = "fit", xTitle, yTitle, yDomain, width = 560, height = 360 } = options;
  const groups = [...new Set(points.map((p) => p.group))].sort();
  const x = { field: "x", type: "quantitative" as const, title: xTitle };
  const y = { field: "y", type: "quantitative" as const, title: yTitle, scale: yDomain ? { domain: yDomain } : { zero: false } };
  return renderPng(
    {
      title: titleOf(options),
      width,
      height,
      layer: [
        {
          // Left out rather than clipped: resvg aborts on a clipped element that lies wholly outside its clip.
          data: { values: yDomain ? points.filter((p) => p.y >= yDomain[0] && p.y <= yDomain[1]) : [...points] },
          mark: { type: "circle", size: 16, clip: true },
          encoding: {
            x, y,
            fill: { field: "group", type: "nominal", title: "data", sort: groups, scale: { range: ["#a8a8a8", "#6a3d9a", "#555"] } },
            opacity: { value: 0.7 },
          },
        },
        {
          data: { values: seriesRows(lines) },
          mark: { type: "line", strokeWidth: 2.5, clip: true },
          encoding: { x, y, ...seriesStyle(lines, { orient: "right", title: linesTitle }) },
        },
      ],
      resolve: { scale: { color: "independent", fill: "independent", strokeDash: "independent" } },
    } as TopLevelSpec,
    path,
  );
}

/** Options of {@link barChart}. */
export interface BarChartOptions extends Title {
  /** Bars as `{ category, group, value }`: one bar per category and group, groups side by side. */
  bars: ReadonlyArray<{ category: string; group: string; value: number }>;
  xTitle: string;
  yTitle: string;
  width?: number;
  height?: number;
}

/** Grouped vertical bars with their values written on top, e.g. dead-unit counts per activation. */
export function barChart(path: string, options: BarChartOptions): Promise<string> {
  const { bars, xTitle, yTitle, width = 420, height = 280 } = options;
  const categories = [...new Set(bars.map((b) => b.category))];
  const groups = [...new Set(bars.map((b) => b.group))];
  const x = { field: "category", type: "nominal" as const, title: xTitle, sort: categories, axis: { labelAngle: 0 } };
  const xOffset = { field: "group", sort: groups };
  const y = { field: "value", type: "quantitative" as const, title: yTitle, scale: { domainMax: Math.max(...bars.map((b) => b.value)) * 1.1 } };
  return renderPng(
    {
      title: titleOf(options),
      width,
      height,
      data: { values: [...bars] },
      layer: [
        { mark: { type: "bar" }, encoding: { x, xOffset, y, color: { field: "group", type: "nominal", title: null, sort: groups } } },
        { mark: { type: "text", dy: -7, fontSize: 12 }, encoding: { x, xOffset, y, text: { field: "value", type: "quantitative" } } },
      ],
    } as TopLevelSpec,
    path,
  );
}
