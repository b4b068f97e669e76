"""--jobs 2 from an empty traces directory, the way every CI job starts: the recorders
running side by side share one blob store and must all record. Repeated a few times
because what can go wrong here is a race between the first two recordings."""
import json
import os

import wflib
from wflib import GTEST, WorkflowCase, load_report, runner

ATTEMPTS = 20
RUNS = 4


class ParallelColdStore(WorkflowCase):
    def test_parallel_first_runs_record(self):
        problems = []
        for attempt in range(ATTEMPTS):
            traces = self.tmp / f"attempt{attempt}"
            r = runner("--repeat", RUNS, "--jobs", "2", "--traces-dir", traces, "--", GTEST.program)
            runs = load_report(traces / "report.json")["runs"]
            if r.status not in (0, 1) or runs["attempted"] != RUNS or runs["could_not_record"]:
                stopped = [line for line in r.err_lines if "stopped" in line]
                problems.append(f"attempt {attempt}: status {r.status}, runs {runs}, {stopped}")
        self.assertEqual(problems, [], f"{len(problems)} of {ATTEMPTS} cold --jobs 2 hunts failed to record")

    def test_concurrent_recorders_are_spread_over_the_cpus(self):
        # Each recorder pins itself and its program to one CPU: the runner gives
        # concurrent ones different CPUs, or two would take turns on one.
        cpus = sorted(os.sched_getaffinity(0))
        if len(cpus) < 2:
            self.skipTest("one CPU: nothing to spread over")
        traces = self.tmp / "traces"
        r = runner("--repeat", RUNS, "--jobs", "2", "--keep", "all", "--traces-dir", traces, "--", GTEST.program)
        self.assertIn(r.status, (0, 1), r.err_lines)
        used = [json.loads((t / "meta.json").read_text())["cpu"]["index"] for t in sorted(traces.glob("*-run*"))]
        self.assertEqual(len(used), RUNS, r.err_lines)
        self.assertEqual(set(used), set(cpus[:2]), used)


if __name__ == "__main__":
    wflib.main()
