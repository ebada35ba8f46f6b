/**
 * The playground's choices and what the article says of each output + loss pairing. Plain data
 * (no tsgrad import), shared by the page (menus, warnings) and the worker (the training itself).
 */

export type Task = "classification" | "regression";
export type DatasetName = "moons" | "circles" | "spiral" | "blobs" | "regression";
export type OutputName = "sigmoid" | "softmax" | "linear" | "step";
export type LossName = "bce" | "ce" | "mse" | "mae" | "huber" | "hinge" | "perceptron";
export type OptimizerName = "SGD" | "SGD momentum" | "Adam" | "AdamW" | "RMSprop" | "Adagrad";

/** Each dataset, its task, and the pairing the page switches to when it is chosen. */
export const DATASETS: Readonly<Record<DatasetName, { label: string; task: Task; output: OutputName; loss: LossName }>> = {
  moons: { label: "two moons", task: "classification", output: "sigmoid", loss: "bce" },
  circles: { label: "circles", task: "classification", output: "sigmoid", loss: "bce" },
  spiral: { label: "spiral (3 classes)", task: "classification", output: "softmax", loss: "ce" },
  blobs: { label: "blobs (4 classes)", task: "classification", output: "softmax", loss: "ce" },
  regression: { label: "1-D regression with outliers", task: "regression", output: "linear", loss: "huber" },
};

export const OUTPUTS: Readonly<Record<OutputName, string>> = {
  sigmoid: "sigmoid",
  softmax: "softmax",
  linear: "linear (raw score)",
  step: "step (Heaviside)",
};

/** Each loss, the tsgrad function it calls, and the tasks it is for. */
export const LOSSES: Readonly<Record<LossName, { label: string; fn: string; tasks: readonly Task[] }>> = {
  bce: { label: "binary cross-entropy", fn: "binaryCrossEntropy", tasks: ["classification"] },
  ce: { label: "cross-entropy", fn: "crossEntropy", tasks: ["classification"] },
  mse: { label: "MSE", fn: "mseLoss", tasks: ["classification", "regression"] },
  mae: { label: "MAE (L1)", fn: "l1Loss", tasks: ["classification", "regression"] },
  huber: { label: "Huber (δ = 1)", fn: "huberLoss", tasks: ["classification", "regression"] },
  hinge: { label: "hinge", fn: "hingeLoss", tasks: ["classification"] },
  perceptron: { label: "perceptron criterion", fn: "perceptronLoss", tasks: ["classification"] },
};

/**
 * The hidden activations: every activation layer of tsgrad's nn by class name (experiment.ts makes
 * them), but Softmax2d, which normalises over the channels of an image, (C, H, W); and Identity, for none.
 */
export const HIDDEN_ACTIVATIONS = [
  "ReLU", "LeakyReLU", "PReLU", "RReLU", "ELU", "SELU", "CELU", "GELU", "SiLU", "Mish", "Softplus", "Sigmoid", "Tanh", "Softsign",
  "Hardtanh", "ReLU6", "Hardsigmoid", "Hardswish", "LogSigmoid", "Tanhshrink", "Hardshrink", "Softshrink", "Threshold", "Step",
  "GLU", "Softmax", "LogSoftmax", "Softmin", "Identity",
] as const;
export type HiddenActivation = (typeof HIDDEN_ACTIVATIONS)[number];

export const OPTIMIZERS: readonly OptimizerName[] = ["SGD", "SGD momentum", "Adam", "AdamW", "RMSprop", "Adagrad"];
export const LEARNING_RATES: readonly number[] = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1];

/** How the targets are written for a loss: class indices, 0/1 (or one-hot), ±1, or the real values. */
export type TargetEncoding = "indices" | "zeroOne" | "signs" | "values";

export function targetEncoding(task: Task, loss: LossName): TargetEncoding {
  if (task === "regression") return "values";
  if (loss === "ce") return "indices";
  return loss === "hinge" || loss === "perceptron" ? "signs" : "zeroOne";
}

/**
 * Output units: one for a regression, one for two classes (a single probability or score), else
 * one per class; softmax and cross-entropy always take one per class.
 */
export function outputUnits(task: Task, classes: number, output: OutputName, loss: LossName): number {
  if (task === "regression") return 1;
  return classes === 2 && output !== "softmax" && loss !== "ce" ? 1 : classes;
}

