/**
 * NumPy's `.npy` format (versions 1.0, 2.0 and 3.0 read; 1.0 written): a
 * magic string, a Python-literal header `{'descr': ..., 'fortran_order': ...,
 * 'shape': (...), }` and the raw little-endian values in C order. Supported
 * dtypes: `<f4` (float32), `<f8` (float64), `<i4` (int32), `<u4` (uint32) and
 * `|b1` (bool).
 *
 * This replaces ngclearn's pickle-based `io_utils`: files move between
 * ngc-utils and Python (`numpy.load` / `numpy.save`) with no conversion, and
 * reading never executes stored code. The reader is strict about hostile
 * input: the header is parsed (never evaluated), every size is checked
 * against the bytes actually present before anything is allocated, and
 * every malformed file is a `TypeError` (bad format, dtype or shape) or a
 * `RangeError` (a size over the limits) whose message starts with the
 * public function's name.
 *
 * @module
 */

import type { Backend, DType, TypedArray } from "../../backends/backend.ts";
import { getBackend } from "../../core/engine.ts";
import { fmtShape, rangeError, typeError } from "../../core/errors.ts";
import {
  checkBackendDType,
  checkDType,
  type TensorLike,
  toTensor,
  toTypedArray,
  wrap,
} from "../../core/ops/convert.ts";
import type { Tensor } from "../../core/tensor.ts";

/** The six magic bytes every `.npy` file starts with: `\x93NUMPY`. */
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
/** NumPy refuses headers longer than this by default (`max_header_size`). */
const MAX_HEADER_BYTES = 10000;
/** More dimensions than NumPy 2 allows (64) is a malformed header. */
const MAX_DIMS = 64;
/**
 * Default cap on the data bytes of one array (1 GiB); raise it with the
 * `maxBytes` option of the readers.
 *
 * @example
 * ```ts
 * import { DEFAULT_MAX_NPY_BYTES } from "./npy.ts";
 * console.assert(DEFAULT_MAX_NPY_BYTES === 1073741824);
 * ```
 */
export const DEFAULT_MAX_NPY_BYTES = 2 ** 30;

const DESCR_OF: Readonly<Record<DType, string>> = {
  float32: "<f4",
  float64: "<f8",
  int32: "<i4",
  uint32: "<u4",
  bool: "|b1",
};

const DTYPE_OF: ReadonlyMap<string, DType> = new Map<string, DType>([
  ["<f4", "float32"],
  ["<f8", "float64"],
  ["<i4", "int32"],
  ["<u4", "uint32"],
  ["|b1", "bool"],
]);

const ITEM_SIZE: Readonly<Record<DType, number>> = {
  float32: 4,
  float64: 8,
  int32: 4,
  uint32: 4,
  bool: 1,
};

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Options of {@link decodeNpy} and {@link loadNpy}. */
export interface DecodeNpyOptions {
  /**
   * Convert the values on the host to this dtype before upload (e.g.
   * `"float32"` to put a float64 file on a backend without float64). Without
   * it the file's dtype is kept, and a dtype the backend lacks is a TypeError.
   */
  readonly dtype?: DType;
  /** Backend to create the tensor on (default: the current backend). */
  readonly backend?: Backend;
  /** Largest accepted data size in bytes (default 1 GiB). */
  readonly maxBytes?: number;
}

/** What a parsed `.npy` header says. */
export interface NpyHeader {
  /** The element type. */
  readonly dtype: DType;
  /** The shape (C order). */
  readonly shape: readonly number[];
  /** Offset of the first data byte. */
  readonly dataOffset: number;
  /** Number of data bytes the header declares. */
  readonly dataBytes: number;
}

/**
 * Parse and validate the header of a `.npy` file without touching its data:
 * magic, version, header length, the Python-literal dictionary (parsed, never
 * evaluated), dtype, C order and shape. Checks that the declared data size
 * is within `maxBytes` and does not exceed the bytes present. TypeError for
 * a malformed or unsupported header; RangeError for a size over the limits.
 *
 * @example
 * ```ts
 * import { encodeNpy, parseNpyHeader } from "./npy.ts";
 * import { tensor } from "../../mod.ts";
 * using t = tensor([[1, 2, 3], [4, 5, 6]]);
 * const h = parseNpyHeader(await encodeNpy(t));
 * console.assert(h.dtype === "float32" && h.shape.join() === "2,3" && h.dataBytes === 24);
 * ```
 */
