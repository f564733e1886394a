/**
 * The WebAssembly SIMD fast paths of the cpu backend (backends/cpu/simd/):
 * float32 exp and sigmoid against Math rounded to float32 (ulp error over a
 * dense sweep of all float32 bit patterns, special values), and arithmetic
 * and comparisons bit for bit against the TypeScript loops (SIMD switched
 * off), over same-shape, scalar and broadcast operands and lengths that are
 * not multiples of 4, 16 or the block size.
 */

import assert from "node:assert/strict";
import { CpuBackend } from "../../../backends/cpu/mod.ts";
import type { BinaryOp, DType, TypedArray, UnaryOp } from "../../../backends/backend.ts";
import {
  BLOCK,
  MIN_ELEMENTS,
  setSimdEnabled,
  simdAvailable,
  simdUnaryF32,
} from "../../../backends/cpu/simd/mod.ts";
import { exp, memory, sigmoid, tensor, tidy } from "../../../mod.ts";
import { randomArray } from "../../helpers.ts";

const cpu = new CpuBackend();

/** Run `fn` with the SIMD paths on or off, restoring the setting after. */
function withSimd<T>(on: boolean, fn: () => T): T {
  const was = setSimdEnabled(on);
  try {
    return fn();
  } finally {
    setSimdEnabled(was);
  }
}

/** Order-preserving integer key of a float32 (ulp distance = key difference). */
function key(v: number): number {
  F32[0] = v;
  const b = I32[0];
  return b < 0 ? -(b & 0x7fffffff) : b;
}
const F32 = new Float32Array(1);
const I32 = new Int32Array(F32.buffer);

/** Max ulp distance between two float32 arrays; NaN must match NaN. */
function maxUlp(got: Float32Array, want: Float32Array, xs: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < got.length; i++) {
    const g = got[i], w = want[i];
    if (w !== w || g !== g) {
      assert.ok(w !== w && g !== g, `x = ${xs[i]}: got ${g}, want ${w}`);
      continue;
    }
    const d = Math.abs(key(g) - key(w));
    if (d > worst) worst = d;
  }
  return worst;
}

/** float32 values from every `step`-th bit pattern (all signs, subnormals, ±∞, NaN). */
function bitSweep(step: number): Float32Array {
  const n = Math.floor(2 ** 32 / step);
  const bits = new Uint32Array(n);
  for (let i = 0; i < n; i++) bits[i] = i * step;
  return new Float32Array(bits.buffer);
}

/** The op through CpuBackend (the routing of elementwise.ts). */
function unaryOp(op: UnaryOp, x: TypedArray, dtype: DType = "float32"): TypedArray {
  const t = cpu.write(x, [x.length], dtype);
  const r = cpu.unary(op, t);
  const v = cpu.readSync(r);
  cpu.dispose(t);
  cpu.dispose(r);
  return v;
}

function binaryOp(
  op: BinaryOp,
  a: Float32Array,
  aShape: number[],
  b: Float32Array,
  bShape: number[],
): TypedArray {
  const ta = cpu.write(a, aShape, "float32");
  const tb = cpu.write(b, bShape, "float32");
  const r = cpu.binary(op, ta, tb);
  const v = cpu.readSync(r);
  for (const t of [ta, tb, r]) cpu.dispose(t);
  return v;
}

/** Deterministic float32 values with NaN, ±0, ±∞ and ties sprinkled in. */
function values(n: number, seed: number): Float32Array {
  const out = Float32Array.from(randomArray(n, seed), (v) => v * 4);
  const special = [NaN, 0, -0, Infinity, -Infinity, 1, -1, 0.5];
  for (let i = 0; i < n; i += 7) out[i] = special[(i / 7 + seed) % special.length];
  return out;
}

/** Bitwise-equal arrays (NaN equals NaN, -0 differs from +0). */
function assertSameBits(got: TypedArray, want: TypedArray, msg: string): void {
  assert.equal(got.constructor, want.constructor, msg);
  assert.equal(got.length, want.length, msg);
  for (let i = 0; i < got.length; i++) {
    if (!Object.is(got[i], want[i])) assert.fail(`${msg}: [${i}] got ${got[i]}, want ${want[i]}`);
  }
}

