/**
 * cpu sort / argsort / top-k through CpuBackend against a reference built on
 * the (stable) Array.prototype.sort: NaN largest, ties in original order,
 * both directions, every axis, float/int/uint32 keys.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import { CpuBackend } from "../../../backends/cpu/mod.ts";
import { allocTyped, type DType, sizeOf } from "../../../backends/backend.ts";
import { randomArray } from "../../helpers.ts";

const cpu = new CpuBackend();

function put(values: ArrayLike<number>, shape: number[], dtype: DType) {
  const t = allocTyped(dtype, values.length);
  t.set(values);
  return cpu.write(t, shape, dtype);
}

/** Stable reference order of one line: NaN is the largest key. */
function refOrder(line: number[], descending: boolean): number[] {
  const key = (v: number) => (Number.isNaN(v) ? Infinity : v);
  const rank = (v: number) => (Number.isNaN(v) ? 1 : 0);
  return line.map((_, i) => i).sort((i, j) => {
    const a = line[i], b = line[j];
    const c = key(a) - key(b) || rank(a) - rank(b) || 0;
    return descending ? -c : c;
  });
}

/** Apply `refOrder` to every line along `axis`; returns [indices, values]. */
function refSort(
  x: number[],
  shape: number[],
  axis: number,
  descending: boolean,
): [number[], number[]] {
  const n = shape[axis];
  const inner = sizeOf(shape.slice(axis + 1));
  const outer = sizeOf(shape.slice(0, axis));
  const idx = new Array<number>(x.length);
  const val = new Array<number>(x.length);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const at = (r: number) => (o * n + r) * inner + j;
      const line = Array.from({ length: n }, (_, r) => x[at(r)]);
      refOrder(line, descending).forEach((r, p) => {
        idx[at(p)] = r;
        val[at(p)] = line[r];
      });
    }
  }
  return [idx, val];
}

const sortCase = fc.record({
  shape: fc.array(fc.integer({ min: 1, max: 24 }), { minLength: 1, maxLength: 3 }),
  axisSeed: fc.nat(),
  seed: fc.nat(),
  descending: fc.boolean(),
  dtype: fc.constantFrom<DType>("float32", "float64", "int32", "uint32"),
  nan: fc.boolean(),
});

Deno.test("argsort/sort: random lines on every axis match the stable reference (property)", () => {
  fc.assert(
    fc.property(sortCase, (c) => {
      const axis = c.axisSeed % c.shape.length;
      const n = sizeOf(c.shape);
      const float = c.dtype.startsWith("float");
      // Few distinct values (many ties); NaN only for floats; uint32 above 2^31.
      const x = Array.from(randomArray(n, c.seed), (v) => {
        if (float && c.nan && v > 0.8) return NaN;
        const k = Math.round(v * 4);
        return c.dtype === "uint32" ? (k + 4) * 536870911 : float ? k / 2 : k;
      });
      const t = put(x, c.shape, c.dtype);
      const [wantIdx, wantVal] = refSort(Array.from(cpu.readSync(t)), c.shape, axis, c.descending);
      const a = cpu.argsort(t, axis, c.descending);
      assert.equal(a.dtype, "int32");
      assert.deepEqual(Array.from(cpu.readSync(a)), wantIdx);
      const s = cpu.sort(t, axis, c.descending);
      assert.equal(s.dtype, c.dtype);
      assert.deepEqual(Array.from(cpu.readSync(s)), wantVal);
    }),
    { numRuns: 200 },
  );
});

