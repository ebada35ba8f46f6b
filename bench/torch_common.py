"""Shared parts of the PyTorch references (run with Debian's /usr/bin/python3): the data file the
TypeScript side writes (typed arrays as base64 of their bytes, so both sides see bit-identical
float32), the repetition budget (the same rule as bench/lib/timing.ts), PyTorch's default
initialisation rule, and the worker loop: one JSON request per input line, one JSON answer per
output line (bench/lib/torch.ts)."""
import base64
import json
import sys
import time

import torch

_cache = {}


def _decode(value):
    if isinstance(value, dict) and "b64" in value:
        dtype = torch.float32 if value["dtype"] == "float32" else torch.int32
        if not value["b64"]:
            return torch.empty(value["shape"], dtype=dtype)
        flat = torch.frombuffer(bytearray(base64.b64decode(value["b64"])), dtype=dtype)
        return flat.reshape(value["shape"])
    if isinstance(value, dict):
        return {k: _decode(v) for k, v in value.items()}
    return value


def load_data(path):
    """The data file at `path` with its arrays as tensors (int32 arrays as int64: PyTorch's index dtype), read once."""
    if path not in _cache:
        with open(path) as f:
            data = _decode(json.load(f))

        def widen(v):
            if isinstance(v, dict):
                return {k: widen(x) for k, x in v.items()}
            return v.long() if isinstance(v, torch.Tensor) and v.dtype == torch.int32 else v

        _cache[path] = widen(data)
    return _cache[path]


def time_reps(fn, budget):
    """`budget["warmup"]` untimed runs, then timed runs until `minMs` ms have passed or `maxReps` were made
    (at least one). Returns {"times": [ms, ...], "value": what the last run returned}."""
    value = None
    for _ in range(budget["warmup"]):
        value = fn()
    times, spent = [], 0.0
    while len(times) < max(1, budget["maxReps"]) and (not times or spent < budget["minMs"]):
        t0 = time.perf_counter()
        value = fn()
        ms = (time.perf_counter() - t0) * 1000
        times.append(ms)
        spent += ms
    return {"times": times, "value": value}


def time_once(fn):
    """The wall time of one call of `fn` in ms, and what it returned."""
    t0 = time.perf_counter()
    value = fn()
    return (time.perf_counter() - t0) * 1000, value


def serve(handlers):
    """Answers requests {"op": name, ...} from stdin with handlers[name](request), one JSON line each;
    an exception becomes {"error": message}. Returns when stdin closes."""
    for line in sys.stdin:
        request = json.loads(line)
        try:
            answer = handlers[request["op"]](request)
        except Exception as e:  # the TypeScript side shows it in the table instead of a time
            answer = {"error": f"{type(e).__name__}: {e}"}
        print(json.dumps(answer), flush=True)


def adam_step(params, loss_fn):
    """A training step of `loss_fn()` over `params` with Adam (lr 1e-3) returning the loss, and the forward pass alone."""
    opt = torch.optim.Adam(params, lr=1e-3)

    def step():
        opt.zero_grad()
        loss = loss_fn()
        loss.backward()
        opt.step()
        return loss.item()

    def forward():
        with torch.no_grad():
            return loss_fn().item()

    return step, forward
