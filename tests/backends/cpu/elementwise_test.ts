/**
 * cpu elementwise kernels (unary, binary with broadcasting, select, cast),
 * driven through CpuBackend and checked against Math, hand-checked NumPy/JAX
 * semantics and a naive index-based broadcasting reference.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import { CpuBackend } from "../../../backends/cpu/mod.ts";
import {
  allocTyped,
  BINARY_OPS,
  type BinaryOp,
  broadcastShapes,
  COMPARISON_OPS,
  type DType,
  type TypedArray,
  UNARY_OPS,
  type UnaryOp,
} from "../../../backends/backend.ts";
import { erf, erfc, erfinv } from "../../../backends/cpu/erf.ts";
import { assertAllClose, randomArray } from "../../helpers.ts";

const cpu = new CpuBackend();

function put(values: ArrayLike<number>, shape: number[], dtype: DType) {
  const a = allocTyped(dtype, values.length);
  a.set(values);
  return cpu.write(a, shape, dtype);
}

function unary(op: UnaryOp, values: ArrayLike<number>, dtype: DType) {
  const x = put(values, [values.length], dtype);
  const r = cpu.unary(op, x);
  const out = { values: cpu.readSync(r), dtype: r.dtype, shape: r.shape };
  cpu.dispose(x);
  cpu.dispose(r);
  return out;
}

function binary(
  op: BinaryOp,
  a: ArrayLike<number>,
  aShape: number[],
  b: ArrayLike<number>,
  bShape: number[],
  dtype: DType,
) {
  const ta = put(a, aShape, dtype);
  const tb = put(b, bShape, dtype);
  const r = cpu.binary(op, ta, tb);
  const out = { values: cpu.readSync(r), dtype: r.dtype, shape: [...r.shape] };
  cpu.dispose(ta);
  cpu.dispose(tb);
  cpu.dispose(r);
  return out;
}

const INPUTS = [-2.5, -1, -0.5, -0, 0, 0.3, 0.5, 0.75, 1, 1.5, 2.5, 10, NaN, Infinity, -Infinity];

const MATH: Partial<Record<UnaryOp, (x: number) => number>> = {
  neg: (x) => -x,
  abs: Math.abs,
  exp: Math.exp,
  expm1: Math.expm1,
  log: Math.log,
  log1p: Math.log1p,
  log2: Math.log2,
  sqrt: Math.sqrt,
  rsqrt: (x) => 1 / Math.sqrt(x),
  square: (x) => x * x,
  reciprocal: (x) => 1 / x,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  sinh: Math.sinh,
  cosh: Math.cosh,
  tanh: Math.tanh,
  asinh: Math.asinh,
  acosh: Math.acosh,
  atanh: Math.atanh,
  floor: Math.floor,
  ceil: Math.ceil,
  trunc: Math.trunc,
  sign: Math.sign,
};

Deno.test("unary: every float op matches Math (float64 exactly, float32 rounded once)", () => {
  for (const [op, f] of Object.entries(MATH) as [UnaryOp, (x: number) => number][]) {
    const r64 = unary(op, INPUTS, "float64");
    assert.equal(r64.dtype, "float64", op);
    assert.deepEqual(Array.from(r64.values), INPUTS.map(f), op);
    const x32 = Float32Array.from(INPUTS.concat([0.1, 1 / 3]));
    const r32 = unary(op, x32, "float32");
    assert.equal(r32.dtype, "float32", op);
    assert.ok(r32.values instanceof Float32Array, op);
    assert.deepEqual(Array.from(r32.values), Array.from(x32, (v) => Math.fround(f(v))), op);
  }
});

Deno.test("unary: round is half-to-even, sign keeps NaN, sigmoid", () => {
  const r = unary("round", [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5, 2.4, -2.6, 1e20], "float64");
  assert.deepEqual(Array.from(r.values), [-2, -2, -0, 0, 2, 2, 4, 2, -3, 1e20]);
  assert.ok(Object.is(r.values[2], -0));
  assert.ok(Number.isNaN(unary("sign", [NaN], "float32").values[0]));
  assert.deepEqual(Array.from(unary("sign", [-3, 0, 2], "float32").values), [-1, 0, 1]);
  const s = unary("sigmoid", [0, 2, -2, -800, 800], "float64").values;
  assertAllClose(s, [0.5, 0.8807970779778823, 0.11920292202211755, 0, 1], { rtol: 1e-15, atol: 0 });
});

Deno.test("unary: erf and erfc to ~1e-15 (mpmath references)", () => {
  const xs = [0.1, 0.5, 1, 2, 3, -1.5, 1e-10];
  const want = [
    0.1124629160182849,
    0.5204998778130465,
    0.8427007929497149,
    0.9953222650189527,
    0.9999779095030014,
    -0.9661051464753108,
    1.1283791670955126e-10,
  ];
  assertAllClose(unary("erf", xs, "float64").values, want, { rtol: 1e-15, atol: 0 });
  assertAllClose(unary("erf", xs, "float32").values, want.map(Math.fround), { rtol: 0, atol: 0 });
  assertAllClose(
    [erfc(5), erfc(10), erfc(-1), erfc(0.3)],
    [1.537459794428035e-12, 2.088487583762545e-45, 1.8427007929497148, 0.6713732405408726],
    { rtol: 1e-14, atol: 0 },
  );
  assert.deepEqual([erf(Infinity), erf(-Infinity), erf(0)], [1, -1, 0]);
  assert.ok(Number.isNaN(erf(NaN)));
});

Deno.test("unary: float64 erfinv to ~1e-15, inverse of erf", () => {
  const ys = [0.5, 0.9, 0.999, -0.3, 1e-8, 0.9999999, 1 - 1e-12];
  const want = [
    0.4769362762044699,
    1.1630871536766743,
    2.3267537655135246,
    -0.2724627147267543,
    8.86226925452758e-09,
    3.7665625816384707,
    5.042031898572696,
  ];
  assertAllClose(unary("erfinv", ys, "float64").values, want, { rtol: 2e-15, atol: 0 });
  const edge = unary("erfinv", [1, -1, 0, 1.5, NaN], "float64").values;
  assert.deepEqual(Array.from(edge.subarray(0, 3)), [Infinity, -Infinity, 0]);
  assert.ok(Number.isNaN(edge[3]) && Number.isNaN(edge[4]));
  for (const y of randomArray(200, 7)) {
    assertAllClose(erf(erfinv(y)), y, { rtol: 1e-15, atol: 1e-300 });
  }
});

Deno.test("unary: float32 erfinv is Giles' approximation (float32 accuracy, ±Infinity at ±1)", () => {
  const ys = [0.5, 0.9, 0.999, -0.3, 0.9999999];
  const r = unary("erfinv", ys, "float32");
  assert.equal(r.dtype, "float32");
  // Against the exact erfinv of the float32 inputs: Giles' fit is good to ~1e-7.
  const want = ys.slice(0, 4).map((y) => erfinv(Math.fround(y)));
  assertAllClose(r.values.subarray(0, 4), want, { rtol: 1e-6, atol: 0 });
  // The float32 input 0.9999999 rounds to 1 - 2^-23·1 (w > 5 branch).
  assertAllClose(r.values[4], erfinv(Math.fround(0.9999999)), { rtol: 1e-5 });
  assert.deepEqual(Array.from(unary("erfinv", [1, -1], "float32").values), [Infinity, -Infinity]);
});

Deno.test("unary: predicates return bool, bitsToUnit maps bits to [0, 1)", () => {
  const x = [NaN, Infinity, -Infinity, 0, 1.5];
  for (const dtype of ["float32", "float64"] as DType[]) {
    assert.deepEqual(Array.from(unary("isnan", x, dtype).values), [1, 0, 0, 0, 0]);
    assert.deepEqual(Array.from(unary("isinf", x, dtype).values), [0, 1, 1, 0, 0]);
    assert.deepEqual(Array.from(unary("isfinite", x, dtype).values), [0, 0, 0, 1, 1]);
    assert.deepEqual(Array.from(unary("logicalNot", x, dtype).values), [0, 0, 0, 1, 0]);
    assert.equal(unary("isnan", x, dtype).dtype, "bool");
  }
  assert.deepEqual(Array.from(unary("isfinite", [5, -7], "int32").values), [1, 1]);
  assert.deepEqual(Array.from(unary("logicalNot", [1, 0], "bool").values), [0, 1]);
  const u = unary("bitsToUnit", [0, 0xFFFFFFFF, 0x80000000, 511, 512], "uint32");
  assert.equal(u.dtype, "float32");
  assert.deepEqual(Array.from(u.values), [0, 1 - 2 ** -23, 0.5, 0, 2 ** -23]);
  // Same as the bit reinterpretation: bitcast((b >>> 9) | 0x3F800000) - 1.
  const bits = new Uint32Array([1234567891, 987654321, 4000000000]);
  const f = new Float32Array(
    new Uint32Array(Array.from(bits, (b) => (b >>> 9) | 0x3F800000)).buffer,
  );
  assert.deepEqual(
    Array.from(unary("bitsToUnit", bits, "uint32").values),
    Array.from(f, (v) => v - 1),
  );
});

Deno.test("unary: integer ops wrap like int32 / uint32", () => {
  const i = [-2147483648, -5, 0, 7, 2147483647];
  assert.deepEqual(Array.from(unary("neg", i, "int32").values), [
    -2147483648,
    5,
    0,
    -7,
    -2147483647,
  ]);
  assert.deepEqual(Array.from(unary("abs", i, "int32").values), [-2147483648, 5, 0, 7, 2147483647]);
  assert.deepEqual(Array.from(unary("sign", i, "int32").values), [-1, -1, 0, 1, 1]);
  assert.deepEqual(Array.from(unary("square", [46341, -3], "int32").values), [-2147479015, 9]);
  assert.deepEqual(Array.from(unary("bitwiseNot", [0, -1, 5], "int32").values), [-1, 0, -6]);
  assert.deepEqual(Array.from(unary("bitwiseNot", [0, 5], "uint32").values), [
    4294967295,
    4294967290,
  ]);
  assert.deepEqual(Array.from(unary("neg", [1, 0], "uint32").values), [4294967295, 0]);
  assert.deepEqual(Array.from(unary("floor", [3, -4], "int32").values), [3, -4]);
  assert.equal(unary("abs", [1], "int32").dtype, "int32");
});

Deno.test("unary: ops undefined on a dtype throw TypeError", () => {
  assert.throws(() => unary("exp", [1], "int32"), TypeError);
  assert.throws(() => unary("bitwiseNot", [1], "float32"), TypeError);
  assert.throws(() => unary("bitsToUnit", [1], "float32"), TypeError);
  assert.throws(() => unary("neg", [1], "bool"), /unary\(\): /);
  // Every op is handled on float32 or on its own dtype.
  for (const op of UNARY_OPS) {
    const dtype: DType = op === "bitwiseNot" || op === "bitsToUnit" ? "uint32" : "float32";
    assert.equal(unary(op, [0.25], dtype).values.length, 1, op);
  }
});

// ---- binary ----

/** Python/NumPy semantics, hand-written, for the reference loops. */
function refFloat(op: BinaryOp, x: number, y: number): number {
  switch (op) {
    case "add":
      return x + y;
    case "sub":
      return x - y;
    case "mul":
      return x * y;
    case "div":
      return x / y;
    case "floorDiv":
      return y === 0 ? NaN : Math.floor(x / y); // x // 0 is NaN in JAX
    case "mod":
      return x - Math.floor(x / y) * y;
    case "pow":
      return Math.pow(x, y);
    case "maximum":
      return Number.isNaN(x) || Number.isNaN(y) ? NaN : Math.max(x, y);
    case "minimum":
      return Number.isNaN(x) || Number.isNaN(y) ? NaN : Math.min(x, y);
    case "atan2":
      return Math.atan2(x, y);
    case "equal":
      return x === y ? 1 : 0;
    case "notEqual":
      return x !== y ? 1 : 0;
    case "less":
      return x < y ? 1 : 0;
    case "lessEqual":
      return x <= y ? 1 : 0;
    case "greater":
      return x > y ? 1 : 0;
    case "greaterEqual":
      return x >= y ? 1 : 0;
    case "logicalAnd":
      return x && y ? 1 : 0;
    case "logicalOr":
      return x || y ? 1 : 0;
    case "logicalXor":
      return !x !== !y ? 1 : 0;
    default:
      throw new Error(op);
  }
}

