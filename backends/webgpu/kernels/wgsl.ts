/**
 * WGSL assembly helpers shared by the kernels: storage types per dtype, the
 * binding header of the kernel convention, the flat invocation index, and
 * index arithmetic over collapsed shapes.
 *
 * @module
 */

import type { DType } from "../../backend.ts";
import { mathFor } from "./math.ts";

/** Invocations per workgroup of the elementwise-style kernels. */
export const WG = 256;

/** WGSL storage element type of a dtype (bool is stored as u32 0/1). */
export function wgslType(dtype: DType): "f32" | "i32" | "u32" {
  switch (dtype) {
    case "float32":
      return "f32";
    case "int32":
      return "i32";
    case "uint32":
    case "bool":
      return "u32";
    case "float64":
      throw new TypeError("webgpu(): float64 is not supported on the webgpu backend");
  }
}

/** Short dtype tag for pipeline keys. */
export function dtag(dtype: DType): string {
  return dtype === "float32" ? "f" : dtype === "int32" ? "i" : dtype === "uint32" ? "u" : "b";
}

/** Options of {@link shader}. */
export interface ShaderSpec {
  /** WGSL element types of the read-only inputs (binding 1..). */
  readonly inputs: readonly string[];
  /** WGSL element types of the read-write outputs (after the inputs). */
  readonly outputs: readonly string[];
  /** Body of `main`; `gid` (flat invocation index), `lid`, `wgid` (flat workgroup index) are in scope. */
  readonly body: string;
  /** Module-scope declarations (functions, constants, workgroup arrays). */
  readonly extra?: string;
  /** Workgroup size (1-D); default {@link WG}. */
  readonly wg?: number;
}

/**
 * A complete compute shader following the binding convention: `P` is the
 * `array<u32>` parameter block, inputs are `in0, in1, ...`, outputs `out0, ...`.
 * The `m_*` math functions the body or extra code call are included.
 *
 * @example
 * ```ts
 * import { shader } from "./wgsl.ts";
 * const src = shader({ inputs: ["f32"], outputs: ["f32"], body: "out0[gid] = in0[gid];" });
 * console.assert(src.includes("var<storage, read_write> out0: array<f32>"));
 * ```
 */
export function shader(spec: ShaderSpec): string {
  const wg = spec.wg ?? WG;
  const lines = ["@group(0) @binding(0) var<storage, read> P: array<u32>;"];
  spec.inputs.forEach((t, i) => {
    lines.push(`@group(0) @binding(${i + 1}) var<storage, read> in${i}: array<${t}>;`);
  });
  spec.outputs.forEach((t, i) => {
    lines.push(
      `@group(0) @binding(${
        spec.inputs.length + i + 1
      }) var<storage, read_write> out${i}: array<${t}>;`,
    );
  });
  lines.push(
    mathFor((spec.extra ?? "") + spec.body),
    spec.extra ?? "",
    `@compute @workgroup_size(${wg})`,
    "fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,",
    "        @builtin(local_invocation_index) lid: u32) {",
    "  let wgid = wid.y * nwg.x + wid.x;",
    `  let gid = wgid * ${wg}u + lid;`,
    spec.body,
    "}",
  );
  return lines.join("\n");
}

/**
 * Merge adjacent axes that are contiguous in every operand (strides given in
 * elements, 0 for broadcast), dropping size-1 axes. Returns the collapsed
 * shape and per-operand strides (at least one axis).
 *
 * @example
 * ```ts
 * import { collapse } from "./wgsl.ts";
 * const r = collapse([2, 3, 4], [[12, 4, 1], [0, 4, 1]]);
 * console.assert(r.shape.join() === "2,12" && r.strides[1].join() === "0,1");
 * ```
 */
export function collapse(
  shape: readonly number[],
  strides: readonly (readonly number[])[],
): { shape: number[]; strides: number[][] } {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = outShape.length - 1;
    if (
      last >= 0 &&
      strides.every((s, k) => outStrides[k][last] === s[d] * shape[d])
    ) {
      outShape[last] *= shape[d];
      strides.forEach((s, k) => (outStrides[k][last] = s[d]));
    } else {
      outShape.push(shape[d]);
      strides.forEach((s, k) => outStrides[k].push(s[d]));
    }
  }
  if (outShape.length === 0) {
    outShape.push(1);
    outStrides.forEach((s) => s.push(0));
  }
  return { shape: outShape, strides: outStrides };
}

/** Strides of `inShape` as seen from the broadcast `outShape` (0 on broadcast axes). */
export function broadcastStrides(
  inShape: readonly number[],
  outShape: readonly number[],
): number[] {
  const r = outShape.length;
  const off = r - inShape.length;
  const out = new Array<number>(r).fill(0);
  let acc = 1;
  for (let i = inShape.length - 1; i >= 0; i--) {
    out[i + off] = inShape[i] === 1 && outShape[i + off] !== 1 ? 0 : acc;
    acc *= inShape[i];
  }
  return out;
}

/**
 * WGSL that decomposes the flat index `flat` over a shape held in `P` at word
 * `shapeAt` (rank `rank`) and accumulates, for each operand k, the offset
 * `names[k]` (default `o<k>`, declared `var ...: i32` by the snippet) using
 * strides at `P[strideAt[k] ..]` (signed). Declares `rem_` in the current scope.
 *
 * @example
 * ```ts
 * import { offsetsWgsl } from "./wgsl.ts";
 * console.assert(offsetsWgsl("gid", 2, 1, [3]).includes("var o0: i32 = 0;"));
 * ```
 */
export function offsetsWgsl(
  flat: string,
  rank: number,
  shapeAt: number,
  strideAt: readonly number[],
  names?: readonly string[],
): string {
  const nm = (k: number) => names?.[k] ?? `o${k}`;
  const lines = [`var rem_ = ${flat};`];
  strideAt.forEach((_, k) => lines.push(`var ${nm(k)}: i32 = 0;`));
  for (let d = rank - 1; d >= 0; d--) {
    lines.push(
      `{ let dim_ = P[${shapeAt + d}u]; let c_ = i32(rem_ % dim_); rem_ = rem_ / dim_;`,
    );
    strideAt.forEach((s, k) => lines.push(`  ${nm(k)} += c_ * bitcast<i32>(P[${s + d}u]);`));
    lines.push("}");
  }
  return lines.join("\n");
}
