/**
 * Tests of the WebAssembly SIMD float32 gemm (backends/cpu/simd/gemm.ts) and
 * its routing from `gemm` / `CpuBackend.matmul`: odd sizes around the
 * 4 × 8 register tile and the 128/256/1024 blocks, all transposes, k not a
 * multiple of 4, batches, alpha/beta/offsets/leading dimensions, against a
 * naive float64 loop with the float32-accumulation bound
 * `|err| ≤ γ_{k+2}·Σ_p |a_ip·b_pj|`, `γ_j = j·u/(1 − j·u)`, `u = 2⁻²⁴`.
 *
 * @module
 */

import assert from "node:assert/strict";
import { CpuBackend } from "../../../backends/cpu/mod.ts";
import { gemm, matmulKernel } from "../../../backends/cpu/matmul.ts";
import {
  setSimdGemmEnabled,
  sgemmSimd,
  SIMD_GEMM_MIN_WORK,
  simdGemmActive,
} from "../../../backends/cpu/simd/gemm.ts";
import { randomArray } from "../../helpers.ts";

const cpu = new CpuBackend();
const U = 2 ** -24;

/** γ_j of Higham: the float32 bound factor of a j-term recursive sum. */
function gamma(j: number): number {
  return (j * U) / (1 - j * U);
}

/** Run `f` with the SIMD gemm switched on, restoring the previous setting. */
function withSimd<T>(f: () => T): T {
  const was = setSimdGemmEnabled(true);
  try {
    return f();
  } finally {
    setSimdGemmEnabled(was);
  }
}

/** Run `f` on the float64-sum TS path (SIMD switched off), restoring the setting. */
function withoutSimd<T>(f: () => T): T {
  const was = setSimdGemmEnabled(false);
  try {
    return f();
  } finally {
    setSimdGemmEnabled(was);
  }
}

/** Stored shape of op(X) `rows × cols` under the transpose flag. */
function stored(batch: number[], rows: number, cols: number, t: boolean): number[] {
  return t ? [...batch, cols, rows] : [...batch, rows, cols];
}

/**
 * Naive float64 batched `op(a) @ op(b)` (batch broadcast by modulo, enough
 * for the shapes used here) and `Σ|a·b|` per entry.
 */
function naive(
  a: Float32Array,
  b: Float32Array,
  batchA: number,
  batchB: number,
  m: number,
  k: number,
  n: number,
  ta: boolean,
  tb: boolean,
): { values: Float64Array; abs: Float64Array } {
  const count = Math.max(batchA, batchB);
  const values = new Float64Array(count * m * n), abs = new Float64Array(count * m * n);
  for (let t = 0; t < count; t++) {
    const ao = (t % batchA) * m * k, bo = (t % batchB) * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0, s1 = 0;
        for (let p = 0; p < k; p++) {
          const x = a[ao + (ta ? p * m + i : i * k + p)] * b[bo + (tb ? j * k + p : p * n + j)];
          s += x;
          s1 += Math.abs(x);
        }
        values[(t * m + i) * n + j] = s;
        abs[(t * m + i) * n + j] = s1;
      }
    }
  }
  return { values, abs };
}

/** Assert `got` is within the float32-accumulation bound of `want`. */
function assertBound(
  got: ArrayLike<number>,
  want: { values: Float64Array; abs: Float64Array },
  k: number,
  label: string,
): void {
  assert.equal(got.length, want.values.length, label);
  const g = gamma(k + 2);
  for (let i = 0; i < got.length; i++) {
    const err = Math.abs(got[i] - want.values[i]);
    if (!(err <= g * want.abs[i] + 1e-30)) {
      assert.fail(`${label} element ${i}: got ${got[i]}, want ${want.values[i]}`);
    }
  }
}

/** op(a) @ op(b) through CpuBackend.matmul with SIMD on; checks dtype, shape, no leak. */
function check(
  aBatch: number[],
  bBatch: number[],
  m: number,
  k: number,
  n: number,
  ta: boolean,
  tb: boolean,
  seed = 3,
): void {
  const aShape = stored(aBatch, m, k, ta), bShape = stored(bBatch, k, n, tb);
  const ba = aBatch.reduce((x, y) => x * y, 1), bb = bBatch.reduce((x, y) => x * y, 1);
  const a = Float32Array.from(randomArray(ba * m * k, seed));
  const b = Float32Array.from(randomArray(bb * k * n, seed + 7));
  const before = cpu.memory().buffers;
  const x = cpu.write(a, aShape, "float32"), y = cpu.write(b, bShape, "float32");
  const z = withSimd(() => cpu.matmul(x, y, ta, tb));
  const label = `a${JSON.stringify(aShape)} b${JSON.stringify(bShape)} ta=${ta} tb=${tb}`;
  assert.equal(z.dtype, "float32", label);
  // Batches used here have equal ranks (or b has none): broadcast is a max.
  const batch = aBatch.map((d, i) => Math.max(d, bBatch[i] ?? 1));
  assert.deepEqual([...z.shape], [...batch, m, n], label);
  const got = cpu.readSync(z);
  assert.ok(got instanceof Float32Array, label);
  assertBound(got, naive(a, b, ba, bb, m, k, n, ta, tb), k, label);
  cpu.dispose(x);
  cpu.dispose(y);
  cpu.dispose(z);
  assert.equal(cpu.memory().buffers, before, `${label}: leaked buffers`);
}

const TRANSPOSES: [boolean, boolean][] = [[false, false], [true, false], [false, true], [
  true,
  true,
]];