/**
 * What the loss is given: the output activation applied to the last layer's z, except where the
 * loss takes the raw score itself: cross-entropy applies its own softmax (so softmax + CE gives
 * it z, as PyTorch's CrossEntropyLoss wants), sigmoid + BCE is computed from z by the fused,
 * exact BCEWithLogits, and hinge / perceptron score z (a step output is their decision, sign z).
 */
export type LossInput = "z" | "activated" | "logits to BCEWithLogits";

export function lossInput(output: OutputName, loss: LossName): LossInput {
  if (loss === "ce" && (output === "softmax" || output === "linear")) return "z";
  if (loss === "bce" && output === "sigmoid") return "logits to BCEWithLogits";
  if ((loss === "hinge" || loss === "perceptron") && (output === "linear" || output === "step")) return "z";
  return output === "linear" ? "z" : "activated";
}

/** A line of tsgrad code for the pairing, as the worker computes it. */
export function pairingCode(task: Task, output: OutputName, loss: LossName): string {
  const input = lossInput(output, loss);
  const target = { indices: "labels", zeroOne: "y01", signs: "ySigned", values: "y" }[targetEncoding(task, loss)];
  const options = loss === "huber" ? ", { delta: 1 }" : "";
  if (input === "logits to BCEWithLogits") return `losses.binaryCrossEntropyWithLogits(z, ${target})   // = binaryCrossEntropy(z.sigmoid(), ${target}), without rounding p to 0 or 1`;
  const activated = { sigmoid: "z.sigmoid()", softmax: "z.softmax(1)", linear: "z", step: "nn.F.step(z)" }[output];
  const note = loss === "ce" && input === "z" ? "   // the softmax is inside the loss (log-softmax of z)" : "";
  return `losses.${LOSSES[loss].fn}(${input === "z" ? "z" : activated}, ${target}${options})${note}`;
}

export interface Verdict {
  /** The article's pairing for this task (no warning). */
  matched: boolean;
  /** Why the pairing is mismatched, as the article explains it. */
  warning?: string;
}

const STEP_HAS_NO_GRADIENT =
  "The step's derivative is 0 everywhere (and undefined at 0), so every gradient through it is exactly 0 and gradient descent " +
  "cannot move a weight: the loss curve stays flat. This is why the perceptron is trained with the perceptron criterion on its " +
  "raw score z, whose gradient is −y·x on each mistake (Rosenblatt's rule), and not through its step: choose the perceptron loss or hinge.";

function squashedRegression(output: OutputName): string {
  if (output === "softmax") return "A softmax over a single output is always exactly 1: the network's prediction cannot depend on x at all. A regression takes a linear output.";
  return "A sigmoid output lives in (0, 1), but the targets do not: every prediction is squashed into that interval, and the sigmoid's derivative p(1 − p) shrinks the gradient where it saturates. A regression takes a linear output.";
}

