"""PyTorch's side of bench/gemm.bench.ts: float32 N³ products A·B, A·Bᵀ, Aᵀ·B on 1 thread.

usage: torch_gemm.py ROUNDS SIZES   (SIZES comma-separated); prints {"N layout": median ms} as JSON.
"""
import json
import statistics
import sys
import time

import torch

torch.set_num_threads(1)
rounds = int(sys.argv[1])
sizes = [int(s) for s in sys.argv[2].split(",")]
products = {
    "A·B": lambda a, b: a @ b,
    "A·Bᵀ": lambda a, b: a @ b.T,
    "Aᵀ·B": lambda a, b: a.T @ b,
}


def time_once(fn, reps):
    t0 = time.perf_counter()
    for _ in range(reps):
        fn()
    return (time.perf_counter() - t0) * 1000 / reps


out = {}
torch.manual_seed(0)
for n in sizes:
    a, b = torch.randn(n, n), torch.randn(n, n)
    for name, product in products.items():
        fn = lambda: product(a, b)
        fn()
        reps = max(1, round(150 / time_once(fn, 1)))
        out[f"{n} {name}"] = statistics.median(time_once(fn, reps) for _ in range(rounds))
print(json.dumps(out))
