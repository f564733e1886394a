/**
 * Gradients of reductions, data movement and indexing against central
 * differences (float64, cpu), and JAX's conventions for max/min ties,
 * duplicate scatter indices and clamped gathers.
 */

import assert from "node:assert/strict";
import { checkGrad } from "./check_grad.ts";
import * as o from "../../../core/ops/mod.ts";
import type { Tensor } from "../../../core/tensor.ts";
import { grad } from "../../../core/autodiff/mod.ts";

const M = [[0.3, -1.2, 0.8, 0.15], [1.5, 0.4, -0.7, 2.2], [-0.35, 0.95, 1.1, -1.6]];
const T3 = [[[0.3, -1.2], [0.8, 0.15]], [[1.5, 0.4], [-0.7, 2.2]]];

Deno.test("grad: sum, mean over axes and keepdims", () => {
  checkGrad((x) => o.sum(x), [M]);
  checkGrad((x) => o.sum(x, { axis: 1 }), [M]);
  checkGrad((x) => o.mean(x, { axis: 0, keepdims: true }), [M]);
  checkGrad((x) => o.sum(x, { axis: [0, 2] }), [T3]);
});

Deno.test("grad: prod, including zeros", () => {
  checkGrad((x) => o.prod(x, { axis: 1 }), [M]);
  checkGrad((x) => o.prod(x), [[[0.5, 1.5], [2, -1.25]]]);
  checkGrad((x) => o.prod(x, { axis: [0, 2] }), [T3]);
  // one and two zeros: the product of the others
  using z = o.tensor([2, 0, 3, 4]);
  using g = grad((t: Tensor) => o.prod(t))(z);
  assert.deepEqual([...g.dataSync()], [0, 24, 0, 0]);
  using z2 = o.tensor([0, 5, 0]);
  using g2 = grad((t: Tensor) => o.prod(t))(z2);
  assert.deepEqual([...g2.dataSync()], [0, 0, 0]);
});

Deno.test("grad: max/min go to the argmax, split evenly among ties (JAX)", () => {
  checkGrad((x) => o.max(x, { axis: 1 }), [M]);
  checkGrad((x) => o.min(x, { axis: 0 }), [M]);
  using x = o.tensor([[1, 3, 3], [2, 0, 1]]);
  using g = grad((t: Tensor) => o.sum(o.max(t, { axis: 1 })))(x);
  assert.deepEqual([...g.dataSync()], [0, 0.5, 0.5, 1, 0, 0]);
  using h = grad((t: Tensor) => o.min(t))(x);
  assert.deepEqual([...h.dataSync()], [0, 0, 0, 0, 1, 0]);
});

Deno.test("grad: cumsum forward, reverse, exclusive", () => {
  checkGrad((x) => o.cumsum(x, 1), [M]);
  checkGrad((x) => o.cumsum(x, 0, { reverse: true }), [M]);
  checkGrad((x) => o.cumsum(x, 1, { exclusive: true }), [M]);
  checkGrad((x) => o.cumsum(x, 0, { exclusive: true, reverse: true }), [M]);
  checkGrad((x) => o.cumsum(x), [M]);
});

Deno.test("grad: reshape, transpose, expandDims, squeeze, flatten, swapAxes, moveAxis", () => {
  checkGrad((x) => o.mul(o.reshape(x, [4, 3]), o.reshape(x, [4, 3])), [M]);
  checkGrad((x) => o.reshape(x, [3, 4], { order: "F" }), [M]);
  checkGrad((x) => o.transpose(x, [2, 0, 1]), [T3]);
  checkGrad((x) => o.squeeze(o.expandDims(x, [0, 2])), [M]);
  checkGrad((x) => o.flatten(x), [T3]);
  checkGrad((x) => o.swapAxes(x, 0, 2), [T3]);
  checkGrad((x) => o.moveAxis(x, 0, -1), [T3]);
});

Deno.test("grad: slice, stridedSlice (negative and >1 strides), flip", () => {
  checkGrad((x) => o.slice(x, [1, 1], [2, 2]), [M]);
  checkGrad((x) => o.stridedSlice(x, [null, 3], [null, null], [2, -2]), [M]);
  checkGrad((x) => o.stridedSlice(x, [0, 0], [3, 4], [2, 3]), [M]);
  checkGrad((x) => o.stridedSlice(x, [-1], [null], [-1]), [M]);
  checkGrad((x) => o.stridedSlice(x, [2, 0], [2, 4]), [M]);
  checkGrad((x) => o.flip(x, 1), [M]);
  checkGrad((x) => o.flip(x), [T3]);
});