const FLOAT_OPS = BINARY_OPS.filter((op) => !op.startsWith("bitwise") && !op.startsWith("shift"));

Deno.test("binary: float ops on same shapes, scalars both sides and broadcast rows", () => {
  const a = [1.5, -2, 3.25, 0, 7, -0.5];
  const b = [2, 0.5, -1.5, 4, -3, 0.25];
  for (const dtype of ["float32", "float64"] as DType[]) {
    const r = (v: number) => dtype === "float32" ? Math.fround(v) : v;
    for (const op of FLOAT_OPS) {
      const outDtype = COMPARISON_OPS.has(op) ? "bool" : dtype;
      const same = binary(op, a, [2, 3], b, [2, 3], dtype);
      assert.equal(same.dtype, outDtype, op);
      assert.deepEqual(same.shape, [2, 3]);
      const want = a.map((x, i) => r(refFloat(op, x, b[i])));
      assertAllClose(same.values, want, { rtol: 1e-12, atol: 0, msg: `${op} ${dtype}` });
      const right = binary(op, a, [2, 3], [1.5], [], dtype);
      assertAllClose(right.values, a.map((x) => r(refFloat(op, x, 1.5))), { rtol: 1e-12, msg: op });
      const left = binary(op, [1.5], [1, 1], a, [2, 3], dtype);
      assert.deepEqual(left.shape, [2, 3]);
      assertAllClose(left.values, a.map((x) => r(refFloat(op, 1.5, x))), { rtol: 1e-12, msg: op });
      const rows = binary(op, a, [2, 3], b.slice(0, 3), [3], dtype);
      assertAllClose(rows.values, a.map((x, i) => r(refFloat(op, x, b[i % 3]))), {
        rtol: 1e-12,
        msg: op,
      });
    }
  }
});

