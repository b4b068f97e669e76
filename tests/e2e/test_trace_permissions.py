"""Traces hold the program's environment and the data it read: nothing in them, the
shared blob store included, may be readable by group or others, whatever the umask."""
import os
import stat

import e2e_lib as e2e


def permissive_umask():
    os.umask(0)


class TracePermissions(e2e.E2ETestCase):
    def assert_private_tree(self, root):
        checked = 0
        for dirpath, dirnames, filenames in os.walk(root):
            for path in [dirpath] + [os.path.join(dirpath, f) for f in filenames]:
                st = os.lstat(path)
                if stat.S_ISDIR(st.st_mode):
                    self.assertEqual(stat.S_IMODE(st.st_mode), 0o700, path)
                else:
                    self.assertTrue(stat.S_ISREG(st.st_mode), f"{path} is neither file nor directory")
                    self.assertEqual(stat.S_IMODE(st.st_mode), 0o600, path)
                checked += 1
        return checked

    def test_traces_dir_with_shared_store(self):
        traces = self.tmp / "traces"
        for arg in ("0", "1"):  # the second run finds its blobs already in the store
            rec = e2e.run([e2e.RUNNER, "record", "--traces-dir", traces, "--", e2e.program("exit_with"), arg],
                          preexec=permissive_umask)
            self.assert_status(rec, int(arg))
        self.assertEqual(sorted(p.name for p in traces.iterdir()), [".blobs", "exit_with-0", "exit_with-1"])
        self.assertGreater(len(list((traces / ".blobs").glob("*.zst"))), 2)
        for part in (".blobs", "exit_with-0", "exit_with-1"):
            self.assertGreater(self.assert_private_tree(traces / part), 2)
        # The recorder made the traces directory too: writable by others, it would let
        # them swap the store or a trace for their own.
        self.assertEqual(stat.S_IMODE(traces.stat().st_mode) & 0o022, 0, oct(traces.stat().st_mode))

    def test_output_option_store_beside_trace(self):
        parent = self.tmp / "parent"
        parent.mkdir()
        rec = e2e.record(parent / "trace", e2e.program("exit_with"), "42", preexec=permissive_umask)
        self.assert_status(rec, 42)
        self.assertEqual(sorted(p.name for p in parent.iterdir()), [".blobs", "trace"])
        self.assert_private_tree(parent / "trace")
        self.assert_private_tree(parent / ".blobs")


if __name__ == "__main__":
    e2e.main()
