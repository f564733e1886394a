/**
 * Stable sort, argsort and top-k by a bitonic sort of (key, index) pairs:
 * every value becomes an order-preserving u32 key (NaN largest, -0 equal to
 * +0, descending = complemented key), and ties are broken by the original
 * index, so the bitonic network (not stable by itself) yields exactly the
 * stable order. Lines are padded to a power of two; blocks of up to
 * {@link LOCAL} pairs sort in workgroup memory, longer lines add global
 * merge passes.
 *
 * @module
 */

import type { DType } from "../../backend.ts";
import { Params } from "../commands.ts";
import type { KernelContext } from "../commands.ts";
import { dtag, shader, WG, wgslType } from "./wgsl.ts";

/** Elements sorted in workgroup memory by one workgroup. */
export const LOCAL = 1024;
const LOCAL_WG = 256;

/** Sorted (key, index) pairs of every line, padded to `padded` per line. */
export interface SortedPairs {
  /** Sortable u32 keys, `[lines, padded]`. */
  readonly keys: GPUBuffer;
  /** Original positions along the axis, `[lines, padded]`. */
  readonly idx: GPUBuffer;
  /** Padded line length (a power of two ≥ n). */
  readonly padded: number;
  /** Number of lines (outer · inner). */
  readonly lines: number;
}

function keyExpr(dtype: DType): string {
  switch (dtype) {
    case "float32":
      return `sort_key_f32(v)`;
    case "int32":
      return "bitcast<u32>(v) ^ 0x80000000u";
    default:
      return "v";
  }
}

const KEY_WGSL = /* wgsl */ `
fn sort_key_f32(v: f32) -> u32 {
  var b = bitcast<u32>(v);
  if ((b & 0x7fffffffu) > 0x7f800000u) { return 0xffffffffu; }
  if ((b & 0x7fffffffu) == 0u) { b = 0u; }
  if ((b & 0x80000000u) != 0u) { return ~b; }
  return b | 0x80000000u;
}
`;

const GREATER_WGSL = /* wgsl */ `
fn pair_gt(ka: u32, ia: u32, kb: u32, ib: u32) -> bool {
  return ka > kb || (ka == kb && ia > ib);
}
`;

/** nextPow2(n) for n ≥ 1. */
function pow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/**
 * Record the sort of every line of `x` (`shape`, along `axis`) into (key,
 * index) pairs. The caller frees the returned buffers.
 */
export function sortPairs(
  ctx: KernelContext,
  dtype: DType,
  x: GPUBuffer,
  shape: readonly number[],
  axis: number,
  descending: boolean,
): SortedPairs {
  const n = shape[axis];
  let outer = 1, inner = 1;
  for (let d = 0; d < axis; d++) outer *= shape[d];
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d];
  const lines = outer * inner;
  const padded = pow2(Math.max(n, 1));
  const total = lines * padded;
  const keys = ctx.alloc(total * 4);
  const idx = ctx.alloc(total * 4);
  if (total === 0) return { keys, idx, padded, lines };
  const t = wgslType(dtype);
  // 1. keys and indices (padding: max key, index ≥ n, so it sorts last).
  const init = ctx.kernel(`sort:init:${dtag(dtype)}:${+descending}`, 1, 2, () =>
    shader({
      inputs: [t],
      outputs: ["u32", "u32"],
      extra: KEY_WGSL,
      body: `  let total = P[0];
  if (gid >= total) { return; }
  let n = P[1]; let np = P[2]; let inner = P[3];
  let line = gid / np; let k = gid % np;
  var key = 0xffffffffu;
  if (k < n) {
    let v = in0[(line / inner) * n * inner + k * inner + line % inner];
    key = ${keyExpr(dtype)};
    ${descending ? "key = ~key;" : ""}
  }
  out0[gid] = key;
  out1[gid] = k;`,
    }));
  ctx.dispatch(
    init,
    new Params().u32(total).u32(n).u32(padded).u32(inner).words(),
    [x, keys, idx],
    Math.ceil(total / WG),
  );
  if (padded === 1) return { keys, idx, padded, lines };
  const block = Math.min(padded, LOCAL);
  const blocks = total / block;
  // 2. sort blocks in workgroup memory.
  local(ctx, keys, idx, block, padded, 0, blocks);
  // 3. longer lines: global merge passes, then local passes per stage.
  for (let k = 2 * LOCAL; k <= padded; k *= 2) {
    for (let j = k / 2; j >= LOCAL; j /= 2) globalStep(ctx, keys, idx, padded, k, j, total / 2);
    local(ctx, keys, idx, block, padded, k, blocks);
  }
  return { keys, idx, padded, lines };
}

