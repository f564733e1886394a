/**
 * Shared plumbing of the linear-algebra ops (`matmul.ts`, `decomp.ts`,
 * `solve.ts`, `conv.ts`): float operands, matrix shape checks, batch-dim
 * broadcasting, the last-two-axes transpose and machine epsilon.
 *
 * @module
 */

import { broadcastShapes, type DType } from "../../backends/backend.ts";
import { fmtShape, typeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { isFloat, type TensorLike, toTensor } from "./convert.ts";
import { pCast, pTranspose } from "./prim.ts";
import { broadcastTo } from "./shape.ts";

/**
 * Convert `x` to a tensor and make it float: int and bool inputs are cast to
 * float32 (as `jnp.linalg` promotes them). Call inside a `scoped()` block:
 * the converted tensor is a temporary.
 *
 * @example
 * ```ts
 * import "../../backends/registry.ts";
 * import { floatOperand } from "./linalg_common.ts";
 * using t = floatOperand("demo", [1, 2]);
 * console.assert(t.dtype === "float32");
 * ```
 */
export function floatOperand(fn: string, x: TensorLike): Tensor {
  const t = toTensor(x, fn);
  return isFloat(t.dtype) ? t : pCast(t, "float32");
}

/**
 * Cast `t` to `dtype` when it differs (a no-op otherwise).
 *
 * @example
 * ```ts
 * import "../../backends/registry.ts";
 * import { castTo } from "./linalg_common.ts";
 * import { tensor } from "./creation.ts";
 * using t = tensor([1, 2]);
 * using d = castTo(t, "float64");
 * console.assert(d.dtype === "float64");
 * ```
 */
export function castTo(t: Tensor, dtype: DType): Tensor {
  return t.dtype === dtype ? t : pCast(t, dtype);
}

/**
 * Throw a TypeError unless `t` has rank ≥ 2 (and is square in its last two
 * dims when `square`).
 *
 * @example
 * ```ts
 * import "../../backends/registry.ts";
 * import { checkMatrix } from "./linalg_common.ts";
 * import { zeros } from "./creation.ts";
 * using z = zeros([2, 3]);
 * let threw = false;
 * try { checkMatrix("inv", "a", z, true); } catch (e) { threw = e instanceof TypeError; }
 * console.assert(threw);
 * ```
 */
export function checkMatrix(fn: string, name: string, t: Tensor, square: boolean): void {
  if (t.rank < 2) {
    throw typeError(
      fn,
      `${name} must have rank >= 2 ([..., m, n]), got shape ${fmtShape(t.shape)}`,
    );
  }
  const m = t.shape[t.rank - 2], n = t.shape[t.rank - 1];
  if (square && m !== n) {
    throw typeError(
      fn,
      `${name} must be square in its last two dims, got shape ${fmtShape(t.shape)}`,
    );
  }
}

/**
 * Broadcast the batch (leading) dims of two matrix operands to one batch
 * shape; the last `coreA`/`coreB` dims of each stay as they are. Operands that
 * already have the batch shape are returned unchanged.
 *
 * @example
 * ```ts
 * import "../../backends/registry.ts";
 * import { broadcastBatch } from "./linalg_common.ts";
 * import { zeros } from "./creation.ts";
 * using a = zeros([4, 1, 2, 2]);
 * using b = zeros([3, 2, 5]);
 * const [a2, b2] = broadcastBatch("demo", a, b, 2, 2);
 * console.assert(a2.shape.join() === "4,3,2,2" && b2.shape.join() === "4,3,2,5");
 * a2.dispose();
 * b2.dispose();
 * ```
 */
export function broadcastBatch(
  fn: string,
  a: Tensor,
  b: Tensor,
  coreA: number,
  coreB: number,
): [Tensor, Tensor] {
  const ba = a.shape.slice(0, a.rank - coreA);
  const bb = b.shape.slice(0, b.rank - coreB);
  const batch = broadcastShapes(ba, bb);
  if (batch === null) {
    throw typeError(
      fn,
      `batch dims ${fmtShape(ba)} and ${fmtShape(bb)} do not broadcast (shapes ${
        fmtShape(a.shape)
      } and ${fmtShape(b.shape)})`,
    );
  }
  return [expandBatch(a, batch, coreA), expandBatch(b, batch, coreB)];
}

/** Broadcast `t`'s leading dims to `batch` (a recorded broadcast, so gradients sum back). */
function expandBatch(t: Tensor, batch: readonly number[], core: number): Tensor {
  const target = [...batch, ...t.shape.slice(t.rank - core)];
  if (target.length === t.rank && target.every((d, i) => d === t.shape[i])) return t;
  return broadcastTo(t, target);
}

/**
 * Swap the last two axes (`x.mT` in NumPy).
 *
 * @example
 * ```ts
 * import "../../backends/registry.ts";
 * import { swapLast } from "./linalg_common.ts";
 * import { tensor } from "./creation.ts";
 * using x = tensor([[1, 2, 3]]);
 * using t = swapLast(x);
 * console.assert(t.shape.join() === "3,1");
 * ```
 */
export function swapLast(x: Tensor): Tensor {
  const perm = Array.from({ length: x.rank }, (_, i) => i);
  perm[x.rank - 2] = x.rank - 1;
  perm[x.rank - 1] = x.rank - 2;
  return pTranspose(x, perm);
}

/**
 * Machine epsilon of a float dtype (`jnp.finfo(dtype).eps`): 2⁻²³ for
 * float32, 2⁻⁵² for float64.
 *
 * @example
 * ```ts
 * import "../../backends/registry.ts";
 * import { epsOf } from "./linalg_common.ts";
 * console.assert(epsOf("float32") === 2 ** -23);
 * ```
 */
export function epsOf(dtype: DType): number {
  return dtype === "float64" ? 2 ** -52 : 2 ** -23;
}
