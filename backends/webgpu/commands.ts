/**
 * Command recording: one open command encoder that batches every kernel
 * dispatch and copy until a flush (a read, a host write, or every
 * {@link FLUSH_EVERY} dispatches), and the per-dispatch parameter blocks,
 * which are packed into reusable chunks and uploaded just before submit.
 *
 * @module
 */

import type { BufferPool } from "./buffers.ts";
import type { Kernel, PipelineCache } from "./pipelines.ts";

/** Dispatches recorded before an automatic submit. */
export const FLUSH_EVERY = 64;

/** Largest workgroup count along one dispatch dimension (WebGPU default limit). */
export const MAX_GROUPS_PER_DIM = 65535;

const CHUNK_BYTES = 64 * 1024;

interface ParamChunk {
  readonly gpu: GPUBuffer;
  readonly host: Uint32Array<ArrayBuffer>;
  used: number; // bytes
}

/**
 * Builds a kernel parameter block of 32-bit words.
 *
 * @example
 * ```ts
 * import { Params } from "./commands.ts";
 * const p = new Params().u32(3).i32(-1).f32(0.5).words();
 * console.assert(p.length === 3 && p[1] === 0xffffffff);
 * ```
 */
export class Params {
  readonly #words: number[] = [];
  static readonly #f32 = new Float32Array(1);
  static readonly #u32 = new Uint32Array(Params.#f32.buffer);

  /** Append an unsigned word. */
  u32(v: number): this {
    this.#words.push(v >>> 0);
    return this;
  }

  /** Append a signed word (two's complement). */
  i32(v: number): this {
    this.#words.push((v | 0) >>> 0);
    return this;
  }

  /** Append a float32 (its bits). */
  f32(v: number): this {
    Params.#f32[0] = v;
    this.#words.push(Params.#u32[0]);
    return this;
  }

  /** Append several unsigned words. */
  u32s(vs: readonly number[]): this {
    for (const v of vs) this.u32(v);
    return this;
  }

  /** Append several signed words. */
  i32s(vs: readonly number[]): this {
    for (const v of vs) this.i32(v);
    return this;
  }

  /** The words (at least one). */
  words(): Uint32Array {
    return new Uint32Array(this.#words.length ? this.#words : [0]);
  }
}

/**
 * What kernels need from the backend: pipelines, dispatch, copies and
 * temporary buffers.
 */
export interface KernelContext {
  /** The device. */
  readonly device: GPUDevice;
  /** A cached kernel (see {@link PipelineCache.get}). */
  kernel(key: string, nIn: number, nOut: number, source: () => string): Kernel;
  /** Record a dispatch; `groups` is a 1-D count (folded into 2-D when large) or explicit x, y, z. */
  dispatch(
    kernel: Kernel,
    params: Uint32Array,
    buffers: readonly GPUBuffer[],
    groups: number | readonly [number, number, number],
  ): void;
  /** Record a buffer-to-buffer copy. */
  copy(src: GPUBuffer, srcOffset: number, dst: GPUBuffer, dstOffset: number, bytes: number): void;
  /** A pooled buffer of at least `bytes` bytes (zero-filled is NOT guaranteed). */
  alloc(bytes: number): GPUBuffer;
  /** Return a temporary buffer to the pool (safe right after recording its last use). */
  free(buffer: GPUBuffer): void;
}

/** Split a 1-D workgroup count into x, y within the per-dimension limit. */
export function foldGroups(n: number): [number, number, number] {
  if (n <= MAX_GROUPS_PER_DIM) return [n, 1, 1];
  const y = Math.ceil(n / MAX_GROUPS_PER_DIM);
  if (y > MAX_GROUPS_PER_DIM) {
    throw new RangeError(`webgpu(): ${n} workgroups exceed the dispatch limit`);
  }
  return [Math.ceil(n / y), y, 1];
}

/**
 * Records dispatches into one encoder and submits in batches.
 *
 * @example
 * ```ts ignore
 * import { Recorder } from "./commands.ts";
 * const rec = new Recorder(device, cache, pool);
 * rec.dispatch(kernel, params, [input, output], 4);
 * rec.flush();
 * ```
 */
export class Recorder implements KernelContext {
  readonly device: GPUDevice;
  readonly #cache: PipelineCache;
  readonly #pool: BufferPool;
  readonly #align: number;
  #encoder: GPUCommandEncoder | null = null;
  #pass: GPUComputePassEncoder | null = null;
  #pending = 0;
  readonly #chunks: ParamChunk[] = [];
  #chunk = 0;
  #submits = 0;

