/**
 * `DataLoader` (ngclearn's `utils/data_loader.py`): mini-batches of named
 * design matrices, shuffled without replacement by JAX-compatible keys.
 *
 * @module
 */

import { isTensor, keep, tidy } from "../core/engine.ts";
import { fmtShape, rangeError, typeError } from "../core/errors.ts";
import { type TensorLike, toTensor } from "../core/ops/convert.ts";
import { concat, reshape, slice, take, tensor } from "../core/ops/mod.ts";
import { getDefaultLayout, permutation, split } from "../core/random/mod.ts";
import type { Tensor } from "../core/tensor.ts";

/** Named design matrices: `[name, matrix]` pairs whose matrices share their first dimension. */
export type DesignMatrices = readonly (readonly [string, TensorLike])[];

/** One mini-batch: `[name, rows]` pairs in the order of the design matrices. */
export type DataBatch = [string, Tensor][];

/** Options of {@link DataLoader}. */
export interface DataLoaderOptions {
  /** Keep the sample order instead of reshuffling every pass (default false). */
  readonly disableShuffle?: boolean;
  /** Pad a short final batch to `batchSize` with the first pointers of the pass (default true). */
  readonly ensureEqualBatches?: boolean;
  /**
   * PRNG key of the shuffles: a uint32 tensor `[2]` or its two words
   * (default: a fresh random key; ngclearn uses `PRNGKey(time_ns())`).
   */
  readonly key?: Tensor | readonly number[] | Uint32Array;
  /** Threefry layout of `split` and `permutation` (default: the library default). */
  readonly layout?: "partitionable" | "legacy";
}

/**
 * Mini-batches of named design matrices (`DataLoader(design_matrices,
 * batch_size, disable_shuffle, ensure_equal_batches, key)`). Iterating the
 * loader is one pass over the data, `ceil(N / batchSize)` batches. Each
 * pass that shuffles first does `key, sub = split(key)` and
 * `ptrs = permutation(sub, N)` (without replacement, bit for bit as JAX);
 * without shuffling the pointers stay `arange(N)` (or the last permutation).
 * Batch `b` holds the rows `ptrs[b·bs : min((b+1)·bs, N)]` of every matrix;
 * with `ensureEqualBatches` a short final batch is completed with
 * `ptrs[0 : bs − len]` (deterministic, as ngclearn).
 *
 * The pointers stay on the device: batches are a `slice` of the permutation
 * and a `take` of rows, never a readback. Yielded tensors belong to the
 * caller. A tensor matrix is borrowed (not copied); array matrices are
 * converted once and owned by the loader, freed by `dispose()` with the key
 * and the pointers.
 *
 * Errors (ngclearn prints and exits, or loops forever for batch size 0):
 * RangeError for no matrices, an empty matrix, `batchSize < 1` or
 * `batchSize > N`; TypeError for a malformed entry, a 0-d matrix, row
 * counts that differ between matrices, or matrices on different backends.
 *
 * @example
 * ```ts
 * import "../mod.ts"; // registers the backends
 * import { DataLoader } from "./data_loader.ts";
 * const X = [[0, 0], [1, 1], [2, 2], [3, 3], [4, 4]];
 * const Y = [[0], [1], [2], [3], [4]];
 * using loader = new DataLoader([["X", X], ["Y", Y]], 2, { key: [0, 7] });
 * let rows = 0;
 * for (const batch of loader) {
 *   const [[, x], [, y]] = batch;
 *   console.assert(x.shape.join() === "2,2" && y.shape.join() === "2,1");
 *   rows += x.shape[0];
 *   x.dispose();
 *   y.dispose();
 * }
 * console.assert(loader.numBatches === 3 && rows === 6); // the last batch is padded
 * ```
 */
export class DataLoader implements Iterable<DataBatch>, Disposable {
  /** Rows per batch. */
  readonly batchSize: number;
  /** Number of samples N (rows of every matrix). */
  readonly numSamples: number;
  /** Names of the design matrices, in order. */
  readonly names: readonly string[];
  /** The threefry layout of the shuffles. */
  readonly layout: "partitionable" | "legacy";
  /** Keep the current pointer order between passes (may be changed between passes). */
  disableShuffle: boolean;
  /** Pad a short final batch (may be changed between passes). */
  ensureEqualBatches: boolean;
  #mats: [string, Tensor][];
  #owned: Tensor[];
  #key: Tensor;
  #ptrs: Tensor;
  #users = new Map<Tensor, number>();
  #disposed = false;

