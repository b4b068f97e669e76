"""Shared by the workflow.* tests: they drive the real rr-test-runner the way a user
hunting a flaky test does, and check what a user would rely on afterwards (the exit
status, the report, the kept traces, the replays).

Every script is started by ctest as
  SCRIPT --runner R --gtest G [--catch2 C] --programs DIR --source-dir SRC
         --cmake CMAKE --ctest CTEST --xmllint XMLLINT [--example gtest|catch2]
         [unittest arguments...]
"""
import argparse
import ctypes
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import unittest
from dataclasses import dataclass
from pathlib import Path

PREFIX = "rr-test-runner: "
MARKER_STARTED, MARKER_ASSERTION_FAILED, MARKER_ENDED = 1, 2, 3
# Not a speed check (every command here takes seconds): a hung command fails its own
# test case, with its command line, before ctest's TIMEOUT kills the whole script.
HANG_GUARD_S = 180
# ctest reads this status as "skipped" (SKIP_RETURN_CODE), so a check that could not
# run on this host never shows up as passed.
SKIPPED_STATUS = 77

_parser = argparse.ArgumentParser(add_help=False)
for _name in ("runner", "gtest", "catch2", "programs", "source-dir", "cmake", "ctest", "xmllint", "example"):
    _parser.add_argument(f"--{_name}", default="")
ARGS, UNITTEST_ARGS = _parser.parse_known_args()
RUNNER = ARGS.runner
SOURCE_DIR = Path(ARGS.source_dir)

# A tracee its recorder failed to kill is reparented to the nearest subreaper; being
# one makes such a leftover show up as a child of this process.
_PR_SET_CHILD_SUBREAPER = 36
ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


@dataclass
class Result:
    argv: list
    status: int  # as a shell reports it: 128+N when killed by signal N
    out: bytes
    err: bytes

    @property
    def text(self):
        return self.out.decode(errors="replace")

    @property
    def err_text(self):
        return self.err.decode(errors="replace")

    @property
    def err_lines(self):
        return self.err_text.splitlines()

    def describe(self):
        return (f"$ {' '.join(map(str, self.argv))}\nstatus {self.status}\n"
                f"stderr (tail):\n{self.err_text[-3000:]}")


def run(argv, *, cwd=None, env=None, extra_env=None, shell=False):
    if extra_env is not None:
        env = dict(env if env is not None else os.environ, **extra_env)
    argv = argv if shell else [str(a) for a in argv]
    proc = subprocess.Popen(argv, cwd=cwd, env=env, shell=shell, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=HANG_GUARD_S)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise AssertionError(f"hung for {HANG_GUARD_S} s: {argv}")
    status = 128 - proc.returncode if proc.returncode < 0 else proc.returncode
    return Result([argv] if shell else argv, status, out, err)


def runner(*args, **kw):
    return run([RUNNER, *args], **kw)


def replay(trace, *flags, **kw):
    return run([RUNNER, "replay", *flags, trace], **kw)


def goto_failure(trace):
    """--goto-failure without gdb: replays to the first failed-assertion marker and
    names it on stderr."""
    return replay(trace, "--autopilot", "--goto-failure")


def load_report(path):
    with open(path, encoding="utf-8") as f:
        report = json.load(f)
    if report.get("schema_version") != 1:
        raise AssertionError(f"{path}: schema_version is {report.get('schema_version')!r}, expected 1")
    return report


def markers(trace):
    """(event index, kind, payload) of every test marker in a trace, read with `dump`."""
    r = runner("dump", trace)
    if r.status != 0:
        raise AssertionError(f"dump failed:\n{r.describe()}")
    found = []
    for line in r.text.splitlines():
        event = json.loads(line)
        if event.get("kind") == "marker":
            found.append((event["event"], event["marker"], event["payload"]))
    return found


def trace_meta(trace):
    with open(Path(trace) / "meta.json", encoding="utf-8") as f:
        return json.load(f)


def recorded_output(trace):
    """The program's output as the recording saw it: the run's log minus the lines the
    recorder itself added to it."""
    with open(Path(trace) / "output.log", "rb") as f:
        lines = f.read().splitlines(keepends=True)
    return b"".join(line for line in lines if not line.startswith(PREFIX.encode()))


def source_line(relpath, needle):
    """1-based line of the one line of a source file that contains needle."""
    path = SOURCE_DIR / relpath
    with open(path, encoding="utf-8") as f:
        hits = [n for n, line in enumerate(f, 1) if needle in line]
    if len(hits) != 1:
        raise AssertionError(f"{path}: expected one line containing {needle!r}, found {hits}")
    return hits[0]


