import assert from "node:assert/strict";
import fc from "fast-check";
import {
  cholesky,
  conv2d,
  det,
  dot,
  eigh,
  einsum,
  inv,
  matmul,
  outer,
  pinv,
  qr,
  resolvePadding,
  slogdet,
  solve,
  svd,
  trace,
  triangularSolve,
} from "../../../core/ops/linalg.ts";
import { tensor } from "../../../core/ops/creation.ts";
import { luFactor } from "../../../core/ops/lu.ts";
import type { DType } from "../../../backends/backend.ts";
import type { Tensor } from "../../../core/tensor.ts";
import { assertAllClose } from "../../helpers.ts";
import { CONV_DEPTHWISE_W, CONV_REF, GOLDEN } from "./linalg_fixtures.ts";
import { expectTensor, noLeak, read, throwsNoLeak } from "./ops_helpers.ts";

type Mat = number[][];

/** Host matrix product (float64) for checks. */
function mm(a: Mat, b: Mat): Mat {
  return a.map((row) => b[0].map((_, j) => row.reduce((s, v, k) => s + v * b[k][j], 0)));
}

/** Nested rows of a 2-D tensor (disposes it). */
function rows(t: Tensor): Mat {
  const r = read(t);
  const [m, n] = r.shape;
  return Array.from({ length: m }, (_, i) => r.v.slice(i * n, i * n + n));
}

const T = (x: Mat): Mat => x[0].map((_, j) => x.map((r) => r[j]));

/** Golden-file special values ("NaN", "±Infinity") to numbers, recursively. */
function special(v: unknown): unknown {
  if (v === "NaN") return NaN;
  if (v === "Infinity") return Infinity;
  if (v === "-Infinity") return -Infinity;
  if (Array.isArray(v)) return v.map(special);
  if (typeof v === "object" && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, special(x)]));
  }
  return v;
}

/** Run an op, read its result (disposing it) and check nothing else leaked. */
function run(f: () => Tensor): { v: number[]; shape: number[]; dtype: string } {
  return noLeak(() => read(f()));
}

// ---------------------------------------------------------------------------
// matmul, dot, outer, trace

Deno.test("matmul: 2-D values vs numpy, float32 and float64, ints give float32", () => {
  const a = [[0.5, -1.2, 0.3], [2.0, 0.1, -0.7]];
  const b = [[1.0, 0.4], [-0.3, 0.8], [0.6, -1.1]];
  for (const dtype of ["float32", "float64"] as DType[]) {
    using ta = tensor(a, { dtype });
    using tb = tensor(b, { dtype });
    const r = run(() => matmul(ta, tb));
    assert.deepEqual(r.shape, [2, 2]);
    assert.equal(r.dtype, dtype);
    assertAllClose(r.v, [1.04, -1.09, 1.55, 1.65], { rtol: dtype === "float32" ? 1e-6 : 1e-14 });
  }
  expectTensor(
    matmul(tensor([[1, 2]], { dtype: "int32" }), tensor([[3], [4]], { dtype: "int32" })),
    [11],
    [1, 1],
    "float32",
  );
  using x32 = tensor([[1, 2]]);
  using y64 = tensor([[3], [4]], { dtype: "float64" });
  assert.equal(read(matmul(x32, y64)).dtype, "float64");
});

Deno.test("matmul: transposes, 1-D promotion and squeeze", () => {
  const a = [[0.5, -1.2, 0.3], [2.0, 0.1, -0.7]];
  assertAllClose(read(matmul(a, a, { transposeA: true })).v, [
    4.25,
    -0.4,
    -1.25,
    -0.4,
    1.45,
    -0.43,
    -1.25,
    -0.43,
    0.58,
  ], { rtol: 1e-5 });
  const abt = read(matmul(a, a, { transposeB: true }));
  assert.deepEqual(abt.shape, [2, 2]);
  assertAllClose(abt.v, [1.78, 0.67, 0.67, 4.5], { rtol: 1e-5 });
  expectTensor(matmul([1, 2], [[1, 2], [3, 4]]), [7, 10], [2], "float32");
  expectTensor(matmul([[1, 2], [3, 4]], [1, 2]), [5, 11], [2], "float32");
  expectTensor(matmul([1, 2], [3, 4]), [11], [], "float32");
  // 1-D a against a batch: [3] @ [2, 3, 2] → [2, 2]
  expectTensor(
    matmul([1, 0, 1], tensor([[[1, 2], [3, 4], [5, 6]], [[0, 1], [1, 0], [2, 2]]])),
    [6, 8, 2, 3],
    [2, 2],
    "float32",
  );
});

