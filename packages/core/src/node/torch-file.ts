/** `torch.save` files in Node: the path form of core's torch-load.ts. */
import { readFileSync } from "node:fs";
import { decodeTorchAs } from "../torch-load.js";
import { fileError } from "./files.js";

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
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw fileError("loadTorch", "read", path, e);
  }
  return decodeTorchAs("loadTorch", bytes);
}
