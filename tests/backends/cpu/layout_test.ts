/**
 * cpu data-movement kernels through CpuBackend: transpose and slice against
 * naive index loops (fast-check), concat, pad (NumPy values), gather /
 * take_along_axis (JAX clamping) and scatter (set/add, dropped indices).
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import { CpuBackend } from "../../../backends/cpu/mod.ts";
import { allocTyped, type DType, type PadMode, sizeOf } from "../../../backends/backend.ts";

const cpu = new CpuBackend();

function put(values: ArrayLike<number>, shape: number[], dtype: DType = "float32") {
  const t = allocTyped(dtype, values.length);
  t.set(values);
  return cpu.write(t, shape, dtype);
}

const iota = (n: number) => Array.from({ length: n }, (_, i) => i);

function unravel(i: number, shape: number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return idx;
}

const ravel = (idx: number[], shape: number[]) => idx.reduce((k, v, d) => k * shape[d] + v, 0);

Deno.test("transpose: random shapes and permutations match a naive loop (property)", () => {
  const arb = fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 5 }).chain((
    shape,
  ) =>
    fc.tuple(
      fc.constant(shape),
      fc.shuffledSubarray(iota(shape.length), { minLength: shape.length }),
    )
  );
  fc.assert(
    fc.property(arb, fc.constantFrom<DType>("float32", "int32", "bool"), ([shape, perm], dtype) => {
      const n = sizeOf(shape);
      const x = iota(n).map((v) => (dtype === "bool" ? v % 2 : v));
      const r = cpu.transpose(put(x, shape, dtype), perm);
      const outShape = perm.map((p) => shape[p]);
      assert.deepEqual(r.shape, outShape);
      assert.equal(r.dtype, dtype);
      const want = iota(n).map((i) => {
        const oi = unravel(i, outShape);
        const xi = new Array<number>(shape.length);
        perm.forEach((p, d) => (xi[p] = oi[d]));
        return x[ravel(xi, shape)];
      });
      assert.deepEqual(Array.from(cpu.readSync(r)), want, `[${shape}] perm [${perm}]`);
    }),
    { numRuns: 200 },
  );
});

Deno.test("transpose: large 2-D and batched 2-D (blocked paths)", () => {
  const [m, n] = [67, 45];
  const x = put(iota(m * n), [m, n]);
  const t = cpu.readSync(cpu.transpose(x, [1, 0]));
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) assert.equal(t[j * m + i], i * n + j);
  const b = put(iota(3 * 40 * 33), [3, 1, 40, 33], "int32");
  const tb = cpu.transpose(b, [0, 1, 3, 2]);
  assert.deepEqual(tb.shape, [3, 1, 33, 40]);
  const v = cpu.readSync(tb);
  assert.equal(v[2 * 1320 + 5 * 40 + 7], 2 * 1320 + 7 * 33 + 5);
  assert.throws(() => cpu.transpose(x, [0, 0]), /transpose\(\): /);
});

Deno.test("slice: random begin/size/strides (negative too) match a naive loop (property)", () => {
  const axis = fc.integer({ min: 1, max: 6 }).chain((d) =>
    fc.tuple(
      fc.constant(d),
      fc.integer({ min: 0, max: d - 1 }),
      fc.integer({ min: -3, max: 3 }).filter((s) => s !== 0),
    )
      .chain(([dim, begin, stride]) => {
        const room = stride > 0
          ? Math.floor((dim - 1 - begin) / stride) + 1
          : Math.floor(begin / -stride) + 1;
        return fc.tuple(
          fc.constant(dim),
          fc.constant(begin),
          fc.constant(stride),
          fc.integer({ min: 0, max: room }),
        );
      })
  );
  fc.assert(
    fc.property(fc.array(axis, { minLength: 1, maxLength: 4 }), (axes) => {
      const shape = axes.map((a) => a[0]);
      const begin = axes.map((a) => a[1]);
      const strides = axes.map((a) => a[2]);
      const size = axes.map((a) => a[3]);
      const x = iota(sizeOf(shape));
      const r = cpu.slice(put(x, shape, "int32"), begin, size, strides);
      assert.deepEqual(r.shape, size);
      const want = iota(sizeOf(size)).map((i) => {
        const oi = unravel(i, size);
        return x[ravel(oi.map((k, d) => begin[d] + k * strides[d]), shape)];
      });
      assert.deepEqual(Array.from(cpu.readSync(r)), want);
    }),
    { numRuns: 200 },
  );
});

Deno.test("slice: contiguous rows and out-of-range errors", () => {
  const x = put(iota(6 * 100), [6, 100]);
  const r = cpu.readSync(cpu.slice(x, [2, 10], [3, 80], [1, 1]));
  assert.equal(r.length, 240);
  assert.equal(r[0], 210);
  assert.equal(r[239], 489);
  assert.throws(() => cpu.slice(x, [5, 0], [2, 1], [1, 1]), RangeError);
  assert.throws(() => cpu.slice(x, [0, 0], [1, 1], [0, 1]), /slice\(\): /);
});

Deno.test("concat: along each axis, and mismatched shapes throw", () => {
  const a = put(iota(6), [2, 3]);
  const b = put([10, 11, 12], [1, 3]);
  const c = put([20, 21], [2, 1]);
  const r0 = cpu.concat([a, b], 0);
  assert.deepEqual(r0.shape, [3, 3]);
  assert.deepEqual(Array.from(cpu.readSync(r0)), [0, 1, 2, 3, 4, 5, 10, 11, 12]);
  const r1 = cpu.concat([a, c, a], 1);
  assert.deepEqual(r1.shape, [2, 7]);
  assert.deepEqual(Array.from(cpu.readSync(r1)), [0, 1, 2, 20, 0, 1, 2, 3, 4, 5, 21, 3, 4, 5]);
  const big = put(iota(300), [3, 100], "int32");
  const rb = cpu.readSync(cpu.concat([big, big], 1));
  assert.equal(rb[199], 99);
  assert.equal(rb[200], 100);
  assert.throws(() => cpu.concat([a, c], 0), TypeError);
});

function pad(x: number[], shape: number[], pads: [number, number][], mode: PadMode, value = 0) {
  const r = cpu.pad(put(x, shape, "int32"), pads, mode, value);
  return { shape: [...r.shape], values: Array.from(cpu.readSync(r)) };
}

Deno.test("pad: NumPy constant, edge and reflect (long pads reflect repeatedly)", () => {
  assert.deepEqual(pad([1, 2, 3], [3], [[5, 4]], "reflect").values, [
    2,
    1,
    2,
    3,
    2,
    1,
    2,
    3,
    2,
    1,
    2,
    3,
  ]);
  assert.deepEqual(pad([1, 2], [2], [[3, 3]], "reflect").values, [2, 1, 2, 1, 2, 1, 2, 1]);
  assert.deepEqual(pad([7], [1], [[2, 1]], "reflect").values, [7, 7, 7, 7]);
  assert.deepEqual(pad([1, 2, 3], [3], [[2, 3]], "edge").values, [1, 1, 1, 2, 3, 3, 3, 3]);
  const a = iota(6);
  const r = pad(a, [2, 3], [[1, 2], [2, 1]], "reflect");
  assert.deepEqual(r.shape, [5, 6]);
  assert.deepEqual(
    r.values,
    [
      [5, 4, 3, 4, 5, 4],
      [2, 1, 0, 1, 2, 1],
      [5, 4, 3, 4, 5, 4],
      [2, 1, 0, 1, 2, 1],
      [5, 4, 3, 4, 5, 4],
    ].flat(),
  );
  assert.deepEqual(
    pad(a, [2, 3], [[1, 0], [0, 2]], "constant", 9).values,
    [
      [9, 9, 9, 9, 9],
      [0, 1, 2, 9, 9],
      [3, 4, 5, 9, 9],
    ].flat(),
  );
  assert.deepEqual(
    pad(a, [2, 3], [[0, 1], [1, 1]], "edge").values,
    [
      [0, 0, 1, 2, 2],
      [3, 3, 4, 5, 5],
      [3, 3, 4, 5, 5],
    ].flat(),
  );
  assert.deepEqual(pad([], [0, 2], [[1, 0], [0, 0]], "constant", 4), {
    shape: [1, 2],
    values: [4, 4],
  });
  assert.throws(() => pad([1], [1], [[-1, 0]], "constant"), RangeError);
  assert.throws(() => pad([], [0], [[1, 0]], "edge"), /pad\(\): /);
});

Deno.test("gather: take along an axis with clamped indices and index shapes", () => {
  const x = put(iota(12), [3, 4]);
  const idx = put([2, -1, 0, 9], [2, 2], "int32");
  const r0 = cpu.gather(x, idx, 0);
  assert.deepEqual(r0.shape, [2, 2, 4]);
  assert.deepEqual(Array.from(cpu.readSync(r0)), [
    8,
    9,
    10,
    11,
    0,
    1,
    2,
    3,
    0,
    1,
    2,
    3,
    8,
    9,
    10,
    11,
  ]);
  const r1 = cpu.gather(x, idx, 1);
  assert.deepEqual(r1.shape, [3, 2, 2]);
  assert.deepEqual(Array.from(cpu.readSync(r1)), [2, 0, 0, 3, 6, 4, 4, 7, 10, 8, 8, 11]);
  const wide = put(iota(3 * 100), [3, 100], "int32");
  const rw = cpu.readSync(cpu.gather(wide, put([2, 0], [2], "int32"), 0));
  assert.equal(rw[0], 200);
  assert.equal(rw[199], 99);
  const s = cpu.gather(x, put([1], [], "int32"), 1);
  assert.deepEqual(s.shape, [3]);
  assert.deepEqual(Array.from(cpu.readSync(s)), [1, 5, 9]);
});

Deno.test("gatherAlong: take_along_axis with broadcasting and clamping", () => {
  const x = put(iota(12), [3, 4]);
  const r = cpu.gatherAlong(x, put([0, 3, 1], [3, 1], "int32"), 1);
  assert.deepEqual(r.shape, [3, 1]);
  assert.deepEqual(Array.from(cpu.readSync(r)), [0, 7, 9]);
  const r0 = cpu.gatherAlong(x, put([2, 0, 1, 1], [1, 4], "int32"), 0);
  assert.deepEqual(Array.from(cpu.readSync(r0)), [8, 1, 6, 7]);
  // Index broadcast over rows of x, clamped: [-5, 10] → [0, 3].
  const rb = cpu.gatherAlong(x, put([-5, 10], [1, 2], "int32"), 1);
  assert.deepEqual(rb.shape, [3, 2]);
  assert.deepEqual(Array.from(cpu.readSync(rb)), [0, 3, 4, 7, 8, 11]);
  // x broadcast over index rows: x [1, 4], idx [2, 2] along axis 1.
  const xr = put([5, 6, 7, 8], [1, 4]);
  const rx = cpu.gatherAlong(xr, put([3, 0, 1, 1], [2, 2], "int32"), 1);
  assert.deepEqual(rx.shape, [2, 2]);
  assert.deepEqual(Array.from(cpu.readSync(rx)), [8, 5, 6, 6]);
  assert.throws(() => cpu.gatherAlong(x, put([0], [1], "int32"), 0), TypeError);
  assert.throws(() => cpu.gatherAlong(x, put([0, 0], [2, 1], "int32"), 1), /gatherAlong\(\): /);
});

Deno.test("scatter: set (last duplicate wins), add (accumulates), out-of-range dropped", () => {
  const x = put([1, 1, 1, 1], [4]);
  const idx = put([2, 0, 2, 7, -1], [5], "int32");
  const upd = put([10, 20, 30, 40, 50], [5]);
  assert.deepEqual(Array.from(cpu.readSync(cpu.scatter(x, idx, upd, 0, "set"))), [20, 1, 30, 1]);
  assert.deepEqual(Array.from(cpu.readSync(cpu.scatter(x, idx, upd, 0, "add"))), [21, 1, 41, 1]);
  assert.deepEqual(Array.from(cpu.readSync(x)), [1, 1, 1, 1], "input untouched");
  // Along axis 1 of [2, 3] with 2-D indices: updates [2, 1, 2].
  const m = put(iota(6), [2, 3], "int32");
  const i2 = put([2, 0], [1, 2], "int32");
  const u2 = put([100, 200, 300, 400], [2, 1, 2], "int32");
  const r = cpu.scatter(m, i2, u2, 1, "add");
  assert.deepEqual(r.shape, [2, 3]);
  assert.deepEqual(Array.from(cpu.readSync(r)), [200, 1, 102, 403, 4, 305]);
  // Rows (inner > 1), bool add is or.
  const b = put([0, 0, 0, 0], [2, 2], "bool");
  const rb = cpu.scatter(b, put([1], [1], "int32"), put([1, 0], [1, 2], "bool"), 0, "add");
  assert.deepEqual(Array.from(cpu.readSync(rb)), [0, 0, 1, 0]);
  assert.throws(() => cpu.scatter(x, idx, put([1], [1]), 0, "set"), /scatter\(\): /);
});

Deno.test("layout kernels handle empty tensors", () => {
  const e = put([], [0, 3]);
  assert.deepEqual(cpu.transpose(e, [1, 0]).shape, [3, 0]);
  assert.deepEqual(cpu.slice(put(iota(3), [3]), [0], [0], [1]).shape, [0]);
  assert.deepEqual(cpu.gather(e, put([0, 1], [2], "int32"), 1).shape, [0, 2]);
  assert.throws(() => cpu.gather(put([], [0]), put([0], [1], "int32"), 0), RangeError);
});
