/**
 * The Backend interface: the small set of primitives every compute backend
 * (cpu, webgpu, blas) implements. Everything else in ngc-utils is composed from
 * these in `core/ops`, so it runs on every backend.
 *
 * Contract (read before implementing a backend):
 * - A backend stores tensors behind opaque {@link DataId} handles. Every
 *   {@link TensorInfo} a kernel returns is an independent reference that the
 *   caller disposes exactly once with {@link Backend.dispose} (a backend may
 *   share storage between references, e.g. for `reshape`, and refcount it).
 * - Kernels never dispose or mutate their inputs.
 * - Shapes passed to kernels are already validated by `core/ops` (dtype
 *   agreement, axis ranges, broadcast compatibility); a backend still validates
 *   anything that would crash it (the blas backend validates before FFI).
 * - Binary arithmetic ops take two inputs of the same dtype; `core/ops` promotes
 *   first. Comparisons and logical ops return `bool`.
 * - float32 results are rounded to float32 (a Float32Array store does this).
 *
 * @module
 */

/** Element types. `float64` only where {@link BackendCapabilities.float64}. */
export type DType = "float32" | "float64" | "int32" | "uint32" | "bool";

/** The typed array that holds each dtype on the host. */
export type TypedArray =
  | Float32Array
  | Float64Array
  | Int32Array
  | Uint32Array
  | Uint8Array;

/** An opaque handle to backend-owned storage. */
export type DataId = object;

/** A backend tensor reference: storage handle plus shape and dtype. */
export interface TensorInfo {
  /** Opaque storage handle owned by the backend. */
  readonly id: DataId;
  /** Row-major shape; `[]` is a scalar. */
  readonly shape: readonly number[];
  /** Element type. */
  readonly dtype: DType;
}

/**
 * Elementwise unary op codes.
 * - `round` rounds half to even (NumPy/JAX); `sign` gives -1/0/1 (NaN stays NaN).
 * - `erfinv` on float32 is XLA's Giles approximation (see
 *   spec/conventions-random.md §4.4) so `normal` matches JAX.
 * - `logicalNot` takes bool; `isnan`/`isinf`/`isfinite` return bool.
 * - `bitsToUnit` maps uint32 bits to float32 in [0, 1):
 *   `bitcast_f32((b >>> 9) | 0x3F800000) - 1` (JAX's uniform).
 * - `bitwiseNot` takes int32/uint32.
 */
export type UnaryOp =
  | "neg"
  | "abs"
  | "exp"
  | "expm1"
  | "log"
  | "log1p"
  | "log2"
  | "sqrt"
  | "rsqrt"
  | "square"
  | "reciprocal"
  | "sin"
  | "cos"
  | "tan"
  | "asin"
  | "acos"
  | "atan"
  | "sinh"
  | "cosh"
  | "tanh"
  | "asinh"
  | "acosh"
  | "atanh"
  | "sigmoid"
  | "erf"
  | "erfinv"
  | "floor"
  | "ceil"
  | "round"
  | "trunc"
  | "sign"
  | "logicalNot"
  | "isnan"
  | "isinf"
  | "isfinite"
  | "bitsToUnit"
  | "bitwiseNot";

/** All unary op codes, for tests and backends that enumerate them. */
export const UNARY_OPS: readonly UnaryOp[] = [
  "neg",
  "abs",
  "exp",
  "expm1",
  "log",
  "log1p",
  "log2",
  "sqrt",
  "rsqrt",
  "square",
  "reciprocal",
  "sin",
  "cos",
  "tan",
  "asin",
  "acos",
  "atan",
  "sinh",
  "cosh",
  "tanh",
  "asinh",
  "acosh",
  "atanh",
  "sigmoid",
  "erf",
  "erfinv",
  "floor",
  "ceil",
  "round",
  "trunc",
  "sign",
  "logicalNot",
  "isnan",
  "isinf",
  "isfinite",
  "bitsToUnit",
  "bitwiseNot",
];

