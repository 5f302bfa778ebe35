#!/usr/bin/env python3
"""Generate benchmark specs for nnspec: .nn text and the equivalent flat JSON.

For every size S (default 1K, 1M, 100M; K/M/G are powers of 1000) it writes, into --out:

  gen-S.nn        about S bytes of .nn: lets, expressions, block definitions and calls,
                  repeats (some nested, some using their index), and the three task layer
                  kinds (dense, conv2d, embedding).
  gen-S.json      about S bytes of flat JSON in the task's format, one layer object per line.
  gen-S.json.nn   the .nn source that gen-S.json is the flattening of.
  manifest.json   for each file: bytes, layers, and the expected trainable count.

Why two .nn files per size: a flat JSON list is ~3-4x bigger than the .nn that produces it
(and repeats expand it further), so "the JSON of the 100 MB .nn" would be far from 100 MB.
Both come from one deterministic stream of top-level statements; gen-S.nn and
gen-S.json.nn are two prefixes of it, each cut where its own output reaches S bytes.

Every statement continues a single chain of sizes: each layer's input size equals the
previous layer's output size (an embedding's num_embeddings too), inside blocks and repeats
as well, so there are no neighbour-size mismatches. All counts fit in 2^53, so jq's doubles
stay exact.

--small N additionally writes N small specs (small/s0000.nn ...) for the `nnspec check` test.

The generator evaluates everything it writes with its own tiny expression evaluator, so
the expected count does not depend on nnspec.
"""
import argparse
import json
import os
import random
import sys
from collections import ChainMap

GEN_VERSION = 3          # bump when output changes, so cached files are regenerated
MIN_W, MAX_W = 8, 2048   # chain widths stay in this range (keeps totals < 2^53)
JQ_EXACT = 2 ** 53


# ---------------------------------------------------------------- expressions
# An expression is an int, a name (str), or a tuple (op, a, b) / ("neg", a).
# Each one can be rendered as .nn text and evaluated; keeping both in one object is what
# guarantees the text and the expected count agree.

PREC = {"+": 1, "-": 1, "*": 2, "/": 2, "//": 2}


class Inexact(Exception):
    """Raised for a `/` that does not divide exactly or a non-positive size."""


def ev(e, env):
    if isinstance(e, int):
        return e
    if isinstance(e, str):
        return env[e]
    if e[0] == "neg":
        return -ev(e[1], env)
    op, a, b = e
    x, y = ev(a, env), ev(b, env)
    if op == "+":
        return x + y
    if op == "-":
        return x - y
    if op == "*":
        return x * y
    if y == 0:
        raise Inexact("division by zero")
    if op == "//":
        return x // y
    if x % y:
        raise Inexact("inexact /")
    return x // y


def render(e, rng=None):
    """Text of e, with parentheses only where precedence needs them."""
    if isinstance(e, int):
        # underscores between digits are part of the language; use them now and then
        if e >= 1000 and rng is not None and rng.random() < 0.3:
            return f"{e:_}"
        return str(e)
    if isinstance(e, str):
        return e
    if e[0] == "neg":
        inner = render(e[1], rng)
        return "-" + (f"({inner})" if isinstance(e[1], tuple) else inner)
    op, a, b = e
    p = PREC[op]
    left = render(a, rng)
    if isinstance(a, tuple) and a[0] != "neg" and PREC[a[0]] < p:
        left = f"({left})"
    right = render(b, rng)
    # right operand: parenthesise equal precedence too (a - (b - c), a / (b * c))
    if isinstance(b, tuple) and b[0] != "neg" and PREC[b[0]] <= p:
        right = f"({right})"
    sep = " " if p == 1 else ""
    return f"{left}{sep}{op}{sep}{right}"


# ---------------------------------------------------------------- layers
# A layer is a tuple; params() is the PyTorch count, to_json() the task's object.

def dense(i, o, bias=True):
    return ("dense", i, o, bias)


