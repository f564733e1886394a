/**
 * Cumulative sums along an axis (inclusive or exclusive, forward or
 * reversed). Short lines: one invocation per line; long lines: one workgroup
 * per segment of a line (each invocation sums a chunk, a workgroup prefix
 * over the chunk sums, then each chunk is rescanned from its offset).
 *
 * A segment holds at most {@link SEGMENT} elements, so no invocation loops
 * over more than {@link LANE_CAP} elements (llvmpipe's loop limit, see
 * `budget.ts`). Lines of several segments take three steps: the sum of every
 * segment, an exclusive cumsum of those sums along the line (this kernel
 * again, on a short axis), then the segment scans starting from them.
 *
 * @module
 */

import type { DType } from "../../backend.ts";
import { Params } from "../commands.ts";
import type { KernelContext } from "../commands.ts";
import { dtag, shader, WG, wgslType } from "./wgsl.ts";
import { LANE_CAP } from "./budget.ts";

const SWG = 256;

/**
 * Elements of a line scanned by one workgroup: each invocation walks its
 * chunk of at most LANE_CAP / 2 elements twice (sum, then scan).
 *
 * @example
 * ```ts
 * import { SEGMENT } from "./cumsum.ts";
 * console.assert(SEGMENT === 256 * 8192);
 * ```
 */
export const SEGMENT: number = SWG * (LANE_CAP / 2);

/** Record `out = cumsum(x, axis)`. */
export function cumsumKernel(
  ctx: KernelContext,
  dtype: DType,
  x: GPUBuffer,
  shape: readonly number[],
  axis: number,
  exclusive: boolean,
  reverse: boolean,
  out: GPUBuffer,
): void {
  if (dtype === "bool") throw new TypeError("cumsum(): not defined on bool (cast to int32 first)");
  const n = shape[axis];
  let outer = 1, inner = 1;
  for (let d = 0; d < axis; d++) outer *= shape[d];
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d];
  const lines = outer * inner;
  if (lines * n === 0) return;
  const t = wgslType(dtype);
  // Invocation per line for short lines, or for many lines of a length within the cap.
  const perWg = n >= 1024 && (lines <= 4096 || n > LANE_CAP);
  // Physical position of traversal step r, and the offset of (line, pos).
  const helpers = `
fn pos_of(r: u32, n: u32) -> u32 { return ${reverse ? "n - 1u - r" : "r"}; }
fn at(line: u32, p: u32, n: u32, inner: u32) -> u32 {
  return (line / inner) * n * inner + p * inner + line % inner;
}`;
  const emit = exclusive
    ? "out0[i_] = acc; acc = acc + in0[i_];"
    : "acc = acc + in0[i_]; out0[i_] = acc;";
  const segs = Math.ceil(n / SEGMENT);
  // P: lines, n, inner, segments per line, segment length.
  const p = new Params().u32(lines).u32(n).u32(inner).u32(segs).u32(SEGMENT).words();
  if (!perWg) {
    const key = `cumsum:${dtag(dtype)}:${+exclusive}${+reverse}:th`;
    const k = ctx.kernel(key, 1, 1, () =>
      shader({
        inputs: [t],
        outputs: [t],
        extra: helpers,
        body: `  if (gid >= P[0]) { return; }
  let n = P[1]; let inner = P[2];
  var acc: ${t} = ${t}(0);
  for (var r = 0u; r < n; r++) {
    let i_ = at(gid, pos_of(r, n), n, inner);
    ${emit}
  }`,
      }));
    ctx.dispatch(k, p, [x, out], Math.ceil(lines / WG));
    return;
  }
  // Workgroup w scans traversal steps [lo, hi) of segment w % segs of line w / segs.
  const segment = `  let line = wgid / P[3]; let sg = wgid % P[3];
  let n = P[1]; let inner = P[2];
  let live = line < P[0];
  let lo = min(sg * P[4], n);
  let hi = min(lo + P[4], n);`;
  let offsets: GPUBuffer | null = null;
  if (segs > 1) {
    // Segment sums in line order, then their exclusive cumsum: each segment's start value.
    const sums = ctx.alloc(lines * segs * 4);
    const sumK = ctx.kernel(`cumsum:${dtag(dtype)}:${+reverse}:segsum`, 1, 1, () =>
      shader({
        inputs: [t],
        outputs: [t],
        wg: SWG,
        extra: helpers + `\nvar<workgroup> part: array<${t}, ${SWG}>;`,
        body: `${segment}
  var s: ${t} = ${t}(0);
  if (live) {
    for (var r = lo + lid; r < hi; r += ${SWG}u) { s = s + in0[at(line, pos_of(r, n), n, inner)]; }
  }
  part[lid] = s;
  workgroupBarrier();
  for (var h = ${SWG / 2}u; h > 0u; h = h >> 1u) {
    if (lid < h) { part[lid] = part[lid] + part[lid + h]; }
    workgroupBarrier();
  }
  if (live && lid == 0u) { out0[wgid] = part[0]; }`,
      }));
    ctx.dispatch(sumK, p, [x, sums], lines * segs);
    offsets = ctx.alloc(lines * segs * 4);
    cumsumKernel(ctx, dtype, sums, [lines, segs], 1, true, false, offsets);
    ctx.free(sums);
  }
  const withOff = offsets !== null;
  const key = `cumsum:${dtag(dtype)}:${+exclusive}${+reverse}:wg:${+withOff}`;
  const k = ctx.kernel(key, withOff ? 2 : 1, 1, () =>
    shader({
      inputs: withOff ? [t, t] : [t],
      outputs: [t],
      wg: SWG,
      extra: helpers + `\nvar<workgroup> part: array<${t}, ${SWG}>;`,
      body: `${segment}
  let chunk = (hi - lo + ${SWG - 1}u) / ${SWG}u;
  let a = min(lo + lid * chunk, hi);
  let b = min(a + chunk, hi);
  var s: ${t} = ${t}(0);
  if (live) {
    for (var r = a; r < b; r++) { s = s + in0[at(line, pos_of(r, n), n, inner)]; }
  }
  part[lid] = s;
  workgroupBarrier();
  if (lid == 0u) {
    var run: ${t} = ${t}(0);
    ${withOff ? "if (live) { run = in1[wgid]; }" : ""}
    for (var q = 0u; q < ${SWG}u; q++) { let v = part[q]; part[q] = run; run = run + v; }
  }
  workgroupBarrier();
  if (live) {
    var acc = part[lid];
    for (var r = a; r < b; r++) {
      let i_ = at(line, pos_of(r, n), n, inner);
      ${emit}
    }
  }`,
    }));
  ctx.dispatch(
    k,
    p,
    withOff ? [x, offsets as GPUBuffer, out] : [x, out],
    lines * segs,
  );
  if (offsets) ctx.free(offsets);
}
