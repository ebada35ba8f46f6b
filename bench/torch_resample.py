"""PyTorch reference for bench/resample.bench.ts (run with Debian's /usr/bin/python3): one thread,
F.interpolate on a float32 (8, 16, 64, 64) input — bilinear ×2 forward, bilinear ×2 forward +
backward, bicubic ×2 forward and nearest ×2 forward, and F.pad reflect by 2 forward. Prints
{"version", "<case>": ms} as JSON, ms the median per call. Arguments: runs, warm-up runs."""
import json
import statistics
import sys
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)
runs, warmup = int(sys.argv[1]), int(sys.argv[2])
x = torch.randn(8, 16, 64, 64)
xg = x.clone().requires_grad_()
g = torch.randn(8, 16, 128, 128)


def bilinear_step():
    xg.grad = None
    F.interpolate(xg, scale_factor=2, mode="bilinear").backward(g)


CASES = {
    "bilinear fwd": lambda: F.interpolate(x, scale_factor=2, mode="bilinear"),
    "bilinear fwd+bwd": bilinear_step,
    "bicubic fwd": lambda: F.interpolate(x, scale_factor=2, mode="bicubic"),
    "nearest fwd": lambda: F.interpolate(x, scale_factor=2),
    "reflect pad fwd": lambda: F.pad(x, (2, 2, 2, 2), mode="reflect"),
}


def median_ms(fn):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


print(json.dumps({"version": torch.__version__, **{name: median_ms(fn) for name, fn in CASES.items()}}))
