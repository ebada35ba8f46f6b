// Writes docs/pytorch-api.md: npx tsx --conditions=@tsgrad/source tools/pytorch-api/gen.ts
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generatePytorchApi } from "./pytorch-api.js";

const out = join(dirname(fileURLToPath(import.meta.url)), "../../docs/pytorch-api.md");
writeFileSync(out, generatePytorchApi());
console.log(`wrote ${out}`);
