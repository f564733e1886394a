/**
 * The generic broadcasting elementwise kernel behind `binary`, `select` and
 * `cast`: N inputs broadcast to one output shape. Three shape classes, each
 * its own pipeline: every input the output's shape or a scalar (flat loop),
 * or general strided broadcasting over the collapsed rank.
 *
 * @module
 */

import { sizeOf, stridesOf } from "../../backend.ts";
import { Params } from "../commands.ts";
import type { KernelContext } from "../commands.ts";
import { broadcastStrides, collapse, offsetsWgsl, shader, WG } from "./wgsl.ts";

/** One operand of {@link naryKernel}. */
export interface NaryInput {
  /** Its buffer. */
  readonly buffer: GPUBuffer;
  /** Its shape (broadcast-compatible with the output). */
  readonly shape: readonly number[];
  /** WGSL storage type. */
  readonly type: string;
}

/** What {@link naryKernel} compiles: `expr` over `v0, v1, ...` (the loaded inputs). */
export interface NarySpec {
  /** Pipeline-key prefix naming op and dtypes. */
  readonly key: string;
  /** WGSL expression of the output value in terms of `v0, v1, ...`. */
  readonly expr: string;
  /** WGSL output storage type. */
  readonly outType: string;
  /** Module-scope WGSL the expression needs. */
  readonly extra?: string;
}

/**
 * Record `out[i] = expr(inputs broadcast at i)` over `outShape`.
 *
 * @example
 * ```ts ignore
 * naryKernel(ctx, { key: "add:f", expr: "v0 + v1", outType: "f32" },
 *   [{ buffer: a, shape: [2, 3], type: "f32" }, { buffer: b, shape: [3], type: "f32" }], out, [2, 3]);
 * ```
 */
export function naryKernel(
  ctx: KernelContext,
  spec: NarySpec,
  inputs: readonly NaryInput[],
  out: GPUBuffer,
  outShape: readonly number[],
): void {
  const n = sizeOf(outShape);
  if (n === 0) return;
  const buffers = [...inputs.map((x) => x.buffer), out];
  const flat = inputs.every((x) => sizeOf(x.shape) === 1 || sizeOf(x.shape) === n);
  if (flat) {
    const cls = inputs.map((x) => (sizeOf(x.shape) === 1 && n !== 1 ? "s" : "f")).join("");
    const k = ctx.kernel(`${spec.key}:flat:${cls}`, inputs.length, 1, () =>
      shader({
        inputs: inputs.map((x) => x.type),
        outputs: [spec.outType],
        extra: spec.extra,
        body: [
          "  if (gid >= P[0]) { return; }",
          ...inputs.map((_, i) => `  let v${i} = in${i}[${cls[i] === "s" ? "0u" : "gid"}];`),
          `  out0[gid] = ${spec.expr};`,
        ].join("\n"),
      }));
    ctx.dispatch(k, new Params().u32(n).words(), buffers, Math.ceil(n / WG));
    return;
  }
  const c = collapse(
    outShape,
    [stridesOf(outShape), ...inputs.map((x) => broadcastStrides(x.shape, outShape))],
  );
  const rank = c.shape.length;
  const k = ctx.kernel(`${spec.key}:r${rank}`, inputs.length, 1, () => {
    // P: n, shape[rank], then per input strides[rank].
    const strideAt = inputs.map((_, i) => 1 + rank + i * rank);
    return shader({
      inputs: inputs.map((x) => x.type),
      outputs: [spec.outType],
      extra: spec.extra,
      body: [
        "  if (gid >= P[0]) { return; }",
        offsetsWgsl("gid", rank, 1, strideAt),
        ...inputs.map((_, i) => `  let v${i} = in${i}[o${i}];`),
        `  out0[gid] = ${spec.expr};`,
      ].join("\n"),
    });
  });
  const p = new Params().u32(n).u32s(c.shape);
  for (let i = 0; i < inputs.length; i++) p.i32s(c.strides[i + 1]);
  ctx.dispatch(k, p.words(), buffers, Math.ceil(n / WG));
}