export function parseNpyHeader(
  bytes: Uint8Array,
  options: { readonly maxBytes?: number; readonly fn?: string } = {},
): NpyHeader {
  const fn = options.fn ?? "parseNpyHeader";
  if (!(bytes instanceof Uint8Array)) {
    throw typeError(fn, `expected a Uint8Array, got ${describe(bytes)}`);
  }
  const maxBytes = checkMaxBytes(fn, options.maxBytes);
  if (bytes.length < 10) {
    throw typeError(
      fn,
      `not a .npy file: ${bytes.length} bytes is shorter than the 10-byte preamble`,
    );
  }
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC[i]) {
      throw typeError(fn, "not a .npy file: the magic string \\x93NUMPY is missing");
    }
  }
  const major = bytes[6], minor = bytes[7];
  let headerLen: number, start: number;
  if (major === 1 && minor === 0) {
    headerLen = bytes[8] | (bytes[9] << 8);
    start = 10;
  } else if ((major === 2 || major === 3) && minor === 0) {
    if (bytes.length < 12) {
      throw typeError(fn, `truncated file: ${bytes.length} bytes, no header length`);
    }
    headerLen = (bytes[8] | (bytes[9] << 8) | (bytes[10] << 16)) + bytes[11] * 2 ** 24;
    start = 12;
  } else {
    throw typeError(
      fn,
      `unsupported .npy format version ${major}.${minor} (1.0, 2.0 and 3.0 are read)`,
    );
  }
  if (headerLen > MAX_HEADER_BYTES) {
    throw rangeError(
      fn,
      `header length ${headerLen} exceeds the limit of ${MAX_HEADER_BYTES} bytes`,
    );
  }
  if (start + headerLen > bytes.length) {
    throw typeError(
      fn,
      `truncated file: the header declares ${headerLen} bytes but only ${
        bytes.length - start
      } follow`,
    );
  }
  let text = "";
  for (let i = start; i < start + headerLen; i++) {
    const c = bytes[i];
    if (c > 0x7e || (c < 0x20 && c !== 0x0a && c !== 0x09 && c !== 0x0d)) {
      throw typeError(fn, `malformed header: byte 0x${c.toString(16)} at offset ${i}`);
    }
    text += String.fromCharCode(c);
  }
  const dict = parseHeaderDict(fn, text);
  const descr = dict.get("descr"), fortran = dict.get("fortran_order"), shape = dict.get("shape");
  const keys = [...dict.keys()].sort().join(", ");
  if (dict.size !== 3 || descr === undefined || fortran === undefined || shape === undefined) {
    throw typeError(
      fn,
      `malformed header: expected the keys descr, fortran_order, shape; got ${keys || "none"}`,
    );
  }
  if (typeof descr !== "string") {
    throw typeError(fn, "structured (record) dtypes are not supported; descr must be a string");
  }
  const dtype = dtypeOfDescr(fn, descr);
  if (typeof fortran !== "boolean") {
    throw typeError(fn, "malformed header: fortran_order must be True or False");
  }
  if (fortran) {
    throw typeError(
      fn,
      "Fortran-order arrays are not supported (the data is column-major); save numpy.ascontiguousarray(a) instead",
    );
  }
  if (!Array.isArray(shape)) {
    throw typeError(fn, "malformed header: shape must be a tuple of integers");
  }
  if (shape.length > MAX_DIMS) {
    throw typeError(fn, `malformed header: ${shape.length} dimensions (at most ${MAX_DIMS})`);
  }
  // Multiply with a check at every step, so a huge declared shape cannot overflow.
  let count = shape.includes(0) ? 0 : 1;
  for (const d of shape) {
    count *= d;
    if (count * ITEM_SIZE[dtype] > maxBytes) {
      throw rangeError(
        fn,
        `shape ${fmtShape(shape)} of ${dtype} declares more than the limit of ${maxBytes} bytes`,
      );
    }
  }
  const dataBytes = count * ITEM_SIZE[dtype];
  const dataOffset = start + headerLen;
  const have = bytes.length - dataOffset;
  if (have < dataBytes) {
    throw typeError(
      fn,
      `truncated data: shape ${
        fmtShape(shape)
      } of ${dtype} needs ${dataBytes} bytes, the file holds ${have}`,
    );
  }
  return { dtype, shape, dataOffset, dataBytes };
}

