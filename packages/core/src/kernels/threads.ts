/**
 * The thread pool of the WASM kernels: worker threads (`worker_threads` in Node, Web Workers in a
 * browser) that share one WebAssembly memory with the main thread and run the kernel module's
 * exports on it, so a large product can split its rows among the cores (wasm/gemm.ts).
 *
 * How a hand-off works. The pool starts lazily, on the first product big enough to split. Each
 * worker is a small self-contained script (WORKER_SOURCE: `eval` in Node, a Blob URL in a browser,
 * so it resolves no file and works the same from the sources, the build and a bundler). It gets
 * the compiled WebAssembly.Module, the shared memory and a control block (an Int32Array over its
 * own SharedArrayBuffer) by postMessage, instantiates the module and loops: Atomics.wait on its
 * slot of the control block, read its share of the job there (exports to call and their
 * arguments), make the calls, store the job's number as done and notify. `runOnThreads` posts one
 * share per worker, runs its own share on the main thread meanwhile, then waits for every worker's done (Atomics.wait in Node and in workers;
 * on a browser's main thread, where Atomics.wait is refused, it spins on Atomics.load: it has done
 * its own share first, so it only waits out the imbalance). No message crosses the event loop
 * during a product, so a busy main thread never delays it.
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
/** One call of a kernel export: its name and its (integer) arguments. */
export interface KernelCall {
  readonly fn: string;
  readonly args: readonly number[];
}

// A worker as either runtime gives it.
interface PoolWorker {
  postMessage(message: unknown): void;
  terminate(): unknown;
}

// The control block: one slot of SLOT ints per worker: a header, then its share of a job as a
// sequence of calls, each an export's index, its argument count and its arguments.
const SLOT = 32;
const GEN = 0; // the number of the job posted to this worker (it waits on it)
const DONE = 1; // the number of the last job it finished (the main thread waits on it)
const STATE = 2; // 0 starting, 1 ready, 2 failed
const NCALLS = 3; // calls in its share
const CALLS = 4; // the calls: FN, NARGS, ARGS...
const READY = 1;
const FAILED = 2;

/**
 * A worker's script. Plain JS, no imports: Node runs it with `eval: true` (as CommonJS, so it
 * reaches parentPort through require), a browser from a Blob URL (self is its port). It spins a
 * few microseconds before sleeping, so back-to-back jobs skip the wake-up.
 */
