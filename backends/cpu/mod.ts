/**
 * The cpu backend: pure TypeScript over typed arrays. Always available; the
 * reference every other backend is tested against.
 *
 * Storage is a {@link CpuData} (a typed array plus a reference count, so that
 * `reshape` shares data). Kernels live in one file per job and work on plain
 * typed arrays, so the blas backend reuses them on the same arrays.
 *
 * @module
 */

import {
  allocTyped,
  type Backend,
  type BackendCapabilities,
  type BackendMemory,
  type BinaryOp,
  BYTES_PER_ELEMENT,
  type Conv2dOptions,
  type DType,
  type PadMode,
  type ReduceOp,
  sizeOf,
  type TensorInfo,
  type TriangularSolveOptions,
  type TypedArray,
  type UnaryOp,
} from "../backend.ts";
import { binaryKernel, castKernel, selectKernel, unaryKernel } from "./elementwise.ts";
import { cumsumKernel, reduceKernel } from "./reduce.ts";
import {
  concatKernel,
  gatherAlongKernel,
  gatherKernel,
  padKernel,
  scatterKernel,
  sliceKernel,
  transposeKernel,
} from "./layout.ts";
import { argsortKernel, sortKernel, topkKernel } from "./sort.ts";
import { matmulKernel } from "./matmul.ts";
import { conv2dKernel } from "./conv.ts";
import { threefryKernel } from "./threefry.ts";
import {
  choleskyKernel,
  eighKernel,
  qrKernel,
  svdKernel,
  triangularSolveKernel,
} from "./linalg.ts";

/** Host storage shared by references. */
export interface CpuData {
  /** The values, row-major. */
  readonly values: TypedArray;
  /** Live references to this storage. */
  refs: number;
}

/** A cpu tensor reference. */
export interface CpuTensorInfo extends TensorInfo {
  /** The shared host storage. */
  readonly id: CpuData;
}

/**
 * The pure-TypeScript backend.
 *
 * @example
 * ```ts
 * import { CpuBackend } from "./mod.ts";
 * const cpu = new CpuBackend();
 * const a = cpu.write(new Float32Array([1, 2, 3]), [3], "float32");
 * const b = cpu.unary("square", a);
 * console.assert(cpu.readSync(b)[2] === 9);
 * ```
 */
export class CpuBackend implements Backend {
  /** Registry name. */
  readonly name: string = "cpu";
  /** cpu supports float64 and synchronous reads. */
  readonly capabilities: BackendCapabilities = {
    float64: true,
    readSync: true,
    hostLinalg: [],
    notes: [
      "TypeScript kernels (float32 hot loops in WebAssembly SIMD, TS fallback), always available",
    ],
  };
  #buffers = 0;
  #bytes = 0;

  /** Wrap an owned typed array as a new reference (no copy). */
  wrap(values: TypedArray, shape: readonly number[], dtype: DType): CpuTensorInfo {
    this.#buffers++;
    this.#bytes += values.byteLength;
    return { id: { values, refs: 1 }, shape: [...shape], dtype };
  }

  /** The typed array behind a reference (no copy; do not mutate). */
  values(x: TensorInfo): TypedArray {
    return (x as CpuTensorInfo).id.values;
  }

  write(values: TypedArray, shape: readonly number[], dtype: DType): TensorInfo {
    const out = allocTyped(dtype, sizeOf(shape));
    if (values.length !== out.length) {
      throw new TypeError(
        `write(): ${values.length} values do not fill shape [${shape.join(", ")}]`,
      );
    }
    out.set(values as ArrayLike<number>);
    return this.wrap(out, shape, dtype);
  }

  fill(shape: readonly number[], value: number, dtype: DType): TensorInfo {
    const out = allocTyped(dtype, sizeOf(shape));
    if (value !== 0) out.fill(dtype === "bool" ? (value ? 1 : 0) : value);
    return this.wrap(out, shape, dtype);
  }

  read(x: TensorInfo): Promise<TypedArray> {
    return Promise.resolve(this.readSync(x));
  }

  readSync(x: TensorInfo): TypedArray {
    return this.values(x).slice();
  }

