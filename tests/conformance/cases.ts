/**
 * The conformance cases: every Backend primitive on representative inputs.
 * Each case builds its inputs on the backend under test, runs one primitive
 * and returns the outputs; the suite compares them with the cpu backend.
 *
 * @module
 */

import {
  type Backend,
  BINARY_OPS,
  type DType,
  type TensorInfo,
  UNARY_OPS,
  type UnaryOp,
} from "../../backends/backend.ts";
import { randomArray } from "../helpers.ts";

/** One conformance case. */
export interface ConformanceCase {
  /** Test name. */
  readonly name: string;
  /** Dtypes the case needs (skipped where the backend lacks one). */
  readonly needs?: readonly DType[];
  /** Compare loosely (transcendental functions on GPUs): relative tolerance. */
  readonly rtol?: number;
  /** Absolute tolerance. */
  readonly atol?: number;
  /** Compare only invariant outputs (factorizations): post-process reads. */
  readonly invariant?: boolean;
  /** Run on a backend; returns outputs (the suite reads and disposes them). */
  run(b: Backend): TensorInfo[];
}

/** Write `n` deterministic values scaled to [lo, hi) with the given dtype. */
export function input(
  b: Backend,
  shape: number[],
  dtype: DType,
  seed: number,
  lo = -2,
  hi = 2,
): TensorInfo {
  const n = shape.reduce((a, c) => a * c, 1);
  const r = randomArray(n, seed);
  let v;
  switch (dtype) {
    case "float32":
      v = Float32Array.from(r, (x) => lo + (x + 1) / 2 * (hi - lo));
      break;
    case "float64":
      v = Float64Array.from(r, (x) => lo + (x + 1) / 2 * (hi - lo));
      break;
    case "int32":
      v = Int32Array.from(r, (x) => Math.floor(lo + (x + 1) / 2 * (hi - lo)));
      break;
    case "uint32":
      v = Uint32Array.from(r, (x) => Math.floor((x + 1) / 2 * 4294967295));
      break;
    case "bool":
      v = Uint8Array.from(r, (x) => (x > 0 ? 1 : 0));
      break;
  }
  return b.write(v, shape, dtype);
}

/** Domains for unary ops whose inputs must stay in range. */
const UNARY_DOMAIN: Partial<Record<UnaryOp, [number, number]>> = {
  log: [0.01, 4],
  log1p: [-0.9, 4],
  log2: [0.01, 4],
  sqrt: [0, 4],
  rsqrt: [0.05, 4],
  reciprocal: [0.1, 4],
  asin: [-0.99, 0.99],
  acos: [-0.99, 0.99],
  acosh: [1.01, 4],
  atanh: [-0.99, 0.99],
  erfinv: [-0.999, 0.999],
  tan: [-1.2, 1.2],
};

const FLOAT_UNARY = UNARY_OPS.filter((op) =>
  !["logicalNot", "bitsToUnit", "bitwiseNot"].includes(op)
);

function unaryCases(): ConformanceCase[] {
  const out: ConformanceCase[] = [];
  for (const op of FLOAT_UNARY) {
    const [lo, hi] = UNARY_DOMAIN[op] ?? [-3, 3];
    out.push({
      name: `unary ${op} float32`,
      rtol: 2e-5,
      atol: 2e-6,
      run: (b) => [b.unary(op, input(b, [7, 33], "float32", 11, lo, hi))],
    });
  }
  for (const op of ["neg", "abs", "sign", "square"] as UnaryOp[]) {
    out.push({
      name: `unary ${op} int32`,
      run: (b) => [b.unary(op, input(b, [5, 9], "int32", 12, -50, 50))],
    });
  }
  out.push({
    name: "unary logicalNot bool",
    run: (b) => [b.unary("logicalNot", input(b, [17], "bool", 13))],
  });
  out.push({
    name: "unary bitsToUnit uint32",
    run: (b) => [b.unary("bitsToUnit", input(b, [64], "uint32", 14))],
  });
  out.push({
    name: "unary bitwiseNot int32",
    run: (b) => [b.unary("bitwiseNot", input(b, [16], "int32", 15, -1000, 1000))],
  });
  out.push({
    name: "unary isnan/isinf/isfinite on specials",
    run: (b) => {
      const x = b.write(new Float32Array([0, NaN, Infinity, -Infinity, 1.5]), [5], "float32");
      return [b.unary("isnan", x), b.unary("isinf", x), b.unary("isfinite", x)];
    },
  });
  out.push({
    name: "unary round half-to-even",
    run: (b) => [
      b.unary("round", b.write(new Float32Array([0.5, 1.5, 2.5, -0.5, -1.5, 2.4]), [6], "float32")),
    ],
  });
  return out;
}

