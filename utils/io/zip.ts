/**
 * A small, strict reader of zip archives (the container of NumPy's `.npz`)
 * and a writer on top of `fflate`.
 *
 * Why not `fflate.unzipSync` for reading: it allocates each entry's
 * *declared* uncompressed size before inflating, and its zip64 extra-field
 * scan has no bound (a crafted central directory makes it loop forever).
 * This reader validates every offset and size against the bytes actually
 * present, bounds the number of entries by the central directory's size,
 * refuses sizes that deflate cannot produce from the compressed bytes
 * (ratio above 1032:1), rejects unsafe entry names (path traversal), and
 * checks each entry's CRC-32. Inflating itself is `fflate.inflateSync` into
 * a buffer of the (now validated) size.
 *
 * @module
 */

import { inflateSync, type ZipOptions, zipSync } from "fflate";
import { rangeError, typeError } from "../../core/errors.ts";

/** Deflate cannot expand data by more than about 1032:1 (a 258-byte match per ~2 bits). */
const MAX_DEFLATE_RATIO = 1032;

/** One entry of a zip archive's central directory, validated. */
export interface ZipEntry {
  /** The entry's name (checked safe: no absolute path, no `..`, no backslash). */
  readonly name: string;
  /** Compression method: 0 stored, 8 deflated. */
  readonly method: 0 | 8;
  /** CRC-32 of the uncompressed bytes. */
  readonly crc32: number;
  /** Compressed size in bytes. */
  readonly compressedSize: number;
  /** Uncompressed size in bytes. */
  readonly size: number;
  /** Offset of the entry's first data byte in the archive. */
  readonly dataOffset: number;
}

