/**
 * The thread pool of the WASM kernels: worker threads (`worker_threads` in Node, Web Workers in a
 * browser) that share one WebAssembly memory with the main thread and run the kernel module's
 * exports on it, so a large product can split its rows among the cores (wasm/gemm.ts).
 *
 * How a hand-off works. The pool starts lazily, on the first product big enough to split. Each
 * worker is a small self-contained script (WORKER_SOURCE: `eval` in Node, a Blob URL in a browser,
 * so it resolves no file and works the same from the sources, the build and a bundler). It gets
 * the compiled WebAssembly.Module, the shared memory and a control block (an Int32Array over its
 * own SharedArrayBuffer) by postMessage, instantiates the module and sleeps in Atomics.wait. A job
 * is a fixed list of shares, each a sequence of export calls writing its own part of the memory
 * (a range of rows of C). `runOnThreads` writes the shares into the control block, wakes the
 * workers, and then every thread, the main thread included, claims the next share with one
 * Atomics.add and runs it, until none is left; the main thread then waits for the shares still
 * running (Atomics.wait in Node; on a browser's main thread, where Atomics.wait is refused, it
 * spins on Atomics.load, which only lasts as long as the last share another thread took). A
 * worker that is slow to wake (a busy machine) only takes fewer shares, so a product never waits
 * for a worker that has not started: at worst it runs at one thread's speed. No message crosses
 * the event loop during a product, so a busy main thread never delays it.
 *
 * One thread, always correct. Where there is no shared memory (a page without cross-origin
 * isolation), no worker (a CSP that refuses blob: workers, Node < 20.16 without
 * `process.getBuiltinModule`), or a worker fails to start, every product runs on the main thread,
 * with the same results: the work is split by rows, each row computed by the same export over the
 * same k order whichever thread runs it.
 */

/** The little of WebAssembly used here (the project's lib does not declare it). */
interface WasmModuleApi {
  exports(module: object): { name: string; kind: string }[];
}
/** An instance of a kernel module over a shared memory, as the pool needs it. */
export interface SharedKernels {
  readonly module: object;
  readonly memory: { readonly buffer: ArrayBuffer | SharedArrayBuffer };
  readonly exports: object;
}
/**
 * One call of a kernel export: its name and its (integer) arguments. Or, with `js`, a call of a
 * JavaScript kernel instead: `js` is the body of a function of (f32, f64, p, q, a, b, c, d), views
 * of the shared memory, the job's two float parameters and the call's integer `args` (at most 4),
 * which every thread compiles from this same text (see {@link runOnThreads}); `fn` names it in errors.
 */
export interface KernelCall {
  readonly fn: string;
  readonly args: readonly number[];
  readonly js?: string;
}

// A worker as either runtime gives it.
interface PoolWorker {
  postMessage(message: unknown): void;
  terminate(): unknown;
}

// The control block: a header, each worker's state, and the table of the current job's shares.
// A job has a tag (1 … MAX_TAG, cycling): NEXT and COUNT carry it in their high 16 bits, so a
// claim that a late thread makes on a finished job is recognised by its tag and dropped.
const GEN = 0; // the job number; workers sleep on it
const NEXT = 1; // tag << 16 | the next share to claim; CLOSED between jobs
const DONE = 2; // shares of this job finished
const COUNT = 3; // tag << 16 | shares in this job
const ERROR = 4; // set by a share that threw
const BY_WORKERS = 5; // shares run by workers, ever (threadStats)
const STATES = 8; // STATES + w: worker w's state, 0 starting, 1 ready, 2 failed
const READY = 1;
const FAILED = 2;
const MAX_TAG = 0x7ffe;
const CLOSED = (MAX_TAG + 1) << 16; // a tag no job has
// A share in the table: its call count, then each call's export index, argument count, arguments.
const SHARE_INTS = 24;
/** The most shares one job may have. */
export const MAX_SHARES = 256;
// JS kernels a pool can hold, and the characters of their source text in all.
const MAX_JS_KERNELS = 64;
const JS_TEXT_CHARS = 1 << 16;

