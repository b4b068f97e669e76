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
import statistics
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
GDB_SCRIPT = r'''
import gdb, json, os, re, time
R = {"startup_s": time.time() - float(os.environ["RGDB_BENCH_T0"]), "ops": {}, "text": {}, "pc": {}}
def run(cmd):
    return gdb.execute(cmd, to_string=True)
def timed(key, cmd):
    t = time.time()
    try:
        out = run(cmd)
    except gdb.error as e:
        out = "gdb error: %s" % e
    R["ops"][key] = time.time() - t
    R["text"][key] = out
    R["pc"][key] = int(gdb.parse_and_eval("$pc"))
    return out
def when():
    return int(re.search(r"Current event: (\d+)", run("monitor when")).group(1))
def save():
    with open(os.environ["RGDB_BENCH_OUT"], "w") as f:
        json.dump(R, f)
for c in ("set pagination off", "set confirm off", "break done"):
    run(c)
timed("continue to the end", "continue")
end_event = when()
R["end_event"] = end_event
R["checkpoints_at_end"] = [int(x) for x in re.findall(r"event (\d+)", run("monitor info"))]

def to_end():
    # Every measure starts from the same place: stopped at done() by a forward continue.
    run("delete")
    run("monitor goto %d" % end_event)
    run("flushregs")
    run("break done")
    run("continue")
    run("delete")

def reverse_ops(label):
    for var in ("g_near", "g_mid", "g_far"):
        to_end()
        run("watch -l " + var)
        timed(label + " reverse-continue to " + var, "reverse-continue")
        save()
        if var == "g_near":
            # Stepping back from where the watchpoint stopped, as one does next.
            run("delete")
            R["pc"][label + " watch stop"] = int(gdb.parse_and_eval("$pc"))
            for op in ("reverse-stepi", "reverse-next"):
                for k in range(int(os.environ["RGDB_BENCH_STEPS"])):
                    timed("%s %s #%d" % (label, op, k), op)
                    save()

reverse_ops("engine checkpoints:")
# A checkpoint at the last system call before the end, 0.9e6 instructions before it.
run("monitor goto %d" % end_event)
run("flushregs")
run("monitor checkpoint")
reverse_ops("checkpoint near the end:")
if os.environ.get("RGDB_BENCH_ENTRY_STEPI"):
    to_end()
    timed("reverse-stepi from the entry of done()", "reverse-stepi")
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
            print(f"gdb session stopped after {timeout} s", file=sys.stderr)
    if not out.exists():
        sys.exit(f"gdb did not finish the bench script (status {proc.returncode}); see:\n{log.read_text()[-4000:]}")
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
    ap.add_argument("--entry-stepi", action="store_true",
                    help="also time reverse-stepi from the breakpoint at done() (minutes at present)")
    ap.add_argument("--session-timeout", type=float, default=1800, help="stop the gdb session after this long")
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

    extra = {"RGDB_BENCH_STEPS": str(a.steps)}
    if a.entry_stepi:
        extra["RGDB_BENCH_ENTRY_STEPI"] = "1"
    R = json.loads(gdb_python(runner, trace, GDB_SCRIPT, tmp, extra, a.session_timeout))
    report(a, R, dict(ipi=ipi, iterations=n, far=far, mid=mid, tail=tail, native_s=native_s, record_s=record_s))


def report(a, R, w):
    ipi = w["ipi"]
    print(f"workload: {w['iterations']:.3g} loop iterations of {ipi} instructions, a system call every "
          f"{SYSCALL_EVERY} iterations ({SYSCALL_EVERY * ipi:.2g} instructions)")
    print(f"native run {w['native_s']:.2f} s, recording {w['record_s']:.2f} s")
    cps = R["checkpoints_at_end"]
    engine_gap = (R["end_event"] - max(cps)) * SYSCALL_EVERY * ipi + w["tail"] * ipi
    print(f"engine checkpoints at the end: {len(cps)}, the newest {R['end_event'] - max(cps)} events "
          f"(~{engine_gap:.1e} instructions) before the end; the near one is {w['tail'] * ipi:.1e} before it")
    back = {"g_near": ipi, "g_mid": w["mid"] * ipi, "g_far": w["far"] * ipi}
    rows = [("gdb start-up to its first command", R["startup_s"], "", None),
            ("continue from the start to the end", R["ops"].get("continue to the end"), "", None)]
    for label, gap in (("engine checkpoints:", engine_gap), ("checkpoint near the end:", w["tail"] * ipi)):
        for var, insns in back.items():
            key = f"{label} reverse-continue to {var}"
            ok = key in R["text"] and "Old value" in R["text"][key]
            note = f"{insns:.0e} insns back" + ("" if ok else "; WRONG STOP: " + first_error(R["text"].get(key)))
            rows.append((key, R["ops"].get(key), note, gap + insns <= 1.1e6))
        for op in ("reverse-stepi", "reverse-next"):
            previous = R["pc"].get(f"{label} watch stop")
            for k in range(a.steps):
                key = f"{label} {op} #{k}"
                moved = key in R["pc"] and R["pc"][key] != previous
                note = "" if moved or key not in R["pc"] else "DID NOT MOVE: " + first_error(R["text"].get(key))
                rows.append((key, R["ops"].get(key), note, gap <= 1.1e6))
                previous = R["pc"].get(key)
    width = max(len(r[0]) for r in rows)
    print(f"\ntarget: every reverse operation < {TARGET_S:g} s when a checkpoint is within 1e6 instructions\n")
    print(f"{'operation':<{width}}  {'seconds':>8}  verdict")
    for name, secs, note, applies in rows:
        if secs is None:
            print(f"{name:<{width}}  {'-':>8}  not reached")
            continue
        verdict = "" if applies is None else ("ok" if secs < TARGET_S else "MISSED") if applies else "n/a"
        if "WRONG" in note or "NOT MOVE" in note:
            verdict = "FAILED"
        print(f"{name:<{width}}  {secs:8.3f}  {verdict:6} {note}")
    extra = "reverse-stepi from the entry of done()"
    if extra in R["ops"]:
        print(f"{extra:<{width}}  {R['ops'][extra]:8.3f}")
    if a.json:
        a.json.write_text(json.dumps({"workload": w, "seconds": R["ops"], "startup_s": R["startup_s"]}, indent=2))


def first_error(text):
    """What gdb said instead (the runner's own reason is on its stderr, in gdb.log)."""
    lines = [l.strip() for l in (text or "").splitlines() if l.strip()]
    return lines[0][:80] if lines else "(gdb said nothing)"


if __name__ == "__main__":
    main()
