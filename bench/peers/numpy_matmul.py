"""numpy float32 matmul peer for bench/blas_bench.ts.

Times `a @ b` for square float32 matrices of n = 128 / 512 / 1024 (median of
repeated runs after a warm-up) and prints GFLOP/s (2 n^3 / t). With --json the
last line is a JSON object {"128": gflops, ...} for the Deno bench to read.
Environment variables (OPENBLAS_NUM_THREADS, OPENBLAS_CORETYPE, ...) are left
as they are.
"""

import json
import statistics
import sys
import time

import numpy as np

SIZES = (128, 512, 1024)


def bench(n: int) -> float:
    rng = np.random.default_rng(0)
    a = rng.uniform(-0.5, 0.5, (n, n)).astype(np.float32)
    b = rng.uniform(-0.5, 0.5, (n, n)).astype(np.float32)
    c = np.empty((n, n), dtype=np.float32)
    reps = 15 if n >= 1024 else 40 if n >= 512 else 300
    for _ in range(3):
        np.matmul(a, b, out=c)
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        np.matmul(a, b, out=c)
        times.append(time.perf_counter() - t)
    return 2 * n**3 / statistics.median(times) / 1e9


def main() -> None:
    results = {str(n): bench(n) for n in SIZES}
    cfg = np.show_config(mode="dicts") if hasattr(np, "show_config") else {}
    blas = cfg.get("Build Dependencies", {}).get("blas", {}) if isinstance(cfg, dict) else {}
    print(f"numpy {np.__version__}, BLAS: {blas.get('name', '?')} {blas.get('version', '')}")
    for n, g in results.items():
        print(f"numpy float32 matmul {n}x{n}: {g:.1f} GFLOP/s")
    if "--json" in sys.argv:
        print(json.dumps(results))


if __name__ == "__main__":
    main()
