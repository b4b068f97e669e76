"""What a user gets wrong or runs into: a missing program, a program that is not a test
binary, a test that never fails, an unusable traces directory, a damaged report."""
import json
import os
import re
import shutil

import wflib
from wflib import GTEST, WorkflowCase, load_report, replay, runner, visible_entries

BAD_INPUT = 241
USAGE = 240


class BadInput(WorkflowCase):
    def program(self, name):
        return os.path.join(wflib.ARGS.programs, name)

    def test_missing_program(self):
        traces = self.tmp / "traces"
        missing = self.tmp / "no-such-test"
        r = runner("--until-fail=5", "--traces-dir", traces, "--", missing)
        self.assert_status(r, BAD_INPUT)
        self.assert_one_error_line(r, missing)
        self.assertFalse(traces.exists(), "a traces directory was created for a program that does not exist")

    def test_plain_program_that_passes(self):
        traces = self.tmp / "traces"
        r = runner("--until-fail=5", "--traces-dir", traces, "--", shutil.which("true"))
        self.assert_status(r, 0)
        self.assertIn("no failure in 5 runs", r.err_text)
        report = load_report(traces / "report.json")
        self.assert_runs_add_up(report)
        self.assertEqual((report["runs"]["attempted"], report["tests"], report["failures"]), (5, [], []))
        self.assertEqual(visible_entries(traces), ["report.json"])

    def test_plain_program_that_sometimes_fails(self):
        traces = self.tmp / "traces"
        program = self.program("sometimes_exits_1")
        # Fails one run in three: (2/3)**100 is about 2e-18.
        r = runner("--until-fail=100", "--traces-dir", traces, "--", program)
        self.assert_status(r, 1)
        report = load_report(traces / "report.json")
        self.assert_runs_add_up(report)
        self.assertEqual(report["runs"]["failed"], 1)
        self.assertEqual(report["tests"], [], "a plain program has no test cases")
        (failure,) = report["failures"]
        self.assertEqual((failure["exit_status"], failure["signal"], failure["failed_tests"]), (1, None, []))
        self.assert_only_failing_traces_kept(traces, report)
        r = replay(failure["trace"], "--autopilot")
        self.assert_status(r, 1)
        draw = re.fullmatch(rb"draw (\d+)\n", r.out)
        self.assertIsNotNone(draw, r.out)
        self.assertEqual(int(draw.group(1)) % 3, 0, "the replay drew a passing number")

        # Test-case options need a framework to talk to.
        r = runner("--until-fail=5", "--per-test", "--traces-dir", self.tmp / "per-test", "--", program)
        self.assert_status(r, USAGE)
        self.assert_one_error_line(r, "--per-test")

    def test_test_that_never_fails(self):
        traces = self.tmp / "traces"
        r = runner("--until-fail=15", "--traces-dir", traces, "--", GTEST.program,
                   extra_env={"RRTR_EXAMPLE_TICKET": "0"})
        self.assert_status(r, 0)
        self.assertIn("rr-test-runner: no failure in 15 runs", r.err_lines)
        report = load_report(traces / "report.json")
        self.assert_runs_add_up(report)
        self.assertEqual((report["runs"]["attempted"], report["runs"]["passed"]), (15, 15))
        self.assertEqual(visible_entries(traces), ["report.json"], "a passing run's trace was kept")

    def test_traces_dir_not_creatable(self):
        a_file = self.tmp / "a-file"
        a_file.write_text("not a directory\n", encoding="utf-8")
        for traces in (a_file, a_file / "traces"):
            with self.subTest(traces=traces):
                r = runner("--until-fail=5", "--traces-dir", traces, "--", GTEST.program)
                self.assertNotEqual(r.status, 0, r.describe())
                self.assertNotIn(r.status, (1,), "reported as a test failure")
                self.assert_one_error_line(r, traces)
        self.assertEqual(a_file.read_text(encoding="utf-8"), "not a directory\n")

    def test_malformed_report_to_merge(self):
        good = self.tmp / "good.json"
        r = runner("--until-fail=2", "--traces-dir", self.tmp / "traces", "--report", good,
                   "--", shutil.which("true"))
        self.assert_status(r, 0)
        truncated = self.tmp / "truncated.json"
        truncated.write_text(good.read_text(encoding="utf-8")[:200], encoding="utf-8")
        wrong_shape = self.tmp / "wrong-shape.json"
        wrong_shape.write_text(json.dumps({"schema_version": 1, "runs": 3}), encoding="utf-8")
        future = self.tmp / "future.json"
        future.write_text(good.read_text(encoding="utf-8").replace('"schema_version": 1', '"schema_version": 2'),
                          encoding="utf-8")
        for bad in (truncated, wrong_shape, future, self.tmp / "missing.json"):
            with self.subTest(report=bad.name):
                merged = self.tmp / f"merged-{bad.stem}.json"
                r = runner("merge-reports", "-o", merged, good, bad)
                self.assert_status(r, BAD_INPUT)
                self.assert_one_error_line(r, bad)
                self.assertFalse(merged.exists(), "a merged report was written from a bad input")


if __name__ == "__main__":
    wflib.main()
