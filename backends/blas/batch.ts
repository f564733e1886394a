/**
 * Batch geometry for batched BLAS calls: NumPy broadcasting of the leading
 * (batch) dims of two operands, as matrix indices into each operand.
 *
 * @module
 */

import { broadcastShapes } from "../backend.ts";
import { fmtShape } from "./validate.ts";

/** The broadcast batch of two operands. */
export interface BatchPlan {
  /** The broadcast batch shape. */
  readonly shape: number[];
  /** Number of output matrices. */
  readonly count: number;
  /** Number of matrices held by the first operand. */
  readonly countA: number;
  /** Number of matrices held by the second operand. */
  readonly countB: number;
  /** For output matrix `i`, the index of the first operand's matrix. */
  readonly indexA: readonly number[];
  /** For output matrix `i`, the index of the second operand's matrix. */
  readonly indexB: readonly number[];
}

function product(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Matrix index into an operand of batch `own` for each output of batch `out`. */
function indices(own: readonly number[], out: readonly number[], count: number): number[] {
  const idx = new Array<number>(count);
  const rank = out.length;
  const offset = rank - own.length;
  // Strides of `own`, zero where it broadcasts.
  const strides = new Array<number>(rank).fill(0);
  let acc = 1;
  for (let i = own.length - 1; i >= 0; i--) {
    strides[i + offset] = own[i] === 1 ? 0 : acc;
    acc *= own[i];
  }
  const counter = new Array<number>(rank).fill(0);
  let at = 0;
  for (let i = 0; i < count; i++) {
    idx[i] = at;
    for (let d = rank - 1; d >= 0; d--) {
      counter[d]++;
      at += strides[d];
      if (counter[d] < out[d]) break;
      at -= strides[d] * counter[d];
      counter[d] = 0;
    }
  }
  return idx;
}

const SINGLE: readonly number[] = Object.freeze([0]);

/**
 * Broadcast two batch shapes and list, for each output matrix, which matrix
 * of each operand it reads. Throws a `TypeError` when they do not broadcast.
 *
 * @example
 * ```ts
 * import { planBatch } from "./batch.ts";
 * const p = planBatch("matmul", [2, 1], [3]);
 * console.assert(p.count === 6 && p.indexA[4] === 1 && p.indexB[4] === 1);
 * ```
 */
export function planBatch(fn: string, a: readonly number[], b: readonly number[]): BatchPlan {
  if (a.length === 0 && b.length === 0) { // plain matrices: the common case, kept cheap
    return { shape: [], count: 1, countA: 1, countB: 1, indexA: SINGLE, indexB: SINGLE };
  }
  const shape = broadcastShapes(a, b);
  if (shape === null) {
    throw new TypeError(
      `${fn}(): batch dims ${fmtShape(a)} and ${fmtShape(b)} do not broadcast`,
    );
  }
  const count = product(shape);
  return {
    shape,
    count,
    countA: product(a),
    countB: product(b),
    indexA: indices(a, shape, count),
    indexB: indices(b, shape, count),
  };
}
