"""The traces directory runs out of space part-way through a hunt: the runner must stop
(not loop on unrecordable runs), keep the traces that were completed, leave no partial
one behind, say why, and exit non-zero. Needs a tmpfs mount, so root; skipped without."""
import shutil
import subprocess

import wflib
from wflib import GTEST, WorkflowCase, load_report, replay, runner, visible_entries

COULD_NOT_RECORD = 243
# Room left beside the blob store, in KiB. Where exactly the disk runs out (a blob, the
# events, meta.json, the run's log) shifts with the room and with path lengths, so
# several sizes are tried; a trace's own files take a few KiB.
ROOM_KIB = (8, 24, 40, 64, 100, 160)


def disk_usage_kib(path):
    out = subprocess.run(["du", "-sk", str(path)], capture_output=True, text=True, check=True).stdout
    return int(out.split()[0])


class DiskFull(WorkflowCase):
    def mount_small_tmpfs(self, name, kib):
        mountpoint = self.tmp / name
        mountpoint.mkdir()
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={kib}k,mode=0700", "tmpfs", str(mountpoint)],
                           capture_output=True, text=True)
        if r.returncode != 0:
            self.skipTest(f"cannot mount a tmpfs here: {r.stderr.strip()}")
        self.addCleanup(subprocess.run, ["umount", "-l", str(mountpoint)], check=False)
        return mountpoint

    def test_traces_dir_fills_up(self):
        # Sized from a real recording: the shared blob store (libraries, the binary) must
        # fit, or no run completes and "keeps what was complete" checks nothing.
        probe = self.tmp / "probe"
        r = runner("--repeat", "1", "--keep", "all", "--traces-dir", probe, "--", GTEST.program)
        self.assertIn(r.status, (0, 1), r.describe())
        store_kib = disk_usage_kib(probe)
        shutil.rmtree(probe)
        self.kept_counts = []
        for room in ROOM_KIB:
            # Outside the subTest, so that a host that refuses the mount skips the test
            # instead of skipping each size and failing the summary below.
            small = self.mount_small_tmpfs(f"room{room}", store_kib + room)
            with self.subTest(room_kib=room):
                self.check_fills_up(small)
        self.assertTrue(any(self.kept_counts), f"no size let a run complete: kept {self.kept_counts}")

    def check_fills_up(self, small):
        traces = small / "traces"
        report_path = small.parent / f"{small.name}-report.json"  # outside, so it can be checked
        r = runner("--repeat", "400", "--keep", "all", "--traces-dir", traces, "--report", report_path,
                   "--", GTEST.program)
        self.assert_status(r, COULD_NOT_RECORD)
        report = load_report(report_path)
        self.assert_runs_add_up(report, could_not_record=1)
        self.assertLess(report["runs"]["attempted"], 400, "the runner did not stop")

        kept = visible_entries(traces)
        self.kept_counts.append(len(kept))
        self.assertEqual(len(kept), report["runs"]["passed"] + report["runs"]["failed"],
                         f"kept {kept} for {report['runs']}")
        self.assertEqual([h for h in wflib.hidden_entries(traces) if h != ".blobs"], [],
                         "per-run files were left behind")
        for name in kept:
            meta = wflib.trace_meta(traces / name)
            self.assertTrue(meta["complete"], f"partial trace {name} was kept")
            replayed = replay(traces / name, "--autopilot")
            self.assertEqual(replayed.status, meta["exit_status"], replayed.describe())
            self.assertEqual(replayed.out, wflib.recorded_output(traces / name))

        # The user has to learn that the disk is full, not just that "a run could not be
        # recorded".
        stopped = [line for line in r.err_lines if "could not be recorded" in line and "stopped" in line]
        self.assertEqual(len(stopped), 1, r.describe())
        self.assertIn("No space left on device", stopped[0])


if __name__ == "__main__":
    wflib.main()
