/**
 * 2-D cross-correlation of the cpu backend (as `jax.lax.conv_general_dilated`
 * with NCHW input, OIHW weights and explicit zero padding):
 *
 *   out[n, o, y, x] = Σ_{c ∈ group(o)} Σ_{i, j}
 *     w[o, c - g·Cg, i, j] · in[n, c, y·sh + i·dh - pt, x·sw + j·dw - pl]
 *
 * with out-of-range input reading 0, `Ho = ⌊(H + pt + pb - dh·(kh-1) - 1)/sh⌋ + 1`
 * (same for `Wo`). Groups with several output channels run im2col + the
 * blocked {@link gemmUnchecked} (a 1 × 1, stride-1, unpadded convolution
 * needs no im2col at all); groups with fewer (depthwise with multiplier 1,
 * the ngclearn filters) run a direct loop whose bounds are hoisted out of the
 * inner loops: 4 neighbouring outputs sum their windows in locals, sliding
 * one register window along the row at stride 1 (3-tap rows unrolled).
 *
 * @module
 */

import type { Conv2dOptions, DType } from "../backend.ts";
import { type FloatArray, gemmUnchecked } from "./gemm.ts";

/** Result of {@link conv2dKernel}: row-major values and their shape. */
export interface Conv2dResult {
  /** Output values `[N, O, Ho, Wo]`, of the input dtype. */
  readonly values: FloatArray;
  /** `[N, O, Ho, Wo]`. */
  readonly shape: number[];
}

/** Output channels per group from which im2col + gemm beats the direct loop. */
const GEMM_MIN_OG = 4;
/** Target size (elements) of one im2col chunk (2 MiB of float64). */
const COL_CHUNK = 1 << 18;

/** The validated geometry of one convolution. */
interface Geometry {
  n: number;
  c: number;
  h: number;
  w: number;
  o: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  dh: number;
  dw: number;
  pt: number;
  pl: number;
  ho: number;
  wo: number;
  groups: number;
  cg: number;
  og: number;
}

/**
 * 2-D cross-correlation, NCHW input `[N, C, H, W]`, OIHW weights
 * `[O, C/groups, kh, kw]`, output `[N, O, Ho, Wo]` (an output dim is 0 when
 * the padded input is smaller than the dilated kernel). Sums run in float64;
 * float32 results are rounded on store. Padding may be negative (crops).
 *
 * @throws {TypeError} on a non-float dtype, arrays that do not match their
 *   dtype or shape, ranks other than 4, a weight shape that does not match
 *   the channels, or channels not divisible by `groups`.
 * @throws {RangeError} when strides, dilations or groups are not integers
 *   ≥ 1, or padding is not integer.
 *
 * @example
 * ```ts
 * import { conv2dKernel } from "./conv.ts";
 * const x = new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 9]); // [1, 1, 3, 3]
 * const w = new Float32Array([1, 0, 0, 1]); // [1, 1, 2, 2]: x[y, x] + x[y+1, x+1]
 * const r = conv2dKernel(x, [1, 1, 3, 3], w, [1, 1, 2, 2], "float32", {
 *   strides: [1, 1],
 *   padding: [[0, 0], [0, 0]],
 *   dilations: [1, 1],
 *   groups: 1,
 * });
 * console.assert(r.shape.join() === "1,1,2,2" && r.values.join() === "6,8,12,14");
 * ```
 */
export function conv2dKernel(
  x: FloatArray,
  xShape: readonly number[],
  w: FloatArray,
  wShape: readonly number[],
  dtype: DType,
  options: Conv2dOptions,
): Conv2dResult {
  const g = geometry(x, xShape, w, wShape, dtype, options);
  const shape = [g.n, g.o, g.ho, g.wo];
  const size = g.n * g.o * g.ho * g.wo;
  const out = dtype === "float64" ? new Float64Array(size) : new Float32Array(size);
  if (size === 0) return { values: out, shape };
  const k = g.cg * g.kh * g.kw;
  if (k === 0) return { values: out, shape }; // no input channels: all zeros
  const useGemm = g.og >= GEMM_MIN_OG;
  // Scratch: the direct loop's float64 output plane, or one im2col chunk of
  // whole output rows (none for a plain 1 × 1 convolution).
  const rows = Math.max(1, Math.min(g.ho, Math.floor(COL_CHUNK / (k * g.wo))));
  const scratch = new Float64Array(
    !useGemm ? g.ho * g.wo : isPointwise(g) ? 0 : k * rows * g.wo,
  );
  for (let b = 0; b < g.n; b++) {
    for (let grp = 0; grp < g.groups; grp++) {
      if (useGemm) convGemm(x, w, out, g, b, grp, rows, scratch);
      else convDirect(x, w, out, g, b, grp, scratch);
    }
  }
  return { values: out, shape };
}

