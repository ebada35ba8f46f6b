/**
 * The fused kernels behind `LSTM`, `GRU` and their cells: whole-sequence layers, and the pointwise
 * part of one step.
 *
 * Whole-sequence layers ({@link lstmLayer}, {@link gruLayer}): one layer in one direction over all
 * its steps is ONE graph node, as in cuDNN: the input projection of every step is one product, each
 * step runs `h·W_hhᵀ` and its gate math over typed arrays, and the backward runs through time in
 * reverse, then gets the input and weight gradients from one product each over all steps. `LSTM`
 * (without `projSize`) and `GRU` run their layers this way (rnn.ts); each has its step-by-step
 * composition (`…Composed`) as its reference and its `createGraph` backward.
 *
 * The pointwise part of one step, behind the cells and `LSTM` with `projSize`: the
 * matrix products stay `linear` calls; what follows them — the gates' activations and how they
 * combine with the state — is one pass over typed arrays here, in place of the composition's graph
 * nodes:
 *
 * - LSTM, from the gate pre-activations `gates = x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh` `(N, 4H)` (i, f, g,
 *   o blocks) and the cell state `c` `(N, H)`:
 *   `i = σ(gᵢ), f = σ(g_f), g = tanh(g_g), o = σ(g_o), c' = f·c + i·g, h' = o·tanh(c')`, as one
 *   `(2, N, H)` result `[h', c']` (13 nodes composed).
 * - GRU, from `gi = x·W_ihᵀ + b_ih` and `gh = h·W_hhᵀ + b_hh` `(N, 3H)` (r, z, n blocks) and `h`:
 *   `r = σ(gi_r + gh_r), z = σ(gi_z + gh_z), n = tanh(gi_n + r·gh_n), h' = (1 − z)·n + z·h`
 *   (14 nodes composed).
 *
 * The plain RNN's `tanh(gi + gh)` stays two core ops: fused, the op alone was 1.07× (tanh) and 1.4×
 * (relu) faster, but a 2-layer RNN over 50 steps was 0.87–0.94× as fast (docs/benchmarks.md).
 *
 * Each op's forward loop, its fused backward loop and its backward written with Tensor ops sit
 * together. A plain `backward()` runs the fused loop; under `createGraph` the Tensor-op backward runs
 * instead (the same formula, differentiable again), as the fused normalizations do (norm-kernels.ts).
 * Each op also has its composition of core ops (`…Composed`), the reference the tests and
 * bench/lstm.bench.ts compare it with.
 */
import { Tensor, cat, grad, isGradEnabled, linear, record, stack } from "@tsgrad/core";
import { alloc, flat, type FloatArray } from "./util.js";

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

/**
 * tanh to float32 precision (within 2 ulp of `Math.fround(Math.tanh(x))`, relative error near 0
 * included; ±1 beyond |x| ≈ 8; NaN stays NaN): Eigen's rational approximation
 * (`generic_fast_tanh_float`), ~4× faster than `Math.tanh` in V8, which was two fifths of the LSTM
 * layer's forward. Float32 layers only; float64 keeps `Math.tanh`. Internal to the package.
 */
export function tanhF32(v: number): number {
  const x = v > 7.99881172180175781 ? 7.99881172180175781 : v < -7.99881172180175781 ? -7.99881172180175781 : v;
  const x2 = x * x;
  const p = x * (4.89352455891786e-3 + x2 * (6.37261928875436e-4 + x2 * (1.48572235717979e-5 + x2 * (5.12229709037114e-8 + x2 * (-8.60467152213735e-11 + x2 * (2.00018790482477e-13 + x2 * -2.76076847742355e-16))))));
  const q = 4.89352518554385e-3 + x2 * (2.268434632439e-3 + x2 * (1.18534705686654e-4 + x2 * 1.19825839466702e-6));
  return p / q;
}
const dSigmoid = (s: Tensor): Tensor => s.mul(s.neg().add(1));
const dTanh = (t: Tensor): Tensor => t.square().neg().add(1);

type FloatDType = "float32" | "float64";

/**
 * Records `y`'s backward: the fused loop `fused` on a plain backward, the Tensor-op rule `composed`
 * under `createGraph`; each returns one gradient per input (null where an input needs none).
 * The rules read the inputs' storage, so backward refuses to run if one was modified in place.
 */
function recordFused(y: Tensor, name: string, inputs: Tensor[], fused: (g: Tensor) => Array<Tensor | null>, composed: (g: Tensor) => Array<Tensor | null>): Tensor {
  return record(y, name, inputs, (gOut) => {
    const grads = isGradEnabled() ? composed(gOut) : fused(gOut);
    return grads.map((d, i) => (inputs[i].requiresGrad ? d : null));
  }, inputs);
}

/** True when the op's result will get a backward (so its forward keeps what the backward reads). */
const needsGrad = (...inputs: Tensor[]): boolean => isGradEnabled() && inputs.some((t) => t.requiresGrad);

