#!/usr/bin/env python3
"""PyTorch oracle for the layer kinds (src/kinds/).

Development aid, not part of the build. Each case is one layer written in `.nn` after an
`input` shape, and the PyTorch module that nnspec says it is (the kind's torch_module, the
same strings as tests/unit/kinds_*_test.cpp check). For each case this script builds the
module, counts sum(p.numel() for p in parameters()), runs a random batch of 2 through it
and takes the output shape without the batch; then it asks nnspec to check the same layer
with `expect params` and `expect shape` set to PyTorch's numbers. A case whose module
PyTorch rejects (construction or forward) must be an error for nnspec too.

It also holds reference versions of the helper modules that the PyTorch emitter defines
for what torch.nn 1.13 lacks: GroupedQueryAttention, RMSNorm, LayerNormNoBias, Param,
Permute, Select, Mean, DropPath.

    /usr/bin/python3 scripts/kinds_oracle.py build/nnspec       (needs torch >= 1.13)
"""
import os
import subprocess
import sys
import tempfile

import torch
import torch.nn as nn


# ---------------------------------------------------------------- helper modules

class GroupedQueryAttention(nn.Module):
    """Self-attention with separate q/k/v/o projections; kv_heads key/value heads are
    shared by num_heads query heads (kv_heads == num_heads: nn.MultiheadAttention's count)."""

    def __init__(self, embed_dim, num_heads, kv_heads, dropout=0.0, bias=True, kdim=None, vdim=None):
        super().__init__()
        self.h, self.kv, self.hd = num_heads, kv_heads, embed_dim // num_heads
        self.dropout = dropout
        self.q_proj = nn.Linear(embed_dim, embed_dim, bias=bias)
        self.k_proj = nn.Linear(kdim or embed_dim, kv_heads * self.hd, bias=bias)
        self.v_proj = nn.Linear(vdim or embed_dim, kv_heads * self.hd, bias=bias)
        self.out_proj = nn.Linear(embed_dim, embed_dim, bias=bias)

    def forward(self, x, key=None, value=None):
        key = x if key is None else key
        value = x if value is None else value
        b, s, d = x.shape
        q = self.q_proj(x).view(b, s, self.h, self.hd).transpose(1, 2)
        k = self.k_proj(key).view(b, key.shape[1], self.kv, self.hd).transpose(1, 2)
        v = self.v_proj(value).view(b, value.shape[1], self.kv, self.hd).transpose(1, 2)
        k = k.repeat_interleave(self.h // self.kv, dim=1)
        v = v.repeat_interleave(self.h // self.kv, dim=1)
        a = torch.softmax(q @ k.transpose(-1, -2) / self.hd ** 0.5, dim=-1)
        a = nn.functional.dropout(a, self.dropout, self.training)
        return self.out_proj((a @ v).transpose(1, 2).reshape(b, s, d))


class RMSNorm(nn.Module):
    """torch.nn.RMSNorm of PyTorch 2.4, for 1.13."""

    def __init__(self, normalized_shape, eps=None, elementwise_affine=True):
        super().__init__()
        self.shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(self.shape)) if elementwise_affine else None

    def forward(self, x):
        dims = tuple(range(-len(self.shape), 0))
        eps = torch.finfo(x.dtype).eps if self.eps is None else self.eps
        y = x * torch.rsqrt(x.pow(2).mean(dims, keepdim=True) + eps)
        return y * self.weight if self.weight is not None else y


class LayerNormNoBias(nn.LayerNorm):
    """nn.LayerNorm(bias=False) of PyTorch 2.1, for 1.13: a weight, no bias."""

    def __init__(self, normalized_shape, eps=1e-05):
        super().__init__(normalized_shape, eps=eps)
        self.bias = None

    def forward(self, x):
        return nn.functional.layer_norm(x, self.normalized_shape, self.weight, None, self.eps)


class Param(nn.Module):
    """A learnable tensor of `shape` (without batch); the output, whatever the input."""

    def __init__(self, shape):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(1, *shape))

    def forward(self, x):
        return self.weight.expand(x.shape[0], *self.weight.shape[1:])


class Permute(nn.Module):
    """x.permute(*dims); dims count the batch as 0."""

    def __init__(self, *dims):
        super().__init__()
        self.dims = dims

    def forward(self, x):
        return x.permute(*self.dims)


class Select(nn.Module):
    """x.select(dim, index); dim counts the batch as 0."""

    def __init__(self, dim, index):
        super().__init__()
        self.dim, self.index = dim, index

    def forward(self, x):
        return x.select(self.dim, self.index)