const u16 = (b: Uint8Array, o: number): number => b[o] | (b[o + 1] << 8);
const u32 = (b: Uint8Array, o: number): number =>
  (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 0x1000000;

function u64(fn: string, b: Uint8Array, o: number): number {
  const hi = u32(b, o + 4);
  if (hi >= 0x200000) throw rangeError(fn, "zip64 size or offset beyond 2^53 bytes");
  return hi * 0x100000000 + u32(b, o);
}

/**
 * Throw a TypeError unless `name` is a safe relative entry name: non-empty,
 * no NUL, no backslash, not absolute (`/x`, `C:`), no `.` or `..` component.
 *
 * @example
 * ```ts
 * import { checkEntryName } from "./zip.ts";
 * checkEntryName("demo", "weights/W1.npy");
 * let threw = false;
 * try { checkEntryName("demo", "../../etc/passwd"); } catch (e) { threw = e instanceof TypeError; }
 * console.assert(threw);
 * ```
 */
export function checkEntryName(fn: string, name: string): void {
  const unsafe = name.length === 0 || name.includes("\0") || name.includes("\\") ||
    name.startsWith("/") || /^[A-Za-z]:/.test(name) ||
    name.split("/").some((part) => part === ".." || part === ".");
  if (unsafe) {
    throw typeError(
      fn,
      `unsafe entry name ${
        JSON.stringify(name)
      } (empty, absolute, backslash or a '.'/'..' component; path traversal is refused)`,
    );
  }
}

function findEndRecord(fn: string, b: Uint8Array): number {
  if (b.length < 22) throw typeError(fn, `not a zip archive: ${b.length} bytes is too short`);
  const stop = Math.max(0, b.length - 22 - 0xffff);
  for (let e = b.length - 22; e >= stop; e--) {
    if (b[e] === 0x50 && b[e + 1] === 0x4b && b[e + 2] === 0x05 && b[e + 3] === 0x06) {
      if (e + 22 + u16(b, e + 20) <= b.length) return e;
    }
  }
  throw typeError(fn, "not a zip archive: no end-of-central-directory record");
}

/**
 * List and validate the entries of a zip archive (see the module notes).
 * TypeError for a malformed or unsupported archive (multi-disk, encrypted,
 * a compression other than stored/deflate, offsets outside the data, unsafe
 * or duplicate names, impossible sizes); RangeError for an entry larger
 * than `maxBytes`.
 *
 * @example
 * ```ts
 * import { encodeZip, readZipEntries } from "./zip.ts";
 * const zip = encodeZip([["a.npy", new Uint8Array([1, 2, 3])]], { compress: true });
 * const [e] = readZipEntries(zip, { maxBytes: 1024 });
 * console.assert(e.name === "a.npy" && e.size === 3 && e.method === 8);
 * ```
 */
export function readZipEntries(
  bytes: Uint8Array,
  options: { readonly maxBytes: number; readonly fn?: string },
): ZipEntry[] {
  const fn = options.fn ?? "readZipEntries";
  const b = bytes;
  const eocd = findEndRecord(fn, b);
  let count = u16(b, eocd + 10);
  let cdSize = u32(b, eocd + 12);
  let cdOffset = u32(b, eocd + 16);
  let cdLimit = eocd; // the central directory must end before this offset
  if (u16(b, eocd + 4) !== 0 || u16(b, eocd + 6) !== 0 || u16(b, eocd + 8) !== count) {
    throw typeError(fn, "multi-disk zip archives are not supported");
  }
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    // zip64: a locator just before the end record points at the zip64 end record.
    const loc = eocd - 20;
    if (loc < 0 || u32(b, loc) !== 0x07064b50) {
      throw typeError(
        fn,
        "malformed zip64 archive: the end-of-central-directory locator is missing",
      );
    }
    const z = u64(fn, b, loc + 8);
    if (z + 56 > loc || u32(b, z) !== 0x06064b50) {
      throw typeError(fn, "malformed zip64 archive: bad zip64 end-of-central-directory record");
    }
    if (u32(b, z + 16) !== 0 || u32(b, z + 20) !== 0) {
      throw typeError(fn, "multi-disk zip archives are not supported");
    }
    count = u64(fn, b, z + 32);
    cdSize = u64(fn, b, z + 40);
    cdOffset = u64(fn, b, z + 48);
    cdLimit = z;
  }
  const cdEnd = cdOffset + cdSize;
  if (cdEnd > cdLimit) {
    throw typeError(
      fn,
      `truncated or malformed zip: the central directory [${cdOffset}, ${cdEnd}) runs past offset ${cdLimit}`,
    );
  }
  if (count * 46 > cdSize) {
    throw typeError(
      fn,
      `malformed zip: ${count} entries cannot fit in a ${cdSize}-byte central directory`,
    );
  }
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const entries: ZipEntry[] = [];
  const seen = new Set<string>();
  let p = cdOffset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > cdEnd || u32(b, p) !== 0x02014b50) {
      throw typeError(fn, `malformed zip: central directory entry ${k} is damaged`);
    }
    const flags = u16(b, p + 8), method = u16(b, p + 10);
    const crc = u32(b, p + 16);
    let csize = u32(b, p + 20), usize = u32(b, p + 24);
    const nameLen = u16(b, p + 28), extraLen = u16(b, p + 30), commentLen = u16(b, p + 32);
    let local = u32(b, p + 42);
    const nameStart = p + 46,
      extraStart = nameStart + nameLen,
      next = extraStart + extraLen + commentLen;
    if (next > cdEnd) {
      throw typeError(fn, `malformed zip: central directory entry ${k} is truncated`);
    }
    let name: string;
    try {
      name = decoder.decode(b.subarray(nameStart, extraStart));
    } catch {
      throw typeError(fn, `malformed zip: entry ${k} has a name that is not valid UTF-8`);
    }
    checkEntryName(fn, name);
    if (seen.has(name)) {
      throw typeError(fn, `malformed zip: duplicate entry ${JSON.stringify(name)}`);
    }
    seen.add(name);
    if (flags & 1) {
      throw typeError(fn, `entry ${JSON.stringify(name)} is encrypted (not supported)`);
    }
    if (method !== 0 && method !== 8) {
      throw typeError(
        fn,
        `entry ${
          JSON.stringify(name)
        } uses compression method ${method}; only stored (0) and deflate (8) are supported`,
      );
    }
    if (usize === 0xffffffff || csize === 0xffffffff || local === 0xffffffff) {
      // zip64 extended information extra field (id 1): the saturated fields in order, 8 bytes each.
      let q = extraStart, found = false;
      const extraEnd = extraStart + extraLen;
      while (q + 4 <= extraEnd) {
        const id = u16(b, q), len = u16(b, q + 2), body = q + 4;
        if (body + len > extraEnd) break;
        if (id === 1) {
          let r = body;
          const take = (): number => {
            if (r + 8 > body + len) {
              throw typeError(fn, `malformed zip64 extra field in ${JSON.stringify(name)}`);
            }
            const v = u64(fn, b, r);
            r += 8;
            return v;
          };
          if (usize === 0xffffffff) usize = take();
          if (csize === 0xffffffff) csize = take();
          if (local === 0xffffffff) local = take();
          found = true;
          break;
        }
        q = body + len;
      }
      if (!found) {
        throw typeError(fn, `malformed zip: ${JSON.stringify(name)} lacks its zip64 sizes`);
      }
    }
    if (usize > options.maxBytes) {
      throw rangeError(
        fn,
        `entry ${
          JSON.stringify(name)
        } declares ${usize} bytes, more than the limit of ${options.maxBytes}`,
      );
    }
    if (method === 0 && csize !== usize) {
      throw typeError(
        fn,
        `stored entry ${JSON.stringify(name)} declares ${usize} bytes but holds ${csize}`,
      );
    }
    if (method === 8 && usize > csize * MAX_DEFLATE_RATIO + 64) {
      throw typeError(
        fn,
        `entry ${
          JSON.stringify(name)
        } declares ${usize} bytes from ${csize} compressed bytes, more than deflate can produce`,
      );
    }
    if (local + 30 > cdOffset || u32(b, local) !== 0x04034b50) {
      throw typeError(fn, `malformed zip: the local header of ${JSON.stringify(name)} is missing`);
    }
    const dataOffset = local + 30 + u16(b, local + 26) + u16(b, local + 28);
    if (dataOffset + csize > cdOffset) {
      throw typeError(
        fn,
        `truncated zip: the data of ${
          JSON.stringify(name)
        } (${csize} bytes at ${dataOffset}) runs past the central directory`,
      );
    }
    entries.push({
      name,
      method: method as 0 | 8,
      crc32: crc,
      compressedSize: csize,
      size: usize,
      dataOffset,
    });
    p = next;
  }
  return entries;
}

