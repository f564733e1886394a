/**
 * io: `.npy` / `.npz` byte-compatible with NumPy (committed fixtures made by
 * numpy, and a live round trip through python3 when it is installed),
 * hostile files, JSON and makedir.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import { zipSync } from "fflate";
import { backendByName, type DType, memory, type Tensor, tensor } from "../../mod.ts";
import {
  decodeNpy,
  decodeNpz,
  encodeNpy,
  encodeNpz,
  loadJson,
  loadNpy,
  loadNpz,
  makedir,
  makedirs,
  parseNpyHeader,
  saveJson,
  saveNpy,
  saveNpz,
} from "../../utils/io/mod.ts";
import { crc32 } from "../../utils/io/zip.ts";

const FIXTURES = new URL("../fixtures/npy/", import.meta.url);

interface Described {
  dtype: string;
  shape: number[];
  values: (number | boolean | string)[];
}
interface Manifest {
  npy: Record<string, Described>;
  npz: Record<string, Record<string, Described>>;
}
const MANIFEST: Manifest = JSON.parse(
  await Deno.readTextFile(new URL("manifest.json", FIXTURES)),
);

const NUMPY_DTYPE: Record<string, DType> = {
  float32: "float32",
  float64: "float64",
  int32: "int32",
  uint32: "uint32",
  bool: "bool",
};

function decodeValue(v: number | boolean | string): number {
  if (v === "NaN") return NaN;
  if (v === "Infinity") return Infinity;
  if (v === "-Infinity") return -Infinity;
  if (v === "-0") return -0;
  if (typeof v === "boolean") return v ? 1 : 0;
  return v as number;
}

/** Bitwise comparison of values (NaN = NaN, -0 ≠ 0). */
function assertSameValues(actual: ArrayLike<number>, expected: ArrayLike<number>, msg: string) {
  assert.equal(actual.length, expected.length, `${msg}: length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Object.is(actual[i], expected[i]), `${msg}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

function assertMatches(t: Tensor, d: Described, msg: string) {
  assert.equal(t.dtype, NUMPY_DTYPE[d.dtype], `${msg}: dtype`);
  assert.deepEqual([...t.shape], d.shape, `${msg}: shape`);
  const want = d.values.map(decodeValue);
  const typed = t.dtype === "float32" ? Float32Array.from(want) : want;
  assertSameValues(t.dataSync(), typed, msg);
}

function tensorOf(d: Described): Tensor {
  const values = d.values.map(decodeValue);
  const dtype = NUMPY_DTYPE[d.dtype];
  const typed = dtype === "float64"
    ? Float64Array.from(values)
    : dtype === "float32"
    ? Float32Array.from(values)
    : dtype === "int32"
    ? Int32Array.from(values)
    : dtype === "uint32"
    ? Uint32Array.from(values)
    : Uint8Array.from(values);
  return tensor(typed, { shape: d.shape });
}

function throwsWith(
  f: () => unknown,
  type: typeof TypeError | typeof RangeError,
  re: RegExp,
): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(
      e instanceof type,
      `expected ${type.name}, got ${(e as Error)?.constructor?.name}: ${e}`,
    );
    assert.match((e as Error).message, re);
    return true;
  });
}

async function rejectsWith(
  f: () => Promise<unknown>,
  type: typeof TypeError | typeof RangeError,
  re: RegExp,
): Promise<void> {
  await assert.rejects(f, (e: unknown) => {
    assert.ok(
      e instanceof type,
      `expected ${type.name}, got ${(e as Error)?.constructor?.name}: ${e}`,
    );
    assert.match((e as Error).message, re);
    return true;
  });
}

/** A `.npy` file with an arbitrary header text and data (version 1.0). */
function rawNpy(
  header: string,
  data: Uint8Array = new Uint8Array(0),
  version = [1, 0],
): Uint8Array {
  const h = new TextEncoder().encode(header);
  const pre = version[0] === 1 ? 10 : 12;
  const out = new Uint8Array(pre + h.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version[0], version[1]]);
  if (version[0] === 1) {
    out[8] = h.length & 0xff;
    out[9] = h.length >> 8;
  } else {
    new DataView(out.buffer).setUint32(8, h.length, true);
  }
  out.set(h, pre);
  out.set(data, pre + h.length);
  return out;
}

const hdr = (descr: string, shape: string, fortran = "False") =>
  `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }\n`;

// ---------------------------------------------------------------------------
// byte compatibility with numpy (committed fixtures)

