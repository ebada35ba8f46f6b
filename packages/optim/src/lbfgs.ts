/**
 * L-BFGS: a quasi-Newton method that keeps the last few steps and gradient changes to
 * approximate the inverse Hessian, with an optional strong-Wolfe line search. Its step re-runs
 * the model through a closure, like `torch.optim.LBFGS`.
 */
import { Tensor, describeValue, enableGrad, isPlainObject, noGrad, optionChecks, zeros } from "@tsgrad/core";
import { Optimizer, checkOptions, floatData, type FloatArray, type OptimizerOptions, type Params, type ParamGroupInput } from "./optimizer.js";

/**
 * Options of {@link LBFGS} (PyTorch's names, camelCased).
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `lr` | `1` | `lr` |
 * | `maxIter` | `20` | `max_iter` |
 * | `maxEval` | `⌊maxIter · 5/4⌋` | `max_eval` |
 * | `toleranceGrad` | `1e-7` | `tolerance_grad` |
 * | `toleranceChange` | `1e-9` | `tolerance_change` |
 * | `historySize` | `100` | `history_size` |
 * | `lineSearchFn` | `null` | `line_search_fn` |
 * | `maximize` | `false` | — (newer than 1.13: `maximize`) |
 *
 * @example
 * ```ts
 * const options: Partial<LBFGSOptions> = { historySize: 10, maxIter: 4, lineSearchFn: "strong_wolfe" };
 * new LBFGS(new nn.Linear(2, 1).parameters(), options).defaults.maxEval; // 5
 * ```
 */
export interface LBFGSOptions extends OptimizerOptions {
  /** Learning rate: the step length tried first (after the first iteration). Default 1. */
  lr: number;
  /** Iterations per `step()`. Default 20. */
  maxIter: number;
  /** Closure evaluations per `step()`; null: maxIter · 5/4, rounded down. Default null. */
  maxEval: number | null;
  /** Stop when the gradient's largest |element| is at most this. Default 1e-7. */
  toleranceGrad: number;
  /** Stop when the step, or the change of the loss, is smaller than this. Default 1e-9. */
  toleranceChange: number;
  /** How many (step, gradient change) pairs to keep. Default 100. */
  historySize: number;
  /** null (a fixed step of lr) or "strong_wolfe" (a line search satisfying the strong Wolfe conditions). Default null. */
  lineSearchFn: "strong_wolfe" | null;
  /** Maximize the closure's value instead of minimizing it (not in PyTorch 1.13: its LBFGS minimizes −loss here). Default false. */
  maximize: boolean;
}

/**
 * The state of {@link LBFGS}, kept on its first parameter as in PyTorch. The vectors are flat,
 * over all parameters in order: direction d, step t, the history of gradient changes y
 * (`oldDirs`) and steps s (`oldStps`) with ρ = 1/(y·s) (`ro`), the Hessian scale `HDiag`, the
 * previous flat gradient and loss, the two-loop coefficients `al`, and evaluation counters.
 */
export type LBFGSState = {
  funcEvals: number; nIter: number; d: Tensor | null; t: number; oldDirs: Tensor[]; oldStps: Tensor[]; ro: number[];
  HDiag: number; prevFlatGrad: Tensor | null; prevLoss: number; al: number[];
};

function dot(a: FloatArray, b: FloatArray): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function maxAbs(a: FloatArray): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]);
    if (v > m || Number.isNaN(v)) m = v;
  }
  return m;
}

/** x += alpha · y, in place. */
function axpy(x: FloatArray, alpha: number, y: FloatArray): void {
  for (let i = 0; i < x.length; i++) x[i] += alpha * y[i];
}

/** The minimizer of the cubic through (x1, f1, g1) and (x2, f2, g2), clamped to the bounds (PyTorch's `_cubic_interpolate`). */
function cubicInterpolate(x1: number, f1: number, g1: number, x2: number, f2: number, g2: number, bounds?: [number, number]): number {
  const [lo, hi] = bounds ?? (x1 <= x2 ? [x1, x2] : [x2, x1]);
  const d1 = g1 + g2 - (3 * (f1 - f2)) / (x1 - x2);
  const d2Square = d1 * d1 - g1 * g2;
  if (d2Square >= 0) {
    const d2 = Math.sqrt(d2Square);
    const minPos = x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2)) : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    return Math.min(Math.max(minPos, lo), hi);
  }
  return (lo + hi) / 2;
}