/**
 * Elementwise binary op codes, NumPy broadcasting.
 * - `div` is true division and is only called on float dtypes (`core/ops`
 *   casts integers to float first, as NumPy's `/`).
 * - `floorDiv` and `mod` follow Python/NumPy (floor division; result of `mod`
 *   has the sign of the divisor). On int32, division by zero gives 0.
 * - `pow` on floats follows C `pow` as JAX does (`pow(1, NaN) = 1`).
 * - comparisons return bool; `logical*` take bool.
 * - `shiftLeft`/`shiftRight` on uint32 are logical; on int32 `shiftRight` is
 *   arithmetic. Shift counts are taken mod 32 and may be int32 or uint32
 *   whatever the shifted dtype (the one exception to "same dtype").
 */
export type BinaryOp =
  | "add"
  | "sub"
  | "mul"
  | "div"
  | "floorDiv"
  | "mod"
  | "pow"
  | "maximum"
  | "minimum"
  | "atan2"
  | "equal"
  | "notEqual"
  | "less"
  | "lessEqual"
  | "greater"
  | "greaterEqual"
  | "logicalAnd"
  | "logicalOr"
  | "logicalXor"
  | "bitwiseAnd"
  | "bitwiseOr"
  | "bitwiseXor"
  | "shiftLeft"
  | "shiftRight";

/** All binary op codes. */
export const BINARY_OPS: readonly BinaryOp[] = [
  "add",
  "sub",
  "mul",
  "div",
  "floorDiv",
  "mod",
  "pow",
  "maximum",
  "minimum",
  "atan2",
  "equal",
  "notEqual",
  "less",
  "lessEqual",
  "greater",
  "greaterEqual",
  "logicalAnd",
  "logicalOr",
  "logicalXor",
  "bitwiseAnd",
  "bitwiseOr",
  "bitwiseXor",
  "shiftLeft",
  "shiftRight",
];

/** Binary ops whose result is bool. */
export const COMPARISON_OPS: ReadonlySet<BinaryOp> = new Set<BinaryOp>([
  "equal",
  "notEqual",
  "less",
  "lessEqual",
  "greater",
  "greaterEqual",
  "logicalAnd",
  "logicalOr",
  "logicalXor",
]);

/**
 * Reductions. `sum`/`prod` keep the input dtype (bool sums are cast to int32
 * by `core/ops` first); `max`/`min` propagate NaN (as JAX); `argmax`/`argmin`
 * reduce exactly one axis, return int32, first index wins ties, and treat NaN
 * as the maximum/minimum (first NaN wins, as NumPy); `any`/`all` take bool.
 */
export type ReduceOp =
  | "sum"
  | "prod"
  | "max"
  | "min"
  | "argmax"
  | "argmin"
  | "any"
  | "all";

/** Padding modes of {@link Backend.pad}, NumPy names. */
export type PadMode = "constant" | "edge" | "reflect";

/** What a backend can do; `core/ops` checks it and throws a clear error. */
export interface BackendCapabilities {
  /** float64 tensors supported. */
  readonly float64: boolean;
  /** `readSync` works (cpu, blas); webgpu reads only asynchronously. */
  readonly readSync: boolean;
  /**
   * Linear-algebra factorizations that run on the host by an explicit
   * download-compute-upload path (empty when all run natively).
   */
  readonly hostLinalg: readonly string[];
  /** Free-form notes for the capability report. */
  readonly notes?: readonly string[];
}

/** Live storage accounting of a backend. */
export interface BackendMemory {
  /** Live storage references (not counting pooled free buffers). */
  readonly buffers: number;
  /** Bytes held by live references. */
  readonly bytes: number;
  /** Bytes held in a reuse pool, if the backend pools (webgpu). */
  readonly pooledBytes?: number;
}

/** Options of {@link Backend.conv2d}: NCHW input, OIHW weights (O, I/groups, kh, kw). */
export interface Conv2dOptions {
  /** [strideH, strideW]. */
  readonly strides: readonly [number, number];
  /** Explicit zero padding [[top, bottom], [left, right]]. */
  readonly padding: readonly [readonly [number, number], readonly [number, number]];
  /** [dilationH, dilationW]. */
  readonly dilations: readonly [number, number];
  /** Feature groups (C_in and C_out divisible by it; depthwise = C_in). */
  readonly groups: number;
}