class Mean(nn.Module):
    """x.mean(dim); dim counts the batch as 0."""

    def __init__(self, dim):
        super().__init__()
        self.dim = dim

    def forward(self, x):
        return x.mean(self.dim)


class DropPath(nn.Module):
    """Stochastic depth (timm's DropPath): drops a sample's whole path with probability p."""

    def __init__(self, p=0.0):
        super().__init__()
        self.p = p

    def forward(self, x):
        if not self.training or self.p == 0.0:
            return x
        keep = x.new_empty((x.shape[0],) + (1,) * (x.dim() - 1)).bernoulli_(1 - self.p)
        return x * keep / (1 - self.p)


# ---------------------------------------------------------------- the cases
# (input shape, layer text, PyTorch module). An input shape of "int:N" feeds token ids.

CASES = {
    "convtranspose": [
        ("16x10", "convtranspose1d 16 -> 33 kernel=3 stride=2", "nn.ConvTranspose1d(16, 33, 3, stride=2)"),
        ("16x12x10", "convtranspose2d 33 kernel=(3, 5) stride=2 padding=(4, 2)",
         "nn.ConvTranspose2d(16, 33, (3, 5), stride=2, padding=(4, 2))"),
        ("16x16x16", "convtranspose2d 16 -> 8 kernel=3 stride=2 padding=1 output_padding=1",
         "nn.ConvTranspose2d(16, 8, 3, stride=2, padding=1, output_padding=1)"),
        ("16x7x9", "convtranspose2d 16 -> 32 kernel=3 groups=4 dilation=2 nobias",
         "nn.ConvTranspose2d(16, 32, 3, groups=4, bias=False, dilation=2)"),
        ("3x8x8", "convtranspose2d 3 -> 4 kernel=3 dilation=3 output_padding=2",
         "nn.ConvTranspose2d(3, 4, 3, output_padding=2, dilation=3)"),
        ("16x10x25x25", "convtranspose3d 16 -> 33 kernel=(3, 5, 2) stride=(2, 1, 1) padding=(0, 4, 2)",
         "nn.ConvTranspose3d(16, 33, (3, 5, 2), stride=(2, 1, 1), padding=(0, 4, 2))"),
        ("8x4x4", "convtranspose2d 8 -> 8 kernel=4 stride=2 padding=1 nobias",
         "nn.ConvTranspose2d(8, 8, 4, stride=2, padding=1, bias=False)"),
        # rejected by PyTorch
        ("16x16x16", "convtranspose2d 16 -> 8 kernel=3 stride=2 output_padding=2",
         "nn.ConvTranspose2d(16, 8, 3, stride=2, output_padding=2)"),
        ("3x1x1", "convtranspose2d 3 -> 4 kernel=1 padding=1", "nn.ConvTranspose2d(3, 4, 1, padding=1)"),
        ("3x8x8", "convtranspose2d 3 -> 4 kernel=3 padding=same", "nn.ConvTranspose2d(3, 4, 3, padding='same')"),
        ("6x8x8", "convtranspose2d 6 -> 4 kernel=3 groups=4", "nn.ConvTranspose2d(6, 4, 3, groups=4)"),
    ],
    "norms": [
        ("64", "batchnorm", "nn.BatchNorm1d(64)"),
        ("64x10", "batchnorm 64", "nn.BatchNorm1d(64)"),
        ("32x8x8", "batchnorm noaffine", "nn.BatchNorm2d(32, affine=False)"),
        ("8x4x4x4", "batchnorm 8 eps=1e-3", "nn.BatchNorm3d(8, eps=1e-3)"),
        ("32x8x8", "batchnorm 16", "nn.BatchNorm2d(16)"),
        ("10x768", "layernorm", "nn.LayerNorm(768)"),
        ("10x768", "layernorm 768 eps=1e-6", "nn.LayerNorm(768, eps=1e-6)"),
        ("10x16x16", "layernorm (16, 16)", "nn.LayerNorm((16, 16))"),
        ("10x768", "layernorm 768 nobias", "LayerNormNoBias(768)"),
        ("10x768", "layernorm noaffine", "nn.LayerNorm(768, elementwise_affine=False)"),
        ("10x768", "layernorm 512", "nn.LayerNorm(512)"),
        ("10x4096", "rmsnorm", "RMSNorm(4096)"),
        ("3x4x8", "rmsnorm 4x8 eps=1e-6", "RMSNorm((4, 8), eps=1e-6)"),
        ("10x64", "rmsnorm noaffine", "RMSNorm(64, elementwise_affine=False)"),
        ("32x8x8", "groupnorm groups=8", "nn.GroupNorm(8, 32)"),
        ("32x8", "groupnorm 32 groups=4 noaffine", "nn.GroupNorm(4, 32, affine=False)"),
        ("30x8x8", "groupnorm groups=8", "nn.GroupNorm(8, 30)"),
        ("16x10", "instancenorm", "nn.InstanceNorm1d(16)"),
        ("16x8x8", "instancenorm 16 affine", "nn.InstanceNorm2d(16, affine=True)"),
        ("4x3x5x6", "instancenorm affine", "nn.InstanceNorm3d(4, affine=True)"),
    ],
    "recurrent": [
        ("20x128", "lstm 256", "nn.LSTM(128, 256, batch_first=True)"),
        ("20x128", "lstm 128 -> 256 layers=2", "nn.LSTM(128, 256, num_layers=2, batch_first=True)"),
        ("20x128", "lstm 256 layers=2 bidirectional", "nn.LSTM(128, 256, num_layers=2, batch_first=True, bidirectional=True)"),
        ("20x10", "lstm 10 -> 20 layers=3 nobias dropout=0.1",
         "nn.LSTM(10, 20, num_layers=3, bias=False, batch_first=True, dropout=0.1)"),
        ("7x32", "gru 64", "nn.GRU(32, 64, batch_first=True)"),
        ("7x32", "gru 64 layers=3 bidirectional", "nn.GRU(32, 64, num_layers=3, batch_first=True, bidirectional=True)"),
        ("7x32", "gru 64 nobias bidirectional", "nn.GRU(32, 64, bias=False, batch_first=True, bidirectional=True)"),
        ("5x3", "rnn 3 -> 4", "nn.RNN(3, 4, batch_first=True)"),
        ("5x3", "rnn 4 layers=2 bidirectional nobias", "nn.RNN(3, 4, num_layers=2, bias=False, batch_first=True, bidirectional=True)"),
        ("20x128", "lstm 64 -> 256", "nn.LSTM(64, 256, batch_first=True)"),
    ],
    "attention": [
        ("10x768", "attention heads=12", "nn.MultiheadAttention(768, 12, batch_first=True)"),
        ("10x512", "attention 512 heads=8 nobias", "nn.MultiheadAttention(512, 8, bias=False, batch_first=True)"),
        ("10x8", "attention heads=2 kdim=3 vdim=5", "nn.MultiheadAttention(8, 2, kdim=3, vdim=5, batch_first=True)"),
        ("10x8", "attention heads=2 kdim=3 vdim=5 nobias", "nn.MultiheadAttention(8, 2, bias=False, kdim=3, vdim=5, batch_first=True)"),
        ("10x64", "attention heads=4 dropout=0.1", "nn.MultiheadAttention(64, 4, dropout=0.1, batch_first=True)"),
        ("10x64", "attention heads=8 kv_heads=8", "nn.MultiheadAttention(64, 8, batch_first=True)"),
        ("10x64", "attention heads=8 kv_heads=2", "GroupedQueryAttention(64, 8, 2)"),
        ("10x64", "attention heads=8 kv_heads=2 nobias", "GroupedQueryAttention(64, 8, 2, bias=False)"),
        ("10x64", "attention heads=8 kv_heads=1 kdim=16 vdim=24", "GroupedQueryAttention(64, 8, 1, kdim=16, vdim=24)"),
        ("10x768", "attention heads=7", "nn.MultiheadAttention(768, 7, batch_first=True)"),
    ],
    "activations": [
        ("64x8x8", "prelu", "nn.PReLU()"),
        ("64x8x8", "prelu 64", "nn.PReLU(64)"),
        ("64x8x8", "prelu 64 init=0.1", "nn.PReLU(64, init=0.1)"),
        ("4x10", "prelu 10", "nn.PReLU(10)"),
        ("4x10", "relu", "nn.ReLU()"),
        ("4x10", "relu6", "nn.ReLU6()"),
        ("4x10", "leakyrelu", "nn.LeakyReLU()"),
        ("4x10", "leakyrelu negative_slope=0.2", "nn.LeakyReLU(negative_slope=0.2)"),
        ("4x10", "elu alpha=0.5", "nn.ELU(alpha=0.5)"),
        ("4x10", "gelu", "nn.GELU()"),
        ("4x10", "gelu approximate=tanh", "nn.GELU(approximate='tanh')"),
        ("4x10", "silu", "nn.SiLU()"),
        ("4x10", "mish", "nn.Mish()"),
        ("4x10", "softplus beta=2 threshold=10", "nn.Softplus(beta=2, threshold=10)"),
        ("4x10", "hardswish", "nn.Hardswish()"),
        ("4x10", "hardsigmoid", "nn.Hardsigmoid()"),
        ("4x10", "tanh", "nn.Tanh()"),
        ("4x10", "sigmoid", "nn.Sigmoid()"),
        ("4x10", "softmax", "nn.Softmax(dim=-1)"),
        ("4x10", "softmax dim=0", "nn.Softmax(dim=1)"),
        ("4x10", "logsoftmax dim=-2", "nn.LogSoftmax(dim=-2)"),
        ("4x10", "identity", "nn.Identity()"),
        ("4x10", "dropout", "nn.Dropout()"),
        ("4x10", "dropout p=0.1", "nn.Dropout(p=0.1)"),
        ("4x10", "droppath p=0.1", "DropPath(p=0.1)"),
        ("4x10", "softmax dim=2", "nn.Softmax(dim=3)"),
        ("4x10", "dropout p=1.5", "nn.Dropout(p=1.5)"),
    ],
    "param": [
        ("10", "param 1x768", "Param((1, 768))"),
        ("197x768", "param (197, 768)", "Param((197, 768))"),
        ("3x8x8", "param 64", "Param((64,))"),
        ("64x8x8", "param (64, 1, 1)", "Param((64, 1, 1))"),
    ],
    "pools": [
        ("64x55x55", "maxpool2d kernel=3 stride=2", "nn.MaxPool2d(3, stride=2)"),
        ("64x112x112", "maxpool2d kernel=3 stride=2 padding=1", "nn.MaxPool2d(3, stride=2, padding=1)"),
        ("3x5x5", "maxpool2d kernel=2 stride=2 padding=1 ceil", "nn.MaxPool2d(2, stride=2, padding=1, ceil_mode=True)"),
        ("3x8x8", "maxpool2d kernel=3 stride=2 ceil", "nn.MaxPool2d(3, stride=2, ceil_mode=True)"),
        ("3x8x8", "maxpool2d kernel=3 stride=2", "nn.MaxPool2d(3, stride=2)"),
        ("3x6x9", "maxpool2d kernel=(2, 3) stride=(1, 2) padding=(1, 1) ceil",
         "nn.MaxPool2d((2, 3), stride=(1, 2), padding=(1, 1), ceil_mode=True)"),
        ("6x28x28", "avgpool2d kernel=2", "nn.AvgPool2d(2)"),
        ("3x5x5", "avgpool2d kernel=2 stride=2 padding=1 ceil", "nn.AvgPool2d(2, stride=2, padding=1, ceil_mode=True)"),
        ("3x7x7", "avgpool2d kernel=3 stride=2 padding=1 ceil", "nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True)"),
        ("4x11", "maxpool1d kernel=3", "nn.MaxPool1d(3)"),
        ("4x11", "avgpool1d kernel=4 stride=3 ceil", "nn.AvgPool1d(4, stride=3, ceil_mode=True)"),
        ("2x9x9x9", "maxpool3d kernel=2 stride=2 ceil", "nn.MaxPool3d(2, stride=2, ceil_mode=True)"),
        ("2x9x10x11", "avgpool3d kernel=(3, 2, 2) padding=(1, 0, 1)", "nn.AvgPool3d((3, 2, 2), padding=(1, 0, 1))"),
        ("2048x7x7", "adaptiveavgpool 1", "nn.AdaptiveAvgPool2d(1)"),
        ("256x13x13", "adaptiveavgpool 6x6", "nn.AdaptiveAvgPool2d((6, 6))"),
        ("256x13x13", "adaptivemaxpool (3, 4)", "nn.AdaptiveMaxPool2d((3, 4))"),
        ("8x20", "adaptivemaxpool 4", "nn.AdaptiveMaxPool1d(4)"),
        ("8x5x6x7", "adaptiveavgpool 2", "nn.AdaptiveAvgPool3d(2)"),
        # rejected by PyTorch
        ("3x8x8", "maxpool2d kernel=3 padding=2", "nn.MaxPool2d(3, padding=2)"),
        ("3x8x8", "avgpool2d kernel=4 padding=3", "nn.AvgPool2d(4, padding=3)"),
        ("3x4x4", "maxpool2d kernel=5", "nn.MaxPool2d(5)"),
    ],
    "reshape": [
        ("16x5x5", "flatten", "nn.Flatten()"),
        ("400", "flatten", "nn.Flatten()"),
        ("400", "reshape 4x100", "nn.Unflatten(1, (4, 100))"),
        ("4x100", "reshape (20, 20)", "nn.Sequential(nn.Flatten(), nn.Unflatten(1, (20, 20)))"),
        ("4x100", "reshape 400", "nn.Flatten()"),
        ("3x4x5", "permute 1,2,0", "Permute(0, 2, 3, 1)"),
        ("3x4x5", "permute 2,0,1", "Permute(0, 3, 1, 2)"),
        ("3x4x5", "permute 0,-1,1", "Permute(0, 1, 3, 2)"),
        ("11x768", "select 0", "Select(1, 0)"),
        ("11x768", "select -1 dim=1", "Select(2, -1)"),
        ("11x768", "select 10", "Select(1, 10)"),
        ("2x3x4", "select 2 dim=-1", "Select(3, 2)"),
        ("200x256", "mean dim=0", "Mean(1)"),
        ("200x256", "mean", "Mean(1)"),
        ("3x4x5", "mean dim=-1", "Mean(3)"),
        # rejected by PyTorch
        ("4x100", "reshape 3x100", "nn.Sequential(nn.Flatten(), nn.Unflatten(1, (3, 100)))"),
        ("3x4x5", "permute 1,0", "Permute(0, 2, 1)"),
        ("11x768", "select 11", "Select(1, 11)"),
        ("11x768", "select 0 dim=2", "Select(3, 0)"),
        ("200x256", "mean dim=2", "Mean(3)"),
    ],
}


