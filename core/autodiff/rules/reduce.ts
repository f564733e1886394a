/**
 * VJP rules of the reductions and the cumulative sum:
 * - `reduce.sum`: the cotangent broadcast back over the reduced axes;
 * - `reduce.prod`: `g · Π_{j≠i} x_j`, from exclusive prefix and suffix
 *   products (exact with zeros in `x`);
 * - `reduce.max` / `reduce.min`: the cotangent goes to the positions equal to
 *   the result, divided evenly among ties (JAX's `_reduce_chooser_jvp_rule`);
 * - `cumsum`: a cumulative sum of the cotangent in the other direction.
 *
 * @module
 */

import type { TapeNode } from "../../engine.ts";
import type { Tensor } from "../../tensor.ts";
import {
  pBinary,
  pCast,
  pConcat,
  pCumsum,
  pFill,
  pReduce,
  pReshape,
  pSlice,
  pTranspose,
} from "../../ops/prim.ts";
import { bcast, div, keptShape, mul, registerVjp } from "./util.ts";

registerVjp("reduce.sum", (node, [g]) => {
  const x = node.inputs[0];
  const axes = node.attrs.axes as number[];
  return [bcast(pReshape(g!, keptShape(x.shape, axes)), x.shape)];
});

function chooser(node: TapeNode, g: Tensor): Tensor {
  const x = node.inputs[0];
  const axes = node.attrs.axes as number[];
  const kept = keptShape(x.shape, axes);
  const y = pReshape(node.outputs[0], kept);
  const loc = pCast(pBinary("equal", x, y), x.dtype);
  const counts = pReduce("sum", loc, axes);
  const share = pReshape(div(g, counts), kept);
  return mul(loc, share);
}

registerVjp("reduce.max", (node, [g]) => [chooser(node, g!)]);
registerVjp("reduce.min", (node, [g]) => [chooser(node, g!)]);

/**
 * Exclusive prefix products along the last axis of `t: [m, n]`
 * (`[1, t0, t0·t1, ...]`), by Hillis–Steele doubling: log2(n) multiplies of
 * shifted copies, with recorded ops only.
 */
function exclusiveCumprod(t: Tensor): Tensor {
  const [m, n] = t.shape;
  const ones = (w: number) => pFill(t.backend, [m, w], 1, t.dtype);
  const shift = (u: Tensor, s: number) =>
    pConcat([ones(s), pSlice(u, [0, 0], [m, n - s], [1, 1])], 1);
  if (n <= 1) return ones(n);
  let y = shift(t, 1);
  for (let s = 1; s < n; s *= 2) y = mul(y, shift(y, s));
  return y;
}

/** Reverse the last axis of `t: [m, n]`. */
function flipLast(t: Tensor): Tensor {
  const [m, n] = t.shape;
  return pSlice(t, [0, n - 1], [m, n], [1, -1]);
}

registerVjp("reduce.prod", (node, [g]) => {
  const x = node.inputs[0];
  const axes = node.attrs.axes as number[];
  const keep = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const perm = [...keep, ...axes];
  const moved = pTranspose(x, perm);
  const m = keep.reduce((p, i) => p * x.shape[i], 1);
  const n = axes.reduce((p, i) => p * x.shape[i], 1);
  const flat = pReshape(moved, [m, n]);
  if (n === 0) return [pFill(x.backend, x.shape, 0, x.dtype)];
  // ∂/∂x_i Π x = (Π_{j<i} x_j)(Π_{j>i} x_j)
  const others = mul(exclusiveCumprod(flat), flipLast(exclusiveCumprod(flipLast(flat))));
  const gx = mul(others, pReshape(g!, [m, 1]));
  const inv = perm.map((_, i) => perm.indexOf(i));
  return [pTranspose(pReshape(gx, perm.map((p) => x.shape[p])), inv)];
});

registerVjp("cumsum", (node, [g]) => {
  const { axis, exclusive, reverse } = node.attrs as {
    axis: number;
    exclusive: boolean;
    reverse: boolean;
  };
  return [pCumsum(g!, axis, exclusive, !reverse)];
});
