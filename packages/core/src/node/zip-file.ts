/**
 * Reading a zip archive by file handle: its central directory, then each record straight from the
 * file into a buffer of its own, so an archive of any size (a 2 GB `torch.save` file) is never held
 * in memory whole. Records `torch.save` writes are stored (method 0) and read as they are; deflated
 * ones (method 8, from other zip tools) are inflated by fflate. Zip64 (sizes or offsets past 4 GiB)
 * is read. The archive is untrusted: the directory and every record must lie inside the file, a
 * stored record's two sizes must agree, and a deflated one may not claim to expand more than deflate
 * can, so nothing beyond the file's size is allocated. PKWARE's APPNOTE.TXT is the format.
 */
import { inflateSync } from "fflate/browser"; // the build core's torch-load.ts uses
import { checkExpansion } from "../torch-load.js";
import { readAll, writeAll } from "./files.js";

/** One record of the central directory. */
export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  /** Bytes in the file. */
  compressedSize: number;
  /** Bytes once inflated. */
  size: number;
  /** Where its local header starts. */
  headerOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** The end record is 22 bytes plus a comment of at most 65535. */
const MAX_TAIL = 22 + 0xffff;

/** A malformed archive, as decodeTorch's fflate path words it. */
function malformed(op: string, what: string): TypeError {
  return new TypeError(`${op}: not a readable torch.save zip archive (${what}); was the file truncated?`);
}

