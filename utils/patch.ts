/**
 * Image patches (ngclearn's `patch_utils`): strided and overlapping tilings
 * of a 2-D image, the `Create_Patches` tiler with its optional zero frame,
 * scikit-learn-style random patch sets (`extract_patches_2d` with NumPy's
 * MT19937 draws, bit for bit) and the non-overlapping "patchify" tiler.
 *
 * Patch positions depend only on shapes and seeds, so they are computed on
 * the host and every function does one gather on the device: no data is
 * read back.
 *
 * @module
 */

import { tidy } from "../core/engine.ts";
import { fmtShape, rangeError, typeError } from "../core/errors.ts";
import { isFloat, type TensorLike, toTensor } from "../core/ops/convert.ts";
import { cast, mean, pad, reshape, scalar, sub, take } from "../core/ops/mod.ts";
import { RandomState } from "../core/random/mod.ts";
import type { Tensor } from "../core/tensor.ts";

/** A (height, width) pair. */
export type Size2d = readonly [number, number];

// ---------------------------------------------------------------------------
// shared plumbing

function imageInput(fn: string, name: string, x: TensorLike, ranks: readonly number[]): Tensor {
  let t: Tensor;
  try {
    t = toTensor(x, fn);
  } catch (e) {
    if (e instanceof TypeError) {
      throw typeError(fn, `${name}: ${e.message.replace(/^\w+\(\): /, "")}`);
    }
    throw e;
  }
  if (!ranks.includes(t.rank)) {
    throw typeError(
      fn,
      `${name} must have rank ${ranks.join(" or ")}, got shape ${fmtShape(t.shape)}`,
    );
  }
  return isFloat(t.dtype) ? t : cast(t, "float32");
}

function checkPair(fn: string, name: string, v: unknown, min: number): [number, number] {
  if (
    !Array.isArray(v) || v.length !== 2 ||
    !v.every((d) => typeof d === "number" && Number.isInteger(d))
  ) {
    throw typeError(
      fn,
      `${name} must be a pair of integers [height, width], got ${JSON.stringify(v)}`,
    );
  }
  if (v[0] < min || v[1] < min) {
    throw rangeError(fn, `${name} entries must be >= ${min}, got [${v.join(", ")}]`);
  }
  return [v[0], v[1]];
}

function checkBool(fn: string, name: string, v: unknown, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (typeof v !== "boolean") throw typeError(fn, `${name} must be a boolean, got ${typeof v}`);
  return v;
}

/**
 * Gather the `ph x pw` patches at `origins` (row, col) of each image of a
 * batch `[n, H, W]` (flattened row-major on the device) as `[n·k, ph, pw]`.
 */
function gatherPatches(
  x: Tensor,
  n: number,
  h: number,
  w: number,
  origins: readonly (readonly [number, number])[],
  ph: number,
  pw: number,
): Tensor {
  const k = origins.length;
  const idx = new Int32Array(n * k * ph * pw);
  let p = 0;
  for (let img = 0; img < n; img++) {
    for (const [r, c] of origins) {
      for (let a = 0; a < ph; a++) {
        const base = img * h * w + (r + a) * w + c;
        for (let b = 0; b < pw; b++) idx[p++] = base + b;
      }
    }
  }
  return reshape(take(reshape(x, [n * h * w]), idx), [n * k, ph, pw]);
}

/** Subtract each patch's own mean (over every axis but the first). */
function centerEach(patches: Tensor): Tensor {
  if (patches.shape[0] === 0) return patches;
  const axes = patches.shape.slice(1).map((_, i) => i + 1);
  return sub(patches, mean(patches, { axis: axes, keepdims: true }));
}

