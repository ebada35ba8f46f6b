/**
 * `torch.save` files in Node: the path form of core's torch-load.ts, reading the zip's central
 * directory and then each record by file handle (node/zip-file.ts), so the file is never in memory
 * whole: a storage is read straight into the buffer its tensors keep.
 */
import { closeSync, fstatSync, openSync } from "node:fs";
import { checkTorchSignature, decodeTorchRecords, isTorchRecord, type TorchRecords } from "../torch-load.js";
import { fileError, readAll } from "./files.js";
import { readZipDirectory, readZipEntry } from "./zip-file.js";

/**
 * Reads a file written by `torch.save` (`.pt`, `.pth`, `.bin`: the zip format of PyTorch ≥ 1.6)
 * into tsgrad values: a model's state dict as `Record<string, Tensor>` under PyTorch's keys, ready
 * for `loadStateDict`; an optimizer's state dict, a checkpoint dict, nested lists and tuples
 * (arrays), ints and floats (numbers), strings, bools and None (null). Tensors keep their views
 * (offsets, strides) and shared storages; float16/bfloat16 load as float32 and int64 as int32
 * (a value outside int32's range throws). See `decodeTorch` for the rules.
 *
 * Safe on untrusted files, as `torch.load(path, weights_only=True)`: a weights-only unpickler that
 * refuses any Python global outside its allowlist (naming it), so nothing in a file can run code.
 * The file is read by handle: the zip's central directory, then each storage straight into the
 * buffer its tensors keep, so a 2 GB state dict loads in about 2 GB of memory (every record and
 * the directory are checked against the file's size before anything is allocated for them).
 * Node only. PyTorch: `torch.load(path, weights_only=True)`.
 *
 * @example
 * ```ts
 * // doctest: skip (needs a .pt file written by PyTorch)
 * const model = new nn.Sequential(new nn.Linear(2, 32), new nn.ReLU(), new nn.Linear(32, 1));
 * model.loadStateDict(loadTorch("model.pt") as Record<string, Tensor>);
 * ```
 * @group Serialization
 */
export function loadTorch(path: string): unknown {
  const op = "loadTorch";
  let fd: number;
  let size: number;
  try {
    fd = openSync(path, "r");
    size = fstatSync(fd).size;
  } catch (e) {
    throw fileError(op, "read", path, e);
  }
  try {
    const first = new Uint8Array(Math.min(2, size));
    readAll(op, path, fd, first, 0);
    checkTorchSignature(op, first);
    const entries = new Map(readZipDirectory(op, path, fd, size).filter((e) => isTorchRecord(e.name)).map((e) => [e.name, e]));
    const records: TorchRecords = { names: [...entries.keys()], read: (name) => readZipEntry(op, path, fd, size, entries.get(name)!) };
    return decodeTorchRecords(op, records);
  } finally {
    closeSync(fd);
  }
}
