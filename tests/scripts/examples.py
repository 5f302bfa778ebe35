#!/usr/bin/env python3
"""Every example checks clean (no errors, no warnings) and its .json twin, when there is
one, counts the same as the .nn file."""
import glob
import os
import subprocess
import sys


def nnspec(binary, *args):
    return subprocess.run([binary, *args], capture_output=True, text=True, timeout=120)


def main():
    binary, directory = sys.argv[1:3]
    failures = 0
    specs = sorted(glob.glob(os.path.join(directory, "*.nn")))
    assert specs, "no examples found"
    for spec in specs:
        name = os.path.relpath(spec, directory)
        check = nnspec(binary, "check", "--werror", spec)
        count = nnspec(binary, "count", spec)
        if check.returncode != 0 or count.returncode != 0:
            failures += 1
            print(f"FAIL {name}: check exit {check.returncode}\n{check.stderr}")
            continue
        twin = spec[:-3] + ".json"
        if os.path.exists(twin):
            json_count = nnspec(binary, "count", twin)
            if json_count.stdout != count.stdout:
                failures += 1
                print(f"FAIL {name}: .nn counts {count.stdout.strip()}, .json counts {json_count.stdout.strip()}")
                continue
        print(f"ok   {name}: {count.stdout.strip()}")
    print(f"{len(specs) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
