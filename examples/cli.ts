/** Tiny command-line parsing shared by the examples: --epochs N, --seed S, --out DIR, --quiet. */

/** The flags every example accepts. */
export interface ExampleArgs {
  epochs: number;
  seed: number;
  out: string;
  quiet: boolean;
}

/** Parses `--name value` / `--name=value` flags over the given defaults. */
export function parseArgs(argv: readonly string[], defaults: Partial<ExampleArgs> = {}): ExampleArgs {
  const args: ExampleArgs = { epochs: 100, seed: 0, out: "examples/out", quiet: false, ...defaults };
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
      default: throw new Error(`unknown flag ${argv[i]} (expected --epochs, --seed, --out, --quiet)`);
    }
  }
  return args;
}

function positiveInt(flag: string, v: string, allowZero = false): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1)) throw new Error(`${flag} expects a ${allowZero ? "non-negative" : "positive"} integer, got ${v}`);
  return n;
}
