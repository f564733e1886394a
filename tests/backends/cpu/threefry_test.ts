/**
 * cpu Threefry-2x32 against the golden cases (Random123 known answers and
 * the JAX reference), and the bits → uniform → normal pipeline built from
 * the cpu kernels (threefry2x32, bitsToUnit, erfinv) against prng.jsonl.
 */

import assert from "node:assert/strict";
import { CpuBackend } from "../../../backends/cpu/mod.ts";
import { assertAllClose } from "../../helpers.ts";

const cpu = new CpuBackend();

interface Case {
  id: string;
  fn: string;
  args: Record<string, unknown>;
  expected: unknown;
  rtol: number;
  atol: number;
  layout?: string;
}

const GOLDEN = new URL("../../../../shared/golden/prng.jsonl", import.meta.url);
const cases: Case[] = Deno.readTextFileSync(GOLDEN).trim().split("\n").map((l) => JSON.parse(l));

/** Threefry through the backend: one key (length-1 key arrays) for all counters. */
function tf(key: number[], c0: number[], c1: number[]): [number[], number[]] {
  const u = (v: number[]) => cpu.write(Uint32Array.from(v), [v.length], "uint32");
  const [k0, k1, x0, x1] = [u([key[0]]), u([key[1]]), u(c0), u(c1)];
  const [y0, y1] = cpu.threefry2x32(k0, k1, x0, x1);
  assert.equal(y0.dtype, "uint32");
  assert.deepEqual(y0.shape, [c0.length]);
  const r: [number[], number[]] = [Array.from(cpu.readSync(y0)), Array.from(cpu.readSync(y1))];
  for (const t of [k0, k1, x0, x1, y0, y1]) cpu.dispose(t);
  return r;
}

/** jax.random.bits (uint32) in either layout (spec/conventions-random.md §4.3). */
function bits32(key: number[], m: number, layout: string): number[] {
  if (layout === "partitionable") {
    const idx = Array.from({ length: m }, (_, j) => j);
    const [y0, y1] = tf(key, idx.map(() => 0), idx);
    return y0.map((v, j) => (v ^ y1[j]) >>> 0);
  }
  const h = Math.ceil(m / 2);
  const c = Array.from({ length: 2 * h }, (_, j) => (j < m ? j : 0));
  const [y0, y1] = tf(key, c.slice(0, h), c.slice(h));
  return [...y0, ...y1].slice(0, m);
}

function count(shape: number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

Deno.test("threefry2x32: golden known-answer cases", () => {
  const tfCases = cases.filter((c) => c.fn === "jax.extend.random.threefry_2x32");
  assert.ok(tfCases.length >= 6);
  for (const c of tfCases) {
    const key = c.args.keypair as number[];
    const cnt = c.args.count as number[];
    // Odd counts are padded with one 0, halves fed as (x0, x1).
    const h = Math.ceil(cnt.length / 2);
    const padded = cnt.length % 2 ? [...cnt, 0] : cnt;
    const [y0, y1] = tf(key, padded.slice(0, h), padded.slice(h));
    assert.deepEqual([...y0, ...y1].slice(0, cnt.length), c.expected, c.id);
  }
});

Deno.test("threefry2x32: per-element keys equal broadcast keys; bad lengths throw", () => {
  const n = 5;
  const keys0 = new Uint32Array(n).fill(123456789);
  const keys1 = new Uint32Array(n).fill(987654321);
  const x0 = Uint32Array.from({ length: n }, (_, i) => i * 7);
  const x1 = Uint32Array.from({ length: n }, (_, i) => 4294967295 - i);
  const w = (a: Uint32Array) => cpu.write(a, [a.length], "uint32");
  const [a0, a1] = cpu.threefry2x32(w(keys0), w(keys1), w(x0), w(x1));
  const [b0, b1] = tf([123456789, 987654321], Array.from(x0), Array.from(x1));
  assert.deepEqual(Array.from(cpu.readSync(a0)), b0);
  assert.deepEqual(Array.from(cpu.readSync(a1)), b1);
  assert.throws(
    () => cpu.threefry2x32(w(keys0), w(keys1), w(x0), w(new Uint32Array(3))),
    /threefry2x32\(\): /,
  );
  assert.throws(
    () => cpu.threefry2x32(w(new Uint32Array(2)), w(new Uint32Array(2)), w(x0), w(x1)),
    TypeError,
  );
});

Deno.test("threefry2x32: golden jax.random.bits in both layouts", () => {
  const bitCases = cases.filter((c) => c.fn === "jax.random.bits");
  assert.ok(bitCases.length >= 8);
  for (const c of bitCases) {
    const shape = c.args.shape as number[];
    const got = bits32(c.args.key as number[], count(shape), c.layout!);
    assert.deepEqual(got, [c.expected].flat(2), c.id);
  }
});

/** jax.random.uniform from the cpu kernels: bitsToUnit, then f32 affine map. */
function uniform(
  key: number[],
  shape: number[],
  layout: string,
  lo: number,
  hi: number,
): Float32Array {
  const b = bits32(key, count(shape), layout);
  const t = cpu.write(Uint32Array.from(b), shape, "uint32");
  const u = cpu.unary("bitsToUnit", t);
  assert.equal(u.dtype, "float32");
  const f = cpu.readSync(u) as Float32Array;
  const fr = Math.fround;
  const scale = fr(fr(hi) - fr(lo));
  return f.map((v) => Math.max(fr(lo), fr(fr(v * scale) + fr(lo))));
}

Deno.test("bitsToUnit: golden jax.random.uniform", () => {
  const uCases = cases.filter((c) => c.fn === "jax.random.uniform");
  assert.ok(uCases.length >= 8);
  for (const c of uCases) {
    const a = c.args as { key: number[]; shape: number[]; minval: number; maxval: number };
    const got = uniform(a.key, a.shape, c.layout!, a.minval, a.maxval);
    assertAllClose(got, c.expected, { rtol: c.rtol, atol: c.atol, msg: c.id });
  }
});

Deno.test("erfinv (float32): golden jax.random.normal via √2·erfinv(uniform(-1+ε, 1))", () => {
  const nCases = cases.filter((c) => c.fn === "jax.random.normal");
  assert.ok(nCases.length >= 6);
  for (const c of nCases) {
    const a = c.args as { key: number[]; shape: number[] };
    const u = uniform(a.key, a.shape, c.layout!, -0.99999994, 1);
    const t = cpu.write(u, a.shape, "float32");
    const e = cpu.readSync(cpu.unary("erfinv", t));
    const got = Array.from(e, (v) => Math.fround(Math.fround(Math.SQRT2) * v));
    assertAllClose(got, c.expected, { rtol: c.rtol, atol: c.atol, msg: c.id });
  }
});