/**
 * A worker's script. Plain JS, no imports: Node runs it with `eval: true` (as CommonJS, so it
 * reaches parentPort through require), a browser from a Blob URL (self is its port). It spins a
 * few microseconds before sleeping, so back-to-back jobs skip the wake-up. A late claim may land
 * in the next job (its table and count are written before NEXT opens: the claim is good), on a
 * finished job or on CLOSED (the tags differ, or the index is past the count: dropped).
 */
const WORKER_SOURCE = `"use strict";
const nodePort = typeof require === "function" ? require("node:worker_threads").parentPort : null;
const post = (m) => (nodePort ? nodePort.postMessage(m) : self.postMessage(m));
const start = ({ module, memory, control, slot, names, table, jsArea, jsIndex }) => {
  const ctl = new Int32Array(control);
  const par = new Float64Array(jsArea, 0, 2);
  const text = new Uint16Array(jsArea, 16);
  const jsFns = [];
  let views = null;
  // JS kernel k (call index -1 - k): its source from the shared text area, compiled once, called
  // with float32 and float64 views of the memory and the job's two float parameters first.
  const jsKernel = (k) => {
    if (jsFns[k] === undefined) {
      const at = ctl[jsIndex + 2 * k];
      const body = String.fromCharCode.apply(null, text.slice(at, at + ctl[jsIndex + 2 * k + 1]));
      jsFns[k] = new Function("f32", "f64", "p", "q", "a", "b", "c", "d", body);
    }
    if (views === null || views.f32.buffer.byteLength !== memory.buffer.byteLength) {
      views = { f32: new Float32Array(memory.buffer), f64: new Float64Array(memory.buffer) };
    }
    return jsFns[k];
  };
  let fns;
  try {
    const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
    fns = names.map((name) => exports[name]);
  } catch (e) {
    Atomics.store(ctl, ${STATES} + slot, ${FAILED});
    post({ failed: String(e) });
    return;
  }
  // The job number before this worker says it is ready: a job posted after that wakes it.
  let seen = Atomics.load(ctl, ${GEN});
  Atomics.store(ctl, ${STATES} + slot, ${READY});
  post({ ready: slot });
  const args = [];
  for (;;) {
    let gen = Atomics.load(ctl, ${GEN});
    for (let spin = 0; gen === seen && spin < 2000; spin++) gen = Atomics.load(ctl, ${GEN});
    if (gen === seen) {
      Atomics.wait(ctl, ${GEN}, seen);
      continue;
    }
    seen = gen;
    for (;;) {
      // A claim counts if it was made on the job whose table and count are up: same tag.
      const claim = Atomics.add(ctl, ${NEXT}, 1);
      const job = Atomics.load(ctl, ${COUNT});
      const i = claim & 0xffff;
      const count = job & 0xffff;
      if (claim >>> 16 !== job >>> 16 || i >= count) break;
      try {
        for (let call = 0, at = table + i * ${SHARE_INTS} + 1; call < ctl[table + i * ${SHARE_INTS}]; call++) {
          args.length = ctl[at + 1];
          for (let a = 0; a < args.length; a++) args[a] = ctl[at + 2 + a];
          if (ctl[at] >= 0) fns[ctl[at]](...args);
          else jsKernel(-1 - ctl[at])(views.f32, views.f64, par[0], par[1], ...args);
          at += 2 + args.length;
        }
      } catch (e) {
        Atomics.store(ctl, ${ERROR}, 1);
      }
      Atomics.add(ctl, ${BY_WORKERS}, 1);
      if (Atomics.add(ctl, ${DONE}, 1) + 1 === count) Atomics.notify(ctl, ${DONE});
    }
  }
};
if (nodePort) nodePort.once("message", start);
else self.onmessage = (e) => { self.onmessage = null; start(e.data); };
`;

/** A wait for a worker that makes no progress for this long gives up on the pool (never expected). */
const STALL_MS = 20_000;

interface Pool {
  readonly kernels: SharedKernels;
  readonly names: string[];
  readonly control: Int32Array;
  readonly slots: number; // workers it can hold
  readonly table: number; // index of the share table in control
  readonly workers: PoolWorker[];
  readonly ready: Promise<void>;
  tag: number; // the last job's
  readonly jsArea: SharedArrayBuffer; // the JS kernels' two float parameters, then their source text
  readonly jsIndex: number; // index in control of the JS kernels' [text offset, length] pairs
  readonly jsIds: Map<string, number>; // JS kernel source -> its number
  jsText: number; // characters of source text written
}

