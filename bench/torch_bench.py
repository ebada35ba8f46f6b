"""PyTorch CPU reference timings for bench/core.bench.ts (run with Debian's /usr/bin/python3).

Prints one JSON object: {"matmul": {"256": ms, ...}, "mlp": ms, "threads": n, "ops": {name: ms}},
medians over runs; the single ops run on 1 thread.
"""
import json
import statistics
import sys
import time

import torch
import torch.nn.functional as F

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 7


def median_ms(fn, runs=RUNS):
    # the warm-up core.bench.ts gives tsgrad: at least 30 calls and 0.25 s, at most 2 s
    start = time.perf_counter()
    calls = 0
    while (calls < 30 or time.perf_counter() - start < 0.25) and time.perf_counter() - start < 2:
        fn()
        calls += 1
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


out = {"threads": torch.get_num_threads(), "matmul": {}}
for n in (256, 512, 1024):
    a = torch.randn(n, n)
    b = torch.randn(n, n)
    out["matmul"][str(n)] = median_ms(lambda: a @ b, runs=RUNS if n < 1024 else max(3, RUNS // 2))

torch.manual_seed(0)
model = torch.nn.Sequential(
    torch.nn.Linear(64, 128), torch.nn.ReLU(), torch.nn.Linear(128, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10)
)
x = torch.randn(256, 64)
y = torch.randn(256, 10)


def step():
    model.zero_grad()
    loss = ((model(x) - y) ** 2).mean()
    loss.backward()


out["mlp"] = median_ms(step, runs=RUNS * 3)

# Single ops on 1 thread, named as in core.bench.ts.
torch.set_num_threads(1)
image = torch.randn(8, 16, 64, 64)
logits, targets = torch.randn(4096, 10), torch.randint(0, 10, (4096,))
sample_rows = torch.arange(4096)
table, lookups = torch.randn(10000, 64), torch.randint(0, 10000, (4096,))
flat, picks = torch.randn(1000000), torch.randint(0, 1000000, (100000,))
batch_a, batch_b = torch.randn(32, 64, 64), torch.randn(32, 64, 64)
grid = torch.randn(1000, 1000)
out["ops"] = {
    "index [4096, 10] by (arange, targets)": median_ms(lambda: logits[sample_rows, targets], runs=RUNS * 3),
    "index [10000, 64] rows by 4096 indices": median_ms(lambda: table[lookups], runs=RUNS * 3),
    "index [1000000] by 100000 indices": median_ms(lambda: flat[picks], runs=RUNS * 3),
    "pad constant [8, 16, 64, 64] by 2": median_ms(lambda: F.pad(image, (2, 2, 2, 2)), runs=RUNS * 3),
    "pad reflect [8, 16, 64, 64] by 2": median_ms(lambda: F.pad(image, (2, 2, 2, 2), mode="reflect"), runs=RUNS * 3),
    "zeros [8, 16, 68, 68] (constant pad's output alone)": median_ms(lambda: torch.zeros(8, 16, 68, 68), runs=RUNS * 3),
    "full [8, 16, 68, 68] with 1 (a fresh output, written)": median_ms(lambda: torch.full((8, 16, 68, 68), 1.0), runs=RUNS * 3),
    "einsum bij,bjk->bik [32, 64, 64] x [32, 64, 64]": median_ms(lambda: torch.einsum("bij,bjk->bik", batch_a, batch_b), runs=RUNS * 3),
    "sort [1000, 1000] along dim 1": median_ms(lambda: grid.sort(1), runs=RUNS * 3),
    "sort [1000, 1000] along dim 0, descending": median_ms(lambda: grid.sort(0, descending=True), runs=RUNS * 3),
    "cumsum [1000, 1000] along dim 1": median_ms(lambda: grid.cumsum(1), runs=RUNS * 3),
    "cumsum [1000, 1000] along dim 0": median_ms(lambda: grid.cumsum(0), runs=RUNS * 3),
}
print(json.dumps(out))