// ------------------------------------------------------------------ LSTM

/**
 * `[h', c']` of one LSTM step as a `(2, N, H)` tensor, from the gate pre-activations `gates`
 * `(N, 4H)` and the cell state `c` `(N, H)` (see the file comment). Internal to the package.
 */
export function lstmPointwise(gates: Tensor, c: Tensor): Tensor {
  const [n, h4] = gates.shape;
  const hs = h4 / 4;
  const dtype = gates.dtype as FloatDType;
  const { data: g, offset: go } = flat(gates);
  const { data: cd, offset: co } = flat(c);
  const size = n * hs;
  const out = alloc(dtype, 2 * size);
  // The activations i, f, g, o and tanh(c') per element, kept for the backward pass when there is one.
  const acts = needsGrad(gates, c) ? alloc(dtype, 5 * size) : null;
  for (let r = 0; r < n; r++) {
    const row = go + r * h4;
    for (let j = 0; j < hs; j++) {
      const k = r * hs + j;
      const i = sigmoid(g[row + j]);
      const f = sigmoid(g[row + hs + j]);
      const gg = Math.tanh(g[row + 2 * hs + j]);
      const o = sigmoid(g[row + 3 * hs + j]);
      const cNew = f * cd[co + k] + i * gg;
      const tc = Math.tanh(cNew);
      out[k] = o * tc;
      out[size + k] = cNew;
      if (acts) {
        acts[k] = i;
        acts[size + k] = f;
        acts[2 * size + k] = gg;
        acts[3 * size + k] = o;
        acts[4 * size + k] = tc;
      }
    }
  }
  const y = new Tensor(out, [2, n, hs], dtype);
  if (!acts) return y;
  return recordFused(y, "LstmCellBackward0", [gates, c], (gOut) => lstmFusedBackward(gOut, acts, cd, co, n, hs), (gOut) => lstmComposedBackward(gOut, gates, c));
}

/**
 * With d = dc' + dh'·o·(1 − tanh²c'): dgᵢ = d·g·i(1 − i), dg_f = d·c·f(1 − f), dg_g = d·i·(1 − g²),
 * dg_o = dh'·tanh(c')·o(1 − o), dc = d·f.
 */
function lstmFusedBackward(gOut: Tensor, acts: FloatArray, cd: FloatArray, co: number, n: number, hs: number): Tensor[] {
  const dtype = gOut.dtype as FloatDType;
  const { data: gd, offset: go } = flat(gOut);
  const size = n * hs;
  const dGates = alloc(dtype, 4 * size);
  const dc = alloc(dtype, size);
  for (let r = 0; r < n; r++) {
    const row = r * 4 * hs;
    for (let j = 0; j < hs; j++) {
      const k = r * hs + j;
      const i = acts[k];
      const f = acts[size + k];
      const gg = acts[2 * size + k];
      const o = acts[3 * size + k];
      const tc = acts[4 * size + k];
      const dh = gd[go + k];
      const d = gd[go + size + k] + dh * o * (1 - tc * tc);
      dGates[row + j] = d * gg * i * (1 - i);
      dGates[row + hs + j] = d * cd[co + k] * f * (1 - f);
      dGates[row + 2 * hs + j] = d * i * (1 - gg * gg);
      dGates[row + 3 * hs + j] = dh * tc * o * (1 - o);
      dc[k] = d * f;
    }
  }
  return [new Tensor(dGates, [n, 4 * hs], dtype), new Tensor(dc, [n, hs], dtype)];
}

/** The gradients of {@link lstmFusedBackward}, written with Tensor ops (differentiable again). */
function lstmComposedBackward(gOut: Tensor, gates: Tensor, c: Tensor): Tensor[] {
  const [i, f, gg, o] = lstmActivations(gates);
  const tc = f.mul(c).add(i.mul(gg)).tanh();
  const dh = gOut.select(0, 0);
  const d = gOut.select(0, 1).add(dh.mul(o).mul(dTanh(tc)));
  const dGates = cat([d.mul(gg).mul(dSigmoid(i)), d.mul(c).mul(dSigmoid(f)), d.mul(i).mul(dTanh(gg)), dh.mul(tc).mul(dSigmoid(o))], 1);
  return [dGates, d.mul(f)];
}

/** The four LSTM gates i, f, g, o from the pre-activations `(N, 4H)`, with Tensor ops. */
function lstmActivations(gates: Tensor): [Tensor, Tensor, Tensor, Tensor] {
  const [i, f, g, o] = gates.chunk(4, 1);
  return [i.sigmoid(), f.sigmoid(), g.tanh(), o.sigmoid()];
}

/**
 * {@link lstmPointwise} as a composition of Tensor ops (13 graph nodes): the reference the fused
 * op is tested and benchmarked against. Internal to the package.
 */
export function lstmPointwiseComposed(gates: Tensor, c: Tensor): Tensor {
  const [i, f, g, o] = lstmActivations(gates);
  const cNew = f.mul(c).add(i.mul(g));
  return stack([o.mul(cNew.tanh()), cNew], 0);
}

