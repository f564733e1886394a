/**
 * Reductions over any set of axes: sum, prod, max, min (NaN-propagating),
 * any, all, and argmax/argmin (first index wins ties; NaN counts as the
 * extreme, first NaN wins). Kept and reduced axes are collapsed separately;
 * small reductions run one invocation per output, larger ones one workgroup
 * per output (tree in workgroup memory), and very long ones split into
 * chunks whose partial results a second pass combines. A workgroup reduces
 * at most {@link SPAN} elements (1024 loop passes per invocation), far
 * within llvmpipe's per-invocation loop limit (see `budget.ts`).
 *
 * @module
 */

import { type DType, type ReduceOp, sizeOf, stridesOf } from "../../backend.ts";
import { Params } from "../commands.ts";
import type { KernelContext } from "../commands.ts";
import { collapse, dtag, offsetsWgsl, shader, wgslType } from "./wgsl.ts";

const RWG = 256;
/** Reduced length per chunk in the first pass of a split reduction. */
const CHUNK = 4096;
/** Most reduced elements one workgroup covers (longer reductions are split). */
const SPAN = RWG * 1024;

function identity(op: ReduceOp, dtype: DType): string {
  const t = wgslType(dtype);
  switch (op) {
    case "sum":
    case "any":
      return `${t}(0)`;
    case "prod":
    case "all":
      return `${t}(1)`;
    case "max":
    case "argmax":
      return t === "f32" ? "-m_inf()" : t === "i32" ? "i32(-2147483648)" : "0u";
    case "min":
    case "argmin":
      return t === "f32" ? "m_inf()" : t === "i32" ? "2147483647" : "0xffffffffu";
  }
}

/** WGSL of `fn comb(a, b) -> T` (plain ops) or `fn better(va, ia, vb, ib) -> bool` (arg ops). */
function combineWgsl(op: ReduceOp, dtype: DType): string {
  const t = wgslType(dtype);
  const f = t === "f32";
  const z = f ? "0.0" : `${t}(0)`;
  let body: string;
  switch (op) {
    case "sum":
      body = dtype === "bool" ? "max(a, b)" : "a + b";
      break;
    case "prod":
      body = dtype === "bool" ? "min(a, b)" : "a * b";
      break;
    case "max":
      body = f ? "m_max(a, b)" : "max(a, b)";
      break;
    case "min":
      body = f ? "m_min(a, b)" : "min(a, b)";
      break;
    case "any":
      body = `${t}(!(a == ${z}) || !(b == ${z}))`;
      break;
    case "all":
      body = `${t}(!(a == ${z}) && !(b == ${z}))`;
      break;
    default: {
      const cmp = op === "argmax" ? ">" : "<";
      const nan = f
        ? `  if (m_isnan(vb)) { return !m_isnan(va) || ib < ia; }
  if (m_isnan(va)) { return false; }`
        : "";
      return `fn better(va: ${t}, ia: u32, vb: ${t}, ib: u32) -> bool {
  if (ib == 0xffffffffu) { return false; }
  if (ia == 0xffffffffu) { return true; }
${nan}
  if (vb ${cmp} va) { return true; }
  return vb == va && ib < ia;
}`;
    }
  }
  return `fn comb(a: ${t}, b: ${t}) -> ${t} { return ${body}; }`;
}

interface Geometry {
  readonly outSize: number;
  readonly redSize: number;
  readonly keptShape: number[];
  readonly keptStrides: number[];
  readonly redShape: number[];
  readonly redStrides: number[];
}

function geometry(shape: readonly number[], axes: readonly number[]): Geometry {
  const strides = stridesOf(shape);
  const kS: number[] = [], kT: number[] = [], rS: number[] = [], rT: number[] = [];
  for (let d = 0; d < shape.length; d++) {
    if (axes.includes(d)) {
      rS.push(shape[d]);
      rT.push(strides[d]);
    } else {
      kS.push(shape[d]);
      kT.push(strides[d]);
    }
  }
  const k = collapse(kS, [kT]);
  const r = collapse(rS, [rT]);
  return {
    outSize: sizeOf(kS),
    redSize: sizeOf(rS),
    keptShape: k.shape,
    keptStrides: k.strides[0],
    redShape: r.shape,
    redStrides: r.strides[0],
  };
}