Deno.test("npy: files written by numpy load identically (every dtype, 0-d, empty, v2.0)", async () => {
  const before = memory().tensors;
  for (const [file, d] of Object.entries(MANIFEST.npy)) {
    using t = await loadNpy(new URL(file, FIXTURES));
    assertMatches(t, d, file);
  }
  assert.equal(memory().tensors, before);
});

Deno.test("npy: encodeNpy is byte-identical to numpy.save", async () => {
  for (const [file, d] of Object.entries(MANIFEST.npy)) {
    if (file.endsWith("_v2.npy")) continue; // written with version=(2, 0) on purpose
    using t = tensorOf(d);
    const ours = await encodeNpy(t);
    const theirs = await Deno.readFile(new URL(file, FIXTURES));
    assert.deepEqual(ours, theirs, file);
  }
});

Deno.test("npz: archives written by numpy.savez and savez_compressed load identically", async () => {
  const before = memory().tensors;
  for (const [file, members] of Object.entries(MANIFEST.npz)) {
    const got = await loadNpz(new URL(file, FIXTURES));
    assert.deepEqual(Object.keys(got).sort(), Object.keys(members).sort(), file);
    for (const [name, d] of Object.entries(members)) assertMatches(got[name], d, `${file}:${name}`);
    for (const t of Object.values(got)) t.dispose();
  }
  assert.equal(memory().tensors, before);
});

Deno.test("npy/npz: hostile files numpy writes are refused with clear errors", async () => {
  const bad = new URL("bad/", FIXTURES);
  const cases: [string, RegExp][] = [
    ["fortran.npy", /^loadNpy\(\): Fortran-order arrays are not supported/],
    ["bigendian.npy", /^loadNpy\(\): big-endian dtype '>f4' is not supported/],
    ["int64.npy", /^loadNpy\(\): dtype '<i8' \(64-bit integers\) is not supported/],
    ["object.npy", /^loadNpy\(\): object arrays are not supported/],
    ["structured.npy", /^loadNpy\(\): structured \(record\) dtypes are not supported/],
    ["float16.npy", /^loadNpy\(\): unsupported dtype '<f2'/],
  ];
  for (const [file, re] of cases) {
    await rejectsWith(() => loadNpy(new URL(file, bad)), TypeError, re);
  }
  for (const file of ["traversal.npz", "absolute.npz"]) {
    await rejectsWith(
      () => loadNpz(new URL(file, bad)),
      TypeError,
      /^loadNpz\(\): unsafe entry name .*path traversal/,
    );
  }
});

// ---------------------------------------------------------------------------
// round trips inside ngc-utils

const DTYPES: DType[] = ["float32", "float64", "int32", "uint32", "bool"];

function arbArray() {
  return fc.record({
    dtype: fc.constantFrom(...DTYPES),
    shape: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 4 }),
    seed: fc.integer(),
  }).map(({ dtype, shape, seed }) => {
    const n = shape.reduce((a, b) => a * b, 1);
    let s = seed >>> 0;
    const next = () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s;
    };
    const values: number[] = [];
    for (let i = 0; i < n; i++) {
      const u = next();
      values.push(
        dtype === "bool"
          ? u & 1
          : dtype === "int32"
          ? u | 0
          : dtype === "uint32"
          ? u
          : dtype === "float32"
          ? Math.fround((u / 2 ** 32 - 0.5) * 10 ** ((u % 40) - 20))
          : (u / 2 ** 32 - 0.5) * 10 ** ((u % 600) - 300),
      );
    }
    return { dtype, shape, values };
  });
}

Deno.test("npy: encode → decode is the identity (property, every dtype and rank 0-4)", async () => {
  const before = memory().tensors;
  await fc.assert(
    fc.asyncProperty(arbArray(), async ({ dtype, shape, values }) => {
      using t = tensor(values, { dtype, shape });
      const bytes = await encodeNpy(t);
      const h = parseNpyHeader(bytes);
      assert.equal(h.dataOffset % 64, 0); // NumPy's alignment
      using back = decodeNpy(bytes);
      assert.equal(back.dtype, dtype);
      assert.deepEqual([...back.shape], shape);
      assertSameValues(back.dataSync(), t.dataSync(), dtype);
    }),
    { numRuns: 150, seed: 42 },
  );
  assert.equal(memory().tensors, before);
});

