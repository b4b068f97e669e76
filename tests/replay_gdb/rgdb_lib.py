"""What the replay_gdb scenarios share: recording programs, driving real gdb in batch
mode against `rr-test-runner replay`, reading gdb's answers, and the check that no
process of a replay outlives it.

Each scenario script is run by ctest as
  SCRIPT --runner R --programs DIR --gtest FLAKY_GTEST --gdb GDB --source DIR SCENARIO
and runs the one scenario named last, so that ctest reports each on its own line."""
import argparse
import ctypes
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

# A hang must fail the scenario with the output so far, not stall ctest to its timeout.
TIMEOUT_S = 90

# Processes that lose their parent are handed to the nearest subreaper: being one, this
# script sees whatever a replay leaves behind as its own children.
_PR_SET_CHILD_SUBREAPER = 36
ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


class ScenarioFailure(AssertionError):
    pass


def check(condition, message, output=None):
    if not condition:
        if output is not None:
            message += "\n----- output -----\n" + (output if len(output) < 30000 else "..." + output[-30000:])
        raise ScenarioFailure(message)


@dataclass
class Args:
    runner: Path
    programs: Path
    gtest: Path
    gdb: Path
    source: Path
    scenario: str


def parse_args():
    p = argparse.ArgumentParser()
    for name in ("runner", "programs", "gtest", "gdb", "source"):
        p.add_argument("--" + name, type=Path, required=True)
    p.add_argument("scenario")
    a = p.parse_args()
    return Args(a.runner.resolve(), a.programs.resolve(), a.gtest.resolve(), a.gdb, a.source.resolve(), a.scenario)


def line_of(source, marker):
    """The line number of the unique line of SOURCE that carries MARKER."""
    hits = [n for n, text in enumerate(Path(source).read_text().splitlines(), 1) if marker in text]
    check(len(hits) == 1, f"{marker} marks {len(hits)} lines of {source}")
    return hits[0]


def no_core_dumps():
    # Aborting programs must not leave core files around (or wait on a crash handler).
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


@dataclass
class Result:
    status: int  # as a shell shows it: 128+N when killed by signal N
    out: str
    err: str
    session: int = 0

    @property
    def text(self):
        return self.out + ("\n----- stderr -----\n" + self.err if self.err else "")


def _status(returncode):
    return 128 - returncode if returncode < 0 else returncode


def clean_env(**extra):
    env = dict(os.environ)
    # No symbol server: the point is that gdb gets everything from the trace.
    env.pop("DEBUGINFOD_URLS", None)
    for k in ("RRTR_GDB_LOG", "RRTR_DEBUG_POSITIONS"):
        env.pop(k, None)
    env.update(extra)
    return env