/** Options of {@link Backend.triangularSolve}. */
export interface TriangularSolveOptions {
  /** `a` is lower triangular (else upper). */
  readonly lower: boolean;
  /** Solve `a x = b` (true) or `x a = b` (false). */
  readonly leftSide: boolean;
  /** Use `aᵀ` instead of `a`. */
  readonly transposeA: boolean;
  /** Assume ones on the diagonal of `a`. */
  readonly unitDiagonal: boolean;
}

/**
 * A compute backend. All kernels are synchronous enqueue operations; only
 * {@link Backend.read} is asynchronous.
 */
export interface Backend {
  /** Registry name: "cpu", "webgpu", "blas". */
  readonly name: string;
  /** What this backend supports. */
  readonly capabilities: BackendCapabilities;

  // ---- data ----
  /** Copy host values into new storage. `values.length` equals the shape's size. */
  write(values: TypedArray, shape: readonly number[], dtype: DType): TensorInfo;
  /** A tensor of `shape` filled with `value` (bool: 0/1). */
  fill(shape: readonly number[], value: number, dtype: DType): TensorInfo;
  /** Read values (a fresh host copy the caller may keep). */
  read(x: TensorInfo): Promise<TypedArray>;
  /** Synchronous read; only when `capabilities.readSync`, else throws. */
  readSync(x: TensorInfo): TypedArray;
  /** Release one reference. Disposing twice is a no-op. */
  dispose(x: TensorInfo): void;
  /** Live storage accounting. */
  memory(): BackendMemory;

