/**
 * Instantiate a base64-encoded WebAssembly module synchronously, the shared
 * loading step of the cpu backend's SIMD kernels (`mod.ts`, `gemm.ts`).
 *
 * @module
 */

/**
 * Decode `base64`, validate and instantiate it (no imports). Returns null when
 * WebAssembly is missing or the module does not validate (no SIMD support).
 *
 * @example
 * ```ts
 * import { instantiateBase64 } from "./instantiate.ts";
 * import { KERNELS_WASM_BASE64 } from "./kernels_wasm.ts";
 * const inst = instantiateBase64(KERNELS_WASM_BASE64);
 * console.assert(inst === null || inst.exports.memory instanceof WebAssembly.Memory);
 * ```
 */
export function instantiateBase64(base64: string): WebAssembly.Instance | null {
  if (typeof WebAssembly !== "object" || typeof atob !== "function") return null;
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  if (!WebAssembly.validate(bytes)) return null;
  return new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
}
