/**
 * Shared setup of the blas backend tests: create the backend once, or say why
 * it is unavailable. Tests are ignored (skipped) when OpenBLAS cannot load,
 * unless `NGC_REQUIRE_BACKENDS` lists "blas", in which case importing this
 * module throws and every blas test file fails.
 *
 * @module
 */

import type { DType, TensorInfo } from "../../../backends/backend.ts";
import { type BlasBackend, createBlasBackend } from "../../../backends/blas/mod.ts";
import { CpuBackend } from "../../../backends/cpu/mod.ts";

function required(): boolean {
  try {
    const perm = Deno.permissions.querySync({ name: "env", variable: "NGC_REQUIRE_BACKENDS" });
    if (perm.state !== "granted") return false;
    return (Deno.env.get("NGC_REQUIRE_BACKENDS") ?? "").split(/[\s,]+/).includes("blas");
  } catch {
    return false;
  }
}

function create(): { backend: BlasBackend | null; reason: string } {
  try {
    // Every float matmul through BLAS (no small-matmul cpu shortcut), so edge shapes hit C.
    return { backend: createBlasBackend({ cpuMatmulBelow: 0 }), reason: "" };
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    if (required()) throw new Error(`NGC_REQUIRE_BACKENDS includes "blas" but: ${reason}`);
    console.warn(`blas tests skipped: ${reason}`);
    return { backend: null, reason };
  }
}

const made = create();

/** The blas backend, or null when OpenBLAS is unavailable. */
export const blasOrNull: BlasBackend | null = made.backend;
/** Why the blas backend is unavailable ("" when it is available). */
export const unavailableReason: string = made.reason;
/** Pass as `ignore` to skip a test when OpenBLAS is unavailable. */
export const skipBlas: boolean = made.backend === null;
/** The reference backend. */
export const cpu: CpuBackend = new CpuBackend();

/** The blas backend; only call inside tests that are skipped without it. */
export function blas(): BlasBackend {
  if (!blasOrNull) throw new Error(`blas backend unavailable: ${unavailableReason}`);
  return blasOrNull;
}

/** Write float values (given as float64) to a backend as `dtype`. */
export function put(
  backend: CpuBackend,
  values: ArrayLike<number>,
  shape: readonly number[],
  dtype: DType,
): TensorInfo {
  const typed = dtype === "float64" ? Float64Array.from(values) : Float32Array.from(values);
  return backend.write(typed, shape, dtype);
}

/** Read a tensor as plain numbers and dispose it. */
export function take(backend: CpuBackend, x: TensorInfo): number[] {
  const out = Array.from(backend.readSync(x) as Float32Array | Float64Array);
  backend.dispose(x);
  return out;
}

/** Tolerances per float dtype for comparing blas with cpu. */
export function tol(dtype: DType, scale = 1): { rtol: number; atol: number } {
  return dtype === "float64"
    ? { rtol: 1e-10, atol: 1e-11 * scale }
    : { rtol: 2e-4, atol: 2e-5 * scale };
}
