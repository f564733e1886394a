/**
 * blas backend matmul against a bare `cblas_sgemm` call on the same buffers
 * (the overhead of validation, allocation and FFI marshalling) and against
 * `@jax-js/jax` on its fastest CPU device (`wasm`, multi-threaded through
 * Workers + SharedArrayBuffer in Deno), float32, n = 128 / 512 / 1024.
 *
 * - `deno bench -A bench/blas_bench.ts`: Deno.bench groups, baseline = bare
 *   cblas_sgemm, so the summary prints the ratios.
 * - `deno run -A bench/blas_bench.ts`: one run that prints GFLOP/s and the
 *   ratios (ours/bare, ours/jax-js, ours/numpy) in a table; numpy comes from
 *   `bench/peers/numpy_matmul.py` when `python3` with numpy is available.
 *
 * Needs --allow-ffi (and network or a cached npm package for jax-js; without
 * it the jax-js column is skipped with the reason).
 *
 * @module
 */

import type { TensorInfo } from "../backends/backend.ts";
import { type BlasBackend, createBlasBackend } from "../backends/blas/mod.ts";
import { CBLAS } from "../backends/blas/ffi.ts";

const SIZES = [128, 512, 1024];
const JAX_SPEC = "npm:@jax-js/jax@0.1.25";

type Bare = (a: Float32Array, b: Float32Array, c: Float32Array, n: number) => void;
// deno-lint-ignore no-explicit-any
type Jax = { np: any; block: (x: unknown) => Promise<unknown> };

interface Operands {
  readonly n: number;
  readonly a: TensorInfo;
  readonly b: TensorInfo;
  readonly av: Float32Array;
  readonly bv: Float32Array;
  readonly c: Float32Array;
  // deno-lint-ignore no-explicit-any
  readonly ja?: any;
  // deno-lint-ignore no-explicit-any
  readonly jb?: any;
}

function setupBlas(): { blas: BlasBackend; bare: Bare } | string {
  let blas: BlasBackend;
  try {
    blas = createBlasBackend();
  } catch (e) {
    return (e as Error).message;
  }
  // The backend's own binding of cblas_sgemm, called directly (no validation, no batching).
  const sgemm = blas.library.symbols.cblas_sgemm;
  const bare: Bare = (a, b, c, n) =>
    sgemm(CBLAS.rowMajor, CBLAS.noTrans, CBLAS.noTrans, n, n, n, 1, a, n, b, n, 0, c, n);
  return { blas, bare };
}

async function setupJax(): Promise<Jax | string> {
  try {
    const jax = await import(JAX_SPEC);
    const devices: string[] = await jax.init("wasm");
    if (!devices.includes("wasm")) return `jax-js: wasm device unavailable (${devices})`;
    jax.defaultDevice("wasm");
    return { np: jax.numpy, block: jax.blockUntilReady };
  } catch (e) {
    return `jax-js unavailable: ${(e as Error).message}`;
  }
}

function operands(blas: BlasBackend, n: number, jax: Jax | string): Operands {
  const av = new Float32Array(n * n), bv = new Float32Array(n * n);
  for (let i = 0; i < n * n; i++) {
    av[i] = ((i * 7919) % 1000) / 1000 - 0.5;
    bv[i] = ((i * 104729) % 1000) / 1000 - 0.5;
  }
  const a = blas.write(av, [n, n], "float32"), b = blas.write(bv, [n, n], "float32");
  // Same buffers for the bare call as the backend holds (no copy).
  const ops = { n, a, b, av: blas.values(a) as Float32Array, bv: blas.values(b) as Float32Array };
  const c = new Float32Array(n * n);
  if (typeof jax === "string") return { ...ops, c };
  return {
    ...ops,
    c,
    ja: jax.np.array(av, { shape: [n, n] }),
    jb: jax.np.array(bv, { shape: [n, n] }),
  };
}

function ours(blas: BlasBackend, o: Operands): void {
  blas.dispose(blas.matmul(o.a, o.b, false, false));
}

async function jaxMatmul(jax: Jax, o: Operands): Promise<void> {
  const c = jax.np.matmul(o.ja.ref, o.jb.ref);
  await jax.block(c);
  c.dispose();
}