Deno.test("argsort: long lines (merge passes), already sorted input, uint32 permutation keys", () => {
  const n = 5000;
  const keys = Array.from(randomArray(n, 3), (v) => Math.floor((v + 1) * 2147483648));
  const t = put(keys, [n], "uint32");
  const got = Array.from(cpu.readSync(cpu.argsort(t, 0, false)));
  assert.deepEqual(got, refOrder(Array.from(cpu.readSync(t)), false));
  const sorted = put(Array.from({ length: n }, (_, i) => i >> 3), [n], "int32");
  assert.deepEqual(
    Array.from(cpu.readSync(cpu.argsort(sorted, 0, false))),
    Array.from({ length: n }, (_, i) => i),
  );
  const desc = Array.from(cpu.readSync(cpu.argsort(sorted, 0, true)));
  assert.deepEqual(desc.slice(0, 9), [4992, 4993, 4994, 4995, 4996, 4997, 4998, 4999, 4984]);
});

Deno.test("sort: known values, NaN placement, -0 survives", () => {
  const x = put([3, NaN, -1, 3, -0, 0, Infinity], [7], "float64");
  assert.deepEqual(Array.from(cpu.readSync(cpu.sort(x, 0, false))), [
    -1,
    -0,
    0,
    3,
    3,
    Infinity,
    NaN,
  ]);
  assert.deepEqual(Array.from(cpu.readSync(cpu.sort(x, 0, true))), [
    NaN,
    Infinity,
    3,
    3,
    -0,
    0,
    -1,
  ]);
  assert.deepEqual(Array.from(cpu.readSync(cpu.argsort(x, 0, true))), [1, 6, 0, 3, 4, 5, 2]);
  const e = put([], [0, 2], "float32");
  assert.deepEqual(cpu.sort(e, 0, false).shape, [0, 2]);
  assert.throws(() => cpu.sort(x, 1, false), RangeError);
});

/** Reference top-k of each row: first k of the stable descending order. */
function refTopk(x: number[], n: number, k: number): [number[], number[]] {
  const vals: number[] = [], idx: number[] = [];
  for (let r = 0; r < x.length / n; r++) {
    const line = x.slice(r * n, (r + 1) * n);
    for (const i of refOrder(line, true).slice(0, k)) {
      idx.push(i);
      vals.push(line[i]);
    }
  }
  return [vals, idx];
}

Deno.test("topk: heap (small k) and sort (large k, NaN rows) paths match the reference (property)", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 1, max: 60 }),
      fc.nat(),
      fc.nat(),
      fc.constantFrom<DType>("float32", "int32"),
      fc.boolean(),
      (rows, n, kSeed, seed, dtype, nan) => {
        const k = kSeed % (n + 1);
        const x = Array.from(randomArray(rows * n, seed), (v) => {
          if (dtype === "float32" && nan && v > 0.9) return NaN;
          return Math.round(v * 5);
        });
        const t = put(x, [rows, n], dtype);
        const r = cpu.topk(t, k);
        assert.deepEqual(r.values.shape, [rows, k]);
        assert.equal(r.indices.dtype, "int32");
        assert.equal(r.values.dtype, dtype);
        const [wv, wi] = refTopk(Array.from(cpu.readSync(t)), n, k);
        assert.deepEqual(Array.from(cpu.readSync(r.indices)), wi, `k=${k} n=${n}`);
        assert.deepEqual(Array.from(cpu.readSync(r.values)), wv);
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("topk: long rows with small k, ties to the lower index, errors", () => {
  const n = 10000;
  const x = Array.from(randomArray(n, 11), (v) => Math.round(v * 1000));
  const r = cpu.topk(put(x, [n], "float64"), 5);
  const [wv, wi] = refTopk(x, n, 5);
  assert.deepEqual(Array.from(cpu.readSync(r.values)), wv);
  assert.deepEqual(Array.from(cpu.readSync(r.indices)), wi);
  const tie = cpu.topk(put([1, 5, 3, 5, 5], [5], "float32"), 2);
  assert.deepEqual(Array.from(cpu.readSync(tie.indices)), [1, 3]);
  assert.throws(() => cpu.topk(put([1, 2], [2], "float32"), 3), RangeError);
  assert.throws(() => cpu.topk(put([1], [], "float32"), 1), /topk\(\): /);
});
