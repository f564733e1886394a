/**
 * 2-D convolution front end: option parsing, SAME/VALID padding resolution
 * and shape checks around the backend's `conv2d` primitive.
 *
 * Recorded for autodiff: `"conv2d"` with inputs `[x, w]` (one float dtype)
 * and attrs `{ strides, padding, dilations, groups }` where `padding` is the
 * resolved explicit `[[top, bottom], [left, right]]`.
 *
 * @module
 */

import type { Conv2dOptions } from "../../backends/backend.ts";
import { fmtShape, rangeError, typeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { isFloat, promoteTypes, sameBackend, type TensorLike, toTensor } from "./convert.ts";
import { castTo } from "./linalg_common.ts";
import { kernel, scoped } from "./prim.ts";

/** Explicit padding: one number for all sides, `[h, w]`, or `[[top, bottom], [left, right]]`. */
export type ExplicitPadding =
  | number
  | readonly [number, number]
  | readonly [readonly [number, number], readonly [number, number]];

/** Options of {@link conv2d}. */
export interface Conv2dOpts {
  /** Stride, one number or `[strideH, strideW]`. Default 1. */
  readonly strides?: number | readonly [number, number];
  /**
   * `"VALID"` (no padding; default), `"SAME"` (output size ceil(in / stride),
   * extra padding at the end, as XLA), `"SAME_LOWER"` (extra padding at the
   * start), or explicit zero padding.
   */
  readonly padding?: "VALID" | "SAME" | "SAME_LOWER" | ExplicitPadding;
  /** Kernel dilation, one number or `[dilationH, dilationW]`. Default 1. */
  readonly dilations?: number | readonly [number, number];
  /** Feature groups: C_in and C_out divisible by it (depthwise: groups = C_in). Default 1. */
  readonly groups?: number;
}

function pair(fn: string, name: string, v: number | readonly number[]): [number, number] {
  const p = typeof v === "number" ? [v, v] : [...v];
  if (p.length !== 2 || !p.every((d) => Number.isInteger(d) && d >= 1)) {
    throw rangeError(
      fn,
      `${name} must be a positive integer or a pair of them, got ${JSON.stringify(v)}`,
    );
  }
  return [p[0], p[1]];
}

function padPair(fn: string, v: unknown): [number, number] {
  const p = typeof v === "number" ? [v, v] : v;
  if (!Array.isArray(p) || p.length !== 2 || !p.every((d) => Number.isInteger(d) && d >= 0)) {
    throw rangeError(
      fn,
      `explicit padding must be non-negative integers, got ${JSON.stringify(v)}`,
    );
  }
  return [p[0], p[1]];
}

/**
 * Resolve a padding option to explicit `[[top, bottom], [left, right]]` for
 * an input of spatial size `[h, w]`. SAME: `out = ceil(in / stride)`,
 * `total = max((out − 1)·stride + (k − 1)·dilation + 1 − in, 0)`, the odd
 * pixel after (SAME) or before (SAME_LOWER), as XLA's `padtype_to_pads`.
 *
 * @example
 * ```ts
 * import { resolvePadding } from "../../mod.ts";
 * const p = resolvePadding("SAME", [5, 5], [3, 2], [1, 1], [1, 1]);
 * console.assert(JSON.stringify(p) === "[[1,1],[0,1]]");
 * ```
 */
export function resolvePadding(
  padding: Conv2dOpts["padding"],
  inSize: readonly [number, number],
  kernelSize: readonly [number, number],
  strides: readonly [number, number],
  dilations: readonly [number, number],
): [[number, number], [number, number]] {
  const fn = "conv2d";
  if (padding === undefined || padding === "VALID") return [[0, 0], [0, 0]];
  if (padding === "SAME" || padding === "SAME_LOWER") {
    const side = (i: 0 | 1): [number, number] => {
      const out = Math.ceil(inSize[i] / strides[i]);
      const effK = (kernelSize[i] - 1) * dilations[i] + 1;
      const total = Math.max((out - 1) * strides[i] + effK - inSize[i], 0);
      const small = Math.floor(total / 2);
      return padding === "SAME" ? [small, total - small] : [total - small, small];
    };
    return [side(0), side(1)];
  }
  if (typeof padding === "string") {
    throw rangeError(
      fn,
      `padding must be "VALID", "SAME", "SAME_LOWER" or explicit, got ${JSON.stringify(padding)}`,
    );
  }
  if (typeof padding === "number") {
    const p = padPair(fn, padding);
    return [p, [p[0], p[0]]];
  }
  if (Array.isArray(padding) && padding.length === 2) {
    if (typeof padding[0] === "number") {
      const [ph, pw] = padding as readonly number[];
      return [padPair(fn, ph), padPair(fn, pw)];
    }
    return [padPair(fn, padding[0]), padPair(fn, padding[1])];
  }
  throw rangeError(fn, `cannot read padding ${JSON.stringify(padding)}`);
}

/**
 * 2-D cross-correlation (no kernel flip, as `lax.conv_general_dilated` and
 * every deep-learning "conv"): `x: [N, C, H, W]` (NCHW), `w: [O, C / groups,
 * kh, kw]` (OIHW) → `[N, O, H', W']` with
 * `H' = floor((H + padTop + padBottom − (kh − 1)·dilH − 1) / strideH) + 1`.
 * Integer and bool inputs give float32.
 *
 * @example
 * ```ts
 * import { conv2d } from "../../mod.ts";
 * const x = [[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]];
 * using y = conv2d(x, [[[[1, 0], [0, 1]]]]);
 * console.assert(y.shape.join() === "1,1,2,2" && y.dataSync().join() === "6,8,12,14");
 * using z = conv2d(x, [[[[1]]]], { padding: "SAME", strides: 2 });
 * console.assert(z.dataSync().join() === "1,3,7,9");
 * ```
 */
export function conv2d(x: TensorLike, w: TensorLike, options: Conv2dOpts = {}): Tensor {
  const fn = "conv2d";
  const strides = pair(fn, "strides", options.strides ?? 1);
  const dilations = pair(fn, "dilations", options.dilations ?? 1);
  const groups = options.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1) {
    throw rangeError(fn, `groups must be a positive integer, got ${groups}`);
  }
  return scoped(() => {
    const tx = toTensor(x, fn);
    const tw = toTensor(w, fn, { backend: tx.backend });
    sameBackend(fn, tx, tw);
    if (tx.rank !== 4) {
      throw typeError(fn, `x must be NCHW (rank 4), got shape ${fmtShape(tx.shape)}`);
    }
    if (tw.rank !== 4) {
      throw typeError(fn, `w must be OIHW (rank 4), got shape ${fmtShape(tw.shape)}`);
    }
    const [, c, h, wd] = tx.shape;
    const [o, ci, kh, kw] = tw.shape;
    if (c % groups !== 0 || o % groups !== 0) {
      throw typeError(
        fn,
        `input channels ${c} and output channels ${o} must be divisible by groups ${groups}`,
      );
    }
    if (ci * groups !== c) {
      throw typeError(
        fn,
        `w ${fmtShape(tw.shape)} expects ${
          ci * groups
        } input channels (${ci} per group × ${groups} groups), x ${fmtShape(tx.shape)} has ${c}`,
      );
    }
    const padding = resolvePadding(options.padding, [h, wd], [kh, kw], strides, dilations);
    for (const i of [0, 1] as const) {
      const inP = (i === 0 ? h : wd) + padding[i][0] + padding[i][1];
      const effK = ((i === 0 ? kh : kw) - 1) * dilations[i] + 1;
      if (inP < effK) {
        throw typeError(
          fn,
          `kernel ${
            fmtShape(tw.shape)
          } (dilated size ${effK}) is larger than the padded input (${inP}) on axis ${
            i === 0 ? "H" : "W"
          }`,
        );
      }
    }
    let dtype = promoteTypes(tx.dtype, tw.dtype);
    if (!isFloat(dtype)) dtype = "float32";
    const xf = castTo(tx, dtype), wf = castTo(tw, dtype);
    const resolved: Conv2dOptions = { strides, padding, dilations, groups };
    return kernel(
      "conv2d",
      [xf, wf],
      xf.backend,
      () => xf.backend.conv2d(xf.info, wf.info, resolved),
      () => ({
        strides: [...strides],
        padding: padding.map((p) => [...p]),
        dilations: [...dilations],
        groups,
      }),
    );
  });
}
