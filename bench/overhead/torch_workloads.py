"""PyTorch 1-thread reference for bench/overhead/workloads.ts (run with Debian's /usr/bin/python3).

  /usr/bin/python3 bench/overhead/torch_workloads.py data.json w1 [runs] [scale]

data.json holds the workloads' data as tsgrad made it ({"w1": {"xTrain": [...], "xTrainShape": [...], ...}}).
Prints one JSON line per run: {"workload", "seconds", "cpuSeconds", "result"}. Same models, losses, optimizers,
batch sizes and epochs as the TypeScript side; the timed part is the whole training loop.
"""
import json
import sys
import time

import torch
from torch.utils.data import DataLoader, TensorDataset

torch.set_num_threads(1)
spec = json.load(open(sys.argv[1]))
name = sys.argv[2]
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 1
scale = float(sys.argv[4]) if len(sys.argv) > 4 else 1.0
EPOCHS = {"w1": 500, "w2": 200, "w3": 300}


def tensors(d, key, dtype):
    return torch.tensor(d[key], dtype=dtype).reshape(d[key + "Shape"])


def mlp(widths, last=None):
    layers = []
    for k in range(1, len(widths)):
        layers.append(torch.nn.Linear(widths[k - 1], widths[k]))
        if k < len(widths) - 1:
            layers.append(torch.nn.ReLU())
    if last is not None:
        layers.append(last)
    return torch.nn.Sequential(*layers)


def loop(model, loss_fn, accuracy, optimizer, scheduler, loader, val, epochs):
    for _ in range(epochs):
        model.train()
        loss_sum = seen = 0.0
        for x, t in loader:
            out = model(x)
            loss = loss_fn(out, t)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            n = x.shape[0]
            loss_sum += loss.item() * n
            seen += n
        if scheduler:
            scheduler.step()
        model.eval()
        with torch.no_grad():
            out = model(val[0])
            val_loss = loss_fn(out, val[1]).item()
            val_acc = accuracy(out, val[1]) if accuracy else 0.0
    return {"trainLoss": loss_sum / seen, "valLoss": val_loss, "valAcc": val_acc}


def data(key, ydtype):
    d = spec[key]
    return tensors(d, "xTrain", torch.float32), tensors(d, "yTrain", ydtype), tensors(d, "xVal", torch.float32), tensors(d, "yVal", ydtype)


def w1(epochs):
    xt, yt, xv, yv = data("w1", torch.float32)
    torch.manual_seed(42)
    model = mlp([2, 32, 16, 8, 1], torch.nn.Sigmoid())
    acc = lambda o, t: ((o > 0.5).float() == t).float().mean().item()
    loader = DataLoader(TensorDataset(xt, yt), batch_size=64, shuffle=True)
    return loop(model, torch.nn.BCELoss(), acc, torch.optim.SGD(model.parameters(), lr=0.05), None, loader, (xv, yv), epochs)


def w2(epochs):
    xt, yt, xv, yv = data("w2", torch.long)
    torch.manual_seed(0)
    model = mlp([2, 64, 64, 3])
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=epochs)
    acc = lambda o, t: (o.argmax(1) == t).float().mean().item()
    loader = DataLoader(TensorDataset(xt, yt), batch_size=64, shuffle=True)
    return loop(model, torch.nn.CrossEntropyLoss(), acc, opt, sched, loader, (xv, yv), epochs)


def w3(epochs):
    xt, yt, xv, yv = data("w3", torch.float32)
    out = {}
    for name, loss in [("mse", torch.nn.MSELoss()), ("huber", torch.nn.HuberLoss(delta=1.0)), ("mae", torch.nn.L1Loss())]:
        torch.manual_seed(0)
        model = mlp([8, 64, 64, 1])
        loader = DataLoader(TensorDataset(xt, yt), batch_size=32, shuffle=True)
        r = loop(model, loss, None, torch.optim.Adam(model.parameters(), lr=0.01), None, loader, (xv, yv), epochs)
        out[name + "TrainLoss"] = r["trainLoss"]
        out[name + "ValLoss"] = r["valLoss"]
    return out


fn = {"w1": w1, "w2": w2, "w3": w3}[name]
epochs = max(1, round(EPOCHS[name] * scale))
for _ in range(runs):
    t0 = time.perf_counter()
    c0 = time.process_time()
    result = fn(epochs)
    print(json.dumps({"workload": name, "seconds": time.perf_counter() - t0, "cpuSeconds": time.process_time() - c0, "result": result}), flush=True)
