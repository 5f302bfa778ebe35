#!/usr/bin/env python3
"""A slow stand-in for the nnspec binary, for testing the benchmark harness only.

    standin.py count FILE        print the trainable count (.json: the task's flat list)
    standin.py check FILE...     exit 0 if every file parses and neighbouring sizes agree

It understands the subset bench/gen.py writes (let, expressions, block, calls, repeat,
dense / conv2d / embedding, `;`, comments) with its own parser, so it also cross-checks the
generator's expected counts. For anything else (the zoo specs use residual, attention, ...)
it falls back to the file's top-level `expect params = N`, which is enough to exercise the
harness but says nothing about nnspec. Use: bench/run --nnspec bench/standin.py --quick
"""
import json
import os
import re
import sys

TOKEN = re.compile(r"""
    (?P<ws>[ \t\r]+) | (?P<comment>\#[^\n]*) | (?P<nl>[\n;]) |
    (?P<shape>\d[\d_]*x\d[\d_]*(?:x\d[\d_]*)*) | (?P<num>\d[\d_]*) |
    (?P<name>[A-Za-z_][A-Za-z0-9_]*) |
    (?P<op>->|//|[-+*/(),={}])
""", re.X)


class Unsupported(Exception):
    pass


class SpecError(Exception):
    pass


def tokenize(text):
    toks, pos = [], 0
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m:
            raise Unsupported(f"unexpected character {text[pos]!r}")
        kind = m.lastgroup
        if kind == "nl":
            toks.append(("nl", "\n"))
        elif kind == "num":
            toks.append(("num", int(m.group().replace("_", ""))))
        elif kind == "shape":
            toks.append(("shape", [int(p.replace("_", "")) for p in m.group().split("x")]))
        elif kind in ("name", "op"):
            toks.append((kind, m.group()))
        pos = m.end()
    toks.append(("nl", "\n"))
    toks.append(("eof", None))
    return toks


class Parser:
    """Recursive descent into a small AST of tuples."""

    def __init__(self, toks):
        self.t, self.i = toks, 0

    def peek(self):
        return self.t[self.i]

    def next(self):
        tok = self.t[self.i]
        self.i += 1
        return tok

    def expect(self, value):
        tok = self.next()
        if tok[1] != value:
            raise Unsupported(f"expected {value!r}, got {tok[1]!r}")
        return tok

    def skip_nl(self):
        while self.peek()[0] == "nl":
            self.i += 1

    def stmts(self, end):
        out = []
        self.skip_nl()
        while self.peek()[1] != end and self.peek()[0] != "eof":
            out.append(self.stmt())
            self.skip_nl()
        return out

    def stmt(self):
        kind, val = self.next()
        if kind != "name":
            raise Unsupported(f"statement starts with {val!r}")
        if val == "let":
            name = self.next()[1]
            self.expect("=")
            return ("let", name, self.expr())
        if val == "repeat":
            count = self.expr()
            idx = None
            if self.peek()[1] == "as":
                self.next()
                idx = self.next()[1]
            return ("repeat", count, idx, self.body())
        if val == "block":
            name = self.next()[1]
            self.expect("(")
            params = []
            while self.peek()[1] != ")":
                p = self.next()[1]
                default = None
                if self.peek()[1] == "=":
                    self.next()
                    default = self.expr()
                params.append((p, default))
                if self.peek()[1] == ",":
                    self.next()
            self.expect(")")
            return ("block", name, params, self.body())
        if val in ("dense", "conv2d", "embedding"):
            return self.layer(val)
        if self.peek()[1] == "(":
            return self.call(val)
        raise Unsupported(f"statement {val!r}")

    def body(self):
        self.expect("{")
        items = self.stmts("}")
        self.expect("}")
        return items

    def call(self, name):
        self.expect("(")
        args = []
        while self.peek()[1] != ")":
            if self.peek()[0] == "name" and self.t[self.i + 1][1] == "=":
                key = self.next()[1]
                self.next()
                args.append((key, self.expr()))
            else:
                args.append((None, self.expr()))
            if self.peek()[1] == ",":
                self.next()
        self.expect(")")
        return ("call", name, args)

    def layer(self, kind):
        inp = self.expr()
        if self.peek()[1] != "->":
            raise Unsupported("OUT-only layers")
        self.next()
        out = self.expr()
        bias, kernel = True, None
        while self.peek()[0] not in ("nl", "eof") and self.peek()[1] != "}":
            _, item = self.next()
            if item in ("bias", "nobias"):
                bias = item == "bias"
            elif item == "kernel":
                self.expect("=")
                kernel = self.kernel()
            else:
                raise Unsupported(f"layer item {item!r}")
        if kind == "conv2d" and kernel is None:
            raise SpecError("conv2d needs kernel=")
        return ("layer", kind, inp, out, bias, kernel)

    def kernel(self):
        if self.peek()[0] == "shape":
            return [("num", v) for v in self.next()[1]]
        if self.peek()[1] == "(":            # (kh, kw) or a parenthesised expression
            save = self.i
            self.next()
            first = self.expr()
            if self.peek()[1] == ",":
                self.next()
                second = self.expr()
                self.expect(")")
                return [first, second]
            self.i = save
        e = self.expr()
        return [e, e]

    # expressions: precedence climbing over + - (1) and * / // (2)
    def expr(self, min_prec=1):
        left = self.unary()
        while True:
            op = self.peek()[1]
            prec = {"+": 1, "-": 1, "*": 2, "/": 2, "//": 2}.get(op) \
                if self.peek()[0] == "op" else None
            if prec is None or prec < min_prec:
                return left
            self.next()
            left = ("bin", op, left, self.expr(prec + 1))

    def unary(self):
        kind, val = self.next()
        if val == "-":
            return ("neg", self.unary())
        if val == "(":
            e = self.expr()
            self.expect(")")
            return e
        if kind == "num":
            return ("num", val)
        if kind == "name":
            return ("var", val)
        raise Unsupported(f"expression at {val!r}")


