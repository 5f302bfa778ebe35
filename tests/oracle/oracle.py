#!/usr/bin/env python3
"""The PyTorch oracle: nnspec's counts and shapes against real PyTorch.

    oracle.py NNSPEC PATH...    (PATH: a .nn file or a directory of them)

For each spec: `nnspec check --werror` passes; `nnspec emit pytorch` gives a module that
builds; the sum of `p.numel()` over `model.parameters()` is `nnspec count --all` and over
the trainable ones `nnspec count`; each layer that `nnspec emit shapes` lists is the
module at its path, with the parameters nnspec gives it, and every parameter belongs to a
listed layer. With an `input`, a forward pass on a batch of 2 (token ids where the data
first meets an embedding) gives nnspec's output shape, and a forward hook on every layer
sees nnspec's input and output shape for it; each `side` path runs on a batch of its own
declared shape. The flat JSON list (`nnspec json`) counts the same, and so does the
PyTorch module emitted from it; the structured one (`--structured`) gives a module with
the same counts and shapes, layer by layer.

The module is built on the meta device, where tensors have shapes and no memory, so every
network is counted and shape-checked in full, LLaMA-70B included. Where the forward pass
is cheap (--cpu-budget multiply-adds) it is also built and run for real on the CPU.
Exit status: 0 all passed, 1 a failure, 77 PyTorch missing.
"""
import argparse
import glob
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings

try:
    import torch
except ImportError:
    print("SKIP: PyTorch is not installed (scripts/setup --test installs python3-torch)")
    sys.exit(77)


class Failure(Exception):
    pass