const WORKER_SOURCE = `"use strict";
const nodePort = typeof require === "function" ? require("node:worker_threads").parentPort : null;
const post = (m) => (nodePort ? nodePort.postMessage(m) : self.postMessage(m));
const start = ({ module, memory, control, slot, names }) => {
  const ctl = new Int32Array(control);
  const base = slot * ${SLOT};
  let fns;
  try {
    const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
    fns = names.map((name) => exports[name]);
  } catch (e) {
    Atomics.store(ctl, base + ${STATE}, ${FAILED});
    post({ failed: String(e) });
    return;
  }
  Atomics.store(ctl, base + ${STATE}, ${READY});
  post({ ready: slot });
  const args = [];
  let seen = 0;
  for (;;) {
    let gen = Atomics.load(ctl, base + ${GEN});
    for (let spin = 0; gen === seen && spin < 2000; spin++) gen = Atomics.load(ctl, base + ${GEN});
    if (gen === seen) {
      Atomics.wait(ctl, base + ${GEN}, seen);
      continue;
    }
    seen = gen;
    try {
      for (let call = 0, at = base + ${CALLS}; call < ctl[base + ${NCALLS}]; call++) {
        const fn = fns[ctl[at]];
        args.length = ctl[at + 1];
        for (let i = 0; i < args.length; i++) args[i] = ctl[at + 2 + i];
        fn(...args);
        at += 2 + args.length;
      }
    } catch (e) {
      Atomics.store(ctl, base + ${STATE}, ${FAILED});
    }
    Atomics.store(ctl, base + ${DONE}, gen);
    Atomics.notify(ctl, base + ${DONE});
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
  readonly workers: PoolWorker[];
  readonly ready: Promise<void>;
  gen: number;
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
 * thread gets at least 64³ multiply-adds (so small networks never pay for a hand-off); int32
 * products and all other ops stay on the calling thread.
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
  for (let w = 0; w < want - 1; w++) if (Atomics.load(p.control, w * SLOT + STATE) === READY) ready++;
  return ready + 1;
}

// The pool over `kernels` with at least `workers` workers (started now if missing), or undefined.
function poolFor(kernels: SharedKernels, workers: number): Pool | undefined {
  if (broken) return undefined;
  const slotsWanted = Math.max(1, availableCores() - 1);
  // New kernels (their memory was dropped), or more cores than slots (only setCoreLimitForTesting does that).
  if (pool !== undefined && (pool.kernels !== kernels || pool.control.length < SLOT * slotsWanted)) stopPool();
  const make = workerFactory();
  if (make === null) return undefined;
  if (pool === undefined) {
    const names = (globalThis as unknown as { WebAssembly: { Module: WasmModuleApi } }).WebAssembly.Module
      .exports(kernels.module).filter((e) => e.kind === "function").map((e) => e.name);
    const control = new Int32Array(new SharedArrayBuffer(4 * SLOT * slotsWanted));
    pool = { kernels, names, control, workers: [], ready: Promise.resolve(), gen: 0 };
  }
  const p = pool;
  const slots = p.control.length / SLOT;
  const starting: Promise<void>[] = [p.ready];
  while (p.workers.length < Math.min(workers, slots)) {
    const slot = p.workers.length;
    try {
      const worker = make();
      p.workers.push(worker);
      starting.push(watch(worker, p, slot));
      worker.postMessage({ module: kernels.module, memory: kernels.memory, control: p.control.buffer, slot, names: p.names });
    } catch {
      fail(); // a CSP that refuses the worker throws here (Chrome), or fires "error" (watch)
      return undefined;
    }
  }
  (p as { ready: Promise<void> }).ready = Promise.all(starting).then(() => undefined);
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
        if (pool === p && Atomics.load(p.control, slot * SLOT + STATE) !== FAILED) onError();
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

function stopPool(): void {
  if (pool === undefined) return;
  for (const w of pool.workers) w.terminate();
  pool = undefined;
}

let handOffs = 0; // calls run by workers, ever

/** The pool now: workers started, workers ready, calls workers have run since the process began. */
export function threadStats(): { workers: number; ready: number; handOffs: number } {
  let ready = 0;
  if (pool !== undefined) for (let w = 0; w < pool.workers.length; w++) if (Atomics.load(pool.control, w * SLOT + STATE) === READY) ready++;
  return { workers: pool?.workers.length ?? 0, ready, handOffs };
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

// Writes `share` into worker slot `base`; false if it does not fit the slot.
function writeShare(ctl: Int32Array, base: number, names: string[], share: Share): boolean {
  let at = base + CALLS;
  for (const call of share) {
    if (at + 2 + call.args.length > base + SLOT) return false;
    ctl[at] = names.indexOf(call.fn);
    ctl[at + 1] = call.args.length;
    for (let a = 0; a < call.args.length; a++) ctl[at + 2 + a] = call.args[a];
    at += 2 + call.args.length;
  }
  ctl[base + NCALLS] = share.length;
  return true;
}

/**
 * Runs `shares[0]` on this thread and each further share on a ready worker of the pool over
 * `kernels`, all at once, and returns when every one is done. The shares must write disjoint
 * memory. With one share, or no pool, it runs them in turn here. `threadsFor` said how many
 * shares to make; a share without a ready worker (never expected) runs here too.
 */
export function runOnThreads(kernels: SharedKernels, shares: readonly Share[]): void {
  const exports = kernels.exports as Record<string, (...args: number[]) => void>;
  const runHere = (share: Share): void => {
    for (const call of share) exports[call.fn](...call.args);
  };
  const p = pool;
  if (shares.length === 1 || p === undefined || p.kernels !== kernels) {
    shares.forEach(runHere);
    return;
  }
  const ctl = p.control;
  const gen = ++p.gen;
  const posted: { slot: number; share: Share }[] = [];
  const local: Share[] = [shares[0]];
  for (let i = 1, w = 0; i < shares.length; i++) {
    while (w < p.workers.length && Atomics.load(ctl, w * SLOT + STATE) !== READY) w++;
    if (w === p.workers.length || !writeShare(ctl, w * SLOT, p.names, shares[i])) {
      local.push(shares[i]);
      continue;
    }
    Atomics.store(ctl, w * SLOT + GEN, gen);
    Atomics.notify(ctl, w * SLOT + GEN);
    posted.push({ slot: w++, share: shares[i] });
    handOffs++;
  }
  local.forEach(runHere);
  const wait = canWaitHere();
  for (const { slot, share } of posted) {
    const done = slot * SLOT + DONE;
    const t0 = Date.now();
    for (let last = Atomics.load(ctl, done); last !== gen; last = Atomics.load(ctl, done)) {
      if (wait) Atomics.wait(ctl, done, last, 100);
      if (Date.now() - t0 > STALL_MS) {
        fail(); // the worker is gone: do its share here (the same exports, so the same bits)
        runHere(share);
        break;
      }
    }
    if (Atomics.load(ctl, slot * SLOT + STATE) === FAILED) {
      fail();
      throw new Error(`threads: a worker failed while running the WASM exports ${share.map((c) => `${c.fn}(${c.args.join(", ")})`).join(", ")}`);
    }
  }
}
