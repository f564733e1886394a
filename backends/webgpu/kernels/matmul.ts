/**
 * Batched float32 matmul over the last two axes with optional transposes and
 * broadcast batch dims: 64×64 output tiles per workgroup, 16-deep K tiles
 * staged in workgroup memory, each invocation accumulating a 4×4 block with
 * vec4 arithmetic. Operand tiles are loaded as vec4 when the operand's
 * contiguous dimension is a multiple of 4 (else by checked scalar loads),
 * and results are stored as vec4 when N is a multiple of 4.
 *
 * @module
 */

import { stridesOf } from "../../backend.ts";
import { MAX_GROUPS_PER_DIM, Params } from "../commands.ts";
import type { KernelContext } from "../commands.ts";
import { collapse, shader } from "./wgsl.ts";

const TILE = 64;
const TK = 16;

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
  // P layout: M N K batchBase | outBatchShape[br] aStr[br] bStr[br]
  if (!v.tA) {
    // A is [M, K]; thread loads A[m0 + r][k0 + c .. c+3] and scatters along k.
    const fetch = v.vA
      ? `var val = vec4<f32>(0.0);
    if (gm < M && gk < K) { val = in0[(aOff + gm * K + gk) / 4u]; }`
      : `var val = vec4<f32>(0.0);
    for (var q = 0u; q < 4u; q++) { if (gm < M && gk + q < K) { val[q] = in0[aOff + gm * K + gk + q]; } }`;
    return `{
    let r = lid / 4u; let c = (lid % 4u) * 4u;
    let gm = m0 + r; let gk = k0 + c;
    ${fetch}
    for (var q = 0u; q < 4u; q++) { As[(c + q) * 16u + r / 4u][r % 4u] = val[q]; }
  }`;
  }
  // A stored transposed: [K, M]; thread loads A[k0 + r][m0 + c .. c+3].
  const fetch = v.vA
    ? `var val = vec4<f32>(0.0);
    if (gk < K && gm < M) { val = in0[(aOff + gk * M + gm) / 4u]; }`
    : `var val = vec4<f32>(0.0);
    for (var q = 0u; q < 4u; q++) { if (gk < K && gm + q < M) { val[q] = in0[aOff + gk * M + gm + q]; } }`;
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
    if (gk < K && gn < N) { val = in1[(bOff + gk * N + gn) / 4u]; }`
      : `var val = vec4<f32>(0.0);
    for (var q = 0u; q < 4u; q++) { if (gk < K && gn + q < N) { val[q] = in1[bOff + gk * N + gn + q]; } }`;
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
    if (gn < N && gk < K) { val = in1[(bOff + gn * K + gk) / 4u]; }`
    : `var val = vec4<f32>(0.0);
    for (var q = 0u; q < 4u; q++) { if (gn < N && gk + q < K) { val[q] = in1[bOff + gn * K + gk + q]; } }`;
  return `{
    let r = lid / 4u; let c = (lid % 4u) * 4u;
    let gn = n0 + r; let gk = k0 + c;
    ${fetch}
    for (var q = 0u; q < 4u; q++) { Bs[(c + q) * 16u + r / 4u][r % 4u] = val[q]; }
  }`;
}

function source(v: Variant): string {
  const br = v.br;
  const batchOff: string[] = ["  var rem_ = wid.z + P[3];", "  var aB = 0u; var bB = 0u;"];
  for (let d = br - 1; d >= 0; d--) {
    batchOff.push(
      `  { let dim_ = P[${4 + d}u]; let c_ = rem_ % dim_; rem_ = rem_ / dim_;`,
      `    aB += c_ * P[${4 + br + d}u]; bB += c_ * P[${4 + 2 * br + d}u]; }`,
    );
  }
  const store = v.vC
    ? `for (var i = 0u; i < 4u; i++) {
    let gm = m0 + ty * 4u + i; let gn = n0 + tx * 4u;
    if (gm < M && gn < N) { out0[(cOff + gm * N + gn) / 4u] = acc[i]; }
  }`
    : `for (var i = 0u; i < 4u; i++) {
    let gm = m0 + ty * 4u + i;
    for (var j = 0u; j < 4u; j++) {
      let gn = n0 + tx * 4u + j;
      if (gm < M && gn < N) { out0[cOff + gm * N + gn] = acc[i][j]; }
    }
  }`;
  return shader({
    inputs: [v.vA ? "vec4<f32>" : "f32", v.vB ? "vec4<f32>" : "f32"],
    outputs: [v.vC ? "vec4<f32>" : "f32"],
    wg: 256,
    extra: `
var<workgroup> As: array<vec4<f32>, ${TK * (TILE / 4)}>;
var<workgroup> Bs: array<vec4<f32>, ${TK * (TILE / 4)}>;
`,
    body: `  let M = P[0]; let N = P[1]; let K = P[2];
${batchOff.join("\n")}
  let aOff = aB * M * K; let bOff = bB * K * N;
  let cOff = (wid.z + P[3]) * M * N;
  let m0 = wid.y * ${TILE}u; let n0 = wid.x * ${TILE}u;
  let tx = lid % 16u; let ty = lid / 16u;
  var acc: array<vec4<f32>, 4>;
  for (var k0 = 0u; k0 < K; k0 += ${TK}u) {
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
  const gx = Math.ceil(N / TILE), gy = Math.ceil(M / TILE);
  if (gx > MAX_GROUPS_PER_DIM || gy > MAX_GROUPS_PER_DIM) {
    throw new RangeError(`matmul(): output of ${M}×${N} is too large for one dispatch`);
  }
  for (let base = 0; base < batch; base += MAX_GROUPS_PER_DIM) {
    const z = Math.min(MAX_GROUPS_PER_DIM, batch - base);
    const p = new Params()
      .u32(M)
      .u32(N)
      .u32(K)
      .u32(base)
      .u32s(c.shape)
      .u32s(c.strides[1])
      .u32s(c.strides[2])
      .words();
    ctx.dispatch(kernel, p, [a, b, out], [gx, gy, z]);
  }
}
