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

Neighbouring sizes agree the way nnspec checks a layer list (a file without `input`),
which is PyTorch's shape rules on a partly known shape: a dense layer's IN is the last dim
of the data, a conv2d's IN is its channels (dim 0 of C,H,W), and a conv2d's kernel shrinks
a known width. So `conv2d 64 -> 128 kernel=3` then `dense 512 -> 256` is right when the
last dim is 512 (a plain "IN = previous OUT" chain would draw warnings). The generator
tracks that shape (class Shape) and checks every statement's layers against it; an
`embedding` takes any N and appends its dim. No `let` is left unused (another warning).
All counts fit in 2^53, so jq's doubles stay exact.

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

GEN_VERSION = 5          # bump when output changes, so cached files are regenerated
MIN_W, MAX_W = 8, 2048   # written widths stay in this range (keeps totals < 2^53)
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

class Shape:
    """The data shape as nnspec tracks it in a layer list (no `input`): PyTorch's shape
    rules on partially known shapes. dims holds ints or None (unknown); rank_known False
    means dims are only the trailing dims. Mirrors src/kinds/{dense,conv,embedding}.cpp:

      dense IN -> OUT      checks IN against the last dim (if known); sets it to OUT
      conv2d IN -> OUT     if the shape is (C, H, W): checks IN against C, and H, W shrink
                           by kernel-1 (a kernel wider than a known W is an error);
                           the result is (OUT, H', W'), unknown where the input was
      embedding N -> D     appends D; checks nothing
    """
    __slots__ = ("dims", "rank_known")

    def __init__(self, dims=(), rank_known=False):
        self.dims, self.rank_known = list(dims), rank_known

    def last(self):
        return self.dims[-1] if self.dims else None

    def channels(self):
        return self.dims[0] if self.rank_known and len(self.dims) == 3 else None

    def after(self, layers):
        """The shape after `layers`, or None if nnspec would warn or fail on one."""
        dims, rank_known = self.dims, self.rank_known
        for layer in layers:
            kind = layer[0]
            if kind == "dense":
                if dims and dims[-1] is not None and dims[-1] != layer[1]:
                    return None
                dims = dims[:-1] + [layer[2]] if dims else [layer[2]]
            elif kind == "conv2d":
                fits = rank_known and len(dims) == 3
                if fits and dims[0] is not None and dims[0] != layer[1]:
                    return None
                new = [layer[2]]
                for length, k in ((dims[1] if fits else None, layer[3]),
                                  (dims[2] if fits else None, layer[4])):
                    if length is not None and length - k < 0:
                        return None          # "output size would be zero or less"
                    new.append(None if length is None else length - k + 1)
                dims, rank_known = new, True
            else:
                dims = dims + [layer[2]]
        return Shape(dims, rank_known)