Deno.test("npz: encode → decode is the identity, stored and deflated, nested names", async () => {
  using w = tensor([[1.5, -2], [3, 4e-8]]);
  using k = tensor(new Uint32Array([0, 4294967295]));
  const before = memory().tensors;
  for (const compress of [false, true]) {
    const bytes = await encodeNpz(
      { W: w, "layer1/b": [0.25, 0.5], mask: [true, false], k, ["__proto__"]: [7] },
      { compress },
    );
    const got = decodeNpz(bytes);
    assert.deepEqual(Object.keys(got), ["W", "layer1/b", "mask", "k", "__proto__"]);
    assertSameValues(got.W.dataSync(), w.dataSync(), "W");
    assert.equal(got.mask.dtype, "bool");
    assert.equal(got.k.dtype, "uint32");
    assertSameValues(got.k.dataSync(), [0, 4294967295], "k");
    assert.equal(Object.getPrototypeOf(got), Object.prototype);
    assertSameValues(
      Object.getOwnPropertyDescriptor(got, "__proto__")!.value.dataSync(),
      [7],
      "proto",
    );
    for (const t of Object.values(got)) t.dispose();
  }
  // compression pays off on redundant data
  const zeros = new Float32Array(4096);
  const stored = await encodeNpz({ z: zeros }),
    deflated = await encodeNpz({ z: zeros }, { compress: true });
  assert.ok(deflated.length < stored.length / 20, `${deflated.length} vs ${stored.length}`);
  assert.equal(memory().tensors, before);
});

Deno.test("npy: the dtype option converts on the host (float64 file → float32 tensor)", async () => {
  using t = await loadNpy(new URL("f64_2x2x2.npy", FIXTURES), { dtype: "float32" });
  assert.equal(t.dtype, "float32");
  assert.equal(t.dataSync()[0], Math.fround(Math.PI));
  await rejectsWith(
    () => loadNpy(new URL("f32_2x3.npy", FIXTURES), { dtype: "float16" as never }),
    TypeError,
    /unknown dtype "float16"/,
  );
});