def same_source(reported, relpath):
    """Whether a file name from a report or a marker names SOURCE_DIR/relpath: compilers
    write __FILE__ as given, so absolute and relative spellings both occur."""
    if os.path.isabs(reported):
        return os.path.exists(reported) and os.path.samefile(reported, SOURCE_DIR / relpath)
    return os.path.normpath(reported).endswith(os.path.normpath(relpath))


def visible_entries(directory):
    return sorted(n for n in os.listdir(directory) if not n.startswith("."))


def hidden_entries(directory):
    return sorted(n for n in os.listdir(directory) if n.startswith("."))


def kept_traces(report):
    return sorted(os.path.basename(f["trace"]) for f in report["failures"] if f["trace"])


@dataclass
class Example:
    """One of the flaky programs in examples/ and what its failure looks like."""
    program: str
    source: str  # relative to the source tree
    assertion: str  # text of the failing assertion's line
    test: str
    tests: tuple  # every test case the program has
    message: str  # in the failure message of every failing run
    forced_failure: str  # RRTR_EXAMPLE_TICKET value that makes every run fail

    @property
    def line(self):
        return source_line(self.source, self.assertion)


GTEST = Example(ARGS.gtest, "examples/flaky_gtest/flaky_test.cc", "EXPECT_EQ(inv.pears, 10)",
                "FlakyTest.SometimesCorrupts",
                ("Arithmetic.AddsSmallNumbers", "Arithmetic.MultipliesSmallNumbers",
                 "FlakyTest.SometimesCorrupts", "Strings.ConcatenatesWords"),
                "ticket 13", "13")
CATCH2 = Example(ARGS.catch2, "examples/flaky_catch2/flaky_test.cc", "CHECK(book.sum() == 18)",
                 "flaky: running sum survives the audit",
                 ("arithmetic adds small numbers", "flaky: running sum survives the audit",
                  "strings concatenate"),
                 "draw 7", "7")


def _dying(pid):
    """Whether SIGKILL is already pending for pid: killed, just not gone yet (a tracee
    whose recorder has just been killed takes a moment to exit)."""
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as f:
            pending = [int(line.split()[1], 16) for line in f if line.startswith(("SigPnd:", "ShdPnd:"))]
    except OSError:
        return True
    return any(mask & (1 << (signal.SIGKILL - 1)) for mask in pending)


def children_of_self():
    me = str(os.getpid())
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if fields[1] == me:
            found.append((int(entry), fields[0], stat[stat.index("(") + 1:stat.rindex(")")]))
    return found


