/**
 * Shared set-up of the webgpu backend tests: one backend for the process
 * (tests are ignored when no adapter is available, unless the environment
 * variable NGC_REQUIRE_BACKENDS names "webgpu", then they fail), the cpu
 * reference backend, and helpers that run one primitive on both and compare
 * (float32 to a relative tolerance, everything else exactly).
 *
 * @module
 */

import assert from "node:assert/strict";
import type { DType, TensorInfo, TypedArray } from "../../../backends/backend.ts";
import { CpuBackend } from "../../../backends/cpu/mod.ts";
import { createWebGpuBackend, type WebGpuBackend } from "../../../backends/webgpu/mod.ts";
import { assertAllClose, randomArray } from "../../helpers.ts";

function requireWebGpu(): boolean {
  try {
    return (Deno.env.get("NGC_REQUIRE_BACKENDS") ?? "").split(/[\s,]+/).includes("webgpu");
  } catch {
    return false; // no --allow-env
  }
}

let reason = "";
async function create(): Promise<WebGpuBackend | null> {
  try {
    return await createWebGpuBackend();
  } catch (e) {
    reason = e instanceof Error ? e.message : String(e);
    return null;
  }
}

/** The shared webgpu backend, or null when WebGPU is unavailable here. */
export const gpu: WebGpuBackend | null = await create();
/** The cpu reference backend. */
export const cpu: CpuBackend = new CpuBackend();
/** Whether webgpu tests must run (and fail without an adapter). */
export const required: boolean = requireWebGpu();

/**
 * Register a webgpu test: ignored without an adapter (unless required),
 * with Deno's resource/op sanitizers off (the device holds resources).
 */
export function gpuTest(name: string, fn: (g: WebGpuBackend) => Promise<void> | void): void {
  Deno.test({
    name: `webgpu: ${name}`,
    ignore: gpu === null && !required,
    sanitizeResources: false,
    sanitizeOps: false,
    fn: async () => {
      if (gpu === null) assert.fail(`webgpu is required but unavailable: ${reason}`);
      await fn(gpu);
    },
  });
}

/** A tensor with the same values on both backends. */
export interface Pair {
  /** On webgpu. */
  readonly g: TensorInfo;
  /** On cpu. */
  readonly c: TensorInfo;
}

/** Write `values` as `dtype` of `shape` to both backends. */
export function both(
  g: WebGpuBackend,
  values: ArrayLike<number>,
  shape: readonly number[],
  dtype: DType,
): Pair {
  const host = toTyped(values, dtype);
  return { g: g.write(host, shape, dtype), c: cpu.write(host, shape, dtype) };
}

function toTyped(values: ArrayLike<number>, dtype: DType): TypedArray {
  switch (dtype) {
    case "float32":
      return Float32Array.from(values);
    case "int32":
      return Int32Array.from(values);
    case "uint32":
      return Uint32Array.from(values);
    case "bool":
      return Uint8Array.from(values, (v) => (v ? 1 : 0));
    default:
      return Float64Array.from(values);
  }
}

/** Random test values for `dtype` (floats in [-scale, scale), ints in [-50, 50), bools). */
export function sample(n: number, dtype: DType, seed = 1, scale = 1): number[] {
  const r = randomArray(n, seed);
  return Array.from(r, (v) => {
    switch (dtype) {
      case "float32":
        return v * scale;
      case "int32":
        return Math.floor(v * 50);
      case "uint32":
        return Math.floor((v + 1) * 50);
      case "bool":
        return v > 0 ? 1 : 0;
      default:
        return v;
    }
  });
}

/** Random values for `dtype` written to both backends. */
export function randomPair(
  g: WebGpuBackend,
  shape: readonly number[],
  dtype: DType,
  seed = 1,
  scale = 1,
): Pair {
  let n = 1;
  for (const d of shape) n *= d;
  return both(g, sample(n, dtype, seed, scale), shape, dtype);
}

/** Options of {@link expectSame}. */
export interface Tolerance {
  /** Relative tolerance for float32 (default 1e-5). */
  readonly rtol?: number;
  /** Absolute tolerance for float32 (default 1e-6). */
  readonly atol?: number;
}

/**
 * Read a webgpu result and compare it with the cpu result: same shape and
 * dtype, float32 within tolerance, other dtypes exactly. Disposes both.
 */
export async function expectSame(
  g: WebGpuBackend,
  got: TensorInfo,
  want: TensorInfo,
  msg: string,
  tol: Tolerance = {},
): Promise<void> {
  const checks = new Checks(g);
  checks.add(got, want, msg, tol);
  await checks.run();
}

interface Check {
  readonly got: TensorInfo;
  readonly want: TensorInfo;
  readonly msg: string;
  readonly tol: Tolerance;
}

/**
 * A batch of webgpu-vs-cpu comparisons whose GPU reads are issued together
 * (one readback wait for the whole batch instead of one per result).
 */
export class Checks {
  readonly #g: WebGpuBackend;
  #items: Check[] = [];

  /** Comparisons against results of `g`. */
  constructor(g: WebGpuBackend) {
    this.#g = g;
  }

  /** Queue a comparison of `got` (webgpu) with `want` (cpu). */
  add(got: TensorInfo, want: TensorInfo, msg: string, tol: Tolerance = {}): void {
    this.#items.push({ got, want, msg, tol });
  }

  /** Read everything queued, compare, dispose; throws on the first mismatch. */
  async run(): Promise<void> {
    const items = this.#items;
    this.#items = [];
    const reads = await Promise.allSettled(items.map((c) => this.#g.read(c.got)));
    let failure: unknown = null;
    items.forEach((c, i) => {
      const r = reads[i];
      try {
        if (failure !== null) return;
        if (r.status === "rejected") throw r.reason;
        compare(r.value, c);
      } catch (e) {
        failure = e;
      } finally {
        this.#g.dispose(c.got);
        cpu.dispose(c.want);
      }
    });
    if (failure !== null) throw failure;
  }
}

function compare(a: TypedArray, c: Check): void {
  const { got, want, msg, tol } = c;
  assert.deepEqual([...got.shape], [...want.shape], `${msg}: shape`);
  assert.equal(got.dtype, want.dtype, `${msg}: dtype`);
  const b = cpu.readSync(want);
  assert.equal(a.constructor, b.constructor, `${msg}: typed array`);
  if (got.dtype === "float32") {
    assertAllClose(a, b, { rtol: tol.rtol ?? 1e-5, atol: tol.atol ?? 1e-6, msg });
  } else {
    assert.deepEqual(Array.from(a), Array.from(b), msg);
  }
}

/** Dispose a pair. */
export function free(g: WebGpuBackend, ...pairs: Pair[]): void {
  for (const p of pairs) {
    g.dispose(p.g);
    cpu.dispose(p.c);
  }
}
