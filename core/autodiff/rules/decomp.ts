/**
 * VJP rules of the factorizations, transposed from JAX's JVP rules
 * (`jax/_src/lax/linalg.py`), real case, batched over leading axes:
 * - cholesky `L`: `Ā = L⁻ᵀ Φ(Lᵀ L̄) L⁻¹`, Φ = lower triangle with the
 *   diagonal halved (not symmetrised, as JAX; `cholesky()` symmetrises its
 *   input by default, which symmetrises the gradient);
 * - triangularSolve: `b̄ = op(a)⁻ᵀ x̄` (same side), `Ā = −b̄ xᵀ` (left) or
 *   `−xᵀ b̄` (right), transposed back when `op` transposes, restricted to the
 *   triangle that is read (strictly, with a unit diagonal);
 * - eigh: `Ā = V (diag(w̄) + F ∘ Vᵀ V̄) Vᵀ`, `F_ij = 1 / (w_j − w_i)`, 0 on the diagonal;
 * - svd (thin): `Ā = U (diag(s̄) + (J + Jᵀ) S + S (K + Kᵀ)) Vᵀ` with
 *   `J = F ∘ UᵀŪ`, `K = F ∘ VᵀV̄`, `F_ij = 1 / (s_j² − s_i²)`, plus
 *   `(I − UUᵀ) Ū S⁻¹ Vᵀ` when m > n and `U S⁻¹ V̄ᵀ (I − VVᵀ)` when n > m;
 * - qr (reduced): m ≥ n: `M = R̄ Rᵀ − Qᵀ Q̄`, `B̄ = M − tril(M − Mᵀ, −1)`,
 *   `Ā = (Q̄ + Q B̄) R⁻ᵀ`; m < n: split `a = [X | Y]`, `R = [U | V]`:
 *   `Ȳ = Q V̄` and `X̄` from the square rule with `Q̄ + Y V̄ᵀ` (as TensorFlow).
 *
 * @module
 */

import type { Tensor } from "../../tensor.ts";
import { triangularSolve } from "../../ops/decomp.ts";
import { matmul } from "../../ops/matmul.ts";
import { pConcat, pReshape, pSlice } from "../../ops/prim.ts";
import { add, constMatrix, div, k, mT, mul, neg, registerVjp, sub, zeros } from "./util.ts";

/** Multiply by a constant `[n, n]` mask (broadcast over the batch). */
function masked(t: Tensor, f: (i: number, j: number) => number): Tensor {
  const n = t.shape[t.rank - 1];
  return mul(t, constMatrix(t, n, f));
}

const tril = (t: Tensor, kk = 0) => masked(t, (i, j) => (j - i <= kk ? 1 : 0));
const triu = (t: Tensor, kk = 0) => masked(t, (i, j) => (j - i >= kk ? 1 : 0));

/** `v[..., n]` → `v[..., n, 1]` (column) or `[..., 1, n]` (row). */
const col = (v: Tensor) => pReshape(v, [...v.shape, 1]);
const row = (v: Tensor) => pReshape(v, [...v.shape.slice(0, -1), 1, v.shape[v.rank - 1]]);

/** `diag(v)` for `v[..., n]`: `[..., n, n]`. */
function diagOf(v: Tensor): Tensor {
  const n = v.shape[v.rank - 1];
  return mul(col(v), constMatrix(v, n, (i, j) => (i === j ? 1 : 0)));
}

/** `F_ij = 1 / (v_j − v_i)` off the diagonal, 0 on it (JAX's `1/(eye + d) − eye`). */
function offDiagInverse(diff: Tensor): Tensor {
  const n = diff.shape[diff.rank - 1];
  const eye = constMatrix(diff, n, (i, j) => (i === j ? 1 : 0));
  return sub(div(k(diff, 1), add(diff, eye)), eye);
}

registerVjp("cholesky", (node, [lBar]) => {
  const l = node.outputs[0];
  // Φ(Lᵀ L̄): lower triangle, diagonal halved
  const phi = masked(
    matmul(l, lBar!, { transposeA: true }),
    (i, j) => (j < i ? 1 : j === i ? 0.5 : 0),
  );
  const z = triangularSolve(l, phi, { lower: true, leftSide: true, transposeA: true });
  return [triangularSolve(l, z, { lower: true, leftSide: false })];
});

