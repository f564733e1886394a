/**
 * Acquiring a WebGPU adapter and device, with clear reasons when that fails,
 * and telling hardware adapters from software ones (lavapipe, llvmpipe,
 * SwiftShader) so that `"auto"` only picks a real GPU.
 *
 * @module
 */

/** The parts of `navigator.gpu` this backend uses (injectable for tests). */
export interface GpuLike {
  /** Request an adapter; resolves to null when there is none. */
  requestAdapter(options?: GPURequestAdapterOptions): Promise<GPUAdapter | null>;
}

/** Options of {@link acquireDevice}. */
export interface AcquireOptions {
  /** The WebGPU entry point; defaults to `navigator.gpu`. */
  readonly gpu?: GpuLike;
  /** Adapter power preference. */
  readonly powerPreference?: GPUPowerPreference;
}

/** An adapter and the device requested from it. */
export interface GpuDevice {
  /** The adapter. */
  readonly adapter: GPUAdapter;
  /** The device (limits raised to what the adapter allows for buffer sizes). */
  readonly device: GPUDevice;
  /** Adapter description for reports ("NVIDIA ...", "llvmpipe ..."). */
  readonly description: string;
  /** True for a software or fallback adapter (lavapipe, llvmpipe, SwiftShader, WARP). */
  readonly software: boolean;
}

const SOFTWARE_NAMES = [
  "llvmpipe",
  "lavapipe",
  "swiftshader",
  "softpipe",
  "microsoft basic render",
];

/**
 * Whether an adapter is a software or fallback implementation (judged from
 * `isFallbackAdapter` and the vendor/architecture/description strings).
 *
 * @example
 * ```ts
 * import { isSoftwareAdapter } from "./device.ts";
 * console.assert(isSoftwareAdapter({ description: "llvmpipe (LLVM 15.0.6, 256 bits)" }));
 * console.assert(!isSoftwareAdapter({ vendor: "nvidia", description: "NVIDIA H200" }));
 * ```
 */
export function isSoftwareAdapter(
  info: {
    readonly vendor?: string;
    readonly architecture?: string;
    readonly description?: string;
    readonly device?: string;
    readonly isFallbackAdapter?: boolean;
  },
  isFallbackAdapter = false,
): boolean {
  if (isFallbackAdapter || info.isFallbackAdapter === true) return true;
  const text = [info.vendor, info.architecture, info.description, info.device]
    .filter((s) => typeof s === "string")
    .join(" ")
    .toLowerCase();
  return SOFTWARE_NAMES.some((name) => text.includes(name));
}

/** Default `navigator.gpu`, or a clear error when this runtime has none. */
function defaultGpu(): GpuLike {
  const nav = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator;
  if (!nav || !nav.gpu) {
    throw new Error("navigator.gpu is undefined (not Deno / no WebGPU)");
  }
  return nav.gpu;
}

/** Raise the buffer-size limits to what the adapter offers (kernels use only default limits otherwise). */
function wantedLimits(adapter: GPUAdapter): Record<string, number> {
  const out: Record<string, number> = {};
  const l = adapter.limits;
  for (const name of ["maxStorageBufferBindingSize", "maxBufferSize"] as const) {
    const v = l[name];
    if (typeof v === "number" && v > 0) out[name] = v;
  }
  return out;
}

/**
 * Request an adapter and a device. Throws an `Error` whose message says why
 * WebGPU is unavailable ("navigator.gpu is undefined (not Deno / no
 * WebGPU)", "no WebGPU adapter", or the device request failure).
 *
 * @example
 * ```ts ignore
 * import { acquireDevice } from "./device.ts";
 * const { device, software } = await acquireDevice();
 * console.log(device.limits.maxBufferSize, software);
 * ```
 */
export async function acquireDevice(options: AcquireOptions = {}): Promise<GpuDevice> {
  const gpu = options.gpu ?? defaultGpu();
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter(
      options.powerPreference ? { powerPreference: options.powerPreference } : undefined,
    );
  } catch (e) {
    throw new Error(`no WebGPU adapter (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!adapter) throw new Error("no WebGPU adapter");
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({ requiredLimits: wantedLimits(adapter) });
  } catch (e) {
    throw new Error(
      `WebGPU device request failed: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  const info = (adapter as { info?: GPUAdapterInfo }).info ?? ({} as GPUAdapterInfo);
  const fallback = (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  const description = [info.description, info.vendor, info.architecture]
    .filter((s) => typeof s === "string" && s.length > 0)
    .join(", ") || "unknown adapter";
  return { adapter, device, description, software: isSoftwareAdapter(info, fallback) };
}
