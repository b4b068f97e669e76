"""Shared by the end-to-end test scripts: how they run rr-test-runner, how they read its
errors, and the check that no process outlives a test case.

Every script is started by ctest as  SCRIPT RUNNER PROGRAMS_DIR [EXTRA...]."""
import ctypes
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
from dataclasses import dataclass
from pathlib import Path

# A hung engine must fail the test, not stall ctest until its own timeout.
TIMEOUT_S = 30
PREFIX = "rr-test-runner: "

RUNNER = Path(sys.argv[1]) if len(sys.argv) > 1 else None
PROGRAMS = Path(sys.argv[2]) if len(sys.argv) > 2 else None
EXTRA = sys.argv[3:]

# A tracee that its recorder fails to reap is reparented to the nearest subreaper:
# being one, this process sees such leftovers as its own children.
_PR_SET_CHILD_SUBREAPER = 36
ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)

# Sanitizer reports must fail the test loudly: no recovery, no silenced leaks.
os.environ.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0")
os.environ.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")


def program(name):
    return str(PROGRAMS / name)


def _no_core_dumps():
    # Crash tests must not litter the host with core files (or wait on apport).
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def shell_status(returncode):
    return 128 - returncode if returncode < 0 else returncode


@dataclass
class Result:
    status: int  # as a shell reports it: 128+N when killed by signal N
    out: bytes
    err: bytes
    killed_by_signal: bool

    @property
    def err_lines(self):
        return self.err.decode(errors="replace").splitlines()


def run(args, *, input=None, stdin=None, cwd=None, env=None, preexec=None, timeout=TIMEOUT_S):
    def child_setup():
        _no_core_dumps()
        if preexec:
            preexec()

    proc = subprocess.Popen([a if isinstance(a, bytes) else str(a) for a in args], stdin=subprocess.PIPE if input is not None else stdin,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd, env=env,
                            preexec_fn=child_setup, start_new_session=True)
    try:
        out, err = proc.communicate(input=input, timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise AssertionError(f"timed out after {timeout} s: {' '.join(map(str, args))}")
    return Result(shell_status(proc.returncode), out, err, proc.returncode < 0)


def record(trace, *command, **kw):
    return run([RUNNER, "record", "-o", trace, "--", *command], **kw)


def replay(trace, *options, **kw):
    return run([RUNNER, "replay", "-a", *options, trace], **kw)


def dump(trace, **kw):
    return run([RUNNER, "dump", trace], **kw)


def native(*command, **kw):
    return run(command, **kw)


def wait_until_in_syscall(pid, numbers, timeout=TIMEOUT_S):
    """Waits until process `pid` is inside one of the syscalls `numbers` (x86_64
    numbers), which proves the syscalls before it have returned."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        fields = Path(f"/proc/{pid}/syscall").read_text().split()
        if fields and fields[0].lstrip("-").isdigit() and int(fields[0]) in numbers:
            return
        time.sleep(0.005)
    raise AssertionError(f"process {pid} did not enter syscall {numbers} within {timeout} s")


def children_of_self():
    """(pid, state, command) of every live or zombie child of this process."""
    me = os.getpid()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[1]) == me:
            found.append((int(entry.name), fields[0], stat[stat.index("(") + 1:stat.rindex(")")]))
    return found


def reap_leftovers():
    left = children_of_self()
    for pid, _, _ in left:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
    return left


class E2ETestCase(unittest.TestCase):
    """A test case with its own temporary directory that fails if it leaves processes."""

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix=f"e2e-{self.id().split('.')[-1]}-"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)

    def tearDown(self):
        left = reap_leftovers()
        self.assertEqual(left, [], "processes outlived the test case (pid, state, name)")

    def assert_one_error_line(self, result, *, contains=()):
        """The engine's error contract: exactly one stderr line, with the tool's prefix."""
        lines = result.err_lines
        self.assertEqual(len(lines), 1, f"expected one stderr line, got {lines!r}")
        self.assertTrue(lines[0].startswith(PREFIX), lines[0])
        for word in contains:
            self.assertIn(word, lines[0])
        return lines[0]

    def assert_status(self, result, expected):
        self.assertEqual(result.status, expected,
                         f"status {result.status}, stderr: {result.err.decode(errors='replace')[-2000:]}")


def main():
    unittest.main(argv=sys.argv[:1], verbosity=2)
