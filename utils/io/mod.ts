/**
 * Saving and loading (ngclearn's `io_utils`, without pickle): NumPy `.npy`
 * and `.npz` files that move between ngc-utils and Python unchanged, JSON
 * for plain configuration objects, and folder creation.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { loadNpz, makedir, saveNpz } from "./mod.ts";
 * const root = await Deno.makeTempDir();
 * await makedir(`${root}/ckpt`);
 * await saveNpz(`${root}/ckpt/params.npz`, { W: [[1, 2], [3, 4]] }, { compress: true });
 * const { W } = await loadNpz(`${root}/ckpt/params.npz`);
 * console.assert(W.shape.join() === "2,2");
 * W.dispose();
 * await Deno.remove(root, { recursive: true });
 * ```
 *
 * @module
 */

export {
  decodeNpy,
  type DecodeNpyOptions,
  DEFAULT_MAX_NPY_BYTES,
  encodeNpy,
  loadNpy,
  type NpyHeader,
  parseNpyHeader,
  saveNpy,
} from "./npy.ts";
export {
  decodeNpz,
  encodeNpz,
  type EncodeNpzOptions,
  loadNpz,
  type NamedArrays,
  saveNpz,
} from "./npz.ts";
export { checkJson, type JsonValue, loadJson, saveJson, type SaveJsonOptions } from "./json.ts";
export { makedir, makedirs } from "./fs.ts";