/** Evaluates loss and flat gradient at x + t·d (and puts x back). */
type Objective = (t: number) => [number, FloatArray];

/**
 * PyTorch's `_strong_wolfe`: a bracketing line search along d from step t, then zoom by cubic
 * interpolation, until the strong Wolfe conditions hold (c1 = 1e-4, c2 = 0.9, at most 25 evaluations).
 */
function strongWolfe(obj: Objective, t: number, d: FloatArray, f: number, g: FloatArray, gtd: number, toleranceChange: number): [number, FloatArray, number, number] {
  const c1 = 1e-4, c2 = 0.9, maxLs = 25;
  const dNorm = maxAbs(d);
  let [fNew, gNew] = obj(t);
  let evals = 1;
  let gtdNew = dot(gNew, d);
  let tPrev = 0, fPrev = f, gPrev = g, gtdPrev = gtd;
  let done = false;
  let lsIter = 0;
  let bracket: number[] = [], bracketF: number[] = [], bracketG: FloatArray[] = [], bracketGtd: number[] = [];
  while (lsIter < maxLs) {
    if (fNew > f + c1 * t * gtd || (lsIter > 1 && fNew >= fPrev)) {
      [bracket, bracketF, bracketG, bracketGtd] = [[tPrev, t], [fPrev, fNew], [gPrev, gNew.slice()], [gtdPrev, gtdNew]];
      break;
    }
    if (Math.abs(gtdNew) <= -c2 * gtd) {
      [bracket, bracketF, bracketG] = [[t], [fNew], [gNew]];
      done = true;
      break;
    }
    if (gtdNew >= 0) {
      [bracket, bracketF, bracketG, bracketGtd] = [[tPrev, t], [fPrev, fNew], [gPrev, gNew.slice()], [gtdPrev, gtdNew]];
      break;
    }
    const minStep = t + 0.01 * (t - tPrev);
    const maxStep = t * 10;
    const tmp = t;
    t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, [minStep, maxStep]);
    tPrev = tmp;
    fPrev = fNew;
    gPrev = gNew.slice();
    gtdPrev = gtdNew;
    [fNew, gNew] = obj(t);
    evals += 1;
    gtdNew = dot(gNew, d);
    lsIter += 1;
  }
  if (lsIter === maxLs) [bracket, bracketF, bracketG] = [[0, t], [f, fNew], [g, gNew]];

  let insufProgress = false;
  let [lowPos, highPos] = bracketF[0] <= bracketF[bracketF.length - 1] ? [0, 1] : [1, 0];
  while (!done && lsIter < maxLs) {
    if (Math.abs(bracket[1] - bracket[0]) * dNorm < toleranceChange) break;
    t = cubicInterpolate(bracket[0], bracketF[0], bracketGtd[0], bracket[1], bracketF[1], bracketGtd[1]);
    const hi = Math.max(...bracket), lo = Math.min(...bracket);
    const eps = 0.1 * (hi - lo);
    if (Math.min(hi - t, t - lo) < eps) {
      if (insufProgress || t >= hi || t <= lo) {
        t = Math.abs(t - hi) < Math.abs(t - lo) ? hi - eps : lo + eps;
        insufProgress = false;
      } else {
        insufProgress = true;
      }
    } else {
      insufProgress = false;
    }
    [fNew, gNew] = obj(t);
    evals += 1;
    gtdNew = dot(gNew, d);
    lsIter += 1;
    if (fNew > f + c1 * t * gtd || fNew >= bracketF[lowPos]) {
      bracket[highPos] = t;
      bracketF[highPos] = fNew;
      bracketG[highPos] = gNew.slice();
      bracketGtd[highPos] = gtdNew;
      [lowPos, highPos] = bracketF[0] <= bracketF[1] ? [0, 1] : [1, 0];
    } else {
      if (Math.abs(gtdNew) <= -c2 * gtd) {
        done = true;
      } else if (gtdNew * (bracket[highPos] - bracket[lowPos]) >= 0) {
        bracket[highPos] = bracket[lowPos];
        bracketF[highPos] = bracketF[lowPos];
        bracketG[highPos] = bracketG[lowPos];
        bracketGtd[highPos] = bracketGtd[lowPos];
      }
      bracket[lowPos] = t;
      bracketF[lowPos] = fNew;
      bracketG[lowPos] = gNew.slice();
      bracketGtd[lowPos] = gtdNew;
    }
  }
  return [bracketF[lowPos], bracketG[lowPos], bracket[lowPos], evals];
}

