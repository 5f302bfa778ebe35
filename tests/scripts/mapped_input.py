#!/usr/bin/env python3
"""Files large enough to be mapped rather than read (file_text.hpp) say exactly what the
same bytes say on standard input, which is always read: at the sizes around a whole
number of pages (a file of whole pages is read, one a byte longer is mapped), with a byte
order mark, and with the error in the very last byte, where a reader that looked past the
text would see whatever follows it. Then the SIGBUS that a truncated mapping raises is an
I/O error with exit code 2, not a crash.

usage: mapped_input.py NNSPEC
"""
import os
import signal
import subprocess
import sys
import tempfile
import time

PAGE = os.sysconf("SC_PAGESIZE")


def run(binary, args, stdin=None):
    p = subprocess.run([binary, *args], input=stdin, capture_output=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def spec_of(size, last):
    """Exactly `size` bytes: clean layers, a comment to pad, then `last`."""
    filler = "dense 16 -> 16 nobias\n"
    n = (size - len(last)) // len(filler)
    text = filler * n
    pad = size - len(last) - len(text)
    if pad:
        text += "#" * (pad - 1) + "\n" if pad > 1 else "\n"
    text += last
    assert len(text.encode()) == size, (len(text.encode()), size)
    return text.encode()


def main():
    binary = sys.argv[1]
    problems = []
    cases = []
    for pages in (16, 17):
        for delta in (-1, 0, 1):
            size = pages * PAGE + delta
            cases.append((f"clean-{size}", spec_of(size, "dense 16 -> 8 bias\n")))
            cases.append((f"error-at-end-{size}", spec_of(size, "dense 16 -> x")))  # no line end after `x`
            cases.append((f"unclosed-{size}", spec_of(size, "repeat 2 {")))
    cases.append(("bom", b"\xef\xbb\xbf" + spec_of(20 * PAGE + 5, "dense 16 -> 4\n")))
    with tempfile.TemporaryDirectory() as tmp:
        for name, data in cases:
            path = os.path.join(tmp, name + ".nn")
            with open(path, "wb") as f:
                f.write(data)
            for command in (["count"], ["check"], ["count", "--reference"]):
                mapped = run(binary, [*command, path])
                read = run(binary, [*command, "--input-format", "nn", "-"], stdin=data)
                # the same report, but for the name of the file
                read = (read[0], read[1], read[2].replace(b"<stdin>", path.encode()))
                if mapped != read:
                    problems.append(f"{name}: `{' '.join(command)}` says {mapped!r:.400}\n    on standard input {read!r:.400}")
            if name.startswith("clean") and run(binary, ["count", path])[0] != 0:
                problems.append(f"{name}: a clean spec does not count")
            if name.startswith("error") and run(binary, ["check", path])[0] != 1:
                problems.append(f"{name}: an error is not reported")

        # SIGBUS: nnspec blocks on opening a FIFO; once our side is open, its handlers are
        # set (main set them before any file), and the signal it gets is what a truncated
        # mapping would raise.
        fifo = os.path.join(tmp, "fifo.nn")
        os.mkfifo(fifo)
        p = subprocess.Popen([binary, "count", fifo], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        writer = os.open(fifo, os.O_WRONLY)
        time.sleep(0.2)
        p.send_signal(signal.SIGBUS)
        out, err = p.communicate(timeout=60)
        os.close(writer)
        if p.returncode != 2 or b"error[E0901]: an input file was truncated while nnspec read it" not in err:
            problems.append(f"SIGBUS: exit {p.returncode}, stderr {err!r}")

    for problem in problems:
        print(problem)
    print(f"{len(cases)} files, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
