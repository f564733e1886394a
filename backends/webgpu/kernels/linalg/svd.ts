/**
 * Batched thin SVD on the GPU: one-sided (Hestenes) Jacobi on the k = min(m,
 * n) columns of A (m ≥ n) or of Aᵀ (m < n) after scaling to max |a| = 1, as
 * the cpu backend does, but with the round-robin ordering so each round
 * rotates ⌊k/2⌋ disjoint pairs in parallel, `lanes_for(pairs)` lanes per
 * pair sharing its dot products; one workgroup per matrix.
 *
 * The work runs as a sequence of dispatches that each fit the loop budget
 * (see `common.ts`), with the vectors, the rotations and a small state
 * (failed / converged / rotated-this-sweep / scale / filled rows / next
 * candidate) in a scratch buffer: a scan for max |a| and non-finite
 * entries, the scaled load, the Jacobi rounds (a sweep without a rotation
 * marks the matrix converged and later dispatches return at once; at most
 * {@link MAX_SWEEPS} sweeps), the norms, a stable descending ranking, the
 * outputs, and the completion of the vectors of zero singular values
 * against unit vectors by Gram–Schmidt twice. A matrix with a NaN or
 * infinite entry comes back all NaN. Singular vectors are unique only up to
 * a common sign per pair (u_i, v_i).
 *
 * Size limit: one Jacobi round costs about 3·max(m, n)·min(m, n)/512 loop
 * iterations per lane and must fit one dispatch, so m·n up to about 2
 * million elements (square up to 1358, 2020x1024, 31700x64); larger is a
 * RangeError. Dispatches: 148 at 256x256 (most of them return at once
 * after convergence), about 10000 at 1024x1024.
 *
 * @module
 */

import { Params } from "../../commands.ts";
import type { KernelContext } from "../../commands.ts";
import { shader } from "../wgsl.ts";
import {
  gridGroups,
  lanesFor,
  loopCost,
  LWG,
  SEG_REDUCE_WGSL,
  segmentedCost,
  stepsPerDispatch,
  SYNC,
  WG_REDUCE_COST,
  WG_REDUCE_WGSL,
} from "./common.ts";
import { MAX_SWEEPS, ROUND_ROBIN_WGSL } from "./eigh.ts";

/**
 * Per matrix: work = w (k rows of length q), vr (k rows of length k), sig
 * (k), order (k), gs dots (k), state (8: failed, done, rotated, amax,
 * next row to complete, next candidate, -, -).
 */
const LAYOUT_WGSL = `let m = P[1]; let n = P[2]; let k = min(m, n); let q = max(m, n);
  let ww = b_ * (k * q + k * k + 3u * k + 8u);
  let wv = ww + k * q;
  let wsig = wv + k * k;
  let word = wsig + k;
  let wdot = word + k;
  let ws = wdot + k;`;

/** State word offsets. */
const FAILED = 0, DONE = 1, ROTATED = 2, AMAX = 3, ROW = 4, CAND = 5;

/** max |a| and non-finite check (one workgroup per matrix). */
const SCAN = () =>
  shader({
    inputs: ["f32"],
    outputs: ["f32"],
    wg: LWG,
    extra: WG_REDUCE_WGSL,
    body: `  if (wgid >= P[0]) { return; }
  let b_ = wgid;
  ${LAYOUT_WGSL}
  let ab = b_ * m * n;
  var bad = 0.0;
  var mx = 0.0;
  for (var e = lid; e < m * n; e += ${LWG}u) {
    let x = in0[ab + e];
    if (f_bad(x)) { bad = 1.0; }
    mx = max(mx, abs(x));
  }
  let failed = select(0.0, 1.0, wg_sum(bad, lid) > 0.0);
  let amax = wg_max(mx, lid);
  if (lid == 0u) {
    out0[ws + ${FAILED}u] = failed;
    out0[ws + ${DONE}u] = failed;
    out0[ws + ${ROTATED}u] = 0.0;
    out0[ws + ${AMAX}u] = amax;
  }`,
  });

