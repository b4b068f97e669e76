"""The CI template steps (ci-templates/scripts) run for real: run-until-fail.sh and
pack-failures.sh with the real rr-test-runner against flaky_gtest, configured only
through the RRTR_* variables ci-templates/README.md documents."""
import os
import shutil

import wflib
from wflib import GTEST, WorkflowCase, load_report, run

SCRIPTS = wflib.SOURCE_DIR / "ci-templates" / "scripts"
SEED = 5


class CIScripts(WorkflowCase):
    def step(self, script, cwd, **variables):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("RRTR_", "GITHUB_"))}
        env.update(RRTR_BIN=wflib.RUNNER, **variables)
        return run(["bash", SCRIPTS / script], cwd=cwd, env=env)

    def test_run_and_pack(self):
        work = self.tmp / "job"
        work.mkdir()
        r = self.step("run-until-fail.sh", work, RRTR_PROGRAM=GTEST.program, RRTR_UNTIL_FAIL="400",
                      RRTR_SEED=str(SEED), RRTR_SHARD="1")
        self.assert_status(r, 1)
        self.assertIn("shard 1", r.err_text)

        out = work / "rrtr-out"
        self.assertEqual(wflib.visible_entries(out), ["junit.xml", "report.json", "traces"])
        report = load_report(out / "report.json")
        self.assertEqual(report["options"]["seed"], SEED)
        self.assertEqual(report["options"]["count"], 400)
        self.assertGreaterEqual(report["runs"]["failed"], 1)
        for f in report["failures"]:
            self.assert_example_failure(GTEST, f)
        self.assert_only_failing_traces_kept(out / "traces", report, also=())
        r = run([wflib.ARGS.xmllint, "--noout", "--schema", wflib.SOURCE_DIR / "tests" / "reports" / "junit.xsd",
                 out / "junit.xml"])
        self.assert_status(r, 0)

        r = self.step("pack-failures.sh", work)
        self.assert_status(r, 0)
        names = wflib.kept_traces(report)
        self.assertEqual(wflib.visible_entries(out / "traces"), sorted(names + [n + ".tar.zst" for n in names]))

        # What a developer does with the downloaded artifact: unpack anywhere and replay,
        # with the CI job's directory long gone.
        unpacked = self.tmp / "downloaded"
        unpacked.mkdir()
        for name in names:
            r = run(["tar", "--zstd", "-xf", out / "traces" / f"{name}.tar.zst", "-C", unpacked])
            self.assert_status(r, 0)
        shutil.rmtree(work)
        self.assertEqual(wflib.visible_entries(unpacked), names)
        for name in names:
            self.assert_replays_failure(GTEST, unpacked / name)
            self.assert_stops_at_failure(GTEST, wflib.goto_failure(unpacked / name), unpacked / name)


if __name__ == "__main__":
    wflib.main()