/** Validate everything and derive the output size. */
function geometry(
  x: FloatArray,
  xShape: readonly number[],
  w: FloatArray,
  wShape: readonly number[],
  dtype: DType,
  options: Conv2dOptions,
): Geometry {
  if (dtype !== "float32" && dtype !== "float64") {
    throw new TypeError(`conv2d(): dtype must be float32 or float64, got ${dtype}`);
  }
  checkOperand("x", x, xShape, dtype);
  checkOperand("w", w, wShape, dtype);
  const { strides, padding, dilations, groups } = options;
  for (const [name, v] of [["strides", strides], ["dilations", dilations]] as const) {
    if (v?.length !== 2 || !v.every((s) => Number.isInteger(s) && s >= 1)) {
      throw new RangeError(`conv2d(): ${name} must be two integers >= 1, got ${str(v)}`);
    }
  }
  const pads = padding?.length === 2 ? [...padding[0] ?? [], ...padding[1] ?? []] : [];
  if (pads.length !== 4 || !pads.every((p) => Number.isInteger(p))) {
    throw new RangeError(
      `conv2d(): padding must be [[top, bottom], [left, right]] integers, got ${str(padding)}`,
    );
  }
  if (!Number.isInteger(groups) || groups < 1) {
    throw new RangeError(`conv2d(): groups must be an integer >= 1, got ${groups}`);
  }
  const [n, c, h, wd] = xShape;
  const [o, cw, kh, kw] = wShape;
  if (c % groups !== 0 || o % groups !== 0) {
    throw new TypeError(
      `conv2d(): input channels ${c} and output channels ${o} must be divisible by groups ${groups}`,
    );
  }
  if (cw * groups !== c) {
    throw new TypeError(
      `conv2d(): weights ${str(wShape)} need ${cw * groups} input channels ` +
        `(${cw} per group × ${groups} groups), input ${str(xShape)} has ${c}`,
    );
  }
  const [sh, sw] = strides, [dh, dw] = dilations;
  const [pt, pb, pl, pr] = pads;
  // Ho = ⌊(H + pt + pb - dh·(kh-1) - 1)/sh⌋ + 1, at least 0.
  const ho = Math.max(0, Math.floor((h + pt + pb - dh * (kh - 1) - 1) / sh) + 1);
  const wo = Math.max(0, Math.floor((wd + pl + pr - dw * (kw - 1) - 1) / sw) + 1);
  return {
    n,
    c,
    h,
    w: wd,
    o,
    kh,
    kw,
    sh,
    sw,
    dh,
    dw,
    pt,
    pl,
    ho,
    wo,
    groups,
    cg: cw,
    og: o / groups,
  };
}

/** Dtype, rank and length checks of one operand. */
function checkOperand(name: string, v: FloatArray, shape: readonly number[], dtype: DType): void {
  const ok = dtype === "float32" ? v instanceof Float32Array : v instanceof Float64Array;
  if (!ok) {
    throw new TypeError(`conv2d(): ${name} values are a ${v?.constructor?.name}, not ${dtype}`);
  }
  if (shape.length !== 4 || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new TypeError(
      `conv2d(): ${name} must have rank 4 (${name === "x" ? "NCHW" : "OIHW"}), got ${str(shape)}`,
    );
  }
  const size = shape[0] * shape[1] * shape[2] * shape[3];
  if (size !== v.length) {
    throw new TypeError(
      `conv2d(): ${name} has ${v.length} values, shape ${str(shape)} needs ${size}`,
    );
  }
}

/**
 * Output positions `[lo, hi)` along one axis whose input index
 * `pos·stride + tap·dil - pad` lies in `[0, size)`.
 */
function validRange(
  tap: number,
  dil: number,
  pad: number,
  stride: number,
  size: number,
  outSize: number,
): [number, number] {
  const shift = tap * dil - pad; // input = pos·stride + shift
  const lo = Math.min(outSize, Math.max(0, Math.ceil(-shift / stride)));
  const hi = Math.min(outSize, Math.floor((size - 1 - shift) / stride) + 1);
  return [lo, Math.max(lo, hi)];
}

