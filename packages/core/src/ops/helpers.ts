/** The few helpers every op file shares: operand coercion, kernel launch, broadcast-gradient reduction. */
import { Tensor, type TensorLike } from "../tensor.js";
import { type DType, allocate, allocateUninitialized, isFloatingPoint, promoteTypes, promoteTensorTypes, promoteWithScalar } from "../dtype.js";
import { ownedGradient, record } from "../autograd/node.js";
import { broadcastShapes, broadcastStrides, numelOf, sameShape } from "../shape.js";
import { unaryKernel, binaryKernel, ternaryKernel, gradientKernel, UNARY, BINARY } from "../kernels/elementwise.js";
import { PARALLEL_MAP_MIN, mapOnThreads } from "../kernels/parallel-map.js";

/** A 0-d tensor holding `value` as `dtype`. */
export function scalarTensor(value: number, dtype: DType): Tensor {
  const data = allocate(dtype, 1);
  data[0] = value;
  return new Tensor(data, [], dtype);
}

/** Throws a TypeError unless `x` is a Tensor or a number. */
export function checkOperand(op: string, x: unknown, position: string): void {
  if (!(x instanceof Tensor) && typeof x !== "number") {
    throw new TypeError(`${op}: ${position} must be a Tensor or a number, got ${x === null ? "null" : typeof x}`);
  }
}

/** The result dtype of a binary op on tensor `a` and tensor-or-number `b` (PyTorch promotion). */
export function resultDType(a: Tensor, b: TensorLike): DType {
  return b instanceof Tensor ? promoteTensorTypes(a.dtype, a.ndim === 0, b.dtype, b.ndim === 0) : promoteWithScalar(a.dtype, b);
}

// PyTorch's combine_categories: the higher-priority group's dtype wins unless the lower one is of
// a higher category (bool < integer < float), in which case the two are promoted.
function combineCategories(higher: DType | undefined, lower: DType | undefined): DType | undefined {
  if (higher === undefined) return lower;
  if (lower === undefined || isFloatingPoint(higher)) return higher;
  return higher === "bool" || isFloatingPoint(lower) ? promoteTypes(higher, lower) : higher;
}

/**
 * `torch.result_type` of several operands: tensors with dims decide first, then 0-d tensors, then
 * numbers (an integer number counts as int32, any other as float32), each group only raising the
 * category (bool < integer < float) of the ones before it.
 */
export function resultTypeOf(operands: readonly TensorLike[]): DType {
  let dims: DType | undefined;
  let zeroDim: DType | undefined;
  let scalars: DType | undefined;
  const join = (acc: DType | undefined, d: DType): DType => (acc === undefined ? d : promoteTypes(acc, d));
  for (const o of operands) {
    if (o instanceof Tensor) {
      if (o.ndim === 0) zeroDim = join(zeroDim, o.dtype);
      else dims = join(dims, o.dtype);
    } else {
      scalars = join(scalars, Number.isInteger(o) ? "int32" : "float32");
    }
  }
  return combineCategories(dims, combineCategories(zeroDim, scalars)) ?? "float32";
}

/**
 * The operands of a broadcasting binary op: `b` checked (a Tensor or a number), the promoted
 * dtype (PyTorch's result_type), and `b` as a tensor (a number becomes a 0-d tensor of it).
 */
export function binaryOperands(op: string, a: Tensor, b: TensorLike): [Tensor, Tensor, DType] {
  if (!(a instanceof Tensor)) throw new TypeError(`${op}: expected a Tensor, got ${a === null ? "null" : typeof a}`);
  checkOperand(op, b, "other");
  const dtype = resultDType(a, b);
  return [a, operand(b, dtype), dtype];
}

/** `b` as a tensor: numbers become 0-d tensors of `dtype`. */
export function operand(b: TensorLike, dtype: DType): Tensor {
  return b instanceof Tensor ? b : scalarTensor(b, dtype);
}

/** Runs a compiled unary expression over `x` into a new contiguous tensor of `dtype`. */
export function mapUnary(x: Tensor, expr: string, dtype: DType = x.dtype, p = 0, q = 0): Tensor {
  const n = x.numel();
  if (n >= PARALLEL_MAP_MIN && x.dtype === dtype && x.isContiguous()) {
    const split = mapOnThreads(UNARY, expr, dtype, [x], n, p, q);
    if (split !== null) return new Tensor(split, x.shape, dtype);
  }
  const out = allocateUninitialized(dtype, n);
  unaryKernel(expr)(out, x.data, x.offset, x.strides, x.shape, p, q);
  return new Tensor(out, x.shape, dtype);
}

