/**
 * The immutable Tensor: shape, dtype, owning backend and an opaque data handle.
 *
 * @module
 */

import type { Backend, DType, TensorInfo, TypedArray } from "../backends/backend.ts";
import { sizeOf } from "../backends/backend.ts";
import { trackTensor, untrackTensor } from "./engine.ts";
import { typeError } from "./errors.ts";

/** Nested JS arrays of numbers/booleans, as returned by {@link Tensor.array}. */
export type NestedArray = number | boolean | NestedArray[];

/**
 * An immutable n-dimensional array on a backend. Ops never consume their
 * inputs. Free GPU/host storage with `dispose()`, `using`, or `tidy()`.
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * using t = tensor([[1, 2], [3, 4]]);
 * console.assert(t.shape.join() === "2,2" && t.dtype === "float32");
 * console.assert((await t.array() as number[][])[1][0] === 3);
 * ```
 */
export class Tensor {
  /** Marker used by structural checks (avoids import cycles). */
  readonly __isTensor = true;
  /** Row-major shape; `[]` for a scalar. */
  readonly shape: readonly number[];
  /** Element type. */
  readonly dtype: DType;
  /** The backend that owns the storage. */
  readonly backend: Backend;
  /** Backend reference (internal; use ops, not this). */
  readonly info: TensorInfo;
  #disposed = false;

  /** Wrap a backend reference (internal: use `tensor()` and ops to create tensors). */
  constructor(backend: Backend, info: TensorInfo) {
    this.backend = backend;
    this.info = info;
    this.shape = Object.freeze([...info.shape]);
    this.dtype = info.dtype;
    trackTensor(this);
  }

  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  /** Number of elements. */
  get size(): number {
    return sizeOf(this.shape);
  }

  /** Whether {@link Tensor.dispose} has freed this tensor. */
  get isDisposed(): boolean {
    return this.#disposed;
  }

  /** Throw a clear error when the tensor was disposed (used by every op). */
  assertAlive(fn: string): void {
    if (this.#disposed) {
      throw typeError(fn, `tensor of shape [${this.shape.join(", ")}] was already disposed`);
    }
  }

  /** Values as a flat typed array (a copy). Works on every backend. */
  async data(): Promise<TypedArray> {
    this.assertAlive("data");
    return await this.backend.read(this.info);
  }

  /**
   * Values as a flat typed array, synchronously. Only on backends that can
   * (cpu, blas); on webgpu it throws because a GPU readback must be awaited.
   */
  dataSync(): TypedArray {
    this.assertAlive("dataSync");
    if (!this.backend.capabilities.readSync) {
      throw typeError(
        "dataSync",
        `the ${this.backend.name} backend cannot read synchronously (a GPU readback must wait for the device); use await t.data()`,
      );
    }
    return this.backend.readSync(this.info);
  }

  /** Values as nested JS arrays (bool → boolean). */
  async array(): Promise<NestedArray> {
    return toNested(await this.data(), this.shape, this.dtype);
  }

  /** Values as nested JS arrays, synchronously (cpu, blas). */
  arraySync(): NestedArray {
    return toNested(this.dataSync(), this.shape, this.dtype);
  }

  /** The single value of a size-1 tensor. */
  async item(): Promise<number> {
    if (this.size !== 1) {
      throw typeError(
        "item",
        `tensor must have exactly one element, got shape [${this.shape.join(", ")}]`,
      );
    }
    return (await this.data())[0];
  }

  /** The single value of a size-1 tensor, synchronously (cpu, blas). */
  itemSync(): number {
    if (this.size !== 1) {
      throw typeError(
        "itemSync",
        `tensor must have exactly one element, got shape [${this.shape.join(", ")}]`,
      );
    }
    return this.dataSync()[0];
  }

  /** Free the storage. Safe to call twice. */
  dispose(): void {
    if (this.#disposed) return;
    if (!untrackTensor(this)) return; // deferred while autodiff holds it
    this.#disposed = true;
    this.backend.dispose(this.info);
  }

  /** `using t = ...` support. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  /** Short description, without reading data. */
  toString(): string {
    return `Tensor(shape=[${
      this.shape.join(", ")
    }], dtype=${this.dtype}, backend=${this.backend.name})`;
  }
}

/** Convert flat values to nested arrays of `shape`. */
export function toNested(values: TypedArray, shape: readonly number[], dtype: DType): NestedArray {
  const conv = dtype === "bool" ? (v: number) => v !== 0 : (v: number) => v;
  if (shape.length === 0) return conv(values[0]);
  let offset = 0;
  const build = (dim: number): NestedArray[] => {
    const n = shape[dim];
    const out: NestedArray[] = new Array(n);
    if (dim === shape.length - 1) {
      for (let i = 0; i < n; i++) out[i] = conv(values[offset++]);
    } else {
      for (let i = 0; i < n; i++) out[i] = build(dim + 1);
    }
    return out;
  };
  return build(0);
}
