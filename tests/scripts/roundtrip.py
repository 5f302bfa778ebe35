#!/usr/bin/env python3
"""Round trip for every spec given: .nn -> JSON -> .nn -> JSON must give identical JSON,
in the flat and in the structured form, and the original, the JSON and the regenerated
.nn must all count the same."""
import glob
import os
import subprocess
import sys


def nnspec(binary, args, stdin=None):
    result = subprocess.run([binary, *args], input=stdin, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise RuntimeError(f"nnspec {' '.join(args)} exited {result.returncode}:\n{result.stderr}")
    return result.stdout


def main():
    binary, *directories = sys.argv[1:]
    specs = sorted(p for d in directories for p in glob.glob(os.path.join(d, "*.nn")))
    assert specs, "no specs found"
    failures = 0
    for spec in specs:
        try:
            count = nnspec(binary, ["count", "--all", spec])
            json1 = nnspec(binary, ["json", spec])
            nn = nnspec(binary, ["from-json", "-"], json1)
            json2 = nnspec(binary, ["json", "--input-format", "nn", "-"], nn)
            counts = {count, nnspec(binary, ["count", "--all", "--input-format", "json", "-"], json1),
                      nnspec(binary, ["count", "--all", "--input-format", "nn", "-"], nn)}
            if json1 != json2:
                raise RuntimeError("JSON differs after the round trip")
            # the structured form keeps the input shape and the nesting, so shapes are checked again
            structured1 = nnspec(binary, ["json", "--structured", spec])
            nn_structured = nnspec(binary, ["from-json", "-"], structured1)
            structured2 = nnspec(binary, ["json", "--structured", "--input-format", "nn", "-"], nn_structured)
            if structured1 != structured2:
                raise RuntimeError("structured JSON differs after the round trip")
            counts.add(nnspec(binary, ["count", "--all", "--input-format", "nn", "-"], nn_structured))
            if len(counts) != 1:
                raise RuntimeError(f"counts differ: {sorted(counts)}")
            print(f"ok   {os.path.basename(spec)}")
        except RuntimeError as e:
            failures += 1
            print(f"FAIL {spec}: {e}")
    print(f"{len(specs) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