Deno.test("simd: WebAssembly SIMD is available in Deno and can be switched off", () => {
  assert.equal(simdAvailable(), true);
  withSimd(false, () => {
    assert.equal(simdAvailable(), false);
    const x = new Float32Array(100);
    assert.equal(simdUnaryF32("exp", x, new Float32Array(100)), false);
  });
  // too short, or no kernel for the op: the caller keeps its TypeScript loop
  const short = new Float32Array(MIN_ELEMENTS - 1);
  assert.equal(simdUnaryF32("exp", short, new Float32Array(short.length)), false);
  const long = new Float32Array(MIN_ELEMENTS);
  assert.equal(simdUnaryF32("log", long, new Float32Array(long.length)), false);
  assert.equal(simdUnaryF32("exp", long, new Float32Array(long.length)), true);
});

Deno.test("simd: float32 exp is within 1 ulp of Math.exp over a dense bit-pattern sweep", () => {
  // every 4099th float32 (~1M values: both signs, subnormals, ±∞, NaNs);
  // an exhaustive run over all 2^32 inputs found the same bound.
  const xs = bitSweep(4099);
  const got = unaryOp("exp", xs) as Float32Array;
  const want = Float32Array.from(xs, Math.exp);
  assert.ok(maxUlp(got, want, xs) <= 1);
  // and densely over the range where exp is finite and nonzero
  const n = 1 << 20;
  const ys = Float32Array.from({ length: n }, (_, i) => -104 + (193 * i) / n);
  const ey = unaryOp("exp", ys) as Float32Array;
  assert.ok(maxUlp(ey, Float32Array.from(ys, Math.exp), ys) <= 1);
});

Deno.test("simd: float32 exp special values", () => {
  const xs = new Float32Array(64);
  const cases: [number, number][] = [
    [NaN, NaN],
    [Infinity, Infinity],
    [-Infinity, 0],
    [0, 1],
    [-0, 1],
    [1000, Infinity],
    [-1000, 0],
    [88.72283172607422, Math.fround(Math.exp(88.72283172607422))], // largest finite
    [88.72283935546875, Infinity], // first overflow
    [-103.97207641601562, Math.fround(Math.exp(-103.97207641601562))], // 2^-149
    [-104, 0],
    [-87.5, Math.fround(Math.exp(-87.5))], // subnormal result
    [1, Math.fround(Math.E)],
  ];
  cases.forEach(([x], i) => (xs[i] = x));
  const got = unaryOp("exp", xs);
  cases.forEach(([x, want], i) => {
    assert.ok(Object.is(got[i], want) || Math.abs(key(got[i]) - key(want)) <= 1, `exp(${x})`);
  });
  assert.ok(got[9] > 0 && got[11] > 0 && got[11] < 2 ** -126);
});

Deno.test("simd: float32 sigmoid is within 2 ulp of 1/(1+e^-x), subnormal tail kept", () => {
  const xs = bitSweep(8191);
  const got = unaryOp("sigmoid", xs) as Float32Array;
  const want = Float32Array.from(xs, (x) => 1 / (1 + Math.exp(-x)));
  assert.ok(maxUlp(got, want, xs) <= 2);
  const sp = new Float32Array(64);
  sp.set([NaN, Infinity, -Infinity, 0, -100, 100, -88.8]);
  const s = unaryOp("sigmoid", sp);
  assert.ok(Number.isNaN(s[0]));
  assert.deepEqual([s[1], s[2], s[3], s[5]], [1, 0, 0.5, 1]);
  assert.ok(s[4] > 0 && s[4] < 2 ** -126, "sigmoid(-100) is a subnormal, not 0");
  assert.ok(Math.abs(key(s[6]) - key(Math.fround(1 / (1 + Math.exp(-sp[6]))))) <= 2);
});

