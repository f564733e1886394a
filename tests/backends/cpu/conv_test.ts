/**
 * Tests of the cpu conv2d (backends/cpu/conv.ts) through `CpuBackend.conv2d`,
 * against a naive 7-loop cross-correlation: strides, explicit (also negative)
 * padding, dilation, groups including depthwise, both the direct and the
 * im2col + gemm paths (chunked and 1 × 1), float32 and float64, empty
 * outputs, bad input and a fast-check property.
 *
 * @module
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import type { Conv2dOptions, DType } from "../../../backends/backend.ts";
import { CpuBackend } from "../../../backends/cpu/mod.ts";
import { randomArray } from "../../helpers.ts";

const cpu = new CpuBackend();

type Float = "float32" | "float64";

/** Options with defaults: stride 1, no padding, no dilation, one group. */
function opts(o: Partial<Conv2dOptions> = {}): Conv2dOptions {
  return {
    strides: o.strides ?? [1, 1],
    padding: o.padding ?? [[0, 0], [0, 0]],
    dilations: o.dilations ?? [1, 1],
    groups: o.groups ?? 1,
  };
}

/** conv2d through the backend; returns values and shape, frees everything. */
function run(
  x: ArrayLike<number>,
  xShape: number[],
  w: ArrayLike<number>,
  wShape: number[],
  dtype: DType,
  options: Conv2dOptions,
): { values: Float32Array | Float64Array; shape: number[] } {
  const Arr = dtype === "float64" ? Float64Array : Float32Array;
  const a = cpu.write(Arr.from(x), xShape, dtype);
  const b = cpu.write(Arr.from(w), wShape, dtype);
  try {
    const z = cpu.conv2d(a, b, options);
    assert.equal(z.dtype, dtype);
    const values = cpu.readSync(z) as Float32Array | Float64Array;
    const shape = [...z.shape];
    cpu.dispose(z);
    return { values, shape };
  } finally {
    cpu.dispose(a);
    cpu.dispose(b);
  }
}

/** The textbook 7-loop cross-correlation in float64 (and Σ|terms| for the error bound). */
function naive(
  x: ArrayLike<number>,
  [n, c, h, w]: number[],
  k: ArrayLike<number>,
  [o, cg, kh, kw]: number[],
  { strides: [sh, sw], padding: [[pt, pb], [pl, pr]], dilations: [dh, dw], groups }: Conv2dOptions,
): { values: Float64Array; abs: Float64Array; shape: number[] } {
  const ho = Math.max(0, Math.floor((h + pt + pb - dh * (kh - 1) - 1) / sh) + 1);
  const wo = Math.max(0, Math.floor((w + pl + pr - dw * (kw - 1) - 1) / sw) + 1);
  const og = o / groups;
  const values = new Float64Array(n * o * ho * wo), abs = new Float64Array(n * o * ho * wo);
  for (let b = 0; b < n; b++) {
    for (let oc = 0; oc < o; oc++) {
      const g = Math.floor(oc / og);
      for (let y = 0; y < ho; y++) {
        for (let xo = 0; xo < wo; xo++) {
          let s = 0, sAbs = 0;
          for (let ci = 0; ci < cg; ci++) {
            for (let i = 0; i < kh; i++) {
              for (let j = 0; j < kw; j++) {
                const iy = y * sh + i * dh - pt, ix = xo * sw + j * dw - pl;
                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                const t = x[((b * c + g * cg + ci) * h + iy) * w + ix] *
                  k[((oc * cg + ci) * kh + i) * kw + j];
                s += t;
                sAbs += Math.abs(t);
              }
            }
          }
          const at = ((b * o + oc) * ho + y) * wo + xo;
          values[at] = s;
          abs[at] = sAbs;
        }
      }
    }
  }
  return { values, abs, shape: [n, o, ho, wo] };
}

/** Compare backend and naive on random data; returns the output shape. */
function check(
  xShape: number[],
  wShape: number[],
  dtype: Float,
  options: Conv2dOptions,
  seed = 1,
): number[] {
  const Arr = dtype === "float64" ? Float64Array : Float32Array;
  const x = Arr.from(randomArray(xShape.reduce((a, b) => a * b, 1), seed));
  const w = Arr.from(randomArray(wShape.reduce((a, b) => a * b, 1), seed + 13));
  const got = run(x, xShape, w, wShape, dtype, options);
  const want = naive(x, xShape, w, wShape, options);
  const label = `${dtype} x${JSON.stringify(xShape)} w${JSON.stringify(wShape)} ${
    JSON.stringify(options)
  }`;
  assert.deepEqual(got.shape, want.shape, label);
  assert.ok(got.values instanceof Arr, label);
  const eps = dtype === "float32" ? 2 ** -24 : 2 ** -53;
  // float32 rounds once per 256-deep block of the gemm path's k = Cg·kh·kw.
  const k = wShape[1] * wShape[2] * wShape[3];
  const factor = dtype === "float32" ? Math.ceil(k / 256) + 1 : k + 4;
  for (let i = 0; i < want.values.length; i++) {
    const err = Math.abs(got.values[i] - want.values[i]);
    if (!(err <= factor * eps * want.abs[i] + 1e-300)) {
      assert.fail(`${label} element ${i}: got ${got.values[i]}, want ${want.values[i]}`);
    }
  }
  return got.shape;
}