Deno.test("npy/npz: save and load files, with paths and URLs", async () => {
  const dir = await Deno.makeTempDir();
  try {
    using t = tensor([[1, 2, 3]], { dtype: "int32" });
    await saveNpy(`${dir}/t.npy`, t);
    using back = await loadNpy(new URL(`file://${dir}/t.npy`));
    assertSameValues(back.dataSync(), [1, 2, 3], "npy");
    await saveNpz(`${dir}/p.npz`, { t }, { compress: true });
    const { t: t2 } = await loadNpz(`${dir}/p.npz`);
    assert.deepEqual([...t2.shape], [1, 3]);
    t2.dispose();
    await rejectsWith(() => saveNpy("" as never, t), TypeError, /^saveNpy\(\): path must be/);
    await rejectsWith(
      () => saveNpz(`${dir}/x.npz`, [t] as never),
      TypeError,
      /^saveNpz\(\): arrays must be an object/,
    );
    await rejectsWith(
      () => saveNpz(`${dir}/x.npz`, { "../up": t }),
      TypeError,
      /^saveNpz\(\): unsafe entry name/,
    );
    await rejectsWith(
      () => encodeNpz({ a: t }, { compress: "yes" as never }),
      TypeError,
      /compress must be a boolean/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// ---------------------------------------------------------------------------
// hostile .npy

Deno.test("npy: truncated files, lying headers and huge sizes are refused before any allocation", () => {
  const before = memory().tensors;
  const f32x6 = new Uint8Array(24);
  // truncated data: the header says (2, 3) float32 = 24 bytes, 20 follow
  throwsWith(
    () => decodeNpy(rawNpy(hdr("<f4", "(2, 3)"), f32x6.slice(0, 20))),
    TypeError,
    /^decodeNpy\(\): truncated data: shape \[2, 3\] of float32 needs 24 bytes, the file holds 20/,
  );
  // the header lies about the shape (more data than declared)
  throwsWith(
    () => decodeNpy(rawNpy(hdr("<f4", "(2, 2)"), f32x6)),
    TypeError,
    /declares shape \[2, 2\] of float32 \(16 bytes\) but 24 data bytes follow/,
  );
  // the header lies about the dtype (f8 needs 48 bytes)
  throwsWith(
    () => decodeNpy(rawNpy(hdr("<f8", "(2, 3)"), f32x6)),
    TypeError,
    /truncated data: shape \[2, 3\] of float64 needs 48 bytes/,
  );
  // huge declared sizes: refused by the byte limit, then by the bytes present, never allocated
  throwsWith(
    () => decodeNpy(rawNpy(hdr("<f8", "(1099511627776, 1099511627776)"), f32x6)),
    RangeError,
    /^decodeNpy\(\): shape \[1099511627776, 1099511627776\] of float64 declares more than the limit of 1073741824 bytes/,
  );
  throwsWith(
    () => decodeNpy(rawNpy(hdr("<f4", "(100000000,)"), f32x6), { maxBytes: 1000 }),
    RangeError,
    /more than the limit of 1000 bytes/,
  );
  throwsWith(
    () =>
      decodeNpy(rawNpy(hdr("<f4", "(1000000, 1000)"), f32x6), {
        maxBytes: Number.MAX_SAFE_INTEGER,
      }),
    TypeError,
    /truncated data: .* needs 4000000000 bytes, the file holds 24/,
  );
  throwsWith(
    () => decodeNpy(rawNpy(hdr("<f4", "(99999999999999999999,)"), f32x6)),
    TypeError,
    /dimension 99999999999999999999 is too large/,
  );
  // a zero dimension anywhere makes the array empty, however large the others
  using empty = decodeNpy(rawNpy(hdr("<f4", "(1099511627776, 0)")));
  assert.deepEqual([...empty.shape], [1099511627776, 0]);
  // header length beyond the file, and over NumPy's 10000-byte limit
  const shortHeader = rawNpy(hdr("<f4", "(1,)"), new Uint8Array(4));
  shortHeader[8] = 0xff;
  throwsWith(
    () => decodeNpy(shortHeader),
    TypeError,
    /truncated file: the header declares 255 bytes but only/,
  );
  const v2 = rawNpy(hdr("<f4", "(1,)"), new Uint8Array(4), [2, 0]);
  new DataView(v2.buffer).setUint32(8, 0xfffffff0, true);
  throwsWith(
    () => decodeNpy(v2),
    RangeError,
    /header length 4294967280 exceeds the limit of 10000 bytes/,
  );
  assert.equal(memory().tensors, before + 1);
});

Deno.test("npy: Fortran order, unknown dtypes and malformed headers give clear errors", () => {
  const d4 = new Uint8Array(4);
  const bad: [Uint8Array, RegExp][] = [
    [rawNpy(hdr("<f4", "(1,)", "True"), d4), /Fortran-order arrays are not supported/],
    [rawNpy(hdr("<c8", "(1,)"), d4), /unsupported dtype '<c8'/],
    [rawNpy(hdr("constructor", "(1,)"), d4), /unsupported dtype 'constructor'/],
    [rawNpy(hdr("|O", "(1,)"), d4), /object arrays are not supported/],
    [rawNpy(hdr(">i4", "(1,)"), d4), /big-endian dtype '>i4'/],
    [
      rawNpy("{'descr': [('x', '<f4')], 'fortran_order': False, 'shape': (1,), }\n", d4),
      /structured \(record\) dtypes/,
    ],
    [
      rawNpy("{'descr': '<f4', 'shape': (1,), }\n", d4),
      /expected the keys descr, fortran_order, shape; got descr, shape/,
    ],
    [
      rawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}\n", d4),
      /unsupported value/,
    ],
    [
      rawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'extra': True}\n", d4),
      /expected the keys descr, fortran_order, shape/,
    ],
    [
      rawNpy("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (1,)}\n", d4),
      /duplicate key 'descr'/,
    ],
    [rawNpy(hdr("<f4", "(1)"), d4), /one-element tuple needs a trailing comma/],
    [rawNpy(hdr("<f4", "(-1,)"), d4), /expected a non-negative integer/],
    [rawNpy(hdr("<f4", "True"), d4), /shape must be a tuple of integers/],
    [rawNpy("{'descr': '<f4', 'fortran_order': 0, 'shape': (1,)}\n", d4), /unsupported value/],
    [
      rawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,)} x\n", d4),
      /trailing characters/,
    ],
    [
      rawNpy("{'descr': '<f\\x34', 'fortran_order': False, 'shape': (1,)}\n", d4),
      /escape sequences/,
    ],
    [rawNpy("{'descr: '<f4'}\n", d4), /malformed header/],
    [rawNpy("__import__('os').system('echo pwned')\n", d4), /expected '\{'/],
    [
      rawNpy(`{'descr': '<f4', 'fortran_order': False, 'shape': (${"1, ".repeat(70)}), }\n`, d4),
      /more than 64 dimensions|64\)/,
    ],
    [rawNpy(hdr("<f4", "(1,)"), d4, [9, 9]), /unsupported \.npy format version 9\.9/],
    [new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x58, 1, 0, 0, 0]), /magic string/],
    [new Uint8Array([0x93, 0x4e, 0x55]), /shorter than the 10-byte preamble/],
  ];
  const withByte = rawNpy(hdr("<f4", "(1,)"), d4);
  withByte[20] = 0xc3;
  bad.push([withByte, /malformed header: byte 0xc3/]);
  for (const [bytes, re] of bad) throwsWith(() => decodeNpy(bytes), TypeError, re);
  throwsWith(() => decodeNpy([1, 2, 3] as never), TypeError, /expected a Uint8Array, got Array/);
  throwsWith(
    () => decodeNpy(rawNpy(hdr("<f4", "(1,)"), d4), { maxBytes: -1 }),
    RangeError,
    /maxBytes must be non-negative/,
  );
  // a valid header with Python 2 long suffixes and no trailing comma is accepted, as numpy does
  using t = decodeNpy(
    rawNpy(
      "{'descr': '<i4', 'fortran_order': False, 'shape': (1L, 1L)}\n",
      new Uint8Array([7, 0, 0, 0]),
    ),
  );
  assert.deepEqual(t.arraySync(), [[7]]);
});

