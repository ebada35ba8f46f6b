"""PyTorch's LeNet-5 for bench/suite (lenet.bench.ts and `pnpm bench`): conv 1→6 5×5 pad 2, ReLU,
max-pool 2, conv 6→16 5×5, ReLU, max-pool 2, 400-120-84-10 with ReLU, cross-entropy, Adam lr 1e-3,
PyTorch's default initialisation."""
import torch

from torch_common import adam_step

nn = torch.nn


def build(x, y):
    """The training step and the forward pass (no grad) on images x [N, 1, 28, 28] and labels y [N], each returning the loss."""
    model = nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                          nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
    return adam_step(model.parameters(), lambda: nn.functional.cross_entropy(model(x), y))
