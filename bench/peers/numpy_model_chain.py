"""numpy peer of bench/model_bench.ts: relu -> row softmax -> bkwta(5) on 4096x1024 float32.

The chain is ngclearn's maths in numpy: `r = max(x, 0)`, `s = exp(r - max_row r) / sum_row`,
`kth = k-th largest of each row` (np.partition, numpy's fastest selection), output
`(s >= kth)` as float32. Prints the median and the minimum milliseconds per chain over
repeated runs after a warm-up; with --json the last line is {"median_ms": ..., "min_ms": ...}.
"""

import json
import statistics
import sys
import time

import numpy as np

B, D, K = 4096, 1024, 5


def chain(x: np.ndarray, k: int = K) -> np.ndarray:
    r = np.maximum(x, np.float32(0))
    e = np.exp(r - r.max(axis=1, keepdims=True))
    s = e / e.sum(axis=1, keepdims=True)
    kth = -np.partition(-s, k - 1, axis=1)[:, k - 1 : k]
    return (s >= kth).astype(np.float32)


def main() -> None:
    x = np.random.default_rng(1).uniform(-1, 1, (B, D)).astype(np.float32)
    y = chain(x)
    assert y.dtype == np.float32 and y.shape == (B, D) and (y.sum(axis=1) >= K).all()
    for _ in range(2):
        chain(x)
    times = []
    for _ in range(15):
        t = time.perf_counter()
        chain(x)
        times.append((time.perf_counter() - t) * 1000)
    med, low = statistics.median(times), min(times)
    print(f"numpy {np.__version__} relu -> softmax -> bkwta({K}) on {B}x{D} f32: "
          f"median {med:.1f} ms, min {low:.1f} ms")
    if "--json" in sys.argv:
        print(json.dumps({"median_ms": med, "min_ms": low}))


if __name__ == "__main__":
    main()
