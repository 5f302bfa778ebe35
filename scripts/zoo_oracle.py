#!/usr/bin/env python3
"""PyTorch oracle for the example zoo (examples/*.nn).

Development aid, not part of the build. Builds every model in examples/ with
real PyTorch (torchvision for the vision models, torch.nn by hand for the
rest), sums p.numel() over model.parameters() (tied weights counted once,
as PyTorch does), runs one forward pass to get the output shape, and prints

    name count output_shape

Shapes exclude the batch dimension, as in nnspec. Nothing is downloaded
(weights=None). The large language models are built on device="meta",
so they take no memory.

Needs torch >= 1.13 and torchvision >= 0.14:  python3 scripts/zoo_oracle.py
"""
import torch
import torch.nn as nn
import torchvision


def count(model):
    return sum(p.numel() for p in model.parameters())


def out_shape(model, x):
    with torch.no_grad():
        y = model(x)
    return "x".join(str(s) for s in y.shape[1:])


# ---------------------------------------------------------------- small nets

def mnist_mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(),
                         nn.Linear(128, 10)), torch.zeros(1, 784)


def lenet5():
    # LeNet-5 as usually written today: full C3 connections, tanh, average pooling.
    return nn.Sequential(
        nn.Conv2d(1, 6, 5), nn.Tanh(), nn.AvgPool2d(2),
        nn.Conv2d(6, 16, 5), nn.Tanh(), nn.AvgPool2d(2),
        nn.Flatten(),
        nn.Linear(16 * 5 * 5, 120), nn.Tanh(),
        nn.Linear(120, 84), nn.Tanh(),
        nn.Linear(84, 10)), torch.zeros(1, 1, 32, 32)


class LSTMClassifier(nn.Module):
    def __init__(self, vocab=20000, embed=128, hidden=256, layers=2, classes=2):
        super().__init__()
        self.embed = nn.Embedding(vocab, embed)
        self.lstm = nn.LSTM(embed, hidden, num_layers=layers, batch_first=True)
        self.head = nn.Linear(hidden, classes)

    def forward(self, tokens):
        h, _ = self.lstm(self.embed(tokens))
        return self.head(h.mean(dim=1))          # mean over time


# ---------------------------------------------------------------- transformers

class Attention(nn.Module):
    """Multi-head self-attention with separate q/k/v/o projections.
    kv_heads < heads gives grouped-query attention (LLaMA-2 70B)."""

    def __init__(self, d, heads, kv_heads=None, bias=True, device=None):
        super().__init__()
        kv_heads = kv_heads or heads
        self.h, self.kv, self.hd = heads, kv_heads, d // heads
        self.q = nn.Linear(d, d, bias=bias, device=device)
        self.k = nn.Linear(d, kv_heads * self.hd, bias=bias, device=device)
        self.v = nn.Linear(d, kv_heads * self.hd, bias=bias, device=device)
        self.o = nn.Linear(d, d, bias=bias, device=device)

    def forward(self, x):
        b, s, d = x.shape
        q = self.q(x).view(b, s, self.h, self.hd).transpose(1, 2)
        k = self.k(x).view(b, s, self.kv, self.hd).transpose(1, 2)
        v = self.v(x).view(b, s, self.kv, self.hd).transpose(1, 2)
        rep = self.h // self.kv                 # each kv head serves `rep` q heads
        k = k[:, :, None].expand(b, self.kv, rep, s, self.hd).reshape(b, self.h, s, self.hd)
        v = v[:, :, None].expand(b, self.kv, rep, s, self.hd).reshape(b, self.h, s, self.hd)
        a = torch.softmax(q @ k.transpose(-1, -2) / self.hd ** 0.5, dim=-1)
        return self.o((a @ v).transpose(1, 2).reshape(b, s, d))


class RMSNorm(nn.Module):
    def __init__(self, d, device=None):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d, device=device))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-6) * self.weight


class BertLayer(nn.Module):           # post-LN encoder layer
    def __init__(self, d, heads, ff, device=None):
        super().__init__()
        self.attn = Attention(d, heads, device=device)
        self.ln1 = nn.LayerNorm(d, device=device)
        self.ff = nn.Sequential(nn.Linear(d, ff, device=device), nn.GELU(),
                                nn.Linear(ff, d, device=device))
        self.ln2 = nn.LayerNorm(d, device=device)

    def forward(self, x):
        x = self.ln1(x + self.attn(x))
        return self.ln2(x + self.ff(x))


