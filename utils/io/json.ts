/**
 * JSON files for plain configuration objects (ngclearn pickles them; pickle
 * can run stored code, JSON cannot). Only JSON's own values are accepted:
 * `null`, booleans, finite numbers, strings, arrays and plain objects.
 *
 * @module
 */

import { isTensor } from "../../core/engine.ts";
import { rangeError, typeError } from "../../core/errors.ts";
import { checkPath } from "./npy.ts";

/** A value JSON can hold exactly. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

/** Options of {@link saveJson}. */
export interface SaveJsonOptions {
  /** Spaces of indentation (default 2; 0 writes one line). */
  readonly indent?: number;
}

/**
 * Throw unless `value` is plain JSON data (see the module notes): TypeError
 * naming the path of a tensor, function, bigint, symbol, `undefined`, class
 * instance or cycle; RangeError for a non-finite number (JSON has no NaN).
 *
 * @example
 * ```ts
 * import { checkJson } from "./json.ts";
 * checkJson("demo", { lr: 0.01, layers: [784, 360], name: "gnclm" });
 * let threw = false;
 * try { checkJson("demo", { lr: NaN }); } catch (e) { threw = e instanceof RangeError; }
 * console.assert(threw);
 * ```
 */
export function checkJson(fn: string, value: unknown): asserts value is JsonValue {
  const stack = new Set<object>();
  const walk = (v: unknown, path: string): void => {
    if (v === null || typeof v === "boolean" || typeof v === "string") return;
    if (typeof v === "number") {
      if (!Number.isFinite(v)) throw rangeError(fn, `${path} is ${v}, which JSON cannot hold`);
      return;
    }
    if (typeof v !== "object") {
      throw typeError(fn, `${path} is a ${typeof v}, which JSON cannot hold`);
    }
    if (isTensor(v)) {
      throw typeError(fn, `${path} is a Tensor; save arrays with saveNpy/saveNpz, not JSON`);
    }
    if (stack.has(v)) throw typeError(fn, `${path} refers back to itself (a cycle)`);
    stack.add(v);
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, `${path}[${i}]`));
    } else {
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) {
        throw typeError(
          fn,
          `${path} is a ${
            (v as object).constructor?.name ?? "class instance"
          }; only plain objects are saved`,
        );
      }
      for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`);
    }
    stack.delete(v);
  };
  walk(value, "value");
}

/**
 * Write a plain configuration object as a JSON file (UTF-8, newline at the
 * end). Checks the value first with {@link checkJson}, so nothing is lost
 * silently (JSON.stringify would turn NaN into null and drop functions).
 * Needs `--allow-write`.
 *
 * @example
 * ```ts
 * import { loadJson, saveJson } from "./json.ts";
 * const path = await Deno.makeTempFile({ suffix: ".json" });
 * await saveJson(path, { batchSize: 200, eta: 0.001, tags: ["mnist"] });
 * const cfg = await loadJson(path) as { batchSize: number };
 * console.assert(cfg.batchSize === 200);
 * await Deno.remove(path);
 * ```
 */
export async function saveJson(
  path: string | URL,
  value: unknown,
  options: SaveJsonOptions = {},
): Promise<void> {
  const fn = "saveJson";
  checkPath(fn, path);
  const indent = options.indent ?? 2;
  if (typeof indent !== "number" || !Number.isInteger(indent)) {
    throw typeError(fn, `indent must be an integer, got ${String(indent)}`);
  }
  if (indent < 0 || indent > 10) throw rangeError(fn, `indent must be in [0, 10], got ${indent}`);
  checkJson(fn, value);
  await Deno.writeTextFile(path, JSON.stringify(value, null, indent) + "\n");
}

/**
 * Read a JSON file. TypeError (with the parser's message) when the file is
 * not valid JSON. Needs `--allow-read`.
 *
 * @example
 * ```ts
 * import { loadJson } from "./json.ts";
 * const path = await Deno.makeTempFile({ suffix: ".json" });
 * await Deno.writeTextFile(path, '{"units": [10, 20]}');
 * const cfg = await loadJson(path) as { units: number[] };
 * console.assert(cfg.units[1] === 20);
 * await Deno.remove(path);
 * ```
 */
export async function loadJson(path: string | URL): Promise<JsonValue> {
  const fn = "loadJson";
  checkPath(fn, path);
  const text = await Deno.readTextFile(path);
  try {
    return JSON.parse(text) as JsonValue;
  } catch (e) {
    throw new TypeError(`${fn}(): ${String(path)} is not valid JSON: ${(e as Error).message}`, {
      cause: e,
    });
  }
}