Deno.test("conv2d: strides, padding, dilation on both paths and dtypes", () => {
  const geometries: Partial<Conv2dOptions>[] = [
    {},
    { strides: [2, 1] },
    { strides: [2, 3] },
    { padding: [[1, 1], [1, 1]] },
    { padding: [[0, 2], [1, 0]], strides: [2, 2] },
    { dilations: [2, 1] },
    { dilations: [2, 2], padding: [[2, 2], [2, 2]] },
    { strides: [3, 2], dilations: [1, 2], padding: [[1, 0], [0, 3]] },
  ];
  for (const dtype of ["float32", "float64"] as const) {
    for (const g of geometries) {
      // og = 2: direct loop; og = 4: im2col + gemm.
      check([2, 3, 7, 6], [2, 3, 3, 3], dtype, opts(g), 3);
      check([2, 3, 7, 6], [4, 3, 3, 2], dtype, opts(g), 4);
      check([1, 2, 5, 9], [5, 2, 1, 4], dtype, opts(g), 5);
    }
  }
});

Deno.test("conv2d: groups, depthwise (multiplier 1, 2 and 4)", () => {
  for (const dtype of ["float32", "float64"] as const) {
    const pad = opts({ padding: [[1, 1], [1, 1]] });
    check([2, 4, 6, 5], [8, 2, 3, 3], dtype, opts({ groups: 2 })); // og 4: gemm per group
    check([2, 6, 6, 5], [6, 2, 3, 3], dtype, opts({ groups: 3 })); // og 2: direct
    check([2, 5, 8, 7], [5, 1, 3, 3], dtype, { ...pad, groups: 5 }); // depthwise
    check([1, 3, 8, 7], [6, 1, 3, 3], dtype, { ...pad, groups: 3 }); // multiplier 2
    check([1, 3, 8, 7], [12, 1, 2, 3], dtype, { ...pad, groups: 3 }); // multiplier 4: gemm
    check([1, 4, 9, 9], [4, 1, 5, 5], dtype, {
      ...opts({ strides: [2, 2], dilations: [2, 1] }),
      groups: 4,
    });
  }
});

Deno.test("conv2d: 1x1 convolution and im2col in several row chunks", () => {
  check([2, 8, 5, 6], [6, 8, 1, 1], "float32", opts());
  check([1, 8, 5, 6], [6, 8, 1, 1], "float64", opts({ strides: [2, 1] }));
  check([1, 8, 5, 6], [6, 4, 1, 1], "float32", opts({ groups: 2, padding: [[1, 0], [0, 0]] }));
  // Same output size as the input, but shifted: not the plain 1 × 1 case.
  check([1, 8, 5, 6], [4, 8, 1, 1], "float64", opts({ padding: [[0, 0], [1, -1]] }));
  check([1, 8, 5, 6], [4, 8, 1, 1], "float64", opts({ padding: [[-1, 1], [0, 0]] }));
  // k = 64·9 = 576 rows of 30 columns: 2^18 elements hold 15 rows, so 40 rows take 3 chunks.
  check([1, 64, 40, 30], [4, 64, 3, 3], "float32", opts({ padding: [[1, 1], [1, 1]] }), 9);
});

Deno.test("conv2d: negative padding crops; too-large kernels give empty outputs", () => {
  for (const dtype of ["float32", "float64"] as const) {
    check([1, 2, 7, 7], [1, 2, 2, 2], dtype, opts({ padding: [[-1, 0], [0, -2]] }));
    check([1, 2, 7, 7], [4, 2, 2, 2], dtype, opts({ padding: [[-1, -1], [-2, 1]] }));
    assert.deepEqual(check([1, 2, 3, 3], [2, 2, 4, 2], dtype, opts()), [1, 2, 0, 2]);
    assert.deepEqual(check([1, 1, 3, 3], [4, 1, 2, 2], dtype, opts({ dilations: [3, 1] })), [
      1,
      4,
      0,
      2,
    ]);
    assert.deepEqual(check([0, 2, 5, 5], [4, 2, 3, 3], dtype, opts()), [0, 4, 3, 3]);
    assert.deepEqual(check([2, 0, 5, 5], [4, 0, 3, 3], dtype, opts()), [2, 4, 3, 3]);
  }
});

