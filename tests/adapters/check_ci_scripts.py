"""Runs the CI scripts against an rr-test-runner (by default the stand-in) and checks
their exit statuses, the files they leave and, with the stand-in, the exact command
lines they give the recorder.

  check_ci_scripts.py --scripts ci-templates/scripts --runner RR
"""
import argparse
import json
import os
import shutil
import stat
import subprocess
import tempfile

from markerlib import expect, main_wrapper

ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"

# Fails on its third run; the counter file makes "flaky" deterministic.
FLAKY_PROGRAM = """#!/bin/sh
count=$(cat "$0.count" 2>/dev/null || echo 0)
count=$((count + 1))
echo "$count" > "$0.count"
printf '%s\\n' "$@" > "$0.args"
[ "$count" -lt 3 ]
"""


class Scripts:
    def __init__(self, args, tmp):
        self.dir, self.runner, self.tmp = args.scripts, args.runner, tmp
        self.stand_in = os.path.basename(args.runner) == "fake-rr-test-runner"
        self.log = os.path.join(tmp, "runner-log.jsonl")

    def run(self, script, cwd, script_args=(), **env_vars):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("RRTR_", "GITHUB_"))}
        env.update({"RRTR_FAKE_LOG": self.log, "RRTR_BIN": self.runner, **env_vars})
        proc = subprocess.run(["bash", os.path.join(self.dir, script), *script_args], cwd=cwd,
                              env=env, capture_output=True, text=True, timeout=120)
        return proc.returncode, proc.stdout, proc.stderr

    def calls(self):
        """The recorder's logged argument lists, and forget them."""
        if not os.path.exists(self.log):
            return []
        with open(self.log, encoding="utf-8") as f:
            calls = [json.loads(line)["argv"] for line in f]
        os.remove(self.log)
        return calls


def make_program(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)


def check_failing_hunt(s):
    work = os.path.join(s.tmp, "failing")
    os.makedirs(work)
    program = os.path.join(work, "flaky.sh")
    make_program(program, FLAKY_PROGRAM)
    code, _, err = s.run("run-until-fail.sh", work, RRTR_PROGRAM=program,
                         RRTR_ARGS="--alpha 'two words' 'say \"hi\"' back\\ slash $(not-run)",
                         RRTR_UNTIL_FAIL="10", RRTR_JOBS="2", RRTR_SEED="7", RRTR_SHARD="3")
    expect(code != 0, f"run-until-fail.sh exited 0 although the program failed:\n{err}")
    expect("shard 3" in err, f"the shard is not logged:\n{err}")
    expect(os.path.exists(program + ".args"), f"the program never ran:\n{err}")
    with open(program + ".args", encoding="utf-8") as f:
        expect(f.read().splitlines() == ["--alpha", "two words", 'say "hi"', "back slash", "$(not-run)"],
               "RRTR_ARGS was not split like a shell would split it")
    out = os.path.join(work, "rrtr-out")
    for name in ("report.json", "junit.xml"):
        expect(os.path.isfile(os.path.join(out, name)), f"no {name} in {out}")
    traces = sorted(os.listdir(os.path.join(out, "traces")))
    expect(len(traces) == 1, f"expected one kept trace in {out}/traces, found {traces}")
    if s.stand_in:
        expect(s.calls() == [["--until-fail=10", "--report", "rrtr-out/report.json",
                              "--junit", "rrtr-out/junit.xml", "--traces-dir", "rrtr-out/traces",
                              "--jobs", "2", "--seed", "7", "--", program,
                              "--alpha", "two words", 'say "hi"', "back slash", "$(not-run)"]],
               "run-until-fail.sh called the recorder with unexpected arguments")

    code, _, err = s.run("pack-failures.sh", work)
    expect(code == 0, f"pack-failures.sh exited {code}:\n{err}")
    trace = os.path.join(out, "traces", traces[0])
    packed = trace + ".tar.zst"
    expect(os.path.isfile(packed), f"{packed} was not written:\n{err}")
    with open(packed, "rb") as f:
        expect(f.read(4) == ZSTD_MAGIC, f"{packed} is not zstd-compressed")
    if s.stand_in:
        expect(s.calls() == [["pack", "rrtr-out/traces/" + traces[0], "-o",
                              "rrtr-out/traces/" + traces[0] + ".tar.zst"]],
               "pack-failures.sh called the recorder with unexpected arguments")
    # A second pack (a retried CI step) leaves the packed file alone.
    code, _, _ = s.run("pack-failures.sh", work)
    expect(code == 0 and (not s.stand_in or s.calls() == []), "a second pack packed again")


