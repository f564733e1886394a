/**
 * Structured matrix builders of `ngclearn.utils.model_utils`:
 * `createBlockMatrix` and `eyeWrapped` (spec: model-utils.md).
 *
 * @module
 */

import { tidy } from "../../core/engine.ts";
import { fmtShape, typeError } from "../../core/errors.ts";
import type { Tensor } from "../../core/tensor.ts";
import { type TensorLike, toTensor } from "../../core/ops/convert.ts";
import { cast, expandDims, eye, greater, mul, oneHot, reshape, sub } from "../../core/ops/mod.ts";
import { checkInt, checkNumber, checkRank, floatInput } from "./common.ts";

/** Options of {@link createBlockMatrix}. */
export interface CreateBlockMatrixOptions {
  /** Off-diagonal entries of a block are `−alphaInh` (default −1, giving +1). */
  readonly alphaInh?: number;
  /** Diagonal entries of a block (default 1). */
  readonly alphaExc?: number;
}

/**
 * Tile a block per positive entry of `mapMatrix` (R x C): the output
 * (R·gh x C·gw) has tile (r, c) equal to
 * `block = eye(gh, gw)·alphaExc − (1 − eye(gh, gw))·alphaInh` where
 * `mapMatrix[r][c] > 0`, else zeros. With the defaults the block is all ones
 * (−(−1) = +1 off the diagonal), as in ngclearn.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { createBlockMatrix } from "./blocks.ts";
 * using y = createBlockMatrix([[1, 0]], [2, 2], { alphaInh: 0.5, alphaExc: 2 });
 * console.assert(y.shape.join() === "2,4" && y.dataSync().join() === "2,-0.5,0,0,-0.5,2,0,0");
 * ```
 */
export function createBlockMatrix(
  mapMatrix: TensorLike,
  groupShape: readonly [number, number],
  options: CreateBlockMatrixOptions = {},
): Tensor {
  const fn = "createBlockMatrix";
  if (!Array.isArray(groupShape) || groupShape.length !== 2) {
    throw typeError(
      fn,
      `groupShape must be a pair [rows, cols], got ${JSON.stringify(groupShape)}`,
    );
  }
  const gh = checkInt(fn, "groupShape[0]", groupShape[0], 1);
  const gw = checkInt(fn, "groupShape[1]", groupShape[1], 1);
  const inh = checkNumber(fn, "alphaInh", options.alphaInh ?? -1);
  const exc = checkNumber(fn, "alphaExc", options.alphaExc ?? 1);
  return tidy(() => {
    const map = floatInput(fn, mapMatrix);
    checkRank(fn, "mapMatrix", map, 2);
    const [R, C] = map.shape;
    const I = eye(gh, { m: gw, dtype: map.dtype, backend: map.backend });
    const block = sub(mul(I, exc), mul(sub(1, I), inh));
    const on = cast(greater(map, 0), map.dtype);
    // kron(on, block): [R, 1, C, 1] · [1, gh, 1, gw] → [R·gh, C·gw]
    const tiles = mul(reshape(on, [R, 1, C, 1]), reshape(block, [1, gh, 1, gw]));
    return reshape(tiles, [R * gh, C * gw]);
  });
}

/** Options of {@link eyeWrapped}. */
export interface EyeWrappedOptions {
  /**
   * The values placed on the wrapped diagonal: a number, or N values (1-D).
   * ngclearn requires it; the default here is 1.
   */
  readonly values?: TensorLike;
}

/**
 * An N x N matrix of zeros with `M[i, (i + k) mod N] = values[i]`, the mod
 * being a floor mod (k < 0 wraps below the diagonal).
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { eyeWrapped } from "./blocks.ts";
 * using y = eyeWrapped(3, 1, { values: [1, 2, 3] });
 * console.assert(y.dataSync().join() === "0,1,0,0,0,2,3,0,0");
 * ```
 */
export function eyeWrapped(n: number, k: number, options: EyeWrappedOptions = {}): Tensor {
  const fn = "eyeWrapped";
  checkInt(fn, "N", n, 1);
  checkInt(fn, "k", k, -Infinity);
  return tidy(() => {
    const cols = new Int32Array(n);
    for (let i = 0; i < n; i++) cols[i] = (((i + k) % n) + n) % n;
    let v = floatInput(fn, options.values ?? 1);
    if (v.rank === 1) {
      if (v.shape[0] !== n) {
        throw typeError(
          fn,
          `values must be a number or hold N = ${n} values, got shape ${fmtShape(v.shape)}`,
        );
      }
      v = expandDims(v, 1);
    } else if (v.rank !== 0) {
      throw typeError(fn, `values must be a number or 1-D, got shape ${fmtShape(v.shape)}`);
    }
    const hot = oneHot(toTensor(cols, fn, { backend: v.backend }), n, { dtype: v.dtype });
    return mul(hot, v);
  });
}
