"""PyTorch's 2-layer LSTM for bench/suite (lstm.bench.ts and `pnpm bench`): input 32, hidden 128,
batch first, a Linear head on the last step's output, MSE, Adam lr 1e-3, PyTorch's default
initialisation."""
import torch

from torch_common import adam_step

nn = torch.nn


def build(x, y):
    """The training step and the forward pass (no grad) on sequences x [N, L, 32] and targets y [N, 1], each returning the loss."""
    lstm = nn.LSTM(x.shape[2], 128, num_layers=2, batch_first=True)
    head = nn.Linear(128, 1)

    def loss():
        out, _ = lstm(x)
        return nn.functional.mse_loss(head(out[:, -1]), y)

    return adam_step([*lstm.parameters(), *head.parameters()], loss)