/** Origins (step·i, step·j) for i < ni, j < nj, keeping only patches that fit (row-major). */
function gridOrigins(
  ni: number,
  nj: number,
  stepR: number,
  stepC: number,
  h: number,
  w: number,
  ph: number,
  pw: number,
): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < ni; i++) {
    for (let j = 0; j < nj; j++) {
      const r = stepR * i, c = stepC * j;
      if (r + ph <= h && c + pw <= w) out.push([r, c]);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// patch_with_stride / patch_with_overlap

/** Options of {@link patchWithStride}. */
export interface PatchWithStrideOptions {
  /** Step between patch origins, [rows, cols] (default: the patch size, i.e. no overlap). */
  readonly stride?: Size2d;
}

/**
 * Patches of a 2-D image `x` (H x W) taken at origins `(sy·i, sx·j)` for
 * `i < H // ph`, `j < W // pw` in row-major order, keeping only the ones
 * that fit (`patch_with_stride`). Returns `[n, ph, pw]` (n may be 0). As in
 * ngclearn, the number of origins per axis is `H // ph` whatever the stride.
 * TypeError unless `x` is 2-D; RangeError for patch or stride entries < 1.
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { patchWithStride } from "./patch.ts";
 * using x = tensor([[1, 2, 3, 4], [5, 6, 7, 8]]);
 * using p = patchWithStride(x, [2, 2]);
 * console.assert(p.shape.join() === "2,2,2" && (await p.data()).join() === "1,2,5,6,3,4,7,8");
 * ```
 */
export function patchWithStride(
  x: TensorLike,
  patch: Size2d,
  options: PatchWithStrideOptions = {},
): Tensor {
  const fn = "patchWithStride";
  const [ph, pw] = checkPair(fn, "patch", patch, 1);
  const [sy, sx] = options.stride === undefined
    ? [ph, pw]
    : checkPair(fn, "stride", options.stride, 1);
  return tidy(() => {
    const img = imageInput(fn, "x", x, [2]);
    const [h, w] = img.shape;
    const origins = gridOrigins(Math.floor(h / ph), Math.floor(w / pw), sy, sx, h, w, ph, pw);
    return gatherPatches(img, 1, h, w, origins, ph, pw);
  });
}

/** Options of {@link patchWithOverlap}. */
export interface PatchWithOverlapOptions {
  /** Overlap of neighbouring patches, [rows, cols], each in [0, patch) (default [0, 0]). */
  readonly overlap?: Size2d;
}

/**
 * Overlapping patches of a 2-D image (`patch_with_overlap`): the stride is
 * `patch − overlap`, then exactly {@link patchWithStride}. ngclearn computes
 * the stride as `image size − overlap` (a bug that keeps only the top-left
 * patch); this uses the patch size. RangeError unless `0 <= overlap < patch`.
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { patchWithOverlap } from "./patch.ts";
 * using x = tensor([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]);
 * using p = patchWithOverlap(x, [2, 2], { overlap: [1, 1] }); // stride 1
 * console.assert(p.shape.join() === "4,2,2" && (await p.data()).slice(4, 8).join() === "2,3,6,7");
 * ```
 */
export function patchWithOverlap(
  x: TensorLike,
  patch: Size2d,
  options: PatchWithOverlapOptions = {},
): Tensor {
  const fn = "patchWithOverlap";
  const [ph, pw] = checkPair(fn, "patch", patch, 1);
  const [oh, ow] = checkPair(fn, "overlap", options.overlap ?? [0, 0], 0);
  if (oh >= ph || ow >= pw) {
    throw rangeError(fn, `overlap [${oh}, ${ow}] must be smaller than patch [${ph}, ${pw}]`);
  }
  return patchWithStride(x, [ph, pw], { stride: [ph - oh, pw - ow] });
}

// ---------------------------------------------------------------------------
// Create_Patches

/** Options of {@link createPatches} and {@link CreatePatches.createPatches}. */
export interface CreatePatchesCallOptions {
  /** Pad a zero frame around the image first, so border patches exist (default false). */
  readonly addFrame?: boolean;
  /** Subtract each patch's own mean (default true). */
  readonly center?: boolean;
}

/** Options of {@link createPatches}. */
export interface CreatePatchesOptions extends CreatePatchesCallOptions {
  /** Overlap of neighbouring patches, [rows, cols], each in [0, patch) (default [0, 0]). */
  readonly overlapShape?: Size2d;
}

/**
 * Tile a 2-D image into patches `[n, ph, pw]` (`Create_Patches(img,
 * patch_shape, overlap_shape).create_patches(add_frame, center)`). The step
 * is `patch − overlap`. Without a frame there are `H // ph` x `W // pw`
 * origins (full patches kept). With `addFrame`, `ph − oh` zero rows are
 * added above and below and `pw − ow` zero columns left and right; then
 * `nh = (H' + oh) // (ph − oh) − 2` and `nw = (W' + ow) // (pw − ow) − 2`.
 * `center` subtracts each patch's own mean.
 *
 * Fixes of ngclearn: it centres with the whole image's column means (and
 * overwrites its stored image), and its frame pads the columns with the
 * height numbers and the rows with the width numbers (the same for square
 * patches). RangeError unless `0 <= overlap < patch`.
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { createPatches } from "./patch.ts";
 * using img = tensor([[1, 2, 3, 4], [5, 6, 7, 8]]);
 * using p = createPatches(img, [2, 2], { center: false });
 * console.assert(p.shape.join() === "2,2,2");
 * using c = createPatches(img, [2, 2]); // centred: each patch minus its mean
 * console.assert((await c.data()).slice(0, 4).join() === "-2.5,-1.5,1.5,2.5");
 * ```
 */
export function createPatches(
  img: TensorLike,
  patchShape: Size2d,
  options: CreatePatchesOptions = {},
): Tensor {
  return createPatchesAs("createPatches", img, patchShape, options);
}

function createPatchesAs(
  fn: string,
  img: TensorLike,
  patchShape: Size2d,
  options: CreatePatchesOptions,
): Tensor {
  const [ph, pw] = checkPair(fn, "patchShape", patchShape, 1);
  const [oh, ow] = checkPair(fn, "overlapShape", options.overlapShape ?? [0, 0], 0);
  if (oh >= ph || ow >= pw) {
    throw rangeError(
      fn,
      `overlapShape [${oh}, ${ow}] must be smaller than patchShape [${ph}, ${pw}] (the step patch − overlap must be positive)`,
    );
  }
  const addFrame = checkBool(fn, "addFrame", options.addFrame, false);
  const center = checkBool(fn, "center", options.center, true);
  return tidy(() => {
    let x = imageInput(fn, "img", img, [2]);
    const sh = ph - oh, sw = pw - ow;
    let [h, w] = x.shape;
    let nh = Math.floor(h / ph), nw = Math.floor(w / pw);
    if (addFrame) {
      x = pad(x, [[sh, sh], [sw, sw]]);
      [h, w] = x.shape;
      nh = Math.floor((h + oh) / sh) - 2;
      nw = Math.floor((w + ow) / sw) - 2;
    }
    const origins = gridOrigins(nh, nw, sh, sw, h, w, ph, pw);
    const patches = gatherPatches(x, 1, h, w, origins, ph, pw);
    return center ? centerEach(patches) : patches;
  });
}

/**
 * ngclearn's `Create_Patches` class: an image, a patch shape and an overlap,
 * tiled by {@link CreatePatches.createPatches}. The image is kept as given
 * (a tensor is borrowed, not copied, and never modified).
 *
 * @example
 * ```ts
 * import "../mod.ts"; // registers the backends
 * import { CreatePatches } from "./patch.ts";
 * const cp = new CreatePatches([[1, 2, 3], [4, 5, 6], [7, 8, 9]], [2, 2], { overlapShape: [1, 1] });
 * using p = cp.createPatches({ addFrame: true, center: false });
 * console.assert(cp.height === 3 && p.shape.join() === "16,2,2");
 * ```
 */
export class CreatePatches {
  /** The image (H x W), as given. */
  readonly img: TensorLike;
  /** Patch shape [ph, pw]. */
  readonly patchShape: Size2d;
  /** Overlap shape [oh, ow]. */
  readonly overlapShape: Size2d;
  /** Image height H. */
  readonly height: number;
  /** Image width W. */
  readonly width: number;

  /** Validate and store the image and shapes (TypeError / RangeError as {@link createPatches}). */
  constructor(
    img: TensorLike,
    patchShape: Size2d,
    options: { readonly overlapShape?: Size2d } = {},
  ) {
    const fn = "CreatePatches";
    this.patchShape = checkPair(fn, "patchShape", patchShape, 1);
    this.overlapShape = checkPair(fn, "overlapShape", options.overlapShape ?? [0, 0], 0);
    if (this.overlapShape[0] >= this.patchShape[0] || this.overlapShape[1] >= this.patchShape[1]) {
      throw rangeError(
        fn,
        `overlapShape [${this.overlapShape.join(", ")}] must be smaller than patchShape [${
          this.patchShape.join(", ")
        }]`,
      );
    }
    const shape = tidy(() => [...imageInput(fn, "img", img, [2]).shape]);
    this.img = img;
    this.height = shape[0];
    this.width = shape[1];
  }

  /**
   * The patches `[n, ph, pw]` (see {@link createPatches}).
   *
   * @example
   * ```ts
   * import "../mod.ts"; // registers the backends
   * import { CreatePatches } from "./patch.ts";
   * const cp = new CreatePatches([[1, 2], [3, 4]], [1, 1]);
   * using p = cp.createPatches({ center: false });
   * console.assert(p.shape.join() === "4,1,1");
   * ```
   */
  createPatches(options: CreatePatchesCallOptions = {}): Tensor {
    return createPatchesAs("createPatches", this.img, this.patchShape, {
      ...options,
      overlapShape: this.overlapShape,
    });
  }
}

// ---------------------------------------------------------------------------
// generate_patch_set (scikit-learn extract_patches_2d + MT19937)

/** Options of {@link generatePatchSet}. */
export interface GeneratePatchSetOptions {
  /** Patch size [ph, pw] (default [8, 8]). */
  readonly patchSize?: Size2d;
  /**
   * Patches per image (default 50): an integer n ≥ 1 gives `min(n, all)`
   * sampled positions; a fraction in (0, 1) gives `floor(f · all)`; `0` or
   * `null` gives every position in raster order.
   */
  readonly maxPatches?: number | null;
  /** Subtract each patch's mean (default true). */
  readonly center?: boolean;
  /** Seed of NumPy's `RandomState` for the positions, an integer in [0, 2^32) (default 1234). */
  readonly seed?: number;
  /** Also return the means that were subtracted (default false). */
  readonly visMode?: boolean;
}

/** What {@link generatePatchSet} returns with `visMode: true`. */
export interface PatchSetWithMeans {
  /** The patches, one flattened patch per row. */
  readonly patches: Tensor;
  /** The row means subtracted (rows x 1), or a 0-d zero when `center` is false. */
  readonly mu: Tensor;
}

/**
 * The positions `extract_patches_2d(image, patch_size, max_patches,
 * random_state=seed)` takes in a `side x side` image, as [row, col] pairs:
 * with a positive `maxPatches`, `rows = randint(side−ph+1, size=n)` then
 * `cols = randint(side−pw+1, size=n)` from a fresh `RandomState(seed)`
 * (sampled with replacement); otherwise every position in raster order.
 *
 * @example
 * ```ts
 * import { patchSetPositions } from "./patch.ts";
 * const pos = patchSetPositions(4, [2, 2], { maxPatches: 3, seed: 0 });
 * console.assert(pos.length === 3 && pos.every(([r, c]) => r <= 2 && c <= 2));
 * ```
 */
export function patchSetPositions(
  side: number,
  patchSize: Size2d,
  options: { readonly maxPatches?: number | null; readonly seed?: number } = {},
): [number, number][] {
  return positionsAs(
    "patchSetPositions",
    side,
    patchSize,
    options.maxPatches ?? null,
    options.seed ?? 1234,
  );
}

function positionsAs(
  fn: string,
  side: number,
  patchSize: Size2d,
  maxPatches: number | null,
  seed: number,
): [number, number][] {
  const [ph, pw] = checkPair(fn, "patchSize", patchSize, 1);
  if (!Number.isInteger(side) || side < 0) {
    throw rangeError(fn, `side must be a non-negative integer, got ${side}`);
  }
  if (ph > side || pw > side) {
    throw rangeError(fn, `patch size [${ph}, ${pw}] is larger than the ${side} x ${side} image`);
  }
  const nh = side - ph + 1, nw = side - pw + 1, all = nh * nw;
  let n: number;
  if (maxPatches === null || maxPatches === 0) {
    const out: [number, number][] = [];
    for (let r = 0; r < nh; r++) for (let c = 0; c < nw; c++) out.push([r, c]);
    return out;
  }
  if (typeof maxPatches !== "number" || Number.isNaN(maxPatches)) {
    throw typeError(fn, `maxPatches must be a number or null, got ${String(maxPatches)}`);
  }
  if (Number.isInteger(maxPatches) && maxPatches > 0) n = Math.min(maxPatches, all);
  else if (maxPatches > 0 && maxPatches < 1) n = Math.floor(maxPatches * all);
  else {
    throw rangeError(
      fn,
      `maxPatches must be a positive integer, a fraction in (0, 1), 0 or null; got ${maxPatches}`,
    );
  }
  const rs = new RandomState(seed);
  const rows = rs.randint(0, nh, n), cols = rs.randint(0, nw, n);
  return Array.from({ length: n }, (_, k) => [rows[k], cols[k]] as [number, number]);
}

/**
 * Random patches of a batch of flattened square images `xBatch` (N x P,
 * P = side²) (`generate_patch_set`): each image's patches are taken as
 * scikit-learn's `extract_patches_2d` takes them with `random_state=seed`
 * (see {@link patchSetPositions}), flattened row-major and stacked:
 * `[N·n, ph·pw]`. As in ngclearn the seed is reused for every image, so
 * every image gives the same positions. `center` subtracts each row's mean;
 * `visMode` returns `{ patches, mu }`. TypeError unless `xBatch` is 2-D
 * with a square number of columns; RangeError for a patch larger than the
 * image or a bad `maxPatches`.
 *
 * @example
 * ```ts
 * import "../mod.ts"; // registers the backends
 * import { generatePatchSet } from "./patch.ts";
 * const x = [Array.from({ length: 16 }, (_, i) => i)]; // one 4x4 image
 * using p = generatePatchSet(x, { patchSize: [2, 2], maxPatches: 5, seed: 0 });
 * console.assert(p.shape.join() === "5,4");
 * const { patches, mu } = generatePatchSet(x, { patchSize: [2, 2], maxPatches: 0, visMode: true });
 * console.assert(patches.shape.join() === "9,4" && mu.shape.join() === "9,1");
 * patches.dispose();
 * mu.dispose();
 * ```
 */
export function generatePatchSet(
  xBatch: TensorLike,
  options?: GeneratePatchSetOptions & { readonly visMode?: false },
): Tensor;
/** With `visMode: true`: the patches and the means subtracted. */
export function generatePatchSet(
  xBatch: TensorLike,
  options: GeneratePatchSetOptions & { readonly visMode: true },
): PatchSetWithMeans;
export function generatePatchSet(
  xBatch: TensorLike,
  options: GeneratePatchSetOptions = {},
): Tensor | PatchSetWithMeans {
  const fn = "generatePatchSet";
  const center = checkBool(fn, "center", options.center, true);
  const visMode = checkBool(fn, "visMode", options.visMode, false);
  const maxPatches = options.maxPatches === undefined ? 50 : options.maxPatches;
  return tidy(() => {
    const x = imageInput(fn, "xBatch", xBatch, [2]);
    const [n, p] = x.shape;
    const side = squareSide(fn, p);
    const [ph, pw] = checkPair(fn, "patchSize", options.patchSize ?? [8, 8], 1);
    const pos = positionsAs(fn, side, [ph, pw], maxPatches, options.seed ?? 1234);
    const flat = reshape(gatherPatches(x, n, side, side, pos, ph, pw), [n * pos.length, ph * pw]);
    if (!center) return visMode ? { patches: flat, mu: scalar(0, flat.dtype) } : flat;
    const mu = mean(flat, { axis: 1, keepdims: true });
    const patches = sub(flat, mu);
    return visMode ? { patches, mu } : patches;
  });
}

function squareSide(fn: string, p: number): number {
  const side = Math.round(Math.sqrt(p));
  if (side * side !== p) {
    throw typeError(
      fn,
      `each row must be a flattened square image, but ${p} columns is not a square`,
    );
  }
  return side;
}

// ---------------------------------------------------------------------------
// generate_pacthify_patch_set

/** Options of {@link generatePatchifyPatchSet}. */
export interface PatchifyOptions {
  /** Patch size [ph, pw] (default [5, 5]). */
  readonly patchSize?: Size2d;
  /** Subtract each patch's mean (default true). */
  readonly center?: boolean;
}

/**
 * Non-overlapping tiles of flattened square images (ngclearn's
 * `generate_pacthify_patch_set`, which wraps the `patchify` package): each
 * row of `xBatch` (N x P, or one image as a 1-D vector) is a `side x side`
 * image cut into tiles at origins `(a·ph, b·pw)` that fit, row-major;
 * output `[N·tiles, ph·pw]`, each row minus its mean when `center`.
 * ngclearn steps by `patch_size[0]` in both directions and reshapes the
 * whole input as one image; here the steps are (ph, pw) and each row is an
 * image (the same result for one image and square patches).
 *
 * @example
 * ```ts
 * import "../mod.ts"; // registers the backends
 * import { generatePatchifyPatchSet } from "./patch.ts";
 * const img = [Array.from({ length: 16 }, (_, i) => i)]; // one 4x4 image
 * using t = generatePatchifyPatchSet(img, { patchSize: [2, 2], center: false });
 * console.assert(t.shape.join() === "4,4" && (await t.data()).slice(0, 4).join() === "0,1,4,5");
 * ```
 */
export function generatePatchifyPatchSet(
  xBatch: TensorLike,
  options: PatchifyOptions = {},
): Tensor {
  const fn = "generatePatchifyPatchSet";
  const [ph, pw] = checkPair(fn, "patchSize", options.patchSize ?? [5, 5], 1);
  const center = checkBool(fn, "center", options.center, true);
  return tidy(() => {
    let x = imageInput(fn, "xBatch", xBatch, [1, 2]);
    if (x.rank === 1) x = reshape(x, [1, x.shape[0]]);
    const [n, p] = x.shape;
    const side = squareSide(fn, p);
    if (ph > side || pw > side) {
      throw rangeError(fn, `patch size [${ph}, ${pw}] is larger than the ${side} x ${side} image`);
    }
    const origins = gridOrigins(
      Math.floor(side / ph),
      Math.floor(side / pw),
      ph,
      pw,
      side,
      side,
      ph,
      pw,
    );
    const flat = reshape(gatherPatches(x, n, side, side, origins, ph, pw), [
      n * origins.length,
      ph * pw,
    ]);
    return center ? centerEach(flat) : flat;
  });
}