// ------------------------------------------------------------------ GRU

/**
 * `h'` `(N, H)` of one GRU step from `gi = x·W_ihᵀ + b_ih` and `gh = h·W_hhᵀ + b_hh` `(N, 3H)` and
 * the hidden state `h` `(N, H)` (see the file comment). Internal to the package.
 */
export function gruPointwise(gi: Tensor, gh: Tensor, h: Tensor): Tensor {
  const [n, h3] = gi.shape;
  const hs = h3 / 3;
  const dtype = gi.dtype as FloatDType;
  const { data: a, offset: ao } = flat(gi);
  const { data: b, offset: bo } = flat(gh);
  const { data: hd, offset: ho } = flat(h);
  const size = n * hs;
  const out = alloc(dtype, size);
  // r, z and n per element, kept for the backward pass when there is one.
  const acts = needsGrad(gi, gh, h) ? alloc(dtype, 3 * size) : null;
  for (let row = 0; row < n; row++) {
    const ar = ao + row * h3;
    const br = bo + row * h3;
    for (let j = 0; j < hs; j++) {
      const k = row * hs + j;
      const r = sigmoid(a[ar + j] + b[br + j]);
      const z = sigmoid(a[ar + hs + j] + b[br + hs + j]);
      const nn = Math.tanh(a[ar + 2 * hs + j] + r * b[br + 2 * hs + j]);
      out[k] = (hd[ho + k] - nn) * z + nn;
      if (acts) {
        acts[k] = r;
        acts[size + k] = z;
        acts[2 * size + k] = nn;
      }
    }
  }
  const y = new Tensor(out, [n, hs], dtype);
  if (!acts) return y;
  return recordFused(y, "GruCellBackward0", [gi, gh, h], (gOut) => gruFusedBackward(gOut, acts, b, bo, hd, ho, n, hs), (gOut) => gruComposedBackward(gOut, gi, gh, h));
}

/**
 * With dₙ = dh'·(1 − z)·(1 − n²), d_z = dh'·(h − n)·z(1 − z), d_r = dₙ·gh_n·r(1 − r):
 * dgi = [d_r, d_z, dₙ], dgh = [d_r, d_z, dₙ·r], dh = dh'·z.
 */
function gruFusedBackward(gOut: Tensor, acts: FloatArray, b: FloatArray, bo: number, hd: FloatArray, ho: number, n: number, hs: number): Tensor[] {
  const dtype = gOut.dtype as FloatDType;
  const { data: gd, offset: go } = flat(gOut);
  const size = n * hs;
  const dgi = alloc(dtype, 3 * size);
  const dgh = alloc(dtype, 3 * size);
  const dh = alloc(dtype, size);
  for (let row = 0; row < n; row++) {
    const base = row * 3 * hs;
    for (let j = 0; j < hs; j++) {
      const k = row * hs + j;
      const r = acts[k];
      const z = acts[size + k];
      const nn = acts[2 * size + k];
      const g = gd[go + k];
      const dn = g * (1 - z) * (1 - nn * nn);
      const dz = g * (hd[ho + k] - nn) * z * (1 - z);
      const dr = dn * b[bo + base + 2 * hs + j] * r * (1 - r);
      dgi[base + j] = dr;
      dgi[base + hs + j] = dz;
      dgi[base + 2 * hs + j] = dn;
      dgh[base + j] = dr;
      dgh[base + hs + j] = dz;
      dgh[base + 2 * hs + j] = dn * r;
      dh[k] = g * z;
    }
  }
  return [new Tensor(dgi, [n, 3 * hs], dtype), new Tensor(dgh, [n, 3 * hs], dtype), new Tensor(dh, [n, hs], dtype)];
}

/** The gradients of {@link gruFusedBackward}, written with Tensor ops (differentiable again). */
function gruComposedBackward(gOut: Tensor, gi: Tensor, gh: Tensor, h: Tensor): Tensor[] {
  const [r, z, nn] = gruActivations(gi, gh);
  const hn = gh.chunk(3, 1)[2];
  const dn = gOut.mul(z.neg().add(1)).mul(dTanh(nn));
  const dz = gOut.mul(h.sub(nn)).mul(dSigmoid(z));
  const dr = dn.mul(hn).mul(dSigmoid(r));
  return [cat([dr, dz, dn], 1), cat([dr, dz, dn.mul(r)], 1), gOut.mul(z)];
}

/** The GRU gates r, z, n from `gi` and `gh`, with Tensor ops. */
function gruActivations(gi: Tensor, gh: Tensor): [Tensor, Tensor, Tensor] {
  const [xr, xz, xn] = gi.chunk(3, 1);
  const [hr, hz, hn] = gh.chunk(3, 1);
  const r = xr.add(hr).sigmoid();
  return [r, xz.add(hz).sigmoid(), xn.add(r.mul(hn)).tanh()];
}