Deno.test("matmul: batch dims broadcast ([2,1,2,3] @ [3,3,2] → [2,3,2,2]) vs numpy", () => {
  const x = Float64Array.from({ length: 12 }, (_, i) => i / 7 - 0.5);
  const y = Float64Array.from({ length: 18 }, (_, i) => i / 5 - 1.3);
  const r = read(matmul(tensor(x, { shape: [2, 1, 2, 3] }), tensor(y, { shape: [3, 3, 2] })));
  assert.deepEqual(r.shape, [2, 3, 2, 2]);
  assertAllClose(r.v, [
    1.078571428571,
    0.864285714286,
    -0.078571428571,
    -0.035714285714,
    -0.207142857143,
    -0.421428571429,
    0.178571428571,
    0.221428571429,
    -1.492857142857,
    -1.707142857143,
    0.435714285714,
    0.478571428571,
    -1.235714285714,
    -0.935714285714,
    -2.392857142857,
    -1.835714285714,
    0.564285714286,
    0.864285714286,
    0.95,
    1.507142857143,
    2.364285714286,
    2.664285714286,
    4.292857142857,
    4.85,
  ], { rtol: 1e-12, atol: 1e-12 });
});

Deno.test("matmul: bad inputs", () => {
  throwsNoLeak(
    () => matmul([[1, 2, 3]], [[1, 2]]),
    TypeError,
    "matmul",
    /inner dimensions differ.*k = 3.*k = 1/,
  );
  throwsNoLeak(() => matmul(2, [1, 2]), TypeError, "matmul", /rank >= 1/);
  using x = tensor(new Float32Array(12), { shape: [2, 2, 3] });
  using y = tensor(new Float32Array(18), { shape: [3, 3, 2] });
  throwsNoLeak(
    () => matmul(x, y),
    TypeError,
    "matmul",
    /batch dims/,
  );
  throwsNoLeak(
    () => matmul([[1]], [[1]], { transposeA: 1 as unknown as boolean }),
    TypeError,
    "matmul",
  );
});

Deno.test("dot: scalar, inner product, matrix and N-D (numpy tensordot rule)", () => {
  expectTensor(dot(2, [1, 2]), [2, 4], [2], "float32");
  expectTensor(dot([1, 2, 3], [4, 5, 6]), [32], [], "float32");
  expectTensor(dot([[1, 2], [3, 4]], [[1], [1]]), [3, 7], [2, 1], "float32");
  const p = Float64Array.from({ length: 6 }, (_, i) => i - 2);
  const q = Float64Array.from({ length: 24 }, (_, i) => i / 3 - 1);
  const r = read(dot(tensor(p, { shape: [2, 3] }), tensor(q, { shape: [2, 3, 4] })));
  assert.deepEqual(r.shape, [2, 2, 4]);
  assertAllClose(r.v, [
    1.666666666667,
    0.666666666667,
    -0.333333333333,
    -1.333333333333,
    -10.333333333333,
    -11.333333333333,
    -12.333333333333,
    -13.333333333333,
    4.666666666667,
    6.666666666667,
    8.666666666667,
    10.666666666667,
    28.666666666667,
    30.666666666667,
    32.666666666667,
    34.666666666667,
  ], { rtol: 1e-11 });
  using pa = tensor(new Float32Array(6), { shape: [2, 3] });
  using qb = tensor(new Float32Array(24), { shape: [2, 4, 3] });
  throwsNoLeak(() => dot(pa, qb), TypeError, "dot", /not aligned/);
});

Deno.test("outer and trace", () => {
  expectTensor(outer([1, 2], [[3, 4], [5, 6]]), [3, 4, 5, 6, 6, 8, 10, 12], [2, 4], "float32");
  expectTensor(outer(tensor([1, 2], { dtype: "int32" }), 2), [2, 4], [2, 1], "int32");
  const m = tensor([[1, 2, 3], [4, 5, 6]], { dtype: "int32" });
  expectTensor(trace(m), [6], [], "int32");
  expectTensor(trace(m, { offset: 1 }), [8], [], "int32");
  expectTensor(trace(m, { offset: -1 }), [4], [], "int32");
  expectTensor(trace(m, { offset: 5 }), [0], [], "int32");
  m.dispose();
  // 3-D with axes (1, 2): one trace per leading index
  const x = tensor(Float32Array.from({ length: 8 }, (_, i) => i), { shape: [2, 2, 2] });
  expectTensor(trace(x, { axis1: 1, axis2: 2 }), [3, 11], [2], "float32");
  expectTensor(trace(x), [2 + 4, 3 + 5], [2], "float32"); // axes (0, 1): x[0,0,:] + x[1,1,:]
  x.dispose();
  expectTensor(trace([[true, false], [true, true]]), [2], [], "int32");
  throwsNoLeak(() => trace([1, 2]), TypeError, "trace", /rank >= 2/);
  throwsNoLeak(() => trace([[1]], { axis1: 1, axis2: -1 }), RangeError, "trace", /must differ/);
});

