"""merge-reports on the reports of two real shards (different seeds, different traces
directories), as the CI example workflow's merge job does."""
import math

import wflib
from wflib import GTEST, WorkflowCase, load_report, runner


class Merge(WorkflowCase):
    def shard(self, seed):
        traces = self.tmp / f"shard{seed}"
        r = runner("--until-fail=400", "--seed", seed, "--traces-dir", traces,
                   "--", GTEST.program)
        self.assert_status(r, 1)
        report = load_report(traces / "report.json")
        self.assertEqual(report["options"]["seed"], seed)
        return traces / "report.json", report

    def test_merge_two_shards(self):
        (path_a, a), (path_b, b) = self.shard(1), self.shard(2)
        merged_path = self.tmp / "merged.json"
        r = runner("merge-reports", "-o", merged_path, path_a, path_b)
        self.assert_status(r, 0)
        merged = load_report(merged_path)

        for counter in ("attempted", "passed", "failed", "could_not_record"):
            self.assertEqual(merged["runs"][counter], a["runs"][counter] + b["runs"][counter], counter)
        self.assertTrue(math.isclose(merged["duration_s"], a["duration_s"] + b["duration_s"]))
        self.assertIsNone(merged["options"]["seed"], "shards with different seeds kept a seed")
        self.assertEqual(merged["merge"]["merged_from"], [str(path_a), str(path_b)])
        self.assertFalse(merged["merge"]["hosts_differ"])

        self.assertEqual(len(merged["failures"]), len(a["failures"]) + len(b["failures"]))
        expected = [(0, 1, f["run_index"], f["trace"]) for f in a["failures"]]
        expected += [(1, 2, f["run_index"] + a["runs"]["attempted"], f["trace"]) for f in b["failures"]]
        self.assertEqual([(f["shard"], f["seed"], f["run_index"], f["trace"]) for f in merged["failures"]],
                         expected)

        tests_a = {t["name"]: t for t in a["tests"]}
        tests_b = {t["name"]: t for t in b["tests"]}
        self.assertEqual(sorted(t["name"] for t in merged["tests"]), sorted(GTEST.tests))
        for t in merged["tests"]:
            for key in ("runs", "passed", "failed"):
                self.assertEqual(t[key], tests_a[t["name"]][key] + tests_b[t["name"]][key], (t, key))
            self.assertEqual(t["flake_rate"], t["failed"] / t["runs"], t)


if __name__ == "__main__":
    wflib.main()
