"""SIGINT/SIGTERM to the recorder: it kills the program, keeps a trace marked
incomplete, exits 128+signal; that trace replays what happened before and then says
it is incomplete (245)."""
import json
import signal
import subprocess
import time
from pathlib import Path

import e2e_lib as e2e

# Where each mode of wait_forever spends its time: clock_nanosleep, read, getppid.
SYSCALL_OF = {"sleep": {230}, "pipe": {0}, "busy": {110}}


class Interruption(e2e.E2ETestCase):
    def interrupt(self, sig, blocking):
        trace = self.tmp / "trace"
        recorder = subprocess.Popen([e2e.RUNNER, "record", "-o", trace, "--", e2e.program("wait_forever"), blocking],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        try:
            first = recorder.stdout.readline()
            second = recorder.stdout.readline()
            self.assertEqual(second, b"blocking now\n")
            pid = int(first.split()[1])
            # Past its write: what it printed is in the trace (test_killed_tracee covers
            # a kill that lands on the write itself).
            e2e.wait_until_in_syscall(pid, SYSCALL_OF[blocking])
            recorder.send_signal(sig)  # to the recorder only: the program has its own pid
            rest, err = recorder.communicate(timeout=e2e.TIMEOUT_S)
        finally:
            if recorder.poll() is None:
                recorder.kill()
                recorder.communicate()
        self.assertEqual(recorder.returncode, 128 + sig, "the recorder exits; it is not killed by the signal")
        self.assertEqual(rest, b"")
        self.assertFalse(Path(f"/proc/{pid}").exists(), f"the recorded program {pid} outlived its recorder")
        name = signal.Signals(sig).name
        lines = err.decode().splitlines()
        self.assertEqual(lines, [f"rr-test-runner: interrupted by {name}",
                                 f"rr-test-runner: incomplete trace written to {trace}"])

        meta = json.loads((trace / "meta.json").read_text())
        self.assertIs(meta["complete"], False)
        self.assertIn(name, meta["incomplete_reason"])

        rep = e2e.replay(trace)
        self.assert_status(rep, 245)
        self.assertEqual(rep.out, first + second)
        self.assert_one_error_line(rep, contains=["incomplete"])

    def test_sigint_during_nanosleep(self):
        self.interrupt(signal.SIGINT, "sleep")

    def test_sigint_during_pipe_read(self):
        self.interrupt(signal.SIGINT, "pipe")

    def test_sigint_during_syscall_loop(self):
        # The recorder is mostly between stops here, not waiting in waitpid.
        self.interrupt(signal.SIGINT, "busy")

    def test_sigterm_during_nanosleep(self):
        self.interrupt(signal.SIGTERM, "sleep")

    def test_sigterm_during_pipe_read(self):
        self.interrupt(signal.SIGTERM, "pipe")

    def test_sigterm_during_syscall_loop(self):
        self.interrupt(signal.SIGTERM, "busy")

    def test_a_signal_at_any_moment_of_the_start(self):
        # From the recorder's first instructions to the program's start-up: before its
        # handlers the recorder dies of the signal (no trace yet); after, whatever it was
        # waiting for (the fork's first stop, the exec, the trace directory's thread), it
        # exits 128+signal with an incomplete trace, and leaves no process behind.
        outcomes = set()
        delays = [i * 0.0001 for i in range(30)] + [0.005 * i for i in range(1, 11)]  # to 3 ms finely, then to 50 ms
        for i, delay in enumerate(delays):
            trace = self.tmp / f"trace-{i}"
            recorder = subprocess.Popen([e2e.RUNNER, "record", "-o", trace, "--", e2e.program("wait_forever"), "pipe"],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
            time.sleep(delay)
            recorder.send_signal(signal.SIGINT)
            _, err = recorder.communicate(timeout=e2e.TIMEOUT_S)
            if recorder.returncode == -signal.SIGINT:
                self.assertFalse(trace.exists(), "killed before its handlers, the recorder made no trace")
                outcomes.add("before")
                continue
            self.assertEqual(recorder.returncode, 128 + signal.SIGINT, err)
            self.assertEqual(err.decode().splitlines()[0], "rr-test-runner: interrupted by SIGINT")
            meta = json.loads((trace / "meta.json").read_text())
            self.assertFalse(meta["complete"])
            self.assertIn("interrupted by SIGINT", meta["incomplete_reason"])
            outcomes.add("after")
            self.assertEqual(e2e.reap_leftovers(), [])
        self.assertIn("after", outcomes)


if __name__ == "__main__":
    e2e.main()