def run(argv, *, env=None, timeout=TIMEOUT_S, cwd=None, merge=False):
    proc = subprocess.Popen([str(a) for a in argv], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT if merge else subprocess.PIPE, env=env or clean_env(),
                            cwd=cwd, preexec_fn=no_core_dumps, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        raise ScenarioFailure(f"timed out after {timeout} s: {' '.join(map(str, argv))}\n"
                              f"{out.decode(errors='replace')[-20000:]}\n{(err or b'').decode(errors='replace')[-5000:]}")
    return Result(_status(proc.returncode), out.decode(errors="replace"),
                  (err or b"").decode(errors="replace"), proc.pid)


# --------------------------------------------------------------------------- processes

def _proc_stat(pid):
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    tail = stat[stat.rindex(")") + 2:].split()
    # state, ppid, pgrp, session; the name is what is between the parentheses
    return {"pid": pid, "name": stat[stat.index("(") + 1:stat.rindex(")")], "state": tail[0],
            "ppid": int(tail[1]), "session": int(tail[3])}


def _exe(pid):
    try:
        return os.readlink(f"/proc/{pid}/exe")
    except OSError:
        return ""


def all_pids():
    return {int(e.name) for e in Path("/proc").iterdir() if e.name.isdigit()}


class ProcessWatch:
    """Finds processes that a replay left: those of the session each run started, the
    orphans that came to this subreaper, and any new process running one of the given
    executables (the scenario's own copies of programs). The runner's executable is not
    one of them: other tests may run it at the same time."""

    def __init__(self, *executables):
        self.executables = {str(Path(e).resolve()) for e in executables}
        self.before = all_pids()
        self.sessions = set()

    def add_session(self, sid):
        self.sessions.add(sid)

    def _offenders(self):
        me = os.getpid()
        found = []
        for pid in all_pids() - {me}:
            st = _proc_stat(pid)
            if st is None:
                continue
            exe = _exe(pid)
            ours = st["session"] in self.sessions or st["ppid"] == me
            known = pid not in self.before and exe.removesuffix(" (deleted)") in self.executables
            if ours or known:
                st["exe"] = exe
                found.append(st)
        return found

    def leftovers(self):
        """Live leftovers, after reaping what is already dead. SIGKILLed processes take
        a moment to go; that is waited for, and only what is still alive is returned."""
        deadline = time.monotonic() + 10
        while True:
            live = []
            for st in self._offenders():
                if st["state"] == "Z" and st["ppid"] == os.getpid():
                    try:
                        os.waitpid(st["pid"], os.WNOHANG)
                    except ChildProcessError:
                        pass
                    continue
                if st["state"] != "Z":
                    live.append(st)
            if not live or time.monotonic() > deadline:
                return live
            time.sleep(0.1)

    def assert_none_left(self, what):
        live = self.leftovers()
        for st in live:
            try:
                os.kill(st["pid"], signal.SIGKILL)
            except ProcessLookupError:
                pass
        check(not live, f"processes left after {what}: " +
              ", ".join(f"{s['pid']} {s['name']} state {s['state']} ppid {s['ppid']} exe {s['exe']}" for s in live))


# --------------------------------------------------------------------------- scenario

class Scenario:
    """A scenario's temporary directory and the runner invocations it makes."""

    def __init__(self, args):
        self.args = args
        self.tmp = Path(tempfile.mkdtemp(prefix=f"rgdb-{args.scenario}-"))
        self.watch = ProcessWatch()

    def cleanup(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def program(self, name):
        return self.args.programs / name

    def source(self, name):
        return self.args.source / "programs" / name

    def record(self, trace, command, *, expect_status=None):
        r = run([self.args.runner, "record", "-o", trace, "--", *command])
        self.watch.add_session(r.session)
        if expect_status is not None:
            check(r.status == expect_status,
                  f"recording {command[0]} exited {r.status}, expected {expect_status}", r.text)
        return r

    def gdb(self, trace, scripts, *, replay_options=(), env=None, timeout=TIMEOUT_S):
        """Runs SCRIPTS (GdbScripts, each its own -x file, so that a command that fails
        ends only its own file) in gdb -batch started by `replay`; gdb's output and the
        runner's messages come back merged, in order, as a Transcript."""
        files = []
        for script in scripts if isinstance(scripts, list) else [scripts]:
            path = self.tmp / f"cmds-{len(list(self.tmp.glob('cmds-*')))}.gdb"
            path.write_text(script.text())
            files += ["-x", path]
        # Separate debug files (libc6-dbg) would let step and bt go into libc on some
        # machines and not on others: gdb is pointed at an empty directory instead.
        no_debug = self.tmp / "no-debug-files"
        no_debug.mkdir(exist_ok=True)
        argv = [self.args.runner, "replay", *replay_options, trace, "--", "-nx", "-batch",
                "-iex", "set debuginfod enabled off", "-iex", f"set debug-file-directory {no_debug}", *files]
        r = run(argv, env=env, timeout=timeout, merge=True)
        self.watch.add_session(r.session)
        if os.environ.get("RGDB_SHOW"):  # to read a passing session too
            print(f"===== {' '.join(map(str, argv))}\n----- output\n{r.out}")
        return Transcript(r.out, r.status)


# --------------------------------------------------------------------------- gdb scripts

class GdbScript:
    """gdb commands, with probes: a probe prints a marker line and then runs commands,
    so that the Transcript can cut gdb's output into named sections."""

    def __init__(self, end="END"):
        self.end = end
        self.lines = ["set pagination off", "set width 0", "set height 0", "set confirm off",
                      "set print pretty off", "set style enabled off"]
        self.count = 0

    def cmd(self, *commands):
        self.lines.extend(commands)
        return self

    def probe(self, tag, *commands):
        self.lines.append(f'echo \\n@@ {tag}\\n')
        self.lines.extend(commands)
        self.count += 1
        return self

    def where(self, tag, *commands):
        """A probe that reports the pc and its source line, after COMMANDS."""
        return self.probe(tag, *commands, 'printf "PC %#lx\\n", $pc', "info line *$pc")

    def text(self):
        return "\n".join(self.lines + [f'echo \\n@@ {self.end}\\n']) + "\n"


_SECTION = re.compile(r"^@@ (.+)$", re.M)
_LINE = re.compile(r'Line (\d+) of "([^"]+)"')
_PC = re.compile(r"^PC (0x[0-9a-f]+)$", re.M)
# The function in `info line`'s "starts at address 0x... <main+63>"
_FUNC = re.compile(r"address 0x[0-9a-f]+ <([^+>]+)(?:\+\d+)?>")


@dataclass
class Where:
    pc: int
    line: int | None
    file: str | None
    function: str | None
    text: str

    def __str__(self):
        return f"{self.function} {self.file}:{self.line} pc {self.pc:#x}"

    @property
    def source_line(self):
        return (self.function, self.file, self.line)


@dataclass
class Transcript:
    out: str
    status: int
    sections: dict = field(default_factory=dict)
    order: list = field(default_factory=list)

    def __post_init__(self):
        marks = list(_SECTION.finditer(self.out))
        for i, m in enumerate(marks):
            end = marks[i + 1].start() if i + 1 < len(marks) else len(self.out)
            tag = m.group(1).strip()
            check(tag not in self.sections, f"probe {tag} appears twice", self.out)
            self.sections[tag] = self.out[m.end():end].strip("\n")
            self.order.append(tag)

    def completed(self):
        check("END" in self.sections, "the gdb script stopped before its end (a command failed)", self.out)
        return self

    def __getitem__(self, tag):
        check(tag in self.sections, f"gdb never reached probe {tag}", self.out)
        return self.sections[tag]

    def where(self, tag):
        text = self[tag]
        pc = _PC.search(text)
        check(pc is not None, f"no pc at probe {tag}", self.out)
        line = _LINE.search(text)
        func = _FUNC.search(text[pc.end():])
        return Where(int(pc.group(1), 16), int(line.group(1)) if line else None,
                     Path(line.group(2)).name if line else None, func.group(1) if func else None, text)

    def value(self, tag, index=0):
        """The value of the INDEX-th `p` in section TAG ($N = VALUE)."""
        values = re.findall(r"^\$\d+ = (.*)$", self[tag], re.M)
        check(len(values) > index, f"no printed value #{index} at probe {tag}", self.out)
        return values[index]

    def values(self, tag):
        return re.findall(r"^\$\d+ = (.*)$", self[tag], re.M)


# --------------------------------------------------------------------------- entry point

def main(scenarios):
    args = parse_args()
    fn = scenarios.get(args.scenario)
    if fn is None:
        print(f"unknown scenario {args.scenario}; known: {', '.join(sorted(scenarios))}")
        return 2
    sc = Scenario(args)
    try:
        fn(sc)
        sc.watch.assert_none_left(args.scenario)
    except ScenarioFailure as e:
        print(f"FAIL {args.scenario}: {e}")
        try:
            sc.watch.assert_none_left(args.scenario)
        except ScenarioFailure as more:
            print(f"also: {more}")
        return 1
    except Exception:
        traceback.print_exc()
        return 1
    finally:
        sc.cleanup()
    print(f"PASS {args.scenario}")
    return 0


def run_main(scenarios):
    sys.exit(main(scenarios))
