"""PyTorch's half of the hand-off: continue tsgrad's moons model with DistributedDataParallel.

    python3 continue_ddp.py DIR [--epochs 20] [--world-size 2]

Reads DIR/moons.safetensors (the model tsgrad trained) and DIR/moons-data.safetensors (the data
tsgrad trained on), starts WORLD_SIZE processes on this machine with the gloo backend
(torch.distributed on localhost), loads the state dict into the same architecture, wraps it in
DistributedDataParallel, trains on a DistributedSampler shard per process, and writes
DIR/moons-ddp.safetensors from rank 0. Prints one JSON line: the test accuracy, the loss before
and after, whether the replicas ended identical, and the outputs on the first test points (for
tsgrad to reproduce).

The files are read and written with `safetensors.torch` when the package is installed, else with
the small standard-library reader and writer below (the format is an 8-byte little-endian header
length, a JSON header, the raw little-endian data).
"""
import argparse
import json
import os
import socket
import struct

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler

try:
    from safetensors.torch import load_file, save_file
except ImportError:
    DTYPES = {"F64": torch.float64, "F32": torch.float32, "I64": torch.int64, "I32": torch.int32, "U8": torch.uint8, "BOOL": torch.bool}
    NAMES = {v: k for k, v in DTYPES.items()}

    def load_file(path):
        with open(path, "rb") as f:
            raw = f.read()
        (n,) = struct.unpack("<Q", raw[:8])
        header = json.loads(raw[8:8 + n])
        header.pop("__metadata__", None)
        data = raw[8 + n:]
        out = {}
        for name, info in header.items():
            begin, end = info["data_offsets"]
            flat = torch.frombuffer(bytearray(data[begin:end]), dtype=DTYPES[info["dtype"]]) if end > begin else torch.zeros(0, dtype=DTYPES[info["dtype"]])
            out[name] = flat.reshape(info["shape"]).clone()
        return out

    def save_file(tensors, path, metadata=None):
        header, blobs, offset = ({"__metadata__": metadata} if metadata else {}), [], 0
        for name, t in tensors.items():
            blob = t.detach().contiguous().numpy().tobytes()
            header[name] = {"dtype": NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(blob)]}
            blobs.append(blob)
            offset += len(blob)
        text = json.dumps(header).encode()
        text += b" " * (-len(text) % 8)
        with open(path, "wb") as f:
            f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def mlp():
    """The architecture tsgrad trained: Sequential(Linear(2, 32), ReLU(), Linear(32, 1)), on logits."""
    return torch.nn.Sequential(torch.nn.Linear(2, 32), torch.nn.ReLU(), torch.nn.Linear(32, 1))


def worker(rank, args, port):
    torch.set_num_threads(1)
    os.environ["MASTER_ADDR"], os.environ["MASTER_PORT"] = "127.0.0.1", str(port)
    dist.init_process_group("gloo", rank=rank, world_size=args.world_size)
    data = load_file(os.path.join(args.dir, "moons-data.safetensors"))
    model = mlp()
    model.load_state_dict(load_file(os.path.join(args.dir, "moons.safetensors")))
    X_test, y_test = data["X_test"], data["y_test"]
    with torch.no_grad():
        loss_before = F.binary_cross_entropy_with_logits(model(X_test), y_test).item()

    ddp = DistributedDataParallel(model)
    train = TensorDataset(data["X_train"], data["y_train"])
    sampler = DistributedSampler(train, num_replicas=args.world_size, rank=rank, shuffle=True, seed=0)
    loader = DataLoader(train, batch_size=32, sampler=sampler)
    optimizer = torch.optim.Adam(ddp.parameters(), lr=0.002)
    for epoch in range(args.epochs):
        sampler.set_epoch(epoch)
        for xb, yb in loader:
            optimizer.zero_grad()
            F.binary_cross_entropy_with_logits(ddp(xb), yb).backward()  # DDP averages the gradients across ranks
            optimizer.step()

    # Every replica must hold the same parameters: gather them and compare.
    flat = torch.cat([p.detach().reshape(-1) for p in model.parameters()])
    gathered = [torch.zeros_like(flat) for _ in range(args.world_size)]
    dist.all_gather(gathered, flat)
    if rank == 0:
        save_file(model.state_dict(), os.path.join(args.dir, "moons-ddp.safetensors"), metadata={"trainer": "torch DistributedDataParallel", "world_size": str(args.world_size)})
        with torch.no_grad():
            logits = model(X_test)
        print(json.dumps({
            "world_size": args.world_size,
            "replicas_equal": all(torch.equal(g, gathered[0]) for g in gathered),
            "loss_before": loss_before,
            "loss_after": F.binary_cross_entropy_with_logits(logits, y_test).item(),
            "accuracy": ((logits > 0).float() == y_test).float().mean().item(),
            "first_logits": logits[:8, 0].tolist(),
        }))
    dist.barrier()
    dist.destroy_process_group()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir")
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--world-size", type=int, default=2)
    args = parser.parse_args()
    mp.spawn(worker, args=(args, free_port()), nprocs=args.world_size, join=True)
