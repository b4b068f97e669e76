"""run_engine_bench.py's verdicts: met, missed, and not judged when the same native command
timed in two rows disagrees (a ratio over a native run slowed by the disk passes for a result)."""
import importlib.util
import sys
import unittest
from pathlib import Path

spec = importlib.util.spec_from_file_location("bench", Path(__file__).with_name("run_engine_bench.py"))
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)


def row(workload, command, native, record, replay, strace=1.0):
    return {"workload": workload, "command": command, "native": native, "record": record, "replay": replay,
            "strace": strace}


def rows(gtest_native=0.0024, gtest_record=0.0045, unbuffered_native=0.0024):
    return [
        row("hello", "hello", 0.0006, 0.0028, 0.0024),
        row("gtest (31 tests)", "gtest_io", gtest_native, gtest_record, 0.0037),
        row("gtest, no buffer", "gtest_io", unbuffered_native, 0.0195, 0.0142),
        row("100k getppid", "syscall_loop 100000", 0.0125, 0.0337, 0.0384, strace=9.6),
        row("100k getppid, no buffer", "syscall_loop 100000", 0.0124, 1.95, 2.16, strace=9.6),
        row("cpu loop", "cpu_loop 7", 0.99, 1.0, 1.0),
    ]


class Judgement(unittest.TestCase):
    def test_targets_met(self):
        lines, status = bench.judge(rows(), 8.7, 8.5, 0.3)
        self.assertEqual(status, 0)
        self.assertIn("gtest record/native <= 2x: 1.88x ok", lines[1])
        self.assertFalse(any("NOT JUDGED" in line for line in lines))

    def test_gtest_missed(self):
        lines, status = bench.judge(rows(gtest_record=0.0049), 8.7, 8.5, 0.3)
        self.assertEqual(status, bench.MISSED)
        self.assertIn("2.04x MISSED", lines[1])

    def test_rss_missed(self):
        _, status = bench.judge(rows(), 8.7, 65.0, 0.3)
        self.assertEqual(status, bench.MISSED)

    def test_disagreeing_native_runs_are_not_judged(self):
        # Session 10's run after the test suite: 7.5 ms natively in one row, 2.5 in the other.
        lines, status = bench.judge(rows(gtest_native=0.0075, gtest_record=0.0097, unbuffered_native=0.0025),
                                    8.7, 8.5, 0.3)
        self.assertEqual(status, bench.UNJUDGED)
        self.assertIn("1.29x NOT JUDGED", lines[1])
        self.assertIn("cpu loop record/native <= 1.05x: 1.010x ok", lines[0])
        self.assertTrue(any(line.startswith("NOT JUDGED: `gtest_io` natively 2.5 ms") for line in lines))

    def test_a_miss_outweighs_a_target_not_judged(self):
        disagreeing = rows(gtest_native=0.0075, gtest_record=0.0097, unbuffered_native=0.0025)
        disagreeing[-1]["record"] = 1.2  # the CPU loop recorded at 1.21x
        lines, status = bench.judge(disagreeing, 8.7, 8.5, 0.3)
        self.assertEqual(status, bench.MISSED)
        self.assertIn("1.212x MISSED", lines[0])

    def test_small_drift_is_tolerated(self):
        _, status = bench.judge(rows(gtest_native=0.0024, unbuffered_native=0.0029), 8.7, 8.5, 0.3)
        self.assertEqual(status, 0)


if __name__ == "__main__":
    sys.exit(unittest.main())