Deno.test("einsum: the patterns ngclearn uses, implicit output, ellipsis, errors", () => {
  expectTensor(einsum("bi,bj->bij", [[[1, 2]], [[3, 4]]]), [3, 4, 6, 8], [1, 2, 2], "float32");
  expectTensor(einsum("ij,jk", [[[1, 2], [3, 4]], [[5], [6]]]), [17, 39], [2, 1], "float32");
  expectTensor(einsum("ij->", [[[1, 2], [3, 4]]]), [10], [], "float32");
  expectTensor(einsum("ij->ji", [[[1, 2, 3]]]), [1, 2, 3], [3, 1], "float32");
  expectTensor(einsum("i,i", [[1, 2], [3, 4]]), [11], [], "float32");
  expectTensor(
    einsum("...ij,...jk->...ik", [[[[1, 0], [0, 1]], [[2, 0], [0, 2]]], [[1], [1]]]),
    [1, 1, 2, 2],
    [2, 2, 1],
    "float32",
  );
  const qm = [[[[0.126, -0.132, 0.64, 0.105], [-0.536, 0.362, 1.304, 0.947], [
    -0.704,
    -1.265,
    -0.623,
    0.041,
  ]], [[-2.325, -0.219, -1.246, -0.732], [-0.544, -0.316, 0.412, 1.043], [
    -0.129,
    1.366,
    -0.665,
    0.352,
  ]]]];
  const km = [[[
    [0.903, 0.094, -0.743, -0.922],
    [-0.458, 0.22, -1.01, -0.209],
    [-0.159, 0.541, 0.215, 0.355],
    [-0.654, -0.13, 0.784, 1.493],
    [-1.259, 1.514, 1.346, 0.781],
  ], [[0.264, -0.314, 1.458, 1.96], [1.802, 1.315, 0.357, -1.208], [-0.004, 0.656, -1.288, 0.395], [
    0.43,
    0.696,
    -1.184,
    -0.662,
  ], [-0.436, -1.17, 1.739, -0.496]]]];
  const vm = [[[
    [0.329, -0.259, 1.583, 1.32],
    [0.633, -2.204, 0.052, 0.684],
    [1.004, -0.618, 1.822, -1.32],
    [-0.662, 0.935, 0.049, 2.002],
    [0.189, -0.633, -0.378, -1.091],
  ], [[-1.278, 0.63, 0.581, 1.295], [-0.755, 1.689, -0.287, 1.574], [-0.433, -0.735, 0.25, 1.031], [
    0.161,
    -0.586,
    -1.341,
    -1.402,
  ], [0.503, 0.99, -0.164, -1.074]]]];
  using tq = tensor(qm, { dtype: "float64" });
  using tk = tensor(km, { dtype: "float64" });
  const sr = run(() => einsum("BHTE,BHSE->BHTS", [tq, tk]));
  assert.deepEqual(sr.shape, [1, 2, 3, 5]);
  assertAllClose(sr.v, [
    -0.47096,
    -0.755093,
    0.083429,
    0.593281,
    0.584963,
    -2.291986,
    -1.189835,
    0.897611,
    2.739691,
    3.717683,
    -0.329535,
    0.664793,
    -0.691819,
    0.197647,
    -1.835411,
    -3.796422,
    -4.038201,
    1.181344,
    0.807674,
    -0.533792,
    2.600584,
    -2.508688,
    -0.323791,
    -1.63213,
    0.806044,
    -0.74263,
    0.901211,
    1.892172,
    1.449602,
    -2.873003,
  ], { rtol: 1e-10, atol: 1e-12 });
  const o = read(
    einsum("BHTS,BHSE->BHTE", [
      tensor(sr.v, { shape: [1, 2, 3, 5], dtype: "float64" }),
      tensor(vm, { dtype: "float64" }),
    ]),
  );
  assert.deepEqual(o.shape, [1, 2, 3, 4]);
  assertAllClose(o.v, [
    -0.831351008,
    1.919080646,
    -0.824832123,
    -0.698723163,
    -1.71706086,
    2.869614862,
    -3.325677331,
    -3.595245951,
    -0.859924315,
    0.394305043,
    -1.044108826,
    3.331055987,
    7.250685257,
    -11.082306233,
    -1.746970441,
    -10.61359554,
    -1.146618207,
    -0.606407987,
    4.206480124,
    0.507807851,
    -1.762378228,
    -4.030197683,
    -1.689816377,
    3.460892814,
  ], { rtol: 1e-8, atol: 1e-9 });
  throwsNoLeak(
    () => einsum("ij,jk->ik", [[[1, 2]], [[1, 2]]]),
    TypeError,
    "einsum",
    /contracted label "j" has size 2.*and 1/,
  );
  throwsNoLeak(() => einsum("ii->i", [[[1, 2], [3, 4]]]), RangeError, "einsum", /repeated label/);
  throwsNoLeak(() => einsum("ij->k", [[[1]]]), RangeError, "einsum", /does not appear/);
  throwsNoLeak(() => einsum("ij,j->i", [[[1]]]), TypeError, "einsum", /2 operands, got 1/);
  throwsNoLeak(() => einsum("ijk", [[[1]]]), TypeError, "einsum", /rank 2/);
  assert.throws(() => einsum("i", []), RangeError);
});