def check_passing_hunt(s):
    work = os.path.join(s.tmp, "passing")
    os.makedirs(work)
    code, _, err = s.run("run-until-fail.sh", work, RRTR_PROGRAM=shutil.which("true"),
                         RRTR_UNTIL_FAIL="3", RRTR_OUTPUT_DIR="out")
    expect(code == 0, f"run-until-fail.sh exited {code} although every run passed:\n{err}")
    expect(os.path.isfile(os.path.join(work, "out", "report.json")), "no report for a passing hunt")
    if s.stand_in:
        calls = s.calls()
        expect(calls and "--jobs" not in calls[0] and "--seed" not in calls[0],
               f"empty RRTR_JOBS/RRTR_SEED still produced flags: {calls}")
    code, _, err = s.run("pack-failures.sh", work, RRTR_OUTPUT_DIR="out")
    expect(code == 0, f"pack-failures.sh exited {code} with nothing to pack:\n{err}")
    packed = [n for _, _, files in os.walk(work) for n in files if n.endswith(".tar.zst")]
    expect(not packed, f"a passing hunt produced packed traces {packed}")


def check_bad_inputs(s):
    work = os.path.join(s.tmp, "bad")
    os.makedirs(work)
    for env, why in (({}, "RRTR_PROGRAM"), ({"RRTR_PROGRAM": "x", "RRTR_UNTIL_FAIL": "ten"}, "UNTIL_FAIL"),
                     ({"RRTR_PROGRAM": "x", "RRTR_ARGS": "'unbalanced"}, "RRTR_ARGS"),
                     ({"RRTR_PROGRAM": "x", "RRTR_BIN": "/nonexistent"}, "RRTR_BIN")):
        code, _, err = s.run("run-until-fail.sh", work, **env)
        expect(code == 2 and why in err, f"bad {why}: exit {code}, stderr:\n{err}")
    expect(not s.calls(), "the recorder ran despite invalid inputs")


def check_install_and_merge(s):
    work = os.path.join(s.tmp, "merge")
    os.makedirs(work)
    github_path = os.path.join(work, "github-path")
    code, out, err = s.run("install-rr-test-runner.sh", work, GITHUB_PATH=github_path)
    expect(code == 0 and out.strip() == s.runner, f"install: exit {code}, printed {out!r}:\n{err}")
    with open(github_path, encoding="utf-8") as f:
        expect(f.read().strip() == os.path.dirname(s.runner), "install did not extend GITHUB_PATH")

    for shard in (0, 1):
        os.makedirs(os.path.join(work, f"shard{shard}"))
        with open(os.path.join(work, f"shard{shard}", "report.json"), "w", encoding="utf-8") as f:
            json.dump({"runs": shard + 1, "failures": []}, f)
    code, _, err = s.run("merge-reports.sh", work)
    expect(code == 0 and os.path.isfile(os.path.join(work, "merged.json")),
           f"merge-reports.sh exited {code}:\n{err}")
    if s.stand_in:
        expect(s.calls() == [["merge-reports", "-o", "merged.json",
                              "shard0/report.json", "shard1/report.json"]],
               "merge-reports.sh called the recorder with unexpected arguments")


def check_shellcheck(s):
    shellcheck = shutil.which("shellcheck")
    if not shellcheck:
        print("note: shellcheck not installed; scripts not linted")
        return
    scripts = sorted(os.path.join(s.dir, n) for n in os.listdir(s.dir) if n.endswith(".sh"))
    proc = subprocess.run([shellcheck, "-x", "-s", "bash", *scripts], capture_output=True,
                          text=True, cwd=s.dir)
    expect(proc.returncode == 0, f"shellcheck:\n{proc.stdout}{proc.stderr}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scripts", required=True)
    parser.add_argument("--runner", required=True)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        s = Scripts(args, tmp)
        if not s.stand_in:
            print(f"note: real runner {args.runner}; argument checks skipped")
        check_failing_hunt(s)
        check_passing_hunt(s)
        check_bad_inputs(s)
        check_install_and_merge(s)
        check_shellcheck(s)


if __name__ == "__main__":
    main_wrapper(main)