Deno.test("binary: float mod / floorDiv follow Python, pow follows C", () => {
  const m = binary("mod", [-7.5, 7.5, 5.3, -1, 5], [5], [2, -2, 2, Infinity, 0], [5], "float64");
  assert.deepEqual(Array.from(m.values.subarray(0, 4)), [0.5, -0.5, 1.2999999999999998, Infinity]);
  assert.ok(Number.isNaN(m.values[4]));
  const d = binary("floorDiv", [1, -7.5, 5.3, 7], [4], [0.1, 2, -2, 2], [4], "float64");
  assert.deepEqual(Array.from(d.values), [9, -4, -3, 3]); // numpy: 1 // 0.1 == 9.0
  const p = binary("pow", [1, -1, 2, 0, NaN], [5], [NaN, Infinity, -1, 0, 0], [5], "float64");
  assert.deepEqual(Array.from(p.values), [1, 1, 0.5, 1, 1]);
});

Deno.test("binary: int32 arithmetic wraps, Python floorDiv/mod, x/0 = 0, shifts", () => {
  const M = 2147483647;
  const i = (op: BinaryOp, a: number[], b: number[]) =>
    Array.from(binary(op, a, [a.length], b, [b.length], "int32").values);
  assert.deepEqual(i("add", [M, -M - 1], [1, -1]), [-M - 1, M]);
  assert.deepEqual(i("sub", [-M - 1], [1]), [M]);
  assert.deepEqual(i("mul", [65536, 123456789], [65536, 1000]), [0, -1097262584]);
  assert.deepEqual(i("floorDiv", [7, -7, 7, -7, 5, -M - 1], [2, 2, -2, -2, 0, -1]), [
    3,
    -4,
    -4,
    3,
    0,
    -M - 1,
  ]);
  assert.deepEqual(i("mod", [7, -7, 7, -7, 5], [3, 3, -3, -3, 0]), [1, 2, -2, -1, 0]);
  assert.deepEqual(i("pow", [3, 2, -2, 1, -1, 5], [4, 31, 3, -2, -3, -1]), [
    81,
    -M - 1,
    -8,
    1,
    -1,
    0,
  ]);
  assert.deepEqual(i("maximum", [3, -5], [-1, -4]), [3, -4]);
  assert.deepEqual(i("shiftLeft", [1, 1], [4, 33]), [16, 2]);
  assert.deepEqual(i("shiftRight", [-16, 16], [2, 2]), [-4, 4]);
  assert.deepEqual(i("bitwiseXor", [12, -1], [10, 5]), [6, -6]);
  assert.deepEqual(i("less", [-1, 2], [0, 2]), [1, 0]);
  assert.equal(binary("less", [1], [1], [2], [1], "int32").dtype, "bool");
});