def torch_result(shape, expression):
    """(count, output shape) of the module, or None if PyTorch rejects it."""
    try:
        module = eval(expression, {"nn": nn, **{k: v for k, v in globals().items() if isinstance(v, type)}})
        dims = [int(d) for d in shape.split("x")]
        x = torch.randn(2, *dims)
        module.eval()
        with torch.no_grad():
            if isinstance(module, nn.MultiheadAttention):
                k = torch.randn(2, dims[0], module.kdim)
                v = torch.randn(2, dims[0], module.vdim)
                y = module(x, k, v)[0]
            elif isinstance(module, GroupedQueryAttention):
                k = torch.randn(2, dims[0], module.k_proj.in_features)
                v = torch.randn(2, dims[0], module.v_proj.in_features)
                y = module(x, k, v)
            else:
                y = module(x)
                if isinstance(y, tuple):  # recurrent layers: (output, state)
                    y = y[0]
    except Exception as e:  # noqa: BLE001 - any rejection counts
        return None, f"{type(e).__name__}: {str(e).splitlines()[0][:90]}"
    count = sum(p.numel() for p in module.parameters())
    return (count, "x".join(str(d) for d in y.shape[1:])), None


def nnspec_check(binary, text):
    with tempfile.NamedTemporaryFile("w", suffix=".nn", delete=False) as f:
        f.write(text)
        path = f.name
    try:
        r = subprocess.run([binary, "check", "--werror", "--color", "never", path], capture_output=True, text=True, timeout=60)
    finally:
        os.unlink(path)
    return r.returncode, r.stderr


def main():
    binary = sys.argv[1]
    failures = total = 0
    for family, cases in CASES.items():
        print(f"== {family}")
        for shape, layer, expression in cases:
            total += 1
            result, why = torch_result(shape, expression)
            if result is None:
                code, err = nnspec_check(binary, f"input {shape}\n{layer}\n")
                ok = code == 1
                first = next((l.split(": ", 1)[1] for l in err.splitlines() if "error[" in l or "warning[" in l), "")
                print(f"{'ok  ' if ok else 'FAIL'} {shape:>12}  {layer:<55} rejected: {why}\n{'':19}nnspec: {first}")
            else:
                count, out = result
                code, err = nnspec_check(binary, f"input {shape}\n{layer}\nexpect shape = {out}\nexpect params = {count}\n")
                ok = code == 0
                print(f"{'ok  ' if ok else 'FAIL'} {shape:>12}  {layer:<55} {count:>9}  {out:<12} {expression}")
                if not ok:
                    print(err)
            failures += not ok
    print(f"{total - failures} of {total} cases agree with PyTorch {torch.__version__}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
