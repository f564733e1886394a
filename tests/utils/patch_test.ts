/**
 * Patches: tilings against a host reference, the ngclearn bugs fixed (and
 * pinned), scikit-learn/MT19937 sampling, the patchify tiler, the finished
 * PatchGenerator, leaks and bad input.
 */

import assert from "node:assert/strict";
import { memory, type Tensor, tensor } from "../../mod.ts";
import {
  CreatePatches,
  createPatches,
  generatePatchifyPatchSet,
  generatePatchSet,
  patchSetPositions,
  patchWithOverlap,
  patchWithStride,
} from "../../utils/patch.ts";
import { alignedOffsets, PatchGenerator } from "../../utils/patch_generator.ts";
import { assertAllClose, randomArray } from "../helpers.ts";

type M = number[][];

function image(h: number, w: number, seed = 1): M {
  const v = randomArray(h * w, seed);
  return Array.from({ length: h }, (_, r) => Array.from(v.subarray(r * w, (r + 1) * w)));
}

const cut = (img: M, r: number, c: number, ph: number, pw: number): M =>
  img.slice(r, r + ph).map((row) => row.slice(c, c + pw));

const centered = (p: M): M => {
  const flat = p.flat();
  const mu = flat.reduce((a, b) => a + b, 0) / flat.length;
  return p.map((row) => row.map((v) => v - mu));
};

/** ngclearn's tiling (origins step·i for i < n, full patches only) on the host. */
function tiles(
  img: M,
  ph: number,
  pw: number,
  nh: number,
  nw: number,
  sh: number,
  sw: number,
): M[] {
  const out: M[] = [];
  for (let a = 0; a < nh; a++) {
    for (let b = 0; b < nw; b++) {
      const r = sh * a, c = sw * b;
      if (r + ph <= img.length && c + pw <= img[0].length) out.push(cut(img, r, c, ph, pw));
    }
  }
  return out;
}

function frame(img: M, rows: number, cols: number): M {
  const w = img[0].length + 2 * cols;
  const zero = () => new Array(w).fill(0);
  return [
    ...Array.from({ length: rows }, zero),
    ...img.map((r) => [...new Array(cols).fill(0), ...r, ...new Array(cols).fill(0)]),
    ...Array.from({ length: rows }, zero),
  ];
}

/** Create_Patches on the host; `mixed` reproduces ngclearn's frame (height numbers pad the columns). */
function createRef(
  img: M,
  [ph, pw]: [number, number],
  [oh, ow]: [number, number],
  addFrame: boolean,
  center: boolean,
  mixed = false,
): M[] {
  let x = img;
  let nh = Math.floor(img.length / ph), nw = Math.floor(img[0].length / pw);
  if (addFrame) {
    x = mixed ? frame(img, pw - ow, ph - oh) : frame(img, ph - oh, pw - ow);
    nw = Math.floor((x[0].length + ow) / (pw - ow)) - 2;
    nh = Math.floor((x.length + oh) / (ph - oh)) - 2;
  }
  const out = tiles(x, ph, pw, nh, nw, ph - oh, pw - ow);
  return center ? out.map(centered) : out;
}

function noLeak(f: () => void) {
  const before = memory().tensors;
  f();
  assert.equal(memory().tensors, before);
}

Deno.test("patchWithStride: tiling, stride quirk, full patches only, empty result", () => {
  noLeak(() => {
    const img = image(6, 8, 3);
    for (
      const [ph, pw, sy, sx] of [[2, 2, 2, 2], [3, 2, 3, 2], [2, 2, 1, 1], [2, 2, 3, 3], [
        2,
        4,
        1,
        3,
      ]]
    ) {
      using p = patchWithStride(img, [ph, pw], { stride: [sy, sx] });
      const want = tiles(img, ph, pw, Math.floor(6 / ph), Math.floor(8 / pw), sy, sx);
      assert.deepEqual([...p.shape], [want.length, ph, pw]);
      assertAllClose(p.arraySync(), want);
    }
    using dflt = patchWithStride(img, [3, 4]); // stride defaults to the patch
    assert.deepEqual([...dflt.shape], [4, 3, 4]);
    using none = patchWithStride(image(3, 3), [4, 4]);
    assert.deepEqual([...none.shape], [0, 4, 4]);
    using i32 = tensor([[1, 2], [3, 4]], { dtype: "int32" });
    using ints = patchWithStride(i32, [1, 1]);
    assert.equal(ints.dtype, "float32");
    assert.deepEqual(ints.arraySync(), [[[1]], [[2]], [[3]], [[4]]]);
  });
});

