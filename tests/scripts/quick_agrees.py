#!/usr/bin/env python3
"""The quick counter against the reference pipeline on generated specs large enough for
both of its parallel paths (a `.nn` file of 1 MiB or more is read by two threads, a JSON
list of 8 MiB or more in two pieces): `nnspec count` and `nnspec count --reference` must
print the same, exit alike, and agree with the generator's own count. Then each file is
spoilt at its middle (a size changed, so a shape disagrees) and the two must again say
the same: the quick counter must hand a file with a warning to the reference.

usage: quick_agrees.py NNSPEC GEN_PY
"""
import json
import os
import subprocess
import sys
import tempfile


def run(binary, *args):
    p = subprocess.run([binary, *args], capture_output=True, text=True, timeout=300)
    return p.returncode, p.stdout, p.stderr


def compare(binary, path, expected=None):
    quick = run(binary, "count", path)
    reference = run(binary, "count", "--reference", path)
    problems = []
    if quick != reference:
        problems.append(f"{path}: quick {quick[0]} {quick[1].strip()!r} {quick[2][:300]!r}\n"
                        f"    reference {reference[0]} {reference[1].strip()!r} {reference[2][:300]!r}")
    if expected is not None and quick[1].strip() != str(expected):
        problems.append(f"{path}: counted {quick[1].strip()}, the generator says {expected}")
    for command in ("check",):
        q, r = run(binary, command, path), run(binary, command, "--reference", path)
        if q != r:
            problems.append(f"{path}: `{command}` differs: {q[0]} {q[2][:300]!r} / {r[0]} {r[2][:300]!r}")
    return problems


def spoil(path, out):
    """The same file with one layer size changed near the middle."""
    with open(path) as f:
        text = f.read()
    middle = len(text) // 2
    if path.endswith(".json"):
        at, spoilt = text.index('"input_size":', middle) + len('"input_size":'), "7"
    else:
        at, spoilt = text.index("\ndense ", middle) + len("\ndense "), "7 + "
    with open(out, "w") as f:
        f.write(text[:at] + spoilt + text[at:])
    return out


def main():
    binary, gen = sys.argv[1:3]
    problems = []
    checked = 0
    with tempfile.TemporaryDirectory() as tmp:
        # (seed, sizes, formats, spoil too): each .nn of 1 MiB or more is read by two threads;
        # the 9M list is cut in two (the hand-over of JSON is tried at 2M, where it is cheap)
        for seed, sizes, kinds, spoilt in ((1, "300K,2M", ("nn", "json"), True), (2, "1500K", ("nn",), True),
                                           (3, "9M", ("json",), False)):
            out = os.path.join(tmp, str(seed))
            subprocess.run([sys.executable, gen, "--sizes", sizes, "--seed", str(seed), "--out", out, "--quiet"],
                           check=True, timeout=300)
            with open(os.path.join(out, "manifest.json")) as f:
                manifest = json.load(f)
            for label, files in manifest["sizes"].items():
                for kind in kinds:
                    path = os.path.join(out, files[kind]["path"])
                    problems += compare(binary, path, files[kind]["count"])
                    checked += 1
                    if spoilt:
                        problems += compare(binary, spoil(path, path + ".spoilt" + os.path.splitext(path)[1]))
                        checked += 1
    for p in problems:
        print("FAIL", p)
    print(f"{checked} files, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