let requested: number | undefined; // setNumThreads' value; undefined: every core
let coreLimit: number | undefined;
let pool: Pool | undefined;
let broken = false; // workers cannot start here (or one failed): one thread from now on
let mainCanWait: boolean | undefined;

type NodeLike = { getBuiltinModule?: (name: string) => unknown };
const nodeProcess = (): NodeLike | undefined => (globalThis as { process?: NodeLike }).process;

let cores: number | undefined;

/** The cores this runtime reports (once): `os.availableParallelism()` in Node, `navigator.hardwareConcurrency` elsewhere. */
function availableCores(): number {
  if (coreLimit !== undefined) return coreLimit;
  if (cores === undefined) {
    const os = nodeProcess()?.getBuiltinModule?.("node:os") as { availableParallelism?: () => number } | undefined;
    const n = os?.availableParallelism?.() ?? (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
    cores = typeof n === "number" && n >= 1 ? Math.floor(n) : 1;
  }
  return cores;
}

/**
 * For tests and benchmarks only: pretends this machine has `n` cores (so the pool can be tested
 * with more threads than the machine has), or, with undefined, goes back to the real count.
 */
export function setCoreLimitForTesting(n: number | undefined): void {
  coreLimit = n;
}

let workersOnly = false;

/**
 * For tests only: with `true`, the main thread claims no share of a split product and leaves
 * them all to the workers (so a test knows the workers computed them); `false` goes back.
 */
export function setWorkersOnlyForTesting(on: boolean): void {
  workersOnly = on;
}

/** For tests only: the promise the pool's startup resolves, which a product must not replace. */
export function poolReadyForTesting(): Promise<void> | undefined {
  return pool?.ready;
}

let factory: (() => PoolWorker) | null | undefined;

/** How to make a worker from WORKER_SOURCE here (found once), or null where there is none. */
function workerFactory(): (() => PoolWorker) | null {
  if (factory === undefined) factory = findWorkerFactory();
  return factory;
}

function findWorkerFactory(): (() => PoolWorker) | null {
  if (typeof SharedArrayBuffer !== "function" || typeof Atomics !== "object") return null;
  const threads = nodeProcess()?.getBuiltinModule?.("node:worker_threads") as
    | { Worker: new (source: string, options: object) => PoolWorker & { unref(): void } }
    | undefined;
  if (threads !== undefined) {
    return () => {
      const worker = new threads.Worker(WORKER_SOURCE, { eval: true, execArgv: [] });
      worker.unref(); // an idle pool never keeps Node from exiting
      return worker;
    };
  }
  const g = globalThis as {
    Worker?: new (url: string) => PoolWorker;
    Blob?: new (parts: string[], options: object) => object;
    URL?: { createObjectURL?(blob: object): string };
  };
  if (g.Worker === undefined || g.Blob === undefined || g.URL?.createObjectURL === undefined) return null;
  const { Worker, Blob, URL } = g as Required<typeof g>;
  let url: string | undefined; // one for every worker of the page, kept (workers may start again)
  return () => new Worker((url ??= URL.createObjectURL!(new Blob([WORKER_SOURCE], { type: "text/javascript" }))));
}

/**
 * Sets the number of threads the WASM kernels may use for one large product, like
 * `torch.set_num_threads`. The default is every core (`os.availableParallelism()` in Node,
 * `navigator.hardwareConcurrency` in a browser); a larger `n` is capped there, so the pool never
 * oversubscribes the machine. The main thread is one of the threads: `n = 2` starts one worker.
 * Results are bit-identical for every `n`: a product is split by rows, and each element is the
 * same sum in the same order whichever thread computes it. A product is split only where each
 * thread gets at least 64³ multiply-adds (so small networks never pay for a hand-off). An
 * elementwise op of 2¹⁷ or more contiguous float elements whose formula calls a transcendental
 * function (`exp`, `log`, `tanh`, `pow`, `atan2`, ...) is split by ranges of elements, each
 * computed by the same loop. int32 products, reductions and all other ops stay on the calling thread.
 * Where shared memory is unavailable (a browser page that is not cross-origin isolated, i.e.
 * served without `Cross-Origin-Opener-Policy: same-origin` and
 * `Cross-Origin-Embedder-Policy: require-corp`), or workers are refused (a CSP without `blob:` in
 * `worker-src`), everything runs on one thread, whatever `n` is.
 *
 * @param n - A positive integer.
 * @example
 * ```ts
 * setNumThreads(1); // every product on the calling thread
 * getNumThreads(); // → 1
 * setNumThreads(2); // two threads where the runtime and the machine allow
 * ```
 * @group Utilities
 */
export function setNumThreads(n: number): void {
  if (typeof n !== "number") throw new TypeError(`setNumThreads: n must be a positive integer, got ${typeof n === "string" ? JSON.stringify(n) : typeof n}`);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`setNumThreads: n must be a positive integer, got ${n}`);
  requested = n;
}

