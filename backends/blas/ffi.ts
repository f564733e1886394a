/**
 * The OpenBLAS symbol table and the `Deno.dlopen` that loads it.
 *
 * Nothing here runs at import time: {@link loadOpenBlas} is called by
 * `createBlasBackend()` only, so importing the blas backend never touches the
 * file system or needs `--allow-ffi`.
 *
 * BLAS goes through the CBLAS row-major entry points (`cblas_sgemm`,
 * `cblas_strsm`, ...). LAPACK goes through the Fortran symbols (`spotrf_`,
 * `sgesdd_`, ...), because Debian's OpenBLAS does not export `LAPACKE_*`:
 * every argument is a pointer (scalars travel in one-element typed arrays) and
 * each `CHARACTER` argument has a hidden length (`size_t`) appended at the end
 * of the argument list (gfortran ABI). LAPACK symbols are `optional`: a BLAS
 * build without LAPACK still loads, and its factorizations fall back to the
 * cpu kernels (said in the capability notes).
 *
 * @module
 */

/** CBLAS enum values (cblas.h). */
export const CBLAS = {
  rowMajor: 101,
  noTrans: 111,
  trans: 112,
  upper: 121,
  lower: 122,
  nonUnit: 131,
  unit: 132,
  left: 141,
  right: 142,
} as const;

/** `cblas_?gemm(order, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc)`. */
function gemm<T extends "f32" | "f64">(t: T) {
  return {
    parameters: [
      "i32",
      "i32",
      "i32",
      "i32",
      "i32",
      "i32",
      t,
      "buffer",
      "i32",
      "buffer",
      "i32",
      t,
      "buffer",
      "i32",
    ],
    result: "void",
  } as const;
}

/** `cblas_?trsm(order, side, uplo, transA, diag, M, N, alpha, A, lda, B, ldb)`. */
function trsm<T extends "f32" | "f64">(t: T) {
  return {
    parameters: [
      "i32",
      "i32",
      "i32",
      "i32",
      "i32",
      "i32",
      "i32",
      t,
      "buffer",
      "i32",
      "buffer",
      "i32",
    ],
    result: "void",
  } as const;
}

/** `?potrf_(uplo, n, a, lda, info, len(uplo))`. */
const POTRF = {
  parameters: ["buffer", "buffer", "buffer", "buffer", "buffer", "usize"],
  result: "void",
  optional: true,
} as const;

/** `?gesdd_(jobz, m, n, a, lda, s, u, ldu, vt, ldvt, work, lwork, iwork, info, len(jobz))`. */
const GESDD = {
  parameters: [
    "buffer",
    "buffer",
    "buffer",
    "buffer",
    "buffer",
    "buffer",
    "buffer",
    "buffer",
    "buffer",
    "buffer",
    "buffer",
    "buffer",
    "buffer",
    "buffer",
    "usize",
  ],
  result: "void",
  optional: true,
} as const;

/** `?syevd_(jobz, uplo, n, a, lda, w, work, lwork, iwork, liwork, info, len, len)`. */
const SYEVD = {
  parameters: [
    "buffer",
    "buffer",
    "buffer",
    "buffer",
    "buffer",
    "buffer",
    "buffer",
    "buffer",
    "buffer",
    "buffer",
    "buffer",
    "usize",
    "usize",
  ],
  result: "void",
  optional: true,
} as const;

/** `?geqrf_(m, n, a, lda, tau, work, lwork, info)`. */
const GEQRF = {
  parameters: ["buffer", "buffer", "buffer", "buffer", "buffer", "buffer", "buffer", "buffer"],
  result: "void",
  optional: true,
} as const;

/** `?orgqr_(m, n, k, a, lda, tau, work, lwork, info)`. */
const ORGQR = {
  parameters: [
    "buffer",
    "buffer",
    "buffer",
    "buffer",
    "buffer",
    "buffer",
    "buffer",
    "buffer",
    "buffer",
  ],
  result: "void",
  optional: true,
} as const;

/** Every symbol the blas backend binds. */
export const SYMBOLS = {
  cblas_sgemm: gemm("f32"),
  cblas_dgemm: gemm("f64"),
  cblas_strsm: trsm("f32"),
  cblas_dtrsm: trsm("f64"),
  spotrf_: POTRF,
  dpotrf_: POTRF,
  sgesdd_: GESDD,
  dgesdd_: GESDD,
  ssyevd_: SYEVD,
  dsyevd_: SYEVD,
  sgeqrf_: GEQRF,
  dgeqrf_: GEQRF,
  sorgqr_: ORGQR,
  dorgqr_: ORGQR,
  openblas_get_config: { parameters: [], result: "pointer", optional: true },
  openblas_get_num_threads: { parameters: [], result: "i32", optional: true },
} as const;