  // ---- elementwise ----
  /** Unary op; the result has the input dtype except for the bool-returning ops and `bitsToUnit` (float32). */
  unary(op: UnaryOp, x: TensorInfo): TensorInfo;
  /** Binary op with NumPy broadcasting; `a.dtype === b.dtype` (shift counts excepted). */
  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo): TensorInfo;
  /** `cond ? a : b` with broadcasting of all three; cond is bool, a and b share a dtype. */
  select(cond: TensorInfo, a: TensorInfo, b: TensorInfo): TensorInfo;
  /** Cast; float→int truncates toward zero (NaN→0); anything→bool is `!= 0`; uint32↔int32 reinterpret bits. */
  cast(x: TensorInfo, dtype: DType): TensorInfo;

  // ---- reductions / scans ----
  /** Reduce over `axes` (sorted, unique, non-empty); result drops those axes. argmax/argmin take one axis. */
  reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[]): TensorInfo;
  /** Cumulative sum along `axis` (optionally exclusive and/or reversed). */
  cumsum(x: TensorInfo, axis: number, exclusive: boolean, reverse: boolean): TensorInfo;

  // ---- shape and data movement ----
  /** Same data, new shape (same size). May share storage. */
  reshape(x: TensorInfo, shape: readonly number[]): TensorInfo;
  /** Permute axes: `out.shape[i] = x.shape[perm[i]]`. */
  transpose(x: TensorInfo, perm: readonly number[]): TensorInfo;
  /** Strided slice: for each axis, `begin[i] + k*strides[i]` for k < size[i] (strides may be negative). */
  slice(
    x: TensorInfo,
    begin: readonly number[],
    size: readonly number[],
    strides: readonly number[],
  ): TensorInfo;
  /** Concatenate along `axis`; all inputs share dtype and the other dims. */
  concat(xs: readonly TensorInfo[], axis: number): TensorInfo;
  /** Pad each axis by [before, after]; `value` for constant mode. */
  pad(
    x: TensorInfo,
    pads: readonly (readonly [number, number])[],
    mode: PadMode,
    value: number,
  ): TensorInfo;
  /**
   * `take` along `axis`: out.shape = x.shape[:axis] + indices.shape + x.shape[axis+1:].
   * Indices are int32; out-of-range indices are clamped (JAX), negatives too.
   */
  gather(x: TensorInfo, indices: TensorInfo, axis: number): TensorInfo;
  /**
   * `take_along_axis`: `indices` has x's rank, broadcast-compatible except on
   * `axis`; out.shape = broadcast shape with indices' size on `axis`. Clamped.
   */
  gatherAlong(x: TensorInfo, indices: TensorInfo, axis: number): TensorInfo;
  /**
   * Functional scatter: a copy of `x` with `updates` written (`set`) or added
   * (`add`) at `indices` along `axis`. `updates.shape = x.shape[:axis] +
   * indices.shape + x.shape[axis+1:]`. Out-of-range indices are dropped (JAX).
   * With `set`, duplicate indices: the last update wins.
   */
  scatter(
    x: TensorInfo,
    indices: TensorInfo,
    updates: TensorInfo,
    axis: number,
    mode: "set" | "add",
  ): TensorInfo;

  // ---- sorting ----
  /** Stable sort along `axis` (NaN last, as NumPy); descending reverses the order of keys but stays stable. */
  sort(x: TensorInfo, axis: number, descending: boolean): TensorInfo;
  /** Stable argsort along `axis` → int32. */
  argsort(x: TensorInfo, axis: number, descending: boolean): TensorInfo;
  /** Top-k along the last axis: values descending, ties → lower index first. */
  topk(x: TensorInfo, k: number): { values: TensorInfo; indices: TensorInfo };

  // ---- matrix ----
  /**
   * Batched matmul over the last two axes, batch dims broadcast. `a: [..., m, k]`
   * (or `[..., k, m]` with transposeA), `b: [..., k, n]` (or `[..., n, k]`).
   * Both inputs have rank ≥ 2 and the same float dtype.
   */
  matmul(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): TensorInfo;
  /** 2-D cross-correlation, NCHW input, OIHW weights. */
  conv2d(x: TensorInfo, w: TensorInfo, options: Conv2dOptions): TensorInfo;

  // ---- randomness ----
  /**
   * Threefry-2x32 (20 rounds) elementwise over uint32 tensors: counters
   * (x0, x1) of one shape, keys (k0, k1) of that shape or of size 1
   * (broadcast) → (y0, y1) of the counters' shape. See
   * spec/conventions-random.md §4.2.
   */
  threefry2x32(
    k0: TensorInfo,
    k1: TensorInfo,
    x0: TensorInfo,
    x1: TensorInfo,
  ): [TensorInfo, TensorInfo];

  // ---- linear algebra (batched over leading dims, float dtypes) ----
  /** Lower Cholesky factor; a non-SPD matrix yields NaNs (JAX), never throws. */
  cholesky(a: TensorInfo): TensorInfo;
  /** Solve a triangular system; `a: [..., n, n]`, `b: [..., n, m]` (left) or `[..., m, n]` (right). */
  triangularSolve(a: TensorInfo, b: TensorInfo, options: TriangularSolveOptions): TensorInfo;
  /** Thin SVD: `a: [..., m, n]` → u `[..., m, k]`, s `[..., k]` (descending), vh `[..., k, n]`, k = min(m, n). */
  svd(a: TensorInfo): { u: TensorInfo; s: TensorInfo; vh: TensorInfo };
  /** Symmetric eigendecomposition (lower triangle used): ascending values `[..., n]`, vectors as columns `[..., n, n]`. */
  eigh(a: TensorInfo): { values: TensorInfo; vectors: TensorInfo };
  /** Reduced QR: `a: [..., m, n]` → q `[..., m, k]`, r `[..., k, n]`, k = min(m, n). */
  qr(a: TensorInfo): { q: TensorInfo; r: TensorInfo };
}

/** Bytes per element of each dtype on the host. */
export const BYTES_PER_ELEMENT: Readonly<Record<DType, number>> = {
  float32: 4,
  float64: 8,
  int32: 4,
  uint32: 4,
  bool: 1,
};

/** Allocate the host typed array for `dtype`. */
export function allocTyped(dtype: DType, size: number): TypedArray {
  switch (dtype) {
    case "float32":
      return new Float32Array(size);
    case "float64":
      return new Float64Array(size);
    case "int32":
      return new Int32Array(size);
    case "uint32":
      return new Uint32Array(size);
    case "bool":
      return new Uint8Array(size);
  }
}

/** Number of elements of a shape (1 for a scalar). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides of a shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/** NumPy broadcast of two shapes, or null when incompatible. */
export function broadcastShapes(
  a: readonly number[],
  b: readonly number[],
): number[] | null {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)];
    const db = i < n - b.length ? 1 : b[i - (n - b.length)];
    if (da === db || db === 1) out[i] = da;
    else if (da === 1) out[i] = db;
    else return null;
  }
  return out;
}
