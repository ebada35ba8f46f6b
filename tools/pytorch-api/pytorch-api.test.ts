// docs/pytorch-api.md is generated from PyTorch's names and tsgrad's exports; it must be up to date.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { camel, generatePytorchApi, lookup } from "./pytorch-api.js";

const committed = join(dirname(fileURLToPath(import.meta.url)), "../../docs/pytorch-api.md");

describe("the PyTorch → tsgrad table", () => {
  it("is up to date (regenerate: npx tsx --conditions=@tsgrad/source tools/pytorch-api/gen.ts)", () => {
    expect(readFileSync(committed, "utf8")).toBe(generatePytorchApi());
  });

  it("camelCases PyTorch names the way tsgrad spells them", () => {
    expect(["masked_fill_", "zero_grad", "log_softmax", "xavier_uniform_", "CrossEntropyLoss", "T"].map(camel)).toEqual([
      "maskedFill_", "zeroGrad", "logSoftmax", "xavierUniform_", "CrossEntropyLoss", "T",
    ]);
  });

  it("finds the names a PyTorch user searches for", () => {
    expect(lookup("torch.nn.Module", "zero_grad")?.label).toBe("model.zeroGrad");
    expect(lookup("torch.nn.Module", "state_dict")?.label).toBe("model.stateDict");
    expect(lookup("torch.Tensor", "requires_grad")?.label).toBe("x.requiresGrad");
    expect(lookup("torch.Tensor", "masked_fill_")?.label).toBe("x.maskedFill_");
    expect(lookup("torch.nn", "CrossEntropyLoss")?.label).toBe("tg.losses.CrossEntropyLoss");
    expect(lookup("torch.nn.functional", "cross_entropy")?.label).toBe("tg.losses.crossEntropy");
    expect(lookup("torch", "no_grad")?.label).toBe("tg.noGrad");
    expect(lookup("torch.autograd", "Function")?.label).toBe("tg.AutogradFunction");
    expect(lookup("torch.Tensor", "not_a_tsgrad_name")).toBeNull();
  });
});
