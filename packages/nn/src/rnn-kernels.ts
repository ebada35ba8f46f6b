/**
 * The fused pointwise part of an LSTM step, behind `LSTM` and `LSTMCell`: from the gate
 * pre-activations `gates = x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh` `(N, 4H)` (i, f, g, o blocks) and the
 * cell state `c` `(N, H)`, one pass gives
 *
 *     i = σ(gᵢ), f = σ(g_f), g = tanh(g_g), o = σ(g_o),  c' = f·c + i·g,  h' = o·tanh(c')
 *
 * as one `(2, N, H)` result (`[h', c']`), in place of the 13 graph nodes of the composition (four
 * slices, four activations, three products, a sum, a tanh). A plain `backward()` runs one fused
 * pass too; under `createGraph` the backward is written with Tensor ops (the same formula,
 * differentiable again), as the fused normalizations do (norm-kernels.ts).
 */
import { Tensor, cat, isGradEnabled, record, stack } from "@tsgrad/core";
import { alloc, flat, type FloatArray } from "./util.js";

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

/**
 * `[h', c']` of one LSTM step as a `(2, N, H)` tensor, from the gate pre-activations `gates`
 * `(N, 4H)` and the cell state `c` `(N, H)` (see the file comment). Internal to the package.
 */
export function lstmPointwise(gates: Tensor, c: Tensor): Tensor {
  const [n, h4] = gates.shape;
  const hs = h4 / 4;
  const dtype = gates.dtype as "float32" | "float64";
  const { data: g, offset: go } = flat(gates);
  const { data: cd, offset: co } = flat(c);
  const size = n * hs;
  const out = alloc(dtype, 2 * size);
  // The activations i, f, g, o and tanh(c') per element, kept for the backward pass when there is one.
  const needsGrad = isGradEnabled() && (gates.requiresGrad || c.requiresGrad);
  const acts = needsGrad ? alloc(dtype, 5 * size) : null;
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
  return record(y, "LstmCellBackward0", [gates, c], (gOut) => {
    const [dGates, dc] = isGradEnabled() ? composedBackward(gOut, gates, c) : fusedBackward(gOut, acts, cd, co, n, hs);
    return [gates.requiresGrad ? dGates : null, c.requiresGrad ? dc : null];
  }, [gates, c]);
}

/**
 * With d = dc' + dh'·o·(1 − tanh²c'): dgᵢ = d·g·i(1 − i), dg_f = d·c·f(1 − f), dg_g = d·i·(1 − g²),
 * dg_o = dh'·tanh(c')·o(1 − o), dc = d·f.
 */
function fusedBackward(gOut: Tensor, acts: FloatArray, cd: FloatArray, co: number, n: number, hs: number): [Tensor, Tensor] {
  const dtype = gOut.dtype as "float32" | "float64";
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

/** The gradients of {@link fusedBackward}, written with Tensor ops (differentiable again). */
function composedBackward(gOut: Tensor, gates: Tensor, c: Tensor): [Tensor, Tensor] {
  const [i, f, gg, o] = lstmActivations(gates);
  const tc = f.mul(c).add(i.mul(gg)).tanh();
  const dh = gOut.select(0, 0);
  const d = gOut.select(0, 1).add(dh.mul(o).mul(tc.square().neg().add(1)));
  const dSigmoid = (s: Tensor): Tensor => s.mul(s.neg().add(1));
  const dGates = cat([d.mul(gg).mul(dSigmoid(i)), d.mul(c).mul(dSigmoid(f)), d.mul(i).mul(gg.square().neg().add(1)), dh.mul(tc).mul(dSigmoid(o))], 1);
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