registerVjp("triangularSolve", (node, [g]) => {
  const [a, _b] = node.inputs;
  const x = node.outputs[0];
  const o = node.attrs as {
    lower: boolean;
    leftSide: boolean;
    transposeA: boolean;
    unitDiagonal: boolean;
  };
  const gb = triangularSolve(a, g!, { ...o, transposeA: !o.transposeA });
  const gOp = o.leftSide
    ? neg(matmul(gb, x, { transposeB: true }))
    : neg(matmul(x, gb, { transposeA: true }));
  const ga = o.transposeA ? mT(gOp) : gOp;
  const diag = o.unitDiagonal ? 1 : 0;
  return [o.lower ? tril(ga, -diag) : triu(ga, diag), gb];
});

registerVjp("eigh", (node, [wBar, vBar]) => {
  const [w, v] = node.outputs;
  let inner: Tensor | null = wBar ? diagOf(wBar) : null;
  if (vBar) {
    const f = offDiagInverse(sub(row(w), col(w)));
    const term = mul(f, matmul(v, vBar, { transposeA: true }));
    inner = inner ? add(inner, term) : term;
  }
  return [matmul(matmul(v, inner!), v, { transposeB: true })];
});

registerVjp("svd", (node, [uBar, sBar, vhBar]) => {
  const a = node.inputs[0];
  const [u, s, vh] = node.outputs;
  const m = a.shape[a.rank - 2], n = a.shape[a.rank - 1], kk = Math.min(m, n);
  const sRow = row(s), sCol = col(s);
  let inner: Tensor = sBar ? diagOf(sBar) : zeros(s, [...s.shape, kk]);
  if (uBar || vhBar) {
    const f = offDiagInverse(mul(add(sRow, sCol), sub(sRow, sCol)));
    if (uBar) {
      const j = mul(f, matmul(u, uBar, { transposeA: true }));
      inner = add(inner, mul(add(j, mT(j)), sRow));
    }
    if (vhBar) {
      // K = F ∘ Vᵀ V̄ with V = vhᵀ, V̄ = vh̄ᵀ: Vᵀ V̄ = vh · vh̄ᵀ
      const kMat = mul(f, matmul(vh, vhBar, { transposeB: true }));
      inner = add(inner, mul(sCol, add(kMat, mT(kMat))));
    }
  }
  let ga = matmul(matmul(u, inner), vh);
  if (uBar && m > kk) {
    // (I − UUᵀ) Ū S⁻¹ Vᵀ
    const proj = sub(uBar, matmul(u, matmul(u, uBar, { transposeA: true })));
    ga = add(ga, matmul(div(proj, sRow), vh));
  }
  if (vhBar && n > kk) {
    // U S⁻¹ V̄ᵀ (I − VVᵀ), V̄ᵀ = vh̄
    const proj = sub(vhBar, matmul(matmul(vhBar, vh, { transposeB: true }), vh));
    ga = add(ga, matmul(div(u, sRow), proj));
  }
  return [ga];
});

/** The reduced-QR VJP for m ≥ n (`q: [m, n]`, `r: [n, n]`). */
function qrTallVjp(q: Tensor, r: Tensor, qBar: Tensor, rBar: Tensor): Tensor {
  const mMat = sub(matmul(rBar, r, { transposeB: true }), matmul(q, qBar, { transposeA: true }));
  const bBar = sub(mMat, tril(sub(mMat, mT(mMat)), -1));
  const cBar = add(qBar, matmul(q, bBar));
  return triangularSolve(r, cBar, { lower: false, leftSide: false, transposeA: true });
}

registerVjp("qr", (node, [qBar0, rBar0]) => {
  const a = node.inputs[0];
  const [q, r] = node.outputs;
  const m = a.shape[a.rank - 2], n = a.shape[a.rank - 1];
  const qBar = qBar0 ?? zeros(q, q.shape);
  const rBar = rBar0 ?? zeros(r, r.shape);
  if (m >= n) return [qrTallVjp(q, r, qBar, rBar)];
  const lead = a.shape.slice(0, -2);
  const cut = (t: Tensor, from: number, len: number) =>
    pSlice(
      t,
      [...lead.map(() => 0), 0, from],
      [...lead, t.shape[t.rank - 2], len],
      t.shape.map(() => 1),
    );
  const y = cut(a, m, n - m);
  const u = cut(r, 0, m), vBar = cut(rBar, m, n - m), uBar = cut(rBar, 0, m);
  const qBarAll = add(qBar, matmul(y, vBar, { transposeB: true }));
  const xBar = qrTallVjp(q, u, qBarAll, uBar);
  return [pConcat([xBar, matmul(q, vBar)], a.rank - 1)];
});
