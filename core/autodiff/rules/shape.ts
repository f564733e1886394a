/**
 * VJP rules of the data-movement primitives: `reshape`, `transpose`,
 * `slice` (strided, negative strides included), `concat` and `pad`
 * (constant, edge, reflect). Every composite of `core/ops` built on them
 * (expandDims, squeeze, flatten, flip, stack, split, swapAxes, moveAxis,
 * stridedSlice, ...) is differentiated through these.
 *
 * @module
 */

import type { PadMode } from "../../../backends/backend.ts";
import type { Tensor } from "../../tensor.ts";
import { pPad, pReshape, pScatter, pSlice, pTranspose } from "../../ops/prim.ts";
import { intConst, registerVjp, zeros } from "./util.ts";

registerVjp("reshape", (node, [g]) => [pReshape(g!, node.inputs[0].shape)]);

registerVjp("transpose", (node, [g]) => {
  const perm = node.attrs.perm as number[];
  const inv = perm.map((_, i) => perm.indexOf(i));
  return [pTranspose(g!, inv)];
});

/** Reverse `t` along `axis`. */
function flipAxis(t: Tensor, axis: number): Tensor {
  const begin = t.shape.map((d, i) => (i === axis ? d - 1 : 0));
  const strides = t.shape.map((_, i) => (i === axis ? -1 : 1));
  return pSlice(t, begin, [...t.shape], strides);
}

/** Insert `s − 1` zeros between consecutive entries along `axis` (length n → (n−1)·s + 1). */
function dilateAxis(t: Tensor, axis: number, s: number): Tensor {
  const n = t.shape[axis];
  const split = [...t.shape.slice(0, axis + 1), 1, ...t.shape.slice(axis + 1)];
  const pads = split.map((_, i): [number, number] => (i === axis + 1 ? [0, s - 1] : [0, 0]));
  const spread = pPad(pReshape(t, split), pads, "constant", 0);
  const merged = [...t.shape];
  merged[axis] = n * s;
  const size = [...t.shape];
  size[axis] = (n - 1) * s + 1;
  return pSlice(pReshape(spread, merged), t.shape.map(() => 0), size, t.shape.map(() => 1));
}

// x[begin + k·stride] = y[k]: put the cotangent back at those positions, zeros elsewhere
registerVjp("slice", (node, [g]) => {
  const x = node.inputs[0];
  const { begin, size, strides } = node.attrs as {
    begin: number[];
    size: number[];
    strides: number[];
  };
  if (size.some((n) => n === 0)) return [zeros(x, x.shape)];
  let c = g!;
  const pads: [number, number][] = [];
  for (let i = 0; i < x.rank; i++) {
    let b = begin[i], s = strides[i];
    const n = size[i];
    if (s < 0) {
      c = flipAxis(c, i);
      b += (n - 1) * s;
      s = -s;
    }
    if (s > 1 && n > 1) c = dilateAxis(c, i, s);
    const len = c.shape[i];
    pads.push([b, x.shape[i] - b - len]);
  }
  return [pads.every(([l, h]) => l === 0 && h === 0) ? c : pPad(c, pads, "constant", 0)];
});

registerVjp("concat", (node, [g]) => {
  const axis = node.attrs.axis as number;
  let offset = 0;
  return node.inputs.map((x) => {
    const begin = x.shape.map((_, i) => (i === axis ? offset : 0));
    offset += x.shape[axis];
    return pSlice(g!, begin, [...x.shape], x.shape.map(() => 1));
  });
});

/** Source index along one axis for each padded position (NumPy edge/reflect). */
function padSource(n: number, before: number, after: number, mode: PadMode): Int32Array {
  const m = new Int32Array(before + n + after);
  const period = 2 * (n - 1);
  for (let j = 0; j < m.length; j++) {
    const i = j - before;
    if (i >= 0 && i < n) m[j] = i;
    else if (mode === "edge" || n === 1) m[j] = i < 0 ? 0 : n - 1;
    else {
      const r = ((i % period) + period) % period;
      m[j] = r < n ? r : period - r;
    }
  }
  return m;
}

registerVjp("pad", (node, [g]) => {
  const x = node.inputs[0];
  const pads = node.attrs.pads as [number, number][];
  const mode = node.attrs.mode as PadMode;
  if (mode === "constant") {
    return [pSlice(g!, pads.map((p) => p[0]), [...x.shape], x.shape.map(() => 1))];
  }
  // edge / reflect: each padded position adds its cotangent to its source (axis by axis)
  let c = g!;
  pads.forEach(([lo, hi], axis) => {
    if (lo === 0 && hi === 0) return;
    const n = x.shape[axis];
    const src = intConst(x, padSource(n, lo, hi, mode), [lo + n + hi]);
    const shape = [...c.shape];
    shape[axis] = n;
    c = pScatter(zeros(c, shape), src, c, axis, "add");
  });
  return [c];
});
