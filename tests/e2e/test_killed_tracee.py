"""A program killed by SIGKILL from outside while it is recorded: the recording ends
with status 137 and its replay ends the same way."""
import os
import signal
import subprocess

import e2e_lib as e2e


class KilledTracee(e2e.E2ETestCase):
    def kill_while_blocked(self, blocking):
        trace = self.tmp / "trace"
        recorder = subprocess.Popen([e2e.RUNNER, "record", "-o", trace, "--", e2e.program("wait_forever"), blocking],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        try:
            printed = recorder.stdout.readline() + recorder.stdout.readline()
            pid = int(printed.split()[1])
            e2e.wait_until_in_syscall(pid, {230, 0})  # clock_nanosleep or read: past its write
            os.kill(pid, signal.SIGKILL)
            rest, err = recorder.communicate(timeout=e2e.TIMEOUT_S)
        finally:
            if recorder.poll() is None:
                recorder.kill()
                recorder.communicate()
        self.assertEqual(recorder.returncode, 137)
        self.assertEqual(rest, b"")
        self.assertEqual(err.decode(), f"rr-test-runner: trace written to {trace}\n")

        rep = e2e.replay(trace)
        self.assert_status(rep, 137)
        self.assertFalse(rep.killed_by_signal, "the replayer reports the status; it is not killed itself")
        self.assertEqual(rep.out, printed)
        self.assertEqual(rep.err, b"")

    def test_killed_in_nanosleep(self):
        self.kill_while_blocked("sleep")

    def test_killed_in_pipe_read(self):
        self.kill_while_blocked("pipe")

    def test_killed_inside_a_write(self):
        # Part of the write reached the pipe before the kill, but the call never
        # returned, so no tracer can know how much: the trace ends with the last call
        # that completed (a documented limitation, docs/architecture.md). The replay
        # shows what those calls printed, here nothing of the cut-short write, and the
        # recorded death.
        trace = self.tmp / "trace"
        recorder = subprocess.Popen([e2e.RUNNER, "record", "-o", trace, "--", e2e.program("big_write")],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        try:
            pid = int(recorder.stderr.readline().split()[1])
            first = recorder.stdout.read(1)  # the write is under way, blocked on the full pipe
            os.kill(pid, signal.SIGKILL)
            rest, err = recorder.communicate(timeout=e2e.TIMEOUT_S)
        finally:
            if recorder.poll() is None:
                recorder.kill()
                recorder.communicate()
        self.assertEqual(recorder.returncode, 137)
        printed = first + rest
        self.assertTrue(0 < len(printed) < 1 << 20, len(printed))
        self.assertEqual(err.decode(), f"rr-test-runner: trace written to {trace}\n")

        rep = e2e.replay(trace)
        self.assert_status(rep, 137)
        self.assertTrue(printed.startswith(rep.out), "the replay prints a prefix of what the program delivered")
        self.assertEqual(rep.out, b"", "the only write was cut short by the kill")


if __name__ == "__main__":
    e2e.main()
