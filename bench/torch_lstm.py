"""PyTorch reference for bench/lstm.bench.ts (run with Debian's /usr/bin/python3): one thread, the
same 2-layer LSTM training step (input 32, hidden 128, batch 32, 50 steps, Linear head on the last
step, MSE, Adam lr 1e-3) and forward pass (no grad). Prints {"version", "step": {"times", "loss"},
"forward": {"times", "loss"}} as JSON, times the ms of each timed run. Arguments: runs, warm-up runs."""
import json
import sys
import time

import torch

torch.set_num_threads(1)
torch.manual_seed(0)
steps, warmup = int(sys.argv[1]), int(sys.argv[2])
nn = torch.nn
BATCH, SEQ, INPUT, HIDDEN = 32, 50, 32, 128
lstm = nn.LSTM(INPUT, HIDDEN, num_layers=2, batch_first=True)
head = nn.Linear(HIDDEN, 1)
opt = torch.optim.Adam([*lstm.parameters(), *head.parameters()], lr=1e-3)
x = torch.randn(BATCH, SEQ, INPUT)
y = torch.randn(BATCH, 1)


def loss_fn():
    out, _ = lstm(x)
    return nn.functional.mse_loss(head(out[:, -1]), y)


def step():
    opt.zero_grad()
    loss = loss_fn()
    loss.backward()
    opt.step()
    return loss.item()


def forward():
    with torch.no_grad():
        return loss_fn().item()


def timed(fn):
    loss = None
    for _ in range(warmup):
        loss = fn()
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        loss = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return {"times": times, "loss": loss}


print(json.dumps({"version": torch.__version__, "step": timed(step), "forward": timed(forward)}))
