/**
 * Compiles tsgrad's WebAssembly kernels from their WAT source with wabt and writes each as a
 * TypeScript module holding the bytes in base64, so neither tests nor users need wabt:
 *
 *   packages/core/src/kernels/wasm/gemm.wat  ->  packages/core/src/kernels/wasm/gemm-bytes.ts
 *   packages/core/src/kernels/wasm/rows.wat  ->  packages/core/src/kernels/wasm/rows-bytes.ts
 *   packages/optim/src/kernels/adam.wat      ->  packages/optim/src/kernels/adam-bytes.ts
 *
 * Every module imports its memory (`env.memory`) and is emitted as written (an ordinary memory,
 * `<NAME>_WASM_BASE64`). A kernel with `shared: true` is emitted again with that import marked
 * `shared` (wabt's threads feature, `<NAME>_SHARED_WASM_BASE64`), which the thread pool
 * instantiates over one SharedArrayBuffer-backed memory in every thread (kernels/threads.ts). The
 * two differ in that one flag only, so the same kernel code runs on either memory. A kernel with `relaxed: true` is
 * emitted twice more, both ways, with each float32 multiply-then-add of the form
 * `(f32x4.add (local.get $s) (f32x4.mul (local.get $x) (local.get $b)))` rewritten as the fused
 * `(f32x4.relaxed_madd (local.get $x) (local.get $b) (local.get $s))` (`<NAME>_RELAXED_…`), for
 * runtimes with relaxed SIMD (both ways, if shared too); the rewrite must find at least one such
 * add, or the build fails.
 *
 * Run after editing a .wat file: `npx tsx tools/build-wasm.ts` (wabt is a root devDependency).
 * The generated file records the SHA-256 of its source; a test fails when the two drift apart.
 */
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import wabtInit from "wabt";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const WABT_VERSION = (JSON.parse(readFileSync(new URL("../node_modules/wabt/package.json", import.meta.url), "utf8")) as { version: string }).version;
const KERNELS = [
  { dir: "packages/core/src/kernels/wasm/", source: "gemm.wat", output: "gemm-bytes.ts", name: "GEMM", shared: true, relaxed: true },
  // The row gathers of pad and indexing run on the calling thread only (packages/core/src/kernels/wasm/rows.ts).
  { dir: "packages/core/src/kernels/wasm/", source: "rows.wat", output: "rows-bytes.ts", name: "ROWS", shared: false, relaxed: false },
  // Adam runs on the calling thread only (packages/optim/src/kernels/adam-f32.ts): no shared variant.
  { dir: "packages/optim/src/kernels/", source: "adam.wat", output: "adam-bytes.ts", name: "ADAM", shared: false, relaxed: false },
];

// The memory import every kernel declares, `(import "env" "memory" (memory <min> <max>))`; the
// shared variant appends `shared` (a shared memory must declare its maximum).
const MEMORY_IMPORT = /\(import "env" "memory" \(memory (\d+) (\d+)\)\)/g;

function shareMemory(wat: string, source: string): string {
  const found = wat.match(MEMORY_IMPORT) ?? [];
  if (found.length !== 1) {
    throw new Error(`${source}: expected one memory import (import "env" "memory" (memory <min> <max>)), found ${found.length}`);
  }
  return wat.replace(MEMORY_IMPORT, '(import "env" "memory" (memory $1 $2 shared))');
}

// A float32 accumulate of a product, `s + x·b` as the kernels write it.
const MULTIPLY_ADD = /\(f32x4\.add \(local\.get (\$\w+)\) \(f32x4\.mul \(local\.get (\$\w+)\) \(local\.get (\$\w+)\)\)\)/g;

function fuseMultiplyAdds(wat: string, source: string): string {
  const found = wat.match(MULTIPLY_ADD)?.length ?? 0;
  if (found === 0) throw new Error(`${source}: relaxed variant asked for, but no (f32x4.add (local.get $s) (f32x4.mul (local.get $x) (local.get $b))) to fuse`);
  return wat.replace(MULTIPLY_ADD, "(f32x4.relaxed_madd (local.get $2) (local.get $3) (local.get $1))");
}

