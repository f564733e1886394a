/**
 * An independent host-side reference of JAX's Threefry streams and samplers
 * (spec/conventions-random.md §4), written from the spec text with plain
 * numbers, for tests of the tensor implementation in core/random/.
 *
 * @module
 */

const ROT = [[13, 15, 26, 6], [17, 29, 16, 24]];

function rotl(x: number, r: number): number {
  return ((x << r) | (x >>> (32 - r))) >>> 0;
}

/**
 * One Threefry-2x32-20 block (§4.2) on uint32 numbers.
 *
 * @example
 * ```ts
 * import { threefryRef } from "./_ref.ts";
 * console.assert(threefryRef(0, 0, 0, 0)[0] === 1797259609);
 * ```
 */
export function threefryRef(k0: number, k1: number, x0: number, x1: number): [number, number] {
  const ks = [k0 >>> 0, k1 >>> 0, (k0 ^ k1 ^ 0x1BD11BDA) >>> 0];
  x0 = (x0 + ks[0]) >>> 0;
  x1 = (x1 + ks[1]) >>> 0;
  for (let g = 1; g <= 5; g++) {
    for (const r of ROT[(g - 1) % 2]) {
      x0 = (x0 + x1) >>> 0;
      x1 = rotl(x1, r);
      x1 = (x1 ^ x0) >>> 0;
    }
    x0 = (x0 + ks[g % 3]) >>> 0;
    x1 = (x1 + ks[(g + 1) % 3] + g) >>> 0;
  }
  return [x0, x1];
}

/** A layout name. */
export type RefLayout = "partitionable" | "legacy";

/**
 * JAX's `threefry_2x32(key, counts)` (odd counts padded with one 0).
 *
 * @example
 * ```ts
 * import { countRef } from "./_ref.ts";
 * console.assert(countRef([0, 42], [0, 1, 2]).length === 3);
 * ```
 */
export function countRef(key: readonly number[], counts: readonly number[]): number[] {
  const c = [...counts];
  const m = c.length;
  if (m % 2) c.push(0);
  const h = c.length / 2;
  const y0: number[] = [], y1: number[] = [];
  for (let i = 0; i < h; i++) {
    const [a, b] = threefryRef(key[0], key[1], c[i], c[h + i]);
    y0.push(a);
    y1.push(b);
  }
  return [...y0, ...y1].slice(0, m);
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/**
 * `bits(key, (m,))` in a layout (§4.3).
 *
 * @example
 * ```ts
 * import { bitsRef } from "./_ref.ts";
 * console.assert(bitsRef([0, 0], 1, "partitionable")[0] === 4070199207);
 * ```
 */
export function bitsRef(key: readonly number[], m: number, layout: RefLayout): number[] {
  if (layout === "legacy") return countRef(key, range(m));
  return range(m).map((j) => {
    const [a, b] = threefryRef(key[0], key[1], 0, j);
    return (a ^ b) >>> 0;
  });
}

/**
 * `split(key, n)` in a layout (§4.3).
 *
 * @example
 * ```ts
 * import { splitRef } from "./_ref.ts";
 * console.assert(splitRef([0, 0], 2, "legacy")[0][0] === 4146024105);
 * ```
 */
export function splitRef(key: readonly number[], n: number, layout: RefLayout): number[][] {
  if (layout === "partitionable") return range(n).map((i) => threefryRef(key[0], key[1], 0, i));
  const out = countRef(key, range(2 * n));
  return range(n).map((i) => [out[2 * i], out[2 * i + 1]]);
}

/**
 * float32 uniform in [0, 1) from bits: `(b >>> 9)·2^-23` (§4.4).
 *
 * @example
 * ```ts
 * import { unitRef } from "./_ref.ts";
 * console.assert(unitRef(0xffffffff) < 1);
 * ```
 */
export function unitRef(b: number): number {
  return (b >>> 9) / 8388608;
}

/**
 * The JAX shuffle (§4.4): rounds of stable sorts by fresh bits.
 *
 * @example
 * ```ts
 * import { permutationRef } from "./_ref.ts";
 * console.assert(permutationRef([0, 0], 10, "partitionable").join() === "0,1,8,5,6,4,3,2,7,9");
 * ```
 */
export function permutationRef(key: readonly number[], n: number, layout: RefLayout): number[] {
  let x = range(n);
  const rounds = Math.ceil((3 * Math.log(Math.max(1, n))) / Math.log(4294967295));
  let k = [...key];
  for (let r = 0; r < rounds; r++) {
    const [next, sub] = splitRef(k, 2, layout);
    const sk = bitsRef(sub, n, layout);
    const order = range(n).sort((a, b) => sk[a] - sk[b] || a - b);
    x = order.map((i) => x[i]);
    k = next;
  }
  return x;
}

/**
 * JAX `randint(key, (m,), lo, hi)` for int32 (small spans), from the JAX
 * source: split, two words per element, `((hi % s)·mult + lo % s) % s`.
 *
 * @example
 * ```ts
 * import { randintRef } from "./_ref.ts";
 * console.assert(randintRef([0, 0], 4, 0, 3, "partitionable").every((v) => v >= 0 && v < 3));
 * ```
 */
export function randintRef(
  key: readonly number[],
  m: number,
  lo: number,
  hi: number,
  layout: RefLayout,
): number[] {
  const [k1, k2] = splitRef(key, 2, layout);
  const a = bitsRef(k1, m, layout), b = bitsRef(k2, m, layout);
  const span = BigInt(hi <= lo ? 1 : hi - lo);
  const mult = (((1n << 16n) % span) ** 2n) % span;
  return range(m).map((i) => {
    const off = ((((BigInt(a[i]) % span) * mult) & 0xffffffffn) + (BigInt(b[i]) % span)) &
      0xffffffffn;
    return lo + Number(off % span);
  });
}
