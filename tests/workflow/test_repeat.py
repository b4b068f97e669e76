"""--repeat N: exactly N runs whatever happens, every failure reported with its trace,
and per-test statistics that add up."""
import os

import wflib
from wflib import GTEST, WorkflowCase, load_report, runner

RUNS = 30


class Repeat(WorkflowCase):
    def hunt(self, name, jobs, extra_env=None):
        traces = self.tmp / name
        r = runner("--repeat", RUNS, "--jobs", jobs, "--traces-dir", traces, "--", GTEST.program,
                   extra_env=extra_env)
        self.assertTrue((traces / "report.json").is_file(), r.describe())
        report = load_report(traces / "report.json")
        self.assert_status(r, 1 if report["runs"]["failed"] else 0)
        return traces, report

    def check_counts(self, traces, report):
        self.assert_runs_add_up(report)
        self.assertEqual(report["runs"]["attempted"], RUNS)
        self.assertEqual(report["options"]["mode"], "repeat")
        self.assertEqual(report["options"]["count"], RUNS)
        failures = report["failures"]
        self.assertEqual(len(failures), report["runs"]["failed"], "a failure is missing from failures[]")
        indexes = [f["run_index"] for f in failures]
        self.assertEqual(len(set(indexes)), len(indexes), f"run indexes repeat: {indexes}")
        self.assertTrue(all(0 <= i < RUNS for i in indexes), indexes)
        for f in failures:
            self.assert_example_failure(GTEST, f)
            self.assertTrue(os.path.isdir(f["trace"]), f["trace"])
        self.assert_only_failing_traces_kept(traces, report)

        by_name = {t["name"]: t for t in report["tests"]}
        self.assertEqual(sorted(by_name), sorted(GTEST.tests))
        for t in report["tests"]:
            self.assertEqual(t["runs"], RUNS, t)
            self.assertEqual(t["passed"] + t["failed"], t["runs"], t)
            self.assertEqual(t["flake_rate"], t["failed"] / t["runs"], t)
        self.assertEqual(by_name[GTEST.test]["failed"], report["runs"]["failed"])
        for name in set(GTEST.tests) - {GTEST.test}:
            self.assertEqual(by_name[name]["failed"], 0, by_name[name])

    def test_flaky_repeat(self):
        traces, report = self.hunt("random", 1)
        self.check_counts(traces, report)
        if not report["runs"]["failed"]:
            # About one invocation in five; the forced case below still covers failures.
            print(f"note: no run of {RUNS} failed this time")

    def test_every_run_failing(self):
        # The unlucky ticket makes all runs fail, so every run must show up in the report,
        # in run order as the schema promises, each with its own trace. Two jobs, so that
        # runs can finish out of order.
        traces, report = self.hunt("forced", 2, {"RRTR_EXAMPLE_TICKET": GTEST.forced_failure})
        self.assertEqual(report["runs"]["failed"], RUNS)
        self.check_counts(traces, report)
        self.assertEqual([f["run_index"] for f in report["failures"]], list(range(RUNS)),
                         "failures[] is not in run order")
        self.assertEqual({t["name"]: t["flake_rate"] for t in report["tests"]}[GTEST.test], 1.0)


if __name__ == "__main__":
    wflib.main()