Deno.test("conv2d: a delta kernel shifts the input; NaN stays local", () => {
  // 3x3 kernel with a single 1 at (0, 2), padding 1: out[y, x] = in[y-1, x+1].
  const x = Array.from({ length: 16 }, (_, i) => i + 1);
  const k = [0, 0, 1, 0, 0, 0, 0, 0, 0];
  const r = run(x, [1, 1, 4, 4], k, [1, 1, 3, 3], "float64", opts({ padding: [[1, 1], [1, 1]] }));
  const want = [0, 0, 0, 0, 2, 3, 4, 0, 6, 7, 8, 0, 10, 11, 12, 0];
  assert.deepEqual([...r.values], want);
  x[0] = NaN;
  const rn = run(x, [1, 1, 4, 4], [1, 1, 1, 1], [1, 1, 2, 2], "float32", opts());
  assert.ok(Number.isNaN(rn.values[0]));
  assert.ok(rn.values.slice(1).every((v) => Number.isFinite(v)));
});

Deno.test("conv2d: bad input throws TypeError / RangeError naming conv2d", () => {
  const f =
    (xs: number[], ws: number[], o: Partial<Conv2dOptions> = {}, dtype: DType = "float32") => () =>
      run(
        new Array(xs.reduce((a, b) => a * b, 1)).fill(1),
        xs,
        new Array(ws.reduce((a, b) => a * b, 1)).fill(1),
        ws,
        dtype,
        opts(o),
      );
  const typeErrors: [() => unknown, RegExp][] = [
    [f([1, 3, 4], [2, 3, 1, 1]), /x must have rank 4/],
    [f([1, 3, 4, 4], [2, 3, 1]), /w must have rank 4/],
    [f([1, 3, 4, 4], [2, 2, 1, 1]), /need 2 input channels/],
    [f([1, 3, 4, 4], [2, 1, 1, 1], { groups: 2 }), /divisible by groups 2/],
    [f([1, 4, 4, 4], [3, 2, 1, 1], { groups: 2 }), /divisible by groups 2/],
    [f([1, 1, 2, 2], [1, 1, 1, 1], {}, "int32"), /float32 or float64/],
  ];
  for (const [g, re] of typeErrors) {
    assert.throws(
      g,
      (e: unknown) =>
        e instanceof TypeError && /^conv2d\(\): /.test(e.message) && re.test(e.message),
    );
  }
  const rangeErrors: [() => unknown, RegExp][] = [
    [f([1, 2, 4, 4], [2, 2, 1, 1], { groups: 0 }), /groups must be/],
    [f([1, 2, 4, 4], [2, 2, 1, 1], { strides: [0, 1] }), /strides must be/],
    [f([1, 2, 4, 4], [2, 2, 1, 1], { dilations: [1, 1.5] }), /dilations must be/],
    [f([1, 2, 4, 4], [2, 2, 1, 1], { padding: [[0, 0.5], [0, 0]] }), /padding must be/],
  ];
  for (const [g, re] of rangeErrors) {
    assert.throws(
      g,
      (e: unknown) =>
        e instanceof RangeError && /^conv2d\(\): /.test(e.message) && re.test(e.message),
    );
  }
});

Deno.test("conv2d property: random geometry vs the 7-loop reference", () => {
  fc.assert(
    fc.property(
      fc.record({
        n: fc.integer({ min: 1, max: 2 }),
        groups: fc.integer({ min: 1, max: 3 }),
        cg: fc.integer({ min: 1, max: 3 }),
        og: fc.integer({ min: 1, max: 5 }),
        h: fc.integer({ min: 1, max: 8 }),
        w: fc.integer({ min: 1, max: 8 }),
        kh: fc.integer({ min: 1, max: 3 }),
        kw: fc.integer({ min: 1, max: 3 }),
        s: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
        d: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
        p: fc.array(fc.integer({ min: -1, max: 2 }), { minLength: 4, maxLength: 4 }),
        dtype: fc.constantFrom<Float>("float32", "float64"),
        seed: fc.integer({ min: 1, max: 1000 }),
      }),
      ({ n, groups, cg, og, h, w, kh, kw, s, d, p, dtype, seed }) => {
        check([n, groups * cg, h, w], [groups * og, cg, kh, kw], dtype, {
          strides: s as [number, number],
          dilations: d as [number, number],
          padding: [[p[0], p[1]], [p[2], p[3]]],
          groups,
        }, seed);
      },
    ),
    { numRuns: 200 },
  );
});
