#!/usr/bin/env python3
"""Runs every case of tests/malformed/MANIFEST through the nnspec binary.

Each case must end with the exit code the manifest gives (1 or 2; a signal is always a
failure), report the given error code first, and point at the given position (`L:C`) or at
none (`-`, for inputs that have no position: a directory, a missing file). Every case runs
twice, with JSON diagnostics (which are checked) and with the human renderer (which must
agree on the exit code and show the same `file:L:C`).

    malformed.py NNSPEC [--stack KIB] [--only SUBSTRING] [--shard I/N]

--stack runs each case with that stack limit (like `ulimit -s`); cases marked `fast` must
then also finish within a second. --shard runs every Nth case from the Ith (1-based), so
that N shards run side by side cover the corpus once (the sanitizer build, where each
case is several times slower, splits it). Big inputs (`gen:NAME`) are made at run time in
a temporary directory rather than committed; see GENERATORS.
"""
import json
import os
import resource
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(os.path.dirname(HERE), "malformed")
CASES = os.path.join(ROOT, "cases")
MB = 1 << 20
MILLION = 1_000_000


def ten_mb_line(unit, tail):
    return unit * ((10 * MB) // len(unit)) + tail


# name -> the bytes of the input; the name's extension picks the front end
GENERATORS = {
    "parens_1m.nn": lambda: "let a = " + "(" * MILLION + "1" + ")" * MILLION + "\n",
    "parens_unclosed_1m.nn": lambda: "let a = " + "(" * MILLION,
    "braces_1m.nn": lambda: "residual {" * MILLION + "\n",
    "braces_newlines_1m.nn": lambda: "gate {\n" * MILLION,
    "branches_1m.nn": lambda: "concat { branch {" * (MILLION // 2),
    "negation_1m.nn": lambda: "let a = " + "-" * MILLION + "1\n",
    "operators_1m.nn": lambda: "let a = " + "+".join(["1"] * MILLION) + "\n",
    "products_1m.nn": lambda: "dense 4 -> " + "*".join(["1"] * MILLION) + "\n",
    "tuple_1m.nn": lambda: "input (" + ",".join(["1"] * MILLION) + ",)\n",
    "arrays_1m.json": lambda: "[" * MILLION + "]" * MILLION,
    "arrays_unclosed_1m.json": lambda: "[" * MILLION,
    "objects_1m.json": lambda: '{"a":' * MILLION,
    "mixed_1m.json": lambda: '[{"a":' * (MILLION // 2),
    "line_10mb.nn": lambda: ten_mb_line("dense 4 -> 4; ", "dense 4 -> @\n"),
    "line_10mb.json": lambda: "[" + ten_mb_line('{"type": "relu"}, ', '{"type": "relu" "name": "x"}]'),
    "line_10mb_errors.nn": lambda: ten_mb_line("nosuchkind; ", "\n"),
    "line_10mb_errors.json": lambda: "[" + ten_mb_line('{"type": "nosuchkind"}, ', '{"type": "relu"}]'),
    "lines_1m_crlf.nn": lambda: "relu\r\n" * MILLION + "dense 4 -> @\r\n",
    "identifier_10mb.nn": lambda: "a" * (10 * MB) + "\n",
    "identifier_10mb_at_end.nn": lambda: "relu\n" + "dense 4 -> 4 as " + "b" * (10 * MB) + "\n",
    "digits_10mb.nn": lambda: "dense " + "7" * (10 * MB) + " -> 2\n",
    "decimal_10mb.nn": lambda: "dropout p=0." + "1" * (10 * MB) + "\n@\n",
    "comment_10mb.nn": lambda: "# " + "c" * (10 * MB) + "\ndense 4 -> @\n",
    "import_path_10mb.nn": lambda: 'import "' + "p" * (10 * MB) + '"\n',
    "string_10mb.json": lambda: '[{"type": "' + "s" * (10 * MB) + '"}]',
    "key_10mb.json": lambda: '[{"' + "k" * (10 * MB) + '": 1}]',
    "number_10mb.json": lambda: '[{"type": "dense", "input_size": ' + "9" * (10 * MB) + ', "output_size": 1}]',
    "whitespace_10mb.json": lambda: " " * (10 * MB) + "[{]",
    "nul_10mb.nn": lambda: "\0" * (10 * MB),
    "too_large.nn": lambda: "relu\n" * 1000,
    "lets_100k_unused.nn": lambda: "".join(f"let a{i} = {i}\n" for i in range(100_000)) + "dense 4 -> @\n",
}


def special_input(kind, tmp):
    """Inputs that are not files with contents: (path, a note if the case cannot run here)."""
    if kind == "directory":
        return CASES, None
    if kind == "missing":
        return os.path.join(tmp, "no_such_file.nn"), None
    if kind == "not_a_directory":
        return os.path.join(CASES, "semantic", "unknown_kind.nn", "x.nn"), None
    if kind == "symlink_loop":
        path = os.path.join(tmp, "loop.nn")
        os.symlink(path, path)
        return path, None
    if kind == "dangling_symlink":
        path = os.path.join(tmp, "dangling.nn")
        os.symlink(os.path.join(tmp, "nowhere.nn"), path)
        return path, None
    if kind == "unreadable":
        path = os.path.join(tmp, "unreadable.nn")
        with open(path, "w") as f:
            f.write("relu\n")
        os.chmod(path, 0)
        if os.access(path, os.R_OK):  # root reads anything
            return path, "skipped: running as a user who can read a mode-000 file"
        return path, None
    if kind == "dev_zero":
        return "/dev/zero", None
    if kind == "name_too_long":
        return os.path.join(tmp, "n" * 5000 + ".nn"), None
    raise ValueError(f"unknown special input `{kind}`")


def parse_manifest():
    cases = []
    with open(os.path.join(ROOT, "MANIFEST"), encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
            if not line:
                continue
            fields = shlex.split(line)
            name, exit_code, code, position, *rest = fields
            fast = "fast" in rest
            rest = [r for r in rest if r != "fast"]
            cases.append({"line": number, "name": name, "exit": int(exit_code), "code": code,
                          "position": position, "fast": fast, "args": rest or ["check", "{}"]})
    return cases


def limit_stack(kib):
    def apply():
        if kib:
            resource.setrlimit(resource.RLIMIT_STACK, (kib * 1024, kib * 1024))
    return apply


def run(binary, args, stdin_path, kib, timeout):
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    env = dict(os.environ, NO_COLOR="1")
    start = time.monotonic()
    try:
        result = subprocess.run([binary] + args, stdin=stdin, capture_output=True, env=env, timeout=timeout,
                                preexec_fn=limit_stack(kib))
    finally:
        if stdin_path:
            stdin.close()
    return result, time.monotonic() - start


def check_case(binary, case, tmp, kib):
    name = case["name"]
    note = None
    if name.startswith("gen:"):
        generated = name[4:]
        path = os.path.join(tmp, generated)
        with open(path, "wb") as f:
            data = GENERATORS[generated]()
            f.write(data.encode("utf-8", "surrogateescape") if isinstance(data, str) else data)
    elif name.startswith("special:"):
        path, note = special_input(name[8:], tmp)
    else:
        path = os.path.join(CASES, name)
        if not os.path.exists(path):
            return f"no such case file {name}"
    if note:
        return note
    stdin_path = None
    args = []
    for a in case["args"]:
        if a == "<{}":
            stdin_path = path
        else:
            args.append(a.replace("{}", path))
    problems = []
    result, seconds = run(binary, ["--diagnostics", "json"] + args, stdin_path, kib, 60)
    if result.returncode < 0:
        return f"killed by signal {-result.returncode}"
    if result.returncode != case["exit"]:
        problems.append(f"exit {result.returncode}, expected {case['exit']}")
    diagnostics = []
    for line in result.stderr.decode("utf-8", "replace").splitlines():
        if line.startswith("{"):
            diagnostics.append(json.loads(line))
    errors = [d for d in diagnostics if d["severity"] == "error"]
    if not errors:
        problems.append("no error reported")
    else:
        first = errors[0]
        if first["code"] != case["code"]:
            problems.append(f"first error is {first['code']} ({first['message'][:200]}), expected {case['code']}")
        span = first["span"]
        got = "-" if span is None else f"{span['line']}:{span['column']}"
        if got != case["position"]:
            problems.append(f"position {got}, expected {case['position']}")
    if kib and case["fast"] and seconds > 1.0:
        problems.append(f"took {seconds:.2f} s, more than a second")
    human, _ = run(binary, ["--color", "never"] + args, stdin_path, kib, 60)
    if human.returncode < 0:
        problems.append(f"human rendering: killed by signal {-human.returncode}")
    elif human.returncode != result.returncode:
        problems.append(f"human rendering: exit {human.returncode}, not {result.returncode}")
    elif case["position"] != "-" and errors:
        location = f"{errors[0]['span']['file']}:{case['position']}:"
        if location.encode() not in human.stderr:
            problems.append(f"human rendering does not show {location}")
    return "; ".join(problems) if problems else None


def main():
    argv = sys.argv[1:]
    binary = os.path.abspath(argv.pop(0))
    kib = 0
    only = None
    shard, shards = 1, 1
    while argv:
        option = argv.pop(0)
        if option == "--stack":
            kib = int(argv.pop(0))
        elif option == "--only":
            only = argv.pop(0)
        elif option == "--shard":
            shard, shards = (int(n) for n in argv.pop(0).split("/"))
            if not 1 <= shard <= shards:
                raise SystemExit(f"--shard {shard}/{shards}: I must be from 1 to N")
        else:
            raise SystemExit(f"unknown option {option}")
    cases = parse_manifest()
    if only:
        cases = [c for c in cases if only in c["name"]]
    cases = cases[shard - 1::shards]
    passed = failed = skipped = 0
    tmp = tempfile.mkdtemp(prefix="nnspec-malformed-")
    try:
        for case in cases:
            case_tmp = tempfile.mkdtemp(dir=tmp)
            try:
                problem = check_case(binary, case, case_tmp, kib)
            except subprocess.TimeoutExpired:
                problem = "did not finish within 60 seconds"
            finally:
                shutil.rmtree(case_tmp, ignore_errors=True)
            if problem and problem.startswith("skipped"):
                skipped += 1
                print(f"skip {case['name']}: {problem}")
            elif problem:
                failed += 1
                print(f"FAIL {case['name']} (MANIFEST line {case['line']}): {problem}")
            else:
                passed += 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