/**
 * {@link gruPointwise} as a composition of Tensor ops (14 graph nodes): the reference the fused op
 * is tested and benchmarked against. Internal to the package.
 */
export function gruPointwiseComposed(gi: Tensor, gh: Tensor, h: Tensor): Tensor {
  const [, z, nn] = gruActivations(gi, gh);
  return h.sub(nn).mul(z).add(nn);
}

// ------------------------------------------------------------------ LSTM layer (whole sequence)

/** The weights of one recurrent layer and direction: `W_ih` `[G·H, I]`, `W_hh` `[G·H, H]`, the biases `[G·H]` or null (G = 4 for the LSTM, 3 for the GRU). */
export interface LayerWeights {
  wIh: Tensor;
  wHh: Tensor;
  bIh: Tensor | null;
  bHh: Tensor | null;
}

/**
 * One LSTM layer in one direction over a whole sequence, as ONE graph node (cuDNN's scheme): from
 * `x` `(T, N, I)` and the initial state `h0`, `c0` `(N, H)`, the `(T + 1, N, H)` tensor whose rows
 * `0 … T−1` are the hidden states hₜ in time order and whose row T is the final cell state (the
 * final hidden state is row T−1, or row 0 when `reverse`). Internal to the package.
 *
 * Forward: the input projection `x·W_ihᵀ + b_ih` of all T steps is one product `[T·N, I]·[I, 4H]`;
 * each step adds `h·W_hhᵀ + b_hh` (the only product per step) and runs the pointwise part of
 * {@link lstmPointwise}, keeping the activations and the previous states for the backward in
 * buffers. In float64 the values are those of the step-by-step composition
 * ({@link lstmLayerComposed}) to the bit; in float32 they agree to float32 precision (tanh is
 * {@link tanhF32}, the products are the same but may take another gemm kernel).
 *
 * Backward: a loop over the steps in reverse with one product `dGₜ·W_hh` per step for the recurrent
 * gradient (dG: the gate pre-activations' gradients, `(T·N, 4H)`); then `dx = dG·W_ih` and
 * `[dW_ihᵀ; dW_hhᵀ] = [xᵀ; h₋₁ᵀ]·dG`, one product each over all T·N rows, and both bias gradients
 * as dG's column sums; only the gradients some input needs. Under `createGraph` it differentiates
 * the composition instead, so higher-order gradients work.
 */
export function lstmLayer(x: Tensor, h0: Tensor, c0: Tensor, w: LayerWeights, reverse: boolean): Tensor {
  const L = layerSetup([x, h0, c0], x, w, reverse);
  const { steps, n, hs, dtype, size, rows, wHh, gates, bIh, bHh, xhT, inSize } = L;
  const h4 = 4 * hs;
  const out = alloc(dtype, (steps + 1) * size);
  // Saved for backward, per step in time order: i, f, g, o and tanh(c') (5, N, H) and the cell state the step started from.
  const acts = xhT ? alloc(dtype, steps * 5 * size) : null;
  const cPrev = xhT ? alloc(dtype, steps * size) : null;
  const f32 = dtype === "float32";
  const { data: c0d, offset: c0o } = flat(c0);
  let c: FloatArray = c0d;
  let co = c0o;
  let h = h0.detach().contiguous();
  for (let s = 0; s < steps; s++) {
    const t = reverse ? steps - 1 - s : s;
    const ho = t * size;
    const gh = linear(h, wHh).data as FloatArray;
    if (xhT) transpose(h.data as FloatArray, h.offset, n, hs, xhT, inSize * rows + t * n, rows);
    if (cPrev) cPrev.set(c.subarray(co, co + size), ho);
    const cNext = s === steps - 1 ? out : alloc(dtype, size);
    const cNo = s === steps - 1 ? steps * size : 0;
    for (let r = 0; r < n; r++) {
      const row = (t * n + r) * h4;
      // (x·W_ihᵀ + b_ih) + (h·W_hhᵀ + b_hh), each sum rounded to the dtype as `linear` and `add` round it.
      for (let j = 0; j < h4; j++) {
        gates[row + j] += bIh[j];
        gh[r * h4 + j] += bHh[j];
        gates[row + j] += gh[r * h4 + j];
      }
      for (let j = 0; j < hs; j++) {
        const k = r * hs + j;
        const i = sigmoid(gates[row + j]);
        const f = sigmoid(gates[row + hs + j]);
        const gg = f32 ? tanhF32(gates[row + 2 * hs + j]) : Math.tanh(gates[row + 2 * hs + j]);
        const o = sigmoid(gates[row + 3 * hs + j]);
        const cNew = f * c[co + k] + i * gg;
        const tc = f32 ? tanhF32(cNew) : Math.tanh(cNew);
        cNext[cNo + k] = cNew;
        out[ho + k] = o * tc;
        if (acts) {
          const a = t * 5 * size + k;
          acts[a] = i;
          acts[a + size] = f;
          acts[a + 2 * size] = gg;
          acts[a + 3 * size] = o;
          acts[a + 4 * size] = tc;
        }
      }
    }
    c = cNext;
    co = cNo;
    h = new Tensor(out, [n, hs], dtype, undefined, ho);
  }
  const y = new Tensor(out, [steps + 1, n, hs], dtype);
  if (!xhT) return y;
  const saved: LayerSaved = { ...L.saved(), acts: acts!, cPrev: cPrev! };
  return recordLayer(y, "LstmLayerBackward0", L.inputs, (gOut) => lstmLayerBackward(gOut, saved), () => lstmLayerComposed(x, h0, c0, w, reverse));
}

