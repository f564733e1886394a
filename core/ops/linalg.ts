/**
 * Linear algebra (`jnp.linalg` and friends): the public entry of the
 * linear-algebra ops, re-exported from one file per job:
 * - `matmul.ts`: `matmul`, `dot`, `outer`, `trace`;
 * - `einsum.ts`: `einsum` (one or two operands);
 * - `decomp.ts`: `cholesky`, `triangularSolve`, `svd`, `eigh`, `qr`;
 * - `solve.ts`: `pinv`, `slogdet`, `det`, `solve`, `inv`;
 * - `conv.ts`: `conv2d`.
 *
 * @module
 */

export { dot, matmul, type MatmulOptions, outer, trace, type TraceOptions } from "./matmul.ts";
export { einsum } from "./einsum.ts";
export {
  cholesky,
  type CholeskyOptions,
  eigh,
  type EighOptions,
  type EighResult,
  qr,
  type QrOptions,
  type QrResult,
  svd,
  type SvdOptions,
  type SvdResult,
  triangularSolve,
  type TriangularSolveOpts,
} from "./decomp.ts";
export { det, inv, pinv, type PinvOptions, slogdet, type SlogdetResult, solve } from "./solve.ts";
export { conv2d, type Conv2dOpts, type ExplicitPadding, resolvePadding } from "./conv.ts";
