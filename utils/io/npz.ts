/**
 * NumPy's `.npz` archives: a zip of `name.npy` entries, stored
 * (`numpy.savez`) or deflated (`numpy.savez_compressed`). Read with the
 * strict zip reader of `zip.ts` and the strict `.npy` reader of `npy.ts`;
 * written with `fflate`.
 *
 * @module
 */

import { isTensor } from "../../core/engine.ts";
import { typeError } from "../../core/errors.ts";
import { type TensorLike, toTensor } from "../../core/ops/convert.ts";
import type { Tensor } from "../../core/tensor.ts";
import {
  checkMaxBytes,
  checkPath,
  decodeNpyAs,
  type DecodeNpyOptions,
  encodeValues,
} from "./npy.ts";
import { checkEntryName, encodeZip, extractZipEntry, readZipEntries } from "./zip.ts";

/** Options of {@link encodeNpz} and {@link saveNpz}. */
export interface EncodeNpzOptions {
  /** Deflate the entries, as `numpy.savez_compressed` (default false: stored, as `numpy.savez`). */
  readonly compress?: boolean;
}

/** Named arrays, as `numpy.savez(file, **arrays)` takes them. */
export type NamedArrays = Readonly<Record<string, TensorLike>>;

/**
 * Encode named arrays as the bytes of a `.npz` archive (entry `name.npy` per
 * array), readable by `numpy.load`. Reads every tensor's values. TypeError
 * for an unsafe name (empty, absolute, with `..`, `.` or a backslash).
 *
 * @example
 * ```ts
 * import { decodeNpz, encodeNpz } from "./npz.ts";
 * import { tensor } from "../../mod.ts";
 * using w = tensor([[1, 2], [3, 4]]);
 * const bytes = await encodeNpz({ W: w, b: [0.5, -0.5] }, { compress: true });
 * const back = decodeNpz(bytes);
 * console.assert(Object.keys(back).join() === "W,b");
 * for (const t of Object.values(back)) t.dispose();
 * ```
 */
export async function encodeNpz(
  arrays: NamedArrays,
  options: EncodeNpzOptions = {},
): Promise<Uint8Array> {
  return await encodeNpzAs("encodeNpz", arrays, options);
}

async function encodeNpzAs(
  fn: string,
  arrays: NamedArrays,
  options: EncodeNpzOptions,
): Promise<Uint8Array> {
  if (arrays === null || typeof arrays !== "object" || Array.isArray(arrays) || isTensor(arrays)) {
    throw typeError(fn, "arrays must be an object of named arrays, as { W: tensor, b: [...] }");
  }
  const compress = options.compress ?? false;
  if (typeof compress !== "boolean") {
    throw typeError(fn, `compress must be a boolean, got ${typeof compress}`);
  }
  const names = Object.keys(arrays);
  for (const name of names) checkEntryName(fn, `${name}.npy`);
  const files: [string, Uint8Array][] = [];
  for (const name of names) {
    const x = arrays[name];
    const t = toTensor(x, fn);
    try {
      files.push([`${name}.npy`, encodeValues(await t.data(), t.shape, t.dtype)]);
    } finally {
      if (t !== x) t.dispose();
    }
  }
  return encodeZip(files, { compress, fn });
}

/**
 * Decode the bytes of a `.npz` archive into named tensors (the `.npy`
 * suffix dropped, as `numpy.load(...)[name]`). Every entry must be a `.npy`
 * array that {@link decodeNpy} accepts; `maxBytes` bounds each entry's
 * uncompressed size. TypeError for a malformed archive or entry (including
 * path-traversal names); RangeError for an entry over `maxBytes`. On error
 * nothing is left allocated.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { decodeNpz, encodeNpz } from "./npz.ts";
 * const bytes = await encodeNpz({ x: [1, 2, 3] });
 * const { x } = decodeNpz(bytes);
 * console.assert((await x.data()).join() === "1,2,3");
 * x.dispose();
 * ```
 */
export function decodeNpz(
  bytes: Uint8Array,
  options: DecodeNpyOptions = {},
): Record<string, Tensor> {
  return decodeNpzAs("decodeNpz", bytes, options);
}

function decodeNpzAs(
  fn: string,
  bytes: Uint8Array,
  options: DecodeNpyOptions,
): Record<string, Tensor> {
  if (!(bytes instanceof Uint8Array)) {
    throw typeError(fn, `expected a Uint8Array, got ${typeof bytes}`);
  }
  const maxBytes = checkMaxBytes(fn, options.maxBytes);
  const entries = readZipEntries(bytes, { maxBytes, fn });
  for (const e of entries) {
    if (!e.name.endsWith(".npy")) {
      throw typeError(fn, `entry ${JSON.stringify(e.name)} is not a .npy array`);
    }
  }
  const out: Record<string, Tensor> = {};
  try {
    for (const e of entries) {
      const t = decodeNpyAs(fn, extractZipEntry(bytes, e, fn), options);
      // defineProperty keeps a name such as "__proto__" an ordinary key.
      Object.defineProperty(out, e.name.slice(0, -4), {
        value: t,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  } catch (err) {
    for (const t of Object.values(out)) t.dispose();
    throw err;
  }
  return out;
}

/**
 * Write named arrays to a `.npz` file that `numpy.load(path)` reads back
 * identically. Needs `--allow-write`.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { loadNpz, saveNpz } from "./npz.ts";
 * const path = await Deno.makeTempFile({ suffix: ".npz" });
 * await saveNpz(path, { a: [1, 2], b: [[3]] }, { compress: true });
 * const { a, b } = await loadNpz(path);
 * console.assert(a.shape.join() === "2" && b.shape.join() === "1,1");
 * a.dispose();
 * b.dispose();
 * await Deno.remove(path);
 * ```
 */
export async function saveNpz(
  path: string | URL,
  arrays: NamedArrays,
  options: EncodeNpzOptions = {},
): Promise<void> {
  checkPath("saveNpz", path);
  await Deno.writeFile(path, await encodeNpzAs("saveNpz", arrays, options));
}

/**
 * Read a `.npz` file written by `numpy.savez` / `numpy.savez_compressed`
 * (or {@link saveNpz}) into named tensors. Same checks and options as
 * {@link decodeNpz}. Needs `--allow-read`.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { loadNpz, saveNpz } from "./npz.ts";
 * const path = await Deno.makeTempFile({ suffix: ".npz" });
 * await saveNpz(path, { v: [4, 5] });
 * const { v } = await loadNpz(path);
 * console.assert((await v.data()).join() === "4,5");
 * v.dispose();
 * await Deno.remove(path);
 * ```
 */
export async function loadNpz(
  path: string | URL,
  options: DecodeNpyOptions = {},
): Promise<Record<string, Tensor>> {
  checkPath("loadNpz", path);
  return decodeNpzAs("loadNpz", await Deno.readFile(path), options);
}
