/**
 * What typedoc sees of tsgrad's public API, member by member: which declarations lack a summary,
 * an `@example` or a `@group` (every Tensor member and every top-level export of tg: the sections of
 * their pages, as PyTorch's reference has them; every class of tg.nn: its layer family). The docs
 * test asserts that nothing is missing;
 * `npx tsx tools/api-docs/coverage.ts` prints the same report.
 */
import { Application, type DeclarationReflection, ReflectionKind, type Comment, type ProjectReflection } from "typedoc";
import { fileURLToPath } from "node:url";
import { dirname, resolve } from "node:path";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** One public declaration and what its documentation lacks. */
export interface Gap {
  /** `tg.nn.Linear.forward`, as a user writes it. */
  name: string;
  kind: string;
  missing: Array<"summary" | "example" | "group">;
  /** The section of its page it is listed under (its `@group` or `@category`), if it has one. */
  group?: string;
}

/** Kinds that need an example, not only a summary. */
const NEEDS_EXAMPLE = ReflectionKind.Function | ReflectionKind.Class | ReflectionKind.Method | ReflectionKind.Interface | ReflectionKind.Constructor;
/** Kinds that are documented by their summary alone (fields, getters, type aliases, constants). */
const NEEDS_SUMMARY = NEEDS_EXAMPLE | ReflectionKind.Property | ReflectionKind.Accessor | ReflectionKind.TypeAlias | ReflectionKind.Variable | ReflectionKind.Enum;

/** Converts the sources with the project's typedoc.json (no HTML) and returns the project. */
export async function convertProject(): Promise<ProjectReflection> {
  const app = await Application.bootstrapWithPlugins({ options: resolve(ROOT, "typedoc.json"), logLevel: "Error" });
  const project = await app.convert();
  if (!project) throw new Error("typedoc: the conversion failed (run `pnpm docs:api` for the errors)");
  return project;
}

/** The comment that documents `r`: its own, or its first signature's (functions, methods) or getter's. */
function commentOf(r: DeclarationReflection): Comment | undefined {
  return r.comment ?? r.signatures?.find((s) => s.comment)?.comment ?? r.getSignature?.comment ?? r.setSignature?.comment;
}

function hasExample(c: Comment | undefined): boolean {
  return !!c?.blockTags.some((t) => t.tag === "@example");
}

function groupOf(c: Comment | undefined): string | undefined {
  const tag = c?.blockTags.find((t) => t.tag === "@group" || t.tag === "@category");
  return tag && tag.content.map((part) => part.text).join("").trim();
}

/** Every public declaration of the project, with what its docs lack (empty lists included). */
export function auditProject(project: ProjectReflection): Gap[] {
  const out: Gap[] = [];
  const visit = (r: DeclarationReflection, path: string, owner: DeclarationReflection | null): void => {
    if (r.kindOf(ReflectionKind.SomeModule)) {
      const name = path ? `${path}.${r.name}` : r.name; // tg.nn, then tg.nn.init
      for (const child of r.children ?? []) visit(child, name, r);
      return;
    }
    if (!r.kindOf(NEEDS_SUMMARY) || r.flags.isPrivate || r.flags.isProtected || r.name.startsWith("_")) return;
    // Inherited and overriding members are documented where they are first declared.
    if (r.inheritedFrom || r.overwrites || r.implementationOf) return;
    const name = `${path}.${r.name}`;
    const comment = commentOf(r);
    const missing: Gap["missing"] = [];
    if (!comment || comment.summary.every((p) => p.kind === "text" && p.text.trim() === "")) missing.push("summary");
    // A constructor is shown by its class's example; `[Symbol.iterator]` and the like need no example of their own.
    const needsExample = r.kindOf(NEEDS_EXAMPLE) && !r.kindOf(ReflectionKind.Constructor) && !r.name.startsWith("[") && r.name !== "toString";
    if (needsExample && !hasExample(comment)) missing.push("example");
    const group = groupOf(comment);
    // Tensor's page and tg's open on their groups (Creation, Pointwise math, ...); tg.nn's lists its
    // classes by layer family (Linear, Convolution, ...).
    const needsGroup =
      (owner?.name === "Tensor" && !r.kindOf(ReflectionKind.Constructor)) || path === "tg" || (path === "tg.nn" && r.kindOf(ReflectionKind.Class));
    if (needsGroup && !group) missing.push("group");
    out.push({ name, kind: ReflectionKind[r.kind], missing, ...(group ? { group } : {}) });
    if (r.kindOf(ReflectionKind.ClassOrInterface)) for (const child of r.children ?? []) visit(child, name, r);
  };
  for (const child of project.children ?? []) visit(child, "", null);
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const gaps = auditProject(await convertProject());
  const lacking = (what: Gap["missing"][number]) => gaps.filter((g) => g.missing.includes(what));
  console.log(`${gaps.length} public declarations`);
  for (const what of ["summary", "example", "group"] as const) {
    const l = lacking(what);
    console.log(`without ${what}: ${l.length}`);
    if (process.argv.includes("--list")) for (const g of l) console.log(`  ${g.kind} ${g.name}`);
  }
}
