/**
 * Text widths from a TrueType font's own advance widths, for Vega's layout. Without a canvas
 * Vega guesses every character to be 0.8 em wide, which leaves wide gaps beside legends and
 * titles; tools such as vl-convert plug real metrics into `textMetrics.width`, and so does this.
 * Reads only the three tables needed: `head` (units per em), `hhea` + `hmtx` (advance widths)
 * and `cmap` format 4 (character → glyph, Basic Multilingual Plane).
 */
import { readFileSync } from "node:fs";

/** A function giving the width of a string at a font size, in the same unit as the size. */
export type TextWidth = (text: string, fontSize: number) => number;

function tableOffsets(font: DataView): Map<string, number> {
  const tables = new Map<string, number>();
  const count = font.getUint16(4);
  for (let i = 0; i < count; i++) {
    const record = 12 + 16 * i;
    const tag = String.fromCharCode(...[0, 1, 2, 3].map((k) => font.getUint8(record + k)));
    tables.set(tag, font.getUint32(record + 8));
  }
  return tables;
}

/** Character code → glyph index from the Windows Unicode BMP subtable (format 4). */
function glyphLookup(font: DataView, cmap: number): (code: number) => number {
  let sub = -1;
  for (let i = 0; i < font.getUint16(cmap + 2); i++) {
    const record = cmap + 4 + 8 * i;
    if (font.getUint16(record) === 3 && font.getUint16(record + 2) === 1) sub = cmap + font.getUint32(record + 4);
  }
  if (sub < 0 || font.getUint16(sub) !== 4) throw new Error("text-width: the font has no cmap format 4 subtable");
  const segments = font.getUint16(sub + 6) / 2;
  const endCodes = sub + 14;
  const startCodes = endCodes + 2 * segments + 2;
  const idDeltas = startCodes + 2 * segments;
  const idRangeOffsets = idDeltas + 2 * segments;
  return (code) => {
    for (let s = 0; s < segments; s++) {
      if (font.getUint16(endCodes + 2 * s) < code) continue;
      const start = font.getUint16(startCodes + 2 * s);
      if (start > code) return 0;
      const delta = font.getUint16(idDeltas + 2 * s);
      const rangeOffset = font.getUint16(idRangeOffsets + 2 * s);
      if (rangeOffset === 0) return (code + delta) & 0xffff;
      const glyph = font.getUint16(idRangeOffsets + 2 * s + rangeOffset + 2 * (code - start));
      return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
    }
    return 0;
  };
}

/** Loads a TTF file and returns a width function using its advance widths (cached per character). */
export function loadTextWidth(ttfPath: string): TextWidth {
  const bytes = readFileSync(ttfPath);
  const font = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tables = tableOffsets(font);
  const [head, hhea, hmtx, cmap] = ["head", "hhea", "hmtx", "cmap"].map((tag) => {
    const offset = tables.get(tag);
    if (offset === undefined) throw new Error(`text-width: ${ttfPath} has no ${tag} table`);
    return offset;
  });
  const unitsPerEm = font.getUint16(head + 18);
  const metrics = font.getUint16(hhea + 34);
  const glyphOf = glyphLookup(font, cmap);
  const advance = (glyph: number) => font.getUint16(hmtx + 4 * Math.min(glyph, metrics - 1));
  const cache = new Map<number, number>();
  const emWidth = (code: number) => {
    let w = cache.get(code);
    if (w === undefined) {
      w = advance(glyphOf(code)) / unitsPerEm;
      cache.set(code, w);
    }
    return w;
  };
  return (text, fontSize) => {
    let em = 0;
    for (const ch of text) em += emWidth(ch.codePointAt(0)!);
    return em * fontSize;
  };
}