def conv2d(i, o, kh, kw, bias=True, as_list=False):
    return ("conv2d", i, o, kh, kw, bias, as_list)


def embedding(n, d):
    return ("embedding", n, d)


def params(layer):
    kind = layer[0]
    if kind == "dense":
        _, i, o, bias = layer
        return i * o + (o if bias else 0)
    if kind == "conv2d":
        _, i, o, kh, kw, bias, _ = layer
        return o * i * kh * kw + (o if bias else 0)
    _, n, d = layer
    return n * d


def to_json(layer):
    kind = layer[0]
    if kind == "dense":
        _, i, o, bias = layer
        return ('{"type":"dense","input_size":%d,"output_size":%d,"use_bias":%s}'
                % (i, o, "true" if bias else "false"))
    if kind == "conv2d":
        _, i, o, kh, kw, bias, as_list = layer
        k = "[%d,%d]" % (kh, kw) if as_list else str(kh)
        return ('{"type":"conv2d","in_channels":%d,"out_channels":%d,"kernel_size":%s,'
                '"use_bias":%s}' % (i, o, k, "true" if bias else "false"))
    _, n, d = layer
    return '{"type":"embedding","num_embeddings":%d,"embedding_dim":%d}' % (n, d)


# ---------------------------------------------------------------- layer statements
# A "layer template" is a small record that renders one .nn layer line in some scope and
# expands to one layer tuple given the values of that scope. Blocks and repeats are lists
# of templates, so the same record produces both the text and the flattened layers.

class LayerT:
    def __init__(self, kind, inp, out, bias=None, kernel=None):
        self.kind, self.inp, self.out, self.bias, self.kernel = kind, inp, out, bias, kernel

    def text(self, rng):
        dims = f"{render(self.inp, rng)} -> {render(self.out, rng)}"
        if self.kind == "embedding":
            return f"embedding {dims}"
        parts = [self.kind, dims]
        if self.kind == "conv2d":
            parts.append("kernel=" + self.kernel_text())
        if self.bias is not None:          # None: rely on the default (bias on)
            parts.append("bias" if self.bias else "nobias")
        return " ".join(parts)

    def kernel_text(self):
        form, a, b = self.kernel
        if form == "int":                  # kernel=3 or kernel=k or kernel=2*i+1
            return render(a).replace(" ", "")
        if form == "x":                    # kernel=3x5 (literal shape)
            return f"{a}x{b}"
        return f"({render(a)}, {render(b)})"   # kernel=(k, 1)

    def expand(self, env):
        i, o = ev(self.inp, env), ev(self.out, env)
        if i <= 0 or o <= 0:
            raise Inexact("non-positive size")
        bias = self.bias is not False
        if self.kind == "dense":
            return dense(i, o, bias)
        if self.kind == "embedding":
            return embedding(i, o)
        form, a, b = self.kernel
        kh = ev(a, env)
        kw = kh if form == "int" else ev(b, env)
        return conv2d(i, o, kh, kw, bias, as_list=(form != "int"))


# ---------------------------------------------------------------- the generator

