/**
 * NumPy legacy RandomState (MT19937) beyond the golden cases: values from
 * numpy 2.4.6 `np.random.RandomState` (frozen legacy stream) and the
 * reference mt19937ar.c output for init_by_array.
 */

import assert from "node:assert/strict";
import { RandomState } from "../../../core/random/mod.ts";

Deno.test("RandomState: init_by_array matches mt19937ar.c's published output", () => {
  const rs = new RandomState([0x123, 0x234, 0x345, 0x456]);
  assert.deepEqual(Array.from(rs.randomRaw(5)), [
    1067595299,
    955945823,
    477289528,
    4107218783,
    4228976476,
  ]);
});

Deno.test("RandomState: random over the 624-word refill, shapes, max seed", () => {
  const rs = new RandomState(0);
  rs.random(700); // crosses a twist
  assert.deepEqual(Array.from(rs.randint(0, 100, 3)), [57, 93, 11]);
  assert.deepEqual(Array.from(new RandomState(7).random([2, 2])), [
    0.07630828937395717,
    0.7799187922401146,
    0.4384092314408935,
    0.7234651778309412,
  ]);
  assert.deepEqual(Array.from(new RandomState(2 ** 32 - 1).random(2)), [
    0.0976320289940138,
    0.9123828453026218,
  ]);
  const b = new RandomState(2n ** 32n - 1n);
  assert.equal(b.random(), 0.0976320289940138);
});

Deno.test("RandomState.randint: negative lows, 32-bit full range, 64-bit ranges", () => {
  assert.deepEqual(Array.from(new RandomState(9).randint(-5, 5, 6)), [0, 1, 3, 1, -4, 1]);
  assert.deepEqual(Array.from(new RandomState(11).randint(0, 2 ** 32, 3)), [
    774252441,
    293375679,
    83645520,
  ]);
  assert.deepEqual(Array.from(new RandomState(9).randint(0, 2 ** 40, 4)), [
    542731227484,
    543309627893,
    781716445240,
    1079394964374,
  ]);
  const rs = new RandomState(3);
  const x = rs.randint(8);
  assert.ok(Number.isInteger(x) && x >= 0 && x < 8);
});

Deno.test("RandomState.shuffle / permutation: NumPy's legacy Fisher–Yates", () => {
  const x = Float64Array.from({ length: 10 }, (_, i) => i);
  new RandomState(0).shuffle(x);
  assert.deepEqual(Array.from(x), [2, 8, 4, 9, 1, 6, 7, 3, 0, 5]);
  assert.deepEqual(Array.from(new RandomState(42).permutation(12)), [
    10,
    9,
    0,
    8,
    5,
    2,
    1,
    11,
    4,
    7,
    3,
    6,
  ]);
  const list = [0, 1, 2, 3, 4, 5];
  new RandomState(1).shuffle(list);
  assert.deepEqual(list, [2, 1, 4, 0, 3, 5]);
  const rows = [[1], [2], [3]];
  const copy = new RandomState(5).permutation(rows);
  assert.notEqual(copy, rows);
  assert.deepEqual(rows, [[1], [2], [3]], "permutation copies");
  assert.deepEqual(copy.map((r) => r[0]).sort(), [1, 2, 3]);
});

Deno.test("RandomState.choice: the four NumPy legacy paths", () => {
  assert.deepEqual(Array.from(new RandomState(3).choice(7, { size: 6 })), [2, 0, 1, 3, 0, 0]);
  assert.deepEqual(Array.from(new RandomState(3).choice(7, { size: 4, replace: false })), [
    4,
    6,
    5,
    3,
  ]);
  assert.deepEqual(
    Array.from(new RandomState(3).choice(4, { size: 8, p: [0.1, 0.2, 0.3, 0.4] })),
    [2, 3, 1, 2, 3, 3, 1, 1],
  );
  assert.deepEqual(
    Array.from(
      new RandomState(3).choice(5, { size: 3, replace: false, p: [0.1, 0.2, 0.3, 0.25, 0.15] }),
    ),
    [2, 3, 1],
  );
  const rs = new RandomState(5);
  assert.equal(rs.choice(9), 3);
  assert.equal(rs.choice(["a", "b", "c"]), "c");
});

Deno.test("RandomState: bad input", () => {
  assert.throws(() => new RandomState(-1), RangeError);
  assert.throws(() => new RandomState(2 ** 32), RangeError);
  assert.throws(() => new RandomState(1.5), TypeError);
  assert.throws(() => new RandomState([]), RangeError);
  assert.throws(() => new RandomState([1, -2]), RangeError);
  const rs = new RandomState(0);
  assert.throws(() => rs.randint(5, 5), RangeError);
  assert.throws(() => rs.randint(0), RangeError);
  assert.throws(() => rs.randint(0, 2.5), TypeError);
  assert.throws(() => rs.random(-1), RangeError);
  assert.throws(() => rs.random([2, 1.5]), TypeError);
  assert.throws(() => rs.permutation(-3), RangeError);
  assert.throws(() => rs.choice(3, { p: [0.5, 0.6, 0] }), RangeError);
  assert.throws(() => rs.choice(3, { p: [1.5, -0.5, 0] }), RangeError);
  assert.throws(() => rs.choice(3, { p: [1] }), RangeError);
  assert.throws(() => rs.choice(3, { size: 4, replace: false }), RangeError);
  assert.throws(() => rs.choice(3, { size: 2, replace: false, p: [1, 0, 0] }), RangeError);
  assert.throws(() => rs.choice(0, { size: 1 }), RangeError);
});

Deno.test("RandomState: unseeded generators differ; seed() restarts the stream", () => {
  const a = new RandomState().randomRaw(4), b = new RandomState().randomRaw(4);
  assert.notDeepEqual(Array.from(a), Array.from(b));
  const rs = new RandomState(10);
  const first = rs.random(3);
  rs.seed(10);
  assert.deepEqual(rs.random(3), first);
});