Deno.test("binary: uint32 ops stay uint32 (wrap, logical shift, unsigned compare)", () => {
  const u = (op: BinaryOp, a: number[], b: number[]) => {
    const r = binary(op, a, [a.length], b, [b.length], "uint32");
    assert.ok(op.startsWith("less") || r.values instanceof Uint32Array, op);
    return Array.from(r.values);
  };
  assert.deepEqual(u("add", [4294967295], [2]), [1]);
  assert.deepEqual(u("sub", [0], [1]), [4294967295]);
  assert.deepEqual(u("mul", [4294967295, 65536], [4294967295, 65536]), [1, 0]);
  assert.deepEqual(u("floorDiv", [4294967295, 7], [2, 0]), [2147483647, 0]);
  assert.deepEqual(u("mod", [4294967295, 7], [10, 0]), [5, 0]);
  assert.deepEqual(u("shiftRight", [4294967295], [28]), [15]);
  assert.deepEqual(u("shiftLeft", [3], [31]), [2147483648]);
  assert.deepEqual(u("bitwiseAnd", [4294967295], [2147483648]), [2147483648]);
  assert.deepEqual(u("maximum", [4294967295], [1]), [4294967295]);
  assert.deepEqual(u("less", [1], [4294967295]), [1]);
});

Deno.test("binary: bool logical/comparison ops; undefined ops throw TypeError", () => {
  const r = binary("logicalXor", [1, 1, 0, 0], [4], [1, 0, 1, 0], [4], "bool");
  assert.deepEqual(Array.from(r.values), [0, 1, 1, 0]);
  assert.equal(r.dtype, "bool");
  assert.deepEqual(Array.from(binary("maximum", [1, 0], [2], [0, 0], [2], "bool").values), [1, 0]);
  assert.throws(() => binary("add", [1], [1], [1], [1], "bool"), TypeError);
  assert.throws(() => binary("div", [1], [1], [1], [1], "int32"), /binary\(\): /);
  assert.throws(() => binary("bitwiseAnd", [1], [1], [1], [1], "float32"), TypeError);
  assert.throws(() => binary("add", [1, 2], [2], [1, 2, 3], [3], "float32"), /do not broadcast/);
});

