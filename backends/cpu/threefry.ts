/**
 * Threefry-2x32 with 20 rounds (Salmon et al., "Parallel random numbers: as
 * easy as 1, 2, 3", SC 2011), the block function of JAX's default PRNG, as
 * spec/conventions-random.md §4.2 writes it:
 *
 * ```
 * ks = [k0, k1, k0 ^ k1 ^ 0x1BD11BDA]; x0 += ks[0]; x1 += ks[1]
 * for g in 1..5: 4 rounds of (x0 += x1; x1 = rotl(x1, r); x1 ^= x0)
 *                with r from R[(g-1) % 2]; then x0 += ks[g % 3]; x1 += ks[(g+1) % 3] + g
 * ```
 *
 * All arithmetic is mod 2^32: kept in int32 (`| 0`) and reinterpreted by the
 * Uint32Array store.
 *
 * @module
 */

/**
 * Threefry-2x32 elementwise: keys (k0, k1) and counters (x0, x1) → (y0, y1).
 * `x0` and `x1` have one length; `k0`/`k1` have that length or length 1
 * (one key for every counter).
 *
 * @example
 * ```ts
 * import { threefryKernel } from "./threefry.ts";
 * const z = new Uint32Array([0]);
 * const [y0, y1] = threefryKernel(z, z, z, z);
 * console.assert(y0[0] === 1797259609 && y1[0] === 2579123966);
 * ```
 */
export function threefryKernel(
  k0: Uint32Array,
  k1: Uint32Array,
  x0: Uint32Array,
  x1: Uint32Array,
): [Uint32Array, Uint32Array] {
  const n = x0.length;
  if (x1.length !== n) {
    throw new TypeError(`threefry2x32(): counters differ in length, got ${n} and ${x1.length}`);
  }
  if (k0.length !== k1.length || (k0.length !== n && k0.length !== 1)) {
    throw new TypeError(
      `threefry2x32(): keys need length ${n} or 1, got ${k0.length} and ${k1.length}`,
    );
  }
  const y0 = new Uint32Array(n);
  const y1 = new Uint32Array(n);
  const kStep = k0.length === 1 ? 0 : 1;
  for (let i = 0, j = 0; i < n; i++, j += kStep) {
    const ks0 = k0[j] | 0;
    const ks1 = k1[j] | 0;
    const ks2 = ks0 ^ ks1 ^ 0x1BD11BDA;
    let a = (x0[i] + ks0) | 0;
    let b = (x1[i] + ks1) | 0;
    // Group 1: rotations 13, 15, 26, 6; then inject ks1, ks2 + 1.
    a = (a + b) | 0, b = (b << 13) | (b >>> 19), b ^= a;
    a = (a + b) | 0, b = (b << 15) | (b >>> 17), b ^= a;
    a = (a + b) | 0, b = (b << 26) | (b >>> 6), b ^= a;
    a = (a + b) | 0, b = (b << 6) | (b >>> 26), b ^= a;
    a = (a + ks1) | 0, b = (b + ks2 + 1) | 0;
    // Group 2: rotations 17, 29, 16, 24; then ks2, ks0 + 2.
    a = (a + b) | 0, b = (b << 17) | (b >>> 15), b ^= a;
    a = (a + b) | 0, b = (b << 29) | (b >>> 3), b ^= a;
    a = (a + b) | 0, b = (b << 16) | (b >>> 16), b ^= a;
    a = (a + b) | 0, b = (b << 24) | (b >>> 8), b ^= a;
    a = (a + ks2) | 0, b = (b + ks0 + 2) | 0;
    // Group 3: R[0]; then ks0, ks1 + 3.
    a = (a + b) | 0, b = (b << 13) | (b >>> 19), b ^= a;
    a = (a + b) | 0, b = (b << 15) | (b >>> 17), b ^= a;
    a = (a + b) | 0, b = (b << 26) | (b >>> 6), b ^= a;
    a = (a + b) | 0, b = (b << 6) | (b >>> 26), b ^= a;
    a = (a + ks0) | 0, b = (b + ks1 + 3) | 0;
    // Group 4: R[1]; then ks1, ks2 + 4.
    a = (a + b) | 0, b = (b << 17) | (b >>> 15), b ^= a;
    a = (a + b) | 0, b = (b << 29) | (b >>> 3), b ^= a;
    a = (a + b) | 0, b = (b << 16) | (b >>> 16), b ^= a;
    a = (a + b) | 0, b = (b << 24) | (b >>> 8), b ^= a;
    a = (a + ks1) | 0, b = (b + ks2 + 4) | 0;
    // Group 5: R[0]; then ks2, ks0 + 5.
    a = (a + b) | 0, b = (b << 13) | (b >>> 19), b ^= a;
    a = (a + b) | 0, b = (b << 15) | (b >>> 17), b ^= a;
    a = (a + b) | 0, b = (b << 26) | (b >>> 6), b ^= a;
    a = (a + b) | 0, b = (b << 6) | (b >>> 26), b ^= a;
    a = (a + ks2) | 0, b = (b + ks0 + 5) | 0;
    y0[i] = a;
    y1[i] = b;
  }
  return [y0, y1];
}
