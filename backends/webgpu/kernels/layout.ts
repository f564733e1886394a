/**
 * Data movement: strided copies (transpose, slice, concat pieces), pad
 * (constant, edge, reflect). A strided copy reads or writes through
 * collapsed (shape, strides) views; strides may be negative (reversed slices).
 *
 * @module
 */

import { type DType, type PadMode, sizeOf, stridesOf } from "../../backend.ts";
import { Params } from "../commands.ts";
import type { KernelContext } from "../commands.ts";
import { collapse, dtag, offsetsWgsl, shader, WG, wgslType } from "./wgsl.ts";

/**
 * Record a strided copy over `shape`: with `gatherSide` the source is read
 * at `base + Σ idx·strides` and the destination written contiguously; else
 * the source is contiguous and the destination is written strided.
 */
export function stridedCopy(
  ctx: KernelContext,
  src: GPUBuffer,
  dst: GPUBuffer,
  shape: readonly number[],
  strides: readonly number[],
  base: number,
  gatherSide: boolean,
): void {
  const n = sizeOf(shape);
  if (n === 0) return;
  const c = collapse(shape, [stridesOf(shape), strides]);
  const rank = c.shape.length;
  const key = `strided:${gatherSide ? "g" : "s"}:${rank}`;
  const k = ctx.kernel(key, 1, 1, () =>
    shader({
      inputs: ["u32"],
      outputs: ["u32"],
      body: `  if (gid >= P[0]) { return; }
${offsetsWgsl("gid", rank, 2, [2 + rank])}
  let at = u32(bitcast<i32>(P[1]) + o0);
  ${gatherSide ? "out0[gid] = in0[at];" : "out0[at] = in0[gid];"}`,
    }));
  const p = new Params().u32(n).i32(base).u32s(c.shape).i32s(c.strides[1]).words();
  ctx.dispatch(k, p, [src, dst], Math.ceil(n / WG));
}

/** Record `out = transpose(x, perm)`. */
export function transposeKernel(
  ctx: KernelContext,
  x: GPUBuffer,
  shape: readonly number[],
  perm: readonly number[],
  out: GPUBuffer,
): void {
  const s = stridesOf(shape);
  stridedCopy(ctx, x, out, perm.map((p) => shape[p]), perm.map((p) => s[p]), 0, true);
}

/** Record a strided slice of `x` into `out` (shape `size`). */
export function sliceKernel(
  ctx: KernelContext,
  x: GPUBuffer,
  shape: readonly number[],
  begin: readonly number[],
  size: readonly number[],
  steps: readonly number[],
  out: GPUBuffer,
): void {
  const s = stridesOf(shape);
  let base = 0;
  for (let d = 0; d < shape.length; d++) base += begin[d] * s[d];
  stridedCopy(ctx, x, out, size, s.map((v, d) => v * steps[d]), base, true);
}

/** Record `out = concat(xs, axis)`; `outShape` is the concatenated shape. */
export function concatKernel(
  ctx: KernelContext,
  xs: readonly { buffer: GPUBuffer; shape: readonly number[] }[],
  axis: number,
  out: GPUBuffer,
  outShape: readonly number[],
): void {
  const os = stridesOf(outShape);
  let outer = 1;
  for (let d = 0; d < axis; d++) outer *= outShape[d];
  let at = 0;
  for (const x of xs) {
    const n = sizeOf(x.shape);
    if (n > 0) {
      if (outer === 1) {
        ctx.copy(x.buffer, 0, out, at * os[axis] * 4, n * 4);
      } else {
        stridedCopy(ctx, x.buffer, out, x.shape, os, at * os[axis], false);
      }
    }
    at += x.shape[axis];
  }
}

/** Record `out = pad(x)`; `value` is the constant's storage bits. */
export function padKernel(
  ctx: KernelContext,
  dtype: DType,
  x: GPUBuffer,
  shape: readonly number[],
  pads: readonly (readonly [number, number])[],
  mode: PadMode,
  valueBits: number,
  out: GPUBuffer,
): void {
  const rank = shape.length;
  const outShape = shape.map((d, i) => d + pads[i][0] + pads[i][1]);
  const n = sizeOf(outShape);
  if (n === 0) return;
  if (sizeOf(shape) === 0 && mode !== "constant") {
    throw new RangeError(`pad(): ${mode} mode needs a non-empty input`);
  }
  const t = wgslType(dtype);
  const k = ctx.kernel(`pad:${mode}:${dtag(dtype)}:${rank}`, 1, 1, () => {
    // P: n, value, outShape[r], inShape[r], before[r], inStrides[r]
    const lines = [
      "  if (gid >= P[0]) { return; }",
      "  var rem_ = gid;",
      "  var off: i32 = 0;",
      "  var inside = true;",
    ];
    for (let d = rank - 1; d >= 0; d--) {
      const os = 2 + d, is = 2 + rank + d, bf = 2 + 2 * rank + d, st = 2 + 3 * rank + d;
      lines.push(`  {
    let dim_ = P[${os}u]; let c_ = i32(rem_ % dim_); rem_ = rem_ / dim_;
    let n_ = i32(P[${is}u]);
    var j = c_ - i32(P[${bf}u]);`);
      if (mode === "constant") {
        lines.push("    if (j < 0 || j >= n_) { inside = false; j = 0; }");
      } else if (mode === "edge") {
        lines.push("    j = clamp(j, 0, n_ - 1);");
      } else {
        // Reflection is even and periodic (period 2(n-1)); no % of a negative (undefined on GL).
        lines.push(`    if (n_ == 1) { j = 0; } else {
      let per = 2 * (n_ - 1);
      j = abs(j) % per;
      if (j >= n_) { j = per - j; }
    }`);
      }
      lines.push(`    off += j * i32(P[${st}u]);
  }`);
    }
    lines.push(
      `  if (inside) { out0[gid] = in0[u32(off)]; } else { out0[gid] = bitcast<${t}>(P[1]); }`,
    );
    return shader({ inputs: [t], outputs: [t], body: lines.join("\n") });
  });
  const p = new Params()
    .u32(n)
    .u32(valueBits)
    .u32s(outShape)
    .u32s(shape)
    .u32s(pads.map((q) => q[0]))
    .u32s(stridesOf(shape))
    .words();
  ctx.dispatch(k, p, [x, out], Math.ceil(n / WG));
}
