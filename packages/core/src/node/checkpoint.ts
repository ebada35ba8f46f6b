/**
 * Training checkpoints: a model, its optimizer, scheduler, random generators and plain values
 * (epoch, best loss) in one durable file, restored in place so that training resumes exactly where
 * it stopped. The file is a safetensors file: every tensor of every state dict is a record (named by
 * its path, `model["0.weight"]`, `optimizer.state.0.expAvg`), streamed to and from disk, and the
 * structure around them is tsgrad's serialize JSON in the metadata, with tensors by reference.
 * PyTorch (`safetensors.torch.load_file`) can read the tensors.
 */
import { Generator } from "../random.js";
import type { Tensor } from "../tensor.js";
import { describeValue, optionChecks, resolveOptions } from "../options.js";
import { deserializeAs, serializeAs, type TensorStore } from "../serialize.js";
import { readSafetensors, writeSafetensors } from "./safetensors-file.js";

const FORMAT = "tsgrad-checkpoint";
/** The metadata keys: the saved entries (serialize's JSON, tensors by record name), and how each is restored. */
const STRUCTURE_KEY = "tsgrad.checkpoint";
const KINDS_KEY = "tsgrad.kinds";

/**
 * Options of {@link saveCheckpoint}.
 *
 * | option | default | meaning |
 * |---|---|---|
 * | `checksum` | `true` | store the data's SHA-256 in the metadata; loading verifies it |
 *
 * @example
 * ```ts
 * const options: CheckpointOptions = { checksum: false };
 * ```
 * @group Serialization
 */
export interface CheckpointOptions {
  /** Store the SHA-256 of the tensors' data, verified by {@link loadCheckpoint} (default true). */
  checksum?: boolean;
}

/** Something whose state a checkpoint saves and restores: a module, an optimizer, a scheduler. */
interface Stateful {
  stateDict(): unknown;
  loadStateDict(state: never): unknown;
}

const isStateful = (v: unknown): v is Stateful =>
  v !== null && typeof v === "object" && typeof (v as Stateful).stateDict === "function" && typeof (v as Stateful).loadStateDict === "function";

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/** How each saved entry is restored. */
type Kind = "stateDict" | "generator" | "value";

/**
 * Saves a training checkpoint to `path`: for each entry of `entries`, the state of a module,
 * optimizer or learning-rate scheduler (anything with `stateDict()` / `loadStateDict()`), the
 * state of a {@link Generator} (pass `getDefaultGenerator()` for the global one, which `randn`,
 * dropout and a DataLoader without its own generator draw from), or a plain value (`epoch`, a loss,
 * a tensor, nested arrays and objects). {@link loadCheckpoint} restores them in place, and the
 * training that follows is bit-identical to one that never stopped: parameters, optimizer moments,
 * the learning-rate schedule, and the random streams (so dropout masks and the DataLoader's shuffle
 * order of the next epoch) all continue.
 *
 * The file is a safetensors file (each tensor a record named by its path, such as
 * `model["0.weight"]`), written durably (a temporary file, fsync, rename) and streamed tensor by
 * tensor, with the SHA-256 of the data unless `{ checksum: false }`. Node only. PyTorch:
 * `torch.save({"model": model.state_dict(), "optimizer": ..., "epoch": e, "rng": torch.get_rng_state()}, path)`.
 *
 * @example
 * ```ts
 * const model = new nn.Linear(2, 1);
 * const optimizer = new optim.Adam(model.parameters(), { lr: 0.01 });
 * saveCheckpoint({ model, optimizer, epoch: 3, rng: getDefaultGenerator() }, "ckpt.safetensors");
 * const resumed = new nn.Linear(2, 1);
 * const { epoch } = loadCheckpoint("ckpt.safetensors", { model: resumed }) as { epoch: number };
 * epoch; // → 3
 * resumed.weight.equal(model.weight); // → true
 * ```
 * @group Serialization
 */
export function saveCheckpoint(entries: Record<string, unknown>, path: string, options?: CheckpointOptions): void {
  const op = "saveCheckpoint";
  const { checksum } = resolveOptions(op, options, { checksum: true }, { checksum: optionChecks.boolean });
  if (!isRecord(entries)) throw new TypeError(`${op}: expected an object of named entries ({ model, optimizer, epoch, ... }), got ${describeValue(entries)}`);
  const kinds: Record<string, Kind> = {};
  const record: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entries)) {
    const [kind, saved]: [Kind, unknown] =
      value instanceof Generator ? ["generator", value.getState()] : isStateful(value) ? ["stateDict", value.stateDict()] : ["value", value];
    Object.defineProperty(kinds, key, { value: kind, enumerable: true, writable: true, configurable: true });
    Object.defineProperty(record, key, { value: saved, enumerable: true, writable: true, configurable: true });
  }
  const tensors: Record<string, Tensor> = {};
  const store: TensorStore = {
    write(t, at) {
      let name = at;
      for (let n = 1; Object.hasOwn(tensors, name); n++) name = `${at}#${n}`;
      Object.defineProperty(tensors, name, { value: t, enumerable: true, writable: true, configurable: true });
      return name;
    },
    read: () => {
      throw new Error("unreachable");
    },
  };
  const structure = serializeAs(op, record, store);
  writeSafetensors(op, tensors, path, { metadata: { format: FORMAT, [STRUCTURE_KEY]: structure, [KINDS_KEY]: JSON.stringify(kinds) }, checksum });
}

