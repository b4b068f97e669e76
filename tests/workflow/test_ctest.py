"""CTest integration with the real recorder, on tests/workflow/ctest_project (a test that
fails about one run in three with status 3, and one that always passes):
  - the RRTestRunner CMake package records every ctest run and keeps only failing traces;
  - `rr-test-runner ctest` loops a ctest test under recording, in that same build
    directory and in one configured without the package's launcher."""
import json

import wflib
from wflib import WorkflowCase, load_report, replay, run, runner, visible_entries

FLAKY_STATUS = 3
FLAKY_TEXT = b"is unlucky"


class CTest(WorkflowCase):
    def build_project(self, record_tests):
        build = self.tmp / "build"
        r = run([wflib.ARGS.cmake, "-S", wflib.SOURCE_DIR / "tests" / "workflow" / "ctest_project",
                 "-B", build, f"-DCMAKE_PREFIX_PATH={wflib.SOURCE_DIR / 'adapters' / 'ctest'}",
                 f"-DRRTR_EXECUTABLE={wflib.RUNNER}",
                 f"-DWORKFLOW_RECORD_TESTS={'ON' if record_tests else 'OFF'}"])
        self.assert_status(r, 0)
        r = run([wflib.ARGS.cmake, "--build", build, "-j2"])
        self.assert_status(r, 0)
        return build

    def ctest_commands(self, build):
        r = run([wflib.ARGS.ctest, "--test-dir", build, "--show-only=json-v1"])
        self.assert_status(r, 0)
        return {t["name"]: t["command"] for t in json.loads(r.out)["tests"]}

    def assert_flaky_failure_trace(self, trace):
        meta = wflib.trace_meta(trace)
        self.assertTrue(meta["complete"], trace)
        self.assertEqual(meta["exit_status"], FLAKY_STATUS, trace)
        r = replay(trace, "--autopilot")
        self.assert_status(r, FLAKY_STATUS)
        self.assertIn(FLAKY_TEXT, r.out)

    def test_module_keeps_failing_traces(self):
        build = self.build_project(record_tests=True)
        # Without the launcher nothing would be recorded, and "no passing trace left"
        # would hold trivially.
        for name, command in self.ctest_commands(build).items():
            self.assertEqual(command[:2], [wflib.RUNNER, "record"], f"{name} is not recorded: {command}")

        # (2/3)**40 is about 1e-7: the flaky test fails within the 40 repeats.
        r = run([wflib.ARGS.ctest, "--test-dir", build, "--repeat", "until-fail:40", "--output-on-failure"])
        self.assertNotEqual(r.status, 0, f"ctest passed although flaky never passes 40 times:\n{r.text}")
        self.assertIn("flaky (Failed)", r.text)
        self.assertNotIn("steady (Failed)", r.text)

        traces = build / "rr-traces"
        kept = visible_entries(traces)
        # ctest stops repeating a test at its first failure: one failing run, one trace.
        self.assertEqual(len(kept), 1, f"kept {kept}")
        self.assertTrue(kept[0].startswith("flaky"), kept)
        self.assertEqual([h for h in wflib.hidden_entries(traces) if h != ".blobs"], [])
        self.assert_flaky_failure_trace(traces / kept[0])

    def check_subcommand(self, build):
        traces = self.tmp / "hunt"
        r = runner("ctest", "--until-fail=50", "--traces-dir", traces, "--", "-R", "flaky", cwd=build)
        self.assert_status(r, 1)
        report = load_report(traces / "report.json")
        self.assert_runs_add_up(report)
        self.assertEqual([t["name"] for t in report["tests"]], ["flaky"], "a test outside -R ran")
        self.assertEqual(report["tests"][0]["runs"], report["runs"]["attempted"])
        self.assertGreaterEqual(report["runs"]["failed"], 1)
        for failure in report["failures"]:
            self.assertEqual([t["name"] for t in failure["failed_tests"]], ["flaky"], failure)
            self.assertEqual(failure["exit_status"], FLAKY_STATUS, failure)
            self.assert_flaky_failure_trace(failure["trace"])
        self.assert_only_failing_traces_kept(traces, report)

    def test_subcommand_in_module_build(self):
        # The build directory a user of the CMake package already has: its test commands
        # start with the package's launcher.
        self.check_subcommand(self.build_project(record_tests=True))

    def test_subcommand_plain_build(self):
        self.check_subcommand(self.build_project(record_tests=False))


if __name__ == "__main__":
    wflib.main()