/**
 * Direct loop for one (batch, group): for each output channel and input
 * channel, each output pixel sums its kernel window in locals, then adds to a
 * float64 plane that is stored at the end. Along an output row, the columns
 * whose kernel window lies inside the input columns (all of them for VALID
 * padding) run 4 outputs at a time (one weight load per 4 multiply-adds; at
 * stride 1 without dilation also one input load, the windows overlapping);
 * the few border columns check each tap. Kernel rows outside the input are
 * skipped by a per-row range.
 */
function convDirect(
  x: FloatArray,
  w: FloatArray,
  out: FloatArray,
  g: Geometry,
  b: number,
  grp: number,
  acc: Float64Array,
): void {
  const { h, w: wd, kh, kw, sh, sw, dh, dw, pt, pl, ho, wo, cg, og } = g;
  const plane = h * wd;
  // Interior columns [xa, xb): every tap j has x·sw + j·dw - pl in [0, W).
  const xa = validRange(0, dw, pl, sw, wd, wo)[0];
  const xb = Math.max(xa, validRange(kw - 1, dw, pl, sw, wd, wo)[1]);
  const unit = sw === 1 && dw === 1;
  for (let oc = grp * og; oc < (grp + 1) * og; oc++) {
    acc.fill(0);
    for (let ci = 0; ci < cg; ci++) {
      const xBase = (b * g.c + grp * cg + ci) * plane;
      const wBase = (oc * cg + ci) * kh * kw;
      for (let y = 0; y < ho; y++) {
        // Kernel rows i with input row y·sh + i·dh - pt in [0, H).
        const top = y * sh - pt;
        const iLo = Math.max(0, Math.ceil(-top / dh));
        const iHi = Math.min(kh, Math.floor((h - 1 - top) / dh) + 1);
        if (iLo >= iHi) continue;
        // Element (i, j) of the window of column x: x[src + i·dh·W + x·sw + j·dw].
        const src = xBase + top * wd - pl;
        const row = y * wo;
        let xo = xa;
        for (; xo + 4 <= xb; xo += 4) {
          let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
          for (let i = iLo; i < iHi; i++) {
            const wRow = wBase + i * kw;
            let q = src + i * dh * wd + xo * sw;
            if (unit && kw === 3) {
              // The common 3-tap row, unrolled: 6 inputs feed 4 windows.
              const w0 = w[wRow], w1 = w[wRow + 1], w2 = w[wRow + 2];
              const a0 = x[q], a1 = x[q + 1], a2 = x[q + 2];
              const a3 = x[q + 3], a4 = x[q + 4], a5 = x[q + 5];
              s0 += w0 * a0 + w1 * a1 + w2 * a2;
              s1 += w0 * a1 + w1 * a2 + w2 * a3;
              s2 += w0 * a2 + w1 * a3 + w2 * a4;
              s3 += w0 * a3 + w1 * a4 + w2 * a5;
            } else if (unit) {
              // Stride 1, no dilation: the 4 windows overlap, so slide a
              // register window (one input load per 4 multiply-adds).
              let a0 = x[q], a1 = x[q + 1], a2 = x[q + 2];
              for (let j = 0; j < kw; j++) {
                const a3 = x[q + j + 3];
                const wv = w[wRow + j];
                s0 += wv * a0;
                s1 += wv * a1;
                s2 += wv * a2;
                s3 += wv * a3;
                a0 = a1;
                a1 = a2;
                a2 = a3;
              }
            } else {
              for (let j = 0; j < kw; j++, q += dw) {
                const wv = w[wRow + j];
                s0 += wv * x[q];
                s1 += wv * x[q + sw];
                s2 += wv * x[q + 2 * sw];
                s3 += wv * x[q + 3 * sw];
              }
            }
          }
          acc[row + xo] += s0;
          acc[row + xo + 1] += s1;
          acc[row + xo + 2] += s2;
          acc[row + xo + 3] += s3;
        }
        for (; xo < xb; xo++) {
          let s = 0;
          for (let i = iLo; i < iHi; i++) {
            const wRow = wBase + i * kw;
            for (let j = 0, q = src + i * dh * wd + xo * sw; j < kw; j++, q += dw) {
              s += w[wRow + j] * x[q];
            }
          }
          acc[row + xo] += s;
        }
        for (let xc = 0; xc < xa; xc++) {
          acc[row + xc] += borderSum(x, w, g, src, wBase, iLo, iHi, xc);
        }
        for (let xc = xb; xc < wo; xc++) {
          acc[row + xc] += borderSum(x, w, g, src, wBase, iLo, iHi, xc);
        }
      }
    }
    out.set(acc, (b * g.o + oc) * ho * wo);
  }
}

