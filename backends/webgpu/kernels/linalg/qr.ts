/**
 * Batched reduced QR on the GPU: Householder reflectors with LAPACK's
 * `dlarfg` sign convention and `Q` formed backwards as `dorg2r`, exactly the
 * cpu backend's algorithm (so the signs agree). The work matrix is held
 * transposed (columns contiguous) in a scratch buffer, followed by tau.
 *
 * One workgroup per matrix applies the reflectors of a range of columns per
 * dispatch, as many as fit the loop budget (see `common.ts`); each
 * reflector's dot products with the trailing columns are split over
 * `lanes_for(columns)` lanes per column, so tall matrices stay cheap.
 * Size limit: one column costs about 2·m·n/256 loop iterations per lane,
 * so m·n up to about 4 million elements (square up to 2039, 4070x1024,
 * 63800x64); larger is a RangeError. 7 dispatches at 256x256, 220 at
 * 1024x1024.
 *
 * @module
 */

import { Params } from "../../commands.ts";
import type { KernelContext } from "../../commands.ts";
import { shader } from "../wgsl.ts";
import {
  budgetRanges,
  gridGroups,
  loopCost,
  LWG,
  SEG_REDUCE_WGSL,
  segmentedCost,
  SYNC,
  WG_REDUCE_COST,
  WG_REDUCE_WGSL,
} from "./common.ts";

/** Per matrix: work = (m·n transposed A, tau[k]). */
const PARAMS_WGSL = `let m = P[1]; let n = P[2]; let k = P[3];
  let wb = b_ * (m * n + k);
  let tb = wb + m * n;`;

/** work ← Aᵀ (columns contiguous); q ← I (grid over batch·(m·n + m·k)). */
const LOAD = () =>
  shader({
    inputs: ["f32"],
    outputs: ["f32", "f32"],
    body: `  let per = P[1] * P[2] + P[1] * P[3];
  if (gid >= P[0] * per) { return; }
  let b_ = gid / per; let e = gid % per;
  ${PARAMS_WGSL}
  if (e < m * n) {
    let i = e / n; let c = e % n;
    out0[wb + c * m + i] = in0[b_ * m * n + e];
  } else {
    let e2 = e - m * n;
    out1[b_ * m * k + e2] = select(0.0, 1.0, e2 / k == e2 % k);
  }`,
  });

/** Reflectors of columns [P[4], P[5]) (one workgroup per matrix). */
const FACTOR = () =>
  shader({
    inputs: [],
    outputs: ["f32"],
    wg: LWG,
    extra: WG_REDUCE_WGSL + SEG_REDUCE_WGSL +
      "\nvar<workgroup> tauv: f32;\nvar<workgroup> invv: f32;",
    body: `  if (wgid >= P[0]) { return; }
  let b_ = wgid;
  ${PARAMS_WGSL}
  for (var j = P[4]; j < P[5]; j++) {
    let cj = wb + j * m;
    let alpha = out0[cj + j];
    var mx = 0.0;
    var nan = false;
    for (var i = j + 1u + lid; i < m; i += ${LWG}u) {
      let v = out0[cj + i];
      if (f_isnan(v)) { nan = true; }
      mx = max(mx, abs(v));
    }
    let anyNan = wg_sum(select(0.0, 1.0, nan), lid) > 0.0;
    let scale = wg_max(select(mx, 0.0, nan), lid);
    var part = 0.0;
    if (scale > 0.0) {
      for (var i = j + 1u + lid; i < m; i += ${LWG}u) { let v = out0[cj + i] / scale; part += v * v; }
    }
    let ss = wg_sum(part, lid);
    if (lid == 0u) {
      var xnorm = scale * sqrt(ss);
      if (scale == 0.0) { xnorm = 0.0; }
      if (anyNan) { xnorm = f_nan(); }
      if (xnorm == 0.0) {
        tauv = 0.0;
        invv = 0.0;
      } else {
        let h = max(abs(alpha), abs(xnorm));
        let l = min(abs(alpha), abs(xnorm));
        var hyp = h;
        if (h > 0.0) { let r = l / h; hyp = h * sqrt(1.0 + r * r); }
        if (f_isnan(alpha) || f_isnan(xnorm)) { hyp = f_nan(); }
        let beta = -select(-1.0, 1.0, alpha >= 0.0) * hyp;
        tauv = (beta - alpha) / beta;
        invv = 1.0 / (alpha - beta);
        out0[cj + j] = beta;
      }
      out0[tb + j] = tauv;
    }
    ${SYNC}
    let t = workgroupUniformLoad(&tauv);
    let inv = workgroupUniformLoad(&invv);
    let apply = t != 0.0 || f_isnan(t);
    if (apply) {
      for (var i = j + 1u + lid; i < m; i += ${LWG}u) { out0[cj + i] = out0[cj + i] * inv; }
    }
    ${SYNC}
    if (apply) {
      // Columns c > j: w = t·(A[j][c] + v·A[j+1:, c]); A[:, c] -= w·(1, v).
      let cols = n - j - 1u;
      let seg = lanes_for(cols);
      let groups = ${LWG}u / seg;
      let g = lid / seg; let l = lid % seg;
      for (var c0 = 0u; c0 < cols; c0 += groups) {
        let c = j + 1u + c0 + g;
        let live = c < n;
        let cc = wb + c * m;
        var head = 0.0;
        var w = 0.0;
        if (live) {
          head = out0[cc + j];
          for (var i = j + 1u + l; i < m; i += seg) { w += out0[cj + i] * out0[cc + i]; }
        }
        w = (head + seg_sum(w, lid, seg)) * t;
        if (live) {
          if (l == 0u) { out0[cc + j] = head - w; }
          for (var i = j + 1u + l; i < m; i += seg) { out0[cc + i] -= w * out0[cj + i]; }
        }
      }
    }
    ${SYNC}
  }`,
  });

