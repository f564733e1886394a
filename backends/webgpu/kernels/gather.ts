/**
 * Gather (`take` along an axis, indices clamped), gather-along-axis
 * (`take_along_axis`, broadcasting, clamped) and functional scatter (`set`:
 * the last duplicate wins; `add`: updates summed in index order; indices out
 * of range, negatives included, dropped).
 *
 * Scatter is made deterministic and parallel by sorting the indices once
 * (stable, see `sort.ts`): each output element then binary-searches its run
 * of updates and applies them in their original order, exactly as the cpu
 * backend's sequential loop does. An invocation adds at most
 * {@link LANE_CAP} updates of its run in one dispatch (llvmpipe's loop
 * limit, see `budget.ts`): it stops at the next multiple of LANE_CAP in the
 * sorted order, and one short dispatch per later multiple lets the run
 * that crosses it continue, in order, from the value stored so far.
 *
 * @module
 */

import { type DType, sizeOf, stridesOf } from "../../backend.ts";
import { Params } from "../commands.ts";
import type { KernelContext } from "../commands.ts";
import { sortPairs } from "./sort.ts";
import { collapse, dtag, offsetsWgsl, shader, WG, wgslType } from "./wgsl.ts";
import { LANE_CAP } from "./budget.ts";

function split(shape: readonly number[], axis: number): [number, number, number] {
  let outer = 1, inner = 1;
  for (let d = 0; d < axis; d++) outer *= shape[d];
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d];
  return [outer, shape[axis], inner];
}

/** Record `out = take(x, indices, axis)` (int32 indices clamped to [0, n-1]). */
export function gatherKernel(
  ctx: KernelContext,
  dtype: DType,
  x: GPUBuffer,
  shape: readonly number[],
  indices: GPUBuffer,
  nIdx: number,
  axis: number,
  out: GPUBuffer,
): void {
  const [outer, n, inner] = split(shape, axis);
  const total = outer * nIdx * inner;
  if (total === 0) return;
  if (n === 0) throw new RangeError(`gather(): cannot take from the empty axis ${axis}`);
  const t = wgslType(dtype);
  const k = ctx.kernel(`gather:${dtag(dtype)}`, 2, 1, () =>
    shader({
      inputs: [t, "i32"],
      outputs: [t],
      body: `  if (gid >= P[0]) { return; }
  let m = P[1]; let n = P[2]; let inner = P[3];
  let ii = gid % inner; let q = gid / inner;
  let j = q % m; let o = q / m;
  let v = u32(clamp(in1[j], 0, i32(n) - 1));
  out0[gid] = in0[(o * n + v) * inner + ii];`,
    }));
  ctx.dispatch(
    k,
    new Params().u32(total).u32(nIdx).u32(n).u32(inner).words(),
    [x, indices, out],
    Math.ceil(total / WG),
  );
}

/** Output shape of {@link gatherAlongKernel}. */
export function gatherAlongShape(
  shape: readonly number[],
  idxShape: readonly number[],
  axis: number,
): number[] {
  return shape.map((d, i) => {
    const e = idxShape[i];
    if (i === axis || d === e || d === 1) return e;
    if (e === 1) return d;
    throw new TypeError(
      `gatherAlong(): indices [${idxShape.join(", ")}] do not broadcast against [${
        shape.join(", ")
      }]`,
    );
  });
}

/** Record `out = take_along_axis(x, indices, axis)` with broadcasting. */
export function gatherAlongKernel(
  ctx: KernelContext,
  dtype: DType,
  x: GPUBuffer,
  shape: readonly number[],
  indices: GPUBuffer,
  idxShape: readonly number[],
  axis: number,
  out: GPUBuffer,
): void {
  const outShape = gatherAlongShape(shape, idxShape, axis);
  const total = sizeOf(outShape);
  if (total === 0) return;
  const n = shape[axis];
  if (n === 0) throw new RangeError(`gatherAlong(): cannot take from the empty axis ${axis}`);
  const xs = stridesOf(shape);
  const is = stridesOf(idxShape);
  const xStep = shape.map((d, i) => (i === axis || d === 1 ? 0 : xs[i]));
  const iStep = idxShape.map((d, i) => (d === 1 ? 0 : is[i]));
  const c = collapse(outShape, [stridesOf(outShape), xStep, iStep]);
  const rank = c.shape.length;
  const t = wgslType(dtype);
  const k = ctx.kernel(`gatherAlong:${dtag(dtype)}:${rank}`, 2, 1, () =>
    shader({
      inputs: [t, "i32"],
      outputs: [t],
      body: `  if (gid >= P[0]) { return; }
${offsetsWgsl("gid", rank, 3, [3 + rank, 3 + 2 * rank])}
  let v = clamp(in1[u32(o1)], 0, i32(P[1]) - 1);
  out0[gid] = in0[u32(o0 + v * i32(P[2]))];`,
    }));
  const p = new Params()
    .u32(total)
    .u32(n)
    .u32(xs[axis])
    .u32s(c.shape)
    .i32s(c.strides[1])
    .i32s(c.strides[2])
    .words();
  ctx.dispatch(k, p, [x, indices, out], Math.ceil(total / WG));
}