/**
 * Decode the bytes of a `.npy` file into a tensor (C order, little endian;
 * float32, float64, int32, uint32 or bool). The data must hold exactly the
 * bytes the header declares. TypeError for a malformed file, an unsupported
 * dtype (int64, big endian, object arrays, ...), Fortran order, a data size
 * that disagrees with the header, or a dtype the backend lacks; RangeError
 * for sizes over `maxBytes`.
 *
 * @example
 * ```ts
 * import { decodeNpy, encodeNpy } from "./npy.ts";
 * import { tensor } from "../../mod.ts";
 * using t = tensor([[1, 2], [3, 4]], { dtype: "int32" });
 * using back = decodeNpy(await encodeNpy(t));
 * console.assert(back.dtype === "int32" && (await back.data()).join() === "1,2,3,4");
 * ```
 */
export function decodeNpy(bytes: Uint8Array, options: DecodeNpyOptions = {}): Tensor {
  return decodeNpyAs("decodeNpy", bytes, options);
}

/**
 * {@link decodeNpy} reporting errors under the public function name `fn`
 * (used by `loadNpy` and the `.npz` readers).
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { decodeNpyAs } from "./npy.ts";
 * let msg = "";
 * try { decodeNpyAs("loadNpy", new Uint8Array(3)); } catch (e) { msg = (e as Error).message; }
 * console.assert(msg.startsWith("loadNpy(): "));
 * ```
 */
export function decodeNpyAs(fn: string, bytes: Uint8Array, options: DecodeNpyOptions = {}): Tensor {
  const h = parseNpyHeader(bytes, { maxBytes: options.maxBytes, fn });
  const have = bytes.length - h.dataOffset;
  if (have !== h.dataBytes) {
    throw typeError(
      fn,
      `the header declares shape ${
        fmtShape(h.shape)
      } of ${h.dtype} (${h.dataBytes} bytes) but ${have} data bytes follow`,
    );
  }
  const target = options.dtype === undefined ? h.dtype : checkDType(fn, options.dtype);
  const backend = options.backend ?? getBackend();
  checkBackendDType(fn, backend, target);
  // Copy into a fresh, aligned buffer (the data offset need not be aligned).
  const raw = bytes.slice(h.dataOffset, h.dataOffset + h.dataBytes);
  if (!HOST_LITTLE_ENDIAN && ITEM_SIZE[h.dtype] > 1) byteSwap(raw, ITEM_SIZE[h.dtype]);
  let values: TypedArray = viewAs(h.dtype, raw.buffer);
  if (h.dtype === "bool") {
    for (let i = 0; i < values.length; i++) values[i] = values[i] !== 0 ? 1 : 0;
  }
  if (target !== h.dtype) values = toTypedArray(values, target);
  return wrap(backend, backend.write(values, h.shape, target));
}

/**
 * Encode a tensor as the bytes of a `.npy` file (format 1.0, C order, little
 * endian), readable by `numpy.load`. Reads the tensor's values (`await
 * t.data()`); plain arrays are converted first (float32 by default).
 *
 * @example
 * ```ts
 * import { encodeNpy } from "./npy.ts";
 * import { tensor } from "../../mod.ts";
 * using t = tensor([true, false, true]);
 * const bytes = await encodeNpy(t);
 * console.assert(bytes.length % 64 === 3 && bytes[0] === 0x93); // 64-byte aligned header + 3 bytes
 * ```
 */
export async function encodeNpy(x: TensorLike): Promise<Uint8Array> {
  const fn = "encodeNpy";
  const t = toTensor(x, fn);
  try {
    return encodeValues(await t.data(), t.shape, t.dtype);
  } finally {
    if (t !== x) t.dispose();
  }
}

/**
 * Encode host values of `dtype` and `shape` (C order) as `.npy` bytes, the
 * synchronous core of {@link encodeNpy}.
 *
 * @example
 * ```ts
 * import { encodeValues } from "./npy.ts";
 * const bytes = encodeValues(new Int32Array([1, 2]), [2], "int32");
 * console.assert(bytes.length === 128 + 8); // header padded to 64-byte alignment
 * ```
 */
export function encodeValues(
  values: TypedArray,
  shape: readonly number[],
  dtype: DType,
): Uint8Array {
  const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  let header = `{'descr': '${DESCR_OF[dtype]}', 'fortran_order': False, 'shape': ${dims}, }`;
  // Pad with spaces and a newline so that the data starts at a multiple of 64 (NumPy's ARRAY_ALIGN).
  const used = 10 + header.length + 1;
  header += " ".repeat((64 - (used % 64)) % 64) + "\n";
  const itemBytes = values.length * ITEM_SIZE[dtype];
  const out = new Uint8Array(10 + header.length + itemBytes);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  out[8] = header.length & 0xff;
  out[9] = header.length >>> 8;
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const data = new Uint8Array(values.buffer, values.byteOffset, itemBytes);
  out.set(data, 10 + header.length);
  if (!HOST_LITTLE_ENDIAN && ITEM_SIZE[dtype] > 1) {
    byteSwap(out.subarray(10 + header.length), ITEM_SIZE[dtype]);
  }
  return out;
}

