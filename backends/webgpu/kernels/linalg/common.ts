/**
 * Pieces shared by the linear-algebra kernels: workgroup and segmented
 * reductions in WGSL, the loop budget of one dispatch, and the host-side
 * helpers that split a factorisation into dispatches that respect it.
 *
 * Why a loop budget: Mesa's llvmpipe (lavapipe, the software Vulkan driver
 * used in CI) gives every shader invocation (per SIMD vector of lanes, per
 * workgroup) at most 65535 loop iterations, counted over all its loops
 * together; past that, every loop silently runs its body once. The
 * factorisations therefore run as sequences of dispatches, each of which
 * performs at most {@link LOOP_BUDGET} loop iterations per invocation (an
 * upper bound computed on the host from the shapes), keeping their state
 * in storage buffers between dispatches. On hardware GPUs the same split
 * keeps each dispatch short.
 *
 * @module
 */

import { WG } from "../wgsl.ts";

/** Invocations per workgroup of the factorisation kernels (one workgroup per matrix). */
export const LWG = 256;

/**
 * Most loop iterations (all loops together) one invocation may run in one
 * dispatch: half of llvmpipe's hard limit of 65535, as a margin over the
 * host-side estimates.
 *
 * @example
 * ```ts
 * import { LOOP_BUDGET } from "./common.ts";
 * console.assert(LOOP_BUDGET * 2 <= 65536);
 * ```
 */
export const LOOP_BUDGET = 32768;

/** Workgroup reductions (call from uniform control flow; every invocation gets the result). */
export const WG_REDUCE_WGSL = /* wgsl */ `
var<workgroup> red_: array<f32, ${LWG}>;
var<workgroup> flag_: u32;
fn wg_sum(v: f32, lid: u32) -> f32 {
  red_[lid] = v;
  workgroupBarrier();
  for (var s = ${LWG / 2}u; s > 0u; s = s >> 1u) {
    if (lid < s) { red_[lid] = red_[lid] + red_[lid + s]; }
    workgroupBarrier();
  }
  let r = red_[0];
  workgroupBarrier();
  return r;
}
fn wg_max(v: f32, lid: u32) -> f32 {
  red_[lid] = v;
  workgroupBarrier();
  for (var s = ${LWG / 2}u; s > 0u; s = s >> 1u) {
    if (lid < s) { red_[lid] = max(red_[lid], red_[lid + s]); }
    workgroupBarrier();
  }
  let r = red_[0];
  workgroupBarrier();
  return r;
}
fn f_bad(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) >= 0x7f800000u; }
fn f_isnan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn f_nan() -> f32 { return bitcast<f32>(0x7fc00000u); }
`;

/**
 * Segmented sums over aligned groups of `seg` consecutive lanes (`seg` a
 * power of two dividing {@link LWG}, uniform): every lane gets the sum of its
 * segment. Call from uniform control flow. Costs log2(seg) loop iterations.
 * `lanes_for(items)` is the segment size for `items` items (as {@link lanesFor}).
 *
 * @example
 * ```ts
 * import { SEG_REDUCE_WGSL } from "./common.ts";
 * console.assert(SEG_REDUCE_WGSL.includes("fn seg_sum3("));
 * ```
 */
export const SEG_REDUCE_WGSL = /* wgsl */ `
var<workgroup> seg1_: array<f32, ${LWG}>;
var<workgroup> seg3_: array<vec3<f32>, ${LWG}>;
fn seg_sum(v: f32, lid: u32, seg: u32) -> f32 {
  seg1_[lid] = v;
  workgroupBarrier();
  for (var s = seg / 2u; s > 0u; s = s >> 1u) {
    if (lid % seg < s) { seg1_[lid] = seg1_[lid] + seg1_[lid + s]; }
    workgroupBarrier();
  }
  let r = seg1_[lid - lid % seg];
  workgroupBarrier();
  return r;
}
fn seg_sum3(v: vec3<f32>, lid: u32, seg: u32) -> vec3<f32> {
  seg3_[lid] = v;
  workgroupBarrier();
  for (var s = seg / 2u; s > 0u; s = s >> 1u) {
    if (lid % seg < s) { seg3_[lid] = seg3_[lid] + seg3_[lid + s]; }
    workgroupBarrier();
  }
  let r = seg3_[lid - lid % seg];
  workgroupBarrier();
  return r;
}
fn lanes_for(items: u32) -> u32 {
  return 1u << firstLeadingBit(max(${LWG}u / max(items, 1u), 1u));
}
`;

/** Barrier over storage and workgroup memory (uniform control flow only). */
export const SYNC = "storageBarrier(); workgroupBarrier();";

/**
 * Loop iterations of one workgroup reduction ({@link WG_REDUCE_WGSL}).
 *
 * @example
 * ```ts
 * import { WG_REDUCE_COST } from "./common.ts";
 * console.assert(WG_REDUCE_COST === 9);
 * ```
 */
export const WG_REDUCE_COST: number = Math.log2(LWG) + 1;