const blasSetup = setupBlas();
const jaxSetup = await setupJax();

if (import.meta.main) {
  await table();
  Deno.exit(0); // jax-js's worker pool would keep the process alive
} else if (typeof blasSetup === "string") {
  Deno.bench({ name: `blas unavailable: ${blasSetup}`, ignore: true, fn() {} });
} else {
  const { blas, bare } = blasSetup;
  for (const n of SIZES) {
    const o = operands(blas, n, jaxSetup);
    const group = `matmul ${n}x${n} float32`;
    Deno.bench({
      name: "bare cblas_sgemm",
      group,
      baseline: true,
      fn: () => bare(o.av, o.bv, o.c, n),
    });
    Deno.bench({ name: "ngc-utils blas", group, fn: () => ours(blas, o) });
    if (typeof jaxSetup !== "string") {
      Deno.bench({
        name: "@jax-js/jax wasm",
        group,
        n: n >= 1024 ? 5 : n >= 512 ? 20 : 100,
        warmup: 2,
        // an `async` function: Deno.bench awaits only AsyncFunctions
        async fn() {
          await jaxMatmul(jaxSetup, o);
        },
      });
    }
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
}

async function numpyPeer(): Promise<Record<string, number> | string> {
  try {
    const script = new URL("./peers/numpy_matmul.py", import.meta.url).pathname;
    const out = await new Deno.Command("python3", { args: [script, "--json"], stdout: "piped" })
      .output();
    if (!out.success) return "numpy peer failed";
    const lines = new TextDecoder().decode(out.stdout).trim().split("\n");
    return JSON.parse(lines[lines.length - 1]);
  } catch (e) {
    return `numpy peer unavailable: ${(e as Error).message}`;
  }
}

/** One run: median times, GFLOP/s and ratios per size. */
async function table(): Promise<void> {
  if (typeof blasSetup === "string") {
    console.log(`blas unavailable: ${blasSetup}`);
    return;
  }
  const { blas, bare } = blasSetup;
  console.log(`blas: ${blas.capabilities.notes?.join("; ")}`);
  if (typeof jaxSetup === "string") console.log(jaxSetup);
  const numpy = await numpyPeer();
  if (typeof numpy === "string") console.log(numpy);
  const rows = [];
  for (const n of SIZES) {
    const o = operands(blas, n, jaxSetup);
    const flop = 2 * n ** 3;
    const reps = n >= 1024 ? 15 : n >= 512 ? 40 : 300;
    const tb: number[] = [], to: number[] = [], tj: number[] = [];
    for (let i = 0; i < 3; i++) bare(o.av, o.bv, o.c, n), ours(blas, o); // warm up
    if (typeof jaxSetup !== "string") { for (let i = 0; i < 2; i++) await jaxMatmul(jaxSetup, o); }
    for (let r = 0; r < reps; r++) {
      let t = performance.now();
      bare(o.av, o.bv, o.c, n);
      tb.push(performance.now() - t);
      t = performance.now();
      ours(blas, o);
      to.push(performance.now() - t);
      if (typeof jaxSetup !== "string" && r < Math.min(reps, n >= 1024 ? 5 : 20)) {
        t = performance.now();
        await jaxMatmul(jaxSetup, o);
        tj.push(performance.now() - t);
      }
    }
    const gf = (ms: number) => flop / ms / 1e6;
    const g = { bare: gf(median(tb)), ours: gf(median(to)), jax: tj.length ? gf(median(tj)) : NaN };
    const np = typeof numpy === "string" ? NaN : numpy[String(n)];
    rows.push({
      n,
      "bare GFLOP/s": g.bare.toFixed(1),
      "ours GFLOP/s": g.ours.toFixed(1),
      "jax-js GFLOP/s": g.jax.toFixed(2),
      "numpy GFLOP/s": np?.toFixed(1),
      "ours/bare": (g.ours / g.bare).toFixed(3),
      "ours/jax-js": (g.ours / g.jax).toFixed(1),
      "ours/numpy": (g.ours / np).toFixed(2),
    });
    blas.dispose(o.a);
    blas.dispose(o.b);
    o.ja?.dispose();
    o.jb?.dispose();
  }
  console.table(rows);
}