/** Runs a compiled binary expression over the broadcast of `a` and `b` into a new tensor of `dtype`. */
export function mapBinary(op: string, a: Tensor, b: Tensor, expr: string, dtype: DType, p = 0, q = 0): Tensor {
  const same = sameShape(a.shape, b.shape);
  const shape = same ? a.shape : broadcastShapes(op, a.shape, b.shape);
  const n = numelOf(shape);
  if (same && n >= PARALLEL_MAP_MIN && a.dtype === dtype && b.dtype === dtype && a.isContiguous() && b.isContiguous()) {
    const split = mapOnThreads(BINARY, expr, dtype, [a, b], n, p, q);
    if (split !== null) return new Tensor(split, shape, dtype);
  }
  const out = allocateUninitialized(dtype, n, op);
  binaryKernel(expr)(
    out,
    a.data, a.offset, broadcastStrides(a.shape, a.strides, shape),
    b.data, b.offset, broadcastStrides(b.shape, b.strides, shape),
    shape, p, q,
  );
  return new Tensor(out, shape, dtype);
}

/** Runs a compiled ternary expression (`c ? x : y` style) over three broadcast inputs. */
export function mapTernary(op: string, c: Tensor, a: Tensor, b: Tensor, expr: string, dtype: DType): Tensor {
  const shape = broadcastShapes(op, broadcastShapes(op, c.shape, a.shape), b.shape);
  const out = allocateUninitialized(dtype, numelOf(shape), op);
  ternaryKernel(expr)(
    out,
    c.data, c.offset, broadcastStrides(c.shape, c.strides, shape),
    a.data, a.offset, broadcastStrides(a.shape, a.strides, shape),
    b.data, b.offset, broadcastStrides(b.shape, b.strides, shape),
    shape,
  );
  return new Tensor(out, shape, dtype);
}

/**
 * Runs a fused backward expression over the output gradient `g`, the input `x` and the output `y`
 * (same shape) in one pass, into a new tensor of g's dtype. For first-order backward only: the
 * result has no graph, and nothing but the caller holds it (ownedGradient).
 */
export function mapGradient(g: Tensor, x: Tensor, y: Tensor, expr: string, p = 0, q = 0): Tensor {
  const out = allocate(g.dtype, g.numel());
  gradientKernel(expr)(
    out,
    g.data, g.offset, broadcastStrides(g.shape, g.strides, g.shape),
    x.data, x.offset, broadcastStrides(x.shape, x.strides, g.shape),
    y.data, y.offset, broadcastStrides(y.shape, y.strides, g.shape),
    g.shape, p, q,
  );
  return ownedGradient(new Tensor(out, g.shape, g.dtype));
}

/**
 * Sums a broadcast gradient back to `shape`: over the leading dims `shape` lacks and over dims
 * where `shape` has size 1. The one helper every broadcasting op's backward uses.
 *
 * @example
 * ```ts
 * sumToShape(ones([4, 3]), [1, 3]).toArray(); // [[4, 4, 4]]
 * ```
 * @group Autograd
 */
export function sumToShape(g: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const dims: number[] = [];
  for (let d = 0; d < g.ndim; d++) {
    if (d < lead || (shape[d - lead] === 1 && g.shape[d] !== 1)) dims.push(d);
  }
  const summed = dims.length ? g.sum(dims, true) : g;
  return summed.reshape(shape);
}

/** The gradient for input `x` of a broadcasting op: summed back to x's shape and cast to x's dtype. */
export function gradFor(g: Tensor, x: Tensor): Tensor | null {
  if (!x.requiresGrad) return null;
  const r = sumToShape(g, x.shape);
  return r.dtype === x.dtype ? r : r.to(x.dtype);
}

/**
 * Records `out` for an op PyTorch does not differentiate (nextafter, heaviside, floorDivide): the
 * result is in the graph, as in PyTorch, and a backward through it throws naming the op.
 */
export function notDifferentiable(op: string, out: Tensor, inputs: readonly Tensor[]): Tensor {
  return record(out, `${op[0].toUpperCase()}${op.slice(1)}Backward0`, inputs, () => {
    throw new Error(`${op}: the derivative for '${op}' is not implemented (as in PyTorch)`);
  }, []);
}

/** Throws a TypeError naming the op unless `x` has a floating-point dtype. */
export function checkFloat(op: string, x: Tensor): void {
  if (x.dtype !== "float32" && x.dtype !== "float64") {
    throw new TypeError(`${op}: expected a floating-point tensor, got dtype ${x.dtype}`);
  }
}

/** The dtype of a math function's result: float inputs keep theirs, int and bool give float32. */
export function floatResult(x: Tensor): DType {
  return x.dtype === "float64" ? "float64" : "float32";
}
