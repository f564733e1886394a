/**
 * VJP rules of the indexing primitives:
 * - `gather` (take): scatter-add of the cotangent at the (clamped) indices;
 * - `gatherAlong` (take_along_axis), `sort` (through the sorting
 *   permutation) and `topk` (values): an add "put along axis";
 * - `scatter` add: the cotangent passes to `x`, and is gathered for the
 *   updates (0 for dropped out-of-range indices); `scatter` set: `x` gets the
 *   cotangent except at overwritten positions, and only the update that won a
 *   duplicated index receives its cotangent (as JAX).
 *
 * @module
 */

import { stridesOf } from "../../../backends/backend.ts";
import type { Tensor } from "../../tensor.ts";
import { pArgsort, pBinary, pFill, pGather, pReshape, pScatter, pWrite } from "../../ops/prim.ts";
import { maskWhere, registerVjp, zeros } from "./util.ts";

const i32 = (like: Tensor, v: number): Tensor => pFill(like.backend, [], v, "int32");

/** Clamp int32 indices to [0, n − 1], as the gather kernels do. */
function clampIndex(idx: Tensor, n: number): Tensor {
  return pBinary("minimum", pBinary("maximum", idx, i32(idx, 0)), i32(idx, Math.max(n - 1, 0)));
}

/**
 * The transpose of `takeAlongAxis(x, idx, axis)`: a tensor of x's shape with
 * `g[p]` added at `x[..., idx[p], ...]` for every position `p` of `g` (the
 * broadcast output shape); axes where x has size 1 are summed. Works on flat
 * linear indices: Σ_d coord_d · stride_d, with the axis coordinate from idx.
 */
function putAlongAxisAdd(x: Tensor, idx: Tensor, g: Tensor, axis: number): Tensor {
  const out = g.shape, rank = out.length;
  const xs = stridesOf(x.shape);
  let flat = pBinary("mul", clampIndex(idx, x.shape[axis]), i32(idx, xs[axis]));
  for (let d = 0; d < rank; d++) {
    if (d === axis || x.shape[d] === 1 || out[d] === 1) continue;
    const coord = new Int32Array(out[d]);
    for (let i = 0; i < out[d]; i++) coord[i] = i * xs[d];
    const shape = out.map((n, j) => (j === d ? n : 1));
    flat = pBinary("add", flat, pWrite(x.backend, coord, shape, "int32"));
  }
  // broadcast the flat index to g's shape (idx may have size-1 axes)
  const full = pBinary("add", flat, pFill(x.backend, out, 0, "int32"));
  const size = g.size;
  const summed = pScatter(
    zeros(g, [x.size]),
    pReshape(full, [size]),
    pReshape(g, [size]),
    0,
    "add",
  );
  return pReshape(summed, x.shape);
}

registerVjp("gather", (node, [g]) => {
  const [x, idx] = node.inputs;
  const axis = node.attrs.axis as number;
  return [pScatter(zeros(x, x.shape), clampIndex(idx, x.shape[axis]), g!, axis, "add"), null];
});

registerVjp("gatherAlong", (node, [g]) => {
  const [x, idx] = node.inputs;
  return [putAlongAxisAdd(x, idx, g!, node.attrs.axis as number), null];
});

registerVjp("sort", (node, [g]) => {
  const x = node.inputs[0];
  const { axis, descending } = node.attrs as { axis: number; descending: boolean };
  const perm = pArgsort(x, axis, descending);
  return [putAlongAxisAdd(x, perm, g!, axis)];
});

registerVjp("topk", (node, [gv]) => {
  const x = node.inputs[0];
  if (!gv) return [null];
  return [putAlongAxisAdd(x, node.outputs[1], gv, x.rank - 1)];
});

registerVjp("scatter", (node, [g]) => {
  const [x, idx, u] = node.inputs;
  const { axis, mode } = node.attrs as { axis: number; mode: "set" | "add" };
  const n = x.shape[axis];
  // updates' shape = x.shape[:axis] + idx.shape + x.shape[axis+1:]
  const idxB = pReshape(idx, [
    ...new Array<number>(axis).fill(1),
    ...idx.shape,
    ...new Array<number>(x.rank - axis - 1).fill(1),
  ]);
  const valid = pBinary(
    "logicalAnd",
    pBinary("greaterEqual", idxB, i32(idx, 0)),
    pBinary("less", idxB, i32(idx, n)),
  );
  const gathered = pGather(g!, clampIndex(idx, n), axis);
  if (mode === "add") return [g, null, maskWhere(valid, gathered)];
  // set: which update element ended up at its destination (the last duplicate wins)
  const ids = new Int32Array(u.size);
  for (let i = 0; i < ids.length; i++) ids[i] = i;
  const idT = pWrite(x.backend, ids, u.shape, "int32");
  const owner = pScatter(pFill(x.backend, x.shape, -1, "int32"), idx, idT, axis, "set");
  const won = pBinary("equal", pGather(owner, clampIndex(idx, n), axis), idT);
  const gu = maskWhere(pBinary("logicalAnd", won, valid), gathered);
  const gx = pScatter(g!, idx, zeros(g!, u.shape), axis, "set");
  return [gx, null, gu];
});
