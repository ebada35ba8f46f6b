/**
 * `torch.save` files in Node: the path forms of core's torch-load.ts and torch-save.ts. Loading
 * reads the zip's central directory and then each record by file handle (node/zip-file.ts), so the
 * file is never in memory whole: a storage is read straight into the buffer its tensors keep.
 * Saving streams each tensor's storage from its own buffer into a durable write.
 */
import { closeSync, fstatSync, openSync } from "node:fs";
import { crc32 } from "node:zlib";
import { checkTorchSignature, decodeTorchRecords, isTorchRecord, type TorchRecords } from "../torch-load.js";
import { pickleForTorch } from "../torch-save.js";
import { tensorBytes } from "../serialize.js";
import { fileError, readAll, writeAtomically } from "./files.js";
import { readZipDirectory, readZipEntry, writeStoredZip } from "./zip-file.js";

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

/**
 * Writes `value` to `path` as `torch.save` does (the zip format of PyTorch ≥ 1.6), so PyTorch's
 * `torch.load(path)` (`weights_only=True` included) reads it: a model's state dict
 * (`model.load_state_dict(torch.load(path))`), an optimizer's in PyTorch's layout
 * (`opt.stateDict({ layout: "pytorch" })`, for `optimizer.load_state_dict(torch.load(path))`), or
 * a checkpoint dict of them and plain values. Objects become dicts (a key that is a
 * non-negative integer, like an optimizer state's parameter index, becomes a Python int, the
 * inverse of {@link loadTorch}), arrays lists, numbers int (whole numbers) or float, null None,
 * and each tensor a contiguous tensor of its dtype with a storage of its own.
 *
 * Each tensor's storage is streamed to the file from its own buffer, and the write is durable
 * (a temporary file, fsync, rename; the next save of the same path removes the temporary files
 * that killed saves of it left) like `save`'s. Files past 4 GiB (which need zip64) are not
 * written yet: use `saveSafetensors`. Node only. PyTorch: `torch.save(obj, path)`.
 *
 * @example
 * ```ts
 * const model = new nn.Linear(2, 1);
 * saveTorch(model.stateDict(), "model.pt");   // torch: model.load_state_dict(torch.load("model.pt"))
 * Object.keys(loadTorch("model.pt") as object); // → ["weight", "bias"]
 * ```
 * @group Serialization
 */
export function saveTorch(value: unknown, path: string): void {
  const op = "saveTorch";
  const { pickle, storages } = pickleForTorch(op, value);
  const text = (s: string) => () => new TextEncoder().encode(s);
  const records = [
    { name: "archive/data.pkl", bytes: () => pickle },
    { name: "archive/byteorder", bytes: text("little") },
    ...storages.map((t, i) => ({ name: `archive/data/${i}`, bytes: () => tensorBytes(t) })),
    { name: "archive/version", bytes: text("3\n") },
  ];
  writeAtomically(op, path, (fd) => writeStoredZip(op, fd, records, (bytes) => crc32(bytes)));
}