class Generator:
    """Produces top-level statements one at a time, each as (text, layers)."""

    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.env = {}            # top-level lets: name -> value
        self.width_names = []    # lets usable as widths
        self.blocks = {}         # defined block name -> BlockDef
        self.fresh_blocks = []   # names of generated blocks g<N>, in definition order
        # for expansion: library blocks may be expanded just before their definition is
        # written (ensure_block), so look them up in LIBRARY too
        self.known_blocks = ChainMap(self.blocks, LIBRARY)
        self.fresh = 0           # counter for generated names
        self.cur = None          # expression for the current chain width
        self.cur_val = None
        self.units = 0

    # ---- helpers
    def new_name(self, prefix):
        self.fresh += 1
        return f"{prefix}{self.fresh}"

    def pick_width_name(self):
        # mostly recent names (locality, like real files), sometimes any
        names = self.width_names
        if self.rng.random() < 0.7:
            return names[self.rng.randrange(max(0, len(names) - 16), len(names))]
        return names[self.rng.randrange(len(names))]

    def width_expr(self, lo=MIN_W, hi=MAX_W):
        """A random expression over top-level lets whose value is in [lo, hi]."""
        rng = self.rng
        for _ in range(50):
            a = self.pick_width_name()
            b = self.pick_width_name()
            form = rng.randrange(9)
            if form == 0:
                e = a
            elif form == 1:
                e = ("*", rng.choice([2, 4]), a)
            elif form == 2:
                e = ("/", a, rng.choice([2, 4, 8]))
            elif form == 3:
                e = ("+", a, 8 * rng.randrange(1, 9))
            elif form == 4:
                e = ("/", ("+", a, b), 2)
            elif form == 5:
                e = ("//", a, 3)
            elif form == 6:
                e = ("+", ("neg", 16), ("*", a, 2))
            elif form == 7:
                e = ("-", ("*", 3, a), ("*", 2, b))
            else:
                e = 8 * rng.randrange(1, 129)
            try:
                v = ev(e, self.env)
            except Inexact:
                continue
            if lo <= v <= hi:
                return e, v
        return MIN_W * 8, MIN_W * 8

    def set_cur(self, e, v):
        self.cur, self.cur_val = e, v

    # ---- statements
    def stmt_let(self):
        name = self.new_name("w")
        if not self.width_names or self.rng.random() < 0.25:
            e = 8 * self.rng.randrange(2, 257)
            v = e
        else:
            e, v = self.width_expr()
        self.env[name] = v
        self.width_names.append(name)
        return f"let {name} = {render(e, self.rng)}", []

    def stmt_layer(self):
        rng = self.rng
        kind = rng.choices(["dense", "conv2d", "embedding"], [6, 3, 1])[0]
        out, out_v = self.width_expr()
        # IN is usually the text of the previous OUT; sometimes its plain value
        inp = self.cur if rng.random() < 0.8 else self.cur_val
        t = LayerT(kind, inp, out, bias=rng.choice([None, True, False]),
                   kernel=self.random_kernel())
        layer = t.expand(self.env)
        self.set_cur(out, out_v)
        return t.text(rng), [layer]

    def random_kernel(self):
        rng = self.rng
        r = rng.randrange(4)
        if r == 0:
            return ("int", rng.choice([1, 3, 5]), None)
        if r == 1:
            return ("x", rng.choice([1, 3, 5]), rng.choice([1, 3, 5, 7]))
        if r == 2:
            return ("int", 3, None)
        return ("list", rng.choice([1, 3]), rng.choice([3, 5]))

    def stmt_pair(self):
        """Two layers on one line, joined by `;` (d -> f; f -> d)."""
        rng = self.rng
        f, _ = self.width_expr()
        a = LayerT("dense", self.cur, f, bias=rng.choice([None, True]))
        b = LayerT(rng.choice(["dense", "conv2d"]), f, self.cur, bias=False,
                   kernel=("int", 1, None))
        layers = [a.expand(self.env), b.expand(self.env)]
        return f"{a.text(rng)}; {b.text(rng)}", layers

    def stmt_repeat(self):
        rng = self.rng
        c = self.cur
        n = rng.choice([0, 1, 2, 2, 3, 4])
        form = rng.randrange(5)
        if form == 0:      # body without index: the same layer n times
            body = [LayerT("dense", c, c, bias=False)]
            head, idx = f"repeat {n}", None
        elif form == 1:    # kernel from the index: 1, 3, 5, 7
            n = min(n, 4)
            body = [LayerT("conv2d", c, c, kernel=("int", ("+", ("*", 2, "i"), 1), None))]
            head, idx = f"repeat {n} as i", "i"
        elif form == 2:    # widths from the index
            mid = ("*", c, ("+", "i", 1))
            body = [LayerT("dense", c, mid), LayerT("dense", mid, c, bias=False)]
            head, idx = f"repeat {n} as i", "i"
        elif form == 3:    # nested repeats
            m = rng.choice([2, 3])
            inner = [LayerT("dense", c, c, bias=False)]
            layers_one = self.expand_all(inner, self.env) * m
            text = (f"repeat {n} {{\n  repeat {m} {{ {inner[0].text(rng)} }}\n"
                    f"  embedding {render(c)} -> {render(c)}\n}}")
            emb = embedding(self.cur_val, self.cur_val)
            return text, (layers_one + [emb]) * n
        else:              # a block call repeated
            call_text, layers_one = self.call_keeping_width()
            pre = self.ensure_block(call_text.split("(")[0])
            return f"{pre}repeat {n} {{ {call_text} }}", layers_one * n
        layers = []
        for it in range(n):
            env = ChainMap({idx: it}, self.env) if idx else self.env
            layers += self.expand_all(body, env)
        lines = "\n".join("  " + t.text(rng) for t in body)
        return f"{head} {{\n{lines}\n}}", layers

    @staticmethod
    def expand_all(templates, env):
        return [t.expand(env) for t in templates]

    # ---- blocks
    def ensure_block(self, name):
        """Define a library block the first time it is used; returns its definition text."""
        if name in self.blocks:
            return ""
        bd = LIBRARY[name]
        pre = "".join(self.ensure_block(dep) for dep in bd.deps)
        self.blocks[name] = bd
        return pre + bd.text + "\n"

    def call_keeping_width(self):
        """A call of a block that maps the current width to itself."""
        rng = self.rng
        c, cv = self.cur, self.cur_val
        choices = ["mlp", "convpair", "lookup", "bottleneck", "tower"]
        if self.fresh_blocks and rng.random() < 0.4:
            name = rng.choice(self.fresh_blocks[-8:])
            args = [c]
        else:
            name = rng.choice(choices)
            if name == "mlp":
                f, _ = self.width_expr()
                args = rng.choice([[c], [c, f], [("kw", "d", c), ("kw", "f", f)]])
            elif name == "convpair":
                args = rng.choice([[c], [c, ("kw", "k", rng.choice([1, 3, 5]))]])
            elif name == "lookup":
                args = [c, rng.choice([64, 128, 256])]
            elif name == "bottleneck":
                args = rng.choice([[c], [c, 2], [("kw", "r", 8), ("kw", "c", c)]])
            else:
                args = [c, rng.choice([1, 2, 3])]
        bd = self.blocks.get(name) or LIBRARY[name]
        layers = bd.expand(args, self.env, self.known_blocks)
        arg_text = ", ".join(
            f"{a[1]}={render(a[2])}" if isinstance(a, tuple) and a and a[0] == "kw"
            else render(a) for a in args)
        return f"{name}({arg_text})", layers

    def stmt_call(self):
        call_text, layers = self.call_keeping_width()
        name = call_text.split("(")[0]
        return self.ensure_block(name) + call_text, layers

    def stmt_widen(self):
        """widen(a, b): the one block call that changes the chain width."""
        out, out_v = self.width_expr()
        layers = LIBRARY["widen"].expand([self.cur, out], self.env, self.known_blocks)
        text = f"{self.ensure_block('widen')}widen({render(self.cur)}, {render(out)})"
        self.set_cur(out, out_v)
        return text, layers

    def stmt_fresh_block(self):
        """Define a new block g<N>(p) with a random body mapping p -> p."""
        rng = self.rng
        name = self.new_name("g")
        mids = rng.sample([("*", "p", 2), ("/", "p", 2), ("+", "p", 8), ("*", ("/", "p", 2), 3),
                           ("+", ("*", "p", 2), 16)], rng.randint(1, 3))
        chain = ["p"] + mids + ["p"]
        body = []
        for a, b in zip(chain, chain[1:]):
            kind = rng.choices(["dense", "conv2d", "embedding"], [5, 3, 1])[0]
            body.append(LayerT(kind, a, b, bias=rng.choice([None, True, False]),
                               kernel=self.random_kernel()))
        bd = BlockDef(name, [("p", None)], body)
        # p/2 may not divide at some call site: that call raises Inexact and is replaced
        self.blocks[name] = bd
        self.fresh_blocks.append(name)
        return bd.text, []

    def next_stmt(self):
        """One top-level statement: (text, layers). Keeps the width chain intact."""
        rng = self.rng
        self.units += 1
        if self.cur is None:   # start: a let and a first layer
            let_text, _ = self.stmt_let()
            self.set_cur(self.width_names[-1], self.env[self.width_names[-1]])
            t, layers = self.stmt_layer()
            return let_text + "\n" + t, layers
        r = rng.random()
        if r < 0.12:
            return self.stmt_let()
        if r < 0.55:
            return self.stmt_layer()
        if r < 0.62:
            return self.stmt_pair()
        if r < 0.74:
            return self.guarded(self.stmt_repeat)
        if r < 0.86:
            return self.guarded(self.stmt_call)
        if r < 0.93:
            return self.guarded(self.stmt_widen)
        if r < 0.94:
            return self.stmt_fresh_block()
        if r < 0.95:
            return f"# section {self.units}", []
        return self.stmt_layer()

    def guarded(self, fn):
        """Some block bodies divide (p/2); if the current width does not allow it, write a
        plain layer instead. The guarded statements change no state before they expand
        (widths and block definitions are recorded after), so nothing needs undoing."""
        try:
            return fn()
        except Inexact:
            return self.stmt_layer()