/** Naive broadcasting reference: walk every output multi-index. */
function naiveBroadcast(
  f: (x: number, y: number) => number,
  a: ArrayLike<number>,
  aShape: number[],
  b: ArrayLike<number>,
  bShape: number[],
  outShape: number[],
): number[] {
  const size = outShape.reduce((p, d) => p * d, 1);
  const out: number[] = [];
  const flatIndex = (idx: number[], shape: number[]) => {
    let k = 0;
    const lead = idx.length - shape.length;
    for (let d = 0; d < shape.length; d++) k = k * shape[d] + (shape[d] === 1 ? 0 : idx[lead + d]);
    return k;
  };
  for (let i = 0; i < size; i++) {
    const idx: number[] = [];
    let rem = i;
    for (let d = outShape.length - 1; d >= 0; d--) {
      idx.unshift(rem % outShape[d]);
      rem = Math.floor(rem / outShape[d]);
    }
    out.push(f(a[flatIndex(idx, aShape)], b[flatIndex(idx, bShape)]));
  }
  return out;
}

/** Two random broadcast-compatible shapes and their broadcast. */
const shapePair = fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 4 }).chain((
  out,
) =>
  fc.tuple(
    fc.constant(out),
    fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
    fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
    fc.integer({ min: 0, max: out.length }),
    fc.integer({ min: 0, max: out.length }),
  ).map(([o, ma, mb, da, db]) => ({
    out: o,
    a: o.map((d, i) => (ma[i] ? 1 : d)).slice(da),
    b: o.map((d, i) => (mb[i] ? 1 : d)).slice(db),
  }))
);

Deno.test("binary: broadcasting matches a naive index reference (property)", () => {
  const ops: BinaryOp[] = ["add", "sub", "mul", "pow", "mod", "less", "maximum", "atan2"];
  fc.assert(
    fc.property(
      shapePair,
      fc.constantFrom(...ops),
      fc.constantFrom<DType>("float32", "float64"),
      (s, op, dtype) => {
        const na = s.a.reduce((p, d) => p * d, 1);
        const nb = s.b.reduce((p, d) => p * d, 1);
        const a = Array.from(randomArray(na, na + 3), (v) => v * 4);
        const b = Array.from(randomArray(nb, nb + 11), (v) => v * 4 + 0.5);
        const r = binary(op, a, s.a, b, s.b, dtype);
        const outShape = broadcastShapes(s.a, s.b)!;
        assert.deepEqual(r.shape, outShape);
        const ta = allocTyped(dtype, na), tb = allocTyped(dtype, nb);
        ta.set(a);
        tb.set(b);
        const want = naiveBroadcast((x, y) => refFloat(op, x, y), ta, s.a, tb, s.b, outShape);
        const round = (
          v: number,
        ) => (dtype === "float32" && !COMPARISON_OPS.has(op) ? Math.fround(v) : v);
        assertAllClose(r.values, want.map(round), {
          rtol: 1e-6,
          atol: 1e-12,
          msg: `${op} ${dtype}`,
        });
      },
    ),
    { numRuns: 150 },
  );
});

