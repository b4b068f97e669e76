"""pack: a kept trace packed into one .tar.zst, unpacked elsewhere after the original
traces directory is gone, replays the same failure."""
import shutil

import wflib
from wflib import GTEST, WorkflowCase, load_report, replay, run, runner

ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


class Pack(WorkflowCase):
    def test_pack_unpack_replay(self):
        traces = self.tmp / "traces"
        r = runner("--until-fail=400", "--traces-dir", traces, "--", GTEST.program)
        self.assert_status(r, 1)
        failure = load_report(traces / "report.json")["failures"][0]
        trace = failure["trace"]
        original = replay(trace, "--autopilot")
        self.assert_status(original, 1)
        original_stop = self.goto_failure_line(wflib.goto_failure(trace))

        packed = self.tmp / "artifacts" / "failure.tar.zst"
        packed.parent.mkdir()
        r = runner("pack", trace, "-o", packed)
        self.assert_status(r, 0)
        with open(packed, "rb") as f:
            self.assertEqual(f.read(4), ZSTD_MAGIC)

        unpacked = self.tmp / "unpacked"
        unpacked.mkdir()
        r = run(["tar", "--zstd", "-xf", packed, "-C", unpacked])
        self.assert_status(r, 0)
        # Nothing the pack could still lean on: the trace, its siblings, the blob store.
        shutil.rmtree(traces)
        (moved,) = list(unpacked.iterdir())

        again = self.assert_replays_failure(GTEST, moved, times=2)
        self.assertEqual((again.status, again.out, again.err), (original.status, original.out, original.err))
        stop = wflib.goto_failure(moved)
        self.assert_stops_at_failure(GTEST, stop, moved)
        self.assertEqual(self.goto_failure_line(stop), original_stop)


if __name__ == "__main__":
    wflib.main()
