"""--jobs 2 from an empty traces directory, the way every CI job starts: the recorders
running side by side share one blob store and must all record. Repeated a few times
because what can go wrong here is a race between the first two recordings."""
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


if __name__ == "__main__":
    wflib.main()
