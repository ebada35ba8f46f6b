/**
 * Persistence in a browser: models and checkpoints as {@link serialize}d bytes in IndexedDB, or
 * handed to the user as a downloaded file. Nothing here runs at import; each function reads the
 * browser global it needs (`indexedDB`, `document`) when called, and says so when it is missing
 * (in Node, use `save` / `load` from `@tsgrad/core/node`).
 */
import { serialize, deserialize } from "./serialize.js";
import { resolveOptions, optionChecks, describeValue } from "./options.js";

/**
 * Where {@link saveToIndexedDB} and {@link loadFromIndexedDB} keep their records.
 *
 * @example
 * ```ts
 * const where: IndexedDBOptions = { database: "my-app", store: "checkpoints" };
 * ```
 * @group Serialization
 */
export interface IndexedDBOptions {
  /** The IndexedDB database's name; default `"tsgrad"`. */
  database?: string;
  /** The object store inside it; default `"models"`. */
  store?: string;
}

// The few IndexedDB and DOM shapes used here, declared locally: core compiles without the DOM
// library, and its published types must not require it.
interface IdbRequest<T> {
  result: T;
  error: { message: string } | null;
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
}
interface IdbOpenRequest extends IdbRequest<IdbDatabase> {
  onupgradeneeded: (() => void) | null;
}
interface IdbFactory {
  open(name: string, version?: number): IdbOpenRequest;
}
interface IdbDatabase {
  readonly version: number;
  readonly objectStoreNames: { contains(name: string): boolean };
  createObjectStore(name: string): unknown;
  transaction(store: string, mode: "readonly" | "readwrite"): IdbTransaction;
  close(): void;
}
interface IdbTransaction {
  error: { message: string } | null;
  oncomplete: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
  objectStore(name: string): IdbStore;
}
interface IdbStore {
  put(value: unknown, key: string): IdbRequest<unknown>;
  get(key: string): IdbRequest<unknown>;
  delete(key: string): IdbRequest<unknown>;
}
interface Page {
  document?: {
    createElement(tag: "a"): { href: string; download: string; style: { display: string }; click(): void; remove(): void };
    body: { appendChild(node: unknown): unknown };
  };
  Blob: new (parts: unknown[], options: { type: string }) => object;
  URL: { createObjectURL(blob: object): string; revokeObjectURL(url: string): void };
}

const DB_DEFAULTS: Required<IndexedDBOptions> = { database: "tsgrad", store: "models" };
const DB_CHECKS = { database: optionChecks.string, store: optionChecks.string };

function idbFactory(op: string): IdbFactory {
  const factory = (globalThis as { indexedDB?: IdbFactory }).indexedDB;
  if (factory === undefined) {
    throw new Error(`${op}: IndexedDB is not available in this runtime (in Node, use save / load from "@tsgrad/core/node")`);
  }
  return factory;
}

function checkKey(op: string, key: unknown): void {
  if (typeof key !== "string" || key === "") throw new TypeError(`${op}: key must be a non-empty string, got ${describeValue(key)}`);
}

/** `request`'s result as a promise; its error, or `what`, named by `op` when it fails. */
function settle<T>(op: string, request: IdbRequest<T>, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(new Error(`${op}: ${what}: ${request.error?.message ?? "unknown IndexedDB error"}`, { cause: request.error }));
  });
}

/** Opens (creating when needed) `database` with the object store `store`. */
async function openStore(op: string, { database, store }: Required<IndexedDBOptions>): Promise<IdbDatabase> {
  const factory = idbFactory(op);
  let db = await openAt(op, factory, database, undefined, store);
  if (!db.objectStoreNames.contains(store)) {
    // A database made by someone else without our store: one version up adds it.
    const version = db.version + 1;
    db.close();
    db = await openAt(op, factory, database, version, store);
  }
  return db;
}

function openAt(op: string, factory: IdbFactory, database: string, version: number | undefined, store: string): Promise<IdbDatabase> {
  const request = factory.open(database, version);
  request.onupgradeneeded = () => {
    if (!request.result.objectStoreNames.contains(store)) request.result.createObjectStore(store);
  };
  return settle(op, request, `cannot open the IndexedDB database ${JSON.stringify(database)}`);
}

/** Runs one request on `store` in a transaction of `mode`, closing the database after it. */
async function withStore<T>(
  op: string, options: Required<IndexedDBOptions>, mode: "readonly" | "readwrite", what: string, run: (s: IdbStore) => IdbRequest<T>,
): Promise<T> {
  const db = await openStore(op, options);
  try {
    const tx = db.transaction(options.store, mode);
    const result = await settle(op, run(tx.objectStore(options.store)), what);
    if (mode === "readwrite") {
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = tx.onabort = () => reject(new Error(`${op}: ${what}: ${tx.error?.message ?? "the transaction was aborted"}`, { cause: tx.error }));
      });
    }
    return result;
  } finally {
    db.close();
  }
}