/**
 * Reads a checkpoint {@link saveCheckpoint} wrote and restores it into `targets`, in their order:
 * each module, optimizer or scheduler through its `loadStateDict`, each {@link Generator} through
 * `setState`, under the same keys they were saved with (restore the model before its optimizer, as
 * the key order of `{ model, optimizer, scheduler }` does). Returns everything saved, the plain
 * values (`epoch`) and the raw state of each restored entry. A key of `targets` the checkpoint does
 * not hold throws, naming the keys it has. The file is validated as {@link loadSafetensors} does,
 * its checksum verified. Node only. PyTorch: `ckpt = torch.load(path)` then
 * `model.load_state_dict(ckpt["model"])`, `torch.set_rng_state(ckpt["rng"])`, ….
 *
 * @example
 * ```ts
 * const model = new nn.Linear(2, 1);
 * const optimizer = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * const scheduler = new optim.StepLR(optimizer, { stepSize: 2 });
 * saveCheckpoint({ model, optimizer, scheduler, epoch: 1 }, "ckpt.safetensors");
 * const saved = loadCheckpoint("ckpt.safetensors", { model, optimizer, scheduler });
 * saved.epoch; // → 1
 * ```
 * @group Serialization
 */
export function loadCheckpoint(path: string, targets: Record<string, unknown> = {}): Record<string, unknown> {
  const op = "loadCheckpoint";
  if (!isRecord(targets)) throw new TypeError(`${op}: targets must be an object of named entries ({ model, optimizer, ... }), got ${describeValue(targets)}`);
  const { tensors, metadata } = readSafetensors(op, path);
  const structure = Object.hasOwn(metadata, STRUCTURE_KEY) ? metadata[STRUCTURE_KEY] : undefined;
  if (metadata.format !== FORMAT || structure === undefined) {
    throw new TypeError(`${op}: ${JSON.stringify(path)} is a safetensors file but not a tsgrad checkpoint (no "${STRUCTURE_KEY}" in its metadata); read it with loadSafetensors`);
  }
  const store: TensorStore = {
    write: () => {
      throw new Error("unreachable");
    },
    read(name, at) {
      if (typeof name !== "string" || !Object.hasOwn(tensors, name)) {
        throw new RangeError(`${op}: the checkpoint's ${at || "top level"} refers to the tensor ${JSON.stringify(name)}, which the file does not hold`);
      }
      return tensors[name];
    },
  };
  const record = deserializeAs(op, structure, store);
  let kinds: unknown;
  try {
    kinds = JSON.parse(metadata[KINDS_KEY] ?? "");
  } catch {
    kinds = undefined;
  }
  if (!isRecord(kinds) || !isRecord(record)) throw new TypeError(`${op}: malformed checkpoint: its metadata's "${STRUCTURE_KEY}" and "${KINDS_KEY}" must be objects`);
  for (const [key, target] of Object.entries(targets)) {
    if (!Object.hasOwn(record, key)) {
      throw new RangeError(`${op}: the checkpoint holds no ${JSON.stringify(key)} (it holds ${Object.keys(record).map((k) => JSON.stringify(k)).join(", ") || "nothing"})`);
    }
    const saved = record[key];
    if (target instanceof Generator) {
      if (kinds[key] !== "generator" || !Array.isArray(saved) || saved.length !== 6 || !saved.every((v) => typeof v === "number")) {
        throw new TypeError(`${op}: ${JSON.stringify(key)} was not saved from a Generator, so a Generator cannot restore it`);
      }
      target.setState(saved as number[]);
    } else if (isStateful(target)) {
      if (kinds[key] !== "stateDict") throw new TypeError(`${op}: ${JSON.stringify(key)} was saved as a plain value, not a state dict, so ${describeValue(target)} cannot load it`);
      target.loadStateDict(saved as never);
    } else {
      throw new TypeError(`${op}: cannot restore ${JSON.stringify(key)} into ${describeValue(target)}: a target needs loadStateDict (a module, optimizer or scheduler) or is a Generator`);
    }
  }
  return record;
}
