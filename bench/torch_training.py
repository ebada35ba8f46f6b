"""PyTorch CPU reference for bench/training.bench.ts (run with Debian's /usr/bin/python3).

Reads the JSON the TypeScript side writes ({"x": flat [N*2], "y": flat [N], "lr", "runs",
"scenarios": [{"widths", "batchSize", "epochs"}, ...]}), trains each scenario the obvious way
(nn.Sequential, BCELoss, optim.SGD, DataLoader with shuffle) and prints one JSON object:
{"version", "threads", "results": [{"msPerEpoch", "finalLoss"}, ...]}, medians over runs.
"""
import json
import statistics
import sys
import time

import torch
from torch.utils.data import DataLoader, TensorDataset

with open(sys.argv[1]) as f:
    spec = json.load(f)
x = torch.tensor(spec["x"], dtype=torch.float32).reshape(-1, 2)
y = torch.tensor(spec["y"], dtype=torch.float32).reshape(-1, 1)
n = x.shape[0]


def trainer(widths, batch_size, lr):
    """A fresh model + optimizer + loader; returns a function that trains one epoch and returns its mean loss."""
    layers = []
    for k in range(len(widths) - 1):
        layers.append(torch.nn.Linear(widths[k], widths[k + 1]))
        layers.append(torch.nn.ReLU() if k < len(widths) - 2 else torch.nn.Sigmoid())
    model = torch.nn.Sequential(*layers)
    criterion = torch.nn.BCELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    loader = DataLoader(TensorDataset(x, y), batch_size=batch_size, shuffle=True)

    def epoch():
        model.train()
        loss_sum = 0.0
        for xb, yb in loader:
            loss = criterion(model(xb), yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * xb.shape[0]
        return loss_sum / n

    return epoch


def time_training(widths, batch_size, epochs, lr, runs):
    trainer(widths, batch_size, lr)()  # warm-up epoch
    ms, final = [], []
    for _ in range(runs):
        epoch = trainer(widths, batch_size, lr)
        t0 = time.perf_counter()
        for _ in range(epochs):
            loss = epoch()
        ms.append((time.perf_counter() - t0) * 1000 / epochs)
        final.append(loss)
    return {"msPerEpoch": statistics.median(ms), "finalLoss": statistics.median(final)}


torch.manual_seed(0)
results = [time_training(s["widths"], s["batchSize"], s["epochs"], spec["lr"], spec["runs"]) for s in spec["scenarios"]]
print(json.dumps({"version": torch.__version__, "threads": torch.get_num_threads(), "results": results}))
