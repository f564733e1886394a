/**
 * Threefry-2x32 (20 rounds) elementwise over uint32 tensors, as
 * spec/conventions-random.md §4.2 writes it; the keys may be one pair for
 * every counter. Rotations are `(x << r) | (x >> (32 - r))` in u32.
 *
 * @module
 */

import { Params } from "../commands.ts";
import type { KernelContext } from "../commands.ts";
import { shader, WG } from "./wgsl.ts";

const ROT = [[13, 15, 26, 6], [17, 29, 16, 24]];

function source(): string {
  const lines = [
    "  if (gid >= P[0]) { return; }",
    "  let kj = gid * P[1];",
    "  let ks0 = in0[kj]; let ks1 = in1[kj];",
    "  let ks2 = ks0 ^ ks1 ^ 0x1BD11BDAu;",
    "  var a = in2[gid] + ks0;",
    "  var b = in3[gid] + ks1;",
  ];
  const ks = ["ks0", "ks1", "ks2"];
  for (let g = 1; g <= 5; g++) {
    for (const r of ROT[(g - 1) % 2]) {
      lines.push(`  a = a + b; b = (b << ${r}u) | (b >> ${32 - r}u); b = b ^ a;`);
    }
    lines.push(`  a = a + ${ks[g % 3]}; b = b + ${ks[(g + 1) % 3]} + ${g}u;`);
  }
  lines.push("  out0[gid] = a;", "  out1[gid] = b;");
  return shader({
    inputs: ["u32", "u32", "u32", "u32"],
    outputs: ["u32", "u32"],
    body: lines.join("\n"),
  });
}

/** Record `(y0, y1) = threefry2x32(k0, k1; x0, x1)` over `n` counters (`keyStep` 0 for one key). */
export function threefryKernel(
  ctx: KernelContext,
  k0: GPUBuffer,
  k1: GPUBuffer,
  x0: GPUBuffer,
  x1: GPUBuffer,
  y0: GPUBuffer,
  y1: GPUBuffer,
  n: number,
  keyStep: 0 | 1,
): void {
  if (n === 0) return;
  const k = ctx.kernel("threefry2x32", 4, 2, source);
  ctx.dispatch(
    k,
    new Params().u32(n).u32(keyStep).words(),
    [k0, k1, x0, x1, y0, y1],
    Math.ceil(n / WG),
  );
}
