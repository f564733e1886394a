/**
 * The golden runner library: load `*.jsonl` reference cases, run each through
 * the adapter registered for its `fn` on a backend, and compare with
 * `|actual - expected| <= atol + rtol·|expected|` (shapes equal).
 *
 * Case format: `../shared/golden/README.md`.
 *
 * @module
 */

import { getBackend, setBackend } from "../../core/engine.ts";
import { memory } from "../../core/engine.ts";
import { isTensor } from "../../core/engine.ts";
import type { Tensor } from "../../core/tensor.ts";
import { ADAPTERS } from "./registry.ts";

/** One golden case as stored in a `.jsonl` line. */
export interface GoldenCase {
  readonly id: string;
  readonly fn: string;
  readonly args: Record<string, unknown>;
  readonly dtypes?: Record<string, string>;
  readonly expected: unknown;
  readonly rtol: number;
  readonly atol: number;
  readonly source?: string;
  readonly note?: string;
  readonly layout?: "partitionable" | "legacy" | "any";
  readonly sample_indices?: number[];
  readonly [key: string]: unknown;
}

/** What the runner passes to an adapter. */
export interface AdapterContext {
  /** Name of the backend the case runs on (already current). */
  readonly backend: string;
  /** The whole case (for layout, sample_indices, notes). */
  readonly case: GoldenCase;
}

/**
 * How one ngclearn name is run. `run` returns plain values or tensors
 * (nested anywhere in arrays/objects; the runner reads and disposes them).
 * `compare` (optional) replaces the default elementwise comparison and returns
 * null on success or a failure message.
 */
export interface Adapter {
  run(args: Record<string, unknown>, ctx: AdapterContext): unknown | Promise<unknown>;
  compare?(actual: unknown, expected: unknown, c: GoldenCase): string | null;
  /** Return a reason to skip this case on this backend (e.g. needs float64). */
  skip?(c: GoldenCase, backend: string): string | null;
}

/** Result of one case. */
export interface CaseResult {
  readonly id: string;
  readonly backend: string;
  readonly status: "PASS" | "FAIL" | "ERROR" | "SKIP";
  readonly message: string;
}

/** Parse special float strings ("NaN", "Infinity", "-Infinity") recursively. */
export function decodeSpecial(v: unknown): unknown {
  if (v === "NaN") return NaN;
  if (v === "Infinity") return Infinity;
  if (v === "-Infinity") return -Infinity;
  if (Array.isArray(v)) return v.map(decodeSpecial);
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = decodeSpecial(x);
    return out;
  }
  return v;
}

/** Read every case of every `*.jsonl` file in the given folders (sorted by file name). */
export async function loadCases(dirs: readonly string[]): Promise<GoldenCase[]> {
  const cases: GoldenCase[] = [];
  for (const dir of dirs) {
    const files: string[] = [];
    for await (const e of Deno.readDir(dir)) {
      if (e.isFile && e.name.endsWith(".jsonl")) files.push(e.name);
    }
    files.sort();
    for (const f of files) {
      const text = await Deno.readTextFile(`${dir}/${f}`);
      let lineNo = 0;
      for (const line of text.split("\n")) {
        lineNo++;
        if (!line.trim()) continue;
        try {
          cases.push(JSON.parse(line) as GoldenCase);
        } catch (e) {
          throw new SyntaxError(`${dir}/${f}:${lineNo}: ${(e as Error).message}`);
        }
      }
    }
  }
  return cases;
}

/** Read tensors anywhere in a result into plain numbers/arrays; dispose them. */
export async function materialize(v: unknown): Promise<unknown> {
  if (isTensor(v)) {
    const t = v as Tensor;
    const out = await t.array();
    t.dispose();
    return out;
  }
  if (Array.isArray(v)) {
    const out = [];
    for (const x of v) out.push(await materialize(x));
    return out;
  }
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
  if (v && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = await materialize(x);
    return out;
  }
  return v;
}

function shapeOf(v: unknown): number[] {
  const s: number[] = [];
  let cur = v;
  while (Array.isArray(cur)) {
    s.push(cur.length);
    cur = cur[0];
  }
  return s;
}

function flatten(v: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(v)) { for (const x of v) flatten(x, out); }
  else out.push(v);
  return out;
}

function closeEnough(a: number, e: number, rtol: number, atol: number): boolean {
  if (Number.isNaN(e)) return Number.isNaN(a);
  if (!Number.isFinite(e)) return a === e;
  return Math.abs(a - e) <= atol + rtol * Math.abs(e);
}

/**
 * Default comparison: numbers/booleans elementwise with tolerances, strings
 * exactly, objects key by key over the expected keys. Returns null on success.
 */
