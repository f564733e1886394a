/**
 * Batched float32 matmul over the last two axes with optional transposes and
 * broadcast batch dims: 64×64 output tiles per workgroup, 16-deep K tiles
 * staged in workgroup memory, each invocation accumulating a 4×4 block with
 * vec4 arithmetic. Operand tiles are loaded as vec4 when the operand's
 * contiguous dimension is a multiple of 4 (else by checked scalar loads),
 * and results are stored as vec4 when N is a multiple of 4.
 *
 * A long K is split into consecutive dispatches (the later ones add to the
 * output) whose K-tile loop, with the 16-step loop inside, costs at most
 * {@link LANE_CAP} loop iterations per invocation, keeping every invocation
 * under llvmpipe's loop limit (see `budget.ts`; the 4-step load and store
 * loops are unrolled when the WGSL is generated). Grids of more than 65535
 * tiles along M, N or the batch are split into several dispatches with tile
 * offsets.
 *
 * @module
 */

import { stridesOf } from "../../backend.ts";
import { MAX_GROUPS_PER_DIM, Params } from "../commands.ts";
import type { KernelContext } from "../commands.ts";
import { collapse, shader } from "./wgsl.ts";
import { LANE_CAP, loopCost, ranges } from "./budget.ts";

const TILE = 64;
const TK = 16;
/**
 * K (a multiple of {@link TK}) covered by one dispatch: tiles ≤ LANE_CAP with
 * loopCost(tiles, loopCost(TK, 0), 1) = 18·tiles + 2 loop iterations (910 tiles).
 */
const K_PER_DISPATCH = TK * Math.floor((LANE_CAP - 2) / (1 + loopCost(TK, 0)));
/** First word of the batch shape in the parameter block. */
const PB = 9;

/** `f(q)` for q = 0..n-1, joined by newlines (an unrolled loop). */
function unroll(n: number, f: (q: number) => string): string {
  return Array.from({ length: n }, (_, q) => f(q)).join("\n    ");
}

interface Variant {
  readonly tA: boolean;
  readonly tB: boolean;
  readonly vA: boolean;
  readonly vB: boolean;
  readonly vC: boolean;
  readonly br: number;
}

/** WGSL loading the A tile into As (k-major vec4 rows of 4 m's). */
function loadA(v: Variant): string {
  // P layout: M N K batchBase kBegin kEnd accumulate rowTile0 colTile0 |
  // outBatchShape[br] aStr[br] bStr[br]
  // (k runs over [kBegin, kEnd) in this dispatch; kEnd is K or a multiple of TK).
  if (!v.tA) {
    // A is [M, K]; thread loads A[m0 + r][k0 + c .. c+3] and scatters along k.
    const fetch = v.vA
      ? `var val = vec4<f32>(0.0);
    if (gm < M && gk < kEnd) { val = in0[(aOff + gm * K + gk) / 4u]; }`
      : `var val = vec4<f32>(0.0);
    ${
        unroll(4, (q) =>
          `if (gm < M && gk + ${q}u < kEnd) { val[${q}] = in0[aOff + gm * K + gk + ${q}u]; }`)
      }`;
    return `{
    let r = lid / 4u; let c = (lid % 4u) * 4u;
    let gm = m0 + r; let gk = k0 + c;
    ${fetch}
    ${unroll(4, (q) => `As[(c + ${q}u) * 16u + r / 4u][r % 4u] = val[${q}];`)}
  }`;
  }
  // A stored transposed: [K, M]; thread loads A[k0 + r][m0 + c .. c+3].
  const fetch = v.vA
    ? `var val = vec4<f32>(0.0);
    if (gk < kEnd && gm < M) { val = in0[(aOff + gk * M + gm) / 4u]; }`
    : `var val = vec4<f32>(0.0);
    ${
      unroll(4, (q) =>
        `if (gk < kEnd && gm + ${q}u < M) { val[${q}] = in0[aOff + gk * M + gm + ${q}u]; }`)
    }`;
  return `{
    let r = lid / 16u; let c = (lid % 16u) * 4u;
    let gk = k0 + r; let gm = m0 + c;
    ${fetch}
    As[r * 16u + c / 4u] = val;
  }`;
}