/**
 * The number of threads a large product runs on, like `torch.get_num_threads`: what
 * {@link setNumThreads} set (every core by default), at most the number of cores, and 1 where
 * this runtime cannot run the pool (no shared memory, workers refused, or a worker that failed).
 *
 * @example
 * ```ts
 * getNumThreads() >= 1; // → true
 * ```
 * @group Utilities
 */
export function getNumThreads(): number {
  if (broken || workerFactory() === null) return 1;
  return Math.min(requested ?? Infinity, availableCores());
}

/**
 * The threads to split one product of `work` multiply-adds over `rows` row blocks among: 1 unless
 * the pool is allowed, the product is big enough and the kernels run over shared memory; starts
 * the pool (its workers come up in the background; until then, and for the workers that are not
 * up, the main thread does their share).
 */
export function threadsFor(kernels: SharedKernels | null, work: number, rowBlocks: number, minWork: number): number {
  if (kernels === null || work < minWork || rowBlocks < 2) return 1;
  const want = Math.min(getNumThreads(), rowBlocks, Math.floor(work / minWork));
  if (want < 2) return 1;
  const p = poolFor(kernels, want - 1);
  if (p === undefined) return 1;
  let ready = 0;
  for (let w = 0; w < want - 1; w++) if (Atomics.load(p.control, STATES + w) === READY) ready++;
  return ready + 1;
}

// The pool over `kernels` with at least `workers` workers (started now if missing), or undefined.
function poolFor(kernels: SharedKernels, workers: number): Pool | undefined {
  if (broken) return undefined;
  const slotsWanted = Math.max(1, availableCores() - 1);
  // New kernels (their memory was dropped), or more cores than slots (only setCoreLimitForTesting does that).
  if (pool !== undefined && (pool.kernels !== kernels || pool.slots < slotsWanted)) stopPool();
  const make = workerFactory();
  if (make === null) return undefined;
  if (pool === undefined) {
    const names = (globalThis as unknown as { WebAssembly: { Module: WasmModuleApi } }).WebAssembly.Module
      .exports(kernels.module).filter((e) => e.kind === "function").map((e) => e.name);
    const table = STATES + slotsWanted;
    const jsIndex = table + MAX_SHARES * SHARE_INTS;
    const control = new Int32Array(new SharedArrayBuffer(4 * (jsIndex + 2 * MAX_JS_KERNELS)));
    control[NEXT] = CLOSED;
    const jsArea = new SharedArrayBuffer(16 + 2 * JS_TEXT_CHARS);
    pool = { kernels, names, control, slots: slotsWanted, table, workers: [], ready: Promise.resolve(), tag: 0, jsArea, jsIndex, jsIds: new Map(), jsText: 0 };
  }
  const p = pool;
  const starting: Promise<void>[] = [p.ready];
  while (p.workers.length < Math.min(workers, p.slots)) {
    const slot = p.workers.length;
    try {
      const worker = make();
      p.workers.push(worker);
      starting.push(watch(worker, p, slot));
      worker.postMessage({ module: kernels.module, memory: kernels.memory, control: p.control.buffer, slot, names: p.names, table: p.table, jsArea: p.jsArea, jsIndex: p.jsIndex });
    } catch {
      fail(); // a CSP that refuses the worker throws here (Chrome), or fires "error" (watch)
      return undefined;
    }
  }
  // Only when workers were started: this runs on every large product, and inside a synchronous
  // training loop no promise settles, so a new chain each call would hold memory until the loop ends.
  if (starting.length > 1) (p as { ready: Promise<void> }).ready = Promise.all(starting).then(() => undefined);
  return p;
}