/**
 * The reduction shader. Params: outSize, redSize, groupsPerOut, chunk,
 * keptShape[kr], keptStrides[kr], redShape[rr], redStrides[rr].
 * `perWorkgroup`: one workgroup per (output, chunk), else one invocation per output.
 * `idxIn`: arg ops read candidate indices from a second input (second pass).
 */
function reduceSource(
  op: ReduceOp,
  dtype: DType,
  kr: number,
  rr: number,
  perWorkgroup: boolean,
  idxIn: boolean,
): string {
  const t = wgslType(dtype);
  const arg = op === "argmax" || op === "argmin";
  const kShape = 4, kStr = 4 + kr, rShape = 4 + 2 * kr, rStr = 4 + 2 * kr + rr;
  const inputs = idxIn ? [t, "u32"] : [t];
  const outputs = arg ? [t, "u32"] : [t];
  const keptOff = offsetsWgsl("o_", kr, kShape, [kStr], ["base_"]);
  const redOff = offsetsWgsl("r_", rr, rShape, [rStr], ["off_"]);
  const load = [
    "{",
    redOff,
    "  let v_ = in0[u32(base_ + off_)];",
    arg
      ? `  let i_ = ${idxIn ? "in1[u32(base_ + off_)]" : "r_"};
  if (better(acc, accI, v_, i_)) { acc = v_; accI = i_; }`
      : "  acc = comb(acc, v_);",
    "}",
  ].join("\n");
  const extra = [combineWgsl(op, dtype)];
  let body: string;
  if (!perWorkgroup) {
    body = `  let o_ = gid;
  if (o_ >= P[0]) { return; }
${keptOff}
  var acc: ${t} = ${identity(op, dtype)};
  var accI: u32 = 0xffffffffu;
  for (var r_: u32 = 0u; r_ < P[1]; r_++) ${load}
  out0[o_] = acc;
  ${arg ? "out1[o_] = accI;" : ""}`;
  } else {
    extra.push(`var<workgroup> shV: array<${t}, ${RWG}>;`);
    if (arg) extra.push(`var<workgroup> shI: array<u32, ${RWG}>;`);
    const tree = arg
      ? `if (better(shV[lid], shI[lid], shV[lid + s], shI[lid + s])) {
        shV[lid] = shV[lid + s]; shI[lid] = shI[lid + s]; }`
      : "shV[lid] = comb(shV[lid], shV[lid + s]);";
    body = `  let g_ = P[2];
  let o_ = wgid / g_;
  let c_ = wgid % g_;
  let live = o_ < P[0];
  var acc: ${t} = ${identity(op, dtype)};
  var accI: u32 = 0xffffffffu;
  if (live) {
${keptOff}
    let lo = c_ * P[3];
    let hi = min(lo + P[3], P[1]);
    for (var r_: u32 = lo + lid; r_ < hi; r_ += ${RWG}u) ${load}
  }
  shV[lid] = acc;
  ${arg ? "shI[lid] = accI;" : ""}
  workgroupBarrier();
  for (var s: u32 = ${RWG / 2}u; s > 0u; s = s >> 1u) {
    if (lid < s) { ${tree} }
    workgroupBarrier();
  }
  if (live && lid == 0u) {
    out0[wgid] = shV[0];
    ${arg ? "out1[wgid] = shI[0];" : ""}
  }`;
  }
  return shader({ inputs, outputs, extra: extra.join("\n"), body, wg: perWorkgroup ? RWG : 256 });
}