class WorkflowCase(unittest.TestCase):
    """A test case with its own temporary directory, failing if it leaves processes."""

    maxDiff = None

    def setUp(self):
        name = self.id().rsplit(".", 1)[-1]
        self.tmp = Path(tempfile.mkdtemp(prefix=f"rrtr-workflow-{name}-"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)

    def tearDown(self):
        left = [(pid, "dying" if _dying(pid) else state, name) for pid, state, name in children_of_self()]
        for pid, _, _ in left:
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        # A zombie is already dead and a dying process is on its way; only a process
        # still running on its own (a hung test the runner failed to kill) is a leak.
        alive = [p for p in left if p[1] not in ("Z", "dying")]
        self.assertEqual(alive, [], "processes outlived the test case (pid, state, name)")

    def assert_status(self, result, expected):
        self.assertEqual(result.status, expected, result.describe())

    def assert_one_error_line(self, result, *words):
        lines = result.err_lines
        self.assertEqual(len(lines), 1, f"expected one stderr line:\n{result.describe()}")
        self.assertTrue(lines[0].startswith(PREFIX), lines[0])
        for word in words:
            self.assertIn(str(word), lines[0])
        return lines[0]

    def assert_runs_add_up(self, report, could_not_record=0):
        runs = report["runs"]
        self.assertEqual(runs["could_not_record"], could_not_record, runs)
        self.assertEqual(runs["attempted"], runs["passed"] + runs["failed"] + could_not_record, runs)

    def assert_only_failing_traces_kept(self, traces_dir, report, also=("report.json",)):
        """The traces directory holds the failing runs' traces and nothing else: every
        passing run's trace and every per-run log is gone. The hidden .blobs store is
        shared by the traces (they hard-link into it) and may stay."""
        self.assertEqual(visible_entries(traces_dir), sorted([*kept_traces(report), *also]),
                         f"entries of {traces_dir} vs the report's failures")
        self.assertEqual([h for h in hidden_entries(traces_dir) if h != ".blobs"], [],
                         f"leftover hidden files in {traces_dir}")
        for f in report["failures"]:
            self.assertTrue(os.path.samefile(os.path.dirname(f["trace"]), traces_dir), f["trace"])

    def assert_example_failure(self, ex, failure):
        """A failing run of an example program, as the report describes it."""
        self.assertEqual(failure["exit_status"], 1, failure)
        self.assertIsNone(failure["signal"], failure)
        self.assertFalse(failure["timed_out"], failure)
        self.assertEqual([t["name"] for t in failure["failed_tests"]], [ex.test], failure)
        blamed = failure["failed_tests"][0]
        self.assertTrue(same_source(blamed["file"], ex.source), f"{blamed['file']} is not {ex.source}")
        self.assertEqual(blamed["line"], ex.line, "line of the failing assertion")
        self.assertIn(ex.message, blamed["message"])

    def assert_replays_failure(self, ex, trace, *, times=1, command=None):
        """Replays a kept trace to its end `times` times: every replay must show the
        recorded failure, byte for byte, with the recorded status. Returns the result."""
        first = None
        for i in range(times):
            r = run(command, shell=True) if command else replay(trace, "--autopilot")
            if first is None:
                first = r
                self.assertEqual(r.status, 1, r.describe())
                self.assertIn(ex.message.encode(), r.out)
            else:
                self.assertEqual((r.status, r.out, r.err), (first.status, first.out, first.err),
                                 f"replay {i + 1} of {trace} differs from the first")
        return first

    def goto_failure_line(self, result):
        lines = [line for line in result.err_lines if line.startswith(PREFIX + "stopped at event ")]
        self.assertEqual(len(lines), 1, f"expected one 'stopped at event' line:\n{result.describe()}")
        return lines[0]

    def assert_stops_at_failure(self, ex, result, trace):
        """--autopilot --goto-failure stops at the failed-assertion marker the recording
        holds and names the test and its file:line."""
        self.assertEqual(result.status, 0, result.describe())
        line = self.goto_failure_line(result)
        m = re.match(r"rr-test-runner: stopped at event (\d+): (.*) failed at (.*):(\d+): (.*)$", line)
        self.assertIsNotNone(m, line)
        self.assertEqual(m.group(2), ex.test, line)
        self.assertTrue(same_source(m.group(3), ex.source), line)
        self.assertEqual(int(m.group(4)), ex.line, line)
        failed = [event for event, kind, _ in markers(trace) if kind == MARKER_ASSERTION_FAILED]
        self.assertEqual(int(m.group(1)), failed[0], "the stop is not the first failed-assertion marker")
        return line

    def assert_gdb_stops_at_failure(self, ex, goto_failure_command):
        """The report's goto-failure command as a user runs it, with gdb in batch mode
        printing a backtrace: gdb must be stopped inside the failing assertion's line."""
        if not shutil.which("gdb"):
            print("note: gdb not in PATH; the report's goto-failure command was not run under gdb")
            return
        r = run(goto_failure_command + " -- -batch -ex bt -ex 'info sharedlibrary'", shell=True)
        self.assertEqual(r.status, 0, r.describe())
        # gdb asks for each library by ld.so's name for it (libstdc++.so.6), which the
        # start-up's snapshot must know besides the file's own (libstdc++.so.6.0.30).
        self.assertNotIn("Error while mapping shared library sections", r.text, r.describe())
        libraries = [line for line in r.text.splitlines() if re.match(r"0x[0-9a-f]+ +0x[0-9a-f]+ ", line)]
        self.assertTrue(any("libstdc++.so.6" in line for line in libraries), r.describe())
        for line in libraries:
            self.assertRegex(line, r"^0x[0-9a-f]+ +0x[0-9a-f]+ +Yes", f"symbols not read: {line}")
        where = f"{ex.test} failed at "
        stops = [line for line in r.err_lines if line.startswith(PREFIX + "stopped at the failure: " + where)]
        self.assertEqual(len(stops), 1, r.describe())
        file_line = re.match(r"(.*?):(\d+): ", stops[0].split(where, 1)[1])
        self.assertIsNotNone(file_line, stops[0])
        self.assertTrue(same_source(file_line.group(1), ex.source), stops[0])
        self.assertEqual(int(file_line.group(2)), ex.line, stops[0])
        frames = [line for line in r.text.splitlines() if re.match(r"#\d+ ", line)]
        self.assertTrue(any(line.endswith(f"{file_line.group(1)}:{ex.line}") for line in frames),
                        "no frame of gdb's backtrace is at the failing assertion:\n" + "\n".join(frames))


def main():
    """unittest's main, except that a script whose every test case skipped exits with
    SKIPPED_STATUS."""
    program = unittest.main(argv=[sys.argv[0], *UNITTEST_ARGS], verbosity=2, exit=False)
    result = program.result
    if not result.wasSuccessful():
        sys.exit(1)
    if result.testsRun and len(result.skipped) == result.testsRun:
        sys.exit(SKIPPED_STATUS)
    sys.exit(0)
