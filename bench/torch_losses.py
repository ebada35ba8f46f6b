"""PyTorch CPU reference timings for bench/losses.bench.ts (run with Debian's /usr/bin/python3).

Prints one JSON object {name: ms}: the median over runs of forward + backward of each loss on the
same shapes as the TypeScript side, on 1 thread.
"""
import json
import statistics
import sys
import time

import torch
import torch.nn.functional as F

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 7
torch.set_num_threads(1)
torch.manual_seed(0)


def median_ms(fn, runs=RUNS):
    fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def fwd_bwd(make):
    def run():
        leaves, loss = make()
        loss.backward()
    return run


T, N, C, S = 50, 16, 20, 10
logits = torch.randn(T, N, C)
targets = torch.randint(1, C, (N, S))
a, p, n = torch.randn(256, 128), torch.randn(256, 128), torch.randn(256, 128)
x = torch.randn(256, 1000)
q = torch.softmax(torch.randn(256, 1000), 1)
scores = torch.randn(64, 50)
ml = torch.randint(-1, 50, (64, 50))


def leaf(t):
    return t.clone().requires_grad_(True)


CASES = {
    "ctcLoss (T 50, N 16, C 20, S 10)": lambda: (None, F.ctc_loss(leaf(logits).log_softmax(2), targets, [T] * N, [S] * N)),
    "tripletMarginLoss (256 x 128, swap)": lambda: (None, F.triplet_margin_loss(leaf(a), leaf(p), leaf(n), swap=True)),
    "klDiv (256 x 1000, batchmean)": lambda: (None, F.kl_div(leaf(x).log_softmax(1), q, reduction="batchmean")),
    "gaussianNllLoss (256 x 1000)": lambda: (None, F.gaussian_nll_loss(leaf(x), q, leaf(q) + 0.1)),
    "multilabelMarginLoss (64 x 50)": lambda: (None, F.multilabel_margin_loss(leaf(scores), ml)),
    "cosineEmbeddingLoss (256 x 128)": lambda: (None, F.cosine_embedding_loss(leaf(a), leaf(p), torch.ones(256))),
}
print(json.dumps({name: median_ms(fwd_bwd(make)) for name, make in CASES.items()}))