const wabt = await wabtInit();
type WebAssemblyApi = { Module: new (b: Uint8Array) => object; Memory: new (d: { initial: number; maximum: number; shared?: boolean }) => object; Instance: new (m: object, i: object) => object };
// Node's types lack WebAssembly.
const WASM = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

// The memory a module imports, as its WAT declares it (the initial size), for the trial instance.
function memoryLimits(wat: string): { initial: number; maximum: number } {
  const [, initial] = /\(import "env" "memory" \(memory (\d+)/.exec(wat) ?? ["", "1"];
  return { initial: Number(initial), maximum: Number(initial) };
}

function compile(source: string, wat: string, shared: boolean, relaxed = false): Uint8Array {
  const features = { simd: true, threads: shared, relaxed_simd: relaxed };
  const module = wabt.parseWat(source, wat, features);
  try {
    module.resolveNames();
    // wabt's types declare validate() without the features it takes (as parseWat does).
    (module.validate as (features: object) => void)(features);
    const bytes = module.toBinary({}).buffer;
    // Fails here, not at a user's first matmul, if V8 rejects the module or its memory import
    // (relaxed SIMD is only checked to parse: Node 20 compiles it only behind a flag).
    if (!relaxed) new WASM.Instance(new WASM.Module(bytes), { env: { memory: new WASM.Memory({ ...memoryLimits(wat), shared }) } });
    return bytes;
  } finally {
    module.destroy();
  }
}

for (const { dir, source, output, name, shared: withShared, relaxed } of KERNELS) {
  const wat = readFileSync(ROOT + dir + source, "utf8");
  const plain = compile(source, wat, false);
  const shared = withShared ? compile(source, shareMemory(wat, source), true) : null;
  const fused = relaxed ? fuseMultiplyAdds(wat, source) : null;
  const relaxedPlain = fused === null ? null : compile(source, fused, false, true);
  const relaxedShared = fused === null || !withShared ? null : compile(source, shareMemory(fused, source), true, true);
  const sha256 = createHash("sha256").update(wat).digest("hex");
  const entry = (doc: string, suffix: string, bytes: Uint8Array): string[] =>
    [`/** ${doc} */`, `export const ${name}${suffix}_WASM_BASE64 =`, `  "${Buffer.from(bytes).toString("base64")}";`, ""];
  const text = [
    `// GENERATED by tools/build-wasm.ts from ${source} with wabt ${WABT_VERSION}. Do not edit:`,
    `// change ${source} and run \`npx tsx tools/build-wasm.ts\`.`,
    "",
    `/** SHA-256 of the ${source} these bytes were compiled from (a test checks it is current). */`,
    `export const ${name}_WAT_SHA256 = "${sha256}";`,
    "",
    ...entry(`The compiled ${source} (${plain.length} bytes), base64-encoded; it imports an ordinary memory as \`env.memory\`.`, "", plain),
    ...(shared === null ? [] : entry(`The same module with its memory import shared (${shared.length} bytes), for the thread pool.`, "_SHARED", shared)),
    ...(relaxedPlain === null ? [] : entry(`The relaxed-SIMD variant (float32 multiply-adds fused, ${relaxedPlain.length} bytes), over an ordinary memory.`, "_RELAXED", relaxedPlain)),
    ...(relaxedShared === null ? [] : entry(`The relaxed-SIMD variant with its memory import shared (${relaxedShared.length} bytes).`, "_RELAXED_SHARED", relaxedShared)),
  ].join("\n");
  writeFileSync(ROOT + dir + output, text);
  const sizes = [shared && `shared ${shared.length}`, relaxedPlain && `relaxed ${relaxedPlain.length}`, relaxedShared && `relaxed shared ${relaxedShared.length}`].filter(Boolean);
  console.log(`${basename(source)} -> ${output}: ${plain.length} bytes${sizes.length ? ` (${sizes.join(", ")})` : ""}`);
}