Deno.test("patchWithOverlap: stride = patch − overlap (fixes ngclearn's image − overlap)", () => {
  noLeak(() => {
    const img = image(6, 6, 5);
    using p = patchWithOverlap(img, [3, 3], { overlap: [1, 1] });
    // stride 2: origins (0,0), (0,2), (2,0), (2,2); ngclearn's stride 6 − 1 = 5 keeps only (0,0)
    assert.deepEqual([...p.shape], [4, 3, 3]);
    assertAllClose(p.arraySync(), [
      cut(img, 0, 0, 3, 3),
      cut(img, 0, 2, 3, 3),
      cut(img, 2, 0, 3, 3),
      cut(img, 2, 2, 3, 3),
    ]);
    using q = patchWithOverlap(img, [2, 3]);
    assertAllClose(q.arraySync(), tiles(img, 2, 3, 3, 2, 2, 3));
  });
});

Deno.test("createPatches: tiling, per-patch centring and the zero frame against the host reference", () => {
  noLeak(() => {
    const cases: [number, number, [number, number], [number, number], boolean, boolean][] = [
      [6, 6, [2, 2], [0, 0], false, false],
      [7, 7, [3, 3], [1, 1], false, false],
      [6, 4, [3, 2], [0, 0], false, true],
      [4, 4, [2, 2], [1, 1], true, false],
      [4, 4, [2, 2], [0, 0], true, true],
      [5, 7, [2, 3], [1, 1], true, false],
      [6, 5, [3, 2], [1, 0], true, true],
      [5, 6, [2, 4], [0, 2], false, true],
    ];
    for (const [h, w, ps, os, addFrame, center] of cases) {
      const img = image(h, w, h * 10 + w);
      using p = createPatches(img, ps, { overlapShape: os, addFrame, center });
      const want = createRef(img, ps, os, addFrame, center);
      assert.deepEqual(
        [...p.shape],
        [want.length, ...ps],
        JSON.stringify([h, w, ps, os, addFrame]),
      );
      assertAllClose(p.arraySync(), want, { atol: 1e-6 });
    }
  });
});

Deno.test("createPatches: each patch minus its own mean (fixes ngclearn's whole-image column means)", () => {
  noLeak(() => {
    // columns with very different means: column-mean centring leaves patch means far from 0
    const img = Array.from({ length: 4 }, (_, r) => [r, 10 + r, 100 + 2 * r, -50 + r * r]);
    using p = createPatches(img, [2, 2]);
    for (const patch of p.arraySync() as M[]) {
      assert.ok(Math.abs(patch.flat().reduce((a, b) => a + b, 0)) < 1e-5);
    }
    using raw = createPatches(img, [2, 2], { center: false });
    const colMeans = [1.5, 11.5, 103, -46.5];
    const ngclearnFirst = cut(img, 0, 0, 2, 2).map((row) => row.map((v, j) => v - colMeans[j]));
    assert.notDeepEqual((p.arraySync() as M[])[0], ngclearnFirst);
    assertAllClose((p.arraySync() as M[])[0], centered((raw.arraySync() as M[])[0]));
  });
});

Deno.test("createPatches: the frame pads rows with ph − oh and columns with pw − ow (ngclearn swaps them)", () => {
  noLeak(() => {
    const img = image(5, 5, 9);
    // square patches: the fixed and ngclearn's frames agree
    using sq = createPatches(img, [2, 2], { overlapShape: [1, 1], addFrame: true, center: false });
    assertAllClose(sq.arraySync(), createRef(img, [2, 2], [1, 1], true, false, true));
    // non-square: they differ; ours puts 1 zero row and 3 zero columns around the image
    using ns = createPatches(img, [1, 3], { addFrame: true, center: false });
    const fixed = createRef(img, [1, 3], [0, 0], true, false);
    assertAllClose(ns.arraySync(), fixed);
    assert.notDeepEqual(fixed, createRef(img, [1, 3], [0, 0], true, false, true));
    assert.deepEqual((ns.arraySync() as M[])[0], [[0, 0, 0]]);
  });
});

