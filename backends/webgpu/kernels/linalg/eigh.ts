/**
 * Batched symmetric eigendecomposition on the GPU: two-sided cyclic Jacobi
 * with the round-robin (tournament) ordering, so each round applies ⌊n/2⌋
 * disjoint rotations in parallel; one workgroup per matrix. The rounds run
 * over several dispatches, as many rounds per dispatch as fit the loop
 * budget (see `common.ts`), with the matrix, the rotations so far and a
 * small state (failed / converged / rotated-this-sweep) kept in a scratch
 * buffer; a sweep without a rotation marks the matrix converged and the
 * remaining dispatches return at once (at most {@link MAX_SWEEPS} sweeps).
 * Reads only the lower triangle; eigenvalues ascending (stable on ties),
 * eigenvectors as columns. A matrix with a NaN or infinite entry in its
 * lower triangle comes back all NaN, as on the cpu backend. Eigenvectors
 * are unique only up to sign (and rotation within repeated eigenvalues), so
 * they may differ from the cpu backend's by those.
 *
 * Size limit: n ≤ {@link EIGH_MAX_ORDER} = 1024 (RangeError beyond).
 * Dispatches: 186 at n = 256 (most of them return at once after
 * convergence), about 6800 at n = 1024.
 *
 * @module
 */

import { Params } from "../../commands.ts";
import type { KernelContext } from "../../commands.ts";
import { shader } from "../wgsl.ts";
import { gridGroups, loopCost, LWG, stepsPerDispatch, SYNC, WG_REDUCE_WGSL } from "./common.ts";

/** Most Jacobi sweeps (convergence is quadratic; float32 needs about 6–10). */
export const MAX_SWEEPS = 40;

/** Rotations per round held in workgroup memory (n ≤ 2·this). */
const MAX_PAIRS = 512;

/**
 * Largest order the webgpu eigh handles.
 *
 * @example
 * ```ts
 * import { EIGH_MAX_ORDER } from "./eigh.ts";
 * console.assert(EIGH_MAX_ORDER === 1024);
 * ```
 */
export const EIGH_MAX_ORDER: number = 2 * MAX_PAIRS;

/**
 * WGSL of the round-robin pairing: players 0..np-1 (np even), round r of
 * np - 1 rounds; pair i of a round is (pair_a, pair_b).
 */
export const ROUND_ROBIN_WGSL = /* wgsl */ `
fn rr_pair(r: u32, i: u32, np: u32) -> vec2<u32> {
  let mm = np - 1u;
  if (i == 0u) { return vec2<u32>(r % mm, mm); }
  return vec2<u32>((r + i) % mm, (r + mm - i) % mm);
}
`;

/** Per matrix: work = A (n²), Vᵀ (n²), order (n), state (4: failed, done, rotated, floor). */
const LAYOUT_WGSL = `let n = P[1];
  let wa = b_ * (2u * n * n + n + 4u);
  let wv = wa + n * n;
  let wo = wv + n * n;
  let ws = wo + n;`;

/** Symmetrise from the lower triangle; Vᵀ = I; finiteness and the rotation floor (per matrix). */
const INIT = () =>
  shader({
    inputs: ["f32"],
    outputs: ["f32"],
    wg: LWG,
    extra: WG_REDUCE_WGSL,
    body: `  if (wgid >= P[0]) { return; }
  let b_ = wgid;
  ${LAYOUT_WGSL}
  let ab = b_ * n * n;
  var bad = 0.0;
  var fro = 0.0;
  for (var e = lid; e < n * n; e += ${LWG}u) {
    let i = e / n; let j = e % n;
    var x = 0.0;
    if (j <= i) { x = in0[ab + i * n + j]; } else { x = in0[ab + j * n + i]; }
    if (j <= i && f_bad(x)) { bad = 1.0; }
    out0[wa + e] = x;
    out0[wv + e] = select(0.0, 1.0, i == j);
    fro += x * x;
  }
  let failed = select(0.0, 1.0, wg_sum(bad, lid) > 0.0);
  let total = wg_sum(fro, lid);
  if (lid == 0u) {
    out0[ws] = failed;
    out0[ws + 1u] = failed;
    out0[ws + 2u] = 0.0;
    out0[ws + 3u] = sqrt(total) * 1e-10;
  }`,
  });

