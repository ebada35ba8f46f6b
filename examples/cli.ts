/** Tiny command-line parsing shared by the examples: --epochs N, --seed S, --out DIR, --quiet. */
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The flags every example accepts. */
export interface ExampleArgs {
  epochs: number;
  seed: number;
  out: string;
  quiet: boolean;
}

/**
 * What an example's core function takes: the flags, plus where its printed lines go (default
 * `console.log`; tests pass a collector so nothing is printed).
 */
export interface ExampleOptions extends Partial<ExampleArgs> {
  log?: (line: string) => void;
}

/** The examples' default output folder, examples/out/ (git-ignored), wherever the script is run from. */
export const DEFAULT_OUT = join(dirname(fileURLToPath(import.meta.url)), "out");

/** The usage text `--help` prints, with this example's defaults. */
export function usage(script: string, defaults: ExampleArgs): string {
  return [
    `usage: pnpm tsx --conditions=@tsgrad/source ${script} [flags]`,
    `  --epochs N   training epochs (default ${defaults.epochs})`,
    `  --seed S     random seed (default ${defaults.seed})`,
    `  --out DIR    where the PNG plots go (default ${defaults.out})`,
    "  --quiet      one line every few epochs instead of a progress bar",
    "  --help       this text",
  ].join("\n");
}

/** Thrown by {@link parseArgs} for `--help`: not an error, the caller prints the usage. */
export class HelpRequested extends Error {}

/** Parses `--name value` / `--name=value` flags over the given defaults. */
export function parseArgs(argv: readonly string[], defaults: Partial<ExampleArgs> = {}): ExampleArgs {
  const args: ExampleArgs = { epochs: 100, seed: 0, out: DEFAULT_OUT, quiet: false, ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2);
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--epochs": args.epochs = positiveInt(flag, value()); break;
      case "--seed": args.seed = positiveInt(flag, value(), true); break;
      case "--out": args.out = value(); break;
      case "--quiet": args.quiet = true; break;
      case "--help": case "-h": throw new HelpRequested();
      default: throw new Error(`unknown flag ${argv[i]} (expected --epochs, --seed, --out, --quiet, --help)`);
    }
  }
  return args;
}

function positiveInt(flag: string, v: string, allowZero = false): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1)) throw new Error(`${flag} expects a ${allowZero ? "non-negative" : "positive"} integer, got ${v}`);
  return n;
}

/** Whether the module with this `import.meta.url` is the script node was started with. */
export function isMain(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && moduleUrl === pathToFileURL(process.argv[1]).href;
}

/**
 * Runs an example's core function with the command line's flags when its module is the script
 * being executed (and not when a test imports it); a thrown error prints and exits with code 1.
 */
export function runIfMain(moduleUrl: string, run: (args: ExampleArgs) => Promise<unknown>, defaults: Partial<ExampleArgs> = {}): void {
  if (!isMain(moduleUrl)) return;
  let args: ExampleArgs;
  try {
    args = parseArgs(process.argv.slice(2), defaults);
  } catch (e) {
    if (e instanceof HelpRequested) {
      console.log(usage(fileURLToPath(moduleUrl).replace(`${process.cwd()}/`, ""), parseArgs([], defaults)));
      process.exit(0);
    }
    console.error((e as Error).message);
    process.exit(2);
  }
  run(args).catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
