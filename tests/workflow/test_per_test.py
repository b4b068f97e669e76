"""--per-test with --filter: only the selected test cases run, each on its own, and the
trace kept for a failure holds that one test case and nothing else."""
import wflib
from wflib import GTEST, MARKER_ASSERTION_FAILED, MARKER_ENDED, MARKER_STARTED, WorkflowCase, load_report, runner

CAP = 20
FILTER = "FlakyTest.*:Strings.*"
SELECTED = ["FlakyTest.SometimesCorrupts", "Strings.ConcatenatesWords"]


class PerTest(WorkflowCase):
    def test_filtered_lanes(self):
        traces = self.tmp / "traces"
        # The unlucky ticket makes the flaky case fail on its first run; the check here
        # is which cases run and what their traces hold, not how long a hunt takes.
        r = runner(f"--until-fail={CAP}", "--per-test", "--filter", FILTER,
                   "--traces-dir", traces, "--", GTEST.program,
                   extra_env={"RRTR_EXAMPLE_TICKET": GTEST.forced_failure})
        self.assert_status(r, 1)
        report = load_report(traces / "report.json")
        self.assert_runs_add_up(report)
        self.assertTrue(report["options"]["per_test"])
        self.assertEqual(report["options"]["filter"], FILTER)

        by_name = {t["name"]: t for t in report["tests"]}
        self.assertEqual(sorted(by_name), SELECTED, "test cases outside the filter ran")
        # A lane that never fails runs the whole cap; the failing one stops at its failure.
        self.assertEqual(by_name["Strings.ConcatenatesWords"]["runs"], CAP)
        self.assertEqual(by_name["Strings.ConcatenatesWords"]["failed"], 0)
        flaky = by_name[GTEST.test]
        self.assertEqual((flaky["runs"], flaky["failed"]), (1, 1), flaky)
        self.assertEqual(report["runs"]["attempted"], CAP + 1)

        self.assertEqual(len(report["failures"]), flaky["failed"])
        for failure in report["failures"]:
            self.assert_example_failure(GTEST, failure)
        self.assert_only_failing_traces_kept(traces, report)

        for failure in report["failures"]:
            found = wflib.markers(failure["trace"])
            names = {payload.get("name") for _, _, payload in found}
            self.assertEqual(names, {GTEST.test}, f"{failure['trace']} holds other test cases")
            kinds = [kind for _, kind, _ in found]
            self.assertEqual(kinds, [MARKER_STARTED, MARKER_ASSERTION_FAILED, MARKER_ENDED], found)
            self.assertIs(found[-1][2].get("passed"), False, found[-1])
            self.assertIn(f"[  FAILED  ] {GTEST.test}".encode(), wflib.recorded_output(failure["trace"]))
            self.assertNotIn(b"Strings.ConcatenatesWords", wflib.recorded_output(failure["trace"]))


if __name__ == "__main__":
    wflib.main()
