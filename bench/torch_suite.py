"""The PyTorch worker of bench/lib/torch.ts (run with Debian's /usr/bin/python3; argument: the
intra-op thread count). Answers, one JSON line per request:
  {"op": "hello"} -> {"version", "threads"}
  {"op": "train", "data", "spec", "epochs", "evalEachEpoch"} -> {"times": [total ms], "value"}
  {"op": "steps", "data", "spec", "budget"} -> {"times": [ms per step], "value": test accuracy}
  {"op": "matmul", "n", "budget"} -> {"times": [ms per product]}
  {"op": "lenet" | "lstm", "data", "budget", "pass": "step" | "forward"} -> {"times", "value": loss}
The MLPs are nn.Sequential of nn.Linear and nn.ReLU with PyTorch's default initialisation, the
losses and optimizers of torch.nn and torch.optim, batches indexed from a torch.randperm."""
import sys

import torch

import torch_lenet
import torch_lstm
from torch_common import load_data, serve, time_once, time_reps

torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
torch.manual_seed(0)
nn = torch.nn

LOSSES = {
    "bce": nn.functional.binary_cross_entropy_with_logits,
    "ce": nn.functional.cross_entropy,
    "mse": nn.functional.mse_loss,
    "huber": lambda o, t: nn.functional.huber_loss(o, t, delta=1.0),
    "mae": nn.functional.l1_loss,
}


class Mlp:
    """A fresh MLP with its optimizer for `spec` on data set `d`: `step(rows)` trains on those rows, `evaluate()` scores the test set."""

    def __init__(self, spec, d):
        widths = spec["widths"]
        layers = []
        for k in range(len(widths) - 1):
            layers.append(nn.Linear(widths[k], widths[k + 1]))
            if k < len(widths) - 2:
                layers.append(nn.ReLU())
        self.model = nn.Sequential(*layers)
        opt = spec["optimizer"]
        self.opt = (torch.optim.SGD if opt["name"] == "sgd" else torch.optim.Adam)(self.model.parameters(), lr=opt["lr"])
        self.loss = LOSSES[spec["loss"]]
        self.d = d

    def step(self, rows):
        loss = self.loss(self.model(self.d["xTrain"][rows]), self.d["yTrain"][rows])
        self.opt.zero_grad()
        loss.backward()
        self.opt.step()
        return loss.item()

    def evaluate(self):
        d = self.d
        with torch.no_grad():
            out = self.model(d["xTest"])
            if d["classes"] == 0:
                return self.loss(out, d["yTest"]).item()
            hit = out.argmax(1) == d["yTest"] if d["classes"] > 1 else (out > 0) == (d["yTest"] > 0.5)
            return hit.float().mean().item()


class Batches:
    """Training row indices batch after batch, a fresh torch.randperm every epoch; the last batch of an epoch may be short."""

    def __init__(self, n, size):
        self.n, self.size, self.at, self.order = n, size, n, None
        self.per_epoch = -(-n // size)

    def next(self):
        if self.at >= self.n:
            self.order, self.at = torch.randperm(self.n), 0
        batch = self.order[self.at:self.at + self.size]
        self.at += self.size
        return batch


def dataset(request):
    return load_data(request["data"])[request["spec"]["data"]]


def train(request):
    d = dataset(request)
    model = Mlp(request["spec"], d)
    batches = Batches(d["xTrain"].shape[0], request["spec"]["batch"])
    epochs, each = request["epochs"], request["evalEachEpoch"]

    def run():
        for e in range(epochs):
            for _ in range(batches.per_epoch):
                model.step(batches.next())
            if each and e < epochs - 1:
                model.evaluate()
        return model.evaluate()

    ms, value = time_once(run)
    return {"times": [ms], "value": value}


def steps(request):
    d = dataset(request)
    model = Mlp(request["spec"], d)
    batches = Batches(d["xTrain"].shape[0], request["spec"]["batch"])
    timed = time_reps(lambda: model.step(batches.next()), request["budget"])
    return {"times": timed["times"], "value": model.evaluate()}


def matmul(request):
    n = request["n"]
    a, b = torch.randn(n, n), torch.randn(n, n)  # values do not change the time: no need to ship them
    return {"times": time_reps(lambda: a @ b, request["budget"])["times"], "value": None}


def model_step(module, name):
    def handler(request):
        d = load_data(request["data"])[name]
        step, forward = module.build(d["x"], d["y"])
        return time_reps(forward if request.get("pass") == "forward" else step, request["budget"])

    return handler


serve({
    "hello": lambda _: {"version": torch.__version__, "threads": torch.get_num_threads()},
    "train": train,
    "steps": steps,
    "matmul": matmul,
    "lenet": model_step(torch_lenet, "lenet"),
    "lstm": model_step(torch_lstm, "lstm"),
})