/** Window sum of a border column `xc`, skipping taps in the left/right padding. */
function borderSum(
  x: FloatArray,
  w: FloatArray,
  g: Geometry,
  src: number,
  wBase: number,
  iLo: number,
  iHi: number,
  xc: number,
): number {
  const { w: wd, kw, sw, dh, dw, pl } = g;
  let s = 0;
  for (let i = iLo; i < iHi; i++) {
    const q0 = src + i * dh * wd + pl;
    for (let j = 0; j < kw; j++) {
      const col = xc * sw + j * dw - pl;
      if (col >= 0 && col < wd) s += w[wBase + i * kw + j] * x[q0 + col];
    }
  }
  return s;
}

/** A 1 × 1, stride-1, unpadded convolution: the input planes are the column matrix. */
function isPointwise(g: Geometry): boolean {
  return g.kh === 1 && g.kw === 1 && g.sh === 1 && g.sw === 1 && g.pt === 0 && g.pl === 0 &&
    g.ho === g.h && g.wo === g.w;
}

/**
 * im2col + gemm for one (batch, group), in chunks of whole output rows:
 * `out[og, pixels] = W[og, Cg·kh·kw] · col[Cg·kh·kw, pixels]`, `rows`
 * output rows per chunk in `col`.
 */
function convGemm(
  x: FloatArray,
  w: FloatArray,
  out: FloatArray,
  g: Geometry,
  b: number,
  grp: number,
  rows: number,
  col: Float64Array,
): void {
  const { h, w: wd, kh, kw, ho, wo, cg, og } = g;
  const k = cg * kh * kw;
  const xBase = (b * g.c + grp * cg) * h * wd;
  const wBase = grp * og * k;
  const outBase = (b * g.o + grp * og) * ho * wo;
  if (isPointwise(g)) {
    // 1 × 1 convolution: the input planes already are the column matrix.
    const hw = h * wd;
    gemmUnchecked(false, false, og, hw, k, 1, w, wBase, k, x, xBase, hw, 0, out, outBase, ho * wo);
    return;
  }
  for (let y0 = 0; y0 < ho; y0 += rows) {
    const nRows = Math.min(rows, ho - y0);
    const cols = nRows * wo;
    im2col(x, xBase, g, y0, nRows, col);
    gemmUnchecked(
      false,
      false,
      og,
      cols,
      k,
      1,
      w,
      wBase,
      k,
      col,
      0,
      cols,
      0,
      out,
      outBase + y0 * wo,
      ho * wo,
    );
  }
}

/**
 * Fill `col[(c·kh + i)·kw + j, (y - y0)·Wo + x] = in[c, y·sh + i·dh - pt,
 * x·sw + j·dw - pl]` (0 outside the input) for output rows `[y0, y0 + nRows)`.
 */
function im2col(
  x: FloatArray,
  xBase: number,
  g: Geometry,
  y0: number,
  nRows: number,
  col: Float64Array,
): void {
  const { h, w: wd, kh, kw, sh, sw, dh, dw, pt, pl, ho, wo, cg } = g;
  const cols = nRows * wo;
  let r = 0;
  for (let c = 0; c < cg; c++) {
    const plane = xBase + c * h * wd;
    for (let i = 0; i < kh; i++) {
      const [yLo, yHi] = validRange(i, dh, pt, sh, h, ho);
      for (let j = 0; j < kw; j++, r++) {
        const [xLo, xHi] = validRange(j, dw, pl, sw, wd, wo);
        const rowBase = r * cols;
        for (let y = y0; y < y0 + nRows; y++) {
          const dst = rowBase + (y - y0) * wo;
          if (y < yLo || y >= yHi || xLo >= xHi) {
            col.fill(0, dst, dst + wo);
            continue;
          }
          if (xLo > 0) col.fill(0, dst, dst + xLo);
          if (xHi < wo) col.fill(0, dst + xHi, dst + wo);
          let src = plane + (y * sh + i * dh - pt) * wd + xLo * sw + j * dw - pl;
          for (let q = dst + xLo, e = dst + xHi; q < e; q++, src += sw) col[q] = x[src];
        }
      }
    }
  }
}

/** Compact JSON for messages. */
function str(v: unknown): string {
  return JSON.stringify(v);
}