/** Whether the pairing is the article's, and if not, why not. */
export function verdict(task: Task, output: OutputName, loss: LossName): Verdict {
  if (task === "regression") {
    if (output === "linear") return { matched: true };
    return { matched: false, warning: output === "step" ? STEP_HAS_NO_GRADIENT : squashedRegression(output) };
  }
  const regressionLoss = loss === "mse" || loss === "mae" || loss === "huber";
  const name = LOSSES[loss].label;
  if (output === "step") return loss === "perceptron" || loss === "hinge" ? { matched: true } : { matched: false, warning: STEP_HAS_NO_GRADIENT };
  if ((output === "sigmoid" && loss === "bce") || ((output === "softmax" || output === "linear") && loss === "ce")) return { matched: true };
  if (output === "linear" && (loss === "hinge" || loss === "perceptron")) return { matched: true };
  if (regressionLoss && output !== "linear") {
    const matching = output === "softmax" ? "softmax + cross-entropy" : "sigmoid + binary cross-entropy";
    return {
      matched: false,
      warning:
        `${name} on a ${output} output: the loss's gradient reaches z through the ${output}'s derivative (p(1 − p) for a sigmoid, ` +
        "the softmax's Jacobian), which vanishes when the output saturates, so a confidently wrong prediction (p ≈ 0 for a true 1) " +
        "gets almost no gradient and learns slowest exactly where it is most wrong; training is slow and can stall. " +
        `Cross-entropy's log cancels that factor: its gradient on the logits is p − y. Use ${matching}.`,
    };
  }
  if (regressionLoss) {
    return {
      matched: false,
      warning:
        `${name} on class labels: a linear output fitted to the 0/1 targets is least-squares classification. It can work on easy data, ` +
        "but it penalises outputs that are right with room to spare (2 for a true 1 costs as much as 0), and points far from the boundary " +
        "pull it. For classes, use sigmoid + binary cross-entropy or softmax + cross-entropy.",
    };
  }
  if (loss === "bce" && output === "linear") {
    return {
      matched: false,
      warning:
        "Binary cross-entropy on a linear output: BCE is −[y·log p + (1 − y)·log(1 − p)] and needs a probability p in [0, 1], but a linear " +
        "output is an unbounded score, and log p is undefined for p ≤ 0 — tsgrad, like PyTorch's BCELoss, throws as soon as one output " +
        "leaves [0, 1]. Put a sigmoid on the output, or give the logits to BCEWithLogitsLoss (sigmoid + BCE in one exact step).",
    };
  }
  if (loss === "bce") {
    return {
      matched: false,
      warning:
        "Binary cross-entropy on a softmax output treats the class probabilities as independent yes/no answers, but the softmax makes them " +
        "compete (they sum to 1). One label among several is softmax + cross-entropy on the logits; independent sigmoids + BCE are for " +
        "tags that can all be on at once.",
    };
  }
  if (loss === "ce") {
    return {
      matched: false,
      warning:
        "Cross-entropy applies a softmax to its input, so it wants unbounded logits. A sigmoid squashes them into (0, 1) first, so the " +
        "softmax over them can never be confident (with K classes the best probability is e/(e + K − 1), 73% for two), the loss has a " +
        "floor above 0, and the sigmoid's derivative shrinks the gradient. Give CrossEntropyLoss the raw logits: softmax + cross-entropy.",
    };
  }
  return {
    matched: false,
    warning:
      `The ${name} loss scores a signed output: the decision is its sign, and a point of class −1 needs a negative score. A ${output} ` +
      "output is never negative, so every point is predicted +1 and the −1 points can never be on the right side. Use a linear output (the raw score).",
  };
}

/** A note on the hidden activation, where the article has one. */
export function hiddenNote(activation: HiddenActivation): string | undefined {
  if (activation === "Step") return "Step in the hidden layers: its gradient is 0, so nothing before the last layer learns; the hidden features stay at their random start.";
  if (activation === "Identity") return "No hidden activation: the layers compose to one linear map, so the decision boundary is a straight line (the fitted curve a line).";
  return undefined;
}

/** Everything the worker needs for a run. */
export interface Config {
  dataset: DatasetName;
  seed: number;
  hidden: number[];
  activation: HiddenActivation;
  output: OutputName;
  loss: LossName;
  optimizer: OptimizerName;
  lr: number;
  steps: number;
}

/** Page → worker. */
export type Command = { type: "train"; config: Config } | { type: "stop" };

/** The points, in the model's (standardised) coordinates. */
export interface Points {
  x: number[][];
  /** Class indices, or the target values of a regression. */
  y: number[];
  /** Regression: which points are outliers. */
  outliers?: boolean[];
}

/** Worker → page. */
export type Report =
  | {
    type: "start";
    task: Task;
    classes: number;
    train: Points;
    test: Points;
    /** [xmin, xmax, ymin, ymax] of the plot. */
    bounds: [number, number, number, number];
    /** Regression: the clean curve, as [x, y] pairs. */
    truth?: number[][];
    model: string;
    code: string;
    kernelMode: string;
  }
  | {
    type: "progress";
    step: number;
    trainLoss: number;
    testLoss: number;
    /** Classification: accuracy; regression: mean absolute error to the clean curve. */
    trainMetric: number;
    testMetric: number;
    /** Classification: class and confidence per grid cell (row-major, y down); regression: predictions at `gridX`. */
    grid: Float32Array;
    gridSize: number;
  }
  | { type: "done"; step: number; ms: number }
  | { type: "error"; message: string };