/** The bound OpenBLAS functions. */
export type BlasSymbols = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];

/** A loaded OpenBLAS: its symbols and what was loaded. */
export interface BlasLibrary {
  /** The bound functions (LAPACK ones may be null when the library lacks them). */
  readonly symbols: BlasSymbols;
  /** The library name that loaded. */
  readonly path: string;
  /** `openblas_get_config()` and thread count, when exported. */
  readonly config: string;
  /** Whether all LAPACK routines the backend uses are present. */
  readonly hasLapack: boolean;
  /** Unload the library (only when nothing will call it again). */
  close(): void;
}

/** Default library names to try, in order, when no name is given. */
export function defaultLibraryNames(): string[] {
  const os = (globalThis as { Deno?: { build?: { os?: string } } }).Deno?.build?.os;
  if (os === "darwin") return ["libopenblas.dylib", "libopenblas.0.dylib"];
  if (os === "windows") return ["libopenblas.dll", "openblas.dll"];
  return ["libopenblas.so.0", "libopenblas.so"];
}

/** `NGC_BLAS_LIB` when set and readable without a permission prompt. */
function envLibrary(): string | undefined {
  try {
    const state = Deno.permissions.querySync({ name: "env", variable: "NGC_BLAS_LIB" }).state;
    if (state !== "granted") return undefined;
    return Deno.env.get("NGC_BLAS_LIB") || undefined;
  } catch {
    return undefined;
  }
}

/** Throw unless FFI is allowed (never triggers an interactive prompt). */
function checkFfiPermission(): void {
  if (typeof Deno === "undefined" || typeof Deno.dlopen !== "function") {
    throw new Error("createBlasBackend(): the blas backend needs Deno.dlopen (run under Deno)");
  }
  let state = "granted";
  try {
    state = Deno.permissions.querySync({ name: "ffi" }).state;
  } catch {
    // permissions API unavailable: let dlopen report
  }
  if (state !== "granted") {
    throw new Error(
      "createBlasBackend(): OpenBLAS needs --allow-ffi (FFI permission is " + state + ")",
    );
  }
}

const LAPACK_NAMES = [
  "spotrf_",
  "dpotrf_",
  "sgesdd_",
  "dgesdd_",
  "ssyevd_",
  "dsyevd_",
  "sgeqrf_",
  "dgeqrf_",
  "sorgqr_",
  "dorgqr_",
] as const;

function describe(lib: Deno.DynamicLibrary<typeof SYMBOLS>): string {
  const parts: string[] = [];
  const cfg = lib.symbols.openblas_get_config;
  if (cfg) {
    const p = cfg();
    if (p) parts.push(new Deno.UnsafePointerView(p).getCString().trim());
  }
  const threads = lib.symbols.openblas_get_num_threads;
  if (threads) parts.push(`${threads()} threads`);
  return parts.join(", ");
}

/**
 * Load OpenBLAS. `library` (else `NGC_BLAS_LIB`) names the only library to
 * try; otherwise {@link defaultLibraryNames} are tried in order. Throws an
 * Error that says why when FFI is not permitted or nothing loads.
 *
 * @example
 * ```ts ignore
 * import { loadOpenBlas } from "./ffi.ts";
 * const lib = loadOpenBlas(); // needs --allow-ffi
 * console.log(lib.path, lib.config);
 * ```
 */
export function loadOpenBlas(library?: string): BlasLibrary {
  checkFfiPermission();
  const wanted = library ?? envLibrary();
  const names = wanted ? [wanted] : defaultLibraryNames();
  const errors: string[] = [];
  for (const name of names) {
    let lib: Deno.DynamicLibrary<typeof SYMBOLS>;
    try {
      lib = Deno.dlopen(name, SYMBOLS);
    } catch (e) {
      if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) {
        throw new Error(
          `createBlasBackend(): OpenBLAS needs --allow-ffi (${(e as Error).message})`,
        );
      }
      errors.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    const hasLapack = LAPACK_NAMES.every((s) => lib.symbols[s] !== null);
    return {
      symbols: lib.symbols,
      path: name,
      config: describe(lib),
      hasLapack,
      close: () => lib.close(),
    };
  }
  throw new Error(
    `createBlasBackend(): OpenBLAS not found (tried ${names.join(", ")}): ${errors.join("; ")}`,
  );
}