/** w = scaled columns of A (tall) or rows (wide); vr = I (grid over batch·(m·n + k·k)). */
function loadSource(tall: boolean): string {
  return shader({
    inputs: ["f32"],
    outputs: ["f32"],
    body: `  let per = P[1] * P[2] + min(P[1], P[2]) * min(P[1], P[2]);
  if (gid >= P[0] * per) { return; }
  let b_ = gid / per; let e = gid % per;
  ${LAYOUT_WGSL}
  if (e < m * n) {
    let amax = out0[ws + ${AMAX}u];
    let inv = select(1.0, 1.0 / amax, amax > 0.0);
    let i = e / n; let c = e % n;
    let x = in0[b_ * m * n + e] * inv;
    ${tall ? "out0[ww + c * q + i] = x;" : "out0[ww + i * q + c] = x;"}
  } else {
    let e2 = e - m * n;
    out0[wv + e2] = select(0.0, 1.0, e2 / k == e2 % k);
  }`,
  });
}

/** Rounds P[3] .. P[3]+P[4]-1 of the global round sequence (one workgroup per matrix). */
const ROUNDS = () =>
  shader({
    inputs: [],
    outputs: ["f32"],
    wg: LWG,
    extra: ROUND_ROBIN_WGSL + SEG_REDUCE_WGSL +
      "\nvar<workgroup> rot_: u32;\nvar<workgroup> done_: u32;",
    body: `  if (wgid >= P[0]) { return; }
  let b_ = wgid;
  ${LAYOUT_WGSL}
  if (lid == 0u) {
    done_ = select(0u, 1u, out0[ws + ${DONE}u] != 0.0);
    rot_ = select(0u, 1u, out0[ws + ${ROTATED}u] != 0.0);
  }
  if (workgroupUniformLoad(&done_) != 0u) { return; }
  let tol = max(sqrt(f32(q)), 1.0) * 1.2e-7;
  let np = k + (k & 1u);
  let pairs = np / 2u;
  let seg = lanes_for(pairs);
  let groups = ${LWG}u / seg;
  let g = lid / seg; let l = lid % seg;
  for (var rr = 0u; rr < P[4]; rr++) {
    let r = (P[3] + rr) % (np - 1u);
    for (var p0 = 0u; p0 < pairs; p0 += groups) {
      let pi = p0 + g;
      var i = 0u; var j = k;
      if (pi < pairs) {
        let pq = rr_pair(r, pi, np);
        i = min(pq.x, pq.y); j = max(pq.x, pq.y);
      }
      let live = j < k;
      let ri = ww + i * q; let rj = ww + j * q;
      var acc = vec3<f32>(0.0);
      if (live) {
        for (var t = l; t < q; t += seg) {
          let x = out0[ri + t]; let y = out0[rj + t];
          acc += vec3<f32>(x * x, y * y, x * y);
        }
      }
      let d = seg_sum3(acc, lid, seg);
      let alpha = d.x; let beta = d.y; let gamma = d.z;
      if (live && abs(gamma) > tol * sqrt(alpha * beta) && abs(gamma) > 1e-30) {
        rot_ = 1u;
        let zeta = (beta - alpha) / (2.0 * gamma);
        let az = abs(zeta);
        var tn: f32;
        if (az > 1e18) { tn = select(-1.0, 1.0, zeta >= 0.0) / (2.0 * az); } else {
          tn = select(-1.0, 1.0, zeta >= 0.0) / (az + sqrt(1.0 + zeta * zeta));
        }
        let c = 1.0 / sqrt(1.0 + tn * tn);
        let s = c * tn;
        for (var t = l; t < q; t += seg) {
          let x = out0[ri + t]; let y = out0[rj + t];
          out0[ri + t] = c * x - s * y;
          out0[rj + t] = s * x + c * y;
        }
        let vi = wv + i * k; let vj = wv + j * k;
        for (var t = l; t < k; t += seg) {
          let x = out0[vi + t]; let y = out0[vj + t];
          out0[vi + t] = c * x - s * y;
          out0[vj + t] = s * x + c * y;
        }
      }
    }
    ${SYNC}
    // End of a sweep: none rotated means converged.
    if (r == np - 2u) {
      if (workgroupUniformLoad(&rot_) == 0u) {
        if (lid == 0u) { done_ = 1u; }
        break;
      }
      workgroupBarrier();
      if (lid == 0u) { rot_ = 0u; }
      workgroupBarrier();
    }
  }
  workgroupBarrier();
  if (lid == 0u) {
    out0[ws + ${DONE}u] = f32(done_);
    out0[ws + ${ROTATED}u] = f32(rot_);
  }`,
  });

