/**
 * The PyTorch side of the benchmarks: a long-lived /usr/bin/python3 process (Debian's
 * python3-torch) running bench/torch_suite.py, which answers one JSON request per line, so it
 * can take its turn in a round-robin without paying torch's import each time; and the temporary
 * JSON data file through which both sides see the same numbers (typed arrays as base64 of their
 * bytes: bit-identical float32 on both sides).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/** Debian's Python, the one with torch (the python3 on PATH may have none). */
export const PYTHON = "/usr/bin/python3";

/** A typed array as the data file stores it. */
export interface Encoded {
  dtype: "float32" | "int32";
  shape: number[];
  b64: string;
}

/** `data` with `shape`, base64 of its little-endian bytes. */
export function encode(data: Float32Array | Int32Array, shape: number[]): Encoded {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return { dtype: data instanceof Float32Array ? "float32" : "int32", shape, b64: bytes.toString("base64") };
}

/** Writes `content` as JSON into a fresh temporary directory; `remove()` deletes it. */
export function writeDataFile(content: unknown): { path: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), "tsgrad-bench-"));
  const path = join(dir, "data.json");
  writeFileSync(path, JSON.stringify(content));
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A running bench/torch_suite.py: `request` sends one JSON message and resolves with its JSON answer. */
export class TorchWorker {
  version = "";
  threads = 0;
  private readonly pending: Array<{ resolve(v: unknown): void; reject(e: Error): void }> = [];
  private exited?: string;
  private stderr = "";

  private constructor(private readonly child: ChildProcess) {
    child.stderr!.on("data", (d: Buffer) => (this.stderr += d.toString()));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const msg = JSON.parse(line) as { error?: string };
      const next = this.pending.shift();
      if (msg.error !== undefined) next?.reject(new Error(msg.error));
      else next?.resolve(msg);
    });
    const fail = (why: string): void => {
      this.exited = why;
      for (const p of this.pending.splice(0)) p.reject(new Error(why));
    };
    child.on("exit", (code) => fail(`PyTorch worker exited (${code}): ${this.stderr.trim().split("\n").pop() ?? ""}`));
    child.on("error", (e) => fail(`PyTorch worker failed to start: ${e.message}`));
  }

  /** Starts the worker with `threads` intra-op threads; a string says why PyTorch is not available. */
  static async start(threads: number): Promise<TorchWorker | string> {
    if (!existsSync(PYTHON)) return `${PYTHON} not found`;
    const script = fileURLToPath(new URL("../torch_suite.py", import.meta.url));
    const worker = new TorchWorker(spawn(PYTHON, ["-B", script, String(threads)], { stdio: ["pipe", "pipe", "pipe"] }));
    try {
      const hello = await worker.request<{ version: string; threads: number }>({ op: "hello" });
      worker.version = hello.version;
      worker.threads = hello.threads;
      return worker;
    } catch (e) {
      worker.child.kill();
      return (e as Error).message;
    }
  }

  /** Sends `msg` ({ op, ... }) and resolves with the worker's answer; rejects with its error message. */
  request<T>(msg: Record<string, unknown>): Promise<T> {
    if (this.exited !== undefined) return Promise.reject(new Error(this.exited));
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ resolve: resolve as (v: unknown) => void, reject });
      this.child.stdin!.write(`${JSON.stringify(msg)}\n`);
    });
  }

  /** Ends the worker (closing its input makes it return). */
  close(): void {
    this.child.stdin!.end();
  }
}