class Generator:
    """Produces top-level statements one at a time, each as (text, layers).

    Every statement is checked against Shape before it is kept, so the file passes
    nnspec's neighbour checks: a statement that would not (a kernel wider than the data,
    a repeated block that does not keep its shape, a `/` that does not divide) is undone
    and replaced by a plain `dense LAST -> N`, which always fits."""

    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.env = {}            # top-level lets: name -> value
        self.width_names = []    # lets usable as widths
        self.blocks = {}         # defined block name -> BlockDef
        self.defined = []        # library blocks in definition order (for undoing)
        self.fresh_blocks = []   # names of generated blocks g<N>, in definition order
        # for expansion: library blocks may be expanded just before their definition is
        # written (ensure_block), so look them up in LIBRARY too
        self.known_blocks = ChainMap(self.blocks, LIBRARY)
        self.fresh = 0           # counter for generated names
        self.shape = Shape()
        # top-level expressions for the last dim and the channels, when known; else None
        # (then the value is written as a literal)
        self.last_expr = None
        self.ch_expr = None
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
        if not self.width_names:
            v = 8 * rng.randrange(2, 129)
            return v, v
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
        return 64, 64

    def dense_in(self):
        """What to write as a dense layer's IN: the last dim (by name or value)."""
        last = self.shape.last()
        if last is None:
            return self.width_expr()[0]     # unknown: anything fits
        if self.last_expr is not None and self.rng.random() < 0.85:
            return self.last_expr
        return last

    def conv_in(self):
        """What to write as a conv2d's IN: the channels, if the shape has them."""
        ch = self.shape.channels()
        if ch is None:
            return self.width_expr()[0]
        if self.ch_expr is not None and self.rng.random() < 0.85:
            return self.ch_expr
        return ch

    def random_kernel(self):
        rng = self.rng
        r = rng.randrange(5)
        if r == 0:
            return ("int", rng.choice([1, 3, 5]), None)
        if r == 1:
            return ("x", rng.choice([1, 3, 5]), rng.choice([1, 3, 5, 7]))
        if r == 2:
            return ("int", 1, None)
        if r == 3:
            return ("int", 3, None)
        return ("list", rng.choice([1, 3]), rng.choice([1, 3, 5]))

    # ---- statements: each returns (text, layers) and changes nothing the check depends
    # on; the new shape is worked out from the layers afterwards (next_stmt)
    def stmt_let(self):
        """A let and its first use (nnspec warns about a let that is never used)."""
        name = self.new_name("w")
        if not self.width_names or self.rng.random() < 0.25:
            e = v = 8 * self.rng.randrange(2, 257)
        else:
            e, v = self.width_expr()
        inp = self.dense_in()
        self.env[name] = v
        self.width_names.append(name)
        self.hints = [name]
        t = LayerT("dense", inp, name, bias=self.rng.choice([None, True, False]))
        return f"let {name} = {render(e, self.rng)}\n{t.text(self.rng)}", [t.expand(self.env)]

    def stmt_layer(self):
        rng = self.rng
        kind = rng.choices(["dense", "conv2d", "embedding"], [6, 3, 1])[0]
        out, _ = self.width_expr()
        inp = self.conv_in() if kind == "conv2d" else self.dense_in()
        t = LayerT(kind, inp, out, bias=rng.choice([None, True, False]),
                   kernel=self.random_kernel())
        self.hints = [out]
        return t.text(rng), [t.expand(self.env)]

    def stmt_pair(self):
        """Two layers on one line, joined by `;`, out and back (d -> f; f -> d)."""
        rng = self.rng
        f, _ = self.width_expr()
        if rng.random() < 0.6:
            c = self.dense_in()
            a, b = LayerT("dense", c, f, bias=rng.choice([None, True])), \
                LayerT("dense", f, c, bias=False)
        else:
            c = self.conv_in()
            k = ("int", 1, None)
            a, b = LayerT("conv2d", c, f, kernel=k), LayerT("conv2d", f, c, bias=False, kernel=k)
        return f"{a.text(rng)}; {b.text(rng)}", [a.expand(self.env), b.expand(self.env)]

    def stmt_repeat(self):
        rng = self.rng
        n = rng.choice([0, 1, 2, 2, 3, 4])
        form = rng.randrange(5)
        if form == 0:      # body without index: the same layer n times
            c = self.dense_in()
            body = [LayerT("dense", c, c, bias=False)]
            head, idx = f"repeat {n}", None
        elif form == 1:    # kernel from the index: 1, 3, 5, 7 (the width shrinks)
            n = min(n, 4)
            c = self.conv_in()
            body = [LayerT("conv2d", c, c, kernel=("int", ("+", ("*", 2, "i"), 1), None))]
            head, idx = f"repeat {n} as i", "i"
        elif form == 2:    # widths from the index
            c = self.dense_in()
            mid = ("*", c, ("+", "i", 1))
            body = [LayerT("dense", c, mid), LayerT("dense", mid, c, bias=False)]
            head, idx = f"repeat {n} as i", "i"
        elif form == 3:    # nested repeats; the embedding appends a dim of the same size
            c = self.dense_in()
            m = rng.choice([2, 3])
            inner = LayerT("dense", c, c, bias=False)
            layers_one = [inner.expand(self.env)] * m
            text = (f"repeat {n} {{\n  repeat {m} {{ {inner.text(rng)} }}\n"
                    f"  embedding {render(c)} -> {render(c)}\n}}")
            v = ev(c, self.env)
            return text, (layers_one + [embedding(v, v)]) * n
        else:              # a block call repeated
            call_text, layers_one = self.call_library()
            pre = self.ensure_block(call_text.split("(")[0])
            return f"{pre}repeat {n} {{ {call_text} }}", layers_one * n
        layers = []
        for it in range(n):
            env = ChainMap({idx: it}, self.env) if idx else self.env
            layers += [t.expand(env) for t in body]
        lines = "\n".join("  " + t.text(rng) for t in body)
        return f"{head} {{\n{lines}\n}}", layers

    # ---- blocks
    def ensure_block(self, name):
        """Define a library block the first time it is used; returns its definition text."""
        if name in self.blocks:
            return ""
        bd = LIBRARY[name]
        pre = "".join(self.ensure_block(dep) for dep in bd.deps)
        self.blocks[name] = bd
        self.defined.append(name)
        return pre + bd.text + "\n"

    def call_library(self):
        """A call of a library block, with positional and named arguments."""
        rng = self.rng
        name = rng.choice(["mlp", "convpair", "lookup", "bottleneck", "tower", "widen"])
        if name == "mlp":
            d, (f, _) = self.dense_in(), self.width_expr()
            args = rng.choice([[d], [d, f], [("kw", "d", d), ("kw", "f", f)]])
        elif name == "convpair":
            c = self.conv_in()
            args = rng.choice([[c], [c, ("kw", "k", rng.choice([1, 3, 5]))]])
        elif name == "lookup":
            args = [self.dense_in(), rng.choice([64, 128, 256])]
        elif name == "bottleneck":
            c = self.conv_in()
            args = rng.choice([[c], [c, 2], [("kw", "r", 8), ("kw", "c", c)]])
        elif name == "tower":
            args = [self.dense_in(), rng.choice([1, 2, 3])]
        else:
            args = [self.dense_in(), self.width_expr()[0]]
            self.hints = [args[1]]
        return self.call_text(name, args), LIBRARY[name].expand(args, self.env,
                                                                 self.known_blocks)

    @staticmethod
    def call_text(name, args):
        return name + "(" + ", ".join(
            f"{a[1]}={render(a[2])}" if isinstance(a, tuple) and a and a[0] == "kw"
            else render(a) for a in args) + ")"

    def stmt_call(self):
        if self.fresh_blocks and self.rng.random() < 0.4:
            name = self.rng.choice(self.fresh_blocks[-8:])
            args = [self.dense_in(), self.conv_in()]
            layers = self.blocks[name].expand(args, self.env, self.known_blocks)
            return self.call_text(name, args), layers
        call_text, layers = self.call_library()
        return self.ensure_block(call_text.split("(")[0]) + call_text, layers

    def stmt_fresh_block(self):
        """Define a new block g<N>(p, q): p is the last dim at the call, q the channels.
        Its body follows the shape rules symbolically: dense layers continue from the
        last dim, conv2d layers from the channels (a wide kernel shrinks the last dim)."""
        rng = self.rng
        name = self.new_name("g")
        last, ch = "p", "q"
        body = []
        for _ in range(rng.randint(2, 5)):
            kind = rng.choices(["dense", "conv2d", "embedding"], [5, 3, 1])[0]
            if kind == "conv2d":
                out = rng.choice(["q", ("*", "q", 2), ("/", "q", 2), ("+", "q", 8)])
                kernel = self.random_kernel()
                body.append(LayerT("conv2d", ch, out, bias=rng.choice([None, True, False]),
                                   kernel=kernel))
                kw = kernel[1] if kernel[0] == "int" else kernel[2]
                ch = out
                if kw > 1:
                    last = ("-", last, kw - 1)
            else:
                out = rng.choice([("*", "p", 2), ("/", "p", 2), ("+", "p", 8), "p",
                                  ("*", ("/", "p", 2), 3)])
                body.append(LayerT(kind, last, out, bias=rng.choice([None, True, False])))
                last = out
        bd = BlockDef(name, [("p", None), ("q", None)], body)
        self.blocks[name] = bd
        self.fresh_blocks.append(name)
        return bd.text, []

    # ---- the next statement
    def next_stmt(self):
        """One top-level statement: (text, layers), passing nnspec's checks after the
        statements before it."""
        self.units += 1
        n_defined = len(self.defined)
        try:
            text, layers = self.pick_stmt()
            shape = self.shape.after(layers)
        except Inexact:
            shape = None
        if shape is None:       # undo block definitions it made; write a plain layer
            for name in self.defined[n_defined:]:
                del self.blocks[name]
            del self.defined[n_defined:]
            out, _ = self.width_expr()
            t = LayerT("dense", self.dense_in(), out, bias=self.rng.choice([None, False]))
            text, layers = t.text(self.rng), [t.expand(self.env)]
            shape = self.shape.after(layers)
            self.hints = [out]
        self.advance(shape)
        return text, layers

    def pick_stmt(self):
        self.hints = []          # top-level expressions the statement wrote as sizes
        if not self.width_names:
            return self.stmt_let()
        r = self.rng.random()
        if r < 0.12:
            return self.stmt_let()
        if r < 0.55:
            return self.stmt_layer()
        if r < 0.62:
            return self.stmt_pair()
        if r < 0.74:
            return self.stmt_repeat()
        if r < 0.93:
            return self.stmt_call()
        if r < 0.94:
            return self.stmt_fresh_block()
        if r < 0.95:
            return f"# section {self.units}", []
        return self.stmt_layer()

    def advance(self, shape):
        """Move to `shape`, keeping readable expressions for the last dim and channels:
        the old expression if the value did not change, `old - k` if a kernel shrank it,
        an expression the statement wrote with that value, a recent let with it, or
        (None) the literal."""
        old = self.shape
        self.last_expr = self.pick_expr(shape.last(), old.last(), self.last_expr)
        self.ch_expr = self.pick_expr(shape.channels(), old.channels(), self.ch_expr)
        self.shape = shape

    def pick_expr(self, new, old, old_expr):
        if new is None:
            return None
        if old_expr is not None and new == old:
            return old_expr
        if old_expr is not None and old is not None and 0 < old - new <= 6:
            if isinstance(old_expr, tuple) and old_expr[0] == "-" and \
                    isinstance(old_expr[2], int):     # w5 - 2, shrunk by 4: w5 - 6
                return ("-", old_expr[1], old_expr[2] + old - new)
            return ("-", old_expr, old - new)
        for e in self.hints:
            if ev(e, self.env) == new:
                return e
        for name in self.width_names[-8:]:
            if self.env[name] == new:
                return name
        return None


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
        LayerT("dense", "a", ("*", 2, "b")),
        LayerT("dense", ("*", 2, "b"), "b", bias=False)]),
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
