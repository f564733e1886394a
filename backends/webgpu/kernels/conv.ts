/**
 * Direct 2-D cross-correlation, NCHW input and OIHW weights, with strides,
 * explicit zero padding, dilations and feature groups: one invocation per
 * output element. The taps of one output (input channels of its group ×
 * kernel rows × kernel columns) are walked as kernel rows `t = ci·KH + r`
 * with a column loop inside; when their loop count would pass
 * {@link LANE_CAP} (llvmpipe's loop limit, see `budget.ts`), the taps are
 * split into consecutive dispatches over ranges of rows (and of columns for
 * a kernel wider than the cap), each adding to what the previous stored.
 *
 * @module
 */

import type { Conv2dOptions } from "../../backend.ts";
import { Params } from "../commands.ts";
import type { KernelContext } from "../commands.ts";
import { shader, WG } from "./wgsl.ts";
import { LANE_CAP, ranges } from "./budget.ts";

/** Output shape `[N, O, Ho, Wo]` of a conv2d (dims clamped at 0, as the cpu backend). */
export function conv2dShape(
  xShape: readonly number[],
  wShape: readonly number[],
  o: Conv2dOptions,
): [number, number, number, number] {
  const [n, , h, w] = xShape;
  const [oc, , kh, kw] = wShape;
  const ho = Math.max(
    0,
    Math.floor(
      (h + o.padding[0][0] + o.padding[0][1] - o.dilations[0] * (kh - 1) - 1) / o.strides[0],
    ) + 1,
  );
  const wo = Math.max(
    0,
    Math.floor(
      (w + o.padding[1][0] + o.padding[1][1] - o.dilations[1] * (kw - 1) - 1) / o.strides[1],
    ) + 1,
  );
  return [n, oc, ho, wo];
}

/** Record `out = conv2d(x, w)` (float32). */
export function conv2dKernel(
  ctx: KernelContext,
  x: GPUBuffer,
  xShape: readonly number[],
  w: GPUBuffer,
  wShape: readonly number[],
  options: Conv2dOptions,
  out: GPUBuffer,
): void {
  const [n, oc, ho, wo] = conv2dShape(xShape, wShape, options);
  const total = n * oc * ho * wo;
  if (total === 0) return;
  const [, c, h, wd] = xShape;
  const [, cg, kh, kw] = wShape;
  // P: total, C H W O Cg KH KW HO WO, sh sw, pt pl, dh dw, Og, t0 t1 s0 s1, accumulate.
  const k = ctx.kernel("conv2d:f", 2, 1, () =>
    shader({
      inputs: ["f32", "f32"],
      outputs: ["f32"],
      body: `  if (gid >= P[0]) { return; }
  let C = P[1]; let H = i32(P[2]); let W = i32(P[3]);
  let O = P[4]; let Cg = P[5]; let KH = P[6]; let KW = P[7];
  let HO = P[8]; let WO = P[9];
  let sh = i32(P[10]); let sw = i32(P[11]);
  let pt = i32(P[12]); let pl = i32(P[13]);
  let dh = i32(P[14]); let dw = i32(P[15]);
  let Og = P[16];
  let t0 = P[17]; let t1 = P[18]; let s0 = P[19]; let s1 = P[20];
  let ow = gid % WO; var q = gid / WO;
  let oh = q % HO; q = q / HO;
  let o = q % O; let b = q / O;
  let g = o / Og;
  var acc = 0.0;
  if (P[21] != 0u) { acc = out0[gid]; }
  for (var t = t0; t < t1; t++) {
    let ci = t / KH; let r = t % KH;
    let ih = i32(oh) * sh - pt + i32(r) * dh;
    if (ih < 0 || ih >= H) { continue; }
    let xr = ((b * C + g * Cg + ci) * u32(H) + u32(ih)) * u32(W);
    let wr = ((o * Cg + ci) * KH + r) * KW;
    for (var s = s0; s < s1; s++) {
      let iw = i32(ow) * sw - pl + i32(s) * dw;
      if (iw < 0 || iw >= W) { continue; }
      acc += in0[xr + u32(iw)] * in1[wr + s];
    }
  }
  out0[gid] = acc;`,
    }));
  // Loop passes of `rows` kernel rows of `cols` columns: loopCost(rows, loopCost(cols, 0), 1)
  // = rows·(cols + 2) + 2, kept within LANE_CAP.
  const colsPer = Math.min(kw, LANE_CAP - 4);
  const rowsPer = Math.max(1, Math.floor((LANE_CAP - 2) / (colsPer + 2)));
  const head = new Params()
    .u32(total)
    .u32s([c, h, wd, oc, cg, kh, kw, ho, wo])
    .u32s([options.strides[0], options.strides[1]])
    .u32s([options.padding[0][0], options.padding[1][0]])
    .u32s([options.dilations[0], options.dilations[1]])
    .u32(oc / options.groups)
    .words();
  let first = true;
  for (const [t0, t1] of ranges(cg * kh, rowsPer)) {
    for (const [s0, s1] of ranges(kw, colsPer)) {
      const p = new Uint32Array(head.length + 5);
      p.set(head);
      p.set([t0, t1, s0, s1, first ? 0 : 1], head.length);
      ctx.dispatch(k, p, [x, w, out], Math.ceil(total / WG));
      first = false;
    }
  }
}
