/**
 * A tiny GPT-style transformer learns to reverse digit sequences. Each sample is
 * `d₁ … d₈ | d₈ … d₁`: eight random digits, a separator, and the digits reversed. The model — token
 * and position embeddings, a causal TransformerEncoder (each position sees only the ones before it,
 * `Transformer.generateSquareSubsequentMask`) and a linear head — predicts every next token, and
 * the loss counts only the answer. Training data is drawn fresh for every batch. At the end it
 * answers held-out sequences greedily, one digit at a time as a language model does, and reports
 * the fraction answered entirely right; it prints a few and draws the attention maps of both
 * layers for one of them (the answer attends to the mirrored input position).
 *
 *   pnpm tsx --conditions=@tsgrad/source examples/transformer.ts [--epochs 5] [--seed 0] [--out DIR] [--quiet]
 */
import { join } from "node:path";
import * as tg from "tsgrad";
import type { Tensor } from "tsgrad";
import { DEFAULT_OUT, runIfMain, type ExampleOptions } from "./cli.js";
import { renderPng } from "./lib/plot.js";
import { fit, historyChart, pct, type History } from "./lib/train.js";

/** Digits per sequence. */
export const DIGITS = 8;
/** The separator token between the question and the answer (digits are 0-9). */
const SEP = 10;
const VOCAB = 11;
/** Tokens the model reads: the question, the separator and all answer digits but the last. */
const CONTEXT = 2 * DIGITS;
const IGNORE = -100;
const { Module, Embedding, Linear, TransformerEncoder, TransformerEncoderLayer, Transformer } = tg.nn;

/** The model: embeddings, a causal pre-norm encoder of two layers, a linear head. */
export class TinyGpt extends Module {
  static override readonly typeName = "TinyGpt";
  tokens = new Embedding(VOCAB, 32);
  positions = new Embedding(CONTEXT, 32);
  encoder = new TransformerEncoder(new TransformerEncoderLayer(32, 4, { dimFeedforward: 64, dropout: 0, normFirst: true, batchFirst: true }), 2);
  head = new Linear(32, VOCAB);

  /** The embedded tokens `(N, L, 32)` of ids `(N, L)`. */
  embed(ids: Tensor): Tensor {
    return this.tokens.forward(ids).add(this.positions.weight.narrow(0, 0, ids.shape[1]));
  }

  /** Next-token logits `(N, L, VOCAB)` for token ids `(N, L)`. */
  forward(ids: Tensor): Tensor {
    const mask = Transformer.generateSquareSubsequentMask(ids.shape[1]);
    return this.head.forward(this.encoder.forward(this.embed(ids), { mask }));
  }

  /** The head-averaged attention weights `(N, L, L)` of every layer. */
  attentionMaps(ids: Tensor): Tensor[] {
    const mask = Transformer.generateSquareSubsequentMask(ids.shape[1]);
    let h = this.embed(ids);
    const maps: Tensor[] = [];
    for (const module of this.encoder.layers) {
      const layer = module as tg.nn.TransformerEncoderLayer;
      const x = layer.norm1.forward(h); // pre-norm: the attention reads the normalized input
      maps.push(layer.selfAttn.forward(x, x, x, { attnMask: mask })[1]!);
      h = layer.forward(h, { srcMask: mask });
    }
    return maps;
  }
}

/**
 * `count` samples: the model's input `(count, 16)` (question, separator, answer without its last
 * digit) and the next-token targets `(count, 16)`, IGNORE except at the 8 answer positions.
 */
export function makeReversals(count: number, generator: tg.Generator): { input: Tensor; target: Tensor; questions: number[][] } {
  const input = new Int32Array(count * CONTEXT);
  const target = new Int32Array(count * CONTEXT).fill(IGNORE);
  const questions: number[][] = [];
  for (let i = 0; i < count; i++) {
    const q = Array.from({ length: DIGITS }, () => Math.floor(generator.random() * 10));
    const sequence = [...q, SEP, ...q.slice().reverse()];
    for (let t = 0; t < CONTEXT; t++) {
      input[i * CONTEXT + t] = sequence[t];
      if (t >= DIGITS) target[i * CONTEXT + t] = sequence[t + 1];
    }
    questions.push(q);
  }
  return {
    input: tg.tensor(input, { shape: [count, CONTEXT], dtype: "int32" }),
    target: tg.tensor(target, { shape: [count, CONTEXT], dtype: "int32" }),
    questions,
  };
}

/** Cross-entropy over the answer positions (the others are IGNORE). */
function answerLoss(logits: Tensor, target: Tensor): Tensor {
  return tg.losses.crossEntropy(logits.reshape([-1, VOCAB]), target.reshape([-1]), { ignoreIndex: IGNORE });
}

/** Fraction of answer digits predicted right with the true previous digits given (teacher forcing). */
function digitAccuracy(logits: Tensor, target: Tensor): number {
  const answer = target.ne(IGNORE);
  return logits.argmax(-1).eq(target).logicalAnd(answer).sum().item() / answer.sum().item();
}

/** Greedy answers `(count, 8)`: each digit is the argmax given the question and the digits so far. */
export function answer(model: TinyGpt, questions: number[][]): number[][] {
  model.eval();
  const tokens = questions.map((q) => [...q, SEP]);
  tg.noGrad(() => {
    for (let step = 0; step < DIGITS; step++) {
      const ids = tg.tensor(Int32Array.from(tokens.flat()), { shape: [tokens.length, tokens[0].length], dtype: "int32" });
      const next = model.forward(ids).select(1, -1).argmax(-1).dataSync();
      tokens.forEach((t, i) => t.push(next[i]));
    }
  });
  return tokens.map((t) => t.slice(DIGITS + 1));
}