class BlockDef:
    """A block: parameters (name, default or None), body of LayerT / Call / Repeat items,
    and optional block-local lets (name, expr)."""

    def __init__(self, name, params, body, lets=(), deps=()):
        self.name, self.params, self.body, self.lets, self.deps = name, params, body, lets, deps
        self.text = self.render()

    def render(self):
        ps = ", ".join(p if d is None else f"{p}={render(d)}" for p, d in self.params)
        lines = [f"  let {n} = {render(e)}" for n, e in self.lets]
        lines += ["  " + item.text(None) for item in self.body]
        return f"block {self.name}({ps}) {{\n" + "\n".join(lines) + "\n}"

    def bind(self, args, env):
        """Values of the parameters for a call; args are exprs or ("kw", name, expr)."""
        vals, pos = {}, 0
        names = [p for p, _ in self.params]
        for a in args:
            if isinstance(a, tuple) and a and a[0] == "kw":
                vals[a[1]] = ev(a[2], env)
            else:
                vals[names[pos]] = ev(a, env)
                pos += 1
        for p, d in self.params:
            if p not in vals:
                vals[p] = ev(d, env)
        return vals

    def expand(self, args, env, blocks):
        # parameters and block lets in front of the caller's scope (no copy: the top-level
        # scope holds every let of a 100 MB file)
        scope = ChainMap(self.bind(args, env), env)
        for n, e in self.lets:
            scope[n] = ev(e, scope)
            if scope[n] <= 0:
                raise Inexact("non-positive let")
        layers = []
        for item in self.body:
            layers += item.expand_many(scope, blocks) if hasattr(item, "expand_many") \
                else [item.expand(scope)]
        return layers