// Resolves when the worker reports ready; fails the pool if it reports failure or errors.
function watch(worker: PoolWorker, p: Pool, slot: number): Promise<void> {
  return new Promise((resolve) => {
    const onMessage = (data: { ready?: number; failed?: string }): void => {
      if (data?.failed !== undefined) fail();
      resolve();
    };
    const onError = (): void => {
      if (pool === p) fail();
      resolve();
    };
    const w = worker as PoolWorker & {
      on?: (event: string, f: (x: unknown) => void) => void;
      once?: (event: string, f: (x: unknown) => void) => void;
      addEventListener?: (event: string, f: (x: unknown) => void) => void;
    };
    if (typeof w.on === "function") {
      w.once!("message", (d) => onMessage(d as { ready?: number })); // once: a "message" listener would keep Node alive
      w.on("error", onError);
      w.on("exit", () => {
        if (pool === p && Atomics.load(p.control, STATES + slot) !== FAILED) onError();
      });
    } else {
      w.addEventListener!("message", (e) => onMessage((e as { data: { ready?: number } }).data));
      w.addEventListener!("error", onError);
    }
  });
}

// Workers cannot run here: stop them and stay on one thread.
function fail(): void {
  broken = true;
  stopPool();
}

let retiredHandOffs = 0; // the shares run by the workers of stopped pools

function stopPool(): void {
  if (pool === undefined) return;
  retiredHandOffs += Atomics.load(pool.control, BY_WORKERS);
  for (const w of pool.workers) w.terminate();
  pool = undefined;
}

/** The pool now: workers started, workers ready, shares workers have run (since the pool started). */
export function threadStats(): { workers: number; ready: number; handOffs: number } {
  if (pool === undefined) return { workers: 0, ready: 0, handOffs: retiredHandOffs };
  let ready = 0;
  for (let w = 0; w < pool.workers.length; w++) if (Atomics.load(pool.control, STATES + w) === READY) ready++;
  return { workers: pool.workers.length, ready, handOffs: retiredHandOffs + Atomics.load(pool.control, BY_WORKERS) };
}

/**
 * Starts the workers that `getNumThreads()` allows, if they are not up, and resolves once they
 * are (or failed), with the number of threads a product can use now. For tests and benchmarks:
 * products never wait for the pool, they use the workers that are ready.
 */
export async function threadsReady(kernels: SharedKernels | null): Promise<number> {
  if (kernels !== null && getNumThreads() > 1) poolFor(kernels, getNumThreads() - 1);
  if (pool !== undefined) await pool.ready;
  return Math.min(getNumThreads(), 1 + threadStats().ready);
}

function canWaitHere(): boolean {
  if (mainCanWait === undefined) {
    try {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0); // refused on a browser's main thread
      mainCanWait = true;
    } catch {
      mainCanWait = false;
    }
  }
  return mainCanWait;
}

/** A thread's share of a job: kernel calls to make in order. */
export type Share = readonly KernelCall[];

// Writes `share` as entry `i` of the pool's table; false if it does not fit an entry.
function writeShare(p: Pool, i: number, share: Share): boolean {
  const ctl = p.control;
  const base = p.table + i * SHARE_INTS;
  let at = base + 1;
  for (const call of share) {
    if (at + 2 + call.args.length > base + SHARE_INTS) return false;
    const js = call.js === undefined ? undefined : jsKernelNumber(p, call.js);
    if (js === undefined && call.js !== undefined) return false;
    ctl[at] = js === undefined ? p.names.indexOf(call.fn) : -1 - js;
    ctl[at + 1] = call.args.length;
    for (let a = 0; a < call.args.length; a++) ctl[at + 2 + a] = call.args[a];
    at += 2 + call.args.length;
  }
  ctl[base] = share.length;
  return true;
}

/**
 * Runs the shares of one job on this thread and the ready workers of the pool over `kernels`,
 * each share exactly once, by whichever thread claims it first; returns when all are done. The
 * shares must write disjoint memory, and the same bits whichever thread runs them. Without a
 * pool (or with one share, or more than MAX_SHARES) they all run here, in order.
 */