// ---------------------------------------------------------------------------
// hostile .npz

/** Offsets of the first central-directory entry and its fields. */
function centralEntry(zip: Uint8Array): number {
  for (let i = zip.length - 22; i >= 0; i--) {
    if (zip[i] === 0x50 && zip[i + 1] === 0x4b && zip[i + 2] === 1 && zip[i + 3] === 2) {
      // walk back to the first entry of the directory
      let first = i;
      for (let j = i - 1; j >= 0; j--) {
        if (zip[j] === 0x50 && zip[j + 1] === 0x4b && zip[j + 2] === 1 && zip[j + 3] === 2) {
          first = j;
        }
      }
      return first;
    }
  }
  throw new Error("no central directory");
}

Deno.test("npz: path traversal, bad entries, lying sizes and corrupt data are refused", async () => {
  const before = memory().tensors;
  const npy = await encodeNpy([1, 2, 3]);
  const mk = (files: Record<string, Uint8Array>, level = 0) => {
    const tree: Record<string, [Uint8Array, { level: 0 | 6 }]> = {};
    for (const [k, v] of Object.entries(files)) tree[k] = [v, { level: level as 0 | 6 }];
    return zipSync(tree);
  };
  throwsWith(
    () => decodeNpz(mk({ "a\\..\\..\\evil.npy": npy })),
    TypeError,
    /^decodeNpz\(\): unsafe entry name/,
  );
  throwsWith(
    () => decodeNpz(mk({ "x/../../evil.npy": npy })),
    TypeError,
    /unsafe entry name "x\/..\/..\/evil.npy"/,
  );
  throwsWith(() => decodeNpz(mk({ "C:evil.npy": npy })), TypeError, /unsafe entry name/);
  throwsWith(
    () => decodeNpz(mk({ "a.npy": npy, "notes.txt": npy })),
    TypeError,
    /entry "notes.txt" is not a .npy array/,
  );
  // a second entry that fails: the first one is freed again
  throwsWith(
    () => decodeNpz(mk({ "a.npy": npy, "b.npy": npy.slice(0, 20) })),
    TypeError,
    /truncated/,
  );
  assert.equal(memory().tensors, before);

  const stored = await encodeNpz({ a: [1, 2, 3] });
  const deflated = await encodeNpz({ a: new Float32Array(1000) }, { compress: true });
  const patch = (zip: Uint8Array, field: number, value: number, bytes = 4) => {
    const z = zip.slice();
    const dv = new DataView(z.buffer);
    const at = centralEntry(z) + field;
    if (bytes === 2) dv.setUint16(at, value, true);
    else dv.setUint32(at, value, true);
    return z;
  };
  throwsWith(
    () => decodeNpz(patch(stored, 10, 12, 2)),
    TypeError,
    /compression method 12; only stored \(0\) and deflate \(8\)/,
  );
  throwsWith(() => decodeNpz(patch(stored, 8, 1, 2)), TypeError, /is encrypted/);
  throwsWith(
    () => decodeNpz(patch(stored, 24, 2 ** 31)),
    RangeError,
    /declares 2147483648 bytes, more than the limit/,
  );
  throwsWith(
    () => decodeNpz(patch(stored, 24, 5000)),
    TypeError,
    /stored entry "a.npy" declares 5000 bytes but holds/,
  );
  // a deflated entry claiming far more than deflate can produce from its bytes
  throwsWith(
    () => decodeNpz(patch(deflated, 24, 900_000_000)),
    TypeError,
    /more than deflate can produce/,
  );
  // smaller or larger declared size than the real inflated data
  throwsWith(() => decodeNpz(patch(deflated, 24, 100)), TypeError, /CRC-32 mismatch|inflates to/);
  throwsWith(
    () => decodeNpz(patch(deflated, 24, 5000)),
    TypeError,
    /inflates to 4128 bytes, the directory says 5000/,
  );
  throwsWith(
    () => decodeNpz(patch(stored, 16, 0xdeadbeef)),
    TypeError,
    /CRC-32 mismatch in "a.npy"/,
  );
  throwsWith(
    () => decodeNpz(patch(stored, 42, 1_000_000)),
    TypeError,
    /local header of "a.npy" is missing/,
  );
  // corrupt stored data: flip the last data byte
  const flipped = stored.slice();
  flipped[centralEntry(flipped) - 1] ^= 0xff;
  throwsWith(() => decodeNpz(flipped), TypeError, /CRC-32 mismatch/);
  // corrupt deflate stream
  const junk = deflated.slice();
  for (let i = 40; i < 80; i++) junk[i] = 0xff;
  throwsWith(
    () => decodeNpz(junk),
    TypeError,
    /corrupt deflate data|CRC-32 mismatch|inflates to|local header/,
  );
  // truncated archives and non-archives
  throwsWith(
    () => decodeNpz(stored.slice(0, stored.length - 30)),
    TypeError,
    /no end-of-central-directory record|central directory/,
  );
  throwsWith(() => decodeNpz(stored.slice(0, 10)), TypeError, /too short/);
  throwsWith(() => decodeNpz(new Uint8Array(100)), TypeError, /no end-of-central-directory record/);
  // an end record that claims 65535 entries in a 46-byte directory
  const many = stored.slice();
  const eocd = many.length - 22;
  new DataView(many.buffer).setUint16(eocd + 8, 0xfffe, true);
  new DataView(many.buffer).setUint16(eocd + 10, 0xfffe, true);
  throwsWith(() => decodeNpz(many), TypeError, /65534 entries cannot fit/);
  const disk = stored.slice();
  new DataView(disk.buffer).setUint16(disk.length - 22 + 4, 1, true);
  throwsWith(() => decodeNpz(disk), TypeError, /multi-disk/);
  assert.equal(memory().tensors, before);
});