/** WGSL loading the B tile into Bs (k-major vec4 rows of 4 n's). */
function loadB(v: Variant): string {
  if (!v.tB) {
    // B is [K, N]: thread loads B[k0 + r][n0 + c .. c+3].
    const fetch = v.vB
      ? `var val = vec4<f32>(0.0);
    if (gk < kEnd && gn < N) { val = in1[(bOff + gk * N + gn) / 4u]; }`
      : `var val = vec4<f32>(0.0);
    ${
        unroll(4, (q) =>
          `if (gk < kEnd && gn + ${q}u < N) { val[${q}] = in1[bOff + gk * N + gn + ${q}u]; }`)
      }`;
    return `{
    let r = lid / 16u; let c = (lid % 16u) * 4u;
    let gk = k0 + r; let gn = n0 + c;
    ${fetch}
    Bs[r * 16u + c / 4u] = val;
  }`;
  }
  // B stored transposed: [N, K]; thread loads B[n0 + r][k0 + c .. c+3].
  const fetch = v.vB
    ? `var val = vec4<f32>(0.0);
    if (gn < N && gk < kEnd) { val = in1[(bOff + gn * K + gk) / 4u]; }`
    : `var val = vec4<f32>(0.0);
    ${
      unroll(4, (q) =>
        `if (gn < N && gk + ${q}u < kEnd) { val[${q}] = in1[bOff + gn * K + gk + ${q}u]; }`)
    }`;
  return `{
    let r = lid / 4u; let c = (lid % 4u) * 4u;
    let gn = n0 + r; let gk = k0 + c;
    ${fetch}
    ${unroll(4, (q) => `Bs[(c + ${q}u) * 16u + r / 4u][r % 4u] = val[${q}];`)}
  }`;
}

function source(v: Variant): string {
  const br = v.br;
  const batchOff: string[] = ["  var rem_ = wid.z + P[3];", "  var aB = 0u; var bB = 0u;"];
  for (let d = br - 1; d >= 0; d--) {
    batchOff.push(
      `  { let dim_ = P[${PB + d}u]; let c_ = rem_ % dim_; rem_ = rem_ / dim_;`,
      `    aB += c_ * P[${PB + br + d}u]; bB += c_ * P[${PB + 2 * br + d}u]; }`,
    );
  }
  // Later K ranges (P[6] = 1) add to what the earlier dispatches stored.
  const store = v.vC
    ? unroll(4, (i) =>
      `{ let gm = m0 + ty * 4u + ${i}u; let gn = n0 + tx * 4u;
    if (gm < M && gn < N) {
      let at = (cOff + gm * N + gn) / 4u;
      if (P[6] != 0u) { out0[at] += acc[${i}]; } else { out0[at] = acc[${i}]; }
    } }`)
    : unroll(16, (q) => {
      const i = q >> 2, j = q & 3;
      return `{ let gm = m0 + ty * 4u + ${i}u; let gn = n0 + tx * 4u + ${j}u;
    if (gm < M && gn < N) {
      let at = cOff + gm * N + gn;
      if (P[6] != 0u) { out0[at] += acc[${i}][${j}]; } else { out0[at] = acc[${i}][${j}]; }
    } }`;
    });
  return shader({
    inputs: [v.vA ? "vec4<f32>" : "f32", v.vB ? "vec4<f32>" : "f32"],
    outputs: [v.vC ? "vec4<f32>" : "f32"],
    wg: 256,
    extra: `
var<workgroup> As: array<vec4<f32>, ${TK * (TILE / 4)}>;
var<workgroup> Bs: array<vec4<f32>, ${TK * (TILE / 4)}>;
`,
    body: `  let M = P[0]; let N = P[1]; let K = P[2];
  let kBegin = P[4]; let kEnd = P[5];
${batchOff.join("\n")}
  let aOff = aB * M * K; let bOff = bB * K * N;
  let cOff = (wid.z + P[3]) * M * N;
  let m0 = (wid.y + P[7]) * ${TILE}u; let n0 = (wid.x + P[8]) * ${TILE}u;
  let tx = lid % 16u; let ty = lid / 16u;
  var acc: array<vec4<f32>, 4>;
  for (var k0 = kBegin; k0 < kEnd; k0 += ${TK}u) {
  ${loadA(v)}
  ${loadB(v)}
    workgroupBarrier();
    for (var kk = 0u; kk < ${TK}u; kk++) {
      let a = As[kk * 16u + ty];
      let b = Bs[kk * 16u + tx];
      acc[0] += a.x * b; acc[1] += a.y * b; acc[2] += a.z * b; acc[3] += a.w * b;
    }
    workgroupBarrier();
  }
  ${store}`,
  });
}