/** Q = H_j Q for j = k-1-P[4] down to k-P[5] (one workgroup per matrix). */
const FORM_Q = () =>
  shader({
    inputs: ["f32"],
    outputs: ["f32"],
    wg: LWG,
    extra: SEG_REDUCE_WGSL +
      "fn f_isnan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }",
    body: `  if (wgid >= P[0]) { return; }
  let b_ = wgid;
  ${PARAMS_WGSL}
  let qb = b_ * m * k;
  for (var jj = P[4]; jj < P[5]; jj++) {
    let j = k - 1u - jj;
    let t = in0[tb + j];
    let cj = wb + j * m;
    if (t != 0.0 || f_isnan(t)) {
      let cols = k - j;
      let seg = lanes_for(cols);
      let groups = ${LWG}u / seg;
      let g = lid / seg; let l = lid % seg;
      for (var c0 = 0u; c0 < cols; c0 += groups) {
        let c = j + c0 + g;
        let live = c < k;
        var head = 0.0;
        var w = 0.0;
        if (live) {
          head = out0[qb + j * k + c];
          for (var i = j + 1u + l; i < m; i += seg) { w += in0[cj + i] * out0[qb + i * k + c]; }
        }
        w = (head + seg_sum(w, lid, seg)) * t;
        if (live) {
          if (l == 0u) { out0[qb + j * k + c] = head - w; }
          for (var i = j + 1u + l; i < m; i += seg) { out0[qb + i * k + c] -= w * in0[cj + i]; }
        }
      }
    }
    ${SYNC}
  }`,
  });

/** r = upper triangle of the first k rows of the work matrix (grid over batch·k·n). */
const UNLOAD_R = () =>
  shader({
    inputs: ["f32"],
    outputs: ["f32"],
    body: `  let per = P[3] * P[2];
  if (gid >= P[0] * per) { return; }
  let b_ = gid / per; let e = gid % per;
  ${PARAMS_WGSL}
  let i = e / n; let c = e % n;
  out0[gid] = select(0.0, in0[wb + c * m + i], c >= i);`,
  });

/** Loop iterations per lane for reflector `j` (factor phase; see `loopCost`). */
function factorCost(m: number, n: number, j: number): number {
  const rows = loopCost(Math.ceil((m - j - 1) / LWG), 0);
  return 1 + 3 * rows + 3 * WG_REDUCE_COST + segmentedCost(n - j - 1, m - j - 1, 2);
}

/** Loop iterations per lane for reflector `j` (forming Q). */
function formCost(m: number, k: number, j: number): number {
  return 1 + segmentedCost(k - j, m - j - 1, 2);
}

/**
 * Record `(q, r) = qr(a)` for `batch` matrices `m × n` (float32).
 *
 * @example
 * ```ts ignore
 * import { qrKernel } from "./qr.ts";
 * qrKernel(ctx, a, 1, 256, 256, q, r); // about two dispatches per phase
 * ```
 */
export function qrKernel(
  ctx: KernelContext,
  a: GPUBuffer,
  batch: number,
  m: number,
  n: number,
  q: GPUBuffer,
  r: GPUBuffer,
): void {
  const k = Math.min(m, n);
  if (batch === 0 || (m * k === 0 && k * n === 0)) return;
  const what = `a ${m}x${n} matrix`;
  const factor = budgetRanges(k, (j) => factorCost(m, n, j), "qr", what);
  const form = budgetRanges(k, (jj) => formCost(m, k, k - 1 - jj), "qr", what);
  const work = ctx.alloc(batch * (m * n + k) * 4);
  const p = (x = 0, y = 0) => new Params().u32(batch).u32(m).u32(n).u32(k).u32(x).u32(y).words();
  ctx.dispatch(
    ctx.kernel("linalg:qr:load", 1, 2, LOAD),
    p(),
    [a, work, q],
    gridGroups(batch * (m * n + m * k)),
  );
  const fk = ctx.kernel("linalg:qr:factor", 0, 1, FACTOR);
  for (const [j0, j1] of factor) ctx.dispatch(fk, p(j0, j1), [work], batch);
  const qk = ctx.kernel("linalg:qr:formq", 1, 1, FORM_Q);
  for (const [j0, j1] of form) ctx.dispatch(qk, p(j0, j1), [work, q], batch);
  ctx.dispatch(
    ctx.kernel("linalg:qr:r", 1, 1, UNLOAD_R),
    p(),
    [work, r],
    gridGroups(batch * k * n),
  );
  ctx.free(work);
}
