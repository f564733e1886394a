/**
 * Fuzzing of the `.npy` / `.npz` readers: random bytes and mutated valid
 * files (bit flips, truncation, splices, lying header fields, forged zip
 * sizes) must either decode or throw a TypeError / RangeError from the
 * public function, quickly, without leaking tensors. Deterministic seed.
 */

import assert from "node:assert/strict";
import { type DType, memory, type NestedArray, tensor } from "../../mod.ts";
import { decodeNpy, decodeNpz, encodeNpy, encodeNpz } from "../../utils/io/mod.ts";

const FIXTURES = new URL("../fixtures/npy/", import.meta.url);

/** mulberry32: a small deterministic generator. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INTERESTING = [
  0,
  1,
  0x7f,
  0xff,
  0xffff,
  0x7fffffff,
  0x80000000,
  0xfffffffe,
  0xffffffff,
  46,
  22,
  30,
];

function mutate(src: Uint8Array, r: () => number, corpus: Uint8Array[]): Uint8Array {
  const int = (n: number) => Math.floor(r() * n);
  let b = src.slice();
  const rounds = 1 + int(3);
  for (let k = 0; k < rounds; k++) {
    switch (int(8)) {
      case 0: // flip bytes
        for (let i = 0, n = 1 + int(8); i < n && b.length; i++) b[int(b.length)] ^= 1 + int(255);
        break;
      case 1: // truncate
        b = b.slice(0, int(b.length + 1));
        break;
      case 2: { // append junk
        const extra = new Uint8Array(int(64));
        for (let i = 0; i < extra.length; i++) extra[i] = int(256);
        const c = new Uint8Array(b.length + extra.length);
        c.set(b);
        c.set(extra, b.length);
        b = c;
        break;
      }
      case 3: { // delete a range
        const at = int(b.length + 1), len = int(16);
        b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + len)]);
        break;
      }
      case 4: // overwrite a little-endian word with an interesting value (sizes, offsets, counts)
        if (b.length >= 4) {
          const at = int(b.length - 3);
          new DataView(b.buffer).setUint32(at, INTERESTING[int(INTERESTING.length)], true);
        }
        break;
      case 5: { // rewrite the header's shape with random, possibly huge, dimensions
        const text = new TextDecoder("latin1").decode(b);
        const m = /\(([0-9, ]*)\)/.exec(text);
        if (m) {
          const dims = Array.from(
            { length: int(4) },
            () => String(int(2) ? int(10) : Math.floor(r() * 1e15)),
          );
          const shape = dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(", ")})`;
          const replaced = text.slice(0, m.index) + shape + text.slice(m.index + m[0].length);
          b = Uint8Array.from(replaced, (c) => c.charCodeAt(0) & 0xff);
        }
        break;
      }
      case 6: { // swap the dtype or order flag
        const text = new TextDecoder("latin1").decode(b);
        const descr =
          ["<f4", "<f8", "<i4", "<u4", "|b1", ">f4", "<i8", "|O", "<c8", "xyz"][int(10)];
        const replaced = text.replace(/'[<>|][a-zA-Z][0-9]*'/, `'${descr}'`).replace(
          int(2) ? "False" : "@@",
          "True",
        );
        b = Uint8Array.from(replaced, (c) => c.charCodeAt(0) & 0xff);
        break;
      }
      default: { // splice with another corpus entry
        const o = corpus[int(corpus.length)];
        const at = int(b.length + 1), from = int(o.length + 1);
        b = Uint8Array.from([...b.subarray(0, at), ...o.subarray(from)]);
      }
    }
  }
  return b;
}

function randomBytes(r: () => number): Uint8Array {
  const n = Math.floor(r() * 300);
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(r() * 256);
  const kind = Math.floor(r() * 3);
  if (kind === 1 && n >= 10) b.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]); // npy magic
  if (kind === 2 && n >= 26) {
    b.set([0x50, 0x4b, 3, 4]); // a local header and an end record
    b.set([0x50, 0x4b, 5, 6], n - 22);
  }
  return b;
}

Deno.test("io fuzz: random and mutated .npy/.npz never crash, hang or leak", async () => {
  const before = memory().tensors;
  const npyCorpus: Uint8Array[] = [];
  const seeds: [NestedArray, DType][] = [
    [[[1.5, -2, 3], [4, 5, 6]], "float32"],
    [[1, 2, 3, 4], "float64"],
    [[[-7, 8]], "int32"],
    [[1, 4000000000], "uint32"],
    [[true, false, true], "bool"],
    [3.25, "float32"],
  ];
  for (const [v, dtype] of seeds) {
    using t = tensor(v, { dtype });
    npyCorpus.push(await encodeNpy(t));
  }
  for (const f of ["f32_2x3_v2.npy", "f64_2x2x2.npy", "f32_empty_0x3.npy"]) {
    npyCorpus.push(await Deno.readFile(new URL(f, FIXTURES)));
  }
  const npzCorpus = [
    await encodeNpz({ a: [1, 2, 3], "b/c": [[true]] }),
    await encodeNpz({ a: new Float32Array(300), b: [1, 2] }, { compress: true }),
    await Deno.readFile(new URL("params.npz", FIXTURES)),
    await Deno.readFile(new URL("params_compressed.npz", FIXTURES)),
  ];
  const all = [...npyCorpus, ...npzCorpus];
  const r = rng(20240607);
  const stats = { ok: 0, typeError: 0, rangeError: 0 };
  let slowest = 0;
  const t0 = performance.now();

  const check = (fn: "decodeNpy" | "decodeNpz", bytes: Uint8Array) => {
    const start = performance.now();
    try {
      if (fn === "decodeNpy") decodeNpy(bytes).dispose();
      else for (const t of Object.values(decodeNpz(bytes))) t.dispose();
      stats.ok++;
    } catch (e) {
      const ok = (e instanceof TypeError || e instanceof RangeError) &&
        e.message.startsWith(`${fn}(): `);
      if (!ok) {
        const hex = Array.from(bytes.subarray(0, 96), (x) => x.toString(16).padStart(2, "0")).join(
          "",
        );
        assert.fail(
          `${fn} threw ${(e as Error)?.constructor?.name}: ${
            (e as Error)?.message
          }\ninput ${bytes.length} bytes: ${hex}`,
        );
      }
      if (e instanceof TypeError) stats.typeError++;
      else stats.rangeError++;
    }
    slowest = Math.max(slowest, performance.now() - start);
  };

  const ITER = 4000;
  for (let i = 0; i < ITER; i++) {
    const pick = r();
    if (pick < 0.15) {
      const b = randomBytes(r);
      check("decodeNpy", b);
      check("decodeNpz", b);
    } else if (pick < 0.55) {
      check("decodeNpy", mutate(npyCorpus[Math.floor(r() * npyCorpus.length)], r, all));
    } else {
      check("decodeNpz", mutate(npzCorpus[Math.floor(r() * npzCorpus.length)], r, all));
    }
  }
  const total = performance.now() - t0;
  console.log(
    `fuzz: ${ITER} inputs in ${total.toFixed(0)} ms (slowest ${slowest.toFixed(1)} ms); ` +
      `decoded ${stats.ok}, TypeError ${stats.typeError}, RangeError ${stats.rangeError}`,
  );
  // every outcome class was exercised, nothing was slow, nothing leaked
  assert.ok(stats.ok > 50 && stats.typeError > 500 && stats.rangeError > 5, JSON.stringify(stats));
  assert.ok(slowest < 250, `slowest input took ${slowest} ms`);
  assert.ok(total < 10000, `fuzzing took ${total} ms`);
  assert.equal(memory().tensors, before);
});
