/**
 * Training progress: a live cli-progress bar (epoch, loss, accuracy, ETA) on an interactive
 * terminal; otherwise — `--quiet`, output piped to a file or CI, or a custom log — one plain line
 * every few epochs.
 */
import { SingleBar } from "cli-progress";

/** Metrics shown for an epoch, e.g. `{ loss: 0.12, acc: 0.97 }`; accuracies print as percentages. */
export type EpochMetrics = Record<string, number>;

/** Options of {@link EpochProgress}. */
export interface ProgressOptions {
  /** Plain lines only, even on a terminal. */
  quiet?: boolean;
  /** Where plain lines go (default console.log); giving one also turns the live bar off. */
  log?: (line: string) => void;
  /** Plain-line interval in epochs (default: about ten lines per run). */
  every?: number;
}

function formatMetrics(metrics: EpochMetrics): string {
  return Object.entries(metrics)
    .map(([name, v]) => (/acc/i.test(name) ? `${name} ${(100 * v).toFixed(1)}%` : `${name} ${v.toFixed(4)}`))
    .join("  ");
}

/**
 * Reports a training run epoch by epoch.
 *
 * @example
 * ```ts
 * const progress = new EpochProgress("moons", 500, { quiet: args.quiet });
 * for (let epoch = 1; epoch <= 500; epoch++) { ...; progress.update(epoch, { loss, acc }); }
 * progress.stop();
 * ```
 */
export class EpochProgress {
  private readonly bar: SingleBar | null;
  private readonly log: (line: string) => void;
  private readonly every: number;
  private readonly width: number;

  constructor(
    private readonly label: string,
    private readonly total: number,
    options: ProgressOptions = {},
  ) {
    this.log = options.log ?? console.log;
    this.every = options.every ?? Math.max(1, Math.round(total / 10));
    this.width = String(total).length;
    const live = !options.quiet && options.log === undefined && process.stdout.isTTY === true;
    this.bar = live
      ? new SingleBar({
          format: `${label} {bar} {value}/{total} epochs | {metrics} | ETA {eta_formatted}`,
          barsize: 24,
          barCompleteChar: "█",
          barIncompleteChar: "░",
          stream: process.stdout,
          hideCursor: true,
          etaBuffer: 50,
        })
      : null;
    this.bar?.start(total, 0, { metrics: "" });
  }

  /** Records the end of `epoch` (1-based) with its metrics. */
  update(epoch: number, metrics: EpochMetrics): void {
    if (this.bar) {
      this.bar.update(epoch, { metrics: formatMetrics(metrics) });
    } else if (epoch % this.every === 0 || epoch === 1 || epoch === this.total) {
      this.log(`${this.label} epoch ${String(epoch).padStart(this.width)}/${this.total}  ${formatMetrics(metrics)}`);
    }
  }

  /** Ends the run (leaves the finished bar on screen). */
  stop(): void {
    this.bar?.stop();
  }
}
