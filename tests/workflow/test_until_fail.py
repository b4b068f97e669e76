"""The flaky-test hunt end to end on one example program (--example gtest|catch2):
until-fail finds the failure, the report points at the failing assertion, only the
failing traces stay, and the report's replay commands reproduce the failure."""
import wflib
from wflib import WorkflowCase, load_report, run, runner

CAP = 400  # both examples fail about one run in twenty: 0.95**400 is about 1e-9
EXAMPLE = wflib.CATCH2 if wflib.ARGS.example == "catch2" else wflib.GTEST


class UntilFail(WorkflowCase):
    def test_hunt_report_traces_and_replay(self):
        ex = EXAMPLE
        traces = self.tmp / "traces"
        r = runner(f"--until-fail={CAP}", "--jobs", "2", "--traces-dir", traces, "--", ex.program)
        self.assert_status(r, 1)

        report = load_report(traces / "report.json")
        self.assert_runs_add_up(report)
        runs = report["runs"]
        # Once a run failed no new run starts, so only the one still in flight beside
        # it can add a second failure.
        self.assertTrue(1 <= runs["failed"] <= 2, runs)
        self.assertLessEqual(runs["attempted"], CAP)
        self.assertEqual(report["options"]["mode"], "until_fail")
        self.assertEqual(report["options"]["count"], CAP)
        self.assertEqual(report["options"]["jobs"], 2)
        self.assertEqual(len(report["failures"]), runs["failed"])
        for failure in report["failures"]:
            self.assert_example_failure(ex, failure)
        by_name = {t["name"]: t for t in report["tests"]}
        self.assertEqual(sorted(by_name), sorted(ex.tests))
        self.assertEqual(by_name[ex.test]["failed"], runs["failed"])
        self.assertEqual(by_name[ex.test]["runs"], runs["attempted"])

        self.assert_only_failing_traces_kept(traces, report)

        for failure in report["failures"]:
            trace = failure["trace"]
            # The report's command as a user pastes it, plus --autopilot: without it the
            # replay is an interactive gdb session, not a run to the end with the
            # recorded output and status.
            first = self.assert_replays_failure(ex, trace, times=10,
                                                command=failure["replay_command"] + " --autopilot")
            self.assertEqual(first.status, failure["exit_status"])
            self.assertEqual(first.out, wflib.recorded_output(trace),
                             "the replay's output is not the recorded output")

            stop = run(failure["goto_failure_command"] + " --autopilot", shell=True)
            self.assert_stops_at_failure(ex, stop, trace)
            # Stopping at the assertion means the output ends where the program was then.
            self.assertTrue(first.out.startswith(stop.out) and len(stop.out) < len(first.out),
                            "--goto-failure output is not a strict prefix of the full replay's")
            self.assert_gdb_stops_at_failure(ex, failure["goto_failure_command"])


if __name__ == "__main__":
    wflib.main()