/**
 * Budget kept back per dispatch for the loops outside the counted steps
 * (the final test of the step loop, loops skipped under a mask).
 *
 * @example
 * ```ts
 * import { DISPATCH_OVERHEAD, LOOP_BUDGET } from "./common.ts";
 * console.assert(DISPATCH_OVERHEAD < LOOP_BUDGET / 100);
 * ```
 */
export const DISPATCH_OVERHEAD = 64;

/**
 * Loop iterations charged by llvmpipe for one execution of a loop that runs
 * `iterations` times (at most, over the lanes of a SIMD vector) with a body
 * costing `body`: every pass ends with one count, the exit test included,
 * and the final (masked) pass runs each of the `innerLoops` loops in the
 * body once more. An `if` costs its loops even where no lane takes it.
 *
 * @example
 * ```ts
 * import { loopCost } from "./common.ts";
 * // for (i < 5) { for (j < 5) {} }: 5·(1 + 6) + 1 + 1 = 37 (as measured on lavapipe).
 * console.assert(loopCost(5, loopCost(5, 0), 1) === 37);
 * ```
 */
export function loopCost(iterations: number, body: number, innerLoops = 0): number {
  return iterations * (1 + body) + 1 + innerLoops;
}

/**
 * Lanes per item when `items` items share the {@link LWG} lanes of a
 * workgroup: the largest power of two ≤ LWG / items, at least 1 (the same as
 * WGSL `lanes_for`).
 *
 * @example
 * ```ts
 * import { lanesFor } from "./common.ts";
 * console.assert(lanesFor(1) === 256 && lanesFor(3) === 64 && lanesFor(300) === 1);
 * ```
 */
export function lanesFor(items: number): number {
  let l = 1;
  while (l * 2 <= LWG / Math.max(items, 1)) l *= 2;
  return l;
}

/**
 * Loop iterations of the segmented pattern: `for (c0 = 0; c0 < items; c0 +=
 * LWG / seg) { loops × (strided loop over len by seg); seg_sum; extra }` with
 * seg = lanesFor(items).
 *
 * @example
 * ```ts
 * import { segmentedCost } from "./common.ts";
 * // 2 items of 1000: seg 128, one pass of 8 + 1, a 7-step reduction + 1, exits.
 * console.assert(segmentedCost(2, 1000) === 1 + 9 + 8 + 1 + 2);
 * ```
 */
export function segmentedCost(items: number, len: number, loops = 1, extra = 0): number {
  const l = lanesFor(items);
  const passes = Math.ceil(Math.max(items, 0) / (LWG / l));
  const body = loops * (Math.ceil(len / l) + 1) + Math.log2(l) + 1 + extra;
  return loopCost(passes, body, loops + 1);
}

/**
 * Split steps `0..count-1` (run in order) into consecutive ranges whose
 * summed `cost` fits {@link LOOP_BUDGET} less {@link DISPATCH_OVERHEAD}. A
 * single step over that is a RangeError naming `fn` and `what`.
 *
 * @example
 * ```ts
 * import { budgetRanges } from "./common.ts";
 * const r = budgetRanges(4, () => 20000, "f", "a 4x4 matrix");
 * console.assert(r.length === 4 && r[3][0] === 3 && r[3][1] === 4);
 * ```
 */
export function budgetRanges(
  count: number,
  cost: (step: number) => number,
  fn: string,
  what: string,
): Array<[number, number]> {
  const budget = LOOP_BUDGET - DISPATCH_OVERHEAD;
  const out: Array<[number, number]> = [];
  let start = 0, acc = 0;
  for (let i = 0; i < count; i++) {
    const c = cost(i);
    if (c > budget) throw tooLarge(fn, what, c);
    if (acc + c > budget && i > start) {
      out.push([start, i]);
      start = i;
      acc = 0;
    }
    acc += c;
  }
  if (count > start) out.push([start, count]);
  return out;
}

/**
 * How many steps of uniform cost `cost` fit one dispatch (at least 1); a
 * single step over {@link LOOP_BUDGET} less {@link DISPATCH_OVERHEAD} is a
 * RangeError naming `fn` and `what`.
 *
 * @example
 * ```ts
 * import { stepsPerDispatch } from "./common.ts";
 * console.assert(stepsPerDispatch(1000, "f", "x") === 32);
 * ```
 */
export function stepsPerDispatch(cost: number, fn: string, what: string): number {
  const budget = LOOP_BUDGET - DISPATCH_OVERHEAD;
  if (cost > budget) throw tooLarge(fn, what, cost);
  return Math.max(1, Math.floor(budget / Math.max(cost, 1)));
}

function tooLarge(fn: string, what: string, cost: number): RangeError {
  return new RangeError(
    `${fn}(): ${what} is too large for the webgpu backend (one step needs ${cost} loop ` +
      `iterations per invocation, more than the per-dispatch budget of ${LOOP_BUDGET}); ` +
      "use the cpu or blas backend",
  );
}

/**
 * Workgroups for a grid kernel over `total` invocations (one per element).
 *
 * @example
 * ```ts
 * import { gridGroups } from "./common.ts";
 * console.assert(gridGroups(257) === 2);
 * ```
 */
export function gridGroups(total: number): number {
  return Math.ceil(total / WG);
}