Deno.test("npz: a forged zip64 directory (which makes fflate.unzipSync loop forever) is refused", () => {
  // central header for "a.npy" with a saturated size and no zip64 extra field,
  // then a zip64 end record, its locator and an end record that points to them
  const name = new TextEncoder().encode("a.npy");
  const cd = 46 + name.length, b = new Uint8Array(cd + 56 + 20 + 22);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, 0x02014b50, true);
  dv.setUint32(20, 0xffffffff, true);
  dv.setUint16(28, name.length, true);
  b.set(name, 46);
  dv.setUint32(cd, 0x06064b50, true);
  dv.setUint32(cd + 32, 1, true);
  dv.setUint32(cd + 40, cd, true);
  dv.setUint32(cd + 56, 0x07064b50, true);
  dv.setUint32(cd + 64, cd, true);
  const e = cd + 76;
  dv.setUint32(e, 0x06054b50, true);
  dv.setUint16(e + 8, 0xffff, true);
  dv.setUint16(e + 10, 0xffff, true);
  dv.setUint32(e + 16, 0xffffffff, true);
  throwsWith(
    () => decodeNpz(b),
    TypeError,
    /^decodeNpz\(\): malformed zip: "a.npy" lacks its zip64 sizes/,
  );
  // the same record with an absurd zip64 entry count
  const c = b.slice();
  new DataView(c.buffer).setUint32(cd + 32, 0xfffffff0, true);
  throwsWith(() => decodeNpz(c), TypeError, /4294967280 entries cannot fit/);
});

