"""The GitHub Actions outputs: a markdown summary appended to $GITHUB_STEP_SUMMARY and
::error annotations on stdout when GITHUB_ACTIONS is set; neither without them."""
import os
import re

import wflib
from wflib import GTEST, WorkflowCase, load_report, runner

EARLIER_STEP = "## an earlier step wrote this\n"


def clean_env():
    return {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}


class GitHubOutputs(WorkflowCase):
    def hunt(self, env):
        traces = self.tmp / "traces"
        r = runner("--until-fail=400", "--traces-dir", traces, "--", GTEST.program, env=env)
        self.assert_status(r, 1)
        return r, load_report(traces / "report.json")

    def test_summary_and_annotations(self):
        summary = self.tmp / "summary.md"
        summary.write_text(EARLIER_STEP, encoding="utf-8")
        env = dict(clean_env(), GITHUB_ACTIONS="true", GITHUB_STEP_SUMMARY=str(summary))
        r, report = self.hunt(env)

        text = summary.read_text(encoding="utf-8")
        self.assertTrue(text.startswith(EARLIER_STEP), "the summary replaced the earlier step's text")
        m = re.search(r"^## rr-test-runner: (\d+) failing of (\d+) runs", text, re.MULTILINE)
        self.assertIsNotNone(m, text)
        self.assertEqual((int(m.group(1)), int(m.group(2))),
                         (report["runs"]["failed"], report["runs"]["attempted"]))
        self.assertIn(f"| {GTEST.test} |", text)
        for f in report["failures"]:
            self.assertIn(f"```sh\n{f['replay_command']}\n```", text)
            self.assertIn(f"```sh\n{f['goto_failure_command']}\n```", text)

        errors = [line for line in r.text.splitlines() if line.startswith("::error ")]
        # One annotation per failing test, not per failing run.
        self.assertEqual(len(errors), 1, r.text)
        m = re.match(r"::error file=([^,]*),line=(\d+),title=([^:]*)::(.*)$", errors[0])
        self.assertIsNotNone(m, errors[0])
        self.assertTrue(wflib.same_source(m.group(1), GTEST.source), m.group(1))
        self.assertEqual(int(m.group(2)), GTEST.line)
        self.assertIn(GTEST.test, m.group(3))
        self.assertIn(GTEST.message, m.group(4))

    def test_nothing_outside_github(self):
        r, _ = self.hunt(clean_env())
        self.assertNotIn("::error", r.text)


if __name__ == "__main__":
    wflib.main()
