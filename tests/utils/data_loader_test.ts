/**
 * DataLoader: batch partition, padding, JAX-exact shuffles per pass, no
 * readback per batch, ownership, leaks and bad input.
 */

import assert from "node:assert/strict";
import { backendByName, getBackend, memory, type Tensor, tensor } from "../../mod.ts";
import { type DataBatch, DataLoader } from "../../utils/data_loader.ts";
import { permutationRef, type RefLayout, splitRef } from "../core/random/_ref.ts";

/** Row r of X is [r, 100 + r]; of Y is [r]. */
function matrices(n: number): [string, number[][]][] {
  return [
    ["X", Array.from({ length: n }, (_, r) => [r, 100 + r])],
    ["Y", Array.from({ length: n }, (_, r) => [r])],
  ];
}

/** Row indices of one pass (from the first column of X), disposing the batches. */
function pass(loader: DataLoader): number[][] {
  const out: number[][] = [];
  for (const batch of loader) {
    const [[nx, x], [ny, y]] = batch;
    assert.equal(nx, "X");
    assert.equal(ny, "Y");
    const xs = x.arraySync() as number[][];
    const ys = y.arraySync() as number[][];
    xs.forEach((row, i) => {
      assert.equal(row[1], 100 + row[0]);
      assert.equal(ys[i][0], row[0]);
    });
    out.push(xs.map((r) => r[0]));
    disposeBatch(batch);
  }
  return out;
}

function disposeBatch(b: DataBatch): void {
  for (const [, t] of b) t.dispose();
}

/** ngclearn's partition of pointers into batches. */
function partition(ptrs: number[], bs: number, pad: boolean): number[][] {
  const out: number[][] = [];
  for (let s = 0; s < ptrs.length; s += bs) {
    let idx = ptrs.slice(s, s + bs);
    if (pad && idx.length < bs) idx = idx.concat(ptrs.slice(0, bs - idx.length));
    out.push(idx);
  }
  return out;
}

Deno.test("DataLoader: unshuffled batches, padding with the first pointers, counts", () => {
  const before = memory().tensors;
  const arange = (n: number) => Array.from({ length: n }, (_, i) => i);
  for (const [n, bs] of [[6, 3], [7, 3], [9, 4], [5, 5], [5, 1]]) {
    for (const pad of [true, false]) {
      using loader = new DataLoader(matrices(n), bs, {
        disableShuffle: true,
        ensureEqualBatches: pad,
      });
      assert.equal(loader.numBatches, Math.ceil(n / bs));
      assert.equal(loader.numSamples, n);
      assert.deepEqual(loader.names, ["X", "Y"]);
      assert.deepEqual(pass(loader), partition(arange(n), bs, pad), `n ${n} bs ${bs} pad ${pad}`);
    }
  }
  // the golden case: 7 rows, batch 3 -> [6, 0, 1] last
  {
    using l7 = new DataLoader(matrices(7), 3, { disableShuffle: true });
    assert.deepEqual(pass(l7), [[0, 1, 2], [3, 4, 5], [6, 0, 1]]);
  }
  assert.equal(memory().tensors, before);
});

Deno.test("DataLoader: every pass reshuffles with split(key) then permutation, as JAX", () => {
  for (const layout of ["partitionable", "legacy"] as RefLayout[]) {
    const before = memory().tensors;
    using loader = new DataLoader(matrices(7), 3, { key: [0, 0], layout });
    let key = [0, 0];
    const passes: number[][][] = [];
    for (let p = 0; p < 3; p++) {
      const [next, sub] = splitRef(key, 2, layout);
      const ptrs = permutationRef(sub, 7, layout);
      key = next;
      const got = pass(loader);
      assert.deepEqual(got, partition(ptrs, 3, true), `${layout} pass ${p}`);
      // without padding, a pass visits every row exactly once
      assert.deepEqual(ptrs.slice().sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6]);
      passes.push(got);
      assert.deepEqual(Array.from(loader.key.dataSync()), key);
    }
    assert.notDeepEqual(passes[0], passes[1]);
    loader.dispose();
    assert.equal(memory().tensors, before, layout);
  }
});