  /** Validate and store the matrices (see the class notes for the errors). */
  constructor(designMatrices: DesignMatrices, batchSize: number, options: DataLoaderOptions = {}) {
    const fn = "DataLoader";
    if (!Array.isArray(designMatrices)) {
      throw typeError(
        fn,
        `designMatrices must be an array of [name, matrix] pairs, got ${typeof designMatrices}`,
      );
    }
    if (designMatrices.length === 0) {
      throw rangeError(fn, "designMatrices must contain at least one design matrix");
    }
    if (typeof batchSize !== "number" || !Number.isInteger(batchSize)) {
      throw typeError(fn, `batchSize must be an integer, got ${String(batchSize)}`);
    }
    if (batchSize < 1) throw rangeError(fn, `batchSize must be >= 1, got ${batchSize}`);
    this.disableShuffle = flag(fn, "disableShuffle", options.disableShuffle, false);
    this.ensureEqualBatches = flag(fn, "ensureEqualBatches", options.ensureEqualBatches, true);
    const layout: string = options.layout ?? getDefaultLayout();
    if (layout !== "partitionable" && layout !== "legacy") {
      throw rangeError(
        fn,
        `layout must be "partitionable" or "legacy", got ${JSON.stringify(layout)}`,
      );
    }
    this.layout = layout;
    const mats: [string, Tensor][] = [];
    const owned: Tensor[] = [];
    try {
      designMatrices.forEach((entry, i) => {
        if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== "string") {
          throw typeError(
            fn,
            `designMatrices[${i}] must be a [name, matrix] pair with a string name`,
          );
        }
        const [name, m] = entry;
        const t = toTensor(m, fn);
        if (t !== m) owned.push(keep(t));
        if (t.rank === 0) {
          throw typeError(
            fn,
            `design matrix "${name}" must have at least one dimension, got a 0-d tensor`,
          );
        }
        if (t.shape[0] === 0) {
          throw rangeError(fn, `design matrix "${name}" is empty (shape ${fmtShape(t.shape)})`);
        }
        if (mats.length > 0) {
          const [n0, t0] = mats[0];
          if (t.shape[0] !== t0.shape[0]) {
            throw typeError(
              fn,
              `every design matrix needs the same number of rows: "${n0}" has ${
                t0.shape[0]
              }, "${name}" has ${t.shape[0]}`,
            );
          }
          if (t.backend !== t0.backend) {
            throw typeError(
              fn,
              `design matrices live on different backends: "${n0}" on ${t0.backend.name}, "${name}" on ${t.backend.name}`,
            );
          }
        }
        mats.push([name, t]);
      });
      const n = mats[0][1].shape[0];
      if (batchSize > n) {
        throw rangeError(fn, `batch size ${batchSize} is > total number of data samples ${n}`);
      }
      const backend = mats[0][1].backend;
      let key: Tensor;
      if (options.key === undefined) {
        key = tensor(crypto.getRandomValues(new Uint32Array(2)), { backend });
      } else if (isTensor(options.key)) {
        if (options.key.backend !== backend) {
          throw typeError(
            fn,
            `key lives on ${options.key.backend.name}, the matrices on ${backend.name}`,
          );
        }
        key = tensor(options.key); // a copy: the loader replaces its key every pass
      } else {
        key = tensor(new Uint32Array(keyWords(fn, options.key)), { backend });
      }
      if (key.dtype !== "uint32" || key.shape.length !== 1 || key.shape[0] !== 2) {
        key.dispose();
        throw typeError(
          fn,
          `key must be a uint32 key of shape [2], got ${key.dtype} of shape ${fmtShape(key.shape)}`,
        );
      }
      this.#key = keep(key);
      const iota = new Int32Array(n);
      for (let i = 0; i < n; i++) iota[i] = i;
      this.#ptrs = keep(tensor(iota, { backend }));
      this.batchSize = batchSize;
      this.numSamples = n;
    } catch (e) {
      for (const t of owned) t.dispose();
      throw e;
    }
    this.#mats = mats;
    this.#owned = owned;
    this.names = mats.map(([name]) => name);
  }

  /** Batches per pass: `ceil(N / batchSize)`. */
  get numBatches(): number {
    return Math.ceil(this.numSamples / this.batchSize);
  }

  /**
   * The current key (the loader owns it; it is replaced every shuffled pass).
   *
   * @example
   * ```ts
   * import "../mod.ts"; // registers the backends
   * import { DataLoader } from "./data_loader.ts";
   * using loader = new DataLoader([["X", [[1], [2]]]], 1, { key: [0, 0] });
   * for (const [[, x]] of loader) x.dispose();
   * console.assert(loader.key.shape.join() === "2");
   * ```
   */
  get key(): Tensor {
    this.#alive("key");
    return this.#key;
  }

  /**
   * One pass over the data (see the class notes); reshuffles first unless
   * `disableShuffle`.
   */
  *[Symbol.iterator](): Iterator<DataBatch> {
    this.#alive("DataLoader");
    if (!this.disableShuffle) this.#shuffle();
    const ptrs = this.#ptrs;
    this.#users.set(ptrs, (this.#users.get(ptrs) ?? 0) + 1);
    const n = this.numSamples, bs = this.batchSize, pad = this.ensureEqualBatches;
    try {
      for (let start = 0; start < n; start += bs) {
        this.#alive("DataLoader");
        const len = Math.min(bs, n - start);
        const batch: DataBatch = tidy(() => {
          let idx = slice(ptrs, [start], [len]);
          if (pad && len < bs) idx = concat([idx, slice(ptrs, [0], [bs - len])]);
          return this.#mats.map(([name, m]) => [name, take(m, idx, 0)] as [string, Tensor]);
        });
        yield batch;
      }
    } finally {
      const left = (this.#users.get(ptrs) ?? 1) - 1;
      if (left > 0) this.#users.set(ptrs, left);
      else {
        this.#users.delete(ptrs);
        if (ptrs !== this.#ptrs) ptrs.dispose();
      }
    }
  }

  /** Free the key, the pointers and the matrices the loader converted. Safe to call twice. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#key.dispose();
    this.#ptrs.dispose();
    for (const t of this.#users.keys()) t.dispose();
    this.#users.clear();
    for (const t of this.#owned) t.dispose();
    this.#owned = [];
    this.#mats = [];
  }

  /** `using loader = new DataLoader(...)` support. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  /** `key, sub = split(key)`; `ptrs = permutation(sub, N)`. */
  #shuffle(): void {
    const layout = this.layout;
    const [next, perm] = tidy(() => {
      const ks = split(this.#key, 2, { layout });
      const sub = reshape(slice(ks, [1, 0], [1, 2]), [2]);
      return [
        reshape(slice(ks, [0, 0], [1, 2]), [2]),
        permutation(sub, this.numSamples, { layout }),
      ];
    });
    this.#key.dispose();
    this.#key = keep(next);
    const old = this.#ptrs;
    this.#ptrs = keep(perm);
    if (!this.#users.has(old)) old.dispose();
  }

  #alive(fn: string): void {
    if (this.#disposed) throw typeError(fn, "the DataLoader was disposed");
  }
}

function flag(fn: string, name: string, v: unknown, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (typeof v !== "boolean") throw typeError(fn, `${name} must be a boolean, got ${typeof v}`);
  return v;
}

function keyWords(fn: string, key: unknown): number[] {
  if (!(Array.isArray(key) || key instanceof Uint32Array) || key.length !== 2) {
    throw typeError(fn, "key must be a uint32 tensor of shape [2] or a [k0, k1] pair of words");
  }
  const words = Array.from(key as ArrayLike<unknown>);
  for (const w of words) {
    if (typeof w !== "number" || !Number.isInteger(w)) {
      throw typeError(fn, `key words must be integers, got [${words.join(", ")}]`);
    }
    if (w < 0 || w > 0xffffffff) {
      throw rangeError(fn, `key words must be in [0, 2^32), got [${words.join(", ")}]`);
    }
  }
  return words as number[];
}