def ev(e, env):
    tag = e[0]
    if tag == "num":
        return e[1]
    if tag == "var":
        for scope in env:
            if e[1] in scope:
                return scope[e[1]]
        raise SpecError(f"unknown name {e[1]}")
    if tag == "neg":
        return -ev(e[1], env)
    _, op, a, b = e
    x, y = ev(a, env), ev(b, env)
    if op == "+":
        return x + y
    if op == "-":
        return x - y
    if op == "*":
        return x * y
    if y == 0:
        raise SpecError("division by zero")
    if op == "/" and x % y:
        raise SpecError(f"{x}/{y} does not divide")
    return x // y


class Evaluator:
    """Walks the AST, summing parameters and checking neighbour sizes the way nnspec does
    for a layer list (no `input`): PyTorch's shape rules on a partially known shape.
    dense checks and sets the last dim; conv2d checks the channels of a (C, H, W) shape
    and shrinks known H, W by kernel-1; embedding appends a dim."""

    def __init__(self):
        self.globals, self.blocks = {}, {}
        self.total = 0
        self.dims, self.rank_known = [], False   # None marks an unknown dim

    def run(self, stmts, env):
        for s in stmts:
            getattr(self, "do_" + s[0])(s, env)

    def do_let(self, s, env):
        env[0][s[1]] = ev(s[2], env)

    def do_block(self, s, env):
        self.blocks[s[1]] = s

    def do_repeat(self, s, env):
        for it in range(ev(s[1], env)):
            self.run(s[3], [{s[2]: it}] + env if s[2] else env)

    def do_call(self, s, env):
        _, name, params, body = self.blocks[s[1]]
        vals, pos = {}, 0
        for key, e in s[2]:
            if key is None:
                key = params[pos][0]
                pos += 1
            vals[key] = ev(e, env)
        for p, d in params:
            if p not in vals:
                vals[p] = ev(d, [self.globals])
        self.run(body, [{}, vals, self.globals])   # block lets go in the first scope

    def do_layer(self, s, env):
        _, kind, inp, out, bias, kernel = s
        i, o = ev(inp, env), ev(out, env)
        if i <= 0 or o <= 0:
            raise SpecError("sizes must be positive")
        if kind == "dense":
            self.total += i * o + (o if bias else 0)
            if self.dims and self.dims[-1] not in (None, i):
                raise SpecError(f"dense {i} -> {o}: the last dim is {self.dims[-1]}")
            self.dims = self.dims[:-1] + [o]
        elif kind == "embedding":
            self.total += i * o
            self.dims = self.dims + [o]
        else:
            kh, kw = ev(kernel[0], env), ev(kernel[1], env)
            self.total += o * i * kh * kw + (o if bias else 0)
            chw = self.rank_known and len(self.dims) == 3
            if chw and self.dims[0] not in (None, i):
                raise SpecError(f"conv2d {i} -> {o}: the channels are {self.dims[0]}")
            spatial = self.dims[1:] if chw else [None, None]
            for length, k in zip(spatial, (kh, kw)):
                if length is not None and length < k:
                    raise SpecError(f"conv2d kernel {k} is wider than the data ({length})")
            self.dims = [o] + [None if n is None else n - k + 1 for n, k in zip(spatial, (kh, kw))]
            self.rank_known = True


def count_nn(text):
    try:
        ast = Parser(tokenize(text)).stmts(None)
    except Unsupported:
        # outside the stand-in's subset: trust the file's own `expect params`
        m = re.search(r"^expect params\s*=\s*([\d_]+)\s*$", text, re.M)
        if not m:
            raise
        return int(m.group(1).replace("_", ""))
    ev_ = Evaluator()
    ev_.run(ast, [ev_.globals])
    return ev_.total


def count_json(text):
    total = 0
    for l in json.loads(text):
        t, bias = l["type"], l.get("use_bias", True)
        if t == "dense":
            total += l["input_size"] * l["output_size"] + (l["output_size"] if bias else 0)
        elif t == "conv2d":
            k = l["kernel_size"]
            kh, kw = (k, k) if isinstance(k, int) else k
            total += l["out_channels"] * l["in_channels"] * kh * kw + \
                (l["out_channels"] if bias else 0)
        elif t == "embedding":
            total += l["num_embeddings"] * l["embedding_dim"]
        else:
            raise Unsupported(f"layer type {t}")
    return total


def count_file(path):
    with open(path) as f:
        text = f.read()
    return count_json(text) if path.endswith(".json") else count_nn(text)


def main(argv):
    argv = [a for a in argv if a != "--reference"]  # one way of counting here
    if len(argv) >= 2 and argv[0] == "count" and len(argv) == 2:
        print(count_file(argv[1]))
        return 0
    if len(argv) >= 2 and argv[0] == "check":
        bad = 0
        paths = []
        for p in argv[1:]:  # a directory stands for the specs below it, as in nnspec
            if os.path.isdir(p):
                paths += sorted(os.path.join(d, f) for d, _, fs in os.walk(p) for f in fs if f.endswith((".nn", ".json")))
            else:
                paths.append(p)
        for p in paths:
            try:
                count_file(p)
            except (Unsupported, SpecError, KeyError, ValueError) as e:
                print(f"{p}: {e}", file=sys.stderr)
                bad += 1
        return 1 if bad else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except (Unsupported, SpecError) as e:
        print(f"standin: {e}", file=sys.stderr)
        sys.exit(1)