const COMPARE = new Set(["equal", "notEqual", "less", "lessEqual", "greater", "greaterEqual"]);
const LOGICAL = new Set(["logicalAnd", "logicalOr", "logicalXor"]);
const BITWISE = new Set(["bitwiseAnd", "bitwiseOr", "bitwiseXor", "shiftLeft", "shiftRight"]);

function binaryCases(): ConformanceCase[] {
  const out: ConformanceCase[] = [];
  const shapes: [number[], number[]][] = [[[4, 5], [4, 5]], [[3, 1, 5], [4, 1]], [[6], []]];
  for (const op of BINARY_OPS) {
    for (const [sa, sb] of shapes) {
      if (LOGICAL.has(op)) {
        out.push({
          name: `binary ${op} bool ${sa}|${sb}`,
          run: (b) => [b.binary(op, input(b, sa, "bool", 21), input(b, sb, "bool", 22))],
        });
      } else if (BITWISE.has(op)) {
        for (const dt of ["int32", "uint32"] as DType[]) {
          out.push({
            name: `binary ${op} ${dt} ${sa}|${sb}`,
            run: (b) => [
              b.binary(
                op,
                input(b, sa, dt, 23, -1000, 1000),
                op.startsWith("shift") ? input(b, sb, "int32", 24, 0, 31) : input(b, sb, dt, 24),
              ),
            ],
          });
        }
      } else {
        out.push({
          name: `binary ${op} float32 ${sa}|${sb}`,
          rtol: 2e-5,
          atol: 2e-6,
          run: (b) => {
            const pos = op === "pow";
            return [
              b.binary(
                op,
                input(b, sa, "float32", 25, pos ? 0.1 : -3, 3),
                input(b, sb, "float32", 26, pos ? -2 : 0.25, 3),
              ),
            ];
          },
        });
        if (!["div", "pow", "atan2"].includes(op) || COMPARE.has(op)) {
          out.push({
            name: `binary ${op} int32 ${sa}|${sb}`,
            run: (b) => [
              b.binary(op, input(b, sa, "int32", 27, -20, 20), input(b, sb, "int32", 28, 1, 7)),
            ],
          });
        }
      }
    }
  }
  out.push({
    name: "select 3-way broadcast",
    run: (b) => [
      b.select(
        input(b, [3, 1], "bool", 31),
        input(b, [1, 4], "float32", 32),
        input(b, [3, 4], "float32", 33),
      ),
    ],
  });
  const casts: [DType, DType][] = [
    ["float32", "int32"],
    ["int32", "float32"],
    ["float32", "bool"],
    ["bool", "float32"],
    ["int32", "uint32"],
    ["uint32", "int32"],
    ["bool", "int32"],
  ];
  for (const [from, to] of casts) {
    out.push({
      name: `cast ${from} → ${to}`,
      run: (b) => [b.cast(input(b, [20], from, 34, -5, 5), to)],
    });
  }
  return out;
}

