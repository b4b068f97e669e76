#!/usr/bin/env python3
"""Throughput of the flaky-test hunt: runs per second of flaky_gtest under recording
(rr-test-runner --repeat N, --jobs 1 and --jobs 2) against plain native reruns of the
same binary (N in a row, and N with two at a time), all measured in one invocation.

  run_workflow_bench.py [--build DIR] [--runner R] [--program P] [-n N] [--rounds K]

--repeat rather than --until-fail keeps the run count fixed, so every figure is over
the same N runs; --keep failing (the default) keeps it the hunt a user runs. The blob
store is filled by one untimed run first (see recorded()). Each
configuration is measured --rounds times and medians are printed, because one round
on a shared machine can be off by a lot.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def native_loop(program, n, parallel, env):
    """Wall time of n plain runs, `parallel` at a time. Exit statuses are ignored: the
    flaky test fails now and then, natively as under recording. posix_spawn and a bare
    waitpid keep the loop's own cost far below a run's (this script has no other
    children while it runs, so waiting for any child is safe)."""
    quiet = [(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
             (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
             (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)]
    started = time.monotonic()
    running = launched = 0
    while launched < n or running:
        while launched < n and running < parallel:
            os.posix_spawn(program, [program], env, file_actions=quiet)
            launched += 1
            running += 1
        os.waitpid(-1, 0)
        running -= 1
    return time.monotonic() - started


RETRIES = 5
incidents = []  # invocations that stopped on a run that could not be recorded


def recorded(runner, program, n, jobs, scratch, env):
    """Wall time of `rr-test-runner --repeat n --jobs j` in a fresh traces directory
    whose blob store one untimed run has filled. That is the steady state of a hunt (the
    libraries are stored once, by its first run), and it keeps the figures clear of the
    race between two recorders filling an empty store at once, which makes a cold
    --jobs 2 hunt stop early (see README.md). An invocation that still stops early on a
    run it could not record measured fewer runs: it is logged, printed at the end, and
    repeated."""
    for _ in range(RETRIES):
        traces = Path(tempfile.mkdtemp(prefix=f"rrtr-bench-j{jobs}-", dir=scratch))
        try:
            subprocess.run([runner, "--repeat", "1", "--traces-dir", str(traces), "--", program],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, env=env)
            started = time.monotonic()
            proc = subprocess.run([runner, "--repeat", str(n), "--jobs", str(jobs), "--traces-dir", str(traces),
                                   "--", program], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                  stdin=subprocess.DEVNULL, env=env, text=True)
            elapsed = time.monotonic() - started
            try:
                with open(traces / "report.json", encoding="utf-8") as f:
                    runs = json.load(f)["runs"]
            except (OSError, ValueError, KeyError):
                runs = None
        finally:
            shutil.rmtree(traces, ignore_errors=True)
        if proc.returncode in (0, 1) and runs and runs["attempted"] == n and not runs["could_not_record"]:
            return elapsed
        stopped = [line for line in proc.stderr.splitlines() if "stopped" in line or "error" in line]
        incidents.append(f"--jobs {jobs}: exit {proc.returncode}, runs {runs}: {stopped[-1:] or proc.stderr[-300:]}")
        if proc.returncode not in (0, 1, 243):
            break
    sys.exit("rr-test-runner did not complete a measurement:\n  " + "\n  ".join(incidents))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build", help="build directory holding runner/ and examples/")
    parser.add_argument("--runner", help="rr-test-runner (default BUILD/runner/rr-test-runner)")
    parser.add_argument("--program", help="test binary (default BUILD/examples/flaky_gtest/flaky_gtest)")
    parser.add_argument("-n", type=int, default=200, help="runs per measurement (default 200)")
    parser.add_argument("--rounds", type=int, default=5, help="measurements per configuration (default 5)")
    args = parser.parse_args()
    runner = os.path.abspath(args.runner or os.path.join(args.build, "runner", "rr-test-runner"))
    program = os.path.abspath(args.program or os.path.join(args.build, "examples", "flaky_gtest", "flaky_gtest"))
    for path in (runner, program):
        if not os.access(path, os.X_OK):
            sys.exit(f"not an executable: {path} (give --build, --runner or --program)")
    # Progress lines and CI annotations are not part of what is measured.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "RRTR_"))}

    configs = [
        ("native, 1 at a time", lambda scratch: native_loop(program, args.n, 1, env)),
        ("native, 2 at a time", lambda scratch: native_loop(program, args.n, 2, env)),
        ("recorded, --jobs 1", lambda scratch: recorded(runner, program, args.n, 1, scratch, env)),
        ("recorded, --jobs 2", lambda scratch: recorded(runner, program, args.n, 2, scratch, env)),
    ]
    with tempfile.TemporaryDirectory(prefix="rrtr-bench-") as scratch:
        # Interleaved rounds, so that a slow patch of the machine hits every
        # configuration alike instead of one.
        times = {name: [] for name, _ in configs}
        for _ in range(args.rounds):
            for name, measure in configs:
                times[name].append(measure(scratch))
    load = os.getloadavg()[0]
    print(f"flaky_gtest throughput, {args.n} runs per measurement, {args.rounds} rounds, "
          f"{os.cpu_count()} CPUs, load average {load:.1f} at the end")
    print(f"  program: {program}\n  runner:  {runner}\n")
    print(f"  {'configuration':<22} {'median s':>8} {'runs/s':>8}   (each round, s)")
    for name, _ in configs:
        median = statistics.median(times[name])
        rounds = " ".join(f"{t:.2f}" for t in times[name])
        print(f"  {name:<22} {median:8.2f} {args.n / median:8.1f}   ({rounds})")

    # Ratios are taken within each round, whose four measurements ran back to back,
    # then the median over rounds: a machine that is busier in one round than in
    # another then skews that round's ratios less than it skews the medians above.
    def ratio(numerator, denominator):
        per_round = [times[denominator][i] / times[numerator][i] for i in range(args.rounds)]
        return statistics.median(per_round), " ".join(f"{r:.2f}" for r in per_round)

    print("\n  (median over rounds, then each round)")
    print("  recording cost, native runs/s over recorded runs/s:")
    for label, native, rec in (("1 at a time", "native, 1 at a time", "recorded, --jobs 1"),
                               ("2 at a time", "native, 2 at a time", "recorded, --jobs 2")):
        median, rounds = ratio(native, rec)
        print(f"    {label}: {median:5.1f}x   ({rounds})")
    print("  parallel speed-up, 2 at a time over 1 at a time:")
    for label, one, two in (("native  ", "native, 1 at a time", "native, 2 at a time"),
                            ("recorded", "recorded, --jobs 1", "recorded, --jobs 2")):
        median, rounds = ratio(two, one)
        print(f"    {label}: {median:5.2f}x   ({rounds})")
    if incidents:
        print(f"\n  {len(incidents)} invocation(s) stopped early and were repeated (not in the figures):")
        for line in incidents:
            print(f"    {line}")


if __name__ == "__main__":
    main()
