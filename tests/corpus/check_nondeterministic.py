#!/usr/bin/env python3
"""Fails unless every corpus program's output differs between two native runs.

Without this, a record/replay check could pass because the program prints the
same bytes every time, whatever the engine does.
"""

import argparse
import os
import re
import shutil
import sys
from pathlib import Path

# Keep __pycache__ out of the source tree.
sys.dont_write_bytecode = True
from corpus_run import TMP_PREFIX, run

# Programs must finish well under a second; a hard limit well above that keeps
# a hung program from stalling the whole check.
HARD_LIMIT_S = 5.0
SLOW_S = 1.0
EXPECT = re.compile(r"^// expect-status: (\d+)$", re.MULTILINE)


def expected_status(sources, name):
    """A program declares a nonzero status in its source; the default is 0."""
    for ext in (".c", ".cpp"):
        src = sources / (name + ext)
        if src.exists():
            found = EXPECT.search(src.read_text())
            return int(found.group(1)) if found else 0
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scratch", required=True, type=Path)
    parser.add_argument("--sources", required=True, type=Path)
    # Programs run in a scratch directory, so relative paths must be resolved first.
    parser.add_argument("programs", nargs="+", type=lambda p: Path(p).resolve())
    args = parser.parse_args()

    shutil.rmtree(args.scratch, ignore_errors=True)
    work, tmp = args.scratch / "work", args.scratch / "tmp"
    work.mkdir(parents=True)
    tmp.mkdir()
    env = dict(os.environ, TMPDIR=str(tmp))

    same, differ, problems = [], 0, []
    for prog in args.programs:
        if not os.access(prog, os.X_OK):
            problems.append(f"{prog.name}: not built")
            continue
        first = run([str(prog)], work, env, HARD_LIMIT_S)
        second = run([str(prog)], work, env, HARD_LIMIT_S)
        for o in (first, second):
            if o.timed_out:
                problems.append(f"{prog.name}: killed after {HARD_LIMIT_S}s")
            elif o.seconds > SLOW_S:
                print(f"warning: {prog.name} took {o.seconds:.2f}s")
        leftovers = sorted(p.name for d in (work, tmp) for p in d.iterdir())
        if leftovers:
            problems.append(f"{prog.name}: left behind {', '.join(leftovers)}")
            for d in (work, tmp):
                shutil.rmtree(d)
                d.mkdir()
        want = expected_status(args.sources, prog.name)
        if want is None:
            problems.append(f"{prog.name}: no source in {args.sources}")
        elif first.status != want:
            problems.append(f"{prog.name}: exit status {first.status}, source says {want}")
        if first.status != second.status:
            # record_replay.py compares the recorded status to a native one.
            problems.append(f"{prog.name}: exit status not stable "
                            f"({first.status} vs {second.status})")
        if (first.stdout, first.stderr, first.status) == \
                (second.stdout, second.stderr, second.status):
            same.append(prog.name)
        else:
            differ += 1
            print(f"differs: {prog.name} (status {first.status})")

    stray = sorted(p.name for p in Path("/tmp").glob(TMP_PREFIX + "*"))
    if stray:
        print(f"note: /tmp holds {len(stray)} {TMP_PREFIX}* entries from elsewhere")

    print(f"{differ}/{len(args.programs)} programs differ between two native runs")
    for name in same:
        print(f"SAME OUTPUT TWICE: {name}")
    for p in problems:
        print(f"PROBLEM: {p}")
    return 1 if same or problems else 0


if __name__ == "__main__":
    sys.exit(main())