// ---------------------------------------------------------------------------
// factorisations: golden cases

for (const dtype of ["float32", "float64"] as DType[]) {
  Deno.test(`golden linalg.* cases (${dtype})`, () => {
    for (const c of GOLDEN) {
      // pinv/005 pins float32's cutoff; in float64 the tiny singular value is (rightly) kept.
      if (dtype === "float64" && c.id === "linalg/pinv/005") continue;
      const a = tensor(c.a, { dtype });
      const tol = { rtol: c.rtol, atol: c.atol, msg: `${c.id} ${dtype}` };
      const exp = special(c.expected) as Record<string, unknown>;
      if (c.fn === "linalg.cholesky") {
        assertAllClose(read(cholesky(a)).v, exp, tol);
      } else if (c.fn === "linalg.pinv") {
        assertAllClose(read(pinv(a)).v, exp, tol);
      } else if (c.fn === "linalg.slogdet") {
        const { sign, logabsdet } = slogdet(a);
        assert.equal(read(sign).v[0], exp.sign, `${c.id} sign`);
        assertAllClose(read(logabsdet).v, exp.logabsdet, tol);
      } else if (c.fn === "linalg.svd") {
        const { u, s, vh } = svd(a);
        const sv = read(s).v;
        assertAllClose(sv, exp.S, tol);
        const us = rows(u).map((r) => r.map((x, j) => x * sv[j]));
        assertAllClose(mm(us, rows(vh)), exp.reconstruction, tol);
      } else {
        assert.fail(`unexpected case ${c.fn}`);
      }
      a.dispose();
    }
  });
}

Deno.test("cholesky: batch, upper, NaN on non-SPD, bad input", () => {
  const m = [[4, 1, -2], [1, 3, 0.5], [-2, 0.5, 5]];
  const l = [[2, 0, 0], [0.5, 1.658312395178, 0], [-1, 0.603022689156, 1.906925178491]];
  const r = read(cholesky(tensor([m, [[1, 2, 0], [2, 1, 0], [0, 0, 1]]], { dtype: "float64" })));
  assert.deepEqual(r.shape, [2, 3, 3]);
  assertAllClose(r.v.slice(0, 9), l, { rtol: 1e-11 });
  assert.ok(r.v.slice(9).every(Number.isNaN), "the indefinite matrix of the batch is all NaN");
  assertAllClose(read(cholesky(m, { upper: true })).v, T(l), { rtol: 1e-6 });
  // symmetrizeInput: false reads only the lower triangle
  assertAllClose(read(cholesky([[4, 99], [2, 3]], { symmetrizeInput: false })).v, [
    2,
    0,
    1,
    Math.SQRT2,
  ], { rtol: 1e-6 });
  expectTensor(cholesky(tensor([[4]], { dtype: "int32" })), [2], [1, 1], "float32");
  throwsNoLeak(() => cholesky([[1, 2, 3], [4, 5, 6]]), TypeError, "cholesky", /square.*\[2, 3\]/);
  throwsNoLeak(() => cholesky([1, 2]), TypeError, "cholesky", /rank >= 2/);
});

