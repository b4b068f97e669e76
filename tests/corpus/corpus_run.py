"""Running a corpus program (or the engine around one) and comparing outcomes."""

import difflib
import os
import resource
import signal
import subprocess
import time
from dataclasses import dataclass

TMP_PREFIX = "rrtr-corpus-"


@dataclass
class Outcome:
    stdout: bytes
    stderr: bytes
    status: int  # shell convention: death by signal N is 128 + N
    seconds: float
    timed_out: bool = False


def shell_status(returncode):
    # A recorder may report a signal death either by dying of the same signal
    # (Popen gives -N) or by exiting with 128 + N; a shell sees both as 128 + N.
    return 128 - returncode if returncode < 0 else returncode


def _no_core_dumps():
    # The default core_pattern writes "core" into the working directory, which
    # would litter the tree and look like a file the replay created.
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def run(argv, cwd, env, timeout):
    """Runs argv in its own process group so that a hang kills the whole tree."""
    start = time.monotonic()
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True, preexec_fn=_no_core_dumps)
    try:
        out, err = proc.communicate(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        timed_out = True
    return Outcome(out, err, shell_status(proc.returncode),
                   time.monotonic() - start, timed_out)


def _clip(line, width=200):
    return line if len(line) <= width else line[:width] + "...\n"


def short_diff(expected, actual, label_a, label_b, limit=40):
    lines = list(difflib.unified_diff(
        expected.decode(errors="replace").splitlines(keepends=True),
        actual.decode(errors="replace").splitlines(keepends=True),
        label_a, label_b))
    text = "".join(_clip(line) for line in lines[:limit])
    if len(lines) > limit:
        text += f"... ({len(lines) - limit} more diff lines)\n"
    return text