Deno.test("simd: exp over lengths not multiple of 4 or of the block size matches TS", () => {
  for (const n of [MIN_ELEMENTS, 65, 67, 1001, BLOCK - 1, BLOCK, BLOCK + 1, 2 * BLOCK + 13]) {
    const xs = Float32Array.from(randomArray(n, n), (v) => v * 30);
    const got = unaryOp("exp", xs) as Float32Array;
    const ts = withSimd(false, () => unaryOp("exp", xs)) as Float32Array;
    assert.equal(got.length, n);
    assert.ok(maxUlp(got, ts, xs) <= 1, `n = ${n}`);
  }
});

Deno.test("simd: float64 exp stays on Math.exp", () => {
  const xs = Float64Array.from(randomArray(200, 3), (v) => v * 50);
  const got = unaryOp("exp", xs, "float64");
  assert.ok(got instanceof Float64Array);
  for (let i = 0; i < xs.length; i++) assert.equal(got[i], Math.exp(xs[i]));
});

const OPS: BinaryOp[] = [
  "add",
  "sub",
  "mul",
  "div",
  "maximum",
  "minimum",
  "equal",
  "notEqual",
  "less",
  "lessEqual",
  "greater",
  "greaterEqual",
];

/** Shape pairs: same, scalar right/left, per-row column, row vector, outer. */
const SHAPES: [number[], number[]][] = [
  [[67, 97], [67, 97]],
  [[3, 4099], []],
  [[], [3, 4099]],
  [[40, 1000], [40, 1]],
  [[40, 1000], [1, 1000]],
  [[1, 1000], [40, 1000]],
  [[20, 1], [1, 1003]],
  [[5, 70, 130], [70, 1]],
];

Deno.test("simd: arithmetic and comparisons equal the TS loops bit for bit", () => {
  for (const op of OPS) {
    for (const [i, [as, bs]] of SHAPES.entries()) {
      const a = values(as.reduce((p, d) => p * d, 1), 2 * i + 1);
      const b = values(bs.reduce((p, d) => p * d, 1), 2 * i + 2);
      const got = binaryOp(op, a, as, b, bs);
      const want = withSimd(false, () => binaryOp(op, a, as, b, bs));
      assertSameBits(got, want, `${op} [${as}] [${bs}]`);
    }
  }
});

Deno.test("simd: maximum/minimum propagate NaN and order signed zeros as Math.max", () => {
  const a = new Float32Array(64).fill(-0);
  const b = new Float32Array(64).fill(0);
  a[1] = NaN;
  b[2] = NaN;
  const mx = binaryOp("maximum", a, [64], b, [64]);
  const mn = binaryOp("minimum", a, [64], b, [64]);
  assert.ok(Object.is(mx[0], 0) && Object.is(mn[0], -0));
  assert.ok(Number.isNaN(mx[1]) && Number.isNaN(mx[2]) && Number.isNaN(mn[1]));
  // relu: maximum(x, 0) keeps NaN
  const r = binaryOp("maximum", a, [64], new Float32Array([0]), []);
  assert.ok(Number.isNaN(r[1]) && Object.is(r[0], 0));
});

Deno.test("simd: comparisons write 0/1 bool bytes over odd lengths", () => {
  for (const n of [MIN_ELEMENTS, 65, 79, BLOCK + 15]) {
    const a = values(n, n);
    const got = binaryOp("greaterEqual", a, [n], new Float32Array([0.25]), []);
    assert.ok(got instanceof Uint8Array && got.length === n);
    for (let i = 0; i < n; i++) assert.equal(got[i], +(a[i] >= 0.25), `n ${n} [${i}]`);
  }
});

Deno.test("simd: exp and sigmoid through core ops free their temporaries", () => {
  const before = memory().tensors;
  const y = tidy(() => sigmoid(exp(tensor(Float32Array.from(randomArray(1000, 9))))));
  const v = y.dataSync();
  assert.ok(v[0] > 0.5 && v[0] < 1);
  y.dispose();
  assert.equal(memory().tensors, before);
});