function params(g: Geometry, groupsPerOut: number, chunk: number): Uint32Array {
  return new Params()
    .u32(g.outSize)
    .u32(g.redSize)
    .u32(groupsPerOut)
    .u32(chunk)
    .u32s(g.keptShape)
    .i32s(g.keptStrides)
    .u32s(g.redShape)
    .i32s(g.redStrides)
    .words();
}

function run(
  ctx: KernelContext,
  op: ReduceOp,
  dtype: DType,
  g: Geometry,
  inputs: GPUBuffer[],
  outputs: GPUBuffer[],
  groupsPerOut: number,
  chunk: number,
  perWorkgroup: boolean,
): void {
  const kr = g.keptShape.length, rr = g.redShape.length;
  const idxIn = inputs.length === 2;
  const key = `reduce:${op}:${dtag(dtype)}:${perWorkgroup ? "wg" : "th"}:${kr}:${rr}:${+idxIn}`;
  const k = ctx.kernel(
    key,
    inputs.length,
    outputs.length,
    () => reduceSource(op, dtype, kr, rr, perWorkgroup, idxIn),
  );
  const groups = perWorkgroup ? g.outSize * groupsPerOut : Math.ceil(g.outSize / 256);
  ctx.dispatch(k, params(g, groupsPerOut, chunk), [...inputs, ...outputs], groups);
}

/**
 * Record a reduction of `x` (contiguous, `shape`) over `axes` into `out`
 * (the op's dtype: input dtype, or int32 indices for argmax/argmin).
 */
export function reduceKernel(
  ctx: KernelContext,
  op: ReduceOp,
  dtype: DType,
  x: GPUBuffer,
  shape: readonly number[],
  axes: readonly number[],
  out: GPUBuffer,
): void {
  const g = geometry(shape, axes);
  if (g.outSize === 0) return;
  const arg = op === "argmax" || op === "argmin";
  const small = g.redSize <= 64 || (g.outSize >= 8192 && g.redSize <= 1024);
  if (small) {
    if (arg) {
      const vals = ctx.alloc(g.outSize * 4);
      run(ctx, op, dtype, g, [x], [vals, out], 1, g.redSize, false);
      ctx.free(vals);
    } else {
      run(ctx, op, dtype, g, [x], [out], 1, g.redSize, false);
    }
    return;
  }
  const groupsPerOut = Math.max(
    g.outSize < 64 && g.redSize > 4 * CHUNK ? Math.min(1024, Math.ceil(g.redSize / CHUNK)) : 1,
    Math.ceil(g.redSize / SPAN),
  );
  const chunk = Math.ceil(g.redSize / groupsPerOut);
  if (groupsPerOut === 1) {
    if (arg) {
      const vals = ctx.alloc(g.outSize * 4);
      run(ctx, op, dtype, g, [x], [vals, out], 1, chunk, true);
      ctx.free(vals);
    } else {
      run(ctx, op, dtype, g, [x], [out], 1, chunk, true);
    }
    return;
  }
  // Split: partials [outSize, groupsPerOut], then reduce the last axis.
  const partial = g.outSize * groupsPerOut;
  const pv = ctx.alloc(partial * 4);
  const second: Geometry = {
    outSize: g.outSize,
    redSize: groupsPerOut,
    keptShape: [g.outSize],
    keptStrides: [groupsPerOut],
    redShape: [groupsPerOut],
    redStrides: [1],
  };
  if (arg) {
    const pi = ctx.alloc(partial * 4);
    run(ctx, op, dtype, g, [x], [pv, pi], groupsPerOut, chunk, true);
    const vals = ctx.alloc(g.outSize * 4);
    run(ctx, op, dtype, second, [pv, pi], [vals, out], 1, groupsPerOut, true);
    ctx.free(pi);
    ctx.free(vals);
  } else {
    run(ctx, op, dtype, g, [x], [pv], groupsPerOut, chunk, true);
    run(ctx, op, dtype, second, [pv], [out], 1, groupsPerOut, true);
  }
  ctx.free(pv);
}