/**
 * The uncompressed bytes of one validated entry (inflated when deflated),
 * checked against the declared size and CRC-32. TypeError for corrupt data.
 *
 * @example
 * ```ts
 * import { encodeZip, extractZipEntry, readZipEntries } from "./zip.ts";
 * const zip = encodeZip([["x.bin", new Uint8Array([7, 8, 9])]], { compress: false });
 * const [e] = readZipEntries(zip, { maxBytes: 100 });
 * console.assert(extractZipEntry(zip, e).join() === "7,8,9");
 * ```
 */
export function extractZipEntry(
  bytes: Uint8Array,
  entry: ZipEntry,
  fn = "extractZipEntry",
): Uint8Array {
  const src = bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  let out: Uint8Array;
  if (entry.method === 0) {
    out = src.slice();
  } else {
    const buf = new Uint8Array(entry.size);
    try {
      out = inflateSync(src, { out: buf });
    } catch (e) {
      throw typeError(
        fn,
        `corrupt deflate data in ${JSON.stringify(entry.name)}: ${(e as Error).message}`,
      );
    }
    if (out.length !== entry.size) {
      throw typeError(
        fn,
        `entry ${
          JSON.stringify(entry.name)
        } inflates to ${out.length} bytes, the directory says ${entry.size}`,
      );
    }
  }
  const crc = crc32(out);
  if (crc !== entry.crc32) {
    throw typeError(
      fn,
      `CRC-32 mismatch in ${JSON.stringify(entry.name)}: the data is corrupt or the sizes lie`,
    );
  }
  return out;
}

let TABLE: Uint32Array | null = null;

/**
 * CRC-32 (IEEE 802.3, the zip checksum) of some bytes.
 *
 * @example
 * ```ts
 * import { crc32 } from "./zip.ts";
 * console.assert(crc32(new TextEncoder().encode("123456789")) === 0xcbf43926);
 * ```
 */
export function crc32(data: Uint8Array): number {
  if (!TABLE) {
    TABLE = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      TABLE[n] = c >>> 0;
    }
  }
  const t = TABLE;
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = t[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * Build a zip archive from named byte arrays with `fflate`: deflated
 * (`compress: true`, as `numpy.savez_compressed`) or stored (as
 * `numpy.savez`). Names are checked with {@link checkEntryName}.
 *
 * @example
 * ```ts
 * import { encodeZip } from "./zip.ts";
 * const zip = encodeZip([["a.npy", new Uint8Array(10)]], { compress: false });
 * console.assert(zip[0] === 0x50 && zip[1] === 0x4b); // "PK"
 * ```
 */
export function encodeZip(
  files: readonly (readonly [string, Uint8Array])[],
  options: { readonly compress: boolean; readonly fn?: string },
): Uint8Array {
  const fn = options.fn ?? "encodeZip";
  const tree: Record<string, [Uint8Array, ZipOptions]> = Object.create(null);
  const level = options.compress ? 6 : 0;
  for (const [name, data] of files) {
    checkEntryName(fn, name);
    if (name in tree) throw typeError(fn, `duplicate entry name ${JSON.stringify(name)}`);
    // fflate treats "a/b" as a folder path in an object tree; a flat key keeps it literal.
    tree[name] = [data, { level }];
  }
  return zipSync(tree);
}
