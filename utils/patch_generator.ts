/**
 * `PatchGenerator` (ngclearn's unfinished `utils/patch.py`), finished: aim
 * it at an image with `target(img)`, then iterate over its patches (or take
 * them all at once with `patches()`).
 *
 * @module
 */

import { isTensor, keep, tidy } from "../core/engine.ts";
import { fmtShape, rangeError, typeError } from "../core/errors.ts";
import { type TensorLike, toTensor } from "../core/ops/convert.ts";
import { reshape, slice, take } from "../core/ops/mod.ts";
import type { Tensor } from "../core/tensor.ts";

/** Where the horizontal grid of patches is anchored. */
export type HorizontalAlignment = "left" | "right" | "center" | "fit";
/** Where the vertical grid of patches is anchored. */
export type VerticalAlignment = "top" | "bottom" | "center" | "fit";

/** Options of {@link PatchGenerator}. */
export interface PatchGeneratorOptions {
  /** "left" (default): from the left edge; "right": flush with the right edge; "center": a patch boundary at W // 2; "fit": the grid centred with equal margins. */
  readonly horizontalAlignment?: HorizontalAlignment;
  /** "top" (default), "bottom", "center" or "fit", as for the horizontal alignment. */
  readonly verticalAlignment?: VerticalAlignment;
  /** Columns shared by horizontally neighbouring patches (ngclearn's name; the step is `patchWidth − horizontalStride`), in [0, patchWidth) (default 0). */
  readonly horizontalStride?: number;
  /** Rows shared by vertically neighbouring patches (step `patchHeight − verticalStride`), in [0, patchHeight) (default 0). */
  readonly verticalStride?: number;
}

/**
 * Patch origins along one axis of length `size` for patches of length
 * `patch` every `step`, anchored as `alignment` says; ascending, and only
 * patches that fit. "start" (left/top): `0, step, …`; "end" (right/bottom):
 * `size − patch, size − patch − step, …`; "center": origins `c, c + step, …`
 * right of `c = size // 2` and `c − patch, c − patch − step, …` left of it;
 * "fit": `e, e + step, …` with `e = ((size − patch) mod step) // 2`.
 *
 * @example
 * ```ts
 * import { alignedOffsets } from "./patch_generator.ts";
 * console.assert(alignedOffsets(10, 3, 3, "start").join() === "0,3,6");
 * console.assert(alignedOffsets(10, 3, 3, "end").join() === "1,4,7");
 * console.assert(alignedOffsets(11, 3, 3, "fit").join() === "1,4,7");
 * console.assert(alignedOffsets(10, 2, 2, "center").join() === "1,3,5,7");
 * ```
 */
export function alignedOffsets(
  size: number,
  patch: number,
  step: number,
  alignment: "start" | "end" | "center" | "fit",
): number[] {
  const out: number[] = [];
  if (patch > size || step < 1) return out;
  if (alignment === "start") {
    for (let o = 0; o + patch <= size; o += step) out.push(o);
  } else if (alignment === "end") {
    for (let o = size - patch; o >= 0; o -= step) out.push(o);
    out.reverse();
  } else if (alignment === "center") {
    const c = Math.floor(size / 2);
    for (let o = c - patch; o >= 0; o -= step) out.push(o);
    out.reverse();
    for (let o = c; o + patch <= size; o += step) if (o !== out[out.length - 1]) out.push(o);
  } else {
    const extra = Math.floor(((size - patch) % step) / 2);
    for (let o = extra; o + patch <= size; o += step) out.push(o);
  }
  return out;
}

const H_ALIGN: Readonly<Record<string, "start" | "end" | "center" | "fit">> = {
  left: "start",
  right: "end",
  center: "center",
  fit: "fit",
};
const V_ALIGN: Readonly<Record<string, "start" | "end" | "center" | "fit">> = {
  top: "start",
  bottom: "end",
  center: "center",
  fit: "fit",
};

