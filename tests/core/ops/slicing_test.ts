import assert from "node:assert/strict";
import fc from "fast-check";
import { arange } from "../../../core/ops/creation.ts";
import { flip, pad, slice, stridedSlice } from "../../../core/ops/slicing.ts";
import { expectTensor, noLeak, read, throwsNoLeak } from "./ops_helpers.ts";

Deno.test("slice: begin, size, -1, missing trailing entries", () => {
  const x = [[1, 2, 3], [4, 5, 6]];
  expectTensor(slice(x, [0, 1], [2, -1]), [2, 3, 5, 6], [2, 2], "float32");
  expectTensor(slice(x, [1]), [4, 5, 6], [1, 3], "float32");
  expectTensor(slice(x, [1, 1], [1, 1]), [5], [1, 1], "float32");
  expectTensor(slice(x, [2, 3], [0, 0]), [], [0, 0], "float32");
  expectTensor(slice(new Int32Array([1, 2, 3]), 1), [2, 3], [2], "int32");
  noLeak(() => slice(x, [0, 0], [1, 2]));
  throwsNoLeak(() => slice(x, [3, 0]), RangeError, "slice", /begin 3/);
  throwsNoLeak(() => slice(x, [-1, 0]), RangeError, "slice");
  throwsNoLeak(() => slice(x, [0, 1], [1, 3]), RangeError, "slice", /size 3/);
  throwsNoLeak(() => slice(x, [0, 0, 0]), TypeError, "slice", /rank 2/);
  throwsNoLeak(() => slice(x, [0.5]), RangeError, "slice");
  throwsNoLeak(() => slice(x, "0" as never), TypeError, "slice");
});

/** Python's list slicing, the reference for stridedSlice. */
function pySlice(n: number, start: number | null, stop: number | null, step: number): number[] {
  const xs = Array.from({ length: n }, (_, i) => i);
  const norm = (v: number) => (v < 0 ? v + n : v);
  const out: number[] = [];
  if (step > 0) {
    let b = start === null ? 0 : norm(start);
    const e = stop === null ? n : Math.min(Math.max(norm(stop), 0), n);
    b = Math.max(b, 0);
    for (let i = b; i < e; i += step) out.push(xs[i]);
  } else {
    let b = start === null ? n - 1 : norm(start);
    const e = stop === null ? -1 : Math.max(norm(stop), -1);
    b = Math.min(b, n - 1);
    for (let i = b; i > e; i += step) out.push(xs[i]);
  }
  return out;
}

Deno.test("stridedSlice follows Python slicing", () => {
  expectTensor(stridedSlice([0, 1, 2, 3, 4, 5], [1], [-1], [2]), [1, 3], [2], "float32");
  expectTensor(stridedSlice([0, 1, 2, 3], [null], [null], [-1]), [3, 2, 1, 0], [4], "float32");
  expectTensor(stridedSlice([0, 1, 2, 3], [-100], [100]), [0, 1, 2, 3], [4], "float32");
  expectTensor(stridedSlice([0, 1, 2, 3], [3], [0]), [], [0], "float32");
  expectTensor(
    stridedSlice([[1, 2, 3], [4, 5, 6]], [null, null], [null, null], [-1, 2]),
    [4, 6, 1, 3],
    [2, 2],
    "float32",
  );
  expectTensor(stridedSlice([[1, 2, 3], [4, 5, 6]], [1], [2]), [4, 5, 6], [1, 3], "float32");
  throwsNoLeak(() => stridedSlice([1, 2], [0], [2], [0]), RangeError, "stridedSlice", /not be 0/);
  throwsNoLeak(() => stridedSlice([1, 2], [0, 0], [2]), TypeError, "stridedSlice", /rank 1/);
  throwsNoLeak(() => stridedSlice([1, 2], [0.5], [2]), RangeError, "stridedSlice");
});

Deno.test("property: stridedSlice matches Python slicing on random slices", () => {
  const bound = fc.option(fc.integer({ min: -8, max: 8 }), { nil: null });
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 6 }),
      bound,
      bound,
      fc.integer({ min: -3, max: 3 }).filter((s) => s !== 0),
      (n, b, e, s) => {
        using x = arange(n);
        const r = read(stridedSlice(x, [b], [e], [s]));
        assert.deepEqual(r.v, pySlice(n, b, e, s), `n=${n} [${b}:${e}:${s}]`);
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("pad: constant, edge, reflect (numpy)", () => {
  expectTensor(pad([1, 2, 3], [[1, 2]], { value: 9 }), [9, 1, 2, 3, 9, 9], [6], "float32");
  expectTensor(pad([1, 2, 3], 1), [0, 1, 2, 3, 0], [5], "float32");
  expectTensor(pad([1, 2, 3], [2, 1], { mode: "edge" }), [1, 1, 1, 2, 3, 3], [6], "float32");
  // np.pad([1, 2, 3], 2, mode="reflect") = [3, 2, 1, 2, 3, 2, 1]
  expectTensor(pad([1, 2, 3], 2, { mode: "reflect" }), [3, 2, 1, 2, 3, 2, 1], [7], "float32");
  // np.pad([[1, 2], [3, 4]], ((1, 0), (0, 1)), mode="edge")
  expectTensor(
    pad([[1, 2], [3, 4]], [[1, 0], [0, 1]], { mode: "edge" }),
    [1, 2, 2, 1, 2, 2, 3, 4, 4],
    [3, 3],
    "float32",
  );
  expectTensor(pad(new Int32Array([1]), [[0, 0]]), [1], [1], "int32");
  expectTensor(pad(new Int32Array([1]), 1, { value: -2 }), [-2, 1, -2], [3], "int32");
  expectTensor(pad([[]], [[0, 0], [1, 1]]), [0, 0], [1, 2], "float32");
  noLeak(() => pad([[1, 2], [3, 4]], 1, { mode: "reflect" }));
});

Deno.test("pad: bad input", () => {
  throwsNoLeak(() => pad([1, 2, 3], 3, { mode: "reflect" }), RangeError, "pad", /reflect/);
  throwsNoLeak(
    () => pad([[]], [[0, 0], [1, 0]], { mode: "edge" }),
    RangeError,
    "pad",
    /empty axis/,
  );
  throwsNoLeak(() => pad([1], -1), RangeError, "pad", /non-negative/);
  throwsNoLeak(() => pad([[1]], [[1, 1]]), TypeError, "pad", /expected 2/);
  throwsNoLeak(() => pad([1], [[1]] as never), TypeError, "pad", /pair/);
  throwsNoLeak(() => pad([1], 1, { mode: "wrap" as never }), RangeError, "pad", /mode/);
  throwsNoLeak(() => pad([1], 1, { value: "0" as never }), TypeError, "pad");
  throwsNoLeak(() => pad([1], "1" as never), TypeError, "pad");
});

Deno.test("flip", () => {
  expectTensor(flip([[1, 2], [3, 4]]), [4, 3, 2, 1], [2, 2], "float32");
  expectTensor(flip([[1, 2], [3, 4]], 1), [2, 1, 4, 3], [2, 2], "float32");
  expectTensor(flip([[1, 2], [3, 4]], -2), [3, 4, 1, 2], [2, 2], "float32");
  expectTensor(flip(new Int32Array([])), [], [0], "int32");
  expectTensor(flip(5), [5], [], "float32");
  noLeak(() => flip([1, 2, 3]));
  throwsNoLeak(() => flip([1, 2], 1), RangeError, "flip");
  throwsNoLeak(() => flip([[1]], [0, 0]), RangeError, "flip", /repeated/);
});
