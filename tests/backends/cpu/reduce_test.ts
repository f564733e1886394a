/**
 * cpu reductions and cumsum, through CpuBackend, against naive loops over
 * every element (random shapes and axes by fast-check) and hand-checked
 * NumPy/JAX semantics (NaN, ties, empty axes, int wrap).
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import { CpuBackend } from "../../../backends/cpu/mod.ts";
import { allocTyped, type DType, type ReduceOp, sizeOf } from "../../../backends/backend.ts";
import { assertAllClose, randomArray } from "../../helpers.ts";

const cpu = new CpuBackend();

function reduce(
  op: ReduceOp,
  values: ArrayLike<number>,
  shape: number[],
  dtype: DType,
  axes: number[],
) {
  const t = allocTyped(dtype, values.length);
  t.set(values);
  const x = cpu.write(t, shape, dtype);
  const r = cpu.reduce(op, x, axes);
  const out = { values: cpu.readSync(r), shape: [...r.shape], dtype: r.dtype };
  cpu.dispose(x);
  cpu.dispose(r);
  return out;
}

/** Naive reduction: visit every element, fold into its output slot in visiting order. */
function naive(
  op: ReduceOp,
  x: ArrayLike<number>,
  shape: number[],
  axes: number[],
  int = false,
): number[] {
  const keep = shape.map((_, i) => !axes.includes(i));
  const outShape = shape.filter((_, i) => keep[i]);
  const init =
    { sum: 0, prod: 1, max: -Infinity, min: Infinity, any: 0, all: 1, argmax: 0, argmin: 0 }[op];
  const acc = new Array<number>(sizeOf(outShape)).fill(init);
  const best = new Array<number>(acc.length).fill(NaN);
  const seen = new Array<boolean>(acc.length).fill(false);
  const idx = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < x.length; i++) {
    let rem = i;
    for (let d = shape.length - 1; d >= 0; d--) {
      idx[d] = rem % shape[d];
      rem = Math.floor(rem / shape[d]);
    }
    let o = 0;
    for (let d = 0; d < shape.length; d++) if (keep[d]) o = o * shape[d] + idx[d];
    const v = x[i];
    const pos = axes.length === 1 ? idx[axes[0]] : 0;
    switch (op) {
      case "sum":
        acc[o] = int ? (acc[o] + v) | 0 : acc[o] + v;
        break;
      case "prod":
        acc[o] = int ? Math.imul(acc[o], v) : acc[o] * v;
        break;
      case "max":
        acc[o] = Number.isNaN(v) || Number.isNaN(acc[o]) ? NaN : Math.max(acc[o], v);
        break;
      case "min":
        acc[o] = Number.isNaN(v) || Number.isNaN(acc[o]) ? NaN : Math.min(acc[o], v);
        break;
      case "any":
        acc[o] = acc[o] || v !== 0 ? 1 : 0;
        break;
      case "all":
        acc[o] = acc[o] && v !== 0 ? 1 : 0;
        break;
      case "argmax":
      case "argmin": {
        const b = best[o];
        const better = op === "argmax" ? v > b : v < b;
        if (!seen[o] || (!Number.isNaN(b) && (Number.isNaN(v) || better))) {
          best[o] = v;
          acc[o] = pos;
          seen[o] = true;
        }
        break;
      }
    }
  }
  return acc;
}

/** A random shape (rank 1-4, dims 1-5) with a random non-empty sorted axis subset. */
const shapeAxes = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }).chain((
  shape,
) =>
  fc.tuple(
    fc.constant(shape),
    fc.subarray(shape.map((_, i) => i), { minLength: 1 }),
  )
);

Deno.test("reduce: sum/prod/max/min/any/all over random axes match naive loops (property)", () => {
  fc.assert(
    fc.property(
      shapeAxes,
      fc.constantFrom<ReduceOp>("sum", "prod", "max", "min"),
      fc.constantFrom<DType>("float32", "float64", "int32"),
      ([shape, axes], op, dtype) => {
        const n = sizeOf(shape);
        const base = Array.from(randomArray(n, n * 7 + axes.length), (v) => v * 2 + 0.1);
        const x = dtype === "int32" ? base.map((v) => Math.round(v * 3)) : base;
        const typed = allocTyped(dtype, n);
        typed.set(x);
        const r = reduce(op, typed, shape, dtype, axes);
        assert.equal(r.dtype, dtype);
        assert.deepEqual(r.shape, shape.filter((_, i) => !axes.includes(i)));
        const want = naive(op, typed, shape, axes, dtype === "int32");
        const wanted = dtype === "float32" ? want.map(Math.fround) : want;
        assertAllClose(r.values, wanted, {
          rtol: 1e-6,
          atol: 1e-6,
          msg: `${op} ${dtype} [${shape}] [${axes}]`,
        });
      },
    ),
    { numRuns: 200 },
  );
  fc.assert(
    fc.property(shapeAxes, fc.constantFrom<ReduceOp>("any", "all"), ([shape, axes], op) => {
      const n = sizeOf(shape);
      const x = Array.from(randomArray(n, n + 1), (v) => (v > -0.6 ? 1 : 0));
      const r = reduce(op, x, shape, "bool", axes);
      assert.equal(r.dtype, "bool");
      assert.deepEqual(Array.from(r.values), naive(op, x, shape, axes));
    }),
    { numRuns: 100 },
  );
});