/**
 * Iterate over the patches of an image (`ngclearn.utils.patch.PatchGenerator`,
 * which never stored its image and had no `__next__`; here it works). After
 * `target(img)` (H x W, or H x W x C), iteration yields one tensor
 * `[patchHeight, patchWidth, ...]` per patch, row-major over the vertical
 * then the horizontal offsets; each yielded tensor belongs to the caller.
 * A tensor image is borrowed (not copied); an array image is converted and
 * owned until the next `target` or `dispose()`.
 *
 * @example
 * ```ts
 * import "../mod.ts"; // registers the backends
 * import { PatchGenerator } from "./patch_generator.ts";
 * using gen = new PatchGenerator(2, 2, { horizontalStride: 1 });
 * gen.target([[1, 2, 3], [4, 5, 6]]);
 * const seen: string[] = [];
 * for (const p of gen) {
 *   seen.push((await p.data()).join());
 *   p.dispose();
 * }
 * console.assert(seen.join(" | ") === "1,2,4,5 | 2,3,5,6");
 * ```
 */
export class PatchGenerator implements Iterable<Tensor>, Disposable {
  /** Patch height. */
  readonly patchHeight: number;
  /** Patch width. */
  readonly patchWidth: number;
  /** Horizontal alignment. */
  readonly horizontalAlignment: HorizontalAlignment;
  /** Vertical alignment. */
  readonly verticalAlignment: VerticalAlignment;
  /** Horizontal overlap (step = patchWidth − horizontalStride). */
  readonly horizontalStride: number;
  /** Vertical overlap (step = patchHeight − verticalStride). */
  readonly verticalStride: number;
  #img: Tensor | null = null;
  #owned = false;
  #rows: number[] = [];
  #cols: number[] = [];

  /** Check and store the patch shape and the grid options (TypeError / RangeError). */
  constructor(patchHeight: number, patchWidth: number, options: PatchGeneratorOptions = {}) {
    const fn = "PatchGenerator";
    for (const [name, v] of [["patchHeight", patchHeight], ["patchWidth", patchWidth]] as const) {
      if (typeof v !== "number" || !Number.isInteger(v)) {
        throw typeError(fn, `${name} must be an integer, got ${String(v)}`);
      }
      if (v < 1) throw rangeError(fn, `${name} must be >= 1, got ${v}`);
    }
    this.patchHeight = patchHeight;
    this.patchWidth = patchWidth;
    const ha = options.horizontalAlignment ?? "left";
    const va = options.verticalAlignment ?? "top";
    if (!Object.hasOwn(H_ALIGN, ha)) {
      throw rangeError(
        fn,
        `horizontalAlignment must be left, right, center or fit, got ${JSON.stringify(ha)}`,
      );
    }
    if (!Object.hasOwn(V_ALIGN, va)) {
      throw rangeError(
        fn,
        `verticalAlignment must be top, bottom, center or fit, got ${JSON.stringify(va)}`,
      );
    }
    this.horizontalAlignment = ha;
    this.verticalAlignment = va;
    this.horizontalStride = overlap(fn, "horizontalStride", options.horizontalStride, patchWidth);
    this.verticalStride = overlap(fn, "verticalStride", options.verticalStride, patchHeight);
  }

