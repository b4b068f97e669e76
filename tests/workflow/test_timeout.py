"""--timeout: a hung run is killed, counted as a failure with timed_out, and its
(incomplete) trace is kept and replays up to where the hang began."""
import os

import wflib
from wflib import WorkflowCase, load_report, replay, runner

INCOMPLETE_TRACE_STATUS = 245
HANG_TEXT = b"waiting for a wakeup that never comes"


class Timeout(WorkflowCase):
    def program(self):
        return os.path.join(wflib.ARGS.programs, "sometimes_hangs")

    def check_timed_out(self, traces, report):
        self.assert_runs_add_up(report)
        self.assertEqual(len(report["failures"]), report["runs"]["failed"])
        self.assertEqual(report["runs"]["failed"], 1)
        self.assert_only_failing_traces_kept(traces, report)
        for f in report["failures"]:
            self.assertTrue(f["timed_out"], f)
            self.assertIsNone(f["exit_status"], f)
            self.assertIsNone(f["signal"], f)
            self.assertEqual(f["failed_tests"], [], f)
            self.assertFalse(wflib.trace_meta(f["trace"])["complete"], f"{f['trace']} claims to be complete")
            r = replay(f["trace"], "--autopilot")
            self.assert_status(r, INCOMPLETE_TRACE_STATUS)
            self.assertIn(HANG_TEXT, r.out)
            self.assertIn("incomplete", r.err_text)

    def test_sometimes_hangs(self):
        traces = self.tmp / "traces"
        # One run in four hangs: 0.75**60 is about 3e-8.
        r = runner("--until-fail=60", "--timeout", "1", "--traces-dir", traces,
                   "--", self.program())
        self.assert_status(r, 1)
        self.assertIn("timed out", r.err_text)
        self.check_timed_out(traces, load_report(traces / "report.json"))

    def test_always_hangs(self):
        traces = self.tmp / "traces"
        r = runner("--until-fail=3", "--timeout", "1", "--traces-dir", traces,
                   "--", self.program(), "always")
        self.assert_status(r, 1)
        report = load_report(traces / "report.json")
        self.assertEqual(report["runs"]["attempted"], 1, "until-fail went on after the hung run")
        self.check_timed_out(traces, report)


if __name__ == "__main__":
    wflib.main()
