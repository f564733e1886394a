/**
 * NumPy's legacy `np.random.RandomState` (MT19937), bit-for-bit as spec
 * conventions-random.md §5 describes it: seeding, raw words, `random`,
 * `randint`, `shuffle`, `permutation` and `choice`. Host-side only (plain
 * numbers and typed arrays); ngclearn uses it for masks and patch sampling.
 *
 * Integer results are NumPy int64 values, returned exactly in a
 * `Float64Array` (or as a number for a single draw).
 *
 * @module
 */

import { rangeError, typeError } from "../errors.ts";

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER = 0x80000000;
const LOWER = 0x7fffffff;

/** A size argument: a count, or a shape whose product is the count (row-major). */
export type Size = number | readonly number[];

/** Options of {@link RandomState.choice}. */
export interface RandomStateChoiceOptions {
  /** Number (or shape) of draws; omitted: one draw returned as a single value. */
  readonly size?: Size;
  /** With replacement (default true). */
  readonly replace?: boolean;
  /** Probabilities of the entries (non-negative, summing to 1 within sqrt(eps64)). */
  readonly p?: ArrayLike<number>;
}

/**
 * NumPy's legacy `RandomState(seed)`: MT19937 seeded by `init_genrand(seed)`
 * for an integer seed in [0, 2^32) or `init_by_array(seed)` for an array of
 * such integers (no seed: a random one from `crypto`). TypeError for a
 * non-integer seed; RangeError outside [0, 2^32) or for an empty array.
 *
 * @example
 * ```ts
 * import { RandomState } from "./mt19937.ts";
 * const rs = new RandomState(0);
 * console.assert(rs.random() === 0.5488135039273248); // np.random.RandomState(0).random()
 * console.assert(rs.randint(0, 10) >= 0);
 * ```
 */
export class RandomState {
  #mt = new Uint32Array(N);
  #pos = N;

  /** Seed the generator (see the class documentation). */
  constructor(seed?: number | bigint | ArrayLike<number>) {
    this.seed(seed);
  }

  /**
   * Re-seed in place, as `RandomState.seed(seed)`.
   *
   * @example
   * ```ts
   * import { RandomState } from "./mt19937.ts";
   * const rs = new RandomState(1);
   * const a = rs.randomRaw();
   * rs.seed(1);
   * console.assert(rs.randomRaw() === a);
   * ```
   */
  seed(seed?: number | bigint | ArrayLike<number>): void {
    const fn = "RandomState";
    if (seed === undefined) {
      const words = crypto.getRandomValues(new Uint32Array(N));
      this.#initByArray(words);
      return;
    }
    if (typeof seed === "number" || typeof seed === "bigint") {
      this.#initGenrand(checkSeedWord(fn, seed));
      return;
    }
    if (typeof seed !== "object" || seed === null || typeof seed.length !== "number") {
      throw typeError(fn, `seed must be an integer or an array of integers, got ${typeof seed}`);
    }
    if (seed.length === 0) throw rangeError(fn, "seed must be non-empty");
    const words = new Uint32Array(seed.length);
    for (let i = 0; i < seed.length; i++) words[i] = checkSeedWord(fn, seed[i]);
    this.#initByArray(words);
  }