Deno.test("reduce: argmax/argmin over any single axis match naive loops (property)", () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }),
      fc.nat(),
      fc.constantFrom<ReduceOp>("argmax", "argmin"),
      fc.boolean(),
      (shape, a, op, withNan) => {
        const axis = a % shape.length;
        const n = sizeOf(shape);
        // Few distinct values so ties are common; NaN sometimes.
        const x = Array.from(
          randomArray(n, n + a),
          (v) => (withNan && v > 0.7 ? NaN : Math.round(v * 2)),
        );
        const r = reduce(op, x, shape, "float32", [axis]);
        assert.equal(r.dtype, "int32");
        assert.deepEqual(
          Array.from(r.values),
          naive(op, x, shape, [axis]),
          `[${shape}] axis ${axis}`,
        );
      },
    ),
    { numRuns: 200 },
  );
});

Deno.test("reduce: NaN propagates through max/min; argmax takes the first NaN and the first tie", () => {
  const x = [1, NaN, 3, 2, 5, 5];
  assert.ok(Number.isNaN(reduce("max", x, [6], "float32", [0]).values[0]));
  assert.ok(Number.isNaN(reduce("min", x, [2, 3], "float64", [1]).values[0]));
  assert.equal(reduce("max", x, [2, 3], "float64", [1]).values[1], 5);
  assert.deepEqual(Array.from(reduce("argmax", [1, NaN, NaN, 9], [4], "float32", [0]).values), [1]);
  assert.deepEqual(Array.from(reduce("argmin", [NaN, -1], [2], "float32", [0]).values), [0]);
  assert.deepEqual(Array.from(reduce("argmax", [5, 7, 7, 1], [4], "float32", [0]).values), [1]);
  // Strided path (axis 0 of [3, 2]): ties → first row, NaN wins per column.
  assert.deepEqual(
    Array.from(reduce("argmax", [4, 1, 4, NaN, 2, NaN], [3, 2], "float32", [0]).values),
    [0, 1],
  );
  assert.deepEqual(Array.from(reduce("argmin", [4, 1, 2, 1, 2, 0], [3, 2], "int32", [0]).values), [
    1,
    2,
  ]);
});

Deno.test("reduce: empty axes give identities; int sums wrap; float32 sums accumulate in double", () => {
  const e = (op: ReduceOp, dtype: DType) => Array.from(reduce(op, [], [2, 0], dtype, [1]).values);
  assert.deepEqual(e("sum", "float32"), [0, 0]);
  assert.deepEqual(e("prod", "float64"), [1, 1]);
  assert.deepEqual(e("max", "float32"), [-Infinity, -Infinity]);
  assert.deepEqual(e("min", "float64"), [Infinity, Infinity]);
  assert.deepEqual(e("max", "int32"), [-2147483648, -2147483648]);
  assert.deepEqual(e("min", "uint32"), [4294967295, 4294967295]);
  assert.deepEqual(e("any", "bool"), [0, 0]);
  assert.deepEqual(e("all", "bool"), [1, 1]);
  assert.deepEqual(reduce("sum", [], [0, 3], "float32", [0]).shape, [3]);
  assert.deepEqual(Array.from(reduce("sum", [2147483647, 1, 5], [3], "int32", [0]).values), [
    -2147483643,
  ]);
  assert.deepEqual(Array.from(reduce("sum", [4294967295, 2], [2], "uint32", [0]).values), [1]);
  assert.deepEqual(Array.from(reduce("prod", [65536, 65536, 3], [3], "int32", [0]).values), [0]);
  // 1e6 × float32(0.1): a float32 accumulator would drift by ~1%.
  const n = 1_000_000;
  const tenth = Math.fround(0.1);
  const s = reduce("sum", new Float32Array(n).fill(tenth), [n], "float32", [0]).values[0];
  assert.equal(s, Math.fround(tenth * n));
  // Strided float32 sum (axis 0) also accumulates in double.
  const s2 = reduce("sum", new Float32Array(2 * n).fill(tenth), [n, 2], "float32", [0]).values;
  assert.deepEqual(Array.from(s2), [Math.fround(tenth * n), Math.fround(tenth * n)]);
});

