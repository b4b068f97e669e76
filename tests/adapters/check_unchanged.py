"""Checks that linking an adapter changes nothing outside recording: the same tests
built with and without it print the same output (timings and the program's own
name aside) and exit with the same status.

  check_unchanged.py --with BINARY --without BINARY --passing ARG
"""
import argparse
import os
import re
import subprocess

from markerlib import expect, main_wrapper

TIMINGS = re.compile(r"\(\d+ ms( total)?\)")


def run(binary, extra):
    proc = subprocess.run([binary, *extra], capture_output=True, text=True,
                          errors="replace", timeout=60)
    name = os.path.basename(binary)

    def normal(text):
        return TIMINGS.sub("(N ms)", text.replace(name, "PROGRAM"))
    return proc.returncode, normal(proc.stdout), normal(proc.stderr)


def first_difference(a, b):
    for n, (x, y) in enumerate(zip(a.splitlines(), b.splitlines()), 1):
        if x != y:
            return f"line {n}:\n  with:    {x!r}\n  without: {y!r}"
    return f"line counts differ ({len(a.splitlines())} vs {len(b.splitlines())})"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--with", dest="with_adapter", required=True)
    parser.add_argument("--without", required=True)
    parser.add_argument("--passing", required=True,
                        help="a command-line argument that selects only passing tests")
    args = parser.parse_args()
    # The whole run includes failures (markers on the failure path) and, for gtest,
    # a skip and an errno-sensitive check; the second run has no failures at all.
    for extra in ([], [args.passing]):
        code_with, out_with, err_with = run(args.with_adapter, extra)
        code_without, out_without, err_without = run(args.without, extra)
        label = " ".join(extra) or "all tests"
        expect(code_with == code_without,
               f"{label}: exit status {code_with} with the adapter, {code_without} without")
        expect(out_with == out_without,
               f"{label}: stdout differs, {first_difference(out_with, out_without)}")
        expect(err_with == err_without,
               f"{label}: stderr differs, {first_difference(err_with, err_without)}")
        expect(out_with.strip(), f"{label}: no output at all; the comparison proves nothing")
        print(f"{label}: identical, exit status {code_with}")


if __name__ == "__main__":
    main_wrapper(main)