/** Rounds P[2] .. P[2]+P[3]-1 of the global round sequence (one workgroup per matrix). */
const ROUNDS = () =>
  shader({
    inputs: [],
    outputs: ["f32"],
    wg: LWG,
    extra: ROUND_ROBIN_WGSL + `
var<workgroup> cs: array<f32, ${MAX_PAIRS}>;
var<workgroup> sn: array<f32, ${MAX_PAIRS}>;
var<workgroup> pp: array<u32, ${MAX_PAIRS}>;
var<workgroup> qq: array<u32, ${MAX_PAIRS}>;
var<workgroup> rot_: u32;
var<workgroup> done_: u32;`,
    body: `  if (wgid >= P[0]) { return; }
  let b_ = wgid;
  ${LAYOUT_WGSL}
  if (lid == 0u) {
    done_ = select(0u, 1u, out0[ws + 1u] != 0.0);
    rot_ = select(0u, 1u, out0[ws + 2u] != 0.0);
  }
  if (workgroupUniformLoad(&done_) != 0u) { return; }
  let floor_ = out0[ws + 3u];
  let np = n + (n & 1u);
  let pairs = np / 2u;
  // Lanes for the blocks: span along pair J, slots over pair I; for rows of Vᵀ: along the row.
  let spanB = min(pairs, ${LWG}u);
  let slotsB = ${LWG}u / spanB;
  let slotB = lid / spanB; let jB = lid % spanB;
  let spanV = min(n, ${LWG}u);
  let slotsV = ${LWG}u / spanV;
  let slotV = lid / spanV; let jV = lid % spanV;
  for (var rr = 0u; rr < P[3]; rr++) {
    let r = (P[2] + rr) % (np - 1u);
    // 1. rotation of each pair from the current A (q ≥ n: the idle player, no rotation).
    for (var i = lid; i < pairs; i += ${LWG}u) {
      let pq = rr_pair(r, i, np);
      let p = min(pq.x, pq.y); let q = max(pq.x, pq.y);
      var c = 1.0; var s = 0.0;
      if (q < n) {
        let apq = out0[wa + p * n + q];
        let app = out0[wa + p * n + p];
        let aqq = out0[wa + q * n + q];
        if (abs(apq) > 1.2e-7 * sqrt(abs(app * aqq)) && abs(apq) > floor_) {
          let theta = (aqq - app) / (2.0 * apq);
          var t: f32;
          if (abs(theta) > 1e18) { t = 0.5 / theta; } else {
            t = select(-1.0, 1.0, theta >= 0.0) / (abs(theta) + sqrt(theta * theta + 1.0));
          }
          c = 1.0 / sqrt(t * t + 1.0);
          s = t * c;
          rot_ = 1u;
        }
      }
      cs[i] = c; sn[i] = s; pp[i] = p; qq[i] = q;
    }
    ${SYNC}
    // 2. A ← R A Rᵀ one 2x2 block (pair I rows, pair J columns) at a time, with
    //    R = [[c, -s], [s, c]] per pair; and the rows p, q of Vᵀ ← R Vᵀ.
    if (slotB < slotsB) {
      for (var bi = slotB; bi < pairs; bi += slotsB) {
        let sI = sn[bi]; let cI = cs[bi]; let pI = pp[bi]; let qI = qq[bi];
        let hasQI = qI < n;
        for (var bj = jB; bj < pairs; bj += spanB) {
          let sJ = sn[bj];
          if (sI != 0.0 || sJ != 0.0) {
            let cJ = cs[bj]; let pJ = pp[bj]; let qJ = qq[bj];
            let hasQJ = qJ < n;
            let b00 = out0[wa + pI * n + pJ];
            var b01 = 0.0; var b10 = 0.0; var b11 = 0.0;
            if (hasQJ) { b01 = out0[wa + pI * n + qJ]; }
            if (hasQI) { b10 = out0[wa + qI * n + pJ]; }
            if (hasQI && hasQJ) { b11 = out0[wa + qI * n + qJ]; }
            let x00 = cI * b00 - sI * b10; let x01 = cI * b01 - sI * b11;
            let x10 = sI * b00 + cI * b10; let x11 = sI * b01 + cI * b11;
            out0[wa + pI * n + pJ] = cJ * x00 - sJ * x01;
            if (hasQJ) { out0[wa + pI * n + qJ] = sJ * x00 + cJ * x01; }
            if (hasQI) { out0[wa + qI * n + pJ] = cJ * x10 - sJ * x11; }
            if (hasQI && hasQJ) { out0[wa + qI * n + qJ] = sJ * x10 + cJ * x11; }
          }
        }
      }
    }
    if (slotV < slotsV) {
      for (var i = slotV; i < pairs; i += slotsV) {
        let s = sn[i];
        if (s != 0.0) {
          let c = cs[i];
          let rp = wv + pp[i] * n; let rq = wv + qq[i] * n;
          for (var j = jV; j < n; j += spanV) {
            let xp = out0[rp + j]; let xq = out0[rq + j];
            out0[rp + j] = c * xp - s * xq;
            out0[rq + j] = s * xp + c * xq;
          }
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
    out0[ws + 1u] = f32(done_);
    out0[ws + 2u] = f32(rot_);
  }`,
  });