const LBFGS_DEFAULTS: LBFGSOptions = {
  lr: 1, maxIter: 20, maxEval: null, toleranceGrad: 1e-7, toleranceChange: 1e-9, historySize: 100, lineSearchFn: null, maximize: false,
};

/**
 * L-BFGS, like `torch.optim.LBFGS` (after minFunc): each `step(closure)` runs up to `maxIter`
 * iterations, each computing the direction `d = −H·g` by the two-loop recursion over the last
 * `historySize` pairs (s = t·d, y = Δg, kept when y·s > 1e-10; H₀ = (y·s)/(y·y)), then moving
 * `θ = θ + t·d` with t = lr (the first iteration ever: `min(1, 1/‖g‖₁)·lr`) or, with
 * `lineSearchFn: "strong_wolfe"`, the step a strong-Wolfe line search finds. It stops early when
 * `max|g| ≤ toleranceGrad`, when the step or the loss change is below `toleranceChange`, or after
 * `maxEval` closure calls. The closure must zero the gradients, compute the loss, call
 * `backward()` and return the loss (a number or a one-element tensor); `step` returns the
 * loss of its first evaluation.
 *
 * One parameter group only, as in PyTorch; the parameters should share one dtype (the flat
 * vectors have the first one's). State lives on the first parameter, with PyTorch's fields.
 *
 * Options: `lr = 1`, `maxIter = 20`, `maxEval = maxIter · 5/4`, `toleranceGrad = 1e-7`,
 * `toleranceChange = 1e-9`, `historySize = 100`, `lineSearchFn = null`, `maximize = false`.
 *
 * @example
 * ```ts
 * const w = tensor([1.5, -0.5], { dtype: "float64", requiresGrad: true });
 * const opt = new LBFGS([w], { lineSearchFn: "strong_wolfe" });
 * const rosenbrock = () => {
 *   opt.zeroGrad();
 *   const [x, y] = [w.index(0), w.index(1)];
 *   const loss = x.neg().add(1).square().add(y.sub(x.square()).square().mul(100));
 *   loss.backward();
 *   return loss;
 * };
 * for (let i = 0; i < 5; i++) opt.step(rosenbrock);
 * w.toArray(); // ≈ [1, 1]
 * ```
 */
export class LBFGS extends Optimizer<LBFGSOptions, LBFGSState> {
  static override readonly typeName: string = "LBFGS";
  constructor(params: Params<LBFGSOptions>, options: Partial<LBFGSOptions> = {}) {
    // PyTorch's default maxEval follows maxIter; a bad maxIter is rejected by validate.
    const maxIter = isPlainObject(options) && typeof options.maxIter === "number" ? options.maxIter : LBFGS_DEFAULTS.maxIter;
    super(params, { ...LBFGS_DEFAULTS, maxEval: Math.floor((maxIter * 5) / 4) }, options);
  }

  /** The only parameter group (LBFGS has one): adding a second one throws, as PyTorch's step would. */
  override addParamGroup(group: ParamGroupInput<LBFGSOptions>): void {
    if (this.paramGroups.length > 0) throw new RangeError(`${this.name}: doesn't support per-parameter options (parameter groups)`);
    super.addParamGroup(group);
  }