/**
 * Record `out = op(a) @ op(b)` (float32). `aShape`/`bShape` are the stored
 * shapes (rank ≥ 2); `batchShape` is the broadcast batch shape of the output.
 */
export function matmulKernel(
  ctx: KernelContext,
  a: GPUBuffer,
  aShape: readonly number[],
  b: GPUBuffer,
  bShape: readonly number[],
  transposeA: boolean,
  transposeB: boolean,
  out: GPUBuffer,
  batchShape: readonly number[],
): void {
  const ra = aShape.length, rb = bShape.length;
  const M = transposeA ? aShape[ra - 1] : aShape[ra - 2];
  const K = transposeA ? aShape[ra - 2] : aShape[ra - 1];
  const N = transposeB ? bShape[rb - 2] : bShape[rb - 1];
  let batch = 1;
  for (const d of batchShape) batch *= d;
  if (batch * M * N === 0) return;
  // Batch strides in matrices (0 where broadcast).
  const bStr = (shape: readonly number[]): number[] => {
    const lead = shape.slice(0, -2);
    const s = stridesOf(lead);
    const off = batchShape.length - lead.length;
    return batchShape.map((_, i) => (i < off || lead[i - off] === 1 ? 0 : s[i - off]));
  };
  const c = collapse(batchShape, [stridesOf(batchShape), bStr(aShape), bStr(bShape)]);
  const v: Variant = {
    tA: transposeA,
    tB: transposeB,
    vA: (transposeA ? M : K) % 4 === 0,
    vB: (transposeB ? K : N) % 4 === 0,
    vC: N % 4 === 0,
    br: c.shape.length,
  };
  const key = `matmul:${+v.tA}${+v.tB}:${+v.vA}${+v.vB}${+v.vC}:${v.br}`;
  const kernel = ctx.kernel(key, 2, 1, () => source(v));
  // Tiles along N (x), M (y) and batch (z), in grids of at most MAX_GROUPS_PER_DIM per axis;
  // K ranges in order (one, [0, 0], when K is 0: the output is then zeros).
  const tilesN = ranges(Math.ceil(N / TILE), MAX_GROUPS_PER_DIM);
  const tilesM = ranges(Math.ceil(M / TILE), MAX_GROUPS_PER_DIM);
  const batches = ranges(batch, MAX_GROUPS_PER_DIM);
  for (const [kBegin, kEnd] of ranges(K, K_PER_DISPATCH)) {
    for (const [z0, z1] of batches) {
      for (const [y0, y1] of tilesM) {
        for (const [x0, x1] of tilesN) {
          const p = new Params()
            .u32s([M, N, K, z0, kBegin, kEnd, kBegin > 0 ? 1 : 0, y0, x0])
            .u32s(c.shape)
            .u32s(c.strides[1])
            .u32s(c.strides[2])
            .words();
          ctx.dispatch(kernel, p, [a, b, out], [x1 - x0, y1 - y0, z1 - z0]);
        }
      }
    }
  }
}