Deno.test("CreatePatches: the class keeps its image and shapes; bad input", () => {
  noLeak(() => {
    using img = tensor(image(4, 6));
    const cp = new CreatePatches(img, [2, 3], { overlapShape: [1, 1] });
    assert.equal(cp.height, 4);
    assert.equal(cp.width, 6);
    assert.deepEqual(cp.patchShape, [2, 3]);
    using a = cp.createPatches({ addFrame: true });
    using b = createPatches(img, [2, 3], { overlapShape: [1, 1], addFrame: true });
    assert.deepEqual(a.arraySync(), b.arraySync());
    assert.equal(img.isDisposed, false);
    assert.throws(() => new CreatePatches(img, [2, 2], { overlapShape: [2, 0] }), RangeError);
    assert.throws(
      () => createPatches(img, [2, 2], { overlapShape: [2, 2], addFrame: true }),
      /^RangeError: createPatches\(\): overlapShape \[2, 2\] must be smaller/,
    );
    assert.throws(() => createPatches(img, [0, 2]), /patchShape entries must be >= 1/);
    assert.throws(() => createPatches(img, [2] as never), TypeError);
    assert.throws(() => createPatches([1, 2, 3], [1, 1]), /img must have rank 2/);
    assert.throws(
      () => createPatches(img, [1, 1], { center: "yes" as never }),
      /center must be a boolean/,
    );
  });
});

Deno.test("patchSetPositions: scikit-learn's extract_patches_2d draws from RandomState(seed)", () => {
  // RandomState(0).randint(0, 10, 8) = 5,0,3,3,7,9,3,5: rows take the first 4, columns the next 4
  assert.deepEqual(patchSetPositions(11, [2, 2], { maxPatches: 4, seed: 0 }), [[5, 7], [0, 9], [
    3,
    3,
  ], [3, 5]]);
  // all positions in raster order for null or 0
  const all = [[0, 0], [0, 1], [1, 0], [1, 1]];
  assert.deepEqual(patchSetPositions(3, [2, 2], { maxPatches: null }), all);
  assert.deepEqual(patchSetPositions(3, [2, 2], { maxPatches: 0 }), all);
  // an integer above the count gives the count (still sampled), a fraction floor(f · all)
  assert.equal(patchSetPositions(4, [2, 2], { maxPatches: 100 }).length, 9);
  assert.equal(patchSetPositions(6, [3, 3], { maxPatches: 0.5 }).length, 8);
  // patch as large as the image: a single position (no draw consumed by randint(1))
  assert.deepEqual(patchSetPositions(3, [3, 3], { maxPatches: 2, seed: 1 }), [[0, 0]]);
  assert.throws(
    () => patchSetPositions(4, [5, 2]),
    /^RangeError: patchSetPositions\(\): patch size \[5, 2\] is larger than the 4 x 4 image/,
  );
  for (const bad of [-1, 1.5, Infinity]) {
    assert.throws(() => patchSetPositions(4, [2, 2], { maxPatches: bad }), RangeError);
  }
  assert.throws(() => patchSetPositions(4, [2, 2], { maxPatches: NaN }), TypeError);
  assert.throws(() => patchSetPositions(4, [2, 2], { maxPatches: 3, seed: -1 }), RangeError);
});