  protected validate(o: LBFGSOptions): void {
    checkOptions(this.name, o, ["lr", "toleranceGrad", "toleranceChange"], ["maximize"]);
    optionChecks.intAtLeast(1)(this.name, "maxIter", o.maxIter);
    optionChecks.intAtLeast(1)(this.name, "historySize", o.historySize);
    optionChecks.nullable(optionChecks.intAtLeast(1))(this.name, "maxEval", o.maxEval);
    optionChecks.nullable(optionChecks.oneOf(["strong_wolfe"]))(this.name, "lineSearchFn", o.lineSearchFn);
  }

  protected initState(): LBFGSState {
    return { funcEvals: 0, nIter: 0, d: null, t: 0, oldDirs: [], oldStps: [], ro: [], HDiag: 1, prevFlatGrad: null, prevLoss: 0, al: [] };
  }

  protected override stateBufferShape(): number[] {
    return [this.numel()];
  }

  protected updateParam(): void {
    throw new Error("LBFGS updates all its parameters at once, in step(closure)");
  }

  private numel(): number {
    return this.paramGroups[0].params.reduce((n, p) => n + p.numel(), 0);
  }

  /** A new flat buffer of the parameters' dtype (the first one's). */
  private flat(): Tensor {
    return zeros([this.numel()], { dtype: this.paramGroups[0].params[0].dtype });
  }

  /** The parameters' gradients as one flat vector (zeros where a gradient is null), negated with maximize. */
  private gatherFlatGrad(): FloatArray {
    const out = floatData(this.flat());
    const sign = this.paramGroups[0].maximize ? -1 : 1;
    let offset = 0;
    for (const p of this.paramGroups[0].params) {
      const g = p.grad;
      if (g !== null) {
        const data = g.dtype === p.dtype && g.isContiguous() ? floatData(g) : (g.detach().to(p.dtype).dataSync() as FloatArray);
        for (let i = 0; i < data.length; i++) out[offset + i] = sign * data[i];
      }
      offset += p.numel();
    }
    return out;
  }

  /** θ += stepSize · update, over the flat layout. */
  private addGrad(stepSize: number, update: FloatArray): void {
    let offset = 0;
    for (const p of this.paramGroups[0].params) {
      const data = floatData(p);
      for (let i = 0; i < data.length; i++) data[i] += stepSize * update[offset + i];
      offset += data.length;
      p.markModified();
    }
  }