class Call:
    """A block call inside a block body."""

    def __init__(self, name, args):
        self.name, self.args = name, args

    def text(self, rng):
        return f"{self.name}({', '.join(render(a) for a in self.args)})"

    def expand_many(self, scope, blocks):
        return blocks[self.name].expand(self.args, scope, blocks)


class Repeat:
    """A repeat inside a block body: `repeat COUNT as IDX { items }`."""

    def __init__(self, count, idx, items):
        self.count, self.idx, self.items = count, idx, items

    def text(self, rng):
        head = f"repeat {render(self.count)}" + (f" as {self.idx}" if self.idx else "")
        return head + " { " + "; ".join(t.text(rng) for t in self.items) + " }"

    def expand_many(self, scope, blocks):
        out = []
        for it in range(ev(self.count, scope)):
            s = ChainMap({self.idx: it}, scope) if self.idx else scope
            for t in self.items:
                out += t.expand_many(s, blocks) if hasattr(t, "expand_many") else [t.expand(s)]
        return out


# The library blocks, defined in the file the first time each is used. Parameter names
# differ from top-level let names (w<N>), so nothing is shadowed.
LIBRARY = {
    "mlp": BlockDef("mlp", [("d", None), ("f", 1024)], [
        LayerT("dense", "d", "f"),
        LayerT("dense", "f", "d", bias=False)]),
    "convpair": BlockDef("convpair", [("c", None), ("k", 3)], [
        LayerT("conv2d", "c", ("*", 2, "c"), kernel=("int", "k", None)),
        LayerT("conv2d", ("*", 2, "c"), "c", bias=False, kernel=("list", "k", 1))]),
    "lookup": BlockDef("lookup", [("n", None), ("dim", None)], [
        LayerT("embedding", "n", "dim"),
        LayerT("dense", "dim", "n", bias=True)]),
    "bottleneck": BlockDef("bottleneck", [("c", None), ("r", 4)], [
        LayerT("conv2d", "c", "m", bias=False, kernel=("int", 1, None)),
        LayerT("conv2d", "m", "m", kernel=("x", 3, 3)),
        LayerT("conv2d", "m", "c", kernel=("int", 1, None))],
        lets=[("m", ("//", "c", "r"))]),
    "tower": BlockDef("tower", [("t", None), ("depth", None)], [
        Repeat("depth", "j", [LayerT("dense", "t", ("+", "t", ("*", 8, "j"))),
                              LayerT("dense", ("+", "t", ("*", 8, "j")), "t", bias=False)]),
        Call("mlp", ["t"])], deps=["mlp"]),
    "widen": BlockDef("widen", [("a", None), ("b", None)], [
        LayerT("dense", "a", "b"),
        LayerT("conv2d", "b", "b", kernel=("int", 1, None))]),
}


