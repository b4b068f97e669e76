#!/usr/bin/env python3
"""How long reverse execution under gdb takes on a long CPU-bound recording.

Builds revbench.c, runs it natively for about --seconds, records it, then drives gdb
(batch mode, its Python API for the clock) through `rr-test-runner replay` and times:
gdb's start until its first command runs, the forward continue to the end, and
reverse-continue to watchpoints about 1, 1e5 and 1e7 instructions back, reverse-stepi
and reverse-next. The reverse operations are timed twice: with the checkpoints the
engine took by itself, and after `monitor checkpoint` within 1e6 instructions of the
end. See README.md.

  run_reverse_bench.py --runner BUILD/runner/rr-test-runner [--seconds 10] [--json FILE]
"""
import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SYSCALL_EVERY = 1 << 20  # iterations between system calls, as in revbench.c
TARGET_S = 1.0  # every reverse operation, when a checkpoint is within 1e6 instructions

# Runs inside gdb. The bench passes its parameters and where to write results in the
# environment; every gdb command's text is kept, so that a wrong stop shows.
# Runs inside gdb: one session per measured operation (RGDB_BENCH_OP), so that an
# operation that takes too long can be cut off without losing the others. Every
# session first continues to done() (optionally after putting a checkpoint 0.9e6
# instructions before it: RGDB_BENCH_NEAR). Results are saved after each step.
GDB_SCRIPT = r'''
import gdb, json, os, re, time
R = {"startup_s": time.time() - float(os.environ["RGDB_BENCH_T0"]), "ops": {}, "text": {}, "pc": {}}
def run(cmd):
    return gdb.execute(cmd, to_string=True)
def save():
    with open(os.environ["RGDB_BENCH_OUT"], "w") as f:
        json.dump(R, f)
def pc():
    return int(gdb.parse_and_eval("$pc"))
def timed(key, cmd):
    t = time.time()
    try:
        out = run(cmd)
    except gdb.error as e:
        out = "gdb error: %s" % e
    R["ops"][key] = time.time() - t
    R["text"][key] = out
    R["pc"][key] = pc()
    save()
    return out
for c in ("set pagination off", "set confirm off", "break done"):
    run(c)
timed("continue to the end", "continue")
end_event = int(re.search(r"Current event: (\d+)", run("monitor when")).group(1))
R["end_event"] = end_event
R["checkpoints_at_end"] = [int(x) for x in re.findall(r"event (\d+)", run("monitor info"))]
if os.environ.get("RGDB_BENCH_NEAR"):
    run("monitor goto %d" % end_event)
    run("flushregs")
    run("monitor checkpoint")
    run("continue")
run("delete")
save()
op = os.environ["RGDB_BENCH_OP"]
if op.startswith("watch "):
    # gdb prints the watchpoint stop itself, not into to_string: the check is that the
    # global, written once, holds its value before the write again.
    var = op.split()[1]
    R["value at the end"] = int(gdb.parse_and_eval(var))
    run("watch -l " + var)
    timed(op, "reverse-continue")
    R["value after"] = int(gdb.parse_and_eval(var))
else:
    # Stepping back from where the g_near watchpoint stops, as one does next.
    run("watch -l g_near")
    run("reverse-continue")
    run("delete")
    R["pc"]["start"] = pc()
    for k in range(int(os.environ["RGDB_BENCH_STEPS"])):
        timed("%s #%d" % (op, k), op)
R["done"] = True
save()
'''

# Counts the instructions of one loop iteration: from one entry of mix() to the next.
COUNT_SCRIPT = r'''
import gdb, os
gdb.execute("break *mix", to_string=True)
gdb.execute("continue", to_string=True)
gdb.execute("continue", to_string=True)
gdb.execute("delete", to_string=True)
start = int(gdb.parse_and_eval("$pc"))
n = 0
while n < 1000:
    gdb.execute("stepi", to_string=True)
    n += 1
    if int(gdb.parse_and_eval("$pc")) == start:
        break
open(os.environ["RGDB_BENCH_OUT"], "w").write(str(n))
'''