  /** A recorder on `device` using `cache` and `pool`. */
  constructor(device: GPUDevice, cache: PipelineCache, pool: BufferPool) {
    this.device = device;
    this.#cache = cache;
    this.#pool = pool;
    this.#align = Math.max(16, device.limits.minStorageBufferOffsetAlignment ?? 256);
  }

  /** Command buffers submitted so far. */
  get submits(): number {
    return this.#submits;
  }

  kernel(key: string, nIn: number, nOut: number, source: () => string): Kernel {
    return this.#cache.get(key, nIn, nOut, source);
  }

  alloc(bytes: number): GPUBuffer {
    return this.#pool.acquire(bytes);
  }

  free(buffer: GPUBuffer): void {
    this.#pool.release(buffer);
  }

  dispatch(
    kernel: Kernel,
    params: Uint32Array,
    buffers: readonly GPUBuffer[],
    groups: number | readonly [number, number, number],
  ): void {
    if (buffers.length !== kernel.nIn + kernel.nOut) {
      throw new TypeError(
        `webgpu dispatch(): kernel takes ${
          kernel.nIn + kernel.nOut
        } buffers, got ${buffers.length}`,
      );
    }
    const [x, y, z] = typeof groups === "number" ? foldGroups(groups) : groups;
    if (x === 0 || y === 0 || z === 0) return;
    const { chunk, offset, size } = this.#params(params);
    const entries: GPUBindGroupEntry[] = [
      { binding: 0, resource: { buffer: chunk.gpu, offset, size } },
    ];
    for (let i = 0; i < buffers.length; i++) {
      entries.push({ binding: i + 1, resource: { buffer: buffers[i] } });
    }
    const bindGroup = this.device.createBindGroup({ layout: kernel.layout, entries });
    const pass = this.#computePass();
    pass.setPipeline(kernel.pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(x, y, z);
    if (++this.#pending >= FLUSH_EVERY) this.flush();
  }

  copy(src: GPUBuffer, srcOffset: number, dst: GPUBuffer, dstOffset: number, bytes: number): void {
    if (bytes === 0) return;
    const enc = this.#copyEncoder();
    enc.copyBufferToBuffer(src, srcOffset, dst, dstOffset, bytes);
    this.#pending++;
  }

  /** Submit everything recorded so far (uploading parameter blocks first). */
  flush(): void {
    if (!this.#encoder) {
      this.#pool.reap();
      return;
    }
    if (this.#pass) {
      this.#pass.end();
      this.#pass = null;
    }
    for (let i = 0; i <= this.#chunk && i < this.#chunks.length; i++) {
      const c = this.#chunks[i];
      if (c.used > 0) {
        this.device.queue.writeBuffer(c.gpu, 0, c.host.buffer, 0, c.used);
        c.used = 0;
      }
    }
    this.#chunk = 0;
    const cmd = this.#encoder.finish();
    this.#encoder = null;
    this.#pending = 0;
    this.device.queue.submit([cmd]);
    this.#submits++;
    this.#pool.reap();
  }

  /** Destroy the parameter chunks (the device is going away). */
  destroy(): void {
    this.#encoder = null;
    this.#pass = null;
    for (const c of this.#chunks) c.gpu.destroy();
    this.#chunks.length = 0;
  }

  #computePass(): GPUComputePassEncoder {
    if (this.#pass) return this.#pass;
    this.#encoder ??= this.device.createCommandEncoder();
    this.#pass = this.#encoder.beginComputePass();
    return this.#pass;
  }

  #copyEncoder(): GPUCommandEncoder {
    if (this.#pass) {
      this.#pass.end();
      this.#pass = null;
    }
    this.#encoder ??= this.device.createCommandEncoder();
    return this.#encoder;
  }

  #params(words: Uint32Array): { chunk: ParamChunk; offset: number; size: number } {
    const size = Math.max(16, Math.ceil(words.byteLength / 16) * 16);
    if (size > CHUNK_BYTES) {
      throw new RangeError(`webgpu dispatch(): parameter block of ${size} bytes is too large`);
    }
    for (;;) {
      let chunk = this.#chunks[this.#chunk];
      if (!chunk) {
        chunk = {
          gpu: this.device.createBuffer({ size: CHUNK_BYTES, usage: 0x80 | 0x08 }),
          host: new Uint32Array(CHUNK_BYTES / 4),
          used: 0,
        };
        this.#chunks.push(chunk);
      }
      const offset = Math.ceil(chunk.used / this.#align) * this.#align;
      if (offset + size <= CHUNK_BYTES) {
        chunk.host.set(words, offset / 4);
        chunk.used = offset + size;
        return { chunk, offset, size };
      }
      this.#chunk++;
    }
  }
}