  /** MT19937 `init_genrand(s)`: `mt[i] = 1812433253·(mt[i−1] ^ (mt[i−1] >>> 30)) + i`. */
  #initGenrand(s: number): void {
    const mt = this.#mt;
    mt[0] = s;
    for (let i = 1; i < N; i++) {
      const p = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = Math.imul(1812433253, p) + i;
    }
    this.#pos = N;
  }

  /** MT19937 `init_by_array(key)` (the reference algorithm NumPy uses for array seeds). */
  #initByArray(key: Uint32Array): void {
    const mt = this.#mt;
    this.#initGenrand(19650218);
    let i = 1, j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const p = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = (mt[i] ^ Math.imul(p, 1664525)) + key[j] + j;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const p = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = (mt[i] ^ Math.imul(p, 1566083941)) - i;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
    }
    mt[0] = 0x80000000;
    this.#pos = N;
  }

  /** Regenerate the 624-word state block (MT19937 twist). */
  #twist(): void {
    const mt = this.#mt;
    let kk = 0;
    for (; kk < N - M; kk++) {
      const y = (mt[kk] & UPPER) | (mt[kk + 1] & LOWER);
      mt[kk] = mt[kk + M] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    for (; kk < N - 1; kk++) {
      const y = (mt[kk] & UPPER) | (mt[kk + 1] & LOWER);
      mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    const y = (mt[N - 1] & UPPER) | (mt[0] & LOWER);
    mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    this.#pos = 0;
  }

  /** The next tempered 32-bit word (`genrand_int32`). */
  #next(): number {
    if (this.#pos >= N) this.#twist();
    let y = this.#mt[this.#pos++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** NumPy's `next_uint64` for MT19937: `(a << 32) | b` of two words. */
  #next64(): bigint {
    const a = BigInt(this.#next());
    return (a << 32n) | BigInt(this.#next());
  }

  /**
   * Raw 32-bit outputs (`MT19937.random_raw` on this state): one number, or
   * a `Uint32Array` of `size` words.
   *
   * @example
   * ```ts
   * import { RandomState } from "./mt19937.ts";
   * console.assert(new RandomState(5489).randomRaw() === 3499211612);
   * ```
   */
  randomRaw(): number;
  /** `size` raw words. */
  randomRaw(size: Size): Uint32Array;
  randomRaw(size?: Size): number | Uint32Array {
    if (size === undefined) return this.#next();
    const out = new Uint32Array(countOf("randomRaw", size));
    for (let i = 0; i < out.length; i++) out[i] = this.#next();
    return out;
  }

  /** One double in [0, 1): `((a >>> 5)·2^26 + (b >>> 6)) / 2^53` (§5). */
  #double(): number {
    const a = this.#next() >>> 5, b = this.#next() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /**
   * `random_sample(size)`: doubles in [0, 1) with 53 random bits, each from
   * two words `a`, `b`: `((a >>> 5)·67108864 + (b >>> 6)) / 2^53` (§5).
   *
   * @example
   * ```ts
   * import { RandomState } from "./mt19937.ts";
   * const u = new RandomState(0).random(3);
   * console.assert(u.length === 3 && u[1] === 0.7151893663724195);
   * ```
   */
  random(): number;
  /** `size` doubles (row-major when `size` is a shape). */
  random(size: Size): Float64Array;
  random(size?: Size): number | Float64Array {
    if (size === undefined) return this.#double();
    const out = new Float64Array(countOf("random", size));
    for (let i = 0; i < out.length; i++) out[i] = this.#double();
    return out;
  }

  /**
   * A value in [0, rng] by NumPy's masked rejection: `mask` = smallest
   * 2^k − 1 ≥ rng; draw words until `(w & mask) ≤ rng` (§5). `rng = 0`
   * consumes nothing. 32-bit words when `rng < 2^32`, else 64-bit
   * (`next_uint64`).
   */
  #bounded(rng: number): number {
    if (rng === 0) return 0;
    if (rng <= 0xffffffff) {
      const mask = maskOf(rng);
      let v: number;
      do v = (this.#next() & mask) >>> 0; while (v > rng);
      return v;
    }
    const r = BigInt(rng);
    let mask = r;
    for (const s of [1n, 2n, 4n, 8n, 16n, 32n]) mask |= mask >> s;
    let v: bigint;
    do v = this.#next64() & mask; while (v > r);
    return Number(v);
  }

  /**
   * `randint(low, high, size)`: integers in [low, high) (`randint(high)`:
   * [0, high)), NumPy's legacy masked rejection on `r = high − low − 1`
   * (§5; `r = 0` returns `low` without consuming output). Integers must be
   * safe JS integers. TypeError for non-integers; RangeError when low ≥ high.
   *
   * @example
   * ```ts
   * import { RandomState } from "./mt19937.ts";
   * const r = new RandomState(0).randint(0, 10, 8);
   * console.assert(Array.from(r).join() === "5,0,3,3,7,9,3,5");
   * ```
   */
  randint(low: number, high?: number): number;
  /** `size` integers (row-major when `size` is a shape). */
  randint(low: number, high: number | undefined, size: Size): Float64Array;
  randint(low: number, high?: number, size?: Size): number | Float64Array {
    const fn = "randint";
    if (high === undefined) {
      high = low;
      low = 0;
    }
    for (const [name, v] of [["low", low], ["high", high]] as const) {
      if (typeof v !== "number" || !Number.isSafeInteger(v)) {
        throw typeError(fn, `${name} must be a safe integer, got ${String(v)}`);
      }
    }
    if (low >= high) throw rangeError(fn, `low >= high (got low ${low}, high ${high})`);
    const rng = high - low - 1;
    if (size === undefined) return low + this.#bounded(rng);
    const out = new Float64Array(countOf(fn, size));
    for (let i = 0; i < out.length; i++) out[i] = low + this.#bounded(rng);
    return out;
  }

  /**
   * `shuffle(x)`: shuffle an array (or typed array) in place along its first
   * axis, NumPy's legacy Fisher–Yates from the end: for i = n−1 … 1,
   * `j = random_interval(i)` (masked rejection, {@link RandomState.randint}'s
   * rule with `r = i`), swap `x[i]`, `x[j]`. Rows of a nested array move as
   * units.
   *
   * @example
   * ```ts
   * import { RandomState } from "./mt19937.ts";
   * const x = [1, 2, 3, 4, 5];
   * new RandomState(0).shuffle(x);
   * console.assert(x.slice().sort().join() === "1,2,3,4,5");
   * ```
   */
  shuffle<T>(x: { length: number; [i: number]: T }): void {
    for (let i = x.length - 1; i > 0; i--) {
      const j = this.#bounded(i);
      const t = x[i];
      x[i] = x[j];
      x[j] = t;
    }
  }

  /**
   * `permutation(x)`: given an integer n, a shuffled `arange(n)` (a
   * `Float64Array`); given an array, a shuffled copy (same array type).
   * Same draws as {@link RandomState.shuffle}.
   *
   * @example
   * ```ts
   * import { RandomState } from "./mt19937.ts";
   * const p = new RandomState(0).permutation(5);
   * console.assert(Array.from(p).sort().join() === "0,1,2,3,4");
   * ```
   */
  permutation(x: number): Float64Array;
  /** A shuffled copy of an array. */
  permutation<A extends ArrayLike<unknown>>(x: A): A;
  permutation(x: number | ArrayLike<unknown>): unknown {
    let out: { length: number; [i: number]: unknown };
    if (typeof x === "number") {
      if (!Number.isSafeInteger(x)) {
        throw typeError("permutation", `n must be an integer, got ${x}`);
      }
      if (x < 0) throw rangeError("permutation", `n must be non-negative, got ${x}`);
      const a = new Float64Array(x);
      for (let i = 0; i < x; i++) a[i] = i;
      out = a;
    } else if (ArrayBuffer.isView(x)) {
      out = (x as unknown as Float64Array).slice();
    } else if (Array.isArray(x)) {
      out = x.slice();
    } else {
      throw typeError("permutation", `x must be an integer or an array, got ${typeof x}`);
    }
    this.shuffle(out);
    return out;
  }

  /**
   * `choice(a, size, replace, p)` as NumPy's legacy implementation draws it:
   * - replace, no p: `randint(0, n, size)`;
   * - replace, p: `searchsorted(cdf, random(size), side="right")` with
   *   `cdf = cumsum(p) / cumsum(p)[-1]`;
   * - no replace, no p: `permutation(n)[:size]`;
   * - no replace, p: repeated rounds of the weighted draw, zeroing the
   *   probabilities already found, keeping new unique indices in first-seen
   *   order.
   * `a` is an integer n (draw from 0..n−1) or an array (draw its elements).
   * One value when `size` is omitted, else an array (`Float64Array` for an
   * integer `a`, a plain array otherwise). RangeError: p negative, not
   * summing to 1 (within sqrt(eps64)), or of the wrong length; more draws than
   * entries (or non-zero p entries) without replacement; an empty population.
   *
   * @example
   * ```ts
   * import { RandomState } from "./mt19937.ts";
   * const rs = new RandomState(0);
   * const picks = rs.choice(5, { size: 3, replace: false });
   * console.assert(new Set(picks).size === 3);
   * console.assert(rs.choice(["a", "b"], { p: [0, 1] }) === "b");
   * ```
   */
  choice(a: number, options?: RandomStateChoiceOptions & { size?: undefined }): number;
  /** Several draws from 0..a−1. */
  choice(a: number, options: RandomStateChoiceOptions & { size: Size }): Float64Array;
  /** One element of `a`. */
  choice<T>(a: ArrayLike<T>, options?: RandomStateChoiceOptions & { size?: undefined }): T;
  /** Several elements of `a`. */
  choice<T>(a: ArrayLike<T>, options: RandomStateChoiceOptions & { size: Size }): T[];
  choice<T>(a: number | ArrayLike<T>, options: RandomStateChoiceOptions = {}): unknown {
    const fn = "choice";
    let n: number;
    if (typeof a === "number") {
      if (!Number.isSafeInteger(a)) throw typeError(fn, `a must be an integer, got ${a}`);
      if (a < 0) throw rangeError(fn, `a must be non-negative, got ${a}`);
      n = a;
    } else if (a !== null && typeof a === "object" && typeof a.length === "number") {
      n = a.length;
    } else {
      throw typeError(fn, `a must be an integer or an array, got ${typeof a}`);
    }
    const single = options.size === undefined;
    const count = single ? 1 : countOf(fn, options.size!);
    const replace = options.replace ?? true;
    const p = options.p === undefined ? null : checkProbabilities(fn, options.p, n);
    if (n === 0 && count > 0) throw rangeError(fn, "a cannot be empty unless no samples are taken");
    let idx: Float64Array;
    if (replace) {
      if (p) {
        const cdf = cdfOf(p);
        const u = this.random(count);
        idx = new Float64Array(count);
        for (let i = 0; i < count; i++) idx[i] = searchRight(cdf, u[i]);
      } else {
        idx = single ? Float64Array.of(this.randint(0, n)) : this.randint(0, n, count);
      }
    } else {
      if (count > n) {
        throw rangeError(
          fn,
          `cannot take a larger sample (${count}) than the population (${n}) when replace=false`,
        );
      }
      if (p) {
        idx = this.#choiceWithoutReplacement(p, count);
      } else {
        idx = this.permutation(n).slice(0, count);
      }
    }
    if (typeof a === "number") return single ? idx[0] : idx;
    const picked = Array.from(idx, (i) => a[i]);
    return single ? picked[0] : picked;
  }

  /** NumPy's weighted sampling without replacement (legacy `choice` loop). */
  #choiceWithoutReplacement(p0: Float64Array, count: number): Float64Array {
    let nonzero = 0;
    for (const v of p0) if (v > 0) nonzero++;
    if (nonzero < count) throw rangeError("choice", "fewer non-zero entries in p than size");
    const p = p0.slice();
    const found = new Float64Array(count);
    let have = 0;
    while (have < count) {
      const x = this.random(count - have);
      for (let i = 0; i < have; i++) p[found[i]] = 0;
      const cdf = cdfOf(p);
      const seen = new Set<number>();
      for (let i = 0; i < x.length; i++) {
        const v = searchRight(cdf, x[i]);
        if (!seen.has(v)) {
          seen.add(v);
          found[have++] = v;
        }
      }
    }
    return found;
  }
}

/** A seed word: integer in [0, 2^32). */
function checkSeedWord(fn: string, v: unknown): number {
  if (typeof v === "bigint") {
    if (v < 0n || v > 0xffffffffn) {
      throw rangeError(fn, `seed must be between 0 and 2**32 - 1, got ${v}`);
    }
    return Number(v);
  }
  if (typeof v !== "number" || !Number.isInteger(v)) {
    throw typeError(fn, `seed must be an integer, got ${String(v)}`);
  }
  if (v < 0 || v > 0xffffffff) {
    throw rangeError(fn, `seed must be between 0 and 2**32 - 1, got ${v}`);
  }
  return v;
}

/** Number of draws of a size argument. */
function countOf(fn: string, size: Size): number {
  const dims = typeof size === "number" ? [size] : size;
  if (!Array.isArray(dims)) {
    throw typeError(fn, `size must be an integer or a shape, got ${typeof size}`);
  }
  let n = 1;
  for (const d of dims) {
    if (typeof d !== "number" || !Number.isInteger(d)) {
      throw typeError(fn, `size must hold integers, got ${String(d)}`);
    }
    if (d < 0) throw rangeError(fn, `negative dimensions are not allowed, got ${d}`);
    n *= d;
  }
  return n;
}

/** Smallest 2^k − 1 ≥ r (for r < 2^32). */
function maskOf(r: number): number {
  let m = r;
  m |= m >>> 1;
  m |= m >>> 2;
  m |= m >>> 4;
  m |= m >>> 8;
  m |= m >>> 16;
  return m >>> 0;
}

/** Check p like NumPy: length n, non-negative, Kahan sum within sqrt(eps) of 1. */
function checkProbabilities(fn: string, p: ArrayLike<number>, n: number): Float64Array {
  // NumPy: atol = sqrt(eps64), or sqrt(eps32) for a float32 array.
  const atol = Math.sqrt(p instanceof Float32Array ? 2 ** -23 : 2 ** -52);
  if (p.length !== n) {
    throw rangeError(fn, `a and p must have the same size, got ${n} and ${p.length}`);
  }
  const out = Float64Array.from(p);
  let sum = 0, c = 0;
  for (let i = 0; i < out.length; i++) {
    const v = out[i];
    if (!(v >= 0)) throw rangeError(fn, `probabilities are not non-negative (p[${i}] = ${v})`);
    const y = v - c;
    const t = sum + y;
    c = (t - sum) - y;
    sum = t;
  }
  if (!(Math.abs(sum - 1) <= atol)) {
    throw rangeError(fn, `probabilities do not sum to 1 (sum ${sum})`);
  }
  return out;
}

/** `cumsum(p) / cumsum(p)[-1]` in float64. */
function cdfOf(p: Float64Array): Float64Array {
  const cdf = new Float64Array(p.length);
  let s = 0;
  for (let i = 0; i < p.length; i++) cdf[i] = s += p[i];
  const last = cdf[cdf.length - 1];
  for (let i = 0; i < cdf.length; i++) cdf[i] /= last;
  return cdf;
}

/** `searchsorted(cdf, x, side="right")`: first index with `cdf[i] > x`. */
function searchRight(cdf: Float64Array, x: number): number {
  let lo = 0, hi = cdf.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