Deno.test("triangularSolve: lower/upper, transposeA, right side, unit diagonal, vector and batch b", () => {
  const L = [[2, 0, 0], [1, -1.5, 0], [0.5, 0.25, 3]];
  const B = [[1, 2], [-1, 0.5], [3, 1]];
  const f64 = (x: Mat) => tensor(x, { dtype: "float64" });
  const tol = { rtol: 1e-12, atol: 1e-12 };
  assertAllClose(read(triangularSolve(f64(L), f64(B))).v, [
    0.5,
    1,
    1,
    0.333333333333333,
    0.833333333333333,
    0.138888888888889,
  ], tol);
  const lt = [
    -0.166666666666667,
    1.055555555555556,
    0.833333333333333,
    -0.277777777777778,
    1,
    0.333333333333333,
  ];
  assertAllClose(read(triangularSolve(f64(T(L)), f64(B), { lower: false })).v, lt, tol);
  assertAllClose(read(triangularSolve(f64(L), f64(B), { transposeA: true })).v, lt, tol);
  // x L = Bᵀ  ⇔  Lᵀ xᵀ = B
  const right = read(triangularSolve(f64(L), f64(T(B)), { leftSide: false }));
  assert.deepEqual(right.shape, [2, 3]);
  assertAllClose(right.v, T([[lt[0], lt[1]], [lt[2], lt[3]], [lt[4], lt[5]]]), tol);
  assertAllClose(read(triangularSolve(f64(L), f64(B), { unitDiagonal: true })).v, [
    1,
    2,
    -2,
    -1.5,
    3,
    0.375,
  ], tol);
  expectTensor(triangularSolve([[2, 0], [1, 1]], [4, 3]), [2, 1], [2], "float32");
  // batch broadcast: a [2, 2, 2] with b [2, 1]
  const x = read(triangularSolve([[[2, 0], [1, 1]], [[1, 0], [0, 4]]], [[4], [3]]));
  assert.deepEqual(x.shape, [2, 2, 1]);
  assertAllClose(x.v, [2, 1, 4, 0.75]);
  // zero pivot: Inf/NaN, no throw
  assert.ok(!read(triangularSolve([[0, 0], [1, 1]], [1, 1])).v.every(Number.isFinite));
  throwsNoLeak(
    () => triangularSolve([[1, 0], [0, 1]], [[1, 2, 3]]),
    TypeError,
    "triangularSolve",
    /needs 2 rows, has 1/,
  );
  throwsNoLeak(
    () => triangularSolve([[1, 0, 0], [0, 1, 0]], [1, 2]),
    TypeError,
    "triangularSolve",
    /square/,
  );
  throwsNoLeak(
    () => triangularSolve([[[1]], [[1]]], [[[1]], [[1]], [[1]]]),
    TypeError,
    "triangularSolve",
    /batch dims/,
  );
});

Deno.test("svd: thin/full shapes, orthogonality, computeUv false, batch", () => {
  const a = [[1, 2, 3], [4, 5, 6]];
  for (const [m, n, x] of [[2, 3, a], [3, 2, T(a)]] as [number, number, Mat][]) {
    const { u, s, vh } = svd(tensor(x, { dtype: "float64" }), { fullMatrices: true });
    const su = rows(u), sv = read(s).v, svh = rows(vh);
    assert.equal(su.length, m);
    assert.equal(su[0].length, m);
    assert.equal(svh.length, n);
    assertAllClose(
      mm(su, T(su)),
      Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => +(i === j))),
      { atol: 1e-12 },
    );
    assertAllClose(
      mm(svh, T(svh)),
      Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => +(i === j))),
      { atol: 1e-12 },
    );
    // u[:, :k] diag(s) vh[:k] reproduces a
    const k = Math.min(m, n);
    const us = su.map((r) => r.slice(0, k).map((v, j) => v * sv[j]));
    assertAllClose(mm(us, svh.slice(0, k)), x, { atol: 1e-12 });
  }
  const only = noLeak(() => svd([[[3, 0], [0, -4]], [[1, 0], [0, 2]]], { computeUv: false }));
  assert.deepEqual(Object.keys(only), ["s"]);
  const { u, s, vh } = svd(tensor([[[3, 0], [0, -4]], [[1, 0], [0, 2]]]));
  expectTensor(s, [4, 3, 2, 1], [2, 2], "float32");
  assert.deepEqual(u.shape, [2, 2, 2]);
  u.dispose();
  vh.dispose();
  throwsNoLeak(() => svd([1, 2, 3]), TypeError, "svd", /rank >= 2/);
});

Deno.test("eigh and qr: values vs numpy, reconstruction, complete mode", () => {
  const m = [[4, 1, -2], [1, 3, 0.5], [-2, 0.5, 5]];
  const { values, vectors } = eigh(tensor(m, { dtype: "float64" }));
  const ev = read(values).v;
  assertAllClose(ev, [1.584206693093, 3.839336452466, 6.576456854441], { rtol: 1e-11 });
  const V = rows(vectors);
  assertAllClose(mm(m, V), V.map((r) => r.map((v, j) => v * ev[j])), { atol: 1e-12 });
  throwsNoLeak(() => eigh([[1, 2, 3]]), TypeError, "eigh", /square/);

  const a = [[1, 2], [3, 4], [5, 6]];
  const red = qr(tensor(a, { dtype: "float64" }));
  const q = rows(red.q), r = rows(red.r);
  assert.equal(q[0].length, 2);
  assert.equal(r[1][0], 0);
  assertAllClose(mm(q, r), a, { atol: 1e-12 });
  const full = qr(tensor(a, { dtype: "float64" }), { mode: "complete" });
  const qf = rows(full.q), rf = rows(full.r);
  assert.equal(qf[0].length, 3);
  assert.deepEqual(rf[2], [0, 0]);
  assertAllClose(mm(qf, T(qf)), [[1, 0, 0], [0, 1, 0], [0, 0, 1]], { atol: 1e-12 });
  assertAllClose(mm(qf, rf), a, { atol: 1e-12 });
  throwsNoLeak(() => qr(a, { mode: "r" as "reduced" }), RangeError, "qr", /mode/);
});