  dispose(x: TensorInfo): void {
    const data = (x as CpuTensorInfo).id;
    if (data.refs <= 0) return;
    data.refs--;
    if (data.refs === 0) {
      this.#buffers--;
      this.#bytes -= data.values.byteLength;
    }
  }

  memory(): BackendMemory {
    return { buffers: this.#buffers, bytes: this.#bytes };
  }

  reshape(x: TensorInfo, shape: readonly number[]): TensorInfo {
    const data = (x as CpuTensorInfo).id;
    data.refs++;
    return { id: data, shape: [...shape], dtype: x.dtype };
  }

  unary(op: UnaryOp, x: TensorInfo): TensorInfo {
    const r = unaryKernel(op, this.values(x), x.dtype);
    return this.wrap(r.values, x.shape, r.dtype);
  }

  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo): TensorInfo {
    const r = binaryKernel(op, this.values(a), a.shape, this.values(b), b.shape, a.dtype);
    return this.wrap(r.values, r.shape, r.dtype);
  }

  select(cond: TensorInfo, a: TensorInfo, b: TensorInfo): TensorInfo {
    const r = selectKernel(
      this.values(cond),
      cond.shape,
      this.values(a),
      a.shape,
      this.values(b),
      b.shape,
      a.dtype,
    );
    return this.wrap(r.values, r.shape, a.dtype);
  }

  cast(x: TensorInfo, dtype: DType): TensorInfo {
    return this.wrap(castKernel(this.values(x), x.dtype, dtype), x.shape, dtype);
  }

  reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[]): TensorInfo {
    const r = reduceKernel(op, this.values(x), x.shape, x.dtype, axes);
    return this.wrap(r.values, r.shape, r.dtype);
  }

  cumsum(x: TensorInfo, axis: number, exclusive: boolean, reverse: boolean): TensorInfo {
    return this.wrap(
      cumsumKernel(this.values(x), x.shape, x.dtype, axis, exclusive, reverse),
      x.shape,
      x.dtype,
    );
  }

  transpose(x: TensorInfo, perm: readonly number[]): TensorInfo {
    const r = transposeKernel(this.values(x), x.shape, x.dtype, perm);
    return this.wrap(r.values, r.shape, x.dtype);
  }

  slice(
    x: TensorInfo,
    begin: readonly number[],
    size: readonly number[],
    strides: readonly number[],
  ): TensorInfo {
    return this.wrap(
      sliceKernel(this.values(x), x.shape, x.dtype, begin, size, strides),
      size,
      x.dtype,
    );
  }

  concat(xs: readonly TensorInfo[], axis: number): TensorInfo {
    const r = concatKernel(
      xs.map((x) => this.values(x)),
      xs.map((x) => x.shape),
      xs[0].dtype,
      axis,
    );
    return this.wrap(r.values, r.shape, xs[0].dtype);
  }

  pad(
    x: TensorInfo,
    pads: readonly (readonly [number, number])[],
    mode: PadMode,
    value: number,
  ): TensorInfo {
    const r = padKernel(this.values(x), x.shape, x.dtype, pads, mode, value);
    return this.wrap(r.values, r.shape, x.dtype);
  }

  gather(x: TensorInfo, indices: TensorInfo, axis: number): TensorInfo {
    const r = gatherKernel(
      this.values(x),
      x.shape,
      x.dtype,
      this.values(indices) as Int32Array,
      indices.shape,
      axis,
    );
    return this.wrap(r.values, r.shape, x.dtype);
  }

  gatherAlong(x: TensorInfo, indices: TensorInfo, axis: number): TensorInfo {
    const r = gatherAlongKernel(
      this.values(x),
      x.shape,
      x.dtype,
      this.values(indices) as Int32Array,
      indices.shape,
      axis,
    );
    return this.wrap(r.values, r.shape, x.dtype);
  }

  scatter(
    x: TensorInfo,
    indices: TensorInfo,
    updates: TensorInfo,
    axis: number,
    mode: "set" | "add",
  ): TensorInfo {
    const out = scatterKernel(
      this.values(x),
      x.shape,
      x.dtype,
      this.values(indices) as Int32Array,
      indices.shape,
      this.values(updates),
      axis,
      mode,
    );
    return this.wrap(out, x.shape, x.dtype);
  }

  sort(x: TensorInfo, axis: number, descending: boolean): TensorInfo {
    return this.wrap(
      sortKernel(this.values(x), x.shape, x.dtype, axis, descending),
      x.shape,
      x.dtype,
    );
  }

  argsort(x: TensorInfo, axis: number, descending: boolean): TensorInfo {
    return this.wrap(
      argsortKernel(this.values(x), x.shape, x.dtype, axis, descending),
      x.shape,
      "int32",
    );
  }

  topk(x: TensorInfo, k: number): { values: TensorInfo; indices: TensorInfo } {
    const r = topkKernel(this.values(x), x.shape, x.dtype, k);
    const shape = [...x.shape.slice(0, -1), k];
    return {
      values: this.wrap(r.values, shape, x.dtype),
      indices: this.wrap(r.indices, shape, "int32"),
    };
  }

  matmul(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): TensorInfo {
    const r = matmulKernel(
      this.values(a) as Float32Array | Float64Array,
      a.shape,
      this.values(b) as Float32Array | Float64Array,
      b.shape,
      a.dtype,
      transposeA,
      transposeB,
    );
    return this.wrap(r.values, r.shape, a.dtype);
  }

  conv2d(x: TensorInfo, w: TensorInfo, options: Conv2dOptions): TensorInfo {
    const r = conv2dKernel(
      this.values(x) as Float32Array | Float64Array,
      x.shape,
      this.values(w) as Float32Array | Float64Array,
      w.shape,
      x.dtype,
      options,
    );
    return this.wrap(r.values, r.shape, x.dtype);
  }

  threefry2x32(
    k0: TensorInfo,
    k1: TensorInfo,
    x0: TensorInfo,
    x1: TensorInfo,
  ): [TensorInfo, TensorInfo] {
    const [y0, y1] = threefryKernel(
      this.values(k0) as Uint32Array,
      this.values(k1) as Uint32Array,
      this.values(x0) as Uint32Array,
      this.values(x1) as Uint32Array,
    );
    return [this.wrap(y0, x0.shape, "uint32"), this.wrap(y1, x0.shape, "uint32")];
  }

  cholesky(a: TensorInfo): TensorInfo {
    return this.wrap(
      choleskyKernel(this.values(a) as Float32Array | Float64Array, a.shape, a.dtype),
      a.shape,
      a.dtype,
    );
  }

  triangularSolve(a: TensorInfo, b: TensorInfo, options: TriangularSolveOptions): TensorInfo {
    return this.wrap(
      triangularSolveKernel(
        this.values(a) as Float32Array | Float64Array,
        a.shape,
        this.values(b) as Float32Array | Float64Array,
        b.shape,
        a.dtype,
        options,
      ),
      b.shape,
      a.dtype,
    );
  }

  svd(a: TensorInfo): { u: TensorInfo; s: TensorInfo; vh: TensorInfo } {
    const r = svdKernel(this.values(a) as Float32Array | Float64Array, a.shape, a.dtype);
    return {
      u: this.wrap(r.u, r.uShape, a.dtype),
      s: this.wrap(r.s, r.sShape, a.dtype),
      vh: this.wrap(r.vh, r.vhShape, a.dtype),
    };
  }

  eigh(a: TensorInfo): { values: TensorInfo; vectors: TensorInfo } {
    const r = eighKernel(this.values(a) as Float32Array | Float64Array, a.shape, a.dtype);
    return {
      values: this.wrap(r.values, a.shape.slice(0, -1), a.dtype),
      vectors: this.wrap(r.vectors, a.shape, a.dtype),
    };
  }

  qr(a: TensorInfo): { q: TensorInfo; r: TensorInfo } {
    const res = qrKernel(this.values(a) as Float32Array | Float64Array, a.shape, a.dtype);
    return { q: this.wrap(res.q, res.qShape, a.dtype), r: this.wrap(res.r, res.rShape, a.dtype) };
  }
}

/** Bytes of one element (re-exported for kernels). */
export { BYTES_PER_ELEMENT };
export { setSimdGemmEnabled, simdGemmActive } from "./simd/gemm.ts";
