"""What the engine cannot record stops the recording with 243 and a message naming
what the program did; the trace so far is kept, marked incomplete, and replays up to
that point before exiting 245."""
import json

import e2e_lib as e2e


class Unsupported(e2e.E2ETestCase):
    def refused(self, command, printed, words):
        trace = self.tmp / "trace"
        rec = e2e.record(trace, *command)
        self.assert_status(rec, 243)
        self.assertEqual(rec.out, printed, "output before the refused call passes through")
        lines = rec.err_lines
        self.assertEqual(len(lines), 2, lines)
        self.assertTrue(lines[0].startswith(e2e.PREFIX), lines[0])
        for word in words:
            self.assertIn(word, lines[0])
        self.assertEqual(lines[1], f"rr-test-runner: incomplete trace written to {trace}")

        meta = json.loads((trace / "meta.json").read_text())
        self.assertIs(meta["complete"], False)
        self.assertEqual(meta["incomplete_reason"], lines[0][len(e2e.PREFIX):])

        rep = e2e.replay(trace)
        self.assert_status(rep, 245)
        self.assertEqual(rep.out, printed)
        self.assert_one_error_line(rep, contains=["incomplete"])

    def test_fork(self):
        self.refused([e2e.program("fork_child")], b"before fork\n", ["process", "clone"])

    def test_pthread(self):
        self.refused([e2e.program("start_thread")], b"before thread\n", ["thread", "clone"])

    def test_syscall_unknown_to_the_kernel(self):
        self.refused([e2e.program("raw_syscall"), "1000"], b"before syscall 1000\n", ["unknown", "1000"])

    def test_syscall_newer_than_the_engine(self):
        # 460 (lsm_set_self_attr) postdates the engine's syscall table.
        self.refused([e2e.program("raw_syscall"), "460"], b"before syscall 460\n", ["syscall 460"])


if __name__ == "__main__":
    e2e.main()