/**
 * Write a tensor to a `.npy` file that `numpy.load(path)` reads back
 * identically. Needs `--allow-write`.
 *
 * @example
 * ```ts
 * import { loadNpy, saveNpy } from "./npy.ts";
 * import { tensor } from "../../mod.ts";
 * const path = await Deno.makeTempFile({ suffix: ".npy" });
 * using t = tensor([[0.5, 1.5]]);
 * await saveNpy(path, t);
 * using back = await loadNpy(path);
 * console.assert(back.shape.join() === "1,2");
 * await Deno.remove(path);
 * ```
 */
export async function saveNpy(path: string | URL, x: TensorLike): Promise<void> {
  checkPath("saveNpy", path);
  const t = toTensor(x, "saveNpy");
  try {
    await Deno.writeFile(path, encodeValues(await t.data(), t.shape, t.dtype));
  } finally {
    if (t !== x) t.dispose();
  }
}

/**
 * Read a `.npy` file written by `numpy.save` (or {@link saveNpy}) into a
 * tensor. Same checks and options as {@link decodeNpy}. Needs `--allow-read`.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { loadNpy, saveNpy } from "./npy.ts";
 * const path = await Deno.makeTempFile({ suffix: ".npy" });
 * await saveNpy(path, [1, 2, 3]);
 * using t = await loadNpy(path);
 * console.assert((await t.data()).join() === "1,2,3");
 * await Deno.remove(path);
 * ```
 */
export async function loadNpy(path: string | URL, options: DecodeNpyOptions = {}): Promise<Tensor> {
  checkPath("loadNpy", path);
  return decodeNpyAs("loadNpy", await Deno.readFile(path), options);
}

/**
 * Throw a TypeError unless `path` is a non-empty string or a URL.
 *
 * @example
 * ```ts
 * import { checkPath } from "./npy.ts";
 * checkPath("saveNpy", "out/params.npy");
 * let threw = false;
 * try { checkPath("saveNpy", ""); } catch (e) { threw = e instanceof TypeError; }
 * console.assert(threw);
 * ```
 */
export function checkPath(fn: string, path: unknown): void {
  if (!(path instanceof URL) && (typeof path !== "string" || path.length === 0)) {
    throw typeError(fn, `path must be a non-empty string or a URL, got ${describe(path)}`);
  }
}

/**
 * Validate the `maxBytes` option: a non-negative safe integer (default
 * {@link DEFAULT_MAX_NPY_BYTES}); TypeError or RangeError otherwise.
 *
 * @example
 * ```ts
 * import { checkMaxBytes, DEFAULT_MAX_NPY_BYTES } from "./npy.ts";
 * console.assert(checkMaxBytes("decodeNpy", undefined) === DEFAULT_MAX_NPY_BYTES);
 * console.assert(checkMaxBytes("decodeNpy", 4096) === 4096);
 * ```
 */
export function checkMaxBytes(fn: string, maxBytes: unknown): number {
  if (maxBytes === undefined) return DEFAULT_MAX_NPY_BYTES;
  if (typeof maxBytes !== "number" || !Number.isSafeInteger(maxBytes)) {
    throw typeError(fn, `maxBytes must be an integer, got ${String(maxBytes)}`);
  }
  if (maxBytes < 0) throw rangeError(fn, `maxBytes must be non-negative, got ${maxBytes}`);
  return maxBytes;
}

function dtypeOfDescr(fn: string, descr: string): DType {
  const d = DTYPE_OF.get(descr);
  if (d !== undefined) return d;
  const kind = descr.slice(1);
  if (descr[0] === ">" && ["f4", "f8", "i4", "u4"].includes(kind)) {
    throw typeError(fn, `big-endian dtype '${descr}' is not supported; save a.astype('<${kind}')`);
  }
  if (kind === "i8" || kind === "u8") {
    throw typeError(
      fn,
      `dtype '${descr}' (64-bit integers) is not supported; save a.astype(numpy.int32)`,
    );
  }
  if (kind === "O") {
    throw typeError(
      fn,
      "object arrays are not supported (they hold pickled code, never executed here)",
    );
  }
  throw typeError(
    fn,
    `unsupported dtype '${descr}'; supported: <f4 (float32), <f8 (float64), <i4 (int32), <u4 (uint32), |b1 (bool)`,
  );
}

