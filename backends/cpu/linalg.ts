/**
 * Linear-algebra kernels of the cpu backend (pure TypeScript, float32 and
 * float64, batched over leading dims; float64 work buffers). One file per
 * factorisation under `linalg/`.
 *
 * @module
 */

export { choleskyKernel } from "./linalg/cholesky.ts";
export { triangularSolveKernel } from "./linalg/triangular.ts";
export { svdKernel, type SvdResult } from "./linalg/svd.ts";
export { eighKernel, type EighResult } from "./linalg/eigh.ts";
export { qrKernel, type QrResult } from "./linalg/qr.ts";
export type { FloatArray } from "./linalg/common.ts";