  /**
   * Runs up to `maxIter` L-BFGS iterations, calling `closure` to re-evaluate the loss and its
   * gradients (with grad enabled), and returns the loss of the first evaluation.
   *
   * @example
   * ```ts
   * const w = tensor([3], { dtype: "float64", requiresGrad: true });
   * const opt = new LBFGS([w]);
   * const loss = opt.step(() => {
   *   opt.zeroGrad();
   *   const l = w.sub(1).square().sum();
   *   l.backward();
   *   return l;
   * });
   * loss!.item(); // 4
   * w.item(); // ≈ 1
   * ```
   */
  override step<L>(closure?: () => L): L | undefined {
    if (typeof closure !== "function") {
      throw new TypeError(`${this.name}.step: needs a closure that re-evaluates the model and returns the loss, got ${describeValue(closure)}`);
    }
    this.stepCount += 1;
    const group = this.paramGroups[0];
    const { lr, maxIter, toleranceGrad, toleranceChange, lineSearchFn, historySize } = group;
    const maxEval = group.maxEval ?? Math.floor((maxIter * 5) / 4);
    const params = group.params;
    const sign = group.maximize ? -1 : 1;
    const evaluate = (): { value: L; loss: number } => {
      const value = enableGrad(closure);
      if (typeof value === "number") return { value, loss: sign * value };
      if (value instanceof Tensor) return { value, loss: sign * value.item() };
      throw new TypeError(`${this.name}.step: the closure must return the loss (a number or a one-element Tensor), got ${describeValue(value)}`);
    };
    let state = this.state.get(params[0]);
    if (state === undefined) {
      state = this.initState();
      this.state.set(params[0], state);
    }
    const s = state;

    const first = evaluate();
    let loss = first.loss;
    let currentEvals = 1;
    s.funcEvals += 1;
    let flatGrad = this.gatherFlatGrad();
    if (maxAbs(flatGrad) <= toleranceGrad) return first.value;

    let d = s.d === null ? null : floatData(s.d);
    let t = s.t;
    let prevFlatGrad = s.prevFlatGrad === null ? null : floatData(s.prevFlatGrad);
    let prevLoss = s.prevLoss;
    let nIter = 0;
    noGrad(() => {
      while (nIter < maxIter) {
        nIter += 1;
        s.nIter += 1;
        if (s.nIter === 1) {
          d = flatGrad.map((v) => -v);
          s.oldDirs = [];
          s.oldStps = [];
          s.ro = [];
          s.HDiag = 1;
        } else {
          const y = flatGrad.map((v, i) => v - prevFlatGrad![i]);
          const step = d!.map((v) => v * t);
          const ys = dot(y, step);
          if (ys > 1e-10) {
            if (s.oldDirs.length === historySize) {
              s.oldDirs.shift();
              s.oldStps.shift();
              s.ro.shift();
            }
            s.oldDirs.push(this.wrap(y));
            s.oldStps.push(this.wrap(step));
            s.ro.push(1 / ys);
            s.HDiag = ys / dot(y, y);
          }
          const numOld = s.oldDirs.length;
          if (s.al.length === 0) s.al = new Array<number>(historySize).fill(0);
          const q = flatGrad.map((v) => -v);
          for (let i = numOld - 1; i >= 0; i--) {
            s.al[i] = dot(floatData(s.oldStps[i]), q) * s.ro[i];
            axpy(q, -s.al[i], floatData(s.oldDirs[i]));
          }
          const r = q.map((v) => v * s.HDiag);
          for (let i = 0; i < numOld; i++) {
            const be = dot(floatData(s.oldDirs[i]), r) * s.ro[i];
            axpy(r, s.al[i] - be, floatData(s.oldStps[i]));
          }
          d = r;
        }
        if (prevFlatGrad === null) prevFlatGrad = flatGrad.slice();
        else prevFlatGrad.set(flatGrad);
        prevLoss = loss;
        if (s.nIter === 1) {
          let sum = 0;
          for (let i = 0; i < flatGrad.length; i++) sum += Math.abs(flatGrad[i]);
          t = Math.min(1, 1 / sum) * lr;
        } else {
          t = lr;
        }
        const gtd = dot(flatGrad, d!);
        if (gtd > -toleranceChange) break;
        let lsEvals = 0;
        let optCond = false;
        if (lineSearchFn !== null) {
          const x0 = params.map((p) => floatData(p).slice());
          const obj: Objective = (step) => {
            this.addGrad(step, d!);
            const l = evaluate().loss;
            const g = this.gatherFlatGrad();
            params.forEach((p, i) => {
              floatData(p).set(x0[i]);
              p.markModified();
            });
            return [l, g];
          };
          [loss, flatGrad, t, lsEvals] = strongWolfe(obj, t, d!, loss, flatGrad, gtd, toleranceChange);
          this.addGrad(t, d!);
          optCond = maxAbs(flatGrad) <= toleranceGrad;
        } else {
          this.addGrad(t, d!);
          if (nIter !== maxIter) {
            loss = evaluate().loss;
            flatGrad = this.gatherFlatGrad();
            optCond = maxAbs(flatGrad) <= toleranceGrad;
            lsEvals = 1;
          }
        }
        currentEvals += lsEvals;
        s.funcEvals += lsEvals;
        if (nIter === maxIter || currentEvals >= maxEval || optCond) break;
        let stepMax = 0;
        for (let i = 0; i < d!.length; i++) stepMax = Math.max(stepMax, Math.abs(d![i] * t));
        if (stepMax <= toleranceChange) break;
        if (Math.abs(loss - prevLoss) < toleranceChange) break;
      }
    });
    s.d = d === null ? null : this.wrap(d);
    s.t = t;
    s.prevFlatGrad = prevFlatGrad === null ? null : this.wrap(prevFlatGrad);
    s.prevLoss = prevLoss;
    return first.value;
  }

  /** A flat vector as a tensor of the parameters' dtype (for the state). */
  private wrap(v: FloatArray): Tensor {
    const out = this.flat();
    out.data.set(v);
    return out;
  }
}
