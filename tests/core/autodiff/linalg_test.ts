/**
 * Gradients of matmul, conv2d and the factorizations (and the composites
 * built on them) against central differences (float64, cpu).
 */

import { checkGrad } from "./check_grad.ts";
import * as o from "../../../core/ops/mod.ts";
import type { Tensor } from "../../../core/tensor.ts";
import { randomArray } from "../../helpers.ts";

/** Deterministic nested matrix [m, n] in [-1, 1). */
function mat(m: number, n: number, seed: number): number[][] {
  const v = randomArray(m * n, seed);
  return Array.from({ length: m }, (_, i) => Array.from(v.slice(i * n, i * n + n)));
}

/** A well-conditioned SPD matrix: a aᵀ + n·I. */
function spd(n: number, seed: number): number[][] {
  const a = mat(n, n, seed);
  return a.map((r, i) =>
    r.map((_, j) => a[i].reduce((s, v, q) => s + v * a[j][q], 0) + (i === j ? n : 0))
  );
}

function nd(shape: number[], seed: number): number[] | number[][] | number[][][] | number[][][][] {
  const v = Array.from(randomArray(shape.reduce((a, b) => a * b, 1), seed));
  const build = (d: number, off: number): unknown =>
    d === shape.length - 1
      ? v.slice(off, off + shape[d])
      : Array.from({ length: shape[d] }, (_, i) =>
        build(d + 1, off + i * shape.slice(d + 1).reduce((a, b) => a * b, 1)));
  return build(0, 0) as number[][];
}

Deno.test("grad: matmul with every transpose combination", () => {
  const a = mat(3, 4, 1), at = mat(4, 3, 2), b = mat(4, 2, 3), bt = mat(2, 4, 4);
  checkGrad((x, y) => o.matmul(x, y), [a, b]);
  checkGrad((x, y) => o.matmul(x, y, { transposeA: true }), [at, b]);
  checkGrad((x, y) => o.matmul(x, y, { transposeB: true }), [a, bt]);
  checkGrad((x, y) => o.matmul(x, y, { transposeA: true, transposeB: true }), [at, bt]);
});

Deno.test("grad: matmul with batch broadcasting and 1-D operands", () => {
  checkGrad((x, y) => o.matmul(x, y), [nd([2, 3, 4], 5), mat(4, 2, 6)]);
  checkGrad((x, y) => o.matmul(x, y), [nd([2, 1, 3, 4], 7), nd([3, 4, 2], 8)]);
  checkGrad((x, y) => o.matmul(x, y), [[0.5, -1, 2], mat(3, 2, 9)]);
  checkGrad((x, y) => o.matmul(x, y), [mat(2, 3, 10), [0.5, -1, 2]]);
  checkGrad((x, y) => o.dot(x, y), [[0.5, -1, 2], [1, 2, 3]]);
  checkGrad((x, y) => o.outer(x, y), [[0.5, -1, 2], [1, 2]]);
  checkGrad((x, y) => o.einsum("ij,jk->ik", [x, y]), [mat(2, 3, 11), mat(3, 2, 12)]);
});

const CONVS: [string, number[], number[], o.Conv2dOpts][] = [
  ["valid", [2, 2, 5, 5], [3, 2, 3, 3], {}],
  ["same, stride 2", [1, 2, 6, 5], [2, 2, 3, 2], { padding: "SAME", strides: 2 }],
  ["explicit pads, stride [2, 3]", [1, 1, 7, 8], [2, 1, 2, 3], {
    padding: [[2, 0], [1, 3]],
    strides: [2, 3],
  }],
  ["dilated", [1, 2, 7, 7], [2, 2, 2, 3], { dilations: [2, 1], padding: 1 }],
  ["groups 2", [2, 4, 5, 4], [4, 2, 3, 2], { groups: 2, padding: "SAME" }],
  ["depthwise, stride 2, dilated", [1, 3, 8, 8], [3, 1, 3, 3], {
    groups: 3,
    strides: 2,
    dilations: 2,
    padding: [[3, 1], [0, 2]],
  }],
];

for (const [name, xs, ws, opts] of CONVS) {
  Deno.test(`grad: conv2d ${name}`, () => {
    checkGrad((x, w) => o.conv2d(x, w, opts), [nd(xs, 21), nd(ws, 22)]);
  });
}

Deno.test("grad: cholesky (symmetrised input) and its composites", () => {
  checkGrad((a) => o.cholesky(a), [spd(3, 31)]);
  checkGrad((a) => o.cholesky(a, { upper: true }), [spd(4, 32)]);
  checkGrad((a) => o.cholesky(a), [[spd(3, 33), spd(3, 34)]]);
});