/** sig = norms of the rows of w; the first row to complete = count of sig > 0 (per matrix). */
const NORMS = () =>
  shader({
    inputs: [],
    outputs: ["f32"],
    wg: LWG,
    extra: SEG_REDUCE_WGSL + WG_REDUCE_WGSL,
    body: `  if (wgid >= P[0]) { return; }
  let b_ = wgid;
  ${LAYOUT_WGSL}
  let seg = lanes_for(k);
  let groups = ${LWG}u / seg;
  let g = lid / seg; let l = lid % seg;
  var pos = 0.0;
  for (var i0 = 0u; i0 < k; i0 += groups) {
    let i = i0 + g;
    var ss = 0.0;
    if (i < k) {
      for (var t = l; t < q; t += seg) { let x = out0[ww + i * q + t]; ss += x * x; }
    }
    let nrm = sqrt(seg_sum(ss, lid, seg));
    if (i < k && l == 0u) {
      out0[wsig + i] = nrm;
      if (nrm > 0.0) { pos += 1.0; }
    }
  }
  let filled = wg_sum(pos, lid);
  if (lid == 0u) {
    out0[ws + ${ROW}u] = filled;
    out0[ws + ${CAND}u] = 0.0;
  }`,
  });

/** order[rank of sig_i] = i, descending and stable (grid over batch·k). */
const SORT = () =>
  shader({
    inputs: [],
    outputs: ["f32"],
    body: `  let kk = min(P[1], P[2]);
  if (gid >= P[0] * kk) { return; }
  let b_ = gid / kk; let i = gid % kk;
  ${LAYOUT_WGSL}
  let si = out0[wsig + i];
  var rank = 0u;
  for (var j = 0u; j < k; j++) {
    let sj = out0[wsig + j];
    if (sj > si || (sj == si && j < i)) { rank++; }
  }
  out0[word + min(rank, k - 1u)] = f32(i);`,
  });

/**
 * Index of element t of normalised row r ("wn", completed later) in its
 * output: column r of U (tall) or row r of Vh (wide).
 */
function wnIndex(tall: boolean, r: string, t: string): string {
  return tall ? `b_ * m * k + (${t}) * k + (${r})` : `b_ * k * n + (${r}) * n + (${t})`;
}

/** s, the normalised rows of w, and the factor from vr (grid over batch·(k·q + k·k + k)). */
function unloadSource(tall: boolean): string {
  const wnOut = tall ? "out0" : "out2";
  const vrAt = tall ? "out2[b_ * k * n + r * n + t]" : "out0[b_ * m * k + t * k + r]";
  return shader({
    inputs: ["f32"],
    outputs: ["f32", "f32", "f32"],
    extra: "fn f_nan() -> f32 { return bitcast<f32>(0x7fc00000u); }",
    body: `  let kk = min(P[1], P[2]);
  let per = kk * max(P[1], P[2]) + kk * kk + kk;
  if (gid >= P[0] * per) { return; }
  let b_ = gid / per; let e = gid % per;
  ${LAYOUT_WGSL}
  let failed = in0[ws + ${FAILED}u] != 0.0;
  if (e < k * q) {
    let r = e / q; let t = e % q;
    let src = min(u32(in0[word + r]), k - 1u);
    let sg = in0[wsig + src];
    let x = select(0.0, in0[ww + src * q + t] / sg, sg > 0.0);
    ${wnOut}[${wnIndex(tall, "r", "t")}] = select(x, f_nan(), failed);
  } else if (e < k * q + k * k) {
    let e2 = e - k * q;
    let r = e2 / k; let t = e2 % k;
    let src = min(u32(in0[word + r]), k - 1u);
    ${vrAt} = select(in0[wv + src * k + t], f_nan(), failed);
  } else {
    let r = e - k * q - k * k;
    let src = min(u32(in0[word + r]), k - 1u);
    out1[b_ * k + r] = select(in0[wsig + src] * in0[ws + ${AMAX}u], f_nan(), failed);
  }`,
  });
}

