/**
 * The fused pointwise part of one recurrent step, behind `RNN`, `LSTM`, `GRU` and their cells. The
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
import { Tensor, cat, isGradEnabled, record, stack } from "@tsgrad/core";
import { alloc, flat, type FloatArray } from "./util.js";

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));
const dSigmoid = (s: Tensor): Tensor => s.mul(s.neg().add(1));
const dTanh = (t: Tensor): Tensor => t.square().neg().add(1);

type FloatDType = "float32" | "float64";

/**
 * Records `y`'s backward: the fused loop `fused` on a plain backward, the Tensor-op rule `composed`
 * under `createGraph`; each returns one gradient per input (null where an input needs none).
 * The rules read the inputs' storage, so backward refuses to run if one was modified in place.
 */
function recordFused(y: Tensor, name: string, inputs: Tensor[], fused: (g: Tensor) => Tensor[], composed: (g: Tensor) => Tensor[]): Tensor {
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
