/**
 * Lists, with the TypeScript compiler API, every exported function, method and constructor of the
 * packages whose parameters include an options object, for the unknown-options walker test.
 */
import ts from "typescript";
import path from "node:path";

const OPTIONS_PARAM = /^(options|opts)$/;
const OPTIONS_TYPE = /Options\b/;

/**
 * Every exported function, method and constructor reachable from `packages/<p>/src/index.ts`
 * whose parameters include an options object (a parameter named `options`/`opts`, or whose type,
 * or the alias it names, mentions a `*Options` type), named `fn`, `F.fn`, `Class.method` or
 * `new Class`. Each declaration is listed once, under the first name that reaches it, so an
 * inherited method is named by the class that declares it.
 */
export function optionTakers(root: string, packages: readonly string[]): string[] {
  const entries = packages.map((p) => path.join(root, "packages", p, "src/index.ts"));
  const program = ts.createProgram(entries, {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
    customConditions: ["@tsgrad/source"], strict: true, skipLibCheck: true, noEmit: true,
  });
  const checker = program.getTypeChecker();
  const typeMentionsOptions = (type: ts.TypeNode): boolean => {
    if (OPTIONS_TYPE.test(type.getText())) return true;
    if (!ts.isTypeReferenceNode(type)) return false;
    const symbol = checker.getSymbolAtLocation(type.typeName);
    const target = symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    return (target?.declarations ?? []).some((d) => ts.isTypeAliasDeclaration(d) && OPTIONS_TYPE.test(d.type.getText()));
  };
  const takesOptions = (sig: ts.Signature): boolean => {
    const decl = sig.getDeclaration();
    return decl !== undefined && decl.parameters.some((p) => OPTIONS_PARAM.test(p.name.getText()) || (p.type !== undefined && typeMentionsOptions(p.type)));
  };
  const found = new Map<ts.Node, string>();
  const note = (sigs: readonly ts.Signature[], name: string): void => {
    for (const sig of sigs) if (takesOptions(sig) && !found.has(sig.getDeclaration())) found.set(sig.getDeclaration(), name);
  };
  const visit = (prefix: string, moduleSymbol: ts.Symbol): void => {
    for (const exp of checker.getExportsOfModule(moduleSymbol)) {
      const sym = exp.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exp) : exp;
      const name = prefix + exp.name;
      if (sym.flags & ts.SymbolFlags.ValueModule) {
        visit(`${name}.`, sym);
      } else if (sym.flags & ts.SymbolFlags.Class) {
        const staticType = checker.getTypeOfSymbolAtLocation(sym, sym.valueDeclaration!);
        note(staticType.getConstructSignatures(), `new ${exp.name}`);
        for (const type of [checker.getDeclaredTypeOfSymbol(sym), staticType]) {
          for (const prop of checker.getPropertiesOfType(type)) {
            const d = prop.valueDeclaration;
            if (!d || !(ts.isMethodDeclaration(d) || ts.isMethodSignature(d)) || prop.name.startsWith("#")) continue;
            if (ts.getCombinedModifierFlags(d) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) continue;
            const owner = (d.parent as ts.ClassDeclaration).name?.text ?? exp.name;
            note(checker.getTypeOfSymbolAtLocation(prop, d).getCallSignatures(), `${owner}.${prop.name}`);
          }
        }
      } else if (sym.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Variable)) {
        note(checker.getTypeOfSymbolAtLocation(sym, sym.valueDeclaration!).getCallSignatures(), name);
      }
    }
  };
  for (const entry of entries) visit("", checker.getSymbolAtLocation(program.getSourceFile(entry)!)!);
  return [...new Set(found.values())].sort();
}
