/**
 * The webgpu backend: every primitive of the Backend interface as WGSL
 * compute kernels on `navigator.gpu` (Deno), for float32, int32, uint32 and
 * bool (stored as u32 0/1 on the GPU, read back as a Uint8Array).
 *
 * - Kernels are recorded into one command encoder and submitted in batches;
 *   nothing reads back between ops. Only {@link WebGpuBackend.read} waits.
 * - Pipelines are compiled once per (op, dtype, shape class) and cached.
 * - Storage comes from a bounded pool of power-of-two buffers.
 * - The linear-algebra factorisations run as GPU kernels too (one workgroup
 *   per matrix), so `capabilities.hostLinalg` is empty.
 *
 * @module
 */

import {
  type Backend,
  type BackendCapabilities,
  type BackendMemory,
  type BinaryOp,
  broadcastShapes,
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
import { acquireDevice, type AcquireOptions, type GpuDevice } from "./device.ts";
import { BufferPool, type BufferPoolOptions } from "./buffers.ts";
import { PipelineCache } from "./pipelines.ts";
import { Recorder } from "./commands.ts";
import { checkUnary, unaryKernel, unaryResultDType } from "./kernels/unary.ts";
import {
  binaryKernel,
  binaryResultDType,
  castKernel,
  fillKernel,
  selectKernel,
} from "./kernels/binary.ts";
import { reduceKernel } from "./kernels/reduce.ts";
import { cumsumKernel } from "./kernels/cumsum.ts";
import { concatKernel, padKernel, sliceKernel, transposeKernel } from "./kernels/layout.ts";
import {
  gatherAlongKernel,
  gatherAlongShape,
  gatherKernel,
  scatterKernel,
} from "./kernels/gather.ts";
import { sortKernel, topkKernel } from "./kernels/sort.ts";
import { matmulKernel } from "./kernels/matmul.ts";
import { conv2dKernel, conv2dShape } from "./kernels/conv.ts";
import { threefryKernel } from "./kernels/threefry.ts";
import { choleskyKernel } from "./kernels/linalg/cholesky.ts";
import { triangularSolveKernel } from "./kernels/linalg/triangular.ts";
import { qrKernel } from "./kernels/linalg/qr.ts";
import { eighKernel } from "./kernels/linalg/eigh.ts";
import { svdKernel } from "./kernels/linalg/svd.ts";

/** GPU storage shared by references (reshape shares). */
export interface GpuData {
  /** The pooled buffer (size is its size class). */
  readonly buffer: GPUBuffer;
  /** Bytes used by the tensor (4 per element). */
  readonly bytes: number;
  /** Live references. */
  refs: number;
}

/** A webgpu tensor reference. */
export interface GpuTensorInfo extends TensorInfo {
  /** The storage. */
  readonly id: GpuData;
}

/** Options of {@link createWebGpuBackend}. */
export interface WebGpuOptions extends AcquireOptions {
  /** Buffer-pool bounds. */
  readonly pool?: BufferPoolOptions;
}

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

/** Storage bits of `value` as `dtype` (bool → 0/1, floats → f32 bits). */
function valueBits(value: number, dtype: DType): number {
  switch (dtype) {
    case "float32":
      F32[0] = value;
      return U32[0];
    case "bool":
      return value ? 1 : 0;
    case "int32":
      return (value | 0) >>> 0;
    default:
      return value >>> 0;
  }
}

function fmt(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

/**
 * The WebGPU backend. Create it with {@link createWebGpuBackend}.
 *
 * @example
 * ```ts ignore
 * import { createWebGpuBackend } from "./mod.ts";
 * const gpu = await createWebGpuBackend();
 * const a = gpu.write(new Float32Array([1, 2, 3]), [3], "float32");
 * const b = gpu.unary("square", a);
 * console.log(await gpu.read(b)); // Float32Array [1, 4, 9]
 * ```
 */
export class WebGpuBackend implements Backend {
  /** Registry name. */
  readonly name: string = "webgpu";
  /** No float64, no synchronous reads, factorisations on the GPU. */
  readonly capabilities: BackendCapabilities;
  /** The adapter and device. */
  readonly gpu: GpuDevice;
  readonly #pool: BufferPool;
  readonly #cache: PipelineCache;
  readonly #rec: Recorder;
  #buffers = 0;
  #bytes = 0;
  #lost: string | null = null;
  readonly #errors: string[] = [];

  /** Wrap an acquired device (use {@link createWebGpuBackend}). */
  constructor(gpu: GpuDevice, options: WebGpuOptions = {}) {
    this.gpu = gpu;
    const device = gpu.device;
    this.#pool = new BufferPool(device, options.pool);
    this.#cache = new PipelineCache(device);
    this.#rec = new Recorder(device, this.#cache, this.#pool);
    this.capabilities = {
      float64: false,
      readSync: false,
      hostLinalg: [],
      notes: [
        `WebGPU on ${gpu.description}${gpu.software ? " (software adapter)" : ""}`,
        "WGSL kernels incl. cholesky/triangularSolve/qr/eigh/svd on the GPU",
      ],
    };
    device.lost.then((info) => {
      this.#lost = info.message || String(info.reason ?? "unknown reason");
    });
    const onError = (ev: Event) => {
      const err = (ev as GPUUncapturedErrorEvent).error;
      this.#errors.push(err?.message ?? String(err));
    };
    (device as unknown as EventTarget).addEventListener?.("uncapturederror", onError);
  }

  /** The device (for advanced use; kernels are recorded through the backend). */
  get device(): GPUDevice {
    return this.gpu.device;
  }

  /** Compiled pipelines so far. */
  get pipelineCount(): number {
    return this.#cache.size;
  }

  /** Buffer-pool statistics (created/destroyed buffers, pooled buffers and bytes). */
  poolStats(): {
    created: number;
    destroyed: number;
    pooledBuffers: number;
    pooledBytes: number;
    maxPooledBytes: number;
  } {
    return {
      ...this.#pool.stats,
      pooledBuffers: this.#pool.pooledBuffers,
      pooledBytes: this.#pool.pooledBytes,
      maxPooledBytes: this.#pool.maxPooledBytes,
    };
  }

  /** Whether the device was lost (then every call throws). */
  get lost(): boolean {
    return this.#lost !== null;
  }

  /** Submit recorded work now (reads do this themselves). */
  flush(): void {
    this.#check("flush");
    this.#rec.flush();
  }

  /** Wait until the GPU finished all submitted work. */
  async sync(): Promise<void> {
    this.#check("sync");
    this.#rec.flush();
    await this.device.queue.onSubmittedWorkDone();
    this.#throwErrors("sync");
  }

  /** Destroy the device and every pooled buffer; the backend is unusable afterwards. */
  destroy(): void {
    if (this.#lost === null) this.#lost = "the backend was destroyed";
    this.#rec.destroy();
    this.#pool.clear();
    this.device.destroy();
  }

  #check(fn: string): void {
    if (this.#lost !== null) {
      throw new Error(
        `${fn}(): the WebGPU device was lost (${this.#lost}); create a new backend or use the cpu backend`,
      );
    }
  }

  #throwErrors(fn: string): void {
    if (this.#errors.length > 0) {
      const msg = this.#errors.splice(0).join("; ");
      throw new Error(`${fn}(): WebGPU reported an error: ${msg}`);
    }
  }

  #alloc(shape: readonly number[], dtype: DType): GpuTensorInfo {
    if (dtype === "float64") {
      throw new TypeError(
        "webgpu(): float64 is not supported on the webgpu backend (capabilities.float64 is false)",
      );
    }
    const bytes = sizeOf(shape) * 4;
    const buffer = this.#pool.acquire(Math.max(bytes, 4));
    this.#buffers++;
    this.#bytes += bytes;
    return { id: { buffer, bytes, refs: 1 }, shape: [...shape], dtype };
  }

  /** Run `record`; on a throw, dispose the outputs allocated for it and rethrow. */
  #guard<T>(outs: readonly TensorInfo[], record: () => T): T {
    try {
      return record();
    } catch (e) {
      for (const o of outs) this.dispose(o);
      throw e;
    }
  }

  #buf(x: TensorInfo): GPUBuffer {
    return (x as GpuTensorInfo).id.buffer;
  }

  // ---- data ----

  write(values: TypedArray, shape: readonly number[], dtype: DType): TensorInfo {
    this.#check("write");
    const n = sizeOf(shape);
    if (values.length !== n) {
      throw new TypeError(`write(): ${values.length} values do not fill shape ${fmt(shape)}`);
    }
    const out = this.#alloc(shape, dtype);
    if (n === 0) return out;
    let data: Float32Array | Int32Array | Uint32Array;
    if (dtype === "float32") {
      data = values instanceof Float32Array ? values : Float32Array.from(values);
    } else if (dtype === "int32") {
      data = values instanceof Int32Array ? values : new Int32Array(values);
    } else if (dtype === "uint32") {
      data = values instanceof Uint32Array ? values : new Uint32Array(values);
    } else {
      data = new Uint32Array(n);
      for (let i = 0; i < n; i++) data[i] = values[i] ? 1 : 0;
    }
    // Pending commands may still use this pooled buffer: submit them first.
    this.#rec.flush();
    const bytes = data.buffer instanceof ArrayBuffer
      ? data.buffer
      : data.slice().buffer as ArrayBuffer;
    const offset = data.buffer instanceof ArrayBuffer ? data.byteOffset : 0;
    this.device.queue.writeBuffer(out.id.buffer, 0, bytes, offset, n * 4);
    return out;
  }

  fill(shape: readonly number[], value: number, dtype: DType): TensorInfo {
    this.#check("fill");
    const out = this.#alloc(shape, dtype);
    fillKernel(this.#rec, valueBits(value, dtype), out.id.buffer, sizeOf(shape));
    return out;
  }

  async read(x: TensorInfo): Promise<TypedArray> {
    this.#check("read");
    const n = sizeOf(x.shape);
    const bytes = n * 4;
    const staging = this.device.createBuffer({
      size: Math.max(4, bytes),
      usage: 0x01 /* MAP_READ */ | 0x08, /* COPY_DST */
    });
    this.#rec.copy(this.#buf(x), 0, staging, 0, bytes);
    this.#rec.flush();
    try {
      await staging.mapAsync(1 /* GPUMapMode.READ */);
    } catch (e) {
      staging.destroy();
      this.#check("read");
      throw e;
    }
    const raw = staging.getMappedRange(0, Math.max(4, bytes)).slice(0, bytes);
    staging.unmap();
    staging.destroy();
    this.#throwErrors("read");
    switch (x.dtype) {
      case "float32":
        return new Float32Array(raw);
      case "int32":
        return new Int32Array(raw);
      case "uint32":
        return new Uint32Array(raw);
      default: {
        const u = new Uint32Array(raw);
        const out = new Uint8Array(n);
        for (let i = 0; i < n; i++) out[i] = u[i] ? 1 : 0;
        return out;
      }
    }
  }

  readSync(_x: TensorInfo): TypedArray {
    throw new TypeError(
      "readSync(): the webgpu backend cannot read synchronously (a GPU readback must wait for the device); use await t.data()",
    );
  }

  dispose(x: TensorInfo): void {
    const data = (x as GpuTensorInfo).id;
    if (data.refs <= 0) return;
    data.refs--;
    if (data.refs === 0) {
      this.#buffers--;
      this.#bytes -= data.bytes;
      if (this.#lost === null) this.#pool.release(data.buffer);
    }
  }

  memory(): BackendMemory {
    return { buffers: this.#buffers, bytes: this.#bytes, pooledBytes: this.#pool.pooledBytes };
  }

  // ---- elementwise ----

  unary(op: UnaryOp, x: TensorInfo): TensorInfo {
    this.#check("unary");
    checkUnary(op, x.dtype);
    const out = this.#alloc(x.shape, unaryResultDType(op, x.dtype));
    const n = sizeOf(x.shape);
    if (n > 0) {
      this.#guard([out], () => unaryKernel(this.#rec, op, x.dtype, this.#buf(x), out.id.buffer, n));
    }
    return out;
  }

  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo): TensorInfo {
    this.#check("binary");
    const shift = op === "shiftLeft" || op === "shiftRight";
    const intPair = (a.dtype === "int32" || a.dtype === "uint32") &&
      (b.dtype === "int32" || b.dtype === "uint32");
    if (a.dtype !== b.dtype && !(shift && intPair)) {
      throw new TypeError(`binary(): operands must share a dtype, got ${a.dtype} and ${b.dtype}`);
    }
    const shape = broadcastShapes(a.shape, b.shape);
    if (!shape) {
      throw new TypeError(`binary(): shapes ${fmt(a.shape)} and ${fmt(b.shape)} do not broadcast`);
    }
    const out = this.#alloc(shape, binaryResultDType(op, a.dtype));
    this.#guard([out], () =>
      binaryKernel(
        this.#rec,
        op,
        a.dtype,
        this.#buf(a),
        a.shape,
        this.#buf(b),
        b.shape,
        out.id.buffer,
        shape,
        b.dtype,
      ));
    return out;
  }

  select(cond: TensorInfo, a: TensorInfo, b: TensorInfo): TensorInfo {
    this.#check("select");
    const ab = broadcastShapes(a.shape, b.shape);
    const shape = ab && broadcastShapes(cond.shape, ab);
    if (!shape) {
      throw new TypeError(
        `select(): shapes ${fmt(cond.shape)}, ${fmt(a.shape)} and ${fmt(b.shape)} do not broadcast`,
      );
    }
    const out = this.#alloc(shape, a.dtype);
    this.#guard([out], () =>
      selectKernel(
        this.#rec,
        a.dtype,
        this.#buf(cond),
        cond.shape,
        this.#buf(a),
        a.shape,
        this.#buf(b),
        b.shape,
        out.id.buffer,
        shape,
      ));
    return out;
  }

  cast(x: TensorInfo, dtype: DType): TensorInfo {
    this.#check("cast");
    const out = this.#alloc(x.shape, dtype);
    this.#guard(
      [out],
      () => castKernel(this.#rec, x.dtype, dtype, this.#buf(x), out.id.buffer, x.shape),
    );
    return out;
  }

  // ---- reductions / scans ----

  reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[]): TensorInfo {
    this.#check("reduce");
    const rank = x.shape.length;
    if (
      axes.length === 0 ||
      axes.some((a, i) =>
        !(Number.isInteger(a) && a >= 0 && a < rank) || (i > 0 && a <= axes[i - 1])
      )
    ) {
      throw new RangeError(
        `reduce(): axes must be sorted, unique and in [0, ${rank}), got [${axes.join(", ")}]`,
      );
    }
    const arg = op === "argmax" || op === "argmin";
    if (arg && axes.length !== 1) {
      throw new RangeError(`reduce(): ${op} reduces exactly one axis, got [${axes.join(", ")}]`);
    }
    if (x.dtype === "bool" && (op === "sum" || op === "prod")) {
      throw new TypeError(`reduce(): ${op} is not defined on bool (cast to int32 first)`);
    }
    const outShape = x.shape.filter((_, i) => !axes.includes(i));
    const outDType: DType = arg ? "int32" : op === "any" || op === "all" ? "bool" : x.dtype;
    if (sizeOf(x.shape) === 0) {
      const id = op === "sum" || op === "any" || arg
        ? 0
        : op === "prod" || op === "all"
        ? 1
        : op === "max"
        ? (x.dtype === "int32" ? -2147483648 : x.dtype === "float32" ? -Infinity : 0)
        : (x.dtype === "int32"
          ? 2147483647
          : x.dtype === "float32"
          ? Infinity
          : x.dtype === "uint32"
          ? 4294967295
          : 1);
      return this.fill(outShape, id, outDType);
    }
    if ((op === "any" || op === "all") && x.dtype !== "bool") {
      const b = this.cast(x, "bool");
      try {
        return this.reduce(op, b, axes);
      } finally {
        this.dispose(b);
      }
    }
    const out = this.#alloc(outShape, outDType);
    this.#guard(
      [out],
      () => reduceKernel(this.#rec, op, x.dtype, this.#buf(x), x.shape, axes, out.id.buffer),
    );
    return out;
  }

  cumsum(x: TensorInfo, axis: number, exclusive: boolean, reverse: boolean): TensorInfo {
    this.#check("cumsum");
    this.#axis("cumsum", x, axis);
    if (x.dtype === "bool") {
      throw new TypeError("cumsum(): not defined on bool (cast to int32 first)");
    }
    const out = this.#alloc(x.shape, x.dtype);
    this.#guard([out], () =>
      cumsumKernel(
        this.#rec,
        x.dtype,
        this.#buf(x),
        x.shape,
        axis,
        exclusive,
        reverse,
        out.id.buffer,
      ));
    return out;
  }

  #axis(fn: string, x: TensorInfo, axis: number): void {
    if (!(Number.isInteger(axis) && axis >= 0 && axis < x.shape.length)) {
      throw new RangeError(`${fn}(): axis must be in [0, ${x.shape.length}), got ${axis}`);
    }
  }

  // ---- shape and data movement ----

  reshape(x: TensorInfo, shape: readonly number[]): TensorInfo {
    this.#check("reshape");
    if (sizeOf(shape) !== sizeOf(x.shape)) {
      throw new TypeError(`reshape(): cannot reshape ${fmt(x.shape)} to ${fmt(shape)}`);
    }
    const data = (x as GpuTensorInfo).id;
    data.refs++;
    return { id: data, shape: [...shape], dtype: x.dtype };
  }

  transpose(x: TensorInfo, perm: readonly number[]): TensorInfo {
    this.#check("transpose");
    const rank = x.shape.length;
    if (perm.length !== rank || [...perm].sort((p, q) => p - q).some((p, i) => p !== i)) {
      throw new RangeError(
        `transpose(): perm [${perm.join(", ")}] is not a permutation of ${rank} axes`,
      );
    }
    const out = this.#alloc(perm.map((p) => x.shape[p]), x.dtype);
    this.#guard(
      [out],
      () => transposeKernel(this.#rec, this.#buf(x), x.shape, perm, out.id.buffer),
    );
    return out;
  }

  slice(
    x: TensorInfo,
    begin: readonly number[],
    size: readonly number[],
    strides: readonly number[],
  ): TensorInfo {
    this.#check("slice");
    const rank = x.shape.length;
    if (begin.length !== rank || size.length !== rank || strides.length !== rank) {
      throw new TypeError(`slice(): begin, size and strides need ${rank} entries`);
    }
    for (let i = 0; i < rank; i++) {
      const last = begin[i] + (size[i] - 1) * strides[i];
      if (
        size[i] < 0 || strides[i] === 0 ||
        (size[i] > 0 && (begin[i] < 0 || begin[i] >= x.shape[i] || last < 0 || last >= x.shape[i]))
      ) {
        throw new RangeError(
          `slice(): axis ${i} of ${fmt(x.shape)}: begin ${begin[i]}, size ${size[i]}, stride ${
            strides[i]
          } leave the array`,
        );
      }
    }
    const out = this.#alloc(size, x.dtype);
    this.#guard(
      [out],
      () => sliceKernel(this.#rec, this.#buf(x), x.shape, begin, size, strides, out.id.buffer),
    );
    return out;
  }

  concat(xs: readonly TensorInfo[], axis: number): TensorInfo {
    this.#check("concat");
    if (xs.length === 0) throw new TypeError("concat(): needs at least one tensor");
    const first = xs[0];
    this.#axis("concat", first, axis);
    let total = 0;
    for (const x of xs) {
      if (
        x.dtype !== first.dtype || x.shape.length !== first.shape.length ||
        x.shape.some((d, i) => i !== axis && d !== first.shape[i])
      ) {
        throw new TypeError(
          `concat(): ${fmt(x.shape)} ${x.dtype} does not match ${fmt(first.shape)} ${first.dtype}`,
        );
      }
      total += x.shape[axis];
    }
    const shape = first.shape.map((d, i) => (i === axis ? total : d));
    const out = this.#alloc(shape, first.dtype);
    this.#guard([out], () =>
      concatKernel(
        this.#rec,
        xs.map((x) => ({ buffer: this.#buf(x), shape: x.shape })),
        axis,
        out.id.buffer,
        shape,
      ));
    return out;
  }

  pad(
    x: TensorInfo,
    pads: readonly (readonly [number, number])[],
    mode: PadMode,
    value: number,
  ): TensorInfo {
    this.#check("pad");
    if (pads.length !== x.shape.length) {
      throw new TypeError(
        `pad(): need ${x.shape.length} [before, after] pairs, got ${pads.length}`,
      );
    }
    for (const [b, a] of pads) {
      if (!(Number.isInteger(b) && Number.isInteger(a) && b >= 0 && a >= 0)) {
        throw new RangeError(`pad(): pads must be non-negative integers, got [${b}, ${a}]`);
      }
    }
    if (mode !== "constant" && mode !== "edge" && mode !== "reflect") {
      throw new RangeError(`pad(): unknown mode ${mode}`);
    }
    const shape = x.shape.map((d, i) => d + pads[i][0] + pads[i][1]);
    const out = this.#alloc(shape, x.dtype);
    this.#guard([out], () =>
      padKernel(
        this.#rec,
        x.dtype,
        this.#buf(x),
        x.shape,
        pads,
        mode,
        valueBits(value, x.dtype),
        out.id.buffer,
      ));
    return out;
  }

  gather(x: TensorInfo, indices: TensorInfo, axis: number): TensorInfo {
    this.#check("gather");
    this.#axis("gather", x, axis);
    this.#int32("gather", indices);
    const shape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
    if (sizeOf(shape) > 0 && x.shape[axis] === 0) {
      throw new RangeError(`gather(): cannot take from the empty axis ${axis}`);
    }
    const out = this.#alloc(shape, x.dtype);
    this.#guard([out], () =>
      gatherKernel(
        this.#rec,
        x.dtype,
        this.#buf(x),
        x.shape,
        this.#buf(indices),
        sizeOf(indices.shape),
        axis,
        out.id.buffer,
      ));
    return out;
  }

  gatherAlong(x: TensorInfo, indices: TensorInfo, axis: number): TensorInfo {
    this.#check("gatherAlong");
    this.#axis("gatherAlong", x, axis);
    this.#int32("gatherAlong", indices);
    if (indices.shape.length !== x.shape.length) {
      throw new TypeError(
        `gatherAlong(): indices need rank ${x.shape.length}, got ${fmt(indices.shape)}`,
      );
    }
    const shape = gatherAlongShape(x.shape, indices.shape, axis);
    if (sizeOf(shape) > 0 && x.shape[axis] === 0) {
      throw new RangeError(`gatherAlong(): cannot take from the empty axis ${axis}`);
    }
    const out = this.#alloc(shape, x.dtype);
    this.#guard([out], () =>
      gatherAlongKernel(
        this.#rec,
        x.dtype,
        this.#buf(x),
        x.shape,
        this.#buf(indices),
        indices.shape,
        axis,
        out.id.buffer,
      ));
    return out;
  }

  scatter(
    x: TensorInfo,
    indices: TensorInfo,
    updates: TensorInfo,
    axis: number,
    mode: "set" | "add",
  ): TensorInfo {
    this.#check("scatter");
    this.#axis("scatter", x, axis);
    this.#int32("scatter", indices);
    if (mode !== "set" && mode !== "add") throw new RangeError(`scatter(): unknown mode ${mode}`);
    const m = sizeOf(indices.shape);
    const want = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
    if (sizeOf(updates.shape) !== sizeOf(want) || updates.dtype !== x.dtype) {
      throw new TypeError(
        `scatter(): updates need shape ${fmt(want)} and dtype ${x.dtype}, got ${
          fmt(updates.shape)
        } ${updates.dtype}`,
      );
    }
    const out = this.#alloc(x.shape, x.dtype);
    this.#guard([out], () =>
      scatterKernel(
        this.#rec,
        x.dtype,
        this.#buf(x),
        x.shape,
        this.#buf(indices),
        m,
        this.#buf(updates),
        axis,
        mode,
        out.id.buffer,
      ));
    return out;
  }

  #int32(fn: string, indices: TensorInfo): void {
    if (indices.dtype !== "int32") {
      throw new TypeError(`${fn}(): indices must be int32, got ${indices.dtype}`);
    }
  }

  // ---- sorting ----

  sort(x: TensorInfo, axis: number, descending: boolean): TensorInfo {
    this.#check("sort");
    this.#axis("sort", x, axis);
    const out = this.#alloc(x.shape, x.dtype);
    this.#guard(
      [out],
      () =>
        sortKernel(
          this.#rec,
          x.dtype,
          this.#buf(x),
          x.shape,
          axis,
          descending,
          true,
          out.id.buffer,
        ),
    );
    return out;
  }

  argsort(x: TensorInfo, axis: number, descending: boolean): TensorInfo {
    this.#check("argsort");
    this.#axis("argsort", x, axis);
    const out = this.#alloc(x.shape, "int32");
    this.#guard(
      [out],
      () =>
        sortKernel(
          this.#rec,
          x.dtype,
          this.#buf(x),
          x.shape,
          axis,
          descending,
          false,
          out.id.buffer,
        ),
    );
    return out;
  }

  topk(x: TensorInfo, k: number): { values: TensorInfo; indices: TensorInfo } {
    this.#check("topk");
    if (x.shape.length === 0) throw new TypeError("topk(): needs at least one axis, got a scalar");
    const n = x.shape[x.shape.length - 1];
    if (!(Number.isInteger(k) && k >= 0 && k <= n)) {
      throw new RangeError(`topk(): k must be an integer in [0, ${n}], got ${k}`);
    }
    const shape = [...x.shape.slice(0, -1), k];
    const values = this.#alloc(shape, x.dtype);
    const indices = this.#alloc(shape, "int32");
    if (sizeOf(shape) > 0) {
      this.#guard(
        [values, indices],
        () =>
          topkKernel(
            this.#rec,
            x.dtype,
            this.#buf(x),
            x.shape,
            k,
            values.id.buffer,
            indices.id.buffer,
          ),
      );
    }
    return { values, indices };
  }

  // ---- matrix ----

  matmul(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): TensorInfo {
    this.#check("matmul");
    this.#float32("matmul", a);
    this.#float32("matmul", b);
    if (a.shape.length < 2 || b.shape.length < 2) {
      throw new TypeError(
        `matmul(): operands need rank >= 2, got ${fmt(a.shape)} and ${fmt(b.shape)}`,
      );
    }
    const ra = a.shape.length, rb = b.shape.length;
    const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
    const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
    const kb = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
    const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
    if (k !== kb) throw new TypeError(`matmul(): inner dimensions differ, got ${k} and ${kb}`);
    const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));
    if (!batch) {
      throw new TypeError(
        `matmul(): batch dimensions of ${fmt(a.shape)} and ${fmt(b.shape)} do not broadcast`,
      );
    }
    const out = this.#alloc([...batch, m, n], a.dtype);
    this.#guard([out], () =>
      matmulKernel(
        this.#rec,
        this.#buf(a),
        a.shape,
        this.#buf(b),
        b.shape,
        transposeA,
        transposeB,
        out.id.buffer,
        batch,
      ));
    return out;
  }

  #float32(fn: string, x: TensorInfo): void {
    if (x.dtype !== "float32") {
      throw new TypeError(`${fn}(): the webgpu backend needs float32, got ${x.dtype}`);
    }
  }

  conv2d(x: TensorInfo, w: TensorInfo, options: Conv2dOptions): TensorInfo {
    this.#check("conv2d");
    this.#float32("conv2d", x);
    this.#float32("conv2d", w);
    if (x.shape.length !== 4 || w.shape.length !== 4) {
      throw new TypeError(
        `conv2d(): need NCHW input and OIHW weights, got ${fmt(x.shape)} and ${fmt(w.shape)}`,
      );
    }
    const g = options.groups;
    if (
      !(Number.isInteger(g) && g >= 1) || x.shape[1] % g !== 0 || w.shape[0] % g !== 0 ||
      w.shape[1] * g !== x.shape[1]
    ) {
      throw new TypeError(
        `conv2d(): channels of ${fmt(x.shape)} and weights ${fmt(w.shape)} do not fit ${g} groups`,
      );
    }
    const out = this.#alloc(conv2dShape(x.shape, w.shape, options), x.dtype);
    this.#guard(
      [out],
      () =>
        conv2dKernel(
          this.#rec,
          this.#buf(x),
          x.shape,
          this.#buf(w),
          w.shape,
          options,
          out.id.buffer,
        ),
    );
    return out;
  }

  // ---- randomness ----

  threefry2x32(
    k0: TensorInfo,
    k1: TensorInfo,
    x0: TensorInfo,
    x1: TensorInfo,
  ): [TensorInfo, TensorInfo] {
    this.#check("threefry2x32");
    for (const t of [k0, k1, x0, x1]) {
      if (t.dtype !== "uint32") {
        throw new TypeError(`threefry2x32(): needs uint32 tensors, got ${t.dtype}`);
      }
    }
    const n = sizeOf(x0.shape);
    const nk = sizeOf(k0.shape);
    if (sizeOf(x1.shape) !== n || sizeOf(k1.shape) !== nk || (nk !== n && nk !== 1)) {
      throw new TypeError(
        `threefry2x32(): keys ${fmt(k0.shape)}/${fmt(k1.shape)} and counters ${fmt(x0.shape)}/${
          fmt(x1.shape)
        } differ`,
      );
    }
    const y0 = this.#alloc(x0.shape, "uint32");
    const y1 = this.#alloc(x0.shape, "uint32");
    this.#guard([y0, y1], () =>
      threefryKernel(
        this.#rec,
        this.#buf(k0),
        this.#buf(k1),
        this.#buf(x0),
        this.#buf(x1),
        y0.id.buffer,
        y1.id.buffer,
        n,
        nk === 1 && n !== 1 ? 0 : 1,
      ));
    return [y0, y1];
  }

  // ---- linear algebra ----

  #square(fn: string, a: TensorInfo): number {
    this.#float32(fn, a);
    const r = a.shape.length;
    if (r < 2 || a.shape[r - 1] !== a.shape[r - 2]) {
      throw new TypeError(`${fn}(): needs square matrices [..., n, n], got ${fmt(a.shape)}`);
    }
    return a.shape[r - 1];
  }

  cholesky(a: TensorInfo): TensorInfo {
    this.#check("cholesky");
    const n = this.#square("cholesky", a);
    const out = this.#alloc(a.shape, a.dtype);
    this.#guard(
      [out],
      () => choleskyKernel(this.#rec, this.#buf(a), sizeOf(a.shape.slice(0, -2)), n, out.id.buffer),
    );
    return out;
  }

  triangularSolve(a: TensorInfo, b: TensorInfo, options: TriangularSolveOptions): TensorInfo {
    this.#check("triangularSolve");
    const n = this.#square("triangularSolve", a);
    this.#float32("triangularSolve", b);
    const rb = b.shape.length;
    if (rb < 2 || (options.leftSide ? b.shape[rb - 2] : b.shape[rb - 1]) !== n) {
      throw new TypeError(
        `triangularSolve(): b ${fmt(b.shape)} does not fit a ${fmt(a.shape)} on the ${
          options.leftSide ? "left" : "right"
        }`,
      );
    }
    const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));
    if (!batch || batch.length !== rb - 2 || batch.some((d, i) => d !== b.shape[i])) {
      throw new TypeError(
        `triangularSolve(): batch dims of ${fmt(a.shape)} do not broadcast to ${fmt(b.shape)}`,
      );
    }
    const out = this.#alloc(b.shape, b.dtype);
    this.#guard([out], () =>
      triangularSolveKernel(
        this.#rec,
        this.#buf(a),
        a.shape,
        this.#buf(b),
        b.shape,
        options,
        out.id.buffer,
      ));
    return out;
  }

  svd(a: TensorInfo): { u: TensorInfo; s: TensorInfo; vh: TensorInfo } {
    this.#check("svd");
    this.#float32("svd", a);
    const r = a.shape.length;
    if (r < 2) throw new TypeError(`svd(): needs rank >= 2, got ${fmt(a.shape)}`);
    const lead = a.shape.slice(0, -2);
    const m = a.shape[r - 2], n = a.shape[r - 1], k = Math.min(m, n);
    const u = this.#alloc([...lead, m, k], "float32");
    const s = this.#alloc([...lead, k], "float32");
    const vh = this.#alloc([...lead, k, n], "float32");
    this.#guard(
      [u, s, vh],
      () =>
        svdKernel(
          this.#rec,
          this.#buf(a),
          sizeOf(lead),
          m,
          n,
          u.id.buffer,
          s.id.buffer,
          vh.id.buffer,
        ),
    );
    return { u, s, vh };
  }

  eigh(a: TensorInfo): { values: TensorInfo; vectors: TensorInfo } {
    this.#check("eigh");
    const n = this.#square("eigh", a);
    const values = this.#alloc(a.shape.slice(0, -1), "float32");
    const vectors = this.#alloc(a.shape, "float32");
    this.#guard([values, vectors], () =>
      eighKernel(
        this.#rec,
        this.#buf(a),
        sizeOf(a.shape.slice(0, -2)),
        n,
        values.id.buffer,
        vectors.id.buffer,
      ));
    return { values, vectors };
  }

  qr(a: TensorInfo): { q: TensorInfo; r: TensorInfo } {
    this.#check("qr");
    this.#float32("qr", a);
    const rank = a.shape.length;
    if (rank < 2) throw new TypeError(`qr(): needs rank >= 2, got ${fmt(a.shape)}`);
    const lead = a.shape.slice(0, -2);
    const m = a.shape[rank - 2], n = a.shape[rank - 1], k = Math.min(m, n);
    const q = this.#alloc([...lead, m, k], "float32");
    const r = this.#alloc([...lead, k, n], "float32");
    this.#guard(
      [q, r],
      () => qrKernel(this.#rec, this.#buf(a), sizeOf(lead), m, n, q.id.buffer, r.id.buffer),
    );
    return { q, r };
  }
}

/**
 * Request a WebGPU adapter and device and create the backend. Throws an
 * `Error` saying why when WebGPU is unavailable ("navigator.gpu is undefined
 * (not Deno / no WebGPU)", "no WebGPU adapter", ...).
 *
 * @example
 * ```ts ignore
 * import { createWebGpuBackend } from "./mod.ts";
 * const gpu = await createWebGpuBackend();
 * console.log(gpu.capabilities.notes);
 * ```
 */
export async function createWebGpuBackend(options: WebGpuOptions = {}): Promise<WebGpuBackend> {
  return new WebGpuBackend(await acquireDevice(options), options);
}

export { isSoftwareAdapter } from "./device.ts";
export type { AcquireOptions, GpuDevice, GpuLike } from "./device.ts";
export type { BufferPoolOptions } from "./buffers.ts";