/** order[rank of λ_i] = i, ascending and stable (grid over batch·n). */
const SORT = () =>
  shader({
    inputs: [],
    outputs: ["f32"],
    body: `  if (gid >= P[0] * P[1]) { return; }
  let b_ = gid / P[1]; let i = gid % P[1];
  ${LAYOUT_WGSL}
  let li = out0[wa + i * n + i];
  var rank = 0u;
  for (var j = 0u; j < n; j++) {
    let lj = out0[wa + j * n + j];
    if (lj < li || (lj == li && j < i)) { rank++; }
  }
  out0[wo + min(rank, n - 1u)] = f32(i);`,
  });

/** values and vectors in ascending order, NaN for failed matrices (grid over batch·(n² + n)). */
const UNLOAD = () =>
  shader({
    inputs: ["f32"],
    outputs: ["f32", "f32"],
    extra: "fn f_nan() -> f32 { return bitcast<f32>(0x7fc00000u); }",
    body: `  let per = P[1] * P[1] + P[1];
  if (gid >= P[0] * per) { return; }
  let b_ = gid / per; let e = gid % per;
  ${LAYOUT_WGSL}
  let failed = in0[ws] != 0.0;
  if (e < n * n) {
    let i = e / n; let c = e % n;
    let src = min(u32(in0[wo + c]), n - 1u);
    out1[b_ * n * n + e] = select(in0[wv + src * n + i], f_nan(), failed);
  } else {
    let c = e - n * n;
    let src = min(u32(in0[wo + c]), n - 1u);
    out0[b_ * n + c] = select(in0[wa + src * n + src], f_nan(), failed);
  }`,
  });

/**
 * Record `(values, vectors) = eigh(a)` for `batch` symmetric matrices of
 * order `n` (float32); RangeError when n > {@link EIGH_MAX_ORDER}.
 *
 * @example
 * ```ts ignore
 * import { eighKernel } from "./eigh.ts";
 * eighKernel(ctx, a, 1, 256, values, vectors);
 * ```
 */
export function eighKernel(
  ctx: KernelContext,
  a: GPUBuffer,
  batch: number,
  n: number,
  values: GPUBuffer,
  vectors: GPUBuffer,
): void {
  if (batch * n === 0) return;
  if (n > EIGH_MAX_ORDER) {
    throw new RangeError(
      `eigh(): the webgpu backend handles matrices up to ${EIGH_MAX_ORDER}, got ${n}`,
    );
  }
  const np = n + (n & 1), pairs = np / 2, perSweep = np - 1;
  // Loop iterations per lane of a round (see loopCost): rotations, 2x2 blocks, rows of Vᵀ.
  const spanB = Math.min(pairs, LWG), spanV = Math.min(n, LWG);
  const blocks = loopCost(
    Math.ceil(pairs / Math.floor(LWG / spanB)),
    loopCost(Math.ceil(pairs / spanB), 0),
    1,
  );
  const rows = loopCost(
    Math.ceil(pairs / Math.floor(LWG / spanV)),
    loopCost(Math.ceil(n / spanV), 0),
    1,
  );
  const roundCost = 1 + loopCost(Math.ceil(pairs / LWG), 0) + blocks + rows;
  const per = stepsPerDispatch(roundCost, "eigh", `a matrix of order ${n}`);
  const work = ctx.alloc(batch * (2 * n * n + n + 4) * 4);
  const p = (x = 0, y = 0) => new Params().u32(batch).u32(n).u32(x).u32(y).words();
  ctx.dispatch(ctx.kernel("linalg:eigh:init", 1, 1, INIT), p(), [a, work], batch);
  const rounds = ctx.kernel("linalg:eigh:rounds", 0, 1, ROUNDS);
  const total = MAX_SWEEPS * perSweep;
  for (let g = 0; g < total; g += per) {
    ctx.dispatch(rounds, p(g, Math.min(per, total - g)), [work], batch);
  }
  ctx.dispatch(ctx.kernel("linalg:eigh:sort", 0, 1, SORT), p(), [work], gridGroups(batch * n));
  ctx.dispatch(
    ctx.kernel("linalg:eigh:out", 1, 2, UNLOAD),
    p(),
    [work, values, vectors],
    gridGroups(batch * (n * n + n)),
  );
  ctx.free(work);
}
