/**
 * The compute-pipeline cache: each WGSL kernel is compiled once per key (op,
 * dtype and shape class, chosen by the kernel) and reused. Bind-group layouts
 * are explicit and shared by binding signature.
 *
 * Binding convention of every kernel: `@binding(0)` is the read-only `u32`
 * parameter block, then `nIn` read-only storage buffers, then `nOut`
 * read-write storage buffers.
 *
 * @module
 */

/** A compiled kernel and its binding signature. */
export interface Kernel {
  /** The compiled pipeline. */
  readonly pipeline: GPUComputePipeline;
  /** Its bind-group layout. */
  readonly layout: GPUBindGroupLayout;
  /** Read-only storage inputs after the parameter block. */
  readonly nIn: number;
  /** Read-write storage outputs after the inputs. */
  readonly nOut: number;
}

/**
 * Caches compiled pipelines by key.
 *
 * @example
 * ```ts ignore
 * import { PipelineCache } from "./pipelines.ts";
 * const cache = new PipelineCache(device);
 * const k = cache.get("copy:f32", 1, 1, () => "...WGSL...");
 * console.assert(cache.get("copy:f32", 1, 1, () => "") === k);
 * ```
 */
export class PipelineCache {
  readonly #device: GPUDevice;
  readonly #kernels = new Map<string, Kernel>();
  readonly #layouts = new Map<string, GPUBindGroupLayout>();

  /** A cache that compiles on `device`. */
  constructor(device: GPUDevice) {
    this.#device = device;
  }

  /** Number of compiled pipelines. */
  get size(): number {
    return this.#kernels.size;
  }

  /** The kernel for `key`, compiling `source()` on the first request. */
  get(key: string, nIn: number, nOut: number, source: () => string): Kernel {
    const have = this.#kernels.get(key);
    if (have) {
      if (have.nIn !== nIn || have.nOut !== nOut) {
        throw new TypeError(`webgpu pipeline "${key}" requested with a different signature`);
      }
      return have;
    }
    const layout = this.#layout(nIn, nOut);
    const module = this.#device.createShaderModule({ label: key, code: source() });
    const pipeline = this.#device.createComputePipeline({
      label: key,
      layout: this.#device.createPipelineLayout({ bindGroupLayouts: [layout] }),
      compute: { module, entryPoint: "main" },
    });
    const kernel: Kernel = { pipeline, layout, nIn, nOut };
    this.#kernels.set(key, kernel);
    return kernel;
  }

  #layout(nIn: number, nOut: number): GPUBindGroupLayout {
    const key = `${nIn}:${nOut}`;
    const have = this.#layouts.get(key);
    if (have) return have;
    const entries: GPUBindGroupLayoutEntry[] = [];
    for (let i = 0; i <= nIn + nOut; i++) {
      entries.push({
        binding: i,
        visibility: 4, // GPUShaderStage.COMPUTE
        buffer: { type: i <= nIn ? "read-only-storage" : "storage" },
      });
    }
    const layout = this.#device.createBindGroupLayout({ entries });
    this.#layouts.set(key, layout);
    return layout;
  }
}