/** Little-endian reads with a bound check, over a buffer read from the file. */
class Reader {
  private readonly view: DataView;
  constructor(private readonly op: string, readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  private check(at: number, n: number): void {
    if (at < 0 || at + n > this.bytes.length) throw malformed(this.op, `a field at byte ${at} runs past the end of its record`);
  }
  u16(at: number): number {
    this.check(at, 2);
    return this.view.getUint16(at, true);
  }
  u32(at: number): number {
    this.check(at, 4);
    return this.view.getUint32(at, true);
  }
  u64(at: number): number {
    this.check(at, 8);
    const n = this.view.getBigUint64(at, true);
    if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw malformed(this.op, `a zip64 field of ${n} is beyond 2^53`);
    return Number(n);
  }
}

/** `length` bytes of the file from `position`, after checking they are inside it. */
function readAt(op: string, path: string, fd: number, size: number, position: number, length: number, what: string): Uint8Array {
  if (position < 0 || length < 0 || position + length > size) {
    throw malformed(op, `${what} at byte ${position} (${length} bytes) is past the file's end, ${size} bytes`);
  }
  const out = new Uint8Array(length);
  readAll(op, path, fd, out, position);
  return out;
}

/** The central directory of the zip archive open as `fd` (`size` bytes). */
export function readZipDirectory(op: string, path: string, fd: number, size: number): ZipEntry[] {
  const tailStart = Math.max(0, size - MAX_TAIL);
  const tail = new Reader(op, readAt(op, path, fd, size, tailStart, size - tailStart, "the end of the archive"));
  let eocd = -1;
  for (let i = tail.bytes.length - 22; i >= 0; i--) {
    if (tail.u32(i) === EOCD && i + 22 + tail.u16(i + 20) === tail.bytes.length) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw malformed(op, "no end of central directory record");
  let count = tail.u16(eocd + 10);
  let directorySize = tail.u32(eocd + 12);
  let directoryOffset = tail.u32(eocd + 16);
  // Zip64: a locator just before the end record points at the zip64 end record, whose fields win.
  if (eocd >= 20 && tail.u32(eocd - 20) === ZIP64_LOCATOR) {
    const at = tail.u64(eocd - 20 + 8);
    const record = new Reader(op, readAt(op, path, fd, size, at, 56, "the zip64 end of central directory record"));
    if (record.u32(0) !== ZIP64_EOCD) throw malformed(op, `no zip64 end of central directory record at byte ${at}`);
    count = record.u64(32);
    directorySize = record.u64(40);
    directoryOffset = record.u64(48);
  }
  const directory = new Reader(op, readAt(op, path, fd, size, directoryOffset, directorySize, "the central directory"));
  const names = new TextDecoder("utf-8", { fatal: false });
  const entries: ZipEntry[] = [];
  for (let pos = 0, k = 0; k < count; k++) {
    if (directory.u32(pos) !== CENTRAL) throw malformed(op, `central directory entry ${k} has no signature at byte ${directoryOffset + pos}`);
    const method = directory.u16(pos + 10);
    let compressedSize = directory.u32(pos + 20);
    let originalSize = directory.u32(pos + 24);
    const nameLength = directory.u16(pos + 28);
    const extraLength = directory.u16(pos + 30);
    const commentLength = directory.u16(pos + 32);
    let headerOffset = directory.u32(pos + 42);
    const nameAt = pos + 46;
    if (nameAt + nameLength + extraLength > directory.bytes.length) throw malformed(op, `central directory entry ${k} runs past the directory's end`);
    const name = names.decode(directory.bytes.subarray(nameAt, nameAt + nameLength));
    // The zip64 extra field (id 1) holds, in this order, those of the sizes and offset that are 0xFFFFFFFF.
    for (let e = nameAt + nameLength, end = e + extraLength; e + 4 <= end; ) {
      const id = directory.u16(e);
      const length = directory.u16(e + 2);
      if (id === 1) {
        let f = e + 4;
        const next = (): number => {
          if (f + 8 > e + 4 + length) throw malformed(op, `the zip64 field of ${JSON.stringify(name)} is too short`);
          f += 8;
          return directory.u64(f - 8);
        };
        if (originalSize === 0xffffffff) originalSize = next();
        if (compressedSize === 0xffffffff) compressedSize = next();
        if (headerOffset === 0xffffffff) headerOffset = next();
      }
      e += 4 + length;
    }
    if (method !== 0 && method !== 8) throw malformed(op, `the record ${JSON.stringify(name)} uses compression method ${method} (only stored and deflated records are read)`);
    checkExpansion(op, name, method, compressedSize, originalSize);
    if (method === 0 && compressedSize !== originalSize) {
      throw malformed(op, `the stored record ${JSON.stringify(name)} has ${compressedSize} bytes but claims ${originalSize} once read`);
    }
    entries.push({ name, method, compressedSize, size: originalSize, headerOffset });
    pos = nameAt + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The bytes of `entry` (inflated if deflated), in a fresh buffer the caller owns. */
export function readZipEntry(op: string, path: string, fd: number, size: number, entry: ZipEntry): Uint8Array {
  const header = new Reader(op, readAt(op, path, fd, size, entry.headerOffset, 30, `the local header of ${JSON.stringify(entry.name)}`));
  if (header.u32(0) !== LOCAL) throw malformed(op, `no local header for ${JSON.stringify(entry.name)} at byte ${entry.headerOffset}`);
  const dataStart = entry.headerOffset + 30 + header.u16(26) + header.u16(28);
  const stored = readAt(op, path, fd, size, dataStart, entry.compressedSize, `the data of ${JSON.stringify(entry.name)}`);
  if (entry.method === 0) return stored;
  let inflated: Uint8Array;
  try {
    inflated = inflateSync(stored, { out: new Uint8Array(entry.size) });
  } catch (e) {
    throw malformed(op, `the record ${JSON.stringify(entry.name)} does not inflate: ${(e as Error).message}`);
  }
  if (inflated.length !== entry.size) throw malformed(op, `the record ${JSON.stringify(entry.name)} inflates to ${inflated.length} bytes, not the ${entry.size} it claims`);
  return inflated;
}

/** A record to write: its name and its bytes (computed when it is written, so only one is in memory at a time beyond the caller's). */
export interface ZipRecord {
  name: string;
  bytes: () => Uint8Array;
}

/** Where a record's data starts is a multiple of this, as PyTorch aligns them (so a reader may map them). */
const ALIGN = 64;
/** The extra-field id PyTorch pads with ("FB"). */
const PADDING_FIELD = 0x4246;

/**
 * Writes `records` at `fd` as a zip archive of stored (uncompressed) records, each streamed from
 * its bytes, with its CRC-32 computed first, and its data aligned to 64 bytes as `torch.save`
 * does. Archives past 4 GiB would need zip64, which is not written: they throw a RangeError.
 */
export function writeStoredZip(op: string, fd: number, records: readonly ZipRecord[], crc32: (bytes: Uint8Array) => number): void {
  const encoder = new TextEncoder();
  const central: Uint8Array[] = [];
  let offset = 0;
  const put = (bytes: Uint8Array): void => {
    writeAll(fd, bytes);
    offset += bytes.length;
  };
  const tooLarge = (): never => {
    throw new RangeError(`${op}: the archive would pass 4 GiB, which needs zip64; saveTorch does not write zip64 yet (save with saveSafetensors, which has no such limit)`);
  };
  for (const record of records) {
    const name = encoder.encode(record.name);
    const data = record.bytes();
    const crc = crc32(data);
    const headerAt = offset;
    const unpadded = headerAt + 30 + name.length + 4;
    const pad = (ALIGN - (unpadded % ALIGN)) % ALIGN;
    if (headerAt > 0xffffffff || data.length > 0xffffffff) tooLarge();
    const local = new Uint8Array(30 + name.length + 4 + pad);
    const l = new DataView(local.buffer);
    l.setUint32(0, LOCAL, true);
    l.setUint16(4, 20, true); // version needed: 2.0
    l.setUint16(12, 0x21, true); // 1980-01-01, the zip epoch (no timestamps: the same state writes the same bytes)
    l.setUint32(14, crc, true);
    l.setUint32(18, data.length, true);
    l.setUint32(22, data.length, true);
    l.setUint16(26, name.length, true);
    l.setUint16(28, 4 + pad, true);
    local.set(name, 30);
    l.setUint16(30 + name.length, PADDING_FIELD, true);
    l.setUint16(32 + name.length, pad, true);
    put(local);
    put(data);
    const entry = new Uint8Array(46 + name.length);
    const c = new DataView(entry.buffer);
    c.setUint32(0, CENTRAL, true);
    c.setUint16(4, 20, true);
    c.setUint16(6, 20, true);
    c.setUint16(14, 0x21, true);
    c.setUint32(16, crc, true);
    c.setUint32(20, data.length, true);
    c.setUint32(24, data.length, true);
    c.setUint16(28, name.length, true);
    c.setUint32(42, headerAt, true);
    entry.set(name, 46);
    central.push(entry);
  }
  const directoryAt = offset;
  for (const entry of central) put(entry);
  if (offset > 0xffffffff || central.length > 0xffff) tooLarge();
  const end = new Uint8Array(22);
  const e = new DataView(end.buffer);
  e.setUint32(0, EOCD, true);
  e.setUint16(8, central.length, true);
  e.setUint16(10, central.length, true);
  e.setUint32(12, offset - directoryAt, true);
  e.setUint32(16, directoryAt, true);
  put(end);
}