// ---------------------------------------------------------------------------
// composites: pinv, slogdet, det, solve, inv

Deno.test("pinv: rank-deficient, rcond, batch, bad rcond", () => {
  const r = [[1, 2, 3], [2, 4, 6]];
  const p = [[0.014285714286, 0.028571428571], [0.028571428571, 0.057142857143], [
    0.042857142857,
    0.085714285714,
  ]];
  using rt = tensor(r, { dtype: "float64" });
  assertAllClose(run(() => pinv(rt)).v, p, { rtol: 1e-10 });
  // a huge rcond drops every singular value
  expectTensor(pinv([[2, 0], [0, 1]], { rcond: 0.6 }), [0.5, 0, 0, 0], [2, 2], "float32");
  expectTensor(pinv([[0, 0, 0], [0, 0, 0]]), [0, 0, 0, 0, 0, 0], [3, 2], "float32");
  const b = read(pinv(tensor([[[2, 0], [0, 4]], [[1, 2], [2, 4]]])));
  assert.deepEqual(b.shape, [2, 2, 2]);
  assertAllClose(b.v, [0.5, 0, 0, 0.25, 0.04, 0.08, 0.08, 0.16], { atol: 1e-6 });
  throwsNoLeak(() => pinv([[1]], { rcond: -1 }), RangeError, "pinv", /rcond/);
  throwsNoLeak(() => pinv([1, 2]), TypeError, "pinv", /rank >= 2/);
});

Deno.test("slogdet and det: values, singular, batch, float64, bad input", () => {
  const g = [[2, 1, 0.5], [1, -3, 2], [0, 4, 1]];
  const batch = tensor([g, [[1, 2, 3], [2, 4, 6], [1, 0, 1]], g.map((r) => r.map((v) => -v)), [
    [0.5, 0, 0],
    [0, 0.5, 0],
    [0, 0, 0.5],
  ]], { dtype: "float64" });
  const { sign, logabsdet } = noLeak(() => {
    const r = slogdet(batch);
    return { sign: read(r.sign).v, logabsdet: read(r.logabsdet).v };
  });
  assert.deepEqual(sign, [-1, 0, 1, 1]);
  assertAllClose(logabsdet, [
    3.0445224377234226,
    -Infinity,
    3.0445224377234226,
    -2.0794415416798357,
  ], { rtol: 1e-13 });
  assertAllClose(read(det(batch)).v, [-21, 0, 21, 0.125], { rtol: 1e-13, atol: 1e-13 });
  batch.dispose();
  const one = slogdet([[1, 2], [2, 4]]);
  assert.ok(Object.is(read(one.sign).v[0], 0), "sign is +0, not -0");
  assert.equal(read(one.logabsdet).v[0], -Infinity);
  // permutation parity: a 3-cycle (+1) and a swap (−1)
  expectTensor(det([[0, 1, 0], [0, 0, 1], [1, 0, 0]]), [1], [], "float32");
  expectTensor(det([[0, 1], [1, 0]]), [-1], [], "float32");
  const e = slogdet(tensor(new Float32Array(0), { shape: [0, 0] }));
  assert.deepEqual([read(e.sign).v[0], read(e.logabsdet).v[0]], [1, 0]);
  throwsNoLeak(() => slogdet([[1, 2, 3], [4, 5, 6]]), TypeError, "slogdet", /square/);
  throwsNoLeak(() => det([1, 2]), TypeError, "det", /rank >= 2/);
});

