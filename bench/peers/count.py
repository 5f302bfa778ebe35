"""Trainable parameter count of a flat nnspec JSON layer list (the task's three kinds).

Usage: python3 count.py FILE.json   -- the plain-Python peer: json module + the formula.
"""
import json
import sys


def params(layer):
    t = layer["type"]
    bias = layer.get("use_bias", True)          # missing use_bias means PyTorch's default
    if t == "dense":
        out = layer["output_size"]
        return layer["input_size"] * out + (out if bias else 0)
    if t == "conv2d":
        out, k = layer["out_channels"], layer["kernel_size"]
        kh, kw = (k, k) if isinstance(k, int) else k
        return out * layer["in_channels"] * kh * kw + (out if bias else 0)
    if t == "embedding":
        return layer["num_embeddings"] * layer["embedding_dim"]
    raise SystemExit(f"unknown layer type {t!r}")


def main():
    with open(sys.argv[1], "rb") as f:
        layers = json.load(f)
    print(sum(params(l) for l in layers))


if __name__ == "__main__":
    main()
