"""scikit-learn peer of bench/metrics_bench.ts: ARI, FMI and V-measure on the
same 1,000,000 labels with 100 classes. Prints the scores and the seconds per
score (best and median of 7 runs after one warm-up).

Run with Debian's scikit-learn: `/usr/bin/python3 bench/peers/sklearn_metrics.py`.
"""
import time

import numpy as np
import sklearn
from sklearn import metrics

N, C = 1_000_000, 100
i = np.arange(N, dtype=np.int64)
t = ((i * 7919 + (i * i) % 1009) % C).astype(np.int32)
p = np.where(i % 3 == 0, (i * 104729 + 17) % C, t).astype(np.int32)

print(f"# scikit-learn {sklearn.__version__}, numpy {np.__version__}")
for name, fn in (
    ("adjusted_rand_score", metrics.adjusted_rand_score),
    ("fowlkes_mallows_score", metrics.fowlkes_mallows_score),
    ("v_measure_score", metrics.v_measure_score),
):
    value = fn(t, p)
    runs = []
    for _ in range(7):
        start = time.perf_counter()
        fn(t, p)
        runs.append(time.perf_counter() - start)
    print(f"{name}: {value!r}  best {min(runs):.4f} s  median {np.median(runs):.4f} s")
