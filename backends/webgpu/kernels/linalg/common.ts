/**
 * WGSL pieces shared by the linear-algebra kernels, which run one workgroup
 * of {@link LWG} invocations per matrix: workgroup sum/max reductions and a
 * uniform flag.
 *
 * @module
 */

/** Invocations per workgroup of the factorisation kernels. */
export const LWG = 256;

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

/** Barrier over storage and workgroup memory (uniform control flow only). */
export const SYNC = "storageBarrier(); workgroupBarrier();";