Deno.test("simd gemm: available in Deno and on by default; the switch works", () => {
  assert.equal(simdGemmActive(), true);
  withoutSimd(() => assert.equal(simdGemmActive(), false));
  assert.equal(simdGemmActive(), true);
});

Deno.test("simd gemm: odd sizes around tile and block edges, all transposes", () => {
  const shapes: [number, number, number][] = [
    [32, 32, 32], // smallest routed product
    [33, 31, 35], // k not a multiple of 4, ragged tiles
    [5, 257, 29], // crosses KC = 256
    [130, 37, 9], // crosses MC = 128, n not a multiple of 8
    [67, 5, 101],
    [4, 9, 1030], // crosses NC = 1024
  ];
  for (const [m, k, n] of shapes) {
    assert.ok(m * n * k >= SIMD_GEMM_MIN_WORK);
    for (const [ta, tb] of TRANSPOSES) check([], [], m, k, n, ta, tb);
  }
});

Deno.test("simd gemm: batches, shared and broadcast operands", () => {
  check([3], [], 20, 33, 41, false, false); // one (3·20) × 41 product
  check([3], [3], 36, 17, 40, true, false);
  check([2], [1], 33, 40, 35, false, true);
  check([1], [4], 40, 21, 39, true, true);
});

Deno.test("simd gemm: agrees with the float64-sum path within the float32 bound", () => {
  const m = 70, k = 300, n = 45;
  const a = Float32Array.from(randomArray(m * k, 11)),
    b = Float32Array.from(randomArray(k * n, 12));
  const ts = withoutSimd(() => matmulKernel(a, [m, k], b, [k, n], "float32", false, false));
  const simd = withSimd(() => matmulKernel(a, [m, k], b, [k, n], "float32", false, false));
  assert.deepEqual(simd.shape, [m, n]);
  const want = naive(a, b, 1, 1, m, k, n, false, false);
  assertBound(simd.values, want, k, "simd");
  // The two paths differ (float32 vs float64 sums) but both meet the bound.
  assertBound(ts.values, want, k, "ts");
  assert.ok(simd.values.some((v, i) => v !== ts.values[i]), "SIMD path was not taken");
});

Deno.test("simd gemm: small products, float64 and a switched-off path use the TS loop", () => {
  const a = Float32Array.from(randomArray(31 * 32, 1)),
    b = Float32Array.from(randomArray(32 * 32, 2));
  const c = new Float32Array(31 * 32);
  assert.equal(
    withSimd(() => sgemmSimd(false, false, 31, 32, 32, 1, a, 0, 32, b, 0, 32, c, 0, 32)),
    false,
  );
  assert.ok(c.every((v) => v === 0), "a refused call writes nothing");
  const big = 64;
  const a2 = Float32Array.from(randomArray(big * big, 3));
  assert.equal(
    withoutSimd(() => sgemmSimd(false, false, big, big, big, 1, a2, 0, big, a2, 0, big, c, 0, big)),
    false,
  );
  const d = Float64Array.from(a2), dc = new Float64Array(big * big);
  assert.equal(
    withSimd(() => sgemmSimd(false, false, big, big, big, 1, d, 0, big, d, 0, big, dc, 0, big)),
    false,
  );
  const r64 = withoutSimd(() =>
    matmulKernel(d, [big, big], d, [big, big], "float64", false, false)
  );
  const r64s = withSimd(() => matmulKernel(d, [big, big], d, [big, big], "float64", false, false));
  assert.deepEqual(r64s.values, r64.values);
});

Deno.test("simd gemm: alpha, beta, offsets and leading dimensions", () => {
  const m = 37, n = 41, k = 45, lda = k + 3, ldb = n + 5, ldc = n + 2;
  const aOff = 4, bOff = 7, cOff = 3;
  const a = Float32Array.from(randomArray(aOff + m * lda, 21));
  const b = Float32Array.from(randomArray(bOff + k * ldb, 22));
  const c0 = Float32Array.from(randomArray(cOff + m * ldc, 23));
  const c = c0.slice();
  withSimd(() => gemm(false, false, m, n, k, 0.5, a, aOff, lda, b, bOff, ldb, 2, c, cOff, ldc));
  const g = gamma(k + 4);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0, s1 = 0;
      for (let p = 0; p < k; p++) {
        const x = 0.5 * a[aOff + i * lda + p] * b[bOff + p * ldb + j];
        s += x;
        s1 += Math.abs(x);
      }
      const want = 2 * c0[cOff + i * ldc + j] + s;
      const got = c[cOff + i * ldc + j];
      assert.ok(
        Math.abs(got - want) <= g * (s1 + 2 * Math.abs(c0[cOff + i * ldc + j])),
        `(${i}, ${j}): got ${got}, want ${want}`,
      );
    }
    // Padding between rows of C is untouched.
    for (let j = n; j < ldc && cOff + i * ldc + j < c.length; j++) {
      assert.equal(c[cOff + i * ldc + j], c0[cOff + i * ldc + j]);
    }
  }
  for (let i = 0; i < cOff; i++) assert.equal(c[i], c0[i]);
});

Deno.test("simd gemm: NaN and Infinity propagate", () => {
  const n = 40;
  const a = new Float32Array(n * n).fill(1), b = new Float32Array(n * n).fill(1);
  a[3 * n + 5] = NaN; // row 3 of the result
  b[7 * n + 9] = Infinity; // column 9 of the result
  const r = withSimd(() => matmulKernel(a, [n, n], b, [n, n], "float32", false, false));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = r.values[i * n + j];
      if (i === 3) assert.ok(Number.isNaN(v));
      else if (j === 9) assert.equal(v, Infinity);
      else assert.equal(v, n);
    }
  }
});
