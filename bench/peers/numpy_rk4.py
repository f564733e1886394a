"""numpy peer of bench/diffeq_bench.ts: fixed-step RK4 on a 1000-dim linear system, 1000 steps.

dx/dt = A x with A = -I + 0.9/sqrt(n) * sin(1 + 1.7 i + 0.3 j), x0[i] = cos(i), dt = 0.01,
float32 (as ngclearn / ngc-utils), the trajectory stored as solve_ode returns it (T x n).
The step is ngclearn's `step_rk4` written with numpy (`k1 = f(x)`, ..., `x + dt (k1 + 2k2 + 2k3 + k4) / 6`,
f(x) = x @ A.T). Also times float64 and, for reference, `scipy.integrate.solve_ivp` (RK45 and DOP853,
rtol = 1e-6, atol = 1e-9) over the same interval. Prints the median and minimum milliseconds per run
and the final-state norm (compare with the `|x_T|` line of the Deno bench); with --json the last line
is a JSON object of the medians.
"""

import json
import statistics
import sys
import time

import numpy as np

N, T, DT = 1000, 1000, 0.01


def system(dtype):
    i = np.arange(N, dtype=np.float64)[:, None]
    j = np.arange(N, dtype=np.float64)[None, :]
    a = -np.eye(N) + 0.9 / np.sqrt(N) * np.sin(1 + 1.7 * i + 0.3 * j)
    x0 = np.cos(np.arange(N, dtype=np.float64))
    return a.astype(dtype), x0.astype(dtype)


def rk4(a_t, x0, dt, steps):
    f = lambda x: x @ a_t  # noqa: E731  (f(t, x) = x A^T, ngclearn's row convention)
    dt = x0.dtype.type(dt)
    half, sixth = dt * x0.dtype.type(0.5), dt / x0.dtype.type(6)
    xs = np.empty((steps, x0.shape[0]), dtype=x0.dtype)
    x = x0
    for k in range(steps):
        k1 = f(x)
        k2 = f(x + half * k1)
        k3 = f(x + half * k2)
        k4 = f(x + dt * k3)
        x = x + sixth * (k1 + 2 * k2 + 2 * k3 + k4)
        xs[k] = x
    return xs


def timeit(fn, reps):
    fn()  # warm-up
    times = []
    out = None
    for _ in range(reps):
        t = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - t) * 1e3)
    return statistics.median(times), min(times), out


def main() -> None:
    results = {}
    for name, dtype in (("numpy rk4 float32", np.float32), ("numpy rk4 float64", np.float64)):
        a, x0 = system(dtype)
        a_t = np.ascontiguousarray(a.T)
        med, lo, xs = timeit(lambda: rk4(a_t, x0, DT, T), 5)
        results[name] = med
        print(f"{name}: median {med:.1f} ms, min {lo:.1f} ms per run; |x_T| = {np.linalg.norm(xs[-1]):.7g}")
    try:
        from scipy.integrate import solve_ivp

        a, x0 = system(np.float64)
        for method in ("RK45", "DOP853"):
            run = lambda: solve_ivp(lambda t, x: a @ x, (0.0, T * DT), x0, method=method,  # noqa: E731
                                    rtol=1e-6, atol=1e-9)
            med, lo, sol = timeit(run, 3)
            results[f"scipy solve_ivp {method}"] = med
            print(f"scipy solve_ivp {method} (rtol 1e-6, atol 1e-9): median {med:.1f} ms, min {lo:.1f} ms; "
                  f"{sol.nfev} evaluations, {sol.t.size - 1} steps; |x_T| = {np.linalg.norm(sol.y[:, -1]):.7g}")
    except ImportError:
        print("scipy not installed: solve_ivp skipped")
    cfg = np.show_config(mode="dicts") if hasattr(np, "show_config") else {}
    blas = cfg.get("Build Dependencies", {}).get("blas", {}) if isinstance(cfg, dict) else {}
    print(f"numpy {np.__version__}, BLAS: {blas.get('name', '?')} {blas.get('version', '')}")
    if "--json" in sys.argv:
        print(json.dumps(results))


if __name__ == "__main__":
    main()