/** What a whole-sequence layer's fused backward reads: the sizes, the weights, the saved buffers, which gradients are wanted. */
interface LayerSaved {
  /** T, N, I, H. */
  shape: [number, number, number, number];
  wIh: Tensor;
  wHh: Tensor;
  /** The gates' activations, per step in time order. */
  acts: FloatArray;
  /** The LSTM's cell state each step started from, (N, H) per step in time order; null for the GRU. */
  cPrev: FloatArray | null;
  /** [xᵀ; h₋₁ᵀ] (I + H, T·N): the inputs and the states the steps started from, the first operand of the weight gradients. */
  xhT: FloatArray;
  reverse: boolean;
  /** Which of the op's inputs (x, the initial states, W_ih, W_hh, then the biases present) require grad. */
  needs: boolean[];
  /** Whether b_ih and b_hh exist. */
  hasBias: [boolean, boolean];
}

/**
 * What both whole-sequence layers start from, for `x` `(T, N, I)`, the initial `states` and the
 * weights: the sizes; the op's inputs (`x`, the states, the weights present); `x·W_ihᵀ` of all
 * steps, (T·N, G·H) in time order, whose rows each step then turns into its gate pre-activations in
 * place; the biases as plain arrays (added in the gate loops, not by `linear`, whose generic loop
 * profiled as costly as the products); and, when the op will have a backward, [xᵀ; h₋₁ᵀ] with xᵀ
 * filled in (each step writes its h₋₁ᵀ).
 */
function layerSetup(states: Tensor[], x: Tensor, w: LayerWeights, reverse: boolean) {
  const [steps, n, inSize] = x.shape;
  const hs = w.wHh.shape[1];
  const g = w.wHh.shape[0];
  const dtype = x.dtype as FloatDType;
  const rows = steps * n;
  const inputs = [...states, w.wIh, w.wHh, ...(w.bIh ? [w.bIh] : []), ...(w.bHh ? [w.bHh] : [])];
  const xc = x.detach().contiguous();
  const xhT = needsGrad(...inputs) ? transpose(xc.data as FloatArray, xc.offset, rows, inSize, alloc(dtype, (inSize + hs) * rows)) : null;
  const wIh = w.wIh.detach();
  const wHh = w.wHh.detach();
  const saved = (): Omit<LayerSaved, "acts" | "cPrev"> => ({
    shape: [steps, n, inSize, hs], wIh, wHh, xhT: xhT!, reverse,
    needs: inputs.map((t) => t.requiresGrad), hasBias: [w.bIh !== null, w.bHh !== null],
  });
  return {
    steps, n, inSize, hs, dtype, rows, size: n * hs, inputs, wHh, xhT, saved,
    gates: linear(xc.reshape([rows, inSize]), wIh).data as FloatArray,
    bIh: biasData(w.bIh, g, dtype),
    bHh: biasData(w.bHh, g, dtype),
  };
}

/**
 * The gradients both layers get alike from the gate pre-activations' gradients over all steps,
 * `dGx` (those of x·W_ihᵀ) and `dGh` (of h·W_hhᵀ), each (T·N, G·H) in time order (the LSTM's are
 * one array): `dx = dGx·W_ih`, `dW_ihᵀ = xᵀ·dGx` and `dW_hhᵀ = h₋₁ᵀ·dGh` (one product for both when
 * dGx is dGh), and the biases' as column sums of dGx and dGh (for the biases present); only those
 * wanted.
 */