function reduceCases(): ConformanceCase[] {
  const out: ConformanceCase[] = [];
  const axesList = [[0], [1], [2], [0, 2], [0, 1, 2]];
  for (const op of ["sum", "prod", "max", "min"] as const) {
    for (const axes of axesList) {
      out.push({
        name: `reduce ${op} float32 axes ${axes}`,
        rtol: 1e-4,
        atol: 1e-5,
        run: (b) => [b.reduce(op, input(b, [3, 4, 5], "float32", 41, 0.5, 1.5), axes)],
      });
    }
    out.push({
      name: `reduce ${op} int32 axis 1`,
      run: (b) => [b.reduce(op, input(b, [4, 6], "int32", 42, -3, 4), [1])],
    });
  }
  for (const op of ["argmax", "argmin"] as const) {
    for (const axis of [0, 1, 2]) {
      out.push({
        name: `reduce ${op} axis ${axis}`,
        run: (b) => [b.reduce(op, input(b, [3, 4, 5], "float32", 43), [axis])],
      });
    }
    out.push({
      name: `reduce ${op} ties → first index`,
      run: (
        b,
      ) => [b.reduce(op, b.write(new Float32Array([1, 3, 3, 0, 0, 1]), [2, 3], "float32"), [1])],
    });
  }
  for (const op of ["any", "all"] as const) {
    out.push({
      name: `reduce ${op} bool`,
      run: (b) => [b.reduce(op, input(b, [4, 3], "bool", 44), [1])],
    });
  }
  for (const [exclusive, reverse] of [[false, false], [true, false], [false, true], [true, true]]) {
    out.push({
      name: `cumsum exclusive=${exclusive} reverse=${reverse}`,
      rtol: 1e-5,
      atol: 1e-5,
      run: (b) => [b.cumsum(input(b, [3, 7], "float32", 45), 1, exclusive, reverse)],
    });
  }
  out.push({
    name: "cumsum int32 axis 0",
    run: (b) => [b.cumsum(input(b, [5, 3], "int32", 46, -9, 9), 0, false, false)],
  });
  return out;
}

function layoutCases(): ConformanceCase[] {
  return [
    {
      name: "reshape",
      run: (b) => [b.reshape(input(b, [2, 6], "float32", 51), [3, 4])],
    },
    {
      name: "transpose 3-D",
      run: (b) => [b.transpose(input(b, [2, 3, 4], "float32", 52), [2, 0, 1])],
    },
    {
      name: "transpose 2-D large",
      run: (b) => [b.transpose(input(b, [67, 45], "float32", 53), [1, 0])],
    },
    {
      name: "slice strided and negative",
      run: (b) => [
        b.slice(input(b, [6, 7], "float32", 54), [1, 6], [2, 3], [2, -2]),
        b.slice(input(b, [6, 7], "int32", 55), [0, 0], [6, 1], [1, 1]),
      ],
    },
    {
      name: "concat axis 1",
      run: (b) => [
        b.concat([input(b, [2, 3], "float32", 56), input(b, [2, 1], "float32", 57)], 1),
      ],
    },
    ...(["constant", "edge", "reflect"] as const).map((mode) => ({
      name: `pad ${mode}`,
      run: (b: Backend) => [b.pad(input(b, [3, 4], "float32", 58), [[1, 2], [3, 1]], mode, 7)],
    })),
    {
      name: "gather axis 1 with clamping",
      run: (b) => [
        b.gather(
          input(b, [3, 5], "float32", 59),
          b.write(new Int32Array([4, 0, 9, -3, 2]), [5], "int32"),
          1,
        ),
      ],
    },
    {
      name: "gather 2-D indices axis 0",
      run: (b) => [
        b.gather(
          input(b, [4, 3], "int32", 60, 0, 9),
          b.write(new Int32Array([3, 1, 1, 0]), [2, 2], "int32"),
          0,
        ),
      ],
    },
    {
      name: "gatherAlong axis 1",
      run: (b) => [
        b.gatherAlong(
          input(b, [3, 4], "float32", 61),
          b.write(new Int32Array([3, 0, 1, 1, 2, 0]), [3, 2], "int32"),
          1,
        ),
      ],
    },
    ...(["set", "add"] as const).map((mode) => ({
      name: `scatter ${mode} with duplicates and out-of-range`,
      run: (b: Backend) => [
        b.scatter(
          input(b, [4, 3], "float32", 62),
          b.write(new Int32Array([1, 3, 1, 7]), [4], "int32"),
          input(b, [4, 3], "float32", 63),
          0,
          mode,
        ),
      ],
    })),
  ];
}

