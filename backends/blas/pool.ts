/**
 * A small reuse pool for GEMM outputs. Allocating a fresh typed array costs
 * V8 a zeroed backing store (measured ~1 ms for 4 MiB, ~20-70 µs for 64 KiB,
 * ~3 µs for 1 KiB, against ~12 ms, ~50 µs and ~0.2 µs for a 1024², 128² and
 * 16² sgemm), so in a loop that disposes each product the blas backend hands
 * the freed array to the next product of the same dtype and length. GEMM runs
 * with `beta = 0`, which overwrites every output element without reading it,
 * so stale contents never leak into a result.
 *
 * Only arrays the pool itself allocated are ever recycled (a WeakSet marks
 * them), and only once their last reference is disposed.
 *
 * @module
 */

import type { FloatArray } from "./validate.ts";

/** Arrays smaller than this (bytes) are not pooled (tiny arrays live on V8's heap). */
export const POOL_MIN_BYTES = 256;

/** Most free arrays kept per (dtype, length). */
export const POOL_MAX_PER_SIZE = 8;

/** Default cap on the bytes held by the pool. */
export const POOL_MAX_BYTES = 64 * 1024 * 1024;

/**
 * Free arrays by dtype and length, bounded by a byte cap.
 *
 * @example
 * ```ts
 * import { OutputPool } from "./pool.ts";
 * const pool = new OutputPool();
 * const a = pool.take("float32", 8192);
 * pool.recycle(a);
 * console.assert(pool.take("float32", 8192) === a && pool.bytes === 0);
 * ```
 */
export class OutputPool {
  #free = new Map<string, FloatArray[]>();
  #owned = new WeakSet<FloatArray>();
  #bytes = 0;
  readonly #cap: number;

  /** A pool holding at most `maxBytes` of free arrays. */
  constructor(maxBytes: number = POOL_MAX_BYTES) {
    this.#cap = maxBytes;
  }

  /** Bytes held by free arrays. */
  get bytes(): number {
    return this.#bytes;
  }

  /**
   * An array of `size` elements: a recycled one (stale contents: the caller
   * must overwrite every element) or a new zeroed one.
   */
  take(dtype: "float32" | "float64", size: number): FloatArray {
    const list = this.#free.get(`${dtype}:${size}`);
    const reused = list?.pop();
    if (reused) {
      this.#bytes -= reused.byteLength;
      return reused;
    }
    const out = dtype === "float64" ? new Float64Array(size) : new Float32Array(size);
    if (out.byteLength >= POOL_MIN_BYTES) this.#owned.add(out);
    return out;
  }

  /** Return an array whose last reference was disposed; ignored unless this pool made it. */
  recycle(values: unknown): void {
    if (!(values instanceof Float32Array || values instanceof Float64Array)) return;
    if (!this.#owned.has(values) || this.#bytes + values.byteLength > this.#cap) return;
    const key = `${values instanceof Float64Array ? "float64" : "float32"}:${values.length}`;
    let list = this.#free.get(key);
    if (!list) {
      list = [];
      this.#free.set(key, list);
    }
    if (list.length >= POOL_MAX_PER_SIZE || list.includes(values)) return; // full, or already free
    list.push(values);
    this.#bytes += values.byteLength;
  }

  /** Drop every free array (they become garbage). */
  clear(): void {
    this.#free.clear();
    this.#bytes = 0;
  }
}