Deno.test("binary: int32 broadcasting matches the naive reference (property)", () => {
  fc.assert(
    fc.property(shapePair, (s) => {
      const na = s.a.reduce((p, d) => p * d, 1);
      const nb = s.b.reduce((p, d) => p * d, 1);
      const a = Array.from(randomArray(na, 5), (v) => Math.round(v * 1e9));
      const b = Array.from(randomArray(nb, 9), (v) => Math.round(v * 1e9));
      const outShape = broadcastShapes(s.a, s.b)!;
      const r = binary("mul", a, s.a, b, s.b, "int32");
      assert.deepEqual(Array.from(r.values), naiveBroadcast(Math.imul, a, s.a, b, s.b, outShape));
    }),
    { numRuns: 60 },
  );
});

// ---- select ----

Deno.test("select: 3-way broadcasting and the same-shape path", () => {
  const c = cpu.write(new Uint8Array([1, 0, 1]), [3, 1], "bool");
  const a = put([10, 20], [1, 2], "float32");
  const b = put([-1], [], "float32");
  const r = cpu.select(c, a, b);
  assert.deepEqual(r.shape, [3, 2]);
  assert.equal(r.dtype, "float32");
  assert.deepEqual(Array.from(cpu.readSync(r)), [10, 20, -1, -1, 10, 20]);
  const c2 = cpu.write(new Uint8Array([0, 1]), [2], "bool");
  const a2 = put([1, 2], [2], "int32");
  const b2 = put([3, 4], [2], "int32");
  assert.deepEqual(Array.from(cpu.readSync(cpu.select(c2, a2, b2))), [3, 2]);
  const bad = put([1, 2, 3, 4], [4], "float32");
  assert.throws(() => cpu.select(c, a, bad), /select\(\): /);
});

// ---- cast ----

function cast(values: ArrayLike<number>, from: DType, to: DType): TypedArray {
  const x = put(values, [values.length], from);
  const r = cpu.cast(x, to);
  assert.equal(r.dtype, to);
  return cpu.readSync(r);
}

Deno.test("cast: truncation with saturation, bool, bit reinterpretation, rounding", () => {
  const f = [-1.7, 2.9, NaN, 3e9, -3e9, -0.5, Infinity];
  assert.deepEqual(Array.from(cast(f, "float32", "int32")), [
    -1,
    2,
    0,
    2147483647,
    -2147483648,
    0,
    2147483647,
  ]);
  assert.deepEqual(Array.from(cast(f, "float64", "uint32")), [0, 2, 0, 3e9, 0, 0, 4294967295]);
  assert.deepEqual(Array.from(cast([0, -0, 0.1, NaN, -2], "float32", "bool")), [0, 0, 1, 1, 1]);
  assert.deepEqual(Array.from(cast([0, 1], "bool", "float32")), [0, 1]);
  assert.deepEqual(Array.from(cast([-1, -2147483648], "int32", "uint32")), [
    4294967295,
    2147483648,
  ]);
  assert.deepEqual(Array.from(cast([4294967295, 2147483648], "uint32", "int32")), [
    -1,
    -2147483648,
  ]);
  assert.deepEqual(Array.from(cast([0.1, 16777217], "float64", "float32")), [
    Math.fround(0.1),
    16777216,
  ]);
  assert.deepEqual(Array.from(cast([16777217, -5], "int32", "float32")), [16777216, -5]);
  assert.deepEqual(Array.from(cast([4294967295], "uint32", "float64")), [4294967295]);
  assert.ok(cast([1, 2], "int32", "int32") instanceof Int32Array);
});

Deno.test("elementwise kernels leave no live buffers behind", () => {
  const before = cpu.memory().buffers;
  const a = put(randomArray(64), [8, 8], "float32");
  const b = put(randomArray(8), [8], "float32");
  const r = cpu.binary("add", a, b);
  const s = cpu.unary("exp", r);
  for (const t of [a, b, r, s]) cpu.dispose(t);
  assert.equal(cpu.memory().buffers, before);
});