function sortCases(): ConformanceCase[] {
  const ties = (b: Backend) =>
    b.write(new Float32Array([3, 1, 2, 1, 3, 0, 2, 2, 5, 5, 1, 0]), [2, 6], "float32");
  return [
    {
      name: "sort ascending axis 1",
      run: (b) => [b.sort(input(b, [5, 33], "float32", 71), 1, false)],
    },
    {
      name: "sort descending axis 0",
      run: (b) => [b.sort(input(b, [9, 4], "float32", 72), 0, true)],
    },
    {
      name: "argsort stable with ties",
      run: (b) => [b.argsort(ties(b), 1, false), b.argsort(ties(b), 1, true)],
    },
    {
      name: "argsort uint32 keys",
      run: (b) => [b.argsort(input(b, [1000], "uint32", 73), 0, false)],
    },
    {
      name: "topk ties → lower index",
      run: (b) => {
        const r = b.topk(ties(b), 3);
        return [r.values, r.indices];
      },
    },
    {
      name: "topk large rows",
      run: (b) => {
        const r = b.topk(input(b, [4, 300], "float32", 74), 7);
        return [r.values, r.indices];
      },
    },
  ];
}

function matrixCases(): ConformanceCase[] {
  const out: ConformanceCase[] = [];
  for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
    out.push({
      name: `matmul 37x29x23 transposeA=${ta} transposeB=${tb}`,
      rtol: 1e-4,
      atol: 1e-4,
      run: (b) => [
        b.matmul(
          input(b, ta ? [29, 37] : [37, 29], "float32", 81),
          input(b, tb ? [23, 29] : [29, 23], "float32", 82),
          ta,
          tb,
        ),
      ],
    });
  }
  out.push({
    name: "matmul batch broadcast",
    rtol: 1e-4,
    atol: 1e-4,
    run: (
      b,
    ) => [
      b.matmul(
        input(b, [2, 1, 5, 6], "float32", 83),
        input(b, [3, 6, 4], "float32", 84),
        false,
        false,
      ),
    ],
  });
  out.push({
    name: "matmul float64",
    needs: ["float64"],
    rtol: 1e-12,
    atol: 1e-12,
    run: (
      b,
    ) => [
      b.matmul(input(b, [17, 19], "float64", 85), input(b, [19, 13], "float64", 86), false, false),
    ],
  });
  out.push({
    name: "conv2d stride/pad/dilation",
    rtol: 1e-4,
    atol: 1e-4,
    run: (b) => [
      b.conv2d(input(b, [2, 3, 9, 8], "float32", 87), input(b, [4, 3, 3, 2], "float32", 88), {
        strides: [2, 1],
        padding: [[1, 1], [0, 2]],
        dilations: [1, 2],
        groups: 1,
      }),
    ],
  });
  out.push({
    name: "conv2d depthwise",
    rtol: 1e-4,
    atol: 1e-4,
    run: (b) => [
      b.conv2d(input(b, [1, 3, 10, 10], "float32", 89), input(b, [3, 1, 5, 5], "float32", 90), {
        strides: [1, 1],
        padding: [[0, 0], [0, 0]],
        dilations: [1, 1],
        groups: 3,
      }),
    ],
  });
  out.push({
    name: "threefry2x32",
    run: (b) => {
      const n = 257;
      const k0 = input(b, [n], "uint32", 91), k1 = input(b, [n], "uint32", 92);
      const x0 = input(b, [n], "uint32", 93), x1 = input(b, [n], "uint32", 94);
      return b.threefry2x32(k0, k1, x0, x1);
    },
  });
  return out;
}