Deno.test("DataLoader: golden key [0, 0] partitionable pass of 7 rows", () => {
  using loader = new DataLoader(matrices(7), 3, { key: [0, 0], layout: "partitionable" });
  const [, sub] = splitRef([0, 0], 2, "partitionable");
  assert.deepEqual(pass(loader), partition(permutationRef(sub, 7, "partitionable"), 3, true));
});

Deno.test("DataLoader: disabling the shuffle after a pass keeps the last permutation", () => {
  using loader = new DataLoader(matrices(8), 4, { key: [0, 5] });
  const first = pass(loader);
  loader.disableShuffle = true;
  assert.deepEqual(pass(loader), first);
  assert.deepEqual(pass(loader), first);
  loader.disableShuffle = false;
  assert.notDeepEqual(pass(loader), first);
});

Deno.test("DataLoader: batches gather on the device, no readback per batch", () => {
  const backend = getBackend();
  const read = backend.read.bind(backend), readSync = backend.readSync.bind(backend);
  let reads = 0;
  backend.read = (x) => {
    reads++;
    return read(x);
  };
  backend.readSync = (x) => {
    reads++;
    return readSync(x);
  };
  const batches: DataBatch[] = [];
  try {
    using loader = new DataLoader(matrices(50), 8, { key: [1, 2] });
    for (const b of loader) batches.push(b);
    for (const b of loader) batches.push(b);
  } finally {
    backend.read = read;
    backend.readSync = readSync;
  }
  assert.equal(reads, 0);
  assert.equal(batches.length, 14);
  for (const b of batches) {
    assert.deepEqual(b[0][1].shape, [8, 2]);
    assert.deepEqual(b[1][1].shape, [8, 1]);
    disposeBatch(b);
  }
});

Deno.test("DataLoader: tensors are borrowed, arrays owned; break mid-pass leaks nothing", () => {
  const before = memory().tensors;
  const x = tensor(matrices(10)[0][1]);
  const y = tensor(matrices(10)[1][1], { dtype: "int32" });
  {
    using loader = new DataLoader([["X", x], ["Y", y]], 3, { key: [0, 1] });
    for (const b of loader) {
      assert.equal(b[1][1].dtype, "int32");
      disposeBatch(b);
      break;
    }
    // a second, complete pass after the abandoned one
    assert.equal(pass(loader).length, 4);
    // two passes at once: each keeps its own pointers
    const it1 = loader[Symbol.iterator]();
    const a = it1.next();
    const it2 = loader[Symbol.iterator]();
    const b = it2.next();
    disposeBatch(a.value as DataBatch);
    disposeBatch(b.value as DataBatch);
    let r = it1.next();
    while (!r.done) {
      disposeBatch(r.value);
      r = it1.next();
    }
    it2.return?.();
  }
  assert.equal(x.isDisposed, false);
  assert.equal(y.isDisposed, false);
  x.dispose();
  y.dispose();
  assert.equal(memory().tensors, before);
  {
    using owned = new DataLoader(matrices(4), 2, { disableShuffle: true });
    assert.equal(memory().tensors, before + 4); // X, Y, key, pointers
    assert.equal(pass(owned).length, 2);
  }
  assert.equal(memory().tensors, before);
});

Deno.test("DataLoader: a tensor key is copied, not consumed", () => {
  const k = tensor(new Uint32Array([0, 0]));
  {
    using loader = new DataLoader(matrices(7), 3, { key: k });
    pass(loader);
    pass(loader);
  }
  assert.equal(k.isDisposed, false);
  assert.deepEqual(Array.from(k.dataSync()), [0, 0]);
  k.dispose();
});