/** Bitonic steps inside blocks: all stages (`k = 0`) or the j < block steps of stage `k`. */
function local(
  ctx: KernelContext,
  keys: GPUBuffer,
  idx: GPUBuffer,
  block: number,
  padded: number,
  k: number,
  blocks: number,
): void {
  const kernel = ctx.kernel("sort:local", 0, 2, () =>
    shader({
      inputs: [],
      outputs: ["u32", "u32"],
      wg: LOCAL_WG,
      extra: GREATER_WGSL + `
var<workgroup> sk: array<u32, ${LOCAL}>;
var<workgroup> si: array<u32, ${LOCAL}>;
fn step(L: u32, lineOff: u32, kk: u32, j: u32, lid: u32) {
  for (var p = lid; p < L / 2u; p += ${LOCAL_WG}u) {
    let lo = 2u * j * (p / j) + p % j;
    let hi = lo + j;
    let asc = ((lineOff + lo) & kk) == 0u;
    let gt = pair_gt(sk[lo], si[lo], sk[hi], si[hi]);
    if (gt == asc) {
      let tk = sk[lo]; sk[lo] = sk[hi]; sk[hi] = tk;
      let ti = si[lo]; si[lo] = si[hi]; si[hi] = ti;
    }
  }
}`,
      body: `  if (wgid >= P[3]) { return; }
  let L = P[0]; let np = P[1]; let K = P[2];
  let base = wgid * L;
  let lineOff = base % np;
  for (var e = lid; e < L; e += ${LOCAL_WG}u) { sk[e] = out0[base + e]; si[e] = out1[base + e]; }
  workgroupBarrier();
  if (K == 0u) {
    for (var kk = 2u; kk <= L; kk = kk * 2u) {
      for (var j = kk / 2u; j > 0u; j = j / 2u) { step(L, lineOff, kk, j, lid); workgroupBarrier(); }
    }
  } else {
    for (var j = L / 2u; j > 0u; j = j / 2u) { step(L, lineOff, K, j, lid); workgroupBarrier(); }
  }
  for (var e = lid; e < L; e += ${LOCAL_WG}u) { out0[base + e] = sk[e]; out1[base + e] = si[e]; }`,
    }));
  // P[3]: the grid folds into 2-D past 65535 workgroups, with spare workgroups at the end.
  ctx.dispatch(
    kernel,
    new Params().u32(block).u32(padded).u32(k).u32(blocks).words(),
    [keys, idx],
    blocks,
  );
}

/** One global bitonic compare-exchange step (stage k, distance j ≥ LOCAL). */
function globalStep(
  ctx: KernelContext,
  keys: GPUBuffer,
  idx: GPUBuffer,
  padded: number,
  k: number,
  j: number,
  pairs: number,
): void {
  const kernel = ctx.kernel("sort:global", 0, 2, () =>
    shader({
      inputs: [],
      outputs: ["u32", "u32"],
      extra: GREATER_WGSL,
      body: `  if (gid >= P[0]) { return; }
  let np = P[1]; let kk = P[2]; let j = P[3];
  let half = np / 2u;
  let line = gid / half; let q = gid % half;
  let lo = 2u * j * (q / j) + q % j;
  let hi = lo + j;
  let a = line * np + lo; let b = line * np + hi;
  let asc = (lo & kk) == 0u;
  if (pair_gt(out0[a], out1[a], out0[b], out1[b]) == asc) {
    let tk = out0[a]; out0[a] = out0[b]; out0[b] = tk;
    let ti = out1[a]; out1[a] = out1[b]; out1[b] = ti;
  }`,
    }));
  ctx.dispatch(
    kernel,
    new Params().u32(pairs).u32(padded).u32(k).u32(j).words(),
    [keys, idx],
    Math.ceil(pairs / WG),
  );
}

/**
 * Record sort (`values` true) or argsort of `x` along `axis` into `out`
 * (same shape; dtype of x, or int32 positions).
 */
export function sortKernel(
  ctx: KernelContext,
  dtype: DType,
  x: GPUBuffer,
  shape: readonly number[],
  axis: number,
  descending: boolean,
  values: boolean,
  out: GPUBuffer,
): void {
  const n = shape[axis];
  const pairs = sortPairs(ctx, dtype, x, shape, axis, descending);
  const size = pairs.lines * n;
  if (size > 0) {
    let inner = 1;
    for (let d = axis + 1; d < shape.length; d++) inner *= shape[d];
    const t = wgslType(dtype);
    const kernel = ctx.kernel(`sort:out:${values ? dtag(dtype) : "idx"}`, 2, 1, () =>
      shader({
        inputs: [values ? t : "u32", "u32"],
        outputs: [values ? t : "u32"],
        body: `  if (gid >= P[0]) { return; }
  let n = P[1]; let np = P[2]; let inner = P[3];
  let line = gid / n; let r = gid % n;
  let src = in1[line * np + r];
  let base = (line / inner) * n * inner + line % inner;
  out0[base + r * inner] = ${values ? "in0[base + src * inner]" : "src"};`,
      }));
    ctx.dispatch(
      kernel,
      new Params().u32(size).u32(n).u32(pairs.padded).u32(inner).words(),
      [x, pairs.idx, out],
      Math.ceil(size / WG),
    );
  }
  ctx.free(pairs.keys);
  ctx.free(pairs.idx);
}

/** Record top-k along the last axis of `x` into `values` and `indices` (`[..., k]`). */
export function topkKernel(
  ctx: KernelContext,
  dtype: DType,
  x: GPUBuffer,
  shape: readonly number[],
  k: number,
  values: GPUBuffer,
  indices: GPUBuffer,
): void {
  const axis = shape.length - 1;
  const n = shape[axis];
  const pairs = sortPairs(ctx, dtype, x, shape, axis, true);
  const size = pairs.lines * k;
  if (size > 0) {
    const t = wgslType(dtype);
    const kernel = ctx.kernel(`topk:out:${dtag(dtype)}`, 2, 2, () =>
      shader({
        inputs: [t, "u32"],
        outputs: [t, "u32"],
        body: `  if (gid >= P[0]) { return; }
  let n = P[1]; let np = P[2]; let k = P[3];
  let line = gid / k; let r = gid % k;
  let src = in1[line * np + r];
  out0[gid] = in0[line * n + src];
  out1[gid] = src;`,
      }));
    ctx.dispatch(
      kernel,
      new Params().u32(size).u32(n).u32(pairs.padded).u32(k).words(),
      [x, pairs.idx, values, indices],
      Math.ceil(size / WG),
    );
  }
  ctx.free(pairs.keys);
  ctx.free(pairs.idx);
}