Deno.test("zip: crc32 matches the standard check value and zlib", () => {
  assert.equal(crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
  assert.equal(crc32(new Uint8Array(0)), 0);
});

// ---------------------------------------------------------------------------
// live round trip with python3 + numpy (skipped when unavailable)

async function python(code: string, ...args: string[]): Promise<string | null> {
  try {
    const out = await new Deno.Command("python3", {
      args: ["-c", code, ...args],
      stdout: "piped",
      stderr: "piped",
    })
      .output();
    if (!out.success) {
      const err = new TextDecoder().decode(out.stderr);
      if (/No module named .?numpy/.test(err)) return null;
      throw new Error(`python3 failed: ${err}`);
    }
    return new TextDecoder().decode(out.stdout);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

async function haveNumpy(): Promise<boolean> {
  try {
    return (await python("import numpy; print('ok')"))?.trim() === "ok";
  } catch {
    return false; // no --allow-run, or a broken interpreter: skip the live round trip
  }
}

const HAVE_NUMPY = await haveNumpy();

const DESCRIBE_PY = `
import json, math, sys, numpy as np
def enc(v):
    if isinstance(v, float):
        if math.isnan(v): return "NaN"
        if math.isinf(v): return "Infinity" if v > 0 else "-Infinity"
        if v == 0.0 and math.copysign(1.0, v) < 0: return "-0"
    return v
def d(a): return {"dtype": str(a.dtype), "shape": list(a.shape), "values": [enc(v) for v in a.reshape(-1).tolist()]}
`;

Deno.test({
  name: "python: numpy.load reads what ngc-utils writes, identically",
  ignore: !HAVE_NUMPY,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      using f32 = tensor([[0.1, -0], [NaN, -Infinity]]);
      using f64 = tensor([Math.PI, 1e-310, -1e300], { dtype: "float64" });
      using i32 = tensor([-2147483648, 2147483647, 0], { dtype: "int32" });
      using u32 = tensor(new Uint32Array([4294967295, 1]));
      using b = tensor([[true], [false]]);
      using s = tensor(2.5);
      using e = tensor([], { shape: [2, 0, 3], dtype: "int32" });
      const all: Record<string, Tensor> = { f32, f64, i32, u32, b, s, e };
      for (const [k, t] of Object.entries(all)) await saveNpy(`${dir}/${k}.npy`, t);
      await saveNpz(`${dir}/p.npz`, all);
      await saveNpz(`${dir}/q.npz`, all, { compress: true });
      const out = await python(
        DESCRIBE_PY + `
dr = sys.argv[1]
res = {"npy": {}, "p": {}, "q": {}}
for k in ${JSON.stringify(Object.keys(all))}:
    res["npy"][k] = d(np.load(dr + "/" + k + ".npy"))
for f in ("p", "q"):
    with np.load(dr + "/" + f + ".npz") as z:
        for k in z.files: res[f][k] = d(z[k])
print(json.dumps(res))
`,
        dir,
      );
      const res = JSON.parse(out!) as Record<string, Record<string, Described>>;
      for (const group of ["npy", "p", "q"]) {
        assert.deepEqual(Object.keys(res[group]).sort(), Object.keys(all).sort(), group);
        for (const [k, t] of Object.entries(all)) assertMatches(t, res[group][k], `${group}:${k}`);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "python: files numpy writes now load identically in ngc-utils",
  ignore: !HAVE_NUMPY,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      const out = await python(
        DESCRIBE_PY + `
dr = sys.argv[1]
rs = np.random.RandomState(0)
arrs = {
  "f32": rs.standard_normal((3, 4, 5)).astype(np.float32),
  "f64": rs.standard_normal((7,)) * 1e200,
  "i32": rs.randint(-2**31, 2**31 - 1, size=(2, 3), dtype=np.int64).astype(np.int32),
  "u32": rs.randint(0, 2**32 - 1, size=(4,), dtype=np.int64).astype(np.uint32),
  "b": rs.rand(3, 3) > 0.5,
  "s": np.float64(-0.0) * np.ones(()),
}
res = {}
for k, a in arrs.items():
    np.save(dr + "/" + k + ".npy", a)
    res[k] = d(np.asarray(a))
np.savez(dr + "/p.npz", **arrs)
np.savez_compressed(dr + "/q.npz", **arrs)
print(json.dumps(res))
`,
        dir,
      );
      const want = JSON.parse(out!) as Record<string, Described>;
      const before = memory().tensors;
      for (const [k, d] of Object.entries(want)) {
        using t = await loadNpy(`${dir}/${k}.npy`);
        assertMatches(t, d, k);
      }
      for (const f of ["p", "q"]) {
        const got = await loadNpz(`${dir}/${f}.npz`);
        for (const [k, d] of Object.entries(want)) assertMatches(got[k], d, `${f}:${k}`);
        for (const t of Object.values(got)) t.dispose();
      }
      assert.equal(memory().tensors, before);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

// ---------------------------------------------------------------------------
// JSON and folders

Deno.test("json: plain configuration round trips; anything JSON cannot hold is refused", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const cfg = { name: "gnclm", eta: 0.001, dims: [784, 360], nested: { flag: true, none: null } };
    await saveJson(`${dir}/c.json`, cfg);
    assert.deepEqual(await loadJson(`${dir}/c.json`), cfg);
    await saveJson(`${dir}/d.json`, [1, 2], { indent: 0 });
    assert.equal(await Deno.readTextFile(`${dir}/d.json`), "[1,2]\n");
    using t = tensor([1]);
    const cyc: Record<string, unknown> = { a: 1 };
    cyc.self = cyc;
    const bad: [unknown, typeof TypeError | typeof RangeError, RegExp][] = [
      [{ lr: NaN }, RangeError, /^saveJson\(\): value\.lr is NaN/],
      [[1, Infinity], RangeError, /value\[1\] is Infinity/],
      [{ w: t }, TypeError, /value\.w is a Tensor; save arrays with saveNpy/],
      [cyc, TypeError, /value\.self refers back to itself/],
      [{ f: () => 1 }, TypeError, /value\.f is a function/],
      [{ n: 1n }, TypeError, /value\.n is a bigint/],
      [{ u: undefined }, TypeError, /value\.u is a undefined/],
      [{ d: new Date(0) }, TypeError, /value\.d is a Date/],
      [{ m: new Map() }, TypeError, /value\.m is a Map/],
    ];
    for (const [v, type, re] of bad) {
      await rejectsWith(() => saveJson(`${dir}/x.json`, v), type, re);
    }
    await rejectsWith(
      () => saveJson(`${dir}/x.json`, {}, { indent: 11 }),
      RangeError,
      /indent must be in \[0, 10\]/,
    );
    await Deno.writeTextFile(`${dir}/broken.json`, "{ nope");
    await rejectsWith(
      () => loadJson(`${dir}/broken.json`),
      TypeError,
      /^loadJson\(\): .*broken\.json is not valid JSON/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("makedir: nested, existing, absolute and '..' paths behave as the OS defines them", async () => {
  const root = await Deno.makeTempDir();
  try {
    await makedir(`${root}/a/b/c`);
    await makedir(`${root}/a/b/c`); // exists: no error
    assert.ok((await Deno.stat(`${root}/a/b/c`)).isDirectory);
    // ngclearn turns "x/../y" into "../x/y"; here it is the sibling "y"
    await makedir(`${root}/x/../y`);
    assert.ok((await Deno.stat(`${root}/y`)).isDirectory);
    await assert.rejects(() => Deno.stat(`${root}/../x/y`), Deno.errors.NotFound);
    await makedirs([`${root}/m`, new URL(`file://${root}/n/o`)]);
    assert.ok((await Deno.stat(`${root}/n/o`)).isDirectory);
    await rejectsWith(
      () => makedir(""),
      TypeError,
      /^makedir\(\): a directory must be a non-empty string/,
    );
    await rejectsWith(
      () => makedirs("abc" as never),
      TypeError,
      /^makedirs\(\): directories must be an array/,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

// ---------------------------------------------------------------------------
// a backend without float64 (webgpu, when an adapter exists)

async function webgpu() {
  try {
    return await backendByName("webgpu");
  } catch {
    return null;
  }
}
const GPU = await webgpu();

Deno.test({
  name: "npy on webgpu: upload to the backend asked for; float64 needs an explicit dtype",
  ignore: GPU === null,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const gpu = GPU!;
    const before = memory().tensors;
    const f32 = await Deno.readFile(new URL("f32_2x3.npy", FIXTURES));
    {
      using t = decodeNpy(f32, { backend: gpu });
      assert.equal(t.backend, gpu);
      assertMatches2(await t.data(), MANIFEST.npy["f32_2x3.npy"]);
      assert.deepEqual(await encodeNpy(t), f32); // read back from the GPU, byte-identical
    }
    const f64 = await Deno.readFile(new URL("f64_2x2x2.npy", FIXTURES));
    throwsWith(
      () => decodeNpy(f64, { backend: gpu }),
      TypeError,
      /^decodeNpy\(\): the webgpu backend has no float64/,
    );
    {
      using t = decodeNpy(f64, { backend: gpu, dtype: "float32" });
      assert.equal(t.dtype, "float32");
      assert.equal((await t.data())[0], Math.fround(Math.PI));
    }
    const z = decodeNpz(await Deno.readFile(new URL("params_compressed.npz", FIXTURES)), {
      backend: gpu,
      dtype: "float32",
    });
    assert.ok(Object.values(z).every((t) => t.backend === gpu && t.dtype === "float32"));
    for (const t of Object.values(z)) t.dispose();
    assert.equal(memory().tensors, before);
  },
});

function assertMatches2(values: ArrayLike<number>, d: Described) {
  assertSameValues(values, Float32Array.from(d.values.map(decodeValue)), "gpu");
}
