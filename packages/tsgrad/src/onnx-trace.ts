/**
 * The tracer behind {@link exportOnnx}: it runs the model's forward once and records what it does
 * as ONNX nodes, without touching any op's code.
 *
 * - While a trace is active, every method of `Tensor.prototype` (and the getters `T`, `mT`) is
 *   wrapped, and core's trace hook (`setTraceHook`) reports the free functions `cat`, `stack`,
 *   `where`, `matmul` and `linear`. Only the outermost call is recorded: a depth counter makes the
 *   calls an op makes inside itself (ops built from other ops) run untraced.
 * - Every module of the model gets an own `forward` for the trace. A module with a table entry in
 *   onnx-layers.ts (Linear, the conv, pooling, normalization, embedding and recurrent layers, the
 *   activations) becomes its nodes when its `forward` is entered, without descending into it; any
 *   other module (Sequential, a user's) is traced through, its name pushed on the module path that
 *   errors report.
 * - A value is "live" when it depends on the graph inputs. An op on no live value is constant
 *   folding: it runs and its result, if used later, becomes an initializer. Parameters and buffers
 *   become initializers named as in `stateDict()`.
 * - An op on live values that no table knows throws naming the op and the module path. An op the
 *   tracer cannot see (a kernel called directly, outside the Tensor methods) is caught by autograd:
 *   the inputs are traced with `requiresGrad` set (the parameters' cleared for the trace), so a
 *   tensor that needs grad but was never recorded came from an untraced op, named by its `gradFn`.
 */
import { Tensor, ValuesIndices, isPlainObject, setTraceHook, typeNameOf, type TraceHook } from "@tsgrad/core";
import type * as nn from "@tsgrad/nn";
import { Graph } from "./onnx-graph.js";
import { OPS, type OpEmitter } from "./onnx-ops.js";
import { LAYERS, type LayerEmitter } from "./onnx-layers.js";

/** Methods that read metadata or print, never ops: they run as they are, also on live values. */
const PASSIVE = new Set([
  "size", "numel", "dim", "isContiguous", "toString", "elementSize", "nelement", "isFloatingPoint", "isComplex",
  "getDtype", "stride", "storageOffset", "dataPtr",
]);

/** Methods that read a tensor's values into JavaScript. */
const VALUE_READS = new Set(["item", "toArray", "dataSync", "tolist", "allclose", "equal"]);

/** The getters that are ops. */
const GETTER_OPS = ["T", "mT", "H", "mH"];

/** The tensors in a value: a tensor, or arrays, pair results and plain objects of them (in order). */
export function tensorsIn(value: unknown, into: Tensor[] = []): Tensor[] {
  if (value instanceof Tensor) into.push(value);
  else if (value instanceof ValuesIndices) {
    into.push(value.values, value.indices);
  } else if (Array.isArray(value)) for (const v of value) tensorsIn(v, into);
  else if (isPlainObject(value)) for (const v of Object.values(value)) tensorsIn(v, into);
  return into;
}

/** `GeluBackward0` → `gelu`. */
function opNameOf(t: Tensor): string {
  const name = t.gradFn?.name ?? "an untraced op";
  const base = name.replace(/Backward\d*$/, "");
  return base.charAt(0).toLowerCase() + base.slice(1);
}

/** The context an emitter works in: the graph, the value names, the module path for errors. */
export class Trace {
  /** Live values: tensor → its ONNX value name. */
  private readonly live = new Map<Tensor, string>();
  /** Parameter and buffer tensors → their stateDict names. */
  private readonly stateNames = new Map<Tensor, string>();
  private readonly path: string[] = [];
  /** > 0 inside a recorded op or layer: calls run untraced. */
  depth = 0;

  constructor(readonly g: Graph, model: nn.Module) {
    for (const [name, p] of model.namedParameters()) this.stateNames.set(p, name);
    for (const [name, b] of model.namedBuffers()) this.stateNames.set(b, name);
  }

  /** Marks `t` as the live value `name`. */
  bind(t: Tensor, name: string): void {
    this.live.set(t, name);
  }

  isLive(t: Tensor): boolean {
    return this.live.has(t);
  }

  /** The module path for messages: `encoder.layers.0`, or "the model". */
  where(): string {
    const p = this.path[this.path.length - 1];
    return p ? p : "the model";
  }

  /** A TypeError naming what cannot be exported and where. */
  error(what: string, why = ""): TypeError {
    return new TypeError(`exportOnnx: cannot export ${what} (at ${this.where()})${why ? `: ${why}` : ""}`);
  }

  /** The ONNX value of `t`: its live name, else an initializer (a parameter's under its name). */
  value(t: Tensor): string {
    const name = this.live.get(t);
    if (name !== undefined) return name;
    this.checkTraced(t);
    return this.g.tensor(t, this.stateNames.get(t));
  }

  /** Throws if `t` is not live yet depends on an input: an op the tracer did not see made it. */
  checkTraced(t: Tensor): void {
    if (!this.isLive(t) && t.requiresGrad && t.gradFn !== null) {
      throw this.error(`"${opNameOf(t)}"`, "the op is not traced (ONNX export sees the Tensor methods, the core functions it hooks and the layers it knows)");
    }
  }