Deno.test("generatePatchSet: flattened patches at the sampled positions, the same in every image", () => {
  noLeak(() => {
    const side = 6;
    const imgs = [image(side, side, 1), image(side, side, 2), image(side, side, 3)];
    const x = imgs.map((m) => m.flat());
    const pos = patchSetPositions(side, [2, 3], { maxPatches: 5, seed: 7 });
    for (const center of [false, true]) {
      using p = generatePatchSet(x, { patchSize: [2, 3], maxPatches: 5, seed: 7, center });
      const want = imgs.flatMap((m) => pos.map(([r, c]) => cut(m, r, c, 2, 3).flat()))
        .map((row) => center ? centered([row])[0] : row);
      assert.deepEqual([...p.shape], [15, 6]);
      assertAllClose(p.arraySync(), want, { atol: 1e-6 });
    }
    const { patches, mu } = generatePatchSet(x, {
      patchSize: [2, 3],
      maxPatches: 5,
      seed: 7,
      visMode: true,
    });
    assert.deepEqual([...mu.shape], [15, 1]);
    const means = imgs.flatMap((m) =>
      pos.map(([r, c]) => cut(m, r, c, 2, 3).flat().reduce((a, b) => a + b) / 6)
    );
    assertAllClose(mu.arraySync(), means.map((v) => [v]), { atol: 1e-6 });
    for (const row of patches.arraySync() as M) {
      assert.ok(Math.abs(row.reduce((a, b) => a + b)) < 1e-5);
    }
    patches.dispose();
    mu.dispose();
    const raw = generatePatchSet(x, { patchSize: [2, 3], center: false, visMode: true });
    assert.equal(raw.mu.shape.length, 0);
    assert.equal(raw.mu.itemSync(), 0);
    raw.patches.dispose();
    raw.mu.dispose();
    // defaults: 8x8 patches, 50 → all 9 positions of a 10x10 image, seed 1234
    using d = generatePatchSet([image(10, 10).flat()]);
    assert.deepEqual([...d.shape], [9, 64]);
  });
});

Deno.test("generatePatchSet: bad input", () => {
  noLeak(() => {
    assert.throws(
      () => generatePatchSet([new Array(10).fill(0)], { patchSize: [2, 2] }),
      /^TypeError: generatePatchSet\(\): .*10 columns is not a square/,
    );
    assert.throws(
      () => generatePatchSet([new Array(64).fill(0)], { patchSize: [9, 9] }),
      /^RangeError: generatePatchSet\(\): patch size \[9, 9\] is larger than the 8 x 8 image/,
    );
    assert.throws(
      () => generatePatchSet(new Array(16).fill(0), { patchSize: [2, 2] }),
      /xBatch must have rank 2/,
    );
    assert.throws(
      () => generatePatchSet([new Array(16).fill(0)], { patchSize: [2, 2], maxPatches: -2 }),
      RangeError,
    );
    assert.throws(
      () => generatePatchSet([new Array(16).fill(0)], { visMode: 1 as never }),
      /visMode must be a boolean/,
    );
  });
});

Deno.test("generatePatchifyPatchSet: non-overlapping tiles per image, steps (ph, pw)", () => {
  noLeak(() => {
    const a = image(5, 5, 11), b = image(5, 5, 12);
    using one = generatePatchifyPatchSet([a.flat()], { patchSize: [2, 2], center: false });
    assertAllClose(
      one.arraySync(),
      [cut(a, 0, 0, 2, 2), cut(a, 0, 2, 2, 2), cut(a, 2, 0, 2, 2), cut(a, 2, 2, 2, 2)].map((p) =>
        p.flat()
      ),
    );
    // a batch: each row is its own image (ngclearn reshapes the whole input as one image)
    using two = generatePatchifyPatchSet([a.flat(), b.flat()], { patchSize: [2, 2] });
    assert.deepEqual([...two.shape], [8, 4]);
    assertAllClose(
      (two.arraySync() as M).slice(4),
      [cut(b, 0, 0, 2, 2), cut(b, 0, 2, 2, 2), cut(b, 2, 0, 2, 2), cut(b, 2, 2, 2, 2)].map((p) =>
        centered([p.flat()])[0]
      ),
      { atol: 1e-6 },
    );
    // non-square patches step by (1, 2): 5 x 2 tiles (ngclearn steps by 1 both ways: overlapping windows)
    using ns = generatePatchifyPatchSet(a.flat(), { patchSize: [1, 2], center: false });
    assert.deepEqual([...ns.shape], [10, 2]);
    assertAllClose((ns.arraySync() as M)[1], a[0].slice(2, 4));
    using dflt = generatePatchifyPatchSet([image(10, 10).flat()]); // 5 x 5 default
    assert.deepEqual([...dflt.shape], [4, 25]);
    assert.throws(() => generatePatchifyPatchSet([a.flat()], { patchSize: [6, 1] }), RangeError);
    assert.throws(() => generatePatchifyPatchSet([[1, 2, 3]]), TypeError);
  });
});

