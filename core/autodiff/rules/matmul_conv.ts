/**
 * VJP rules of `matmul` (with its transpose flags and batch broadcasting)
 * and `conv2d` (NCHW/OIHW, strides, explicit padding, dilations, groups).
 *
 * conv2d, with `y[n,o,i,j] = Σ_{c,p,q} x[n, c, i·s + p·d − pad, ...] · w[o,c,p,q]`:
 * - `x̄` is a stride-1 convolution of the cotangent dilated by the stride
 *   (zeros inserted), padded by `(k−1)·d − pad` before, with the kernel
 *   flipped spatially and its in/out channels swapped per group;
 * - `w̄` is a convolution of the padded input (channels as batch, the batch
 *   as channels) with the cotangent as kernel, stride `d` and dilation `s`.
 *
 * @module
 */

import type { Tensor } from "../../tensor.ts";
import { conv2d } from "../../ops/conv.ts";
import { matmul } from "../../ops/matmul.ts";
import { pPad, pReshape, pSlice, pTranspose } from "../../ops/prim.ts";
import { registerVjp, unbroadcast } from "./util.ts";

registerVjp("matmul", (node, [g]) => {
  const [a, b] = node.inputs;
  const { transposeA: tA, transposeB: tB } = node.attrs as {
    transposeA: boolean;
    transposeB: boolean;
  };
  // with A = op(a), B = op(b): Ā = ḡ Bᵀ, B̄ = Aᵀ ḡ, transposed back where op transposes
  const ga = tA
    ? matmul(b, g!, { transposeA: tB, transposeB: true })
    : matmul(g!, b, { transposeB: !tB });
  const gb = tB
    ? matmul(g!, a, { transposeA: true, transposeB: tA })
    : matmul(a, g!, { transposeA: !tA });
  return [unbroadcast(ga, a.shape), unbroadcast(gb, b.shape)];
});

type Pair = [number, number];

/** Insert `s − 1` zeros between pixels of `[N, C, H, W]` along H and W. */
function dilateSpatial(t: Tensor, s: Pair): Tensor {
  if (s[0] === 1 && s[1] === 1) return t;
  const [n, c, h, w] = t.shape;
  const spread = pPad(
    pReshape(t, [n, c, h, 1, w, 1]),
    [[0, 0], [0, 0], [0, 0], [0, s[0] - 1], [0, 0], [0, s[1] - 1]],
    "constant",
    0,
  );
  const merged = pReshape(spread, [n, c, h * s[0], w * s[1]]);
  return pSlice(merged, [0, 0, 0, 0], [n, c, (h - 1) * s[0] + 1, (w - 1) * s[1] + 1], [
    1,
    1,
    1,
    1,
  ]);
}

registerVjp("conv2d", (node, [g]) => {
  const [x, w] = node.inputs;
  const { strides, padding, dilations, groups } = node.attrs as {
    strides: Pair;
    padding: [Pair, Pair];
    dilations: Pair;
    groups: number;
  };
  const [nb, c, h, wd] = x.shape;
  const [o, cg, kh, kw] = w.shape;
  const og = o / groups;
  const ks: Pair = [kh, kw], sizes: Pair = [h, wd];

  // ---- x̄: stride-1 conv of the dilated cotangent with the flipped, channel-swapped kernel
  let gd = dilateSpatial(g!, strides);
  const begin = [0, 0, 0, 0], pads: [Pair, Pair] = [[0, 0], [0, 0]];
  const size = [...gd.shape];
  for (const i of [0, 1] as const) {
    const len = gd.shape[2 + i];
    const before = (ks[i] - 1) * dilations[i] - padding[i][0];
    const after = sizes[i] - len + padding[i][0];
    if (before < 0) begin[2 + i] = -before;
    pads[i] = [Math.max(before, 0), Math.max(after, 0)];
    size[2 + i] = len - Math.max(-before, 0) - Math.max(-after, 0);
  }
  if (size[2] !== gd.shape[2] || size[3] !== gd.shape[3]) {
    gd = pSlice(gd, begin, size, [1, 1, 1, 1]);
  }
  const wSwap = pReshape(
    pTranspose(pReshape(w, [groups, og, cg, kh, kw]), [0, 2, 1, 3, 4]),
    [c, og, kh, kw],
  );
  const wFlip = pSlice(wSwap, [0, 0, kh - 1, kw - 1], [c, og, kh, kw], [1, 1, -1, -1]);
  const gx = conv2d(gd, wFlip, { padding: pads, dilations, groups });

  // ---- w̄: input channels as batch, batch as channels, cotangent as kernel
  const x2 = pReshape(
    pTranspose(pReshape(x, [nb, groups, cg, h, wd]), [2, 1, 0, 3, 4]),
    [cg, groups * nb, h, wd],
  );
  const g2 = pTranspose(g!, [1, 0, 2, 3]);
  const full = conv2d(x2, g2, {
    strides: dilations,
    padding,
    dilations: strides,
    groups,
  });
  const gwT = pSlice(full, [0, 0, 0, 0], [cg, o, kh, kw], [1, 1, 1, 1]);
  return [gx, pTranspose(gwT, [1, 0, 2, 3])];
});