Deno.test("grad: triangularSolve in every configuration", () => {
  const lower = mat(3, 3, 41).map((r, i) => r.map((v, j) => (j > i ? 0 : j === i ? 2 + v : v)));
  const upper = lower[0].map((_, j) => lower.map((r) => r[j]));
  const b = mat(3, 2, 42), bRight = mat(2, 3, 43);
  for (const lowerFlag of [true, false]) {
    const a = lowerFlag ? lower : upper;
    for (const transposeA of [false, true]) {
      for (const unitDiagonal of [false, true]) {
        checkGrad(
          (x, y) => o.triangularSolve(x, y, { lower: lowerFlag, transposeA, unitDiagonal }),
          [a, b],
        );
        checkGrad(
          (x, y) =>
            o.triangularSolve(x, y, {
              lower: lowerFlag,
              leftSide: false,
              transposeA,
              unitDiagonal,
            }),
          [a, bRight],
        );
      }
    }
  }
  checkGrad((x, y) => o.triangularSolve(x, y), [lower, [1, -2, 0.5]]);
});

Deno.test("grad: eigh values and (sign-invariant) vectors", () => {
  const a = mat(4, 4, 51);
  checkGrad((x) => o.eigh(x).values, [a]);
  checkGrad((x) => {
    const { vectors } = o.eigh(x);
    return o.mul(vectors, vectors);
  }, [a]);
  checkGrad((x) => {
    const { values, vectors } = o.eigh(x);
    return o.matmul(o.mul(vectors, values), o.transpose(vectors));
  }, [spd(3, 52)]);
});

Deno.test("grad: svd singular values, square / tall / wide", () => {
  for (const [m, n] of [[3, 3], [5, 3], [3, 5]]) {
    checkGrad((x) => o.svd(x, { computeUv: false }).s, [mat(m, n, 60 + m * n)]);
  }
});

Deno.test("grad: svd u and vh (sign-invariant functions), square / tall / wide", () => {
  for (const [m, n] of [[3, 3], [5, 3], [3, 5]]) {
    const a = mat(m, n, 70 + m * n);
    checkGrad((x) => {
      const { u } = o.svd(x);
      return o.mul(u, u);
    }, [a]);
    checkGrad((x) => {
      const { vh } = o.svd(x);
      return o.mul(vh, vh);
    }, [a]);
    checkGrad((x) => {
      const { u, s, vh } = o.svd(x);
      // rank-1 terms u_i s_i v_iᵀ of the two largest singular values
      const u2 = o.slice(u, [0, 0], [m, 2]), v2 = o.slice(vh, [0, 0], [2, n]);
      return o.matmul(o.mul(u2, o.mul(o.slice(s, [0], [2]), [1, 3])), v2);
    }, [a]);
  }
});

Deno.test("grad: qr (tall, square, wide)", () => {
  for (const [m, n] of [[5, 3], [3, 3], [3, 5]]) {
    const a = mat(m, n, 80 + m * n);
    checkGrad((x) => o.qr(x).q, [a]);
    checkGrad((x) => o.qr(x).r, [a]);
  }
  checkGrad((x) => o.qr(x).q, [[mat(4, 2, 91), mat(4, 2, 92)]]);
});

Deno.test("grad: det, slogdet, inv, solve, pinv (composites)", () => {
  const a = mat(3, 3, 101).map((r, i) => r.map((v, j) => v + (i === j ? 2 : 0)));
  checkGrad((x) => o.det(x), [a]);
  checkGrad((x) => o.slogdet(x).logabsdet, [a]);
  checkGrad((x) => o.inv(x), [a]);
  checkGrad((x, y) => o.solve(x, y), [a, mat(3, 2, 102)]);
  checkGrad((x) => o.pinv(x), [mat(4, 3, 103)]);
  checkGrad((x) => o.norm(x, { ord: "nuc", axis: [0, 1] }), [mat(3, 4, 104)]);
});

Deno.test("grad: chained model (tanh layer, logSoftmax, mean)", () => {
  checkGrad(
    (w, x) => o.mean(o.logSoftmax(o.tanh(o.matmul(x, w)))),
    [mat(4, 3, 111), mat(5, 4, 112)],
  );
  checkGrad((x) => o.sum(o.mul(x, o.sigmoid(x)), { axis: 0 }) as Tensor, [mat(3, 2, 113)]);
});
