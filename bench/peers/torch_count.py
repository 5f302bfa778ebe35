"""PyTorch peer: build a zoo network and print sum(p.numel() for p in model.parameters()).

Usage: python3 torch_count.py NAME     (NAME: resnet50, gpt2_small, llama2_70b, gpt3_175b)
       python3 torch_count.py --all    (every network, NAME and count per line)

Models are built on the "meta" device: parameters have shapes but no storage, so building
GPT-3 175B takes milliseconds and no memory. parameters() yields a shared (tied) weight
once, which is the count nnspec must reproduce. Written for PyTorch 1.13, which has no
`with torch.device("meta")` and no nn.RMSNorm.
"""
import contextlib
import sys

import torch
from torch import nn

META = "meta"


@contextlib.contextmanager
def meta_factories():
    """Make torch.empty/zeros/ones default to the meta device, for model code (torchvision)
    that takes no device argument. nn modules call these by attribute lookup at init."""
    saved = {n: getattr(torch, n) for n in ("empty", "zeros", "ones")}

    def on_meta(f):
        def g(*args, **kwargs):
            if kwargs.get("device") is None:
                kwargs["device"] = META
            return f(*args, **kwargs)
        return g

    for n, f in saved.items():
        setattr(torch, n, on_meta(f))
    try:
        yield
    finally:
        for n, f in saved.items():
            setattr(torch, n, f)


def resnet50():
    import torchvision
    with meta_factories():
        return torchvision.models.resnet50()


class GPTDecoder(nn.Module):
    """Pre-norm GPT block: LN, multi-head attention, LN, 4x GELU MLP (biases everywhere)."""

    def __init__(self, d, heads):
        super().__init__()
        self.ln1 = nn.LayerNorm(d, device=META)
        self.attn = nn.MultiheadAttention(d, heads, device=META)
        self.ln2 = nn.LayerNorm(d, device=META)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d, device=META), nn.GELU(),
                                 nn.Linear(4 * d, d, device=META))


class GPT(nn.Module):
    """GPT-2 / GPT-3: token + learned position embeddings, decoders, final LN, tied head."""

    def __init__(self, vocab, ctx, d, layers, heads):
        super().__init__()
        self.wte = nn.Embedding(vocab, d, device=META)
        self.wpe = nn.Parameter(torch.empty(ctx, d, device=META))
        self.blocks = nn.ModuleList(GPTDecoder(d, heads) for _ in range(layers))
        self.ln_f = nn.LayerNorm(d, device=META)
        self.head = nn.Linear(d, vocab, bias=False, device=META)
        self.head.weight = self.wte.weight          # tied: counted once by parameters()


class RMSNorm(nn.Module):
    """LLaMA's RMSNorm: one learnable scale per feature (no bias)."""

    def __init__(self, d):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(d, device=META))


class LlamaDecoder(nn.Module):
    """RMSNorm, grouped-query attention (q/k/v/o, no biases), RMSNorm, SwiGLU MLP."""

    def __init__(self, d, heads, kv_heads, ffn):
        super().__init__()
        kv = d // heads * kv_heads
        self.attn_norm = RMSNorm(d)
        self.q = nn.Linear(d, d, bias=False, device=META)
        self.k = nn.Linear(d, kv, bias=False, device=META)
        self.v = nn.Linear(d, kv, bias=False, device=META)
        self.o = nn.Linear(d, d, bias=False, device=META)
        self.mlp_norm = RMSNorm(d)
        self.gate = nn.Linear(d, ffn, bias=False, device=META)
        self.up = nn.Linear(d, ffn, bias=False, device=META)
        self.down = nn.Linear(ffn, d, bias=False, device=META)


class Llama(nn.Module):
    def __init__(self, vocab, d, layers, heads, kv_heads, ffn):
        super().__init__()
        self.embed = nn.Embedding(vocab, d, device=META)
        self.layers = nn.ModuleList(LlamaDecoder(d, heads, kv_heads, ffn)
                                    for _ in range(layers))
        self.norm = RMSNorm(d)
        self.lm_head = nn.Linear(d, vocab, bias=False, device=META)   # not tied in LLaMA-2


ZOO = {
    "resnet50": resnet50,
    "gpt2_small": lambda: GPT(vocab=50257, ctx=1024, d=768, layers=12, heads=12),
    "gpt3_175b": lambda: GPT(vocab=50257, ctx=2048, d=12288, layers=96, heads=96),
    "llama2_70b": lambda: Llama(vocab=32000, d=8192, layers=80, heads=64, kv_heads=8,
                                ffn=28672),
}


def count(name):
    model = ZOO[name]()
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def main(argv):
    if argv == ["--all"]:
        for name in ZOO:
            print(name, count(name))
    elif len(argv) == 1 and argv[0] in ZOO:
        print(count(argv[0]))
    else:
        sys.exit(f"usage: torch_count.py NAME | --all   (NAME: {', '.join(ZOO)})")


if __name__ == "__main__":
    main(sys.argv[1:])
