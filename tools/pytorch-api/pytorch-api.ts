/**
 * The "PyTorch → tsgrad" table (docs/pytorch-api.md), built from PyTorch's public names
 * (pytorch-names.json, written by tools/fixtures/gen_pytorch_names.py) and tsgrad's real exports:
 * each PyTorch name is camelCased (`masked_fill_` → `maskedFill_`, `zero_grad` → `zeroGrad`) and
 * looked up where tsgrad keeps that namespace, or taken from ALIASES where tsgrad's name differs.
 * A name is covered when the lookup finds it, so the table follows the code and cannot go stale.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as core from "@tsgrad/core";
import * as coreNode from "@tsgrad/core/node";
import * as nn from "@tsgrad/nn";
import * as losses from "@tsgrad/losses";
import * as optim from "@tsgrad/optim";
import * as data from "@tsgrad/data";

const HERE = dirname(fileURLToPath(import.meta.url));

/** Where tsgrad's name is not the camelCased PyTorch name: PyTorch name → tsgrad path (`tg.` implied). */
export const ALIASES: Record<string, string> = {
  "torch.autograd.Function": "AutogradFunction",
  "torch.autograd.grad": "grad",
  "torch.autograd.gradcheck": "gradcheck",
  "torch.autograd.gradgradcheck": "gradgradcheck",
  "torch.autograd.no_grad": "noGrad",
  "torch.autograd.enable_grad": "enableGrad",
  "torch.Tensor.tolist": "Tensor.toArray",
  "torch.utils.data.default_collate": "data.defaultCollate",
};

/** One tsgrad place a PyTorch namespace's names are looked up in. */
interface Place {
  /** The object whose keys are the names (module exports, a prototype, an instance). */
  members: object;
  /** How users write it: `tg.nn.F`, `x` (a tensor), `model` (a module). */
  prefix: string;
  /** The typedoc declaration reference of the container: `tg.nn!F.`, `tg!Tensor#`. */
  ref: string;
}

/** A module's exports; `module` is both how users write it and typedoc's module name (`tg.nn`). */
const exportsOf = (mod: object, module: string, within = ""): Place => ({
  members: mod,
  prefix: within ? `${module}.${within.slice(0, -1)}` : module,
  ref: `${module}!${within}`,
});
const memberPlace = (proto: object, instance: object, prefix: string, ref: string): Place => ({
  // prototype methods and getters, and the fields an instance sets in its constructor
  members: new Proxy({}, { has: (_, k) => k in proto || Object.hasOwn(instance, k) }),
  prefix,
  ref,
});

const sampleTensor = core.tensor([1]);
const sampleModule = new nn.Linear(1, 1);
const sampleOptimizer = new optim.SGD(sampleModule.parameters(), { lr: 0.1 });

/** Each PyTorch namespace → where tsgrad keeps its names, tried in order. */
const PLACES: Record<string, Place[]> = {
  torch: [exportsOf(core, "tg"), exportsOf(coreNode, "tg/node")],
  "torch.Tensor": [memberPlace(core.Tensor.prototype, sampleTensor, "x", "tg!Tensor#")],
  "torch.nn": [exportsOf(nn, "tg.nn"), exportsOf(losses, "tg.losses")],
  "torch.nn.functional": [
    exportsOf(nn.F, "tg.nn", "F."),
    exportsOf(losses, "tg.losses"),
  ],
  "torch.nn.init": [exportsOf(nn.init, "tg.nn", "init.")],
  "torch.nn.Module": [memberPlace(nn.Module.prototype, sampleModule, "model", "tg.nn!Module#")],
  "torch.optim": [exportsOf(optim, "tg.optim")],
  "torch.optim.Optimizer": [memberPlace(optim.Optimizer.prototype, sampleOptimizer, "optimizer", "tg.optim!Optimizer#")],
  "torch.optim.lr_scheduler": [exportsOf(optim, "tg.optim")],
  "torch.utils.data": [exportsOf(data, "tg.data")],
  "torch.autograd": [exportsOf(core, "tg")],
  "torch.linalg": [exportsOf(core.linalg, "tg", "linalg.")],
};

/** Where an alias's tsgrad path points: its display name and declaration reference. */
function aliasTarget(path: string): { label: string; ref: string } {
  const [head, ...rest] = path.split(".");
  if (["nn", "losses", "optim", "data"].includes(head)) return { label: `tg.${path}`, ref: `tg.${head}!${rest.join(".")}` };
  if (head === "Tensor") return { label: `x.${rest.join(".")}`, ref: `tg!Tensor#${rest.join(".")}` };
  return { label: `tg.${path}`, ref: `tg!${path}` };
}

/** `masked_fill_` → `maskedFill_`, `zero_grad` → `zeroGrad`; class names stay. */
export const camel = (name: string): string => name.replace(/(?<=[a-z0-9])_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** The tsgrad name of a PyTorch name, or null when tsgrad does not cover it. */
export function lookup(namespace: string, name: string): { label: string; ref: string } | null {
  const alias = ALIASES[`${namespace}.${name}`];
  if (alias) return aliasTarget(alias);
  const js = camel(name);
  for (const place of PLACES[namespace] ?? []) {
    if (js in place.members) return { label: `${place.prefix}.${js}`, ref: `${place.ref}${js}` };
  }
  return null;
}

interface PyTorchNames {
  pytorch: string;
  namespaces: Record<string, string[]>;
}

/** docs/pytorch-api.md, as it should read. */
export function generatePytorchApi(): string {
  const names = JSON.parse(readFileSync(join(HERE, "pytorch-names.json"), "utf8")) as PyTorchNames;
  let covered = 0;
  let total = 0;
  const sections: string[] = [];
  for (const [namespace, list] of Object.entries(names.namespaces)) {
    const rows: string[] = [];
    const missing: string[] = [];
    for (const name of list) {
      const target = lookup(namespace, name);
      if (target) rows.push(`| \`${namespace}.${name}\` | {@link ${target.ref} | ${target.label}} |`);
      else missing.push(`\`${name}\``);
    }
    covered += rows.length;
    total += list.length;
    sections.push(
      [
        `## ${namespace}`,
        "",
        `${rows.length} of ${list.length} covered.`,
        "",
        ...(rows.length ? ["| PyTorch | tsgrad |", "|---|---|", ...rows, ""] : []),
        ...(missing.length ? [`<details><summary>Not covered yet (${missing.length})</summary>`, "", missing.join(", "), "", "</details>", ""] : []),
      ].join("\n"),
    );
  }
  return [
    "---",
    "title: PyTorch → tsgrad",
    "---",
    "",
    "# PyTorch → tsgrad",
    "",
    `Every public name of PyTorch ${names.pytorch} that a training script reaches for, with tsgrad's name for it`,
    "and a link to its reference, or in the list of names not covered yet. tsgrad's name is PyTorch's in",
    "camelCase (`masked_fill_` → `maskedFill_`, `zero_grad` → `zeroGrad`); `x` stands for a tensor, `model` for a",
    "module, `optimizer` for an optimizer. Differences in behaviour are in [for PyTorch users](./pytorch-users.md).",
    "",
    "Generated by `npx tsx --conditions=@tsgrad/source tools/pytorch-api/gen.ts` from PyTorch's names",
    "(`tools/pytorch-api/pytorch-names.json`, written by `tools/fixtures/gen_pytorch_names.py`) and tsgrad's exports;",
    "do not edit: `pnpm test` fails when it is out of date.",
    "",
    `**${covered} of ${total} names covered.**`,
    "",
    ...sections,
  ].join("\n");
}
