"""Helpers shared by the adapter checks: run a program under marker_tap, locate
"// MARK:<id>" lines, and fail with a readable message."""
import json
import os
import re
import subprocess
import sys

KIND_NAMES = {1: "TEST_STARTED", 2: "ASSERTION_FAILED", 3: "TEST_ENDED"}
ENOSYS = 38


class CheckFailed(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise CheckFailed(message)


def mark_line(source, mark):
    """Line number (1-based) of the line ending in the given marker comment."""
    with open(source, encoding="utf-8") as f:
        hits = [n for n, line in enumerate(f, 1) if line.rstrip().endswith(mark)]
    expect(len(hits) == 1, f"{source}: expected one line ending in {mark!r}, found {hits}")
    return hits[0]


def run_tapped(tap, workdir, argv, env_extra=None, name="run"):
    """Runs argv under marker_tap; returns (exit code, stdout, markers) where each
    marker is a dict with kind, len, ret and the decoded payload."""
    out = os.path.join(workdir, f"{name}.jsonl")
    env = dict(os.environ, **(env_extra or {}))
    proc = subprocess.run([tap, out, "--", *argv], env=env, capture_output=True, text=True, errors="replace",
                          timeout=60)
    markers = []
    with open(out, encoding="utf-8") as f:
        for line in f:
            raw = json.loads(line)
            try:
                raw["json"] = json.loads(raw["payload"])
            except json.JSONDecodeError as err:
                raise CheckFailed(f"{name}: payload is not JSON ({err}): {raw['payload'][:200]!r}")
            expect(raw["len"] == len(raw["payload"].encode("utf-8")),
                   f"{name}: length argument {raw['len']} does not match the payload")
            expect(raw["ret"] == -ENOSYS,
                   f"{name}: marker syscall returned {raw['ret']}, expected -ENOSYS natively")
            markers.append(raw)
    return proc.returncode, proc.stdout, markers


def describe(markers):
    return "\n".join(f"  {KIND_NAMES.get(m['kind'], m['kind'])} {m['payload'][:300]}"
                     for m in markers)


def strace_markers(strace, workdir, argv):
    """(kind, len) of each marker syscall as strace 6.x reports it. strace cannot
    filter on an unassigned number nor show the payload, so it traces everything
    and only the first and third arguments are compared."""
    out = os.path.join(workdir, "strace.txt")
    subprocess.run([strace, "-f", "-qq", "-e", "signal=none", "-o", out, *argv],
                   capture_output=True, check=False, timeout=60)
    pattern = re.compile(r"syscall_0x7272\((\w+), (\w+), (\w+)")
    found = []
    with open(out, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = pattern.search(line)
            if m:
                expect("ENOSYS" in line, f"strace: marker did not fail with ENOSYS: {line}")
                found.append((int(m.group(1), 0), int(m.group(3), 0)))
    return found


def main_wrapper(body):
    try:
        body()
    except CheckFailed as err:
        print(f"FAIL: {err}", file=sys.stderr)
        sys.exit(1)
    print("all checks passed")