Deno.test("reduce: non-contiguous axes, unit dims and full reductions", () => {
  const x = Array.from({ length: 24 }, (_, i) => i);
  const r = reduce("sum", x, [2, 3, 4], "float64", [0, 2]);
  assert.deepEqual(r.shape, [3]);
  assert.deepEqual(Array.from(r.values), [60, 92, 124]);
  const r2 = reduce("max", x, [2, 1, 3, 1, 4], "int32", [1, 3]);
  assert.deepEqual(r2.shape, [2, 3, 4]);
  assert.deepEqual(Array.from(r2.values), x);
  const r3 = reduce("sum", x, [2, 3, 4], "float32", [0, 1, 2]);
  assert.deepEqual(r3.shape, []);
  assert.deepEqual(Array.from(r3.values), [276]);
});

Deno.test("reduce: bad axes and dtypes throw", () => {
  assert.throws(() => reduce("sum", [1, 2], [2], "float32", [1]), RangeError);
  assert.throws(() => reduce("sum", [1, 2, 3, 4], [2, 2], "float32", [1, 0]), /reduce\(\): /);
  assert.throws(() => reduce("argmax", [1, 2, 3, 4], [2, 2], "float32", [0, 1]), RangeError);
  assert.throws(() => reduce("sum", [1, 0], [2], "bool", [0]), TypeError);
});

function cumsum(
  values: number[],
  shape: number[],
  dtype: DType,
  axis: number,
  exclusive: boolean,
  reverse: boolean,
) {
  const t = allocTyped(dtype, values.length);
  t.set(values);
  const x = cpu.write(t, shape, dtype);
  const r = cpu.cumsum(x, axis, exclusive, reverse);
  assert.equal(r.dtype, dtype);
  assert.deepEqual(r.shape, shape);
  return Array.from(cpu.readSync(r));
}

/** Naive cumsum along `axis`, walking each line in index order. */
function naiveCumsum(
  x: number[],
  shape: number[],
  axis: number,
  exclusive: boolean,
  reverse: boolean,
): number[] {
  const inner = sizeOf(shape.slice(axis + 1));
  const n = shape[axis];
  const outer = sizeOf(shape.slice(0, axis));
  const out = new Array<number>(x.length).fill(0);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      let s = 0;
      for (let t = 0; t < n; t++) {
        const r = reverse ? n - 1 - t : t;
        const i = (o * n + r) * inner + j;
        if (exclusive) out[i] = s;
        s += x[i];
        if (!exclusive) out[i] = s;
      }
    }
  }
  return out;
}

Deno.test("cumsum: every axis, exclusive and reverse match a naive loop (property)", () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 }),
      fc.nat(),
      fc.boolean(),
      fc.boolean(),
      (shape, a, exclusive, reverse) => {
        const axis = a % shape.length;
        const x = Array.from(randomArray(sizeOf(shape), a + 2), (v) => Math.round(v * 100) / 4);
        const got = cumsum(x, shape, "float64", axis, exclusive, reverse);
        assertAllClose(got, naiveCumsum(x, shape, axis, exclusive, reverse), { rtol: 1e-12 });
      },
    ),
    { numRuns: 150 },
  );
});

Deno.test("cumsum: known values, int32 wrap, errors", () => {
  assert.deepEqual(cumsum([1, 2, 3, 4], [4], "float32", 0, false, false), [1, 3, 6, 10]);
  assert.deepEqual(cumsum([1, 2, 3, 4], [4], "float32", 0, true, false), [0, 1, 3, 6]);
  assert.deepEqual(cumsum([1, 2, 3, 4], [4], "float32", 0, false, true), [10, 9, 7, 4]);
  assert.deepEqual(cumsum([1, 2, 3, 4], [4], "float32", 0, true, true), [9, 7, 4, 0]);
  assert.deepEqual(cumsum([1, 2, 3, 4, 5, 6], [2, 3], "int32", 0, false, false), [
    1,
    2,
    3,
    5,
    7,
    9,
  ]);
  assert.deepEqual(cumsum([2147483647, 1], [2], "int32", 0, false, false), [
    2147483647,
    -2147483648,
  ]);
  assert.deepEqual(cumsum([], [0, 3], "float32", 0, false, false), []);
  assert.throws(() => cumsum([1], [1], "float32", 1, false, false), RangeError);
  assert.throws(() => cumsum([1], [1], "bool", 0, false, false), TypeError);
});
