"""--junit: the file is well-formed, valid against tests/reports/junit.xsd, and says
what the JSON report says."""
import os
import xml.etree.ElementTree as ET

import wflib
from wflib import GTEST, WorkflowCase, load_report, run, runner


class JUnit(WorkflowCase):
    def hunt(self, *program, extra_env=None, cap=400):
        traces, junit = self.tmp / "traces", self.tmp / "junit.xml"
        r = runner(f"--until-fail={cap}", "--traces-dir", traces, "--junit", junit,
                   "--", *program, extra_env=extra_env)
        self.assertIn(r.status, (0, 1), r.describe())
        self.assert_valid(junit)
        return r, load_report(traces / "report.json"), ET.parse(junit).getroot()

    def assert_valid(self, junit):
        xsd = wflib.SOURCE_DIR / "tests" / "reports" / "junit.xsd"
        r = run([wflib.ARGS.xmllint, "--noout", junit])
        self.assert_status(r, 0)
        r = run([wflib.ARGS.xmllint, "--noout", "--schema", xsd, junit])
        self.assert_status(r, 0)

    def cases(self, root):
        suite = root.find("testsuite")
        return suite, {(c.get("classname"), c.get("name")): c for c in suite.findall("testcase")}

    def test_failing_hunt(self):
        r, report, root = self.hunt(GTEST.program)
        self.assert_status(r, 1)
        suite, cases = self.cases(root)
        self.assertEqual(sorted(f"{c}.{n}" for c, n in cases), sorted(GTEST.tests))
        self.assertEqual((suite.get("tests"), suite.get("failures")), (str(len(GTEST.tests)), "1"))
        props = {p.get("name"): p.get("value") for p in suite.find("properties")}
        self.assertEqual(props["runs.attempted"], str(report["runs"]["attempted"]))
        self.assertEqual(props["runs.failed"], str(report["runs"]["failed"]))
        for (classname, name), case in cases.items():
            failure = case.find("failure")
            if f"{classname}.{name}" != GTEST.test:
                self.assertIsNone(failure, f"{classname}.{name} has a failure")
                continue
            self.assertIsNotNone(failure)
            first = report["failures"][0]
            self.assertTrue(failure.get("message").startswith(
                f"{report['runs']['failed']} of {report['runs']['attempted']} runs failed"), failure.get("message"))
            lines = failure.text.splitlines()
            self.assertIn(f"{first['failed_tests'][0]['file']}:{GTEST.line}", lines)
            self.assertIn(f"trace: {first['trace']}", lines)
            self.assertIn(f"replay: {first['replay_command']}", lines)

    def test_passing_hunt(self):
        r, report, root = self.hunt(GTEST.program, extra_env={"RRTR_EXAMPLE_TICKET": "0"}, cap=5)
        self.assert_status(r, 0)
        suite, cases = self.cases(root)
        self.assertEqual(len(cases), len(GTEST.tests))
        self.assertEqual(suite.get("failures"), "0")
        self.assertTrue(all(c.find("failure") is None for c in cases.values()))

    def test_failure_outside_any_test(self):
        # A plain program names no test, so the failure goes to the extra testcase;
        # without it the JUnit file would be all green.
        r, report, root = self.hunt(os.path.join(wflib.ARGS.programs, "sometimes_exits_1"), cap=100)
        self.assert_status(r, 1)
        _, cases = self.cases(root)
        outside = [c for (_, n), c in cases.items() if n == "(outside any test)"]
        self.assertEqual(len(outside), 1, list(cases))
        self.assertIsNotNone(outside[0].find("failure"))
        self.assertEqual(outside[0].get("classname"), "sometimes_exits_1")


if __name__ == "__main__":
    wflib.main()
