/**
 * The GPU buffer pool: storage buffers in power-of-two size classes, reused
 * after release and bounded in total pooled bytes (beyond the bound a
 * released buffer is destroyed).
 *
 * Reuse is safe without fences because every use of a buffer is recorded on
 * the one queue in order: a buffer released after being read by pending
 * commands is only rewritten by commands recorded later (the backend flushes
 * its open encoder before any `queue.writeBuffer`). Buffers released beyond
 * the bound are destroyed only after the next submit ({@link BufferPool.reap}).
 *
 * @module
 */

/** Smallest size class in bytes (also a multiple of 16 for vec4 bindings). */
export const MIN_CLASS_BYTES = 64;

/** Usage flags of every pooled buffer. */
export const POOL_USAGE: number = 0x80 /* STORAGE */ | 0x04 /* COPY_SRC */ | 0x08; /* COPY_DST */

/** The size class (a power of two ≥ {@link MIN_CLASS_BYTES}) holding `bytes`. */
export function sizeClass(bytes: number): number {
  let c = MIN_CLASS_BYTES;
  while (c < bytes) c *= 2;
  return c;
}

/** Options of {@link BufferPool}. */
export interface BufferPoolOptions {
  /** Largest buffer the kernels may bind (default: the device's maxStorageBufferBindingSize). */
  readonly maxBufferBytes?: number;
  /** Most bytes kept in the pool (default 256 MiB). */
  readonly maxPooledBytes?: number;
  /** Most free buffers kept per size class (default 64). */
  readonly maxPerClass?: number;
}

/**
 * A bounded pool of storage buffers by size class.
 *
 * @example
 * ```ts ignore
 * import { BufferPool } from "./buffers.ts";
 * const pool = new BufferPool(device);
 * const b = pool.acquire(100); // a 128-byte buffer
 * pool.release(b);
 * console.assert(pool.acquire(120) === b);
 * ```
 */
export class BufferPool {
  readonly #device: GPUDevice;
  readonly #free = new Map<number, GPUBuffer[]>();
  readonly #maxPooledBytes: number;
  readonly #maxPerClass: number;
  readonly #maxBuffer: number;
  #pooledBytes = 0;
  readonly #doomed: GPUBuffer[] = [];
  #created = 0;
  #destroyed = 0;

  /** A pool that creates buffers on `device`. */
  constructor(device: GPUDevice, options: BufferPoolOptions = {}) {
    this.#device = device;
    this.#maxPooledBytes = options.maxPooledBytes ?? 256 * 1024 * 1024;
    this.#maxPerClass = options.maxPerClass ?? 64;
    this.#maxBuffer = options.maxBufferBytes ??
      Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  }

  /**
   * A buffer of at least `bytes` bytes (its size is the size class; beyond
   * the binding limit the exact size rounded to 256). RangeError when even
   * that exceeds the device's storage binding limit.
   */
  acquire(bytes: number): GPUBuffer {
    let size = sizeClass(bytes);
    if (size > this.#maxBuffer) {
      size = Math.ceil(bytes / 256) * 256;
      if (size > this.#maxBuffer) {
        throw new RangeError(
          `webgpu(): a buffer of ${bytes} bytes exceeds the device's storage binding limit of ${this.#maxBuffer} bytes`,
        );
      }
    }
    const list = this.#free.get(size);
    const reused = list?.pop();
    if (reused) {
      this.#pooledBytes -= size;
      return reused;
    }
    this.#created++;
    return this.#device.createBuffer({ size, usage: POOL_USAGE });
  }

  /** Return a buffer from {@link BufferPool.acquire}; destroyed when the pool is full. */
  release(buffer: GPUBuffer): void {
    const size = buffer.size;
    let list = this.#free.get(size);
    if (!list) {
      list = [];
      this.#free.set(size, list);
    }
    if (
      this.#pooledBytes + size > this.#maxPooledBytes || list.length >= this.#maxPerClass
    ) {
      // Commands recorded but not yet submitted may still use it: destroy after the next submit.
      this.#doomed.push(buffer);
      return;
    }
    list.push(buffer);
    this.#pooledBytes += size;
  }

  /**
   * Destroy the buffers released beyond the bound. Call right after a
   * submit: WebGPU defers the destruction of a buffer still in use by
   * submitted work, but a buffer used by an unsubmitted encoder must live.
   */
  reap(): void {
    for (const b of this.#doomed.splice(0)) {
      this.#destroyed++;
      b.destroy();
    }
  }

  /** Bytes held by free pooled buffers. */
  get pooledBytes(): number {
    return this.#pooledBytes;
  }

  /** Free buffers held by the pool. */
  get pooledBuffers(): number {
    let n = 0;
    for (const list of this.#free.values()) n += list.length;
    return n;
  }

  /** Buffers created and destroyed so far (for leak tests). */
  get stats(): { created: number; destroyed: number } {
    return { created: this.#created, destroyed: this.#destroyed };
  }

  /** The most bytes this pool keeps. */
  get maxPooledBytes(): number {
    return this.#maxPooledBytes;
  }

  /** Destroy every pooled buffer (the device is going away). */
  clear(): void {
    this.reap();
    for (const list of this.#free.values()) {
      for (const b of list) b.destroy();
    }
    this.#free.clear();
    this.#pooledBytes = 0;
  }
}
