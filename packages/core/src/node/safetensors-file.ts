/**
 * safetensors files in Node: the header and bytes of core's safetensors.ts, streamed tensor by
 * tensor to and from the file, so saving and loading need no second copy of the data.
 */
import { createHash } from "node:crypto";
import { closeSync, fstatSync, openSync } from "node:fs";
import type { Tensor } from "../tensor.js";
import {
  CHECKSUM_KEY, checkDigest, finishTensor, headerLength, parseSafetensorsHeader, resolveSafetensorsOptions,
  safetensorsBytes, safetensorsLayout, tensorEntries, tensorTarget, type SafetensorsHeader, type SafetensorsOptions,
} from "../safetensors.js";
import { fileError, readAll, writeAll, writeAtomically } from "./files.js";

/** Something with a state dict of tensors: a module (`saveSafetensors(model, path)`). */
interface HasStateDict {
  stateDict(): Record<string, Tensor>;
}

const hasStateDict = (v: unknown): v is HasStateDict =>
  v !== null && typeof v === "object" && typeof (v as { stateDict?: unknown }).stateDict === "function";

/** Writes named tensors as safetensors to `path` durably (temp file, fsync, rename); `op` names errors. */
export function writeSafetensors(op: string, tensors: unknown, path: string, options: SafetensorsOptions | undefined): void {
  const { metadata, checksum } = resolveSafetensorsOptions(op, options);
  const entries = tensorEntries(op, hasStateDict(tensors) ? tensors.stateDict() : tensors);
  let digest: string | undefined;
  if (checksum) {
    const hash = createHash("sha256");
    for (const [, t] of entries) hash.update(safetensorsBytes(t));
    digest = hash.digest("hex");
  }
  const layout = safetensorsLayout(entries, metadata, digest);
  writeAtomically(op, path, (fd) => {
    writeAll(fd, layout.header);
    for (const [, t] of entries) writeAll(fd, safetensorsBytes(t));
  });
}

/**
 * Writes named tensors (a state dict, or a module, whose `stateDict()` is taken) to `path` as a
 * safetensors file, the format PyTorch (`safetensors.torch.load_file`), Hugging Face and ONNX
 * tooling read; see `encodeSafetensors` for the dtypes and the layout. The names are kept, so
 * `nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Linear(32, 1))` writes `0.weight` `[32, 2]`,
 * `0.bias`, `2.weight`, `2.bias` as `torch.nn.Sequential` does, and PyTorch's `load_state_dict`
 * takes the file as it is.
 *
 * Each tensor is streamed to the file from its own storage (no copy of the whole state dict is
 * made), and the write is durable: a temporary file in the same directory, flushed to disk, then
 * renamed over `path`, so a crash leaves the old file or the new one, never a mixture (the next
 * save of the same path removes the temporary files that killed saves of it left).
 * `{ metadata }` is stored as `__metadata__`; `{ checksum: true }` adds the data's SHA-256 as
 * `__metadata__.sha256`, which loading verifies. Node only. PyTorch:
 * `safetensors.torch.save_file(tensors, path, metadata)`.
 *
 * @example
 * ```ts
 * const model = new nn.Sequential(new nn.Linear(2, 32), new nn.ReLU(), new nn.Linear(32, 1));
 * saveSafetensors(model.stateDict(), "model.safetensors", { metadata: { format: "pt" } });
 * Object.keys(loadSafetensors("model.safetensors")); // → ["0.weight", "0.bias", "2.weight", "2.bias"]
 * ```
 * @group Serialization
 */
export function saveSafetensors(tensors: Record<string, Tensor> | HasStateDict, path: string, options?: SafetensorsOptions): void {
  writeSafetensors("saveSafetensors", tensors, path, options);
}

/** An open safetensors file: its descriptor, validated header and where its data starts. */
interface OpenFile {
  fd: number;
  header: SafetensorsHeader;
  dataStart: number;
}

/** Opens `path` and validates its header against the file's size; the caller closes `fd`. */
function openSafetensors(op: string, path: string): OpenFile {
  let fd: number;
  let size: number;
  try {
    fd = openSync(path, "r");
    size = fstatSync(fd).size;
  } catch (e) {
    throw fileError(op, "read", path, e);
  }
  try {
    const first8 = new Uint8Array(8);
    if (size >= 8) readAll(op, path, fd, first8, 0);
    const n = headerLength(op, first8, size);
    const json = new Uint8Array(n);
    readAll(op, path, fd, json, 8);
    return { fd, header: parseSafetensorsHeader(op, json, size - 8 - n), dataStart: 8 + n };
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}

/** Reads every tensor of a safetensors file, each straight into the storage it will own. */
export function readSafetensors(op: string, path: string): { tensors: Record<string, Tensor>; metadata: Record<string, string> } {
  const { fd, header, dataStart } = openSafetensors(op, path);
  try {
    const expected = Object.hasOwn(header.metadata, CHECKSUM_KEY) ? header.metadata[CHECKSUM_KEY] : undefined;
    const hash = expected === undefined ? undefined : createHash("sha256");
    const read: Array<[string, Uint8Array]> = header.entries.map((e) => {
      const bytes = tensorTarget(e);
      readAll(op, path, fd, bytes, dataStart + e.begin);
      hash?.update(bytes); // the entries tile the data in order, so this hashes the data section
      return [e.name, bytes];
    });
    if (hash !== undefined) checkDigest(op, expected as string, hash.digest("hex"));
    const tensors = Object.fromEntries(read.map(([name, bytes], i) => [name, finishTensor(op, header.entries[i], bytes)]));
    return { tensors, metadata: { ...header.metadata } };
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads the named tensors of a safetensors file at `path` (written by tsgrad, PyTorch's
 * `safetensors.torch.save_file`, or any other writer), in the file's data order. The file is
 * untrusted and validated before anything is allocated (the header at most 100 MB, offsets that
 * tile the data exactly, shapes × dtype sizes against the offsets, the header against the file's
 * size), and each tensor is read straight into its own storage. F16 and BF16 load as float32, I64
 * as int32 (a value outside int32's range throws); the data's `__metadata__.sha256`, when present,
 * is verified. Node only. PyTorch: `safetensors.torch.load_file(path)`.
 *
 * @example
 * ```ts
 * saveSafetensors({ w: tensor([[1, 2]]) }, "w.safetensors");
 * loadSafetensors("w.safetensors").w.toArray(); // → [[1, 2]]
 * ```
 * @group Serialization
 */
export function loadSafetensors(path: string): Record<string, Tensor> {
  return readSafetensors("loadSafetensors", path).tensors;
}

/**
 * The `__metadata__` of the safetensors file at `path` (string → string, `{}` when absent),
 * reading only its header. Node only. PyTorch: `safetensors.safe_open(path, "pt").metadata()`.
 *
 * @example
 * ```ts
 * saveSafetensors({ w: tensor([1]) }, "w.safetensors", { metadata: { epoch: "3" } });
 * loadSafetensorsMetadata("w.safetensors"); // → { epoch: "3" }
 * ```
 * @group Serialization
 */
export function loadSafetensorsMetadata(path: string): Record<string, string> {
  const { fd, header } = openSafetensors("loadSafetensorsMetadata", path);
  closeSync(fd);
  return { ...header.metadata };
}