Deno.test("luFactor/slogdet: 7 x 7 (three recursion levels) vs numpy; A[perm] = L U; a zero column gives sign 0", () => {
  const n = 7;
  const a = Array.from(
    { length: n },
    (_, i) => Array.from({ length: n }, (_, j) => Math.sin(i * i * 0.7 + j * 1.3 + i * j * 0.37)),
  );
  using t = tensor(a, { dtype: "float64" });
  const { sign, logabsdet } = slogdet(t);
  assert.equal(read(sign).v[0], -1);
  assertAllClose(read(logabsdet).v, [-2.265950500003306], { rtol: 1e-12 });
  assertAllClose(read(det(t)).v, [-0.10373139098040152], { rtol: 1e-12 });
  const f = noLeak(() => {
    const r = luFactor(t);
    return { l: rows(r.l), d: read(r.d).v, perm: read(r.perm).v, swaps: read(r.swaps).v };
  });
  assert.deepEqual(f.perm, [4, 1, 0, 6, 3, 2, 5]); // scipy.linalg.lu's row order
  // rebuild U from L and A: U = L⁻¹ A[perm]; its diagonal must be d and L unit lower
  f.l.forEach((r, i) => {
    assert.equal(r[i], 1);
    r.slice(i + 1).forEach((v) => assert.equal(v, 0));
  });
  const pa = f.perm.map((p) => a[p]);
  using lt = tensor(f.l, { dtype: "float64" });
  using pat = tensor(pa, { dtype: "float64" });
  const u = rows(triangularSolve(lt, pat, { unitDiagonal: true }));
  assertAllClose(f.d, u.map((r, i) => r[i]), { rtol: 1e-12 });
  u.forEach((r, i) => assertAllClose(r.slice(0, i), new Array(i).fill(0), { atol: 1e-12 }));
  const zeroCol = a.map((r) => r.map((v, j) => (j === 4 ? 0 : v)));
  using zt = tensor(zeroCol, { dtype: "float64" });
  const z = slogdet(zt);
  assert.ok(Object.is(read(z.sign).v[0], 0));
  assert.equal(read(z.logabsdet).v[0], -Infinity);
});

Deno.test("solve and inv: values vs numpy, vector and matrix b, batch broadcast, bad input", () => {
  const g = tensor([[2, 1, 0.5], [1, -3, 2], [0, 4, 1]], { dtype: "float64" });
  const x = run(() => solve(g, [1, -2, 3]));
  assert.deepEqual([x.shape, x.dtype], [[3], "float64"]);
  assertAllClose(x.v, [0.119047619048, 0.738095238095, 0.047619047619], { rtol: 1e-10 });
  const gi = [[0.52380952381, -0.047619047619, -0.166666666667], [
    0.047619047619,
    -0.095238095238,
    0.166666666667,
  ], [-0.190476190476, 0.380952380952, 0.333333333333]];
  assertAllClose(read(inv(g)).v, gi, { rtol: 1e-10 });
  assertAllClose(read(solve(g, [[1, 0, 0], [0, 1, 0], [0, 0, 1]])).v, gi, { rtol: 1e-10 });
  g.dispose();
  // batch a [2, 2, 2] with one vector b
  const xb = read(solve([[[3, 1], [1, 2]], [[2, 0], [0, 4]]], [9, 8]));
  assert.deepEqual(xb.shape, [2, 2]);
  assertAllClose(xb.v, [2, 3, 4.5, 2], { rtol: 1e-5 });
  assert.deepEqual(read(inv([[[1, 0], [0, 2]], [[4, 0], [0, 8]]])).shape, [2, 2, 2]);
  throwsNoLeak(() => solve([[1, 2], [3, 4]], [1, 2, 3]), TypeError, "solve", /needs 2 rows, has 3/);
  throwsNoLeak(() => solve([[1, 2, 3], [3, 4, 5]], [1, 2]), TypeError, "solve", /square/);
  throwsNoLeak(() => solve([[1, 0], [0, 1]], 3), TypeError, "solve", /rank >= 1/);
  throwsNoLeak(() => inv([[1, 2, 3]]), TypeError, "inv", /square/);
});

Deno.test("property: A · pinv(A) · A ≈ A and pinv(A) · A · pinv(A) ≈ pinv(A)", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 5 }),
      fc.integer({ min: 1, max: 5 }),
      // multiples of 1/64 in [-1, 1]: exact zeros make rank-deficient matrices common
      fc.array(fc.integer({ min: -64, max: 64 }).map((i) => i / 64), {
        minLength: 25,
        maxLength: 25,
      }),
      (m, n, vals) => {
        const a = tensor(Float64Array.from(vals.slice(0, m * n)), {
          shape: [m, n],
          dtype: "float64",
        });
        const p = pinv(a);
        const apa = matmul(matmul(a, p), a);
        const pap = matmul(matmul(p, a), p);
        const scale = Math.max(1, ...vals.map(Math.abs));
        assertAllClose(apa.dataSync(), a.dataSync(), { rtol: 1e-8, atol: 1e-8 * scale });
        assertAllClose(pap.dataSync(), p.dataSync(), { rtol: 1e-6, atol: 1e-6 });
        for (const t of [a, p, apa, pap]) t.dispose();
      },
    ),
    { numRuns: 40 },
  );
});

Deno.test("property: solve(A, b) satisfies A x ≈ b for well-conditioned A", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 6 }),
      fc.integer({ min: 1, max: 3 }),
      fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 54, maxLength: 54 }),
      (n, k, vals) => {
        // diagonally dominant: A = R + n·I with |R_ij| ≤ 1
        const av = Float64Array.from(
          { length: n * n },
          (_, i) => vals[i] + (i % (n + 1) === 0 ? n : 0),
        );
        const a = tensor(av, { shape: [n, n], dtype: "float64" });
        const b = tensor(Float64Array.from(vals.slice(36, 36 + n * k)), {
          shape: [n, k],
          dtype: "float64",
        });
        const x = solve(a, b);
        const ax = matmul(a, x);
        assertAllClose(ax.dataSync(), b.dataSync(), { rtol: 1e-10, atol: 1e-12 });
        for (const t of [a, b, x, ax]) t.dispose();
      },
    ),
    { numRuns: 40 },
  );
});