def sh(argv, **kw):
    return subprocess.run([str(a) for a in argv], check=True, **kw)


def gdb_python(runner, trace, script, tmp, env_extra, timeout):
    path = tmp / f"script-{len(list(tmp.glob('script-*')))}.py"
    path.write_text(script)
    out = tmp / "result"
    out.unlink(missing_ok=True)
    env = dict(os.environ, RGDB_BENCH_OUT=str(out), RGDB_BENCH_T0=repr(time.time()), **env_extra)
    env.pop("DEBUGINFOD_URLS", None)
    log = tmp / "gdb.log"
    with log.open("w") as f:
        proc = subprocess.Popen([str(runner), "replay", "-q", str(trace), "--", "-nx", "-batch",
                                 "-iex", "set debuginfod enabled off", "-x", str(path)],
                                stdin=subprocess.DEVNULL, stdout=f, stderr=subprocess.STDOUT, env=env,
                                start_new_session=True)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            # What was measured until then is still reported.
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            pass
    if not out.exists():
        sys.exit(f"gdb did not run the bench script (status {proc.returncode}); see:\n{log.read_text()[-4000:]}")
    return out.read_text()


def record(runner, trace, argv):
    t = time.monotonic()
    sh([runner, "record", "-o", trace, "--", *argv], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - t


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runner", type=Path, required=True)
    ap.add_argument("--seconds", type=float, default=10.0, help="native run time of the workload")
    ap.add_argument("--cc", default="cc")
    ap.add_argument("--steps", type=int, default=2, help="reverse-stepi and reverse-next timed this many times each")
    ap.add_argument("--cap", type=float, default=120,
                    help="cut a measured operation off after this many seconds (reported as not done)")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    a = ap.parse_args()
    if shutil.which("gdb") is None:
        sys.exit("gdb is not installed (Debian package gdb)")
    tmp = Path(tempfile.mkdtemp(prefix="rgdb-bench-"))
    try:
        run_bench(a, tmp)
    finally:
        if a.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def run_bench(a, tmp):
    runner = a.runner.resolve()
    exe = tmp / "revbench"
    sh([a.cc, "-g", "-O2", "-o", exe, HERE / "revbench.c"])

    # Instructions per iteration, counted by stepping one iteration of a short recording.
    small = tmp / "small"
    record(runner, small, [exe, 4 * SYSCALL_EVERY, 1000, 10])
    ipi = int(gdb_python(runner, small, COUNT_SCRIPT, tmp, {}, 300))
    far, mid = max(2, round(1e7 / ipi)), max(2, round(1e5 / ipi))

    # Iterations for the native run time asked for, ending 0.9e6 instructions after a
    # system call so that a checkpoint can be that close to the end.
    probe = 64 * SYSCALL_EVERY
    t = time.monotonic()
    sh([exe, probe, far, mid], stdout=subprocess.DEVNULL)
    rate = probe / (time.monotonic() - t)
    tail = round(0.9e6 / ipi)
    n = max(16, round(a.seconds * rate / SYSCALL_EVERY)) * SYSCALL_EVERY + tail
    argv = [exe, n, far, mid]

    t = time.monotonic()
    sh(argv, stdout=subprocess.DEVNULL)
    native_s = time.monotonic() - t
    trace = tmp / "trace"
    record_s = record(runner, trace, argv)

    sessions = {}
    for near in (False, True):
        for op in ("watch g_near", "watch g_mid", "watch g_far", "reverse-stepi", "reverse-next"):
            extra = {"RGDB_BENCH_OP": op, "RGDB_BENCH_STEPS": str(a.steps)}
            if near:
                extra["RGDB_BENCH_NEAR"] = "1"
            t = time.monotonic()
            R = json.loads(gdb_python(runner, trace, GDB_SCRIPT, tmp, extra, a.cap + 120))
            R["session_s"] = time.monotonic() - t
            sessions[(near, op)] = R
            print(f"  measured {op}{' (checkpoint near the end)' if near else ''}: {R['session_s']:.0f} s",
                  file=sys.stderr)
    report(a, sessions, dict(ipi=ipi, iterations=n, far=far, mid=mid, tail=tail, native_s=native_s,
                             record_s=record_s))


def report(a, sessions, w):
    ipi = w["ipi"]
    first = sessions[(False, "watch g_near")]
    cps = first["checkpoints_at_end"]
    print(f"workload: {w['iterations']:.3g} loop iterations of {ipi} instructions, a system call every "
          f"{SYSCALL_EVERY} iterations ({SYSCALL_EVERY * ipi:.2g} instructions)")
    print(f"native run {w['native_s']:.2f} s, recording {w['record_s']:.2f} s; {len(cps)} engine checkpoints "
          f"at the end, the newest {first['end_event'] - max(cps)} events before it")
    engine_gap = (first["end_event"] - max(cps)) * SYSCALL_EVERY * ipi + w["tail"] * ipi
    back = {"g_near": ipi, "g_mid": w["mid"] * ipi, "g_far": w["far"] * ipi}
    rows = [("gdb start-up to its first command (median of sessions)",
             sorted(R["startup_s"] for R in sessions.values())[len(sessions) // 2], "", None),
            ("continue from the start to the end", first["ops"].get("continue to the end"), "", None)]
    for near, gap in ((False, engine_gap), (True, w["tail"] * ipi)):
        label = "checkpoint 0.9e6 insns before the end:" if near else "engine checkpoints only:"
        for var, insns in back.items():
            R = sessions[(near, f"watch {var}")]
            key = f"watch {var}"
            secs = R["ops"].get(key)
            if secs is None:
                note = f"NOT DONE within the {a.cap:.0f} s cap"
            elif not (R.get("value after") == 0 != R.get("value at the end")):
                note = f"FAILED: wrong stop: {var} is {R.get('value after')} there"
            else:
                note = f"{insns:.0e} insns back"
            rows.append((f"{label} reverse-continue to {var}", secs, note, gap + insns <= 1.1e6))
        for op in ("reverse-stepi", "reverse-next"):
            R = sessions[(near, op)]
            previous = R["pc"].get("start")
            for k in range(a.steps):
                key = f"{op} #{k}"
                secs = R["ops"].get(key)
                if secs is None:
                    note = f"NOT DONE within the {a.cap:.0f} s cap"
                elif R["pc"][key] == previous:
                    note = "FAILED: did not move"
                else:
                    note = "from the g_near stop" if k == 0 else ""
                rows.append((f"{label} {key}", secs, note, gap <= 1.1e6))
                previous = R["pc"].get(key)
    width = max(len(r[0]) for r in rows)
    print(f"\ntarget: every reverse operation < {TARGET_S:g} s when a checkpoint is within 1e6 instructions\n")
    print(f"{'operation':<{width}}  {'seconds':>8}  verdict")
    for name, secs, note, applies in rows:
        verdict = "" if applies is None else ("n/a" if not applies else "ok" if secs is not None and secs < TARGET_S
                                              else "MISSED")
        if "FAILED" in note or "NOT DONE" in note:
            verdict = "FAILED"
        shown = f"{secs:8.3f}" if secs is not None else f"{'>' + format(a.cap, '.0f'):>8}"
        print(f"{name:<{width}}  {shown}  {verdict:6} {note}")
    if a.json:
        a.json.write_text(json.dumps({"workload": w, "sessions": [
            {"near_checkpoint": near, "op": op, "seconds": R["ops"], "startup_s": R["startup_s"]}
            for (near, op), R in sessions.items()]}, indent=2))


if __name__ == "__main__":
    main()
