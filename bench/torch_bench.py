"""PyTorch CPU reference timings for bench/core.bench.ts (run with Debian's /usr/bin/python3).

Prints one JSON object: {"matmul": {"256": ms, ...}, "mlp": ms, "threads": n, "ops": {name: ms}},
medians over runs; the single ops run on 1 thread.

    python3 torch_bench.py RUNS ROUNDS [ops]   (ops: the single ops only, ROUNDS rounds of them)
"""
import json
import statistics
import sys
import time

import torch
import torch.nn.functional as F

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 7
# The single ops are timed in rounds, each op once a round, and reported as the median of their
# per-round medians (core.bench.ts does the same), so a slow spell of the host lands on one round
# of every op rather than on all the calls of one op.
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 3
# "ops": the single ops alone (core.bench.ts runs one round at a time, between its own rounds).
OPS_ONLY = len(sys.argv) > 3 and sys.argv[3] == "ops"


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
for n in () if OPS_ONLY else (256, 512, 1024):
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


if not OPS_ONLY:
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
ops = {
    "index [4096, 10] by (arange, targets)": lambda: logits[sample_rows, targets],
    "index [10000, 64] rows by 4096 indices": lambda: table[lookups],
    "index [1000000] by 100000 indices": lambda: flat[picks],
    "pad constant [8, 16, 64, 64] by 2": lambda: F.pad(image, (2, 2, 2, 2)),
    "pad reflect [8, 16, 64, 64] by 2": lambda: F.pad(image, (2, 2, 2, 2), mode="reflect"),
    "zeros [8, 16, 68, 68] (constant pad's output alone)": lambda: torch.zeros(8, 16, 68, 68),
    "full [8, 16, 68, 68] with 1 (a fresh output, written)": lambda: torch.full((8, 16, 68, 68), 1.0),
    "einsum bij,bjk->bik [32, 64, 64] x [32, 64, 64]": lambda: torch.einsum("bij,bjk->bik", batch_a, batch_b),
    "sort [1000, 1000] along dim 1": lambda: grid.sort(1),
    "sort [1000, 1000] along dim 0, descending": lambda: grid.sort(0, descending=True),
    "cumsum [1000, 1000] along dim 1": lambda: grid.cumsum(1),
    "cumsum [1000, 1000] along dim 0": lambda: grid.cumsum(0),
}
per_round = {name: [] for name in ops}
for _ in range(ROUNDS):
    for name, fn in ops.items():
        per_round[name].append(median_ms(fn, runs=RUNS * 3))
out["ops"] = {name: statistics.median(times) for name, times in per_round.items() if times}
print(json.dumps(out))