export function runOnThreads(kernels: SharedKernels, shares: readonly Share[], params: readonly [number, number] = [0, 0]): void {
  const exports = kernels.exports as Record<string, (...args: number[]) => void>;
  const runHere = (share: Share): void => {
    for (const call of share) {
      if (call.js === undefined) exports[call.fn](...call.args);
      else mainJsKernel(call.js)(...memoryViews(kernels), params[0], params[1], ...call.args);
    }
  };
  const p = pool;
  if (p !== undefined) new Float64Array(p.jsArea, 0, 2).set(params);
  let ready = 0;
  if (p !== undefined && p.kernels === kernels) for (let w = 0; w < p.workers.length; w++) if (Atomics.load(p.control, STATES + w) === READY) ready++;
  if (shares.length < 2 || shares.length > MAX_SHARES || ready === 0 || !shares.every((share, i) => writeShare(p!, i, share))) {
    shares.forEach(runHere);
    return;
  }
  const ctl = p!.control;
  const count = shares.length;
  const tag = (p!.tag = (p!.tag % MAX_TAG) + 1);
  Atomics.store(ctl, COUNT, (tag << 16) | count);
  Atomics.store(ctl, DONE, 0);
  Atomics.store(ctl, NEXT, tag << 16); // open: from here on any thread may claim a share
  Atomics.add(ctl, GEN, 1);
  Atomics.notify(ctl, GEN, Math.min(ready, workersOnly ? count : count - 1));
  for (let i = workersOnly ? count : Atomics.add(ctl, NEXT, 1) & 0xffff; i < count; i = Atomics.add(ctl, NEXT, 1) & 0xffff) {
    runHere(shares[i]);
    Atomics.add(ctl, DONE, 1);
  }
  // Shares other threads claimed may still be running: wait for them.
  const wait = canWaitHere();
  const t0 = Date.now();
  for (let done = Atomics.load(ctl, DONE); done !== count; done = Atomics.load(ctl, DONE)) {
    if (wait) Atomics.wait(ctl, DONE, done, 100);
    if (Date.now() - t0 > STALL_MS) {
      fail(); // a worker is gone with a share: run them all here (the same exports, so the same bits)
      shares.forEach(runHere);
      return;
    }
  }
  Atomics.store(ctl, NEXT, CLOSED);
  if (Atomics.load(ctl, ERROR) !== 0) {
    fail();
    throw new Error(`threads: a worker failed while running WASM exports (${shares.map((sh) => sh.map((c) => c.fn).join("+")).join(", ")})`);
  }
}

// The pool's number for the JS kernel `body`, its text written where the workers read it; undefined when full.
function jsKernelNumber(p: Pool, body: string): number | undefined {
  let k = p.jsIds.get(body);
  if (k !== undefined) return k;
  if (p.jsIds.size >= MAX_JS_KERNELS || p.jsText + body.length > JS_TEXT_CHARS) return undefined;
  k = p.jsIds.size;
  const text = new Uint16Array(p.jsArea, 16);
  for (let i = 0; i < body.length; i++) text[p.jsText + i] = body.charCodeAt(i);
  p.control[p.jsIndex + 2 * k] = p.jsText;
  p.control[p.jsIndex + 2 * k + 1] = body.length;
  p.jsText += body.length;
  p.jsIds.set(body, k);
  return k;
}

type JsKernel = (f32: Float32Array, f64: Float64Array, p: number, q: number, ...args: number[]) => void;
const mainJsKernels = new Map<string, JsKernel>();

// The main thread's compile of a JS kernel: the same text and parameters as the workers'.
function mainJsKernel(body: string): JsKernel {
  let f = mainJsKernels.get(body);
  if (f === undefined) mainJsKernels.set(body, (f = new Function("f32", "f64", "p", "q", "a", "b", "c", "d", body) as JsKernel));
  return f;
}

let mainViews: { f32: Float32Array; f64: Float64Array } | undefined;

function memoryViews(kernels: SharedKernels): [Float32Array, Float64Array] {
  const buffer = kernels.memory.buffer;
  if (mainViews === undefined || mainViews.f32.buffer !== buffer) mainViews = { f32: new Float32Array(buffer), f64: new Float64Array(buffer) };
  return [mainViews.f32, mainViews.f64];
}
