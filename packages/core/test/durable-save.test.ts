/**
 * Durable writes (issue 12): `save` and `saveSafetensors` write a temporary file beside the target,
 * fsync it and rename it over the target, so a process killed in the middle of a large write
 * leaves the old file, which still loads. The kill is real: a child process SIGKILLs itself, by
 * its own pid, while its temporary file is being written (test/child/killed-save.ts). The next save
 * of the same path removes the temporary file the killed one left.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { Tensor, tensor, zeros, serialize } from "@tsgrad/core";
import { save, load, saveSafetensors, loadSafetensors } from "@tsgrad/core/node";

const child = fileURLToPath(new URL("./child/killed-save.ts", import.meta.url));
const old = { "layer.weight": tensor([[1, 2], [3, 4]]), "layer.bias": tensor([5, 6]) };

describe("a save killed mid-write leaves the old file loadable", () => {
  for (const [format, write, read, megabytes] of [
    ["json", save, (p: string) => load(p) as Record<string, Tensor>, 32],
    ["safetensors", saveSafetensors, loadSafetensors, 128],
  ] as const) {
    it(`${format}: SIGKILL during a ${megabytes} MB write over an existing file`, () => {
      const dir = mkdtempSync(join(tmpdir(), "tsgrad-durable-"));
      const path = join(dir, `model.${format}`);
      write(old, path);
      const run = spawnSync(process.execPath, ["--import", "tsx", "--conditions=@tsgrad/source", child, path, format, String(megabytes)], { encoding: "utf8" });
      expect(run.signal, `the child should have killed itself mid-write: ${run.stdout}${run.stderr}`).toBe("SIGKILL");
      // The partial write is in the temporary file, not under the target's name.
      expect(readdirSync(dir).filter((f) => f.endsWith(".tmp")).length).toBe(1);
      const loaded = read(path);
      expect(Object.keys(loaded)).toEqual(["layer.weight", "layer.bias"]);
      expect(loaded["layer.weight"].toArray()).toEqual([[1, 2], [3, 4]]);
      // The next save replaces the file normally and removes the killed save's temporary file.
      write({ w: tensor([7]) }, path);
      expect(read(path).w.toArray()).toEqual([7]);
      expect(readdirSync(dir)).toEqual([`model.${format}`]);
    });
  }

  it("the next save of a path removes only that path's temporary files whose process is gone", () => {
    const dir = mkdtempSync(join(tmpdir(), "tsgrad-durable-"));
    const path = join(dir, "model.safetensors");
    // A pid that no longer runs: a child that has exited.
    const dead = spawnSync(process.execPath, ["-e", ""]).pid!;
    const temps = {
      dead: `.model.safetensors.${dead}.k3j9a0b1.tmp`,
      live: `.model.safetensors.${process.ppid}.zz00aa11.tmp`, // the test runner's parent runs
      own: `.model.safetensors.${process.pid}.abc.tmp`,
      otherPath: `.other.safetensors.${dead}.k3j9a0b1.tmp`,
      notATemp: `.model.safetensors.${dead}.k3j9a0b1.tmp.keep`,
    };
    for (const name of Object.values(temps)) writeFileSync(join(dir, name), "partial");
    saveSafetensors(old, path);
    expect(readdirSync(dir).sort()).toEqual([temps.live, temps.notATemp, temps.own, temps.otherPath, "model.safetensors"].sort());
  });

  it("a save that fails (a value it cannot store) leaves the old file and no temporary file", () => {
    const dir = mkdtempSync(join(tmpdir(), "tsgrad-durable-"));
    const path = join(dir, "model.json");
    save(old, path);
    expect(() => save({ f: () => 1 }, path)).toThrow(/save: cannot store function/);
    expect(readdirSync(dir)).toEqual(["model.json"]);
    expect(() => saveSafetensors({ w: 1 } as unknown as Record<string, Tensor>, path)).toThrow(/saveSafetensors: "w" is number 1, not a Tensor/);
    expect(readdirSync(dir)).toEqual(["model.json"]);
    expect((load(path) as Record<string, Tensor>)["layer.bias"].toArray()).toEqual([5, 6]);
  });

  it("save streams each tensor's base64, and the file holds exactly serialize()'s bytes", () => {
    const dir = mkdtempSync(join(tmpdir(), "tsgrad-durable-"));
    const path = join(dir, "mixed.json");
    const big = zeros([3 << 19]).add(0.25); // 6 MB: several base64 chunks
    const value = { model: { "0.weight": big, "0.bias": tensor([1, -0, NaN], { dtype: "float64" }) }, views: [big.narrow(0, 1, 4), tensor([[1, 2], [3, 4]]).T], $step: 3, note: "\u0000tsgrad-x-0\u0000", empty: zeros([0, 2]) };
    save(value, path);
    expect(Buffer.compare(readFileSync(path), serialize(value))).toBe(0); // (toEqual on 8 MB of bytes is slow)
    const back = load(path) as typeof value;
    expect(back.views[1].toArray()).toEqual([[1, 3], [2, 4]]);
    expect(back.note).toBe(value.note);
  });

  it("names a directory that does not exist", () => {
    expect(() => saveSafetensors(old, join(tmpdir(), "no-such-dir-tsgrad", "m.safetensors"))).toThrow(/saveSafetensors: cannot write ".*m.safetensors": ENOENT/);
    expect(() => save(old, join(tmpdir(), "no-such-dir-tsgrad", "m.json"))).toThrow(/save: cannot write ".*m.json": ENOENT/);
  });
});