Deno.test("PatchGenerator: offsets for every alignment (ngclearn's off-by-one and axis mix fixed)", () => {
  assert.deepEqual(alignedOffsets(4, 2, 2, "start"), [0, 2]); // ngclearn: range(0, 2, 2) = [0]
  assert.deepEqual(alignedOffsets(7, 3, 3, "start"), [0, 3]);
  assert.deepEqual(alignedOffsets(7, 3, 3, "end"), [1, 4]);
  assert.deepEqual(alignedOffsets(7, 3, 3, "fit"), [0, 3]);
  assert.deepEqual(alignedOffsets(8, 3, 3, "fit"), [1, 4]);
  assert.deepEqual(alignedOffsets(9, 2, 2, "center"), [0, 2, 4, 6]);
  assert.deepEqual(alignedOffsets(10, 3, 2, "center"), [0, 2, 5, 7]);
  assert.deepEqual(alignedOffsets(3, 4, 1, "start"), []);
  using gen = new PatchGenerator(3, 2, {
    horizontalAlignment: "right",
    verticalAlignment: "bottom",
    horizontalStride: 1,
  });
  gen.target(image(8, 5));
  assert.deepEqual(gen.rowOffsets, [2, 5]); // vertical numbers come from the height
  assert.deepEqual(gen.colOffsets, [0, 1, 2, 3]);
  assert.equal(gen.count, 8);
  gen.target(image(8, 5)); // re-targeting frees the previous owned image
});

Deno.test("PatchGenerator: iterates (ngclearn's had no __next__), patches() stacks the same", () => {
  noLeak(() => {
    const img = image(5, 7, 4);
    using gen = new PatchGenerator(2, 3, { horizontalAlignment: "fit", verticalStride: 1 });
    gen.target(img);
    const seen: Tensor[] = [...gen];
    const want = gen.rowOffsets.flatMap((r) => gen.colOffsets.map((c) => cut(img, r, c, 2, 3)));
    assert.equal(seen.length, gen.count);
    assertAllClose(seen.map((t) => t.arraySync()), want);
    seen.forEach((t) => t.dispose());
    using all = gen.patches();
    assert.deepEqual([...all.shape], [gen.count, 2, 3]);
    assertAllClose(all.arraySync(), want);
    // a second pass yields the same patches again
    let n = 0;
    for (const p of gen) {
      n++;
      p.dispose();
    }
    assert.equal(n, gen.count);
  });
});

Deno.test("PatchGenerator: channels, borrowed tensors, errors", () => {
  noLeak(() => {
    using rgb = tensor(Array.from({ length: 4 * 4 * 3 }, (_, i) => i), { shape: [4, 4, 3] });
    using gen = new PatchGenerator(2, 2);
    gen.target(rgb);
    const first = gen[Symbol.iterator]().next().value as Tensor;
    assert.deepEqual([...first.shape], [2, 2, 3]);
    assert.deepEqual(first.arraySync(), [[[0, 1, 2], [3, 4, 5]], [[12, 13, 14], [15, 16, 17]]]);
    first.dispose();
    using all = gen.patches();
    assert.deepEqual([...all.shape], [4, 2, 2, 3]);
    gen.dispose();
    assert.equal(rgb.isDisposed, false); // borrowed
    assert.throws(
      () => [...gen],
      /^TypeError: PatchGenerator\(\): attempting to generate patches but no image has been provided/,
    );
    assert.throws(() => gen.patches(), TypeError);
    assert.throws(
      () => gen.target(image(1, 5)),
      /^RangeError: target\(\): the 2 x 2 patch is larger than the 1 x 5 image/,
    );
    assert.throws(() => gen.target([1, 2, 3]), /img must be H x W or H x W x C/);
    assert.throws(() => new PatchGenerator(0, 2), RangeError);
    assert.throws(() => new PatchGenerator(2.5, 2), TypeError);
    assert.throws(
      () => new PatchGenerator(2, 2, { horizontalStride: 2 }),
      /horizontalStride must be in \[0, 2\)/,
    );
    assert.throws(
      () => new PatchGenerator(2, 2, { verticalAlignment: "left" as never }),
      /verticalAlignment must be top, bottom, center or fit/,
    );
  });
});