class Bert(nn.Module):
    """HF BertModel (bert-base-uncased): embeddings, 12 layers, pooler."""

    def __init__(self, vocab=30522, d=768, layers=12, heads=12, ff=3072,
                 max_pos=512, types=2, device=None):
        super().__init__()
        self.word = nn.Embedding(vocab, d, device=device)
        self.pos = nn.Embedding(max_pos, d, device=device)
        self.token_type = nn.Embedding(types, d, device=device)
        self.ln = nn.LayerNorm(d, device=device)
        self.layers = nn.Sequential(*[BertLayer(d, heads, ff, device) for _ in range(layers)])
        self.pooler = nn.Sequential(nn.Linear(d, d, device=device), nn.Tanh())

    def forward(self, ids):
        s = ids.shape[1]
        pos = torch.arange(s, device=ids.device)
        x = self.word(ids) + self.pos(pos) + self.token_type(torch.zeros_like(ids))
        x = self.layers(self.ln(x))
        return self.pooler(x[:, 0])


class GPT2Block(nn.Module):           # pre-LN decoder layer
    def __init__(self, d, heads, device=None):
        super().__init__()
        self.ln1 = nn.LayerNorm(d, device=device)
        self.attn = Attention(d, heads, device=device)
        self.ln2 = nn.LayerNorm(d, device=device)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d, device=device), nn.GELU(),
                                 nn.Linear(4 * d, d, device=device))

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.mlp(self.ln2(x))


class GPT2(nn.Module):
    """HF GPT2LMHeadModel (gpt2, 124M): lm_head tied to wte."""

    def __init__(self, vocab=50257, ctx=1024, d=768, layers=12, heads=12, device=None):
        super().__init__()
        self.wte = nn.Embedding(vocab, d, device=device)
        self.wpe = nn.Embedding(ctx, d, device=device)
        self.blocks = nn.Sequential(*[GPT2Block(d, heads, device) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(d, device=device)
        self.lm_head = nn.Linear(d, vocab, bias=False, device=device)
        self.lm_head.weight = self.wte.weight            # tied: counted once

    def forward(self, ids):
        pos = torch.arange(ids.shape[1], device=ids.device)
        x = self.blocks(self.wte(ids) + self.wpe(pos))
        return self.lm_head(self.ln_f(x))


class LlamaBlock(nn.Module):
    def __init__(self, d, heads, kv_heads, ff, device=None):
        super().__init__()
        self.attn_norm = RMSNorm(d, device)
        self.attn = Attention(d, heads, kv_heads, bias=False, device=device)
        self.ffn_norm = RMSNorm(d, device)
        self.w1 = nn.Linear(d, ff, bias=False, device=device)   # gate
        self.w3 = nn.Linear(d, ff, bias=False, device=device)   # up
        self.w2 = nn.Linear(ff, d, bias=False, device=device)   # down

    def forward(self, x):
        x = x + self.attn(self.attn_norm(x))    # RoPE has no parameters
        h = self.ffn_norm(x)
        return x + self.w2(nn.functional.silu(self.w1(h)) * self.w3(h))


class Llama(nn.Module):
    """Meta's reference LLaMA / Llama-2 model.py: untied output head."""

    def __init__(self, d, layers, heads, kv_heads, ff, vocab=32000, device="meta"):
        super().__init__()
        self.tok = nn.Embedding(vocab, d, device=device)
        self.layers = nn.Sequential(*[LlamaBlock(d, heads, kv_heads, ff, device)
                                      for _ in range(layers)])
        self.norm = RMSNorm(d, device)
        self.output = nn.Linear(d, vocab, bias=False, device=device)

    def forward(self, ids):
        return self.output(self.norm(self.layers(self.tok(ids))))


def tokens(n, device=None):
    return torch.zeros(1, n, dtype=torch.long, device=device)


# ---------------------------------------------------------------- the zoo

def zoo():
    tv = torchvision.models
    img = torch.zeros(1, 3, 224, 224)
    yield "mnist_mlp", *mnist_mlp()
    yield "lenet5", *lenet5()
    yield "alexnet", tv.alexnet(weights=None), img
    yield "vgg16", tv.vgg16(weights=None), img
    yield "resnet50", tv.resnet50(weights=None), img
    yield "mobilenet_v2", tv.mobilenet_v2(weights=None), img
    yield "bert_base", Bert(device="meta"), tokens(512, "meta")
    yield "gpt2_small", GPT2(device="meta"), tokens(1024, "meta")
    # LLaMA-7B: d 4096, 32 layers, 32 heads, SwiGLU hidden 11008
    yield "llama_7b", Llama(4096, 32, 32, 32, 11008), tokens(2048, "meta")
    # Llama-2-70B: d 8192, 80 layers, 64 heads, 8 kv heads, SwiGLU hidden 28672
    yield "llama2_70b", Llama(8192, 80, 64, 8, 28672), tokens(4096, "meta")
    yield "lstm_classifier", LSTMClassifier(), tokens(200)


if __name__ == "__main__":
    for name, model, x in zoo():
        model.eval()
        print(name, count(model), out_shape(model, x), flush=True)
