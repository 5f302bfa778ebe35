#!/usr/bin/env python3
"""Runs one golden case through the nnspec binary and compares with its .expected file.

The .expected file:
    $ nnspec ARGS...            the command ({input} is the case's input file)
    exit N
    --- stdout
    ...
    --- stderr
    ...
Run with --update to rewrite the .expected file from the current output. The command runs
in the case's directory with the input named relatively, so messages hold no machine path.
"""
import os
import subprocess
import sys


def parse_expected(text):
    lines = text.split("\n")
    command = lines[0]
    assert command.startswith("$ nnspec "), "first line must be `$ nnspec ARGS`"
    assert lines[1].startswith("exit "), "second line must be `exit N`"
    code = int(lines[1].split()[1])
    body = "\n".join(lines[2:])
    assert body.startswith("--- stdout\n"), "third line must be `--- stdout`"
    stdout, _, stderr = body[len("--- stdout\n"):].partition("--- stderr\n")
    return command[len("$ nnspec "):], code, stdout, stderr


def run(binary, args, directory, stdin_path=None):
    stdin = open(os.path.join(directory, stdin_path), "rb") if stdin_path else subprocess.DEVNULL
    env = dict(os.environ, NO_COLOR="1")
    result = subprocess.run([binary] + args, cwd=directory, stdin=stdin, capture_output=True, env=env, timeout=60)
    return result.returncode, result.stdout.decode("utf-8", "replace"), result.stderr.decode("utf-8", "replace")


def main():
    update = "--update" in sys.argv
    binary, expected_path = [a for a in sys.argv[1:] if a != "--update"]
    binary = os.path.abspath(binary)
    directory = os.path.dirname(os.path.abspath(expected_path))
    stem = os.path.basename(expected_path)[: -len(".expected")]
    inputs = [f for f in os.listdir(directory) if f.startswith(stem + ".") and not f.endswith(".expected")]
    input_name = inputs[0] if inputs else ""
    with open(expected_path, encoding="utf-8") as f:
        arg_text, code, stdout, stderr = parse_expected(f.read())
    command_line = arg_text
    stdin_path = None
    if "< {input}" in arg_text:
        arg_text = arg_text.replace("< {input}", "").strip()
        stdin_path = input_name
    args = [a.replace("{input}", input_name) for a in arg_text.split()]
    got_code, got_stdout, got_stderr = run(binary, args, directory, stdin_path)
    if got_code < 0:
        print(f"FAIL: killed by signal {-got_code}")
        return 1
    if update:
        with open(expected_path, "w", encoding="utf-8") as f:
            f.write(f"$ nnspec {command_line}\n"
                    f"exit {got_code}\n--- stdout\n{got_stdout}--- stderr\n{got_stderr}")
        return 0
    ok = True
    for what, want, got in (("exit code", code, got_code), ("stdout", stdout, got_stdout), ("stderr", stderr, got_stderr)):
        if want != got:
            ok = False
            print(f"FAIL: {what} differs\n--- expected\n{want}\n--- got\n{got}")
    print("ok" if ok else "")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
