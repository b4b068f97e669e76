"""Replay keeps decompressed blobs in a cache of the user's, by content id: the next
replay maps them from there. The cache must be private, and a damaged entry must be
ignored (replay stays byte-identical), never replayed."""
import os
import stat
import subprocess

import e2e_lib as e2e


class BlobCache(e2e.E2ETestCase):
    def setUp(self):
        super().setUp()
        self.cache = self.tmp / "cache" / "blobs"
        self.env = dict(os.environ, RRTR_BLOB_CACHE=str(self.cache))
        self.trace = self.tmp / "trace"
        self.rec = e2e.record(self.trace, e2e.program("print_pid"))
        self.assert_status(self.rec, 0)

    def replay(self):
        r = e2e.replay(self.trace, "--autopilot", env=self.env)
        self.assert_status(r, 0)
        self.assertEqual(r.out, self.rec.out)
        return r

    def test_first_replay_fills_the_cache(self):
        self.replay()
        self.assertTrue(list(self.cache.iterdir()), "nothing was cached")
        self.assertEqual(stat.S_IMODE(self.cache.stat().st_mode), 0o700)
        for p in self.cache.rglob("*"):
            self.assertEqual(stat.S_IMODE(p.stat().st_mode), 0o700 if p.is_dir() else 0o600, p)
        self.replay()  # and from the cache

    def test_damaged_entry_is_not_used(self):
        self.replay()
        biggest = max((p for p in self.cache.iterdir() if p.is_file()), key=lambda p: p.stat().st_size)
        good = biggest.read_bytes()
        data = bytearray(good)
        data[len(data) // 2] ^= 0xFF
        biggest.write_bytes(bytes(data))
        self.replay()  # the same bytes and status
        # Rejected by its hash, the entry was made again from the trace's blob.
        self.assertEqual(biggest.read_bytes(), good)

    def test_off_writes_nothing(self):
        r = e2e.replay(self.trace, "--autopilot", env=dict(self.env, RRTR_BLOB_CACHE="off"))
        self.assert_status(r, 0)
        self.assertFalse(self.cache.exists())

    def test_damaged_trace_blob_misses_the_cache(self):
        # A trace's blob flipped after the cache was filled from it: still reported.
        self.replay()
        blob = max((self.trace / "blobs").iterdir(), key=lambda p: p.stat().st_size)
        data = bytearray(blob.read_bytes())
        data[len(data) // 2] ^= 0xFF
        blob.write_bytes(bytes(data))
        r = e2e.replay(self.trace, "--autopilot", env=self.env)
        self.assertEqual(r.status, 242, r.err_lines)
        self.assert_one_error_line(r, contains=("blob",))

    def test_cache_on_a_noexec_mount_still_replays(self):
        # A hardened /home is mounted noexec: the tracee cannot map its files PROT_EXEC.
        mountpoint = self.tmp / "noexec"
        mountpoint.mkdir()
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", "noexec,size=64m,mode=0700", "tmpfs", str(mountpoint)],
                           capture_output=True, text=True)
        if r.returncode != 0:
            self.skipTest(f"cannot mount a tmpfs here: {r.stderr.strip()}")
        self.addCleanup(subprocess.run, ["umount", "-l", str(mountpoint)], check=False)
        self.env = dict(self.env, RRTR_BLOB_CACHE=str(mountpoint / "blobs"))
        self.replay()  # fills the cache
        self.assertTrue(list((mountpoint / "blobs").iterdir()), "nothing was cached")
        self.replay()  # from it

    def test_unwritable_cache_is_no_error(self):
        self.cache.parent.mkdir(parents=True)
        self.cache.write_text("a file where the directory should be")
        self.replay()


if __name__ == "__main__":
    e2e.main()