function sequenceGrads(sv: LayerSaved, dGx: FloatArray, dGh: FloatArray, [needX, needWih, needWhh]: boolean[], needBias: boolean[]) {
  const [steps, n, inSize, hs] = sv.shape;
  const dtype = sv.wIh.dtype as FloatDType;
  const rows = steps * n;
  const g = sv.wIh.shape[0];
  // (rows `from` … `from + cols` of xhT)·dG, then transposed: (G·H, cols).
  const product = (from: number, cols: number, dG: FloatArray): FloatArray =>
    new Tensor(sv.xhT, [cols, rows], dtype, undefined, from * rows).matmul(new Tensor(dG, [rows, g], dtype)).data as FloatArray;
  const untransposed = (m: FloatArray, from: number, cols: number): Tensor => new Tensor(transpose(m, from * g, cols, g, alloc(dtype, g * cols)), [g, cols], dtype);
  let dWih: Tensor | null = null;
  let dWhh: Tensor | null = null;
  if (dGx === dGh && needWih && needWhh) {
    const both = product(0, inSize + hs, dGx);
    dWih = untransposed(both, 0, inSize);
    dWhh = untransposed(both, inSize, hs);
  } else {
    if (needWih) dWih = untransposed(product(0, inSize, dGx), 0, inSize);
    if (needWhh) dWhh = untransposed(product(inSize, hs, dGh), 0, hs);
  }
  const biasGates = [...(sv.hasBias[0] ? [dGx] : []), ...(sv.hasBias[1] ? [dGh] : [])];
  let shared: Tensor | null = null; // the LSTM's two bias gradients are the same sums: summed once (3% of its step)
  const dBiases = needBias.map((need, b) => {
    if (!need) return null;
    if (dGx !== dGh) return columnSums(biasGates[b], rows, g, dtype);
    shared = shared ? shared.clone() : columnSums(dGx, rows, g, dtype);
    return shared;
  });
  return { dx: needX ? new Tensor(dGx, [rows, g], dtype).matmul(sv.wIh).reshape([steps, n, inSize]) : null, dWih, dWhh, dBiases };
}

/**
 * The fused backward of {@link lstmLayer}: the gradients of x, h0, c0, W_ih, W_hh and the biases
 * present. Per step, with dh = dhₜ + (dGₜ₊₁·W_hh) and d = dc + dh·o·(1 − tanh²c'), the formulas of
 * {@link lstmPointwise}'s backward give dGₜ (rows of dG, time order) and dc = d·f.
 */
function lstmLayerBackward(gOut: Tensor, sv: LayerSaved): Array<Tensor | null> {
  const [steps, n, inSize, hs] = sv.shape;
  const dtype = gOut.dtype as FloatDType;
  const { data: gd, offset: go } = flat(gOut);
  const { acts } = sv;
  const cPrev = sv.cPrev!;
  const size = n * hs;
  const h4 = 4 * hs;
  const rows = steps * n;
  const dG = alloc(dtype, rows * h4);
  const dc = alloc(dtype, size);
  dc.set(gd.subarray(go + steps * size, go + (steps + 1) * size));
  let dhRec: FloatArray | null = null; // dGₜ₊₁·W_hh (N, H), from the step after this one
  for (let s = steps - 1; s >= 0; s--) {
    const t = sv.reverse ? steps - 1 - s : s;
    const ho = t * size;
    const a0 = t * 5 * size;
    for (let r = 0; r < n; r++) {
      const row = (t * n + r) * h4;
      for (let j = 0; j < hs; j++) {
        const k = r * hs + j;
        const i = acts[a0 + k];
        const f = acts[a0 + size + k];
        const gg = acts[a0 + 2 * size + k];
        const o = acts[a0 + 3 * size + k];
        const tc = acts[a0 + 4 * size + k];
        const dh = dhRec ? gd[go + ho + k] + dhRec[k] : gd[go + ho + k];
        const d = dc[k] + dh * o * (1 - tc * tc);
        dG[row + j] = d * gg * i * (1 - i);
        dG[row + hs + j] = d * cPrev[ho + k] * f * (1 - f);
        dG[row + 2 * hs + j] = d * i * (1 - gg * gg);
        dG[row + 3 * hs + j] = dh * tc * o * (1 - o);
        dc[k] = d * f;
      }
    }
    dhRec = new Tensor(dG, [n, h4], dtype, undefined, t * n * h4).matmul(sv.wHh).data as FloatArray;
  }
  const [needX, needH0, needC0, needWih, needWhh, ...needBias] = sv.needs;
  const { dx, dWih, dWhh, dBiases } = sequenceGrads(sv, dG, dG, [needX, needWih, needWhh], needBias);
  return [dx, needH0 ? new Tensor(dhRec!, [n, hs], dtype) : null, needC0 ? new Tensor(dc, [n, hs], dtype) : null, dWih, dWhh, ...dBiases];
}

/**
 * Writes the transpose of the `rows × cols` row-major matrix at `src[srcOff]` into `dst` from
 * `dstOff`, its rows `ld` apart (default `rows`: a plain `cols × rows` matrix), in blocks of 32 for
 * the caches; returns `dst`.
 */
function transpose(src: FloatArray, srcOff: number, rows: number, cols: number, dst: FloatArray, dstOff = 0, ld = rows): FloatArray {
  const B = 32;
  for (let i0 = 0; i0 < rows; i0 += B) {
    const i1 = Math.min(i0 + B, rows);
    for (let j0 = 0; j0 < cols; j0 += B) {
      const j1 = Math.min(j0 + B, cols);
      for (let i = i0; i < i1; i++) {
        const from = srcOff + i * cols;
        for (let j = j0; j < j1; j++) dst[dstOff + j * ld + i] = src[from + j];
      }
    }
  }
  return dst;
}