Deno.test("DataLoader: bad input gives clear errors and leaks nothing", () => {
  using empty = tensor([], { shape: [0, 2] });
  const before = memory().tensors;
  const m4 = matrices(4);
  const err = (f: () => unknown, type: typeof TypeError | typeof RangeError, re: RegExp) =>
    assert.throws(f, (e: unknown) => e instanceof type && re.test((e as Error).message));
  err(() => new DataLoader(m4, 0), RangeError, /^DataLoader\(\): batchSize must be >= 1, got 0/);
  err(() => new DataLoader(m4, -3), RangeError, /batchSize must be >= 1, got -3/);
  err(() => new DataLoader(m4, 1.5), TypeError, /batchSize must be an integer/);
  err(() => new DataLoader(m4, 5), RangeError, /batch size 5 is > total number of data samples 4/);
  err(() => new DataLoader([], 2), RangeError, /at least one design matrix/);
  err(
    () => new DataLoader([["X", [[1], [2], [3]]], ["Y", [[1], [2]]]], 1),
    TypeError,
    /same number of rows: "X" has 3, "Y" has 2/,
  );
  err(() => new DataLoader([["X", []]], 1), RangeError, /design matrix "X" is empty/);
  err(() => new DataLoader([["E", empty], ["X", [[1]]]], 1), RangeError, /"E" is empty/);
  err(() => new DataLoader([["X", 3]], 1), TypeError, /at least one dimension/);
  err(() => new DataLoader([["X"] as never], 1), TypeError, /\[name, matrix\] pair/);
  err(() => new DataLoader("X" as never, 1), TypeError, /array of \[name, matrix\] pairs/);
  err(() => new DataLoader(m4, 2, { key: [0, -1] }), RangeError, /key words must be in/);
  err(() => new DataLoader(m4, 2, { key: [0, 1, 2] }), TypeError, /key must be/);
  err(
    () => new DataLoader(m4, 2, { disableShuffle: 1 as never }),
    TypeError,
    /disableShuffle must be a boolean/,
  );
  err(() => new DataLoader(m4, 2, { layout: "x" as never }), RangeError, /layout must be/);
  const loader = new DataLoader(m4, 2);
  loader.dispose();
  loader.dispose();
  err(() => [...loader], TypeError, /the DataLoader was disposed/);
  assert.equal(memory().tensors, before);
});

Deno.test("DataLoader: row gather keeps the dtype and trailing shape of each matrix", () => {
  const imgs: Tensor = tensor(Array.from({ length: 24 }, (_, i) => i), { shape: [6, 2, 2] });
  const labels = tensor([true, false, true, false, true, false]);
  {
    using loader = new DataLoader([["img", imgs], ["lab", labels]], 4, { disableShuffle: true });
    const batches = [...loader];
    assert.deepEqual(batches[1][0][1].shape, [4, 2, 2]);
    assert.deepEqual(batches[1][0][1].arraySync(), [
      [[16, 17], [18, 19]],
      [[20, 21], [22, 23]],
      [[0, 1], [2, 3]],
      [[4, 5], [6, 7]],
    ]);
    assert.equal(batches[1][1][1].dtype, "bool");
    assert.deepEqual(batches[1][1][1].arraySync(), [true, false, true, false]);
    batches.forEach(disposeBatch);
  }
  imgs.dispose();
  labels.dispose();
});

async function webgpu() {
  try {
    return await backendByName("webgpu");
  } catch {
    return null;
  }
}
const GPU = await webgpu();

Deno.test({
  name: "DataLoader on webgpu: pointers and batches stay on the matrices' backend",
  ignore: GPU === null,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const gpu = GPU!;
    const before = memory().tensors;
    const [[, xs], [, ys]] = matrices(7);
    const x = tensor(xs, { backend: gpu }), y = tensor(ys, { backend: gpu });
    {
      using loader = new DataLoader([["X", x], ["Y", y]], 3, { key: [0, 0], layout: "legacy" });
      assert.equal(loader.key.backend, gpu);
      const [, sub] = splitRef([0, 0], 2, "legacy");
      const want = partition(permutationRef(sub, 7, "legacy"), 3, true);
      const got: number[][] = [];
      for (const batch of loader) {
        assert.equal(batch[0][1].backend, gpu);
        got.push((await batch[0][1].array() as number[][]).map((r) => r[0]));
        disposeBatch(batch);
      }
      assert.deepEqual(got, want);
    }
    x.dispose();
    y.dispose();
    assert.equal(memory().tensors, before);
  },
});
