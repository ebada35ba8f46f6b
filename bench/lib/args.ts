/**
 * Command-line flags shared by the benchmarks: `--name value` numbers and lists, bare `--quick`
 * style switches, and pnpm's literal `--` (pnpm 12 passes `pnpm bench -- --quick` through as
 * `-- --quick`), which is skipped.
 */
export interface Args {
  /** `--name N`, or `fallback` when the flag is absent. Throws on a value that is not a number. */
  number(name: string, fallback: number): number;
  /** `--name a,b,c` as lower-cased items, or undefined when the flag is absent. */
  list(name: string): string[] | undefined;
  /** Whether the bare switch `--name` is present. */
  has(name: string): boolean;
}

/** Parses `argv` (default: the process's own arguments after the script). Unknown flags throw, naming them. */
export function parseArgs(known: { numbers?: string[]; lists?: string[]; switches?: string[] }, argv = process.argv.slice(2)): Args {
  const args = argv.filter((a) => a !== "--");
  const values = new Map<string, string>();
  const switches = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const name = args[i];
    if (known.switches?.includes(name)) {
      switches.add(name);
    } else if (known.numbers?.includes(name) || known.lists?.includes(name)) {
      if (i + 1 >= args.length) throw new RangeError(`bench: ${name} needs a value`);
      values.set(name, args[++i]);
    } else {
      const all = [...(known.numbers ?? []), ...(known.lists ?? []), ...(known.switches ?? [])];
      throw new RangeError(`bench: unknown argument '${name}' (known: ${all.join(", ")})`);
    }
  }
  return {
    number(name, fallback) {
      const v = values.get(name);
      if (v === undefined) return fallback;
      const n = Number(v);
      if (!Number.isFinite(n)) throw new RangeError(`bench: ${name} wants a number, got '${v}'`);
      return n;
    },
    list(name) {
      return values.get(name)?.split(",").map((s) => s.trim().toLowerCase()).filter((s) => s.length > 0);
    },
    has: (name) => switches.has(name),
  };
}
