"""PyTorch reference for bench/lenet.bench.ts (run with Debian's /usr/bin/python3): one thread,
the same LeNet-5 training step (batch 64, 1×28×28, cross-entropy, Adam lr 1e-3) and forward pass
(no grad). Prints {"version", "step": {"ms", "loss"}, "forward": {"ms", "loss"}} as JSON, ms the
median per run. Arguments: runs, warm-up runs."""
import json
import statistics
import sys
import time

import torch

torch.set_num_threads(1)
torch.manual_seed(0)
steps, warmup = int(sys.argv[1]), int(sys.argv[2])
nn = torch.nn
model = nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                      nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
x = torch.randn(64, 1, 28, 28)
y = torch.randint(0, 10, (64,))


def step():
    opt.zero_grad()
    loss = nn.functional.cross_entropy(model(x), y)
    loss.backward()
    opt.step()
    return loss.item()


def forward():
    with torch.no_grad():
        return nn.functional.cross_entropy(model(x), y).item()


def timed(fn):
    loss = None
    for _ in range(warmup):
        loss = fn()
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        loss = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return {"ms": statistics.median(times), "loss": loss}


print(json.dumps({"version": torch.__version__, "step": timed(step), "forward": timed(forward)}))