/**
 * Stores `value` (a {@link Savable}: a state dict, a checkpoint, a tensor) under `key` in the
 * browser's IndexedDB, as the bytes of {@link serialize}, replacing what was there. Resolves when
 * the write is committed. Bad arguments throw at once (before anything is written); IndexedDB
 * errors (quota, private mode) reject with an error naming `saveToIndexedDB` and the key.
 * Browser and Web Worker only; the Node counterpart is `save`. No PyTorch equivalent (`torch.save`).
 *
 * @example
 * ```ts
 * // doctest: skip (needs a browser's IndexedDB; run by the browser tests)
 * const model = new nn.Linear(2, 1);
 * await saveToIndexedDB(model.stateDict(), "moons-model");
 * model.loadStateDict((await loadFromIndexedDB("moons-model")) as Record<string, Tensor>);
 * ```
 * @group Serialization
 */
export function saveToIndexedDB(value: unknown, key: string, options?: IndexedDBOptions): Promise<void> {
  const opts = resolveOptions("saveToIndexedDB", options, DB_DEFAULTS, DB_CHECKS);
  checkKey("saveToIndexedDB", key);
  const bytes = serialize(value);
  return withStore("saveToIndexedDB", opts, "readwrite", `cannot store ${JSON.stringify(key)}`, (s) => s.put(bytes, key)).then(() => undefined);
}

/**
 * Reads what {@link saveToIndexedDB} stored under `key`: the same structure, with fresh tensors
 * (cast it to what you saved). The record is validated like any untrusted file (errors start with
 * `deserialize:`); a missing key rejects with an error naming `loadFromIndexedDB` and the key.
 * Browser and Web Worker only; the Node counterpart is `load`. No PyTorch equivalent (`torch.load`).
 *
 * @example
 * ```ts
 * // doctest: skip (needs a browser's IndexedDB; run by the browser tests)
 * await saveToIndexedDB({ w: tensor([1, 2]) }, "w");
 * ((await loadFromIndexedDB("w")) as { w: Tensor }).w.toArray(); // [1, 2]
 * ```
 * @group Serialization
 */
export function loadFromIndexedDB(key: string, options?: IndexedDBOptions): Promise<unknown> {
  const op = "loadFromIndexedDB";
  const opts = resolveOptions(op, options, DB_DEFAULTS, DB_CHECKS);
  checkKey(op, key);
  return withStore(op, opts, "readonly", `cannot read ${JSON.stringify(key)}`, (s) => s.get(key)).then((stored) => {
    if (stored === undefined) throw new Error(`${op}: no record ${JSON.stringify(key)} in the IndexedDB store ${JSON.stringify(opts.store)} of ${JSON.stringify(opts.database)}`);
    if (!(stored instanceof Uint8Array)) throw new TypeError(`${op}: the record ${JSON.stringify(key)} is not tsgrad bytes (got ${describeValue(stored)})`);
    return deserialize(stored);
  });
}

/**
 * Deletes the record `key` that {@link saveToIndexedDB} stored (nothing happens when there is
 * none). Browser and Web Worker only.
 *
 * @example
 * ```ts
 * // doctest: skip (needs a browser's IndexedDB; run by the browser tests)
 * await deleteFromIndexedDB("moons-model");
 * ```
 * @group Serialization
 */
export function deleteFromIndexedDB(key: string, options?: IndexedDBOptions): Promise<void> {
  const op = "deleteFromIndexedDB";
  const opts = resolveOptions(op, options, DB_DEFAULTS, DB_CHECKS);
  checkKey(op, key);
  return withStore(op, opts, "readwrite", `cannot delete ${JSON.stringify(key)}`, (s) => s.delete(key)).then(() => undefined);
}

/**
 * Offers `value` to the user as a downloaded file named `filename`: the bytes of
 * {@link serialize} in a Blob, through a temporary `<a download>` link. A file saved this way loads
 * in Node with `load` and in a page with `deserialize(new Uint8Array(await file.arrayBuffer()))`.
 * Pages only (it needs `document`); in a Web Worker, post the bytes of `serialize` to the page.
 * The Blob it made is returned (typed `object`, so core's types need no DOM library).
 *
 * @example
 * ```ts
 * // doctest: skip (needs a page's document; run by the browser tests)
 * downloadBytes(model.stateDict(), "model.json");
 * ```
 * @group Serialization
 */
export function downloadBytes(value: unknown, filename: string): object {
  if (typeof filename !== "string" || filename === "") throw new TypeError(`downloadBytes: filename must be a non-empty string, got ${describeValue(filename)}`);
  const page = globalThis as unknown as Page;
  const doc = page.document;
  if (doc === undefined) throw new Error("downloadBytes: there is no document to download from (a Web Worker or Node); post serialize(value) to the page instead");
  const blob = new page.Blob([serialize(value)], { type: "application/json" });
  const url = page.URL.createObjectURL(blob);
  const link = doc.createElement("a");
  link.href = url;
  link.download = filename;
  link.style.display = "none";
  doc.body.appendChild(link);
  link.click();
  link.remove();
  // Revoked after the click has been handled, so the download has the URL to read.
  setTimeout(() => page.URL.revokeObjectURL(url), 0);
  return blob;
}