# ---------------------------------------------------------------- files

def parse_size(s):
    s = s.strip().upper().rstrip("B")
    mult = {"K": 10 ** 3, "M": 10 ** 6, "G": 10 ** 9}.get(s[-1:], 1)
    return int(float(s.rstrip("KMG")) * mult)


def size_label(n):
    for unit, m in (("G", 10 ** 9), ("M", 10 ** 6), ("K", 10 ** 3)):
        if n >= m and n % m == 0:
            return f"{n // m}{unit}"
    return str(n)


class Sink:
    """An output file cut at a byte target; counts bytes, layers and parameters."""

    def __init__(self, path, target):
        self.f = open(path, "w", buffering=1 << 20)
        self.path, self.target = path, target
        self.bytes = self.layers = self.count = 0
        self.buf = []

    def full(self):
        return self.bytes >= self.target

    def write(self, s):
        self.buf.append(s)
        self.bytes += len(s)
        if len(self.buf) > 4096:
            self.flush()

    def flush(self):
        self.f.write("".join(self.buf))
        self.buf = []

    def close(self):
        self.flush()
        self.f.close()
        return {"path": os.path.basename(self.path), "bytes": self.bytes,
                "layers": self.layers, "count": self.count}


def generate(out_dir, target, seed):
    """Write gen-S.nn, gen-S.json, gen-S.json.nn; return their manifest entries."""
    label = size_label(target)
    base = os.path.join(out_dir, f"gen-{label}")
    nn = Sink(base + ".nn", target)
    js = Sink(base + ".json", target)
    jsnn = Sink(base + ".json.nn", 0)   # source of the JSON; grows while the JSON does
    header = f"# nnspec benchmark spec, generated by bench/gen.py (seed {seed})\n"
    nn.write(header)
    jsnn.write(header)
    g = Generator(seed)
    while not (nn.full() and js.full()):
        text, layers = g.next_stmt()
        count = sum(params(l) for l in layers)
        if not nn.full():
            nn.write(text + "\n")
            nn.layers += len(layers)
            nn.count += count
        if not js.full():
            jsnn.write(text + "\n")
            jsnn.layers += len(layers)
            jsnn.count += count
            for l in layers:
                js.write(("[" if js.layers == 0 else ",\n") + to_json(l))
                js.layers += 1
            js.count += count
    js.write("]\n" if js.layers else "[]\n")
    entries = {"nn": nn.close(), "json": js.close(), "json_nn": jsnn.close()}
    for e in entries.values():
        if e["count"] >= JQ_EXACT:
            sys.exit(f"gen.py: count {e['count']} of {e['path']} is not below 2^53 "
                     "(jq would round it); lower MAX_W")
    return entries