function linalgCases(): ConformanceCase[] {
  // SPD input: A Aᵀ + n I, written on the host so every backend sees the same.
  const spd = (b: Backend, n: number, seed: number, batch = 1) => {
    const r = randomArray(batch * n * n, seed);
    const v = new Float32Array(batch * n * n);
    for (let t = 0; t < batch; t++) {
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let s = i === j ? n : 0;
          for (let k = 0; k < n; k++) s += r[t * n * n + i * n + k] * r[t * n * n + j * n + k];
          v[t * n * n + i * n + j] = s;
        }
      }
    }
    return b.write(v, batch > 1 ? [batch, n, n] : [n, n], "float32");
  };
  return [
    {
      name: "cholesky SPD batched",
      rtol: 1e-4,
      atol: 1e-4,
      run: (b) => [b.cholesky(spd(b, 6, 101, 3))],
    },
    {
      name: "triangularSolve lower left",
      rtol: 1e-3,
      atol: 1e-4,
      run: (b) => {
        const l = b.cholesky(spd(b, 5, 102));
        return [
          b.triangularSolve(l, input(b, [5, 3], "float32", 103), {
            lower: true,
            leftSide: true,
            transposeA: false,
            unitDiagonal: false,
          }),
          b.triangularSolve(l, input(b, [2, 5], "float32", 104), {
            lower: true,
            leftSide: false,
            transposeA: true,
            unitDiagonal: false,
          }),
        ];
      },
    },
    {
      name: "svd singular values",
      rtol: 1e-4,
      atol: 1e-4,
      invariant: true,
      run: (b) => {
        const r = b.svd(input(b, [7, 5], "float32", 105));
        b.dispose(r.u);
        b.dispose(r.vh);
        return [r.s];
      },
    },
    {
      name: "eigh eigenvalues",
      rtol: 1e-4,
      atol: 1e-4,
      invariant: true,
      run: (b) => {
        const r = b.eigh(spd(b, 6, 106));
        b.dispose(r.vectors);
        return [r.values];
      },
    },
    {
      name: "qr |R| diagonal",
      rtol: 1e-4,
      atol: 1e-4,
      invariant: true,
      run: (b) => {
        const r = b.qr(input(b, [6, 4], "float32", 107));
        const absR = b.unary("abs", r.r);
        b.dispose(r.q);
        b.dispose(r.r);
        return [absR];
      },
    },
    // Sizes past a few dozen rows (the webgpu svd once broke from about 53, eigh from 128).
    {
      name: "cholesky SPD 70x70",
      rtol: 1e-4,
      atol: 1e-4,
      run: (b) => {
        const a = spd(b, 70, 108);
        const l = b.cholesky(a);
        b.dispose(a);
        return [l];
      },
    },
    {
      name: "triangularSolve 80x80 lower, left and transposed right",
      rtol: 1e-4,
      atol: 1e-4,
      run: (b) => {
        const a = spd(b, 80, 109);
        const l = b.cholesky(a);
        const bl = input(b, [80, 3], "float32", 110), br = input(b, [2, 80], "float32", 111);
        const out = [
          b.triangularSolve(l, bl, {
            lower: true,
            leftSide: true,
            transposeA: false,
            unitDiagonal: false,
          }),
          b.triangularSolve(l, br, {
            lower: true,
            leftSide: false,
            transposeA: true,
            unitDiagonal: false,
          }),
        ];
        for (const t of [a, l, bl, br]) b.dispose(t);
        return out;
      },
    },
    {
      name: "svd singular values 96x80",
      rtol: 2e-4,
      atol: 2e-4,
      invariant: true,
      run: (b) => {
        const a = input(b, [96, 80], "float32", 112);
        const r = b.svd(a);
        for (const t of [a, r.u, r.vh]) b.dispose(t);
        return [r.s];
      },
    },
    {
      name: "eigh eigenvalues 100x100 SPD",
      rtol: 1e-4,
      atol: 1e-3,
      invariant: true,
      run: (b) => {
        const a = spd(b, 100, 113);
        const r = b.eigh(a);
        b.dispose(a);
        b.dispose(r.vectors);
        return [r.values];
      },
    },
    {
      name: "qr |R| 90x70",
      rtol: 1e-4,
      atol: 1e-4,
      invariant: true,
      run: (b) => {
        const a = input(b, [90, 70], "float32", 114);
        const r = b.qr(a);
        const absR = b.unary("abs", r.r);
        for (const t of [a, r.q, r.r]) b.dispose(t);
        return [absR];
      },
    },
  ];
}

/** Every conformance case. */
export function conformanceCases(): ConformanceCase[] {
  return [
    ...unaryCases(),
    ...binaryCases(),
    ...reduceCases(),
    ...layoutCases(),
    ...sortCases(),
    ...matrixCases(),
    ...linalgCases(),
  ];
}