function viewAs(dtype: DType, buf: ArrayBufferLike): TypedArray {
  switch (dtype) {
    case "float32":
      return new Float32Array(buf);
    case "float64":
      return new Float64Array(buf);
    case "int32":
      return new Int32Array(buf);
    case "uint32":
      return new Uint32Array(buf);
    case "bool":
      return new Uint8Array(buf);
  }
}

function byteSwap(b: Uint8Array, size: number): void {
  for (let i = 0; i + size <= b.length; i += size) {
    for (let j = 0; j < size / 2; j++) {
      const t = b[i + j];
      b[i + j] = b[i + size - 1 - j];
      b[i + size - 1 - j] = t;
    }
  }
}

type HeaderValue = string | boolean | number[];

/**
 * Parse the header dictionary, a small subset of Python literal syntax:
 * `{'key': value, ...}` with string, `True`/`False` and tuple-of-int values.
 * Nothing is evaluated; anything else is a TypeError.
 */
function parseHeaderDict(fn: string, s: string): Map<string, HeaderValue> {
  let i = 0;
  const bad = (what: string): never => {
    throw typeError(
      fn,
      `malformed header: ${what} at character ${i} of ${JSON.stringify(s.slice(0, 120))}`,
    );
  };
  const ws = () => {
    while (i < s.length && (s[i] === " " || s[i] === "\n" || s[i] === "\t" || s[i] === "\r")) i++;
  };
  const str = (): string => {
    const q = s[i];
    if (q !== "'" && q !== '"') bad("expected a quoted string");
    const end = s.indexOf(q, i + 1);
    if (end < 0) bad("unterminated string");
    const v = s.slice(i + 1, end);
    if (v.includes("\\")) bad("escape sequences are not supported");
    i = end + 1;
    return v;
  };
  const int = (): number => {
    const m = /^[0-9]+L?/.exec(s.slice(i, i + 24));
    if (!m) return bad("expected a non-negative integer");
    const digits = m[0].replace("L", "");
    const v = Number(digits);
    if (!Number.isSafeInteger(v)) bad(`dimension ${digits} is too large`);
    i += m[0].length;
    return v;
  };
  const tuple = (): number[] => {
    i++; // "("
    const out: number[] = [];
    ws();
    if (s[i] === ")") {
      i++;
      return out;
    }
    for (;;) {
      ws();
      out.push(int());
      ws();
      if (s[i] === ",") {
        i++;
        ws();
        if (s[i] === ")") {
          i++;
          return out;
        }
        if (out.length > MAX_DIMS) bad(`more than ${MAX_DIMS} dimensions`);
        continue;
      }
      if (s[i] === ")") {
        if (out.length === 1) bad("a one-element tuple needs a trailing comma, as (3,)");
        i++;
        return out;
      }
      bad("expected ',' or ')' in the shape tuple");
    }
  };
  const value = (): HeaderValue => {
    if (s[i] === "'" || s[i] === '"') return str();
    if (s.startsWith("True", i)) {
      i += 4;
      return true;
    }
    if (s.startsWith("False", i)) {
      i += 5;
      return false;
    }
    if (s[i] === "(") return tuple();
    if (s[i] === "[") {
      throw typeError(fn, "structured (record) dtypes are not supported; descr must be a string");
    }
    return bad("unsupported value");
  };
  const out = new Map<string, HeaderValue>();
  ws();
  if (s[i] !== "{") bad("expected '{'");
  i++;
  for (;;) {
    ws();
    if (s[i] === "}") {
      i++;
      break;
    }
    const k = str();
    if (out.has(k)) bad(`duplicate key '${k}'`);
    ws();
    if (s[i] !== ":") bad("expected ':'");
    i++;
    ws();
    out.set(k, value());
    ws();
    if (s[i] === ",") {
      i++;
      continue;
    }
    if (s[i] === "}") {
      i++;
      break;
    }
    bad("expected ',' or '}'");
  }
  ws();
  if (i !== s.length) bad("trailing characters after the dictionary");
  return out;
}

function describe(x: unknown): string {
  if (x === null) return "null";
  if (typeof x === "object") return (x as object).constructor?.name ?? "object";
  return typeof x;
}