def generate_small(out_dir, n, target, seed):
    """n small specs of about `target` bytes each, for the `nnspec check` test."""
    d = os.path.join(out_dir, "small")
    os.makedirs(d, exist_ok=True)
    for old in os.listdir(d):          # a previous run may have written more of them
        if old.endswith(".nn"):
            os.remove(os.path.join(d, old))
    counts = {}
    for k in range(n):
        g = Generator(seed * 100003 + k)
        parts, size, count = [], 0, 0
        while size < target:
            text, layers = g.next_stmt()
            parts.append(text + "\n")
            size += len(text) + 1
            count += sum(params(l) for l in layers)
        name = f"s{k:04d}.nn"
        with open(os.path.join(d, name), "w") as f:
            f.write("".join(parts))
        counts[name] = count
    return {"dir": "small", "files": n, "bytes_each": target, "counts": counts}


def load_manifest(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "out"))
    ap.add_argument("--sizes", default="1K,1M,100M",
                    help="comma-separated byte targets; K/M/G are powers of 1000")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--small", type=int, default=0, metavar="N",
                    help="also write N small specs to OUT/small/ (for nnspec check)")
    ap.add_argument("--small-size", default="1K")
    ap.add_argument("--force", action="store_true", help="regenerate even if cached")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args(argv)

    os.makedirs(a.out, exist_ok=True)
    mpath = os.path.join(a.out, "manifest.json")
    manifest = load_manifest(mpath)
    if manifest.get("version") != GEN_VERSION or manifest.get("seed") != a.seed:
        manifest = {"version": GEN_VERSION, "seed": a.seed, "sizes": {}}

    for s in a.sizes.split(","):
        target = parse_size(s)
        label = size_label(target)
        have = manifest["sizes"].get(label)
        if have and not a.force and all(
                os.path.exists(os.path.join(a.out, e["path"])) and
                os.path.getsize(os.path.join(a.out, e["path"])) == e["bytes"]
                for e in have.values()):
            continue   # cached and intact
        manifest["sizes"][label] = generate(a.out, target, a.seed)
        with open(mpath, "w") as f:   # save after each size: a 100M run is long
            json.dump(manifest, f, indent=1)

    if a.small:
        target = parse_size(a.small_size)
        have = manifest.get("small")
        sdir = os.path.join(a.out, "small")
        present = (sorted(f for f in os.listdir(sdir) if f.endswith(".nn"))
                   if os.path.isdir(sdir) else [])
        if (a.force or not have or have["bytes_each"] != target
                or present != sorted(have["counts"]) or len(present) != a.small):
            manifest["small"] = generate_small(a.out, a.small, target, a.seed)

    with open(mpath, "w") as f:
        json.dump(manifest, f, indent=1)

    if not a.quiet:
        print(f"{'file':<22} {'bytes':>12} {'layers':>10} {'expected count':>20}")
        for label, entries in manifest["sizes"].items():
            for e in entries.values():
                print(f"{e['path']:<22} {e['bytes']:>12} {e['layers']:>10} {e['count']:>20}")
        if manifest.get("small"):
            sm = manifest["small"]
            print(f"small/*.nn: {sm['files']} files of ~{sm['bytes_each']} bytes")
    return manifest


if __name__ == "__main__":
    main()