Deno.test("grad: concat, stack, split, tile, repeat, broadcastTo", () => {
  checkGrad((a, b) => o.concat([a, b, a], 1), [M, [[1], [2], [3]]]);
  checkGrad((a, b) => o.stack([a, b], 1), [M[0], M[1]]);
  checkGrad((x) => o.mul(...(o.split(x, 2, 1) as [Tensor, Tensor])), [M]);
  checkGrad((x) => o.tile(x, [2, 1, 3]), [M]);
  checkGrad((x) => o.repeat(x, [1, 3, 2], 0), [M]);
  checkGrad((x) => o.broadcastTo(x, [2, 3, 4]), [[[0.5], [1.5], [-2]]]);
});

Deno.test("grad: pad constant, edge, reflect", () => {
  checkGrad((x) => o.pad(x, [[1, 2], [0, 3]], { value: 7 }), [M]);
  checkGrad((x) => o.pad(x, [[2, 1], [3, 2]], { mode: "edge" }), [M]);
  checkGrad((x) => o.pad(x, [[2, 1], [3, 2]], { mode: "reflect" }), [M]);
  checkGrad((x) => o.pad(x, [[0, 0], [1, 1]], { mode: "edge" }), [[[0.5], [1.5]]]);
});

Deno.test("grad: take (gather) with repeated, negative and clamped indices", () => {
  checkGrad((x) => o.take(x, [2, 0, 2, -1], 0), [M]);
  checkGrad((x) => o.take(x, [[1, 3], [3, 3]], 1), [M]);
  checkGrad((x) => o.take(x, [5, 0, 11]), [M]);
  // out-of-range indices clamp (JAX): the cotangent goes to the clamped position
  using x = o.tensor([1, 2, 3]);
  using g = grad((t: Tensor) => o.sum(o.take(t, [7, 7, 0])))(x);
  assert.deepEqual([...g.dataSync()], [1, 0, 2]);
});

Deno.test("grad: takeAlongAxis, with broadcasting of x", () => {
  checkGrad((x) => o.takeAlongAxis(x, [[0, 3, 3], [1, 1, 2], [2, 0, 0]], 1), [M]);
  checkGrad((x) => o.takeAlongAxis(x, [[2, 0, 1, 1]], 0), [M]);
  checkGrad((x) => o.takeAlongAxis(x, [[0], [2], [1]], 1), [M]);
});

Deno.test("grad: scatter add and set (duplicates: the last update wins)", () => {
  checkGrad((x, u) => o.scatter(x, [1, 3, 1], u, { axis: 1, mode: "add" }), [
    M,
    [[1, 2, 3], [4, 5, 6], [7, 8, 9]],
  ]);
  checkGrad((x, u) => o.scatter(x, [2, 0], u, { axis: 0 }), [M, M.slice(0, 2)]);
  using x = o.tensor([1, 2, 3, 4]);
  using u = o.tensor([10, 20, 30]);
  const [gx, gu] = grad(
    (a: Tensor, b: Tensor) => o.sum(o.mul(o.scatter(a, [1, 1, 3], b), [1, 2, 3, 4])),
    { argnums: [0, 1] },
  )(x, u);
  assert.deepEqual([...gx.dataSync()], [1, 0, 3, 0]);
  assert.deepEqual([...gu.dataSync()], [0, 2, 4]);
  gx.dispose();
  gu.dispose();
  // dropped out-of-range updates get no gradient
  const [hx, hu] = grad(
    (a: Tensor, b: Tensor) => o.sum(o.scatter(a, [0, 9], b, { mode: "add" })),
    { argnums: [0, 1] },
  )(x, o.tensor([5, 6]));
  assert.deepEqual([...hx.dataSync()], [1, 1, 1, 1]);
  assert.deepEqual([...hu.dataSync()], [1, 0]);
  hx.dispose();
  hu.dispose();
});

Deno.test("grad: sort (via the permutation), topk values, quantile, median", () => {
  checkGrad((x) => o.sort(x), [M]);
  checkGrad((x) => o.sort(x, { axis: 0, descending: true }), [M]);
  checkGrad((x) => o.topk(x, 2).values, [M]);
  checkGrad((x) => o.quantile(x, 0.3, { axis: 1 }), [M]);
  checkGrad((x) => o.median(x), [M]);
});

Deno.test("grad: triangles, diagonals, trace, oneHot masks", () => {
  checkGrad((x) => o.tril(x, -1), [M]);
  checkGrad((x) => o.triu(x, 1), [M]);
  checkGrad((x) => o.diagonal(x), [M]);
  checkGrad((x) => o.diag(x), [[1, 2, 3]]);
  checkGrad((x) => o.trace(x), [M]);
  checkGrad((x) => o.variance(x, { axis: 1, ddof: 1 }), [M]);
  checkGrad((x) => o.std(x), [M]);
  checkGrad((x) => o.norm(x), [M]);
  checkGrad((x) => o.norm(x, { ord: 1, axis: 1 }), [M]);
});