export function compareValues(
  actual: unknown,
  expected: unknown,
  rtol: number,
  atol: number,
  path = "",
): string | null {
  if (expected !== null && typeof expected === "object" && !Array.isArray(expected)) {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) {
      return `${path || "result"}: expected an object with keys ${
        Object.keys(expected).join(", ")
      }`;
    }
    for (const [k, e] of Object.entries(expected as Record<string, unknown>)) {
      if (!(k in (actual as Record<string, unknown>))) return `${path}${k}: missing in result`;
      const m = compareValues(
        (actual as Record<string, unknown>)[k],
        e,
        rtol,
        atol,
        `${path}${k}.`,
      );
      if (m) return m;
    }
    return null;
  }
  if (typeof expected === "string") {
    return actual === expected
      ? null
      : `${path || "result"}: expected "${expected}", got ${JSON.stringify(actual)}`;
  }
  const es = shapeOf(expected), as = shapeOf(actual);
  // A 0-d result may be compared with a 1-element expectation and vice versa.
  const ef = flatten(expected), af = flatten(actual);
  if (es.join() !== as.join() && !(ef.length === 1 && af.length === 1)) {
    return `${path || "result"}: shape [${as.join(", ")}] != expected [${es.join(", ")}]`;
  }
  for (let i = 0; i < ef.length; i++) {
    const e = ef[i], a = af[i];
    const en = typeof e === "boolean" ? (e ? 1 : 0) : e;
    const an = typeof a === "boolean" ? (a ? 1 : 0) : a;
    if (typeof en !== "number" || typeof an !== "number") {
      if (en !== an) {
        return `${path || "result"}[${i}]: ${JSON.stringify(a)} != ${JSON.stringify(e)}`;
      }
      continue;
    }
    if (!closeEnough(an, en, rtol, atol)) {
      return `${path || "result"}[${i}]: ${an} vs expected ${en} (rtol ${rtol}, atol ${atol})`;
    }
  }
  return null;
}

/** Run one case on the current backend. */
export async function runCase(c: GoldenCase, backend: string): Promise<CaseResult> {
  const adapter = ADAPTERS[c.fn];
  if (!adapter) return { id: c.id, backend, status: "SKIP", message: "not registered" };
  const caps = getBackend().capabilities;
  const needs64 = Object.values(c.dtypes ?? {}).includes("float64");
  if (needs64 && !caps.float64) {
    return { id: c.id, backend, status: "SKIP", message: `float64 is not supported by ${backend}` };
  }
  const why = adapter.skip?.(c, backend) ?? null;
  if (why) return { id: c.id, backend, status: "SKIP", message: why };
  const expected = decodeSpecial(c.expected);
  const args = decodeSpecial(c.args) as Record<string, unknown>;
  const expectsError = expected !== null && typeof expected === "object" &&
    !Array.isArray(expected) && "error" in (expected as Record<string, unknown>) &&
    Object.keys(expected as object).length === 1;
  let actual: unknown;
  try {
    actual = await materialize(await adapter.run(args, { backend, case: c }));
  } catch (e) {
    if (expectsError) {
      const want = (expected as { error: string }).error;
      const got = (e as Error)?.constructor?.name ?? "unknown";
      return got === want ? { id: c.id, backend, status: "PASS", message: `threw ${got}` } : {
        id: c.id,
        backend,
        status: "FAIL",
        message: `expected ${want}, threw ${got}: ${(e as Error).message}`,
      };
    }
    return { id: c.id, backend, status: "ERROR", message: (e as Error)?.message ?? String(e) };
  }
  if (expectsError) {
    return {
      id: c.id,
      backend,
      status: "FAIL",
      message: `expected ${(expected as { error: string }).error}, got ${
        JSON.stringify(actual).slice(0, 120)
      }`,
    };
  }
  const msg = adapter.compare
    ? adapter.compare(actual, expected, c)
    : compareValues(actual, expected, c.rtol, c.atol);
  return { id: c.id, backend, status: msg ? "FAIL" : "PASS", message: msg ?? "" };
}

/** Summary counts. */
export interface GoldenSummary {
  readonly results: CaseResult[];
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

/**
 * Run cases on each named backend (making it current), calling `onResult`
 * after each case. Tensors leaked by adapters are reported as an ERROR line.
 */
export async function runGolden(
  cases: readonly GoldenCase[],
  backendNames: readonly string[],
  onResult: (r: CaseResult) => void = () => {},
): Promise<GoldenSummary> {
  const results: CaseResult[] = [];
  for (const name of backendNames) {
    await setBackend(name);
    for (const c of cases) {
      const before = memory().tensors;
      let r = await runCase(c, name);
      const leaked = memory().tensors - before;
      if (leaked > 0 && r.status === "PASS") {
        r = { ...r, status: "ERROR", message: `leaked ${leaked} tensor(s)` };
      }
      results.push(r);
      onResult(r);
    }
  }
  const count = (s: string) => results.filter((r) => r.status === s).length;
  return {
    results,
    passed: count("PASS"),
    failed: count("FAIL") + count("ERROR"),
    skipped: count("SKIP"),
  };
}
