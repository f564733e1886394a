/**
 * The blas backend: the cpu backend with matmul and the factorizations routed
 * to OpenBLAS through `Deno.dlopen`.
 *
 * Storage is the cpu backend's (typed arrays), so every primitive BLAS does
 * not cover runs the cpu kernel on the very same arrays, with no copy. The
 * library is loaded lazily, by {@link createBlasBackend} only: importing this
 * module needs no permission. Every operand is validated before a pointer is
 * handed to C (see `validate.ts`).
 *
 * @module
 */

import type {
  BackendCapabilities,
  BackendMemory,
  TensorInfo,
  TriangularSolveOptions,
} from "../backend.ts";
import { CpuBackend, type CpuTensorInfo } from "../cpu/mod.ts";
import { type BlasLibrary, loadOpenBlas } from "./ffi.ts";
export type { BlasLibrary, BlasSymbols } from "./ffi.ts";
import { blasMatmul } from "./gemm.ts";
import { blasTriangularSolve } from "./trsm.ts";
import { lapackCholesky } from "./cholesky.ts";
import { lapackSvd } from "./svd.ts";
import { lapackEigh } from "./eigh.ts";
import { lapackQr } from "./qr.ts";
import { OutputPool } from "./pool.ts";

/** Options of {@link createBlasBackend}. */
export interface BlasBackendOptions {
  /**
   * The library to load (a name for the dynamic loader or a path). Default:
   * `NGC_BLAS_LIB` if set, else `libopenblas.so.0`, then `libopenblas.so`
   * (`libopenblas.dylib` on macOS).
   */
  readonly library?: string;
  /**
   * Multiply-adds per matrix (`m·n·k`) below which `matmul` runs the cpu
   * kernel instead: for batches of tiny matrices (outer products, 2×2 and 4×4
   * blocks) the ~1 µs cost of one FFI call per matrix exceeds the work.
   * Default {@link SMALL_MATMUL_WORK}; 0 sends every float matmul to BLAS.
   */
  readonly cpuMatmulBelow?: number;
}

/** Default {@link BlasBackendOptions.cpuMatmulBelow} (measured crossover, 2-core x86-64). */
export const SMALL_MATMUL_WORK = 256;

/**
 * The OpenBLAS-backed backend. Create it with {@link createBlasBackend}.
 *
 * @example
 * ```ts ignore
 * import { createBlasBackend } from "./mod.ts"; // run with --allow-ffi
 * const blas = createBlasBackend();
 * const a = blas.write(new Float32Array([1, 2, 3, 4]), [2, 2], "float32");
 * const c = blas.matmul(a, a, false, false);
 * console.log(blas.readSync(c)); // [7, 10, 15, 22]
 * ```
 */
export class BlasBackend extends CpuBackend {
  /** Registry name. */
  override readonly name: string = "blas";
  /** float64, synchronous reads, native factorizations (when LAPACK is exported). */
  override readonly capabilities: BackendCapabilities;
  /** The loaded library. */
  readonly library: BlasLibrary;
  /** Per-matrix `m·n·k` below which matmul runs the cpu kernel. */
  readonly cpuMatmulBelow: number;
  /** Freed GEMM outputs, reused by the next product of the same size. */
  readonly #pool = new OutputPool();

  /** Wrap a loaded library (use {@link createBlasBackend}). */
  constructor(library: BlasLibrary, options: BlasBackendOptions = {}) {
    super();
    this.library = library;
    const below = options.cpuMatmulBelow ?? SMALL_MATMUL_WORK;
    if (!(below >= 0)) {
      throw new RangeError(`createBlasBackend(): cpuMatmulBelow must be >= 0, got ${below}`);
    }
    this.cpuMatmulBelow = below;
    const notes = [
      `OpenBLAS ${library.path}${library.config ? ` (${library.config})` : ""}`,
      "matmul through cblas_?gemm; other primitives on the cpu kernels",
    ];
    if (!library.hasLapack) {
      notes.push("no LAPACK symbols: cholesky/svd/eigh/qr run on the cpu kernels");
    }
    this.capabilities = { float64: true, readSync: true, hostLinalg: [], notes };
  }

  /** Batched matmul through `cblas_?gemm` (float dtypes; others run the cpu kernel). */
  override matmul(
    a: TensorInfo,
    b: TensorInfo,
    transposeA: boolean,
    transposeB: boolean,
  ): TensorInfo {
    if (nonFloat(a) || nonFloat(b) || matmulWork(a, b, transposeA) < this.cpuMatmulBelow) {
      return super.matmul(a, b, transposeA, transposeB);
    }
    const r = blasMatmul(
      this.library.symbols,
      a,
      b,
      transposeA,
      transposeB,
      (dtype, size) => this.#pool.take(dtype, size),
    );
    return this.wrap(r.values, r.shape, a.dtype);
  }