  /**
   * Aim at an image (H x W or H x W x C) and compute the patch offsets.
   * RangeError when the patch is larger than the image; TypeError for a
   * rank other than 2 or 3. Returns `this`.
   *
   * @example
   * ```ts
   * import "../mod.ts"; // registers the backends
   * import { PatchGenerator } from "./patch_generator.ts";
   * using gen = new PatchGenerator(2, 3, { horizontalAlignment: "right" });
   * gen.target(Array.from({ length: 4 }, () => [0, 1, 2, 3, 4, 5, 6]));
   * console.assert(gen.rowOffsets.join() === "0,2" && gen.colOffsets.join() === "1,4");
   * ```
   */
  target(img: TensorLike): this {
    const fn = "target";
    const t = toTensor(img, fn);
    if (t.rank !== 2 && t.rank !== 3) {
      if (t !== img) t.dispose();
      throw typeError(fn, `img must be H x W or H x W x C, got shape ${fmtShape(t.shape)}`);
    }
    const [h, w] = t.shape;
    if (this.patchHeight > h || this.patchWidth > w) {
      if (t !== img) t.dispose();
      throw rangeError(
        fn,
        `the ${this.patchHeight} x ${this.patchWidth} patch is larger than the ${h} x ${w} image`,
      );
    }
    this.#release();
    this.#owned = !isTensor(img);
    this.#img = this.#owned ? keep(t) : t;
    this.#rows = alignedOffsets(
      h,
      this.patchHeight,
      this.patchHeight - this.verticalStride,
      V_ALIGN[this.verticalAlignment],
    );
    this.#cols = alignedOffsets(
      w,
      this.patchWidth,
      this.patchWidth - this.horizontalStride,
      H_ALIGN[this.horizontalAlignment],
    );
    return this;
  }

  /** Row offsets of the patches (after {@link PatchGenerator.target}). */
  get rowOffsets(): readonly number[] {
    return this.#rows;
  }

  /** Column offsets of the patches (after {@link PatchGenerator.target}). */
  get colOffsets(): readonly number[] {
    return this.#cols;
  }

  /** Number of patches one pass yields. */
  get count(): number {
    return this.#rows.length * this.#cols.length;
  }

  /**
   * Yield the patches one by one (see the class notes). TypeError when no
   * image has been targeted.
   */
  *[Symbol.iterator](): Iterator<Tensor> {
    const img = this.#image("PatchGenerator");
    const rest = img.shape.slice(2).map(() => -1);
    for (const r of this.#rows) {
      for (const c of this.#cols) {
        yield slice(img, [r, c, ...rest.map(() => 0)], [
          this.patchHeight,
          this.patchWidth,
          ...rest,
        ]);
      }
    }
  }

  /**
   * Every patch at once, stacked: `[count, patchHeight, patchWidth, ...]`
   * (one gather on the device).
   *
   * @example
   * ```ts
   * import "../mod.ts"; // registers the backends
   * import { PatchGenerator } from "./patch_generator.ts";
   * using gen = new PatchGenerator(1, 2);
   * gen.target([[1, 2, 3, 4]]);
   * using all = gen.patches();
   * console.assert(all.shape.join() === "2,1,2" && (await all.data()).join() === "1,2,3,4");
   * ```
   */
  patches(): Tensor {
    const img = this.#image("patches");
    const [h, w] = img.shape, rest = img.shape.slice(2);
    const ph = this.patchHeight, pw = this.patchWidth;
    const idx = new Int32Array(this.count * ph * pw);
    let p = 0;
    for (const r of this.#rows) {
      for (const c of this.#cols) {
        for (let a = 0; a < ph; a++) for (let b = 0; b < pw; b++) idx[p++] = (r + a) * w + c + b;
      }
    }
    return tidy(() =>
      reshape(take(reshape(img, [h * w, ...rest]), idx, 0), [this.count, ph, pw, ...rest])
    );
  }

  /** Free an owned image (a borrowed tensor is left alone). Safe to call twice. */
  dispose(): void {
    this.#release();
    this.#img = null;
    this.#rows = [];
    this.#cols = [];
  }

  /** `using gen = new PatchGenerator(...)` support. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  #image(fn: string): Tensor {
    if (!this.#img) {
      throw typeError(
        fn,
        "attempting to generate patches but no image has been provided; call target(img) first",
      );
    }
    return this.#img;
  }

  #release(): void {
    if (this.#img && this.#owned) this.#img.dispose();
    this.#owned = false;
  }
}

function overlap(fn: string, name: string, v: unknown, patch: number): number {
  if (v === undefined) return 0;
  if (typeof v !== "number" || !Number.isInteger(v)) {
    throw typeError(fn, `${name} must be an integer, got ${String(v)}`);
  }
  if (v < 0 || v >= patch) throw rangeError(fn, `${name} must be in [0, ${patch}), got ${v}`);
  return v;
}
