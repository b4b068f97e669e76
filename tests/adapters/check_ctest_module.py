"""Checks the RRTestRunner CMake package by building ctest_project against it and
running its tests with ctest.

  check_ctest_module.py --project DIR --runner RR --cmake C --ctest T
                        (--prefix PACKAGE_DIR | --install-from BUILD --component NAME --tap TAP)

With the stand-in runner the recorder's argument log is compared exactly; with a
real rr-test-runner the traces it leaves are checked instead.
"""
import argparse
import json
import os
import subprocess
import tempfile

from markerlib import expect, main_wrapper, run_tapped

STARTED = 1


def run(cmd, **kwargs):
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=240, **kwargs)
    return proc.returncode, proc.stdout + proc.stderr


def must(cmd, **kwargs):
    code, out = run(cmd, **kwargs)
    expect(code == 0, f"{' '.join(cmd)} exited {code}:\n{out[-3000:]}")
    return out


class Project:
    """One configured and built copy of ctest_project."""

    def __init__(self, args, tmp, name, prefix, defines):
        self.args, self.build = args, os.path.join(tmp, name)
        self.log = os.path.join(tmp, f"{name}-launcher.jsonl")
        must([args.cmake, "-S", args.project, "-B", self.build, f"-DCMAKE_PREFIX_PATH={prefix}",
              f"-DRRTR_EXECUTABLE={args.runner}", *defines])
        must([args.cmake, "--build", self.build, "-j2"])

    def ctest(self, test):
        """Runs one test; returns (ctest exit status, launcher invocations it caused)."""
        before = self.launches()
        env = dict(os.environ, RRTR_FAKE_LOG=self.log)
        code, out = run([self.args.ctest, "--test-dir", self.build, "-R", f"^{test}$",
                         "--output-on-failure"], env=env)
        expect("No tests were found" not in out, f"{test}: not registered:\n{out}")
        return code, self.launches()[len(before):]

    def launches(self):
        if not os.path.exists(self.log):
            return []
        with open(self.log, encoding="utf-8") as f:
            return [json.loads(line)["argv"] for line in f]

    def exe(self, target):
        return os.path.join(self.build, target)


def traces_in(directory):
    """Trace entries; hidden ones are the recorder's shared stores, not traces."""
    if not os.path.isdir(directory):
        return []
    return [name for name in os.listdir(directory) if not name.startswith(".")]


def launcher_args(traces_dir, keep, program, *program_args):
    return ["record", "--traces-dir", traces_dir, "--keep", keep, "--", program, *program_args]


def check_explicit(args, tmp, prefix, stand_in):
    p = Project(args, tmp, "explicit", prefix, [])
    my_traces = os.path.join(p.build, "my-traces")
    default_traces = os.path.join(p.build, "rr-traces")

    code, launches = p.ctest("probe.passes")
    expect(code == 0, f"probe.passes: ctest exited {code}; arguments lost on the way?")
    code, launches_fail = p.ctest("probe.fails")
    expect(code != 0, "probe.fails: the program's failure did not reach ctest")
    code, launches_unrecorded = p.ctest("probe.unrecorded")
    expect(code == 0, f"probe.unrecorded: ctest exited {code}")

    if stand_in:
        expect(launches == [launcher_args(my_traces, "failing", p.exe("passes"),
                                          "first-arg", "two words")],
               f"probe.passes: launcher called as {launches}")
        expect(launches_fail == [launcher_args(default_traces, "all", p.exe("fails"))],
               f"probe.fails: launcher called as {launches_fail}")
        expect(launches_unrecorded == [], f"probe.unrecorded was recorded: {launches_unrecorded}")
    else:
        # KEEP failing deletes a passing run's trace; KEEP all keeps the failing one.
        expect(not traces_in(my_traces), f"a passing run left traces in {my_traces}")
        expect(traces_in(default_traces), f"the failing run left no trace in {default_traces}")


def check_record_all(args, tmp, prefix, stand_in):
    p = Project(args, tmp, "record-all", prefix, ["-DPROBE_EXPLICIT=OFF", "-DRRTR_RECORD_ALL_TESTS=ON"])
    code, launches = p.ctest("probe.unrecorded")
    expect(code == 0, f"record-all: probe.unrecorded exited {code}")
    if stand_in:
        expect(launches == [launcher_args(os.path.join(p.build, "rr-traces"), "failing",
                                          p.exe("unrecorded"))],
               f"record-all: launcher called as {launches}")


def stage_install(args, tmp):
    stage = os.path.join(tmp, "stage")
    must([args.cmake, "--install", args.install_from, "--component", args.component,
          "--prefix", stage])
    for path in ("lib/cmake/RRTestRunner/RRTestRunnerConfig.cmake",
                 "lib/cmake/RRTestRunner/RRTestRunnerConfigVersion.cmake",
                 "lib/cmake/RRTestRunner/RRTestRunnerCTest.cmake",
                 "include/rrtr/marker_abi.h", "include/rrtr/gtest_adapter.h"):
        expect(os.path.isfile(os.path.join(stage, path)), f"install did not produce {path}")
    return stage


def check_installed_gtest(args, tmp, stage):
    p = Project(args, tmp, "installed-gtest", stage, ["-DPROBE_GTEST=ON"])
    code, _, markers = run_tapped(args.tap, tmp, [p.exe("gtest_probe")], name="installed")
    expect(code == 0, f"installed gtest probe exited {code}")
    names = [m["json"]["name"] for m in markers if m["kind"] == STARTED]
    expect(names == ["InstalledProbe.Works"],
           f"the installed rrtr::gtest_adapter did not self-install: started markers {names}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--project", required=True)
    parser.add_argument("--runner", required=True)
    parser.add_argument("--cmake", required=True)
    parser.add_argument("--ctest", required=True)
    parser.add_argument("--prefix")
    parser.add_argument("--install-from")
    parser.add_argument("--component")
    parser.add_argument("--tap")
    args = parser.parse_args()
    stand_in = os.path.basename(args.runner) == "fake-rr-test-runner"
    if not stand_in:
        print(f"note: real runner {args.runner}; checking traces instead of its arguments")
    with tempfile.TemporaryDirectory() as tmp:
        if args.install_from:
            prefix = stage_install(args, tmp)
            check_installed_gtest(args, tmp, prefix)
        else:
            prefix = args.prefix
        check_explicit(args, tmp, prefix, stand_in)
        check_record_all(args, tmp, prefix, stand_in)


if __name__ == "__main__":
    main_wrapper(main)
