/**
 * Folders: ngclearn's `makedir` / `makedirs`.
 *
 * @module
 */

import { typeError } from "../../core/errors.ts";

/**
 * Create a folder and every missing parent (`mkdir -p`); nothing happens if
 * it exists. Absolute paths and `..` components work as the operating system
 * defines them (ngclearn's `makedir` fails on absolute paths and turns
 * `a/../b` into `../a/b`). Needs `--allow-write`. TypeError for an empty
 * path.
 *
 * @example
 * ```ts
 * import { makedir } from "./fs.ts";
 * const root = await Deno.makeTempDir();
 * await makedir(`${root}/exp/run1/plots`);
 * console.assert((await Deno.stat(`${root}/exp/run1/plots`)).isDirectory);
 * await Deno.remove(root, { recursive: true });
 * ```
 */
export async function makedir(directory: string | URL): Promise<void> {
  checkDir("makedir", directory);
  await Deno.mkdir(directory, { recursive: true });
}

/**
 * {@link makedir} for each folder of a list, in order (ngclearn's `makedirs`).
 *
 * @example
 * ```ts
 * import { makedirs } from "./fs.ts";
 * const root = await Deno.makeTempDir();
 * await makedirs([`${root}/a`, `${root}/b/c`]);
 * console.assert((await Deno.stat(`${root}/b/c`)).isDirectory);
 * await Deno.remove(root, { recursive: true });
 * ```
 */
export async function makedirs(directories: readonly (string | URL)[]): Promise<void> {
  if (!Array.isArray(directories)) {
    throw typeError("makedirs", `directories must be an array of paths, got ${typeof directories}`);
  }
  for (const d of directories) checkDir("makedirs", d);
  for (const d of directories) await Deno.mkdir(d, { recursive: true });
}

function checkDir(fn: string, d: unknown): void {
  if (!(d instanceof URL) && (typeof d !== "string" || d.length === 0)) {
    throw typeError(
      fn,
      `a directory must be a non-empty string or a URL, got ${JSON.stringify(d)}`,
    );
  }
}