/** The column sums `(cols)` of the `rows × cols` row-major `m`, summed in float64 and rounded once. */
function columnSums(m: FloatArray, rows: number, cols: number, dtype: FloatDType): Tensor {
  const sums = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) sums[j] += m[r * cols + j];
  const out = alloc(dtype, cols);
  out.set(sums);
  return new Tensor(out, [cols], dtype);
}

/**
 * Records a whole-sequence layer op `y` over `inputs`: its `fused` backward on a plain backward;
 * under `createGraph`, the gradients of `recompute()` (the same function of the same inputs,
 * composed step by step of differentiable ops), so they are differentiable again.
 */
function recordLayer(y: Tensor, name: string, inputs: Tensor[], fused: (g: Tensor) => Array<Tensor | null>, recompute: () => Tensor): Tensor {
  const composed = (gOut: Tensor): Array<Tensor | null> => {
    const wanted = inputs.filter((t) => t.requiresGrad);
    const grads = grad([recompute()], wanted, { gradOutputs: [gOut], createGraph: true, allowUnused: true });
    return inputs.map((t) => (t.requiresGrad ? grads[wanted.indexOf(t)] : null));
  };
  return recordFused(y, name, inputs, fused, composed);
}

/** A bias's `len` values as a compact array of `dtype`, zeros when there is none. */
function biasData(b: Tensor | null, len: number, dtype: FloatDType): FloatArray {
  const out = alloc(dtype, len);
  if (b) {
    const { data, offset } = flat(b);
    out.set(data.subarray(offset, offset + len));
  }
  return out;
}

/**
 * {@link lstmLayer} composed step by step of `linear` and {@link lstmPointwise} (a graph of ~10
 * nodes per step): the reference the fused layer is tested against, and what its backward
 * differentiates under `createGraph`. Internal to the package.
 */
export function lstmLayerComposed(x: Tensor, h0: Tensor, c0: Tensor, w: LayerWeights, reverse: boolean): Tensor {
  const steps = x.shape[0];
  const hsOut = new Array<Tensor>(steps);
  let h = h0;
  let c = c0;
  for (let s = 0; s < steps; s++) {
    const t = reverse ? steps - 1 - s : s;
    const hc = lstmPointwise(linear(x.select(0, t), w.wIh, w.bIh).add(linear(h, w.wHh, w.bHh)), c);
    h = hc.select(0, 0);
    c = hc.select(0, 1);
    hsOut[t] = h;
  }
  return cat([stack(hsOut, 0), c.unsqueeze(0)], 0);
}

// ------------------------------------------------------------------ GRU layer (whole sequence)

/**
 * One GRU layer in one direction over a whole sequence, as ONE graph node, the scheme of
 * {@link lstmLayer}: from `x` `(T, N, I)` and `h0` `(N, H)` (weights `[3H, ·]` in r, z, n order),
 * the hidden states `(T, N, H)` in time order (the final one is row T−1, or row 0 when `reverse`).
 * Internal to the package.
 *
 * Forward: `x·W_ihᵀ` of all steps is one product; each step runs `h·W_hhᵀ` and the pointwise part
 * of {@link gruPointwise}, saving r, z, n, `(h·W_hhᵀ + b_hh)_n` and the previous state. Backward: in
 * reverse, per step dgi = [d_r, d_z, dₙ], dgh = [d_r, d_z, dₙ·r] and dh₋₁ = dh·z + dghₜ·W_hh (one
 * product per step); then dx = dGi·W_ih, dW_ihᵀ = xᵀ·dGi, dW_hhᵀ = h₋₁ᵀ·dGh (one product each over
 * all T·N rows) and the bias gradients as column sums. Float64 equals the step-by-step composition
 * ({@link gruLayerComposed}) to the bit, float32 to its precision; under `createGraph` the backward
 * differentiates the composition.
 */