  /** Runs `fn` untraced (depth + 1). */
  untraced<R>(fn: () => R): R {
    this.depth++;
    try {
      return fn();
    } finally {
      this.depth--;
    }
  }

  /** Records the call `name(...args)` (args[0] is the tensor for a method) that ran to `out`. */
  record(name: string, emitter: OpEmitter | undefined, args: unknown[], run: () => unknown): unknown {
    if (this.depth > 0) return run();
    const inputs = tensorsIn(args);
    if (!inputs.some((t) => this.isLive(t))) return run();
    if (emitter === undefined) {
      const why = name.endsWith("_") ? "in-place ops on values that depend on the input are not exported; use the out-of-place form"
        : VALUE_READS.has(name) ? "the forward reads the values of a tensor that depends on the input (a trace cannot follow data-dependent code)"
        : "no ONNX form for this op";
      throw this.error(`"${name}"`, why);
    }
    const out = this.untraced(run);
    this.bindOutputs(out, this.untraced(() => emitter({ trace: this, g: this.g, args, out, name })));
    return out;
  }

  private bindOutputs(out: unknown, names: string | string[]): void {
    const outs = tensorsIn(out);
    const list = typeof names === "string" ? [names] : names;
    if (outs.length !== list.length) throw new Error(`exportOnnx: internal: ${list.length} ONNX values for ${outs.length} outputs`);
    outs.forEach((t, i) => this.bind(t, list[i]));
  }

  /** The module's forward, traced: a known layer as its nodes, any other module through. */
  callModule(m: nn.Module, path: string, args: unknown[], forward: () => unknown): unknown {
    if (this.depth > 0) return forward();
    // A known layer by its own type name: a user's subclass (inheriting the static typeName, with
    // its own forward) is traced through.
    const type = Object.hasOwn(m.constructor, "typeName") ? typeNameOf(m) : "";
    const layer: LayerEmitter | undefined = Object.hasOwn(LAYERS, type) ? LAYERS[type] : undefined;
    this.path.push(path);
    try {
      if (layer !== undefined) {
        if (!tensorsIn(args).some((t) => this.isLive(t))) return forward();
        const out = this.untraced(forward);
        this.bindOutputs(out, this.untraced(() => layer({ trace: this, g: this.g, module: m, args, out, path })));
        return out;
      }
      const out = forward();
      for (const t of tensorsIn(out)) this.checkTraced(t); // an untraced op's result is caught here, at its module
      return out;
    } finally {
      this.path.pop();
    }
  }
}

/**
 * Runs `run` with the tracer installed (Tensor.prototype wrapped, core's trace hook set, every
 * module's `forward` wrapped), then removes it all, whatever happens.
 */
export function withTracing<R>(trace: Trace, model: nn.Module, run: () => R): R {
  const protoObject = Tensor.prototype as unknown as Record<string, unknown>;
  const saved: Array<[string, PropertyDescriptor]> = [];
  for (const key of Object.getOwnPropertyNames(protoObject)) {
    const d = Object.getOwnPropertyDescriptor(protoObject, key)!;
    if (key === "constructor" || key.startsWith("_") || PASSIVE.has(key)) continue;
    const emitter = Object.hasOwn(OPS, key) ? OPS[key] : undefined;
    if (typeof d.value === "function") {
      const original = d.value as (...a: unknown[]) => unknown;
      saved.push([key, d]);
      Object.defineProperty(protoObject, key, {
        ...d,
        value: function traced(this: Tensor, ...args: unknown[]) {
          return trace.record(key, emitter, [this, ...args], () => original.apply(this, args));
        },
      });
    } else if (d.get && GETTER_OPS.includes(key)) {
      const original = d.get;
      saved.push([key, d]);
      Object.defineProperty(protoObject, key, {
        ...d,
        get: function traced(this: Tensor) {
          return trace.record(key, emitter, [this], () => original.call(this));
        },
      });
    }
  }
  const hook: TraceHook = (name, fn, args) => {
    const emitter = Object.hasOwn(OPS, name) ? OPS[name] : undefined;
    return trace.record(name, emitter, args, () => {
      const outer = setTraceHook(null);
      try {
        return (fn as (...a: unknown[]) => unknown)(...args);
      } finally {
        setTraceHook(outer);
      }
    });
  };
  const previousHook = setTraceHook(hook);
  const modules: Array<[nn.Module, PropertyDescriptor | undefined]> = [];
  const seen = new Set<nn.Module>();
  for (const [path, m] of model.namedModules()) {
    if (seen.has(m)) continue;
    seen.add(m);
    const own = Object.getOwnPropertyDescriptor(m, "forward");
    const inner = m.forward;
    modules.push([m, own]);
    Object.defineProperty(m, "forward", {
      configurable: true, writable: true, enumerable: false,
      value: (...args: unknown[]) => trace.callModule(m, path, args, () => inner.apply(m, args)),
    });
  }
  try {
    return run();
  } finally {
    for (const [m, own] of modules) {
      if (own) Object.defineProperty(m, "forward", own);
      else delete (m as { forward?: unknown }).forward;
    }
    setTraceHook(previousHook);
    for (const [key, d] of saved) Object.defineProperty(protoObject, key, d);
  }
}