// ---------------------------------------------------------------------------
// conv2d

Deno.test("conv2d: VALID, SAME with stride, dilation, depthwise groups vs numpy", () => {
  const x = tensor(Float64Array.from({ length: 100 }, (_, i) => ((i % 7) - 3) / 2), {
    shape: [2, 2, 5, 5],
    dtype: "float64",
  });
  const w = tensor(Float64Array.from({ length: 36 }, (_, i) => ((i % 5) - 2) / 4), {
    shape: [3, 2, 3, 2],
    dtype: "float64",
  });
  const tol = { rtol: 1e-12, atol: 1e-12 };
  const valid = run(() => conv2d(x, w));
  assert.deepEqual(valid.shape, [2, 3, 3, 4]);
  assertAllClose(valid.v, CONV_REF.valid, tol);
  const same = read(conv2d(x, w, { padding: "SAME", strides: 2 }));
  assert.deepEqual(same.shape, [2, 3, 3, 3]);
  assertAllClose(same.v, CONV_REF.sameStride2, tol);
  assertAllClose(
    read(conv2d(x, w, { padding: [[1, 1], [0, 1]], strides: [2, 2] })).v,
    CONV_REF.sameStride2,
    tol,
  );
  const dil = read(conv2d(x, w, { dilations: 2 }));
  assert.deepEqual(dil.shape, [2, 3, 1, 3]);
  assertAllClose(dil.v, CONV_REF.dilation2, tol);
  const dw = read(conv2d(x, tensor(CONV_DEPTHWISE_W, { dtype: "float64" }), { groups: 2 }));
  assert.deepEqual(dw.shape, [2, 2, 4, 4]);
  assertAllClose(dw.v, CONV_REF.depthwise, tol);
  throwsNoLeak(
    () => conv2d(x, w, { groups: 2 }),
    TypeError,
    "conv2d",
    /output channels 3 must be divisible by groups 2/,
  );
  using w4 = tensor(new Float64Array(8), { shape: [4, 2, 1, 1], dtype: "float64" });
  throwsNoLeak(
    () => conv2d(x, w4, { groups: 2 }),
    TypeError,
    "conv2d",
    /expects 4 input channels.*has 2/,
  );
  throwsNoLeak(() => conv2d(x, w, { padding: "FULL" as "SAME" }), RangeError, "conv2d", /padding/);
  throwsNoLeak(() => conv2d(x, w, { strides: 0 }), RangeError, "conv2d", /strides/);
  throwsNoLeak(() => conv2d(x, w, { padding: -1 }), RangeError, "conv2d", /non-negative/);
  throwsNoLeak(
    () => conv2d(x, w, { dilations: 3 }),
    TypeError,
    "conv2d",
    /larger than the padded input/,
  );
  throwsNoLeak(() => conv2d([[1, 2]], w), TypeError, "conv2d", /NCHW/);
  x.dispose();
  w.dispose();
  expectTensor(conv2d(tensor([[[[1, 2], [3, 4]]]], { dtype: "int32" }), [[[[1]]]]), [1, 2, 3, 4], [
    1,
    1,
    2,
    2,
  ], "float32");
});

Deno.test("resolvePadding: SAME puts the odd pixel after, SAME_LOWER before; explicit forms", () => {
  assert.deepEqual(resolvePadding("SAME", [5, 5], [3, 2], [1, 1], [1, 1]), [[1, 1], [0, 1]]);
  assert.deepEqual(resolvePadding("SAME_LOWER", [5, 5], [3, 2], [1, 1], [1, 1]), [[1, 1], [1, 0]]);
  assert.deepEqual(resolvePadding("SAME", [4, 4], [3, 3], [2, 2], [1, 1]), [[0, 1], [0, 1]]);
  assert.deepEqual(resolvePadding("SAME", [4, 4], [3, 3], [1, 1], [2, 2]), [[2, 2], [2, 2]]);
  assert.deepEqual(resolvePadding("VALID", [4, 4], [3, 3], [1, 1], [1, 1]), [[0, 0], [0, 0]]);
  assert.deepEqual(resolvePadding(2, [4, 4], [3, 3], [1, 1], [1, 1]), [[2, 2], [2, 2]]);
  assert.deepEqual(resolvePadding([1, 2], [4, 4], [3, 3], [1, 1], [1, 1]), [[1, 1], [2, 2]]);
});