export function gruLayer(x: Tensor, h0: Tensor, w: LayerWeights, reverse: boolean): Tensor {
  const L = layerSetup([x, h0], x, w, reverse);
  const { steps, n, hs, dtype, size, rows, wHh, gates: gi, bIh, bHh, xhT, inSize } = L;
  const h3 = 3 * hs;
  const out = alloc(dtype, rows * hs);
  // Saved for backward, per step in time order: r, z, n and (h·W_hhᵀ + b_hh)_n (4, N, H).
  const acts = xhT ? alloc(dtype, steps * 4 * size) : null;
  const f32 = dtype === "float32";
  let h = h0.detach().contiguous();
  for (let s = 0; s < steps; s++) {
    const t = reverse ? steps - 1 - s : s;
    const ho = t * size;
    const gh = linear(h, wHh).data as FloatArray;
    if (xhT) transpose(h.data as FloatArray, h.offset, n, hs, xhT, inSize * rows + t * n, rows);
    const hd = h.data as FloatArray;
    for (let r = 0; r < n; r++) {
      const row = (t * n + r) * h3;
      const hr = r * h3;
      // The biases, rounded to the dtype as `linear` rounds them.
      for (let j = 0; j < h3; j++) {
        gi[row + j] += bIh[j];
        gh[hr + j] += bHh[j];
      }
      for (let j = 0; j < hs; j++) {
        const k = r * hs + j;
        const rg = sigmoid(gi[row + j] + gh[hr + j]);
        const z = sigmoid(gi[row + hs + j] + gh[hr + hs + j]);
        const ghn = gh[hr + 2 * hs + j];
        const nn = f32 ? tanhF32(gi[row + 2 * hs + j] + rg * ghn) : Math.tanh(gi[row + 2 * hs + j] + rg * ghn);
        out[ho + k] = (hd[h.offset + k] - nn) * z + nn;
        if (acts) {
          const a = t * 4 * size + k;
          acts[a] = rg;
          acts[a + size] = z;
          acts[a + 2 * size] = nn;
          acts[a + 3 * size] = ghn;
        }
      }
    }
    h = new Tensor(out, [n, hs], dtype, undefined, ho);
  }
  const y = new Tensor(out, [steps, n, hs], dtype);
  if (!xhT) return y;
  const saved: LayerSaved = { ...L.saved(), acts: acts!, cPrev: null };
  return recordLayer(y, "GruLayerBackward0", L.inputs, (gOut) => gruLayerBackward(gOut, saved), () => gruLayerComposed(x, h0, w, reverse));
}

/** The fused backward of {@link gruLayer}: the gradients of x, h0, W_ih, W_hh and the biases present (see there). */
function gruLayerBackward(gOut: Tensor, sv: LayerSaved): Array<Tensor | null> {
  const [steps, n, inSize, hs] = sv.shape;
  const dtype = gOut.dtype as FloatDType;
  const { data: gd, offset: go } = flat(gOut);
  const { acts, xhT } = sv;
  const size = n * hs;
  const h3 = 3 * hs;
  const rows = steps * n;
  const dGi = alloc(dtype, rows * h3);
  const dGh = alloc(dtype, rows * h3);
  const hPrevOff = inSize * rows; // h₋₁ᵀ's rows in xhT: h₋₁ at (t, r, j) is xhT[hPrevOff + j·T·N + t·N + r]
  let dhPrev: FloatArray | null = null; // the gradient of the state this step produced, from the step after it
  for (let s = steps - 1; s >= 0; s--) {
    const t = sv.reverse ? steps - 1 - s : s;
    const ho = t * size;
    const a0 = t * 4 * size;
    const dhz = alloc(dtype, size); // dh·z, the direct part of the previous state's gradient
    for (let r = 0; r < n; r++) {
      const row = (t * n + r) * h3;
      for (let j = 0; j < hs; j++) {
        const k = r * hs + j;
        const rg = acts[a0 + k];
        const z = acts[a0 + size + k];
        const nn = acts[a0 + 2 * size + k];
        const ghn = acts[a0 + 3 * size + k];
        const g = dhPrev ? gd[go + ho + k] + dhPrev[k] : gd[go + ho + k];
        const hp = xhT[hPrevOff + j * rows + t * n + r];
        const dn = g * (1 - z) * (1 - nn * nn);
        const dz = g * (hp - nn) * z * (1 - z);
        const dr = dn * ghn * rg * (1 - rg);
        dGi[row + j] = dr;
        dGi[row + hs + j] = dz;
        dGi[row + 2 * hs + j] = dn;
        dGh[row + j] = dr;
        dGh[row + hs + j] = dz;
        dGh[row + 2 * hs + j] = dn * rg;
        dhz[k] = g * z;
      }
    }
    const rec = new Tensor(dGh, [n, h3], dtype, undefined, t * n * h3).matmul(sv.wHh).data as FloatArray;
    for (let k = 0; k < size; k++) rec[k] += dhz[k];
    dhPrev = rec;
  }
  const [needX, needH0, needWih, needWhh, ...needBias] = sv.needs;
  const { dx, dWih, dWhh, dBiases } = sequenceGrads(sv, dGi, dGh, [needX, needWih, needWhh], needBias);
  return [dx, needH0 ? new Tensor(dhPrev!, [n, hs], dtype) : null, dWih, dWhh, ...dBiases];
}

/**
 * {@link gruLayer} composed step by step of `linear` and {@link gruPointwise}: the reference it is
 * tested against, and what its backward differentiates under `createGraph`. Internal to the package.
 */
export function gruLayerComposed(x: Tensor, h0: Tensor, w: LayerWeights, reverse: boolean): Tensor {
  const steps = x.shape[0];
  const hsOut = new Array<Tensor>(steps);
  let h = h0;
  for (let s = 0; s < steps; s++) {
    const t = reverse ? steps - 1 - s : s;
    h = gruPointwise(linear(x.select(0, t), w.wIh, w.bIh), linear(h, w.wHh, w.bHh), h);
    hsOut[t] = h;
  }
  return stack(hsOut, 0);
}