/** What {@link runTransformer} returns. */
export interface TransformerResult {
  /** Fraction of held-out sequences reversed entirely right, decoding greedily. */
  sequenceAcc: number;
  /** Fraction of held-out answer digits right, decoding greedily. */
  digitAcc: number;
  seconds: number;
  history: History;
  examples: string[];
  files: string[];
}

/** Batches of fresh samples, `stepsPerEpoch` per epoch. */
function freshBatches(stepsPerEpoch: number, batchSize: number, generator: tg.Generator): Iterable<Tensor[]> {
  return {
    *[Symbol.iterator]() {
      for (let s = 0; s < stepsPerEpoch; s++) {
        const { input, target } = makeReversals(batchSize, generator);
        yield [input, target];
      }
    },
  };
}

/** Trains the model, decodes the held-out sequences, prints examples and writes the PNGs. */
export async function runTransformer(options: ExampleOptions & { stepsPerEpoch?: number; testSize?: number } = {}): Promise<TransformerResult> {
  const { epochs = 5, seed = 0, out = DEFAULT_OUT, quiet = false, log = console.log, stepsPerEpoch = 40, testSize = 500 } = options;
  const t0 = performance.now();
  tg.manualSeed(seed);
  const generator = new tg.Generator(seed);
  const model = new TinyGpt();
  const val = makeReversals(500, new tg.Generator(seed + 1));
  const test = makeReversals(testSize, new tg.Generator(seed + 2));
  const optimizer = new tg.optim.Adam(model.parameters(), { lr: 3e-3 });
  const scheduler = new tg.optim.CosineAnnealingLR(optimizer, { tMax: epochs });
  log(model.toString());
  log(`task: reverse ${DIGITS} digits; ${stepsPerEpoch} batches of 64 fresh sequences per epoch; ${testSize} held-out sequences`);
  const history = fit({
    model, criterion: answerLoss, optimizer, scheduler, loader: freshBatches(stepsPerEpoch, 64, generator), epochs,
    accuracy: digitAccuracy, val: [val.input, val.target], label: "reverse digits", quiet, log: options.log,
  });
  const answers = answer(model, test.questions);
  let right = 0;
  let digitsRight = 0;
  answers.forEach((a, i) => {
    const truth = test.questions[i].slice().reverse();
    const ok = a.filter((d, j) => d === truth[j]).length;
    digitsRight += ok;
    if (ok === DIGITS) right++;
  });
  const sequenceAcc = right / answers.length;
  const digitAcc = digitsRight / (answers.length * DIGITS);
  const seconds = (performance.now() - t0) / 1000;
  const examples = answers.slice(0, 6).map((a, i) => {
    const q = test.questions[i];
    const ok = a.join("") === q.slice().reverse().join("");
    return `  ${q.join("")} → ${a.join("")}  ${ok ? "✓" : `✗ (expected ${q.slice().reverse().join("")})`}`;
  });

  log("");
  log("held-out examples (question → greedy answer):");
  for (const line of examples) log(line);
  log(`sequence accuracy    ${pct(sequenceAcc)}   (${answers.length} held-out sequences, greedy decoding)`);
  log(`digit accuracy       ${pct(digitAcc)}`);
  log(`time                 ${seconds.toFixed(1)} s`);
  const files = [
    await historyChart(join(out, "transformer-loss.png"), history, "loss", {
      title: "Tiny transformer reversing digits: cross-entropy per epoch",
      subtitle: "2 causal pre-norm layers, d=32, 4 heads; Adam lr 3e-3, cosine decay; loss on the answer digits",
      yTitle: "cross-entropy",
    }),
    await attentionPng(join(out, "transformer-attention.png"), model, test.input.narrow(0, 0, 1)),
  ];
  log(`wrote ${files.join(", ")}`);
  return { sequenceAcc, digitAcc, seconds, history, examples, files };
}

/** Both layers' attention maps for one sequence, side by side: rows attend to columns. */
function attentionPng(path: string, model: TinyGpt, ids: Tensor): Promise<string> {
  const maps = tg.noGrad(() => model.attentionMaps(ids));
  const labels = Array.from(ids.dataSync(), (t, i) => `${i}:${t === SEP ? "|" : t}`);
  const cells = maps.flatMap((m, layer) => {
    const w = m.dataSync();
    // Only j <= i: the causal mask hides the rest.
    return labels.flatMap((query, i) => labels.slice(0, i + 1).map((key, j) => ({ layer: `layer ${layer}`, query, key, w: w[i * labels.length + j] })));
  });
  const axis = { labelAngle: 0, labelFontSize: 10 };
  return renderPng({
    title: { text: "Attention of the trained model (averaged over the heads)", subtitle: "rows: the position predicting the next token; columns: the positions it attends to" },
    data: { values: cells },
    facet: { column: { field: "layer", type: "nominal", title: null } },
    spec: {
      width: 300, height: 300,
      mark: "rect",
      encoding: {
        x: { field: "key", type: "ordinal", sort: labels, title: "attends to (position:token)", axis: { ...axis, labelAngle: -90 } },
        y: { field: "query", type: "ordinal", sort: labels, title: "position:token", axis },
        color: { field: "w", type: "quantitative", scale: { domain: [0, 1], scheme: "blues" }, title: "weight" },
      },
    },
  } as never, path);
}

runIfMain(import.meta.url, (args) => runTransformer(args), { epochs: 5, seed: 0 });