  /** Release one reference; a GEMM output whose last reference goes is pooled for reuse. */
  override dispose(x: TensorInfo): void {
    const data = (x as CpuTensorInfo).id;
    const last = data.refs === 1;
    super.dispose(x);
    if (last && data.refs === 0) this.#pool.recycle(data.values);
  }

  /** Live storage, plus the bytes of freed GEMM outputs kept for reuse. */
  override memory(): BackendMemory {
    return { ...super.memory(), pooledBytes: this.#pool.bytes };
  }

  /** Triangular solve through `cblas_?trsm`. */
  override triangularSolve(
    a: TensorInfo,
    b: TensorInfo,
    options: TriangularSolveOptions,
  ): TensorInfo {
    if (nonFloat(a)) return super.triangularSolve(a, b, options);
    return this.wrap(blasTriangularSolve(this.library.symbols, a, b, options), b.shape, a.dtype);
  }

  /** Lower Cholesky factor through `?potrf` (non-SPD entries all NaN). */
  override cholesky(a: TensorInfo): TensorInfo {
    if (!this.library.hasLapack || nonFloat(a)) return super.cholesky(a);
    return this.wrap(lapackCholesky(this.library.symbols, a), a.shape, a.dtype);
  }

  /** Thin SVD through `?gesdd` (s descending). */
  override svd(a: TensorInfo): { u: TensorInfo; s: TensorInfo; vh: TensorInfo } {
    if (!this.library.hasLapack || nonFloat(a)) return super.svd(a);
    const r = lapackSvd(this.library.symbols, a);
    return {
      u: this.wrap(r.u, r.uShape, a.dtype),
      s: this.wrap(r.s, r.sShape, a.dtype),
      vh: this.wrap(r.vh, r.vhShape, a.dtype),
    };
  }

  /** Symmetric eigendecomposition through `?syevd` (ascending, vectors as columns). */
  override eigh(a: TensorInfo): { values: TensorInfo; vectors: TensorInfo } {
    if (!this.library.hasLapack || nonFloat(a)) return super.eigh(a);
    const r = lapackEigh(this.library.symbols, a);
    return {
      values: this.wrap(r.values, a.shape.slice(0, -1), a.dtype),
      vectors: this.wrap(r.vectors, a.shape, a.dtype),
    };
  }

  /** Reduced QR through `?geqrf` + `?orgqr`. */
  override qr(a: TensorInfo): { q: TensorInfo; r: TensorInfo } {
    if (!this.library.hasLapack || nonFloat(a)) return super.qr(a);
    const res = lapackQr(this.library.symbols, a);
    return { q: this.wrap(res.q, res.qShape, a.dtype), r: this.wrap(res.r, res.rShape, a.dtype) };
  }
}

/**
 * True for a well-formed reference of a non-float dtype, which the cpu kernel
 * handles; everything else (float, or malformed) goes through the blas
 * validation, which names the problem before any pointer reaches C.
 */
function nonFloat(x: TensorInfo): boolean {
  return typeof x === "object" && x !== null &&
    (x.dtype === "int32" || x.dtype === "uint32" || x.dtype === "bool");
}

/**
 * `m·n·k` of one matrix product, from well-formed shapes only (Infinity
 * otherwise, so malformed operands always meet the blas validation).
 */
function matmulWork(a: TensorInfo, b: TensorInfo, transposeA: boolean): number {
  const sa = a?.shape, sb = b?.shape;
  if (!Array.isArray(sa) || !Array.isArray(sb) || sa.length < 2 || sb.length < 2) return Infinity;
  const dims = [sa[sa.length - 2], sa[sa.length - 1], sb[sb.length - 2], sb[sb.length - 1]];
  if (!dims.every((d) => Number.isInteger(d) && d >= 0)) return Infinity;
  const k = transposeA ? dims[0] : dims[1];
  return k === 0 ? 0 : (dims[0] * dims[1] * dims[2] * dims[3]) / k;
}

/**
 * Load OpenBLAS and create the blas backend. Synchronous (the registry
 * resolves it from `getBackend()`). Throws an Error saying why when FFI is not
 * permitted ("needs --allow-ffi") or the library does not load ("OpenBLAS not
 * found (tried ...): <dlopen error>"); `"auto"` then falls back to cpu.
 *
 * @example
 * ```ts ignore
 * import { createBlasBackend } from "./mod.ts"; // run with --allow-ffi
 * const blas = createBlasBackend({ library: "libopenblas.so.0" });
 * console.log(blas.capabilities.notes);
 * ```
 */
export function createBlasBackend(options: BlasBackendOptions = {}): BlasBackend {
  return new BlasBackend(loadOpenBlas(options.library), options);
}