/**
 * Complete the normalised rows of zero singular values (rows ROW..k-1): try
 * unit vectors e_cand in turn, orthogonalise against the rows before by
 * Gram–Schmidt twice, keep the first whose norm is ≥ 1/(2√q). At most P[3]
 * attempts per dispatch (one workgroup per matrix).
 */
function completeSource(tall: boolean): string {
  const x = (r: string, t: string) => `out1[${wnIndex(tall, r, t)}]`;
  return shader({
    inputs: [],
    outputs: ["f32", "f32"],
    wg: LWG,
    extra: SEG_REDUCE_WGSL + WG_REDUCE_WGSL +
      "\nvar<workgroup> row_: u32;\nvar<workgroup> cand_: u32;\nvar<workgroup> ok_: u32;",
    body: `  if (wgid >= P[0]) { return; }
  let b_ = wgid;
  ${LAYOUT_WGSL}
  if (lid == 0u) {
    flag_ = select(0u, 1u, out0[ws + ${FAILED}u] != 0.0);
    row_ = u32(out0[ws + ${ROW}u]);
    cand_ = u32(out0[ws + ${CAND}u]);
  }
  if (workgroupUniformLoad(&flag_) != 0u) { return; }
  var r = workgroupUniformLoad(&row_);
  var cand = workgroupUniformLoad(&cand_);
  let minNorm = 1.0 / (2.0 * sqrt(f32(q)));
  let seg = lanes_for(k);
  let groups = ${LWG}u / seg;
  let g = lid / seg; let l = lid % seg;
  for (var a = 0u; a < P[3]; a++) {
    if (r >= k || cand >= q) { break; }
    for (var t = lid; t < q; t += ${LWG}u) { ${x("r", "t")} = select(0.0, 1.0, t == cand); }
    ${SYNC}
    for (var twice = 0u; twice < 2u; twice++) {
      // dots d_o = <row o, row r> for o < r, then row r -= sum_o d_o row o.
      for (var o0 = 0u; o0 < r; o0 += groups) {
        let o = o0 + g;
        var d = 0.0;
        if (o < r) {
          for (var t = l; t < q; t += seg) { d += ${x("o", "t")} * ${x("r", "t")}; }
        }
        d = seg_sum(d, lid, seg);
        if (o < r && l == 0u) { out0[wdot + o] = d; }
      }
      ${SYNC}
      for (var t = lid; t < q; t += ${LWG}u) {
        var v = ${x("r", "t")};
        for (var o = 0u; o < r; o++) { v -= out0[wdot + o] * ${x("o", "t")}; }
        ${x("r", "t")} = v;
      }
      ${SYNC}
    }
    var ss = 0.0;
    for (var t = lid; t < q; t += ${LWG}u) { let v = ${x("r", "t")}; ss += v * v; }
    let nrm = sqrt(wg_sum(ss, lid));
    if (lid == 0u) { ok_ = select(0u, 1u, nrm >= minNorm); }
    cand++;
    if (workgroupUniformLoad(&ok_) != 0u) {
      for (var t = lid; t < q; t += ${LWG}u) { ${x("r", "t")} = ${x("r", "t")} / nrm; }
      r++;
    }
    ${SYNC}
  }
  if (lid == 0u) {
    out0[ws + ${ROW}u] = f32(r);
    out0[ws + ${CAND}u] = f32(cand);
  }`,
  });
}