def nnspec(binary, *args):
    r = subprocess.run([binary, *args], capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        raise Failure(f"`nnspec {' '.join(args)}` exited {r.returncode}:\n{r.stderr.strip()}")
    return r.stdout


def meta_device():
    """Build modules without memory: every tensor factory makes meta tensors."""
    if hasattr(torch.device("meta"), "__enter__"):  # PyTorch 2
        return torch.device("meta")
    from torch.overrides import TorchFunctionMode

    class Meta(TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            kwargs = dict(kwargs or {})
            if getattr(func, "__name__", "") in ("empty", "zeros", "ones", "full", "tensor", "rand", "randn",
                                                  "arange", "empty_strided", "eye", "linspace"):
                kwargs["device"] = "meta"
            return func(*args, **kwargs)

    return Meta()


def load(code, directory, stem):
    path = os.path.join(directory, stem + ".py")
    with open(path, "w", encoding="utf-8") as f:
        f.write(code)
    spec = importlib.util.spec_from_file_location(f"nnspec_oracle_{stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build(module, cls, meta):
    if meta:
        with meta_device():
            return getattr(module, cls)()
    return getattr(module, cls)()


def shape_text(s):
    return "x".join(str(d) for d in s) if s is not None else "?"


def check_counts(model, report, total, trainable):
    got_total = sum(p.numel() for p in model.parameters())
    got_trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    if got_total != total:
        raise Failure(f"parameters: nnspec count --all {total}, PyTorch {got_total} (difference {got_total - total:+})")
    if got_trainable != trainable:
        raise Failure(f"trainable: nnspec count {trainable}, PyTorch {got_trainable} (difference {got_trainable - trainable:+})")
    if report["params"] != total or report["trainable"] != trainable:
        raise Failure(f"`emit shapes` reports {report['params']}/{report['trainable']}, `count` {total}/{trainable}")


def layer_name(layer):
    return f"layer {layer['index']} `{layer['module']}` ({layer['kind']})"


def check_layers(model, report):
    """Every listed layer is its module, with nnspec's parameters; every parameter is in a layer."""
    seen = set()
    modules = []
    for layer in report["layers"]:
        try:
            m = model.get_submodule(layer["module"]) if layer["module"] else model
        except AttributeError:
            raise Failure(f"{layer_name(layer)}: the module has no submodule `{layer['module']}`")
        if type(m).__name__ != layer["type"]:
            raise Failure(f"{layer_name(layer)}: nnspec says {layer['type']}, the module is {type(m).__name__}")
        new = [p for p in m.parameters() if id(p) not in seen]
        seen.update(id(p) for p in new)
        params = sum(p.numel() for p in new)
        trainable = sum(p.numel() for p in new if p.requires_grad)
        if params != layer["params"] or trainable != layer["trainable"]:
            raise Failure(f"{layer_name(layer)}: nnspec {layer['params']} parameters ({layer['trainable']} trainable), "
                          f"PyTorch {params} ({trainable} trainable)")
        modules.append(m)
    stray = [n for n, p in model.named_parameters() if id(p) not in seen]
    if stray:
        raise Failure(f"parameters in no listed layer: {', '.join(stray[:5])}")
    return modules


def sample(shape, tokens, device):
    if tokens:
        return torch.randint(0, tokens, (2, *shape), device=device)
    return torch.randn(2, *shape, device=device)


def cost(report):
    """Multiply-adds of a forward pass on a batch of 2, roughly: each layer's parameters
    times the positions it is applied at (pixels for a convolution, tokens for the rest)."""
    total = 0
    for layer in report["layers"]:
        out = layer["out"]
        if not layer["params"] or not out or layer["kind"] == "embedding":
            continue
        numel = 1
        for d in out:
            numel *= d
        if layer["kind"].startswith("conv"):
            # MKL-DNN convolutions run about ten times faster than the generic BLAS matmuls
            # of Debian's PyTorch: count them at a tenth
            total += 2 * layer["params"] * numel // out[0] // 10
        else:
            total += 2 * layer["params"] * numel // out[-1]
    return total


def check_forward(model, report, modules, device):
    calls = {}
    hooks = []
    for layer, m in zip(report["layers"], modules):
        def hook(mod, args, out, index=layer["index"]):
            x = args[0] if args else None
            calls.setdefault(index, []).append((tuple(x.shape) if torch.is_tensor(x) else None,
                                                tuple(out.shape) if torch.is_tensor(out) else type(out).__name__))
        hooks.append(m.register_forward_hook(hook))
    try:
        model.eval()
        with torch.no_grad():
            main, *sides = report["inputs"]
            y = model(sample(main["shape"], main["tokens"], device))
            for side in sides:
                if side["shape"] is None:
                    continue  # no declared shape: nothing to feed it
                model.get_submodule(side["module"])(sample(side["shape"], side["tokens"], device))
    finally:
        for h in hooks:
            h.remove()
    where = "PyTorch" if device == "cpu" else f"PyTorch ({device})"
    if list(y.shape) != [2, *report["output"]]:
        raise Failure(f"output: nnspec {shape_text(report['output'])}, {where} {shape_text(list(y.shape)[1:])}")
    for layer in report["layers"]:
        if layer["in"] is None and layer["out"] is None:
            continue
        seen = calls.get(layer["index"])
        if not seen:
            raise Failure(f"{layer_name(layer)}: not run by the forward pass")
        for got_in, got_out in seen:
            got_in = list(got_in[1:]) if got_in else None
            got_out = list(got_out[1:]) if isinstance(got_out, tuple) else got_out
            if (layer["in"] is not None and got_in != layer["in"]) or (layer["out"] is not None and got_out != layer["out"]):
                raise Failure(f"{layer_name(layer)}: nnspec {shape_text(layer['in'])} -> {shape_text(layer['out'])}, "
                              f"{where} {shape_text(got_in)} -> {shape_text(got_out) if isinstance(got_out, list) else got_out}")


def run_spec(binary, spec, directory, budget):
    notes = []
    stem = os.path.splitext(os.path.basename(spec))[0]
    nnspec(binary, "check", "--werror", spec)
    total = int(nnspec(binary, "count", "--all", spec))
    trainable = int(nnspec(binary, "count", spec))
    report = json.loads(nnspec(binary, "emit", "shapes", spec))
    module = load(nnspec(binary, "emit", "pytorch", spec), directory, stem)
    # on the meta device every tensor has its shape and no memory: LLaMA-70B counts in a blink
    model = build(module, report["class"], True)
    check_counts(model, report, total, trainable)
    modules = check_layers(model, report)
    if report["output"] is None:
        notes.append("no input: counts only")
    else:
        macs = cost(report)
        try:
            check_forward(model, report, modules, "meta")
        except NotImplementedError as e:
            # PyTorch 1.13 lacks a few meta kernels (max_pool3d): the CPU pass must do
            op = str(e).split("'")[1] if "'" in str(e) else "an operator"
            notes.append(f"no meta kernel for {op}")
            if macs > budget:
                notes.append("no forward pass (too dear on the CPU)")
                return total, notes
        if macs <= budget:
            model = build(module, report["class"], False)
            check_counts(model, report, total, trainable)
            check_forward(model, report, check_layers(model, report), "cpu")
            notes.append(f"{len(report['layers'])} layer shapes, on meta and on the CPU")
        else:
            notes.append(f"{len(report['layers'])} layer shapes, on meta (a CPU pass would take {macs / 1e9:,.0f}G multiply-adds)")

    # the flat JSON list: read back, it counts the same, and so does its PyTorch module
    json_path = os.path.join(directory, stem + ".json")
    with open(json_path, "w", encoding="utf-8") as f:
        f.write(nnspec(binary, "json", spec))
    json_total = int(nnspec(binary, "count", "--all", json_path))
    json_trainable = int(nnspec(binary, "count", json_path))
    if (json_total, json_trainable) != (total, trainable):
        raise Failure(f"`nnspec json` counts {json_total} ({json_trainable} trainable), the .nn {total} ({trainable})")
    json_report = json.loads(nnspec(binary, "emit", "shapes", json_path))
    flat = build(load(nnspec(binary, "emit", "pytorch", json_path), directory, stem + "_json"), json_report["class"], True)
    check_counts(flat, json_report, total, trainable)

    # the structured JSON keeps the input and the structure: the same module, layer by layer
    with open(json_path, "w", encoding="utf-8") as f:
        f.write(nnspec(binary, "json", "--structured", spec))
    json_report = json.loads(nnspec(binary, "emit", "shapes", json_path))
    structured = build(load(nnspec(binary, "emit", "pytorch", json_path), directory, stem + "_structured"), json_report["class"], True)
    check_counts(structured, json_report, total, trainable)
    modules = check_layers(structured, json_report)
    if json_report["output"] != report["output"]:
        raise Failure(f"`nnspec json --structured` gives the output {shape_text(json_report['output'])}, the .nn {shape_text(report['output'])}")
    if report["output"] is not None:
        try:
            check_forward(structured, json_report, modules, "meta")
        except NotImplementedError:
            pass  # checked on the CPU above
    notes.append("JSON flat and structured")
    return total, notes


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("nnspec")
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--cpu-budget", type=float, default=4e9,
                        help="also run a real forward pass on the CPU when it takes at most this many multiply-adds")
    args = parser.parse_args()
    specs = []
    for p in args.paths:
        specs += sorted(glob.glob(os.path.join(p, "*.nn"))) if os.path.isdir(p) else [p]
    if not specs:
        print("no specs found")
        return 1
    torch.manual_seed(0)
    # PyTorch's performance notes (padding='same' with an even kernel copies the input)
    warnings.filterwarnings("ignore", category=UserWarning)
    start = time.time()
    failures = 0
    with tempfile.TemporaryDirectory() as directory:
        for spec in specs:
            t = time.time()
            name = os.path.relpath(spec)
            try:
                total, notes = run_spec(args.nnspec, spec, directory, args.cpu_budget)
                print(f"ok   {name}: {total:,} parameters; {'; '.join(notes)} ({time.time() - t:.1f}s)", flush=True)
            except Failure as e:
                failures += 1
                print(f"FAIL {name}: {e}", flush=True)
            except Exception as e:  # the generated module itself failed
                failures += 1
                print(f"FAIL {name}: {type(e).__name__}: {e}", flush=True)
    print(f"{len(specs) - failures} passed, {failures} failed ({time.time() - start:.1f}s, PyTorch {torch.__version__})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
