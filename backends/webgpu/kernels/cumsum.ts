/**
 * Cumulative sums along an axis (inclusive or exclusive, forward or
 * reversed). Short lines: one invocation per line; long lines: one workgroup
 * per line (each invocation sums a chunk, a workgroup prefix over the chunk
 * sums, then each chunk is rescanned from its offset).
 *
 * @module
 */

import type { DType } from "../../backend.ts";
import { Params } from "../commands.ts";
import type { KernelContext } from "../commands.ts";
import { dtag, shader, WG, wgslType } from "./wgsl.ts";

const SWG = 256;

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
  const perWg = n >= 1024 && lines <= 4096;
  // Physical position of traversal step r, and the offset of (line, pos).
  const helpers = `
fn pos_of(r: u32, n: u32) -> u32 { return ${reverse ? "n - 1u - r" : "r"}; }
fn at(line: u32, p: u32, n: u32, inner: u32) -> u32 {
  return (line / inner) * n * inner + p * inner + line % inner;
}`;
  const emit = exclusive
    ? "out0[i_] = acc; acc = acc + in0[i_];"
    : "acc = acc + in0[i_]; out0[i_] = acc;";
  const key = `cumsum:${dtag(dtype)}:${+exclusive}${+reverse}:${perWg ? "wg" : "th"}`;
  const p = new Params().u32(lines).u32(n).u32(inner).words();
  if (!perWg) {
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
  const k = ctx.kernel(key, 1, 1, () =>
    shader({
      inputs: [t],
      outputs: [t],
      wg: SWG,
      extra: helpers + `\nvar<workgroup> part: array<${t}, ${SWG}>;`,
      body: `  let line = wgid;
  let n = P[1]; let inner = P[2];
  let live = line < P[0];
  let chunk = (n + ${SWG - 1}u) / ${SWG}u;
  let lo = min(lid * chunk, n);
  let hi = min(lo + chunk, n);
  var s: ${t} = ${t}(0);
  if (live) {
    for (var r = lo; r < hi; r++) { s = s + in0[at(line, pos_of(r, n), n, inner)]; }
  }
  part[lid] = s;
  workgroupBarrier();
  if (lid == 0u) {
    var run: ${t} = ${t}(0);
    for (var q = 0u; q < ${SWG}u; q++) { let v = part[q]; part[q] = run; run = run + v; }
  }
  workgroupBarrier();
  if (live) {
    var acc = part[lid];
    for (var r = lo; r < hi; r++) {
      let i_ = at(line, pos_of(r, n), n, inner);
      ${emit}
    }
  }`,
    }));
  ctx.dispatch(k, p, [x, out], lines);
}