/**
 * Record `(u, s, vh) = svd(a)` for `batch` matrices `m × n` (float32);
 * RangeError when one step exceeds the loop budget (see the module doc).
 *
 * @example
 * ```ts ignore
 * import { svdKernel } from "./svd.ts";
 * svdKernel(ctx, a, 1, 96, 64, u, s, vh);
 * ```
 */
export function svdKernel(
  ctx: KernelContext,
  a: GPUBuffer,
  batch: number,
  m: number,
  n: number,
  u: GPUBuffer,
  s: GPUBuffer,
  vh: GPUBuffer,
): void {
  const k = Math.min(m, n), q = Math.max(m, n);
  if (batch === 0 || k === 0) return;
  const tall = m >= n;
  const what = `a ${m}x${n} matrix`;
  const np = k + (k & 1), pairs = np / 2, perSweep = np - 1;
  // Loop iterations per lane (see loopCost) of a Jacobi round: per pass of pairs, the
  // dots over q, a 3-way segmented sum, the rotations over q and k ...
  const seg = lanesFor(pairs);
  const dq = Math.ceil(q / seg), dk = Math.ceil(k / seg);
  const pass = 2 * loopCost(dq, 0) + loopCost(dk, 0) + Math.log2(seg) + 1;
  const roundCost = 1 + loopCost(Math.ceil(pairs / (LWG / seg)), pass, 4);
  const perRounds = stepsPerDispatch(roundCost, "svd", what);
  // ... the scan, the norms, and one completion attempt (rows o < k).
  stepsPerDispatch(loopCost(Math.ceil((m * n) / LWG), 0) + 2 * WG_REDUCE_COST, "svd", what);
  stepsPerDispatch(segmentedCost(k, q) + WG_REDUCE_COST, "svd", what);
  const rowsQ = loopCost(Math.ceil(q / LWG), 0);
  const gramSchmidt = segmentedCost(k, q) + loopCost(Math.ceil(q / LWG), loopCost(k, 0), 1);
  const attemptCost = 1 + 3 * rowsQ + loopCost(2, gramSchmidt, 4) + WG_REDUCE_COST;
  const perAttempts = stepsPerDispatch(attemptCost, "svd", what);
  const work = ctx.alloc(batch * (k * q + k * k + 3 * k + 8) * 4);
  const p = (x = 0, y = 0) => new Params().u32(batch).u32(m).u32(n).u32(x).u32(y).words();
  const side = tall ? "tall" : "wide";
  ctx.dispatch(ctx.kernel("linalg:svd:scan", 1, 1, SCAN), p(), [a, work], batch);
  ctx.dispatch(
    ctx.kernel(`linalg:svd:load:${side}`, 1, 1, () => loadSource(tall)),
    p(),
    [a, work],
    gridGroups(batch * (m * n + k * k)),
  );
  const rounds = ctx.kernel("linalg:svd:rounds", 0, 1, ROUNDS);
  const total = MAX_SWEEPS * perSweep;
  for (let g = 0; g < total; g += perRounds) {
    ctx.dispatch(rounds, p(g, Math.min(perRounds, total - g)), [work], batch);
  }
  ctx.dispatch(ctx.kernel("linalg:svd:norms", 0, 1, NORMS), p(), [work], batch);
  ctx.dispatch(ctx.kernel("linalg:svd:sort", 0, 1, SORT), p(), [work], gridGroups(batch * k));
  ctx.dispatch(
    ctx.kernel(`linalg:svd:out:${side}`, 1, 3, () => unloadSource(tall)),
    p(),
    [work, u, s, vh],
    gridGroups(batch * (k * q + k * k + k)),
  );
  // Completion: at most (k - filled) accepted plus fewer than k·4q/(4q-1) rejected attempts.
  const complete = ctx.kernel(`linalg:svd:complete:${side}`, 0, 2, () => completeSource(tall));
  const attempts = 2 * k + 2;
  for (let done = 0; done < attempts; done += perAttempts) {
    ctx.dispatch(complete, p(Math.min(perAttempts, attempts - done)), [work, tall ? u : vh], batch);
  }
  ctx.free(work);
}