/** Record the functional scatter of `updates` into a copy of `x` at `indices` along `axis`. */
export function scatterKernel(
  ctx: KernelContext,
  dtype: DType,
  x: GPUBuffer,
  shape: readonly number[],
  indices: GPUBuffer,
  nIdx: number,
  updates: GPUBuffer,
  axis: number,
  mode: "set" | "add",
  out: GPUBuffer,
): void {
  const [outer, n, inner] = split(shape, axis);
  const total = outer * n * inner;
  if (total === 0) return;
  if (nIdx === 0) {
    ctx.copy(x, 0, out, 0, total * 4);
    return;
  }
  const pairs = sortPairs(ctx, "int32", indices, [nIdx], 0, false);
  const t = wgslType(dtype);
  const add = dtype === "bool" ? "acc | u" : "acc + u";
  const k = ctx.kernel(`scatter:${mode}:${dtag(dtype)}`, 4, 1, () =>
    shader({
      inputs: [t, "u32", "u32", t],
      outputs: [t],
      body: `  if (gid >= P[0]) { return; }
  let m = P[1]; let n = P[2]; let inner = P[3];
  let ii = gid % inner; let q = gid / inner;
  let tpos = q % n; let o = q / n;
  let key = tpos ^ 0x80000000u;
  // lower bound of key in the sorted keys
  var lo = 0u; var hi = m;
  loop { if (lo >= hi) { break; } let mid = (lo + hi) / 2u; if (in1[mid] < key) { lo = mid + 1u; } else { hi = mid; } }
  var acc = in0[gid];
  ${
        mode === "set"
          ? `var e = lo; var hi2 = m;
  loop { if (e >= hi2) { break; } let mid = (e + hi2) / 2u; if (in1[mid] <= key) { e = mid + 1u; } else { hi2 = mid; } }
  if (e > lo) { acc = in3[(o * m + in2[e - 1u]) * inner + ii]; }`
          : `var e = lo;
  let stop = min(m, (lo / P[4] + 1u) * P[4]);
  loop {
    if (e >= stop || in1[e] != key) { break; }
    let u = in3[(o * m + in2[e]) * inner + ii];
    acc = ${add};
    e = e + 1u;
  }`
      }
  out0[gid] = acc;`,
    }));
  ctx.dispatch(
    k,
    new Params().u32(total).u32(nIdx).u32(n).u32(inner).u32(LANE_CAP).words(),
    [x, pairs.keys, pairs.idx, updates, out],
    Math.ceil(total / WG),
  );
  if (mode === "add" && nIdx > LANE_CAP) {
    // The run (if any) that continues across sorted position `b`, for every (outer, inner).
    const more = ctx.kernel(`scatter:more:${dtag(dtype)}`, 3, 1, () =>
      shader({
        inputs: ["u32", "u32", t],
        outputs: [t],
        body: `  if (gid >= P[0]) { return; }
  let m = P[1]; let n = P[2]; let inner = P[3]; let b = P[4];
  let key = in0[b];
  if (in0[b - 1u] != key) { return; }
  let tpos = key ^ 0x80000000u;
  if (tpos >= n) { return; }
  let ii = gid % inner; let o = gid / inner;
  let at = (o * n + tpos) * inner + ii;
  var acc = out0[at];
  let stop = min(m, b + ${LANE_CAP}u);
  for (var e = b; e < stop; e++) {
    if (in0[e] != key) { break; }
    let u = in2[(o * m + in1[e]) * inner + ii];
    acc = ${add};
  }
  out0[at] = acc;`,
      }));
    for (let b = LANE_CAP; b < nIdx; b += LANE_CAP) {
      ctx.dispatch(
        more,
        new Params().u32(outer * inner).u32(nIdx).u32(n).u32(inner).u32(b).words(),
        [pairs.keys, pairs.idx, updates, out],
        Math.ceil((outer * inner) / WG),
      );
    }
  }
  ctx.free(pairs.keys);
  ctx.free(pairs.idx);
}
