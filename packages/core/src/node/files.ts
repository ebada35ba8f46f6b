/**
 * Durable file writes and chunked reads for the Node entry. A file is written to a temporary file
 * in the same directory, flushed to disk (fsync), then renamed over the target, and the directory
 * is flushed too: a process killed at any moment leaves either the old file or the new one,
 * never a mixture, because rename(2) within one file system replaces the name atomically.
 *
 * A killed write leaves its temporary file, `.<name>.<pid>.<random>.tmp`; the next write of the
 * same path removes the ones whose process (the pid in the name) no longer runs, so a training
 * script that is killed and restarted does not pile them up. A temporary file of a live process
 * (another save of the same path, still running) is left alone.
 */
import { closeSync, fsyncSync, openSync, readdirSync, readSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

/** At most this many bytes per read or write call (Node refuses more than 2³¹ − 1). */
const IO_CHUNK = 1 << 30;

/** Writes all of `bytes` at the file's current position (writeSync may write less than asked). */
export function writeAll(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length; ) {
    done += writeSync(fd, bytes, done, Math.min(IO_CHUNK, bytes.length - done));
  }
}

/** Reads `into.length` bytes from `position`; throws naming `op` and `path` when the file ends first. */
export function readAll(op: string, path: string, fd: number, into: Uint8Array, position: number): void {
  for (let done = 0; done < into.length; ) {
    const n = readSync(fd, into, done, Math.min(IO_CHUNK, into.length - done), position + done);
    if (n === 0) throw new RangeError(`${op}: ${JSON.stringify(path)} ended at byte ${position + done}, before the ${position + into.length} its header promises; was it truncated?`);
    done += n;
  }
}

/** `what` went wrong with `path` in `op`, keeping the system error as the cause. */
export function fileError(op: string, verb: string, path: string, e: unknown): Error {
  return new Error(`${op}: cannot ${verb} ${JSON.stringify(path)}: ${(e as Error).message}`, { cause: e });
}

/**
 * Replaces `path` durably by what `write(fd)` writes: a temporary file beside it (so the rename
 * stays within one file system), fsync, rename over `path`, fsync of the directory. On an error
 * the temporary file is removed and `path` is untouched.
 */
export function writeAtomically(op: string, path: string, write: (fd: number) => void): void {
  const target = resolve(path);
  const dir = dirname(target);
  removeStaleTemps(dir, basename(target));
  const temp = join(dir, `.${basename(target)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);
  let fd: number;
  try {
    fd = openSync(temp, "wx");
  } catch (e) {
    throw fileError(op, "write", path, e);
  }
  try {
    write(fd);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temp, target);
  } catch (e) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    try {
      unlinkSync(temp);
    } catch {
      // never created or already renamed
    }
    if (e instanceof Error && !("code" in e)) throw e; // our own error (say, a value that cannot be saved)
    throw fileError(op, "write", path, e);
  }
  syncDirectory(dir);
}

/**
 * Removes the temporary files that killed writes of `dir/name` left: `.<name>.<pid>.<random>.tmp`
 * whose pid is not a running process (nor this one, whose own writes clean up after themselves).
 * Best effort: a directory that cannot be listed or a file that cannot be removed is left as it is.
 */
export function removeStaleTemps(dir: string, name: string): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return; // the write that follows reports the directory's problem
  }
  const prefix = `.${name}.`;
  for (const entry of entries) {
    if (!entry.startsWith(prefix)) continue;
    const pid = /^(\d+)\.[0-9a-z]+\.tmp$/.exec(entry.slice(prefix.length))?.[1];
    if (pid === undefined || Number(pid) === process.pid || isRunning(Number(pid))) continue;
    try {
      unlinkSync(join(dir, entry));
    } catch {
      // removed meanwhile, or not ours to remove
    }
  }
}

/** Whether a process with this pid runs (signal 0 checks without signalling; EPERM means it runs as another user). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Flushes a directory's entries (the rename) to disk; where a directory cannot be opened (Windows), the rename is left to the OS. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // not supported on this platform
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
