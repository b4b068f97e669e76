"""Record and replay end with the status the program has natively, signals included,
also when the caller left stdout or stderr closed or pointing at a full disk."""
import json
import os
import signal
import subprocess

from pathlib import Path

import e2e_lib as e2e

EXPECTED = {"0": 0, "1": 1, "42": 42, "segv": 128 + 11, "abort": 128 + 6}


class ExitStatus(e2e.E2ETestCase):
    def test_statuses(self):
        for how, status in EXPECTED.items():
            with self.subTest(how):
                command = [e2e.program("exit_with"), how]
                nat = e2e.native(*command)
                self.assertEqual(nat.status, status, "native run")
                trace = self.tmp / f"trace-{how}"
                rec = e2e.record(trace, *command)
                rep = e2e.replay(trace)
                for what, result in (("record", rec), ("replay", rep)):
                    self.assert_status(result, status)
                    self.assertFalse(result.killed_by_signal, f"{what} must exit, not be killed")
                    self.assertEqual(result.out, nat.out, what)
                self.assertEqual(rec.err.decode(), f"rr-test-runner: trace written to {trace}\n")
                self.assertEqual(rep.err, b"")

    def test_closed_or_full_standard_streams(self):
        # The tool's first files must not take the numbers 0-2 (its messages would land
        # in the trace), a message it cannot show must not turn success into an error,
        # and the program must still find the streams as the caller left them.
        def close(*fds):
            return lambda: [os.close(fd) for fd in fds]

        def full_stderr():
            os.dup2(os.open("/dev/full", os.O_WRONLY), 2)

        command = [e2e.program("exit_with"), "0"]  # prints first: fails without stdout
        for name, setup in (("stderr closed", close(2)), ("stdout and stderr closed", close(1, 2)),
                            ("all three closed", close(0, 1, 2)), ("stderr a full disk", full_stderr)):
            with self.subTest(name):
                nat = e2e.native(*command, preexec=setup)
                trace = self.tmp / name.replace(" ", "-")
                rec = e2e.record(trace, *command, preexec=setup)
                self.assertEqual(rec.status, nat.status)
                meta = json.loads((trace / "meta.json").read_text())
                self.assertTrue(meta["complete"], meta.get("incomplete_reason"))
                self.assertEqual(meta["exit_status"], nat.status)
                rep = e2e.replay(trace, preexec=setup)
                self.assertEqual(rep.status, nat.status)
                self.assertEqual(e2e.replay(trace).status, nat.status)

    def test_the_recorders_files_never_take_a_closed_standard_number(self):
        # With stdin and stderr closed, the first files the recorder opens would get 0
        # and 2, and anything it printed would go into its trace.
        trace = self.tmp / "trace"
        recorder = subprocess.Popen([e2e.RUNNER, "record", "-o", trace, "--", e2e.program("wait_forever"), "sleep"],
                                    stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, start_new_session=True,
                                    preexec_fn=lambda: [os.close(0), os.close(2)])
        try:
            pid = int(recorder.stdout.readline().split()[1])
            e2e.wait_until_in_syscall(pid, {230})  # clock_nanosleep: the recording runs
            for fd in (0, 2):
                target = os.readlink(f"/proc/{recorder.pid}/fd/{fd}")
                self.assertEqual(target, "/dev/null", f"the recorder's descriptor {fd}")
                self.assertFalse(Path(f"/proc/{pid}/fd/{fd}").exists(), f"the program's {fd} must stay closed")
            recorder.send_signal(signal.SIGTERM)
            recorder.communicate(timeout=e2e.TIMEOUT_S)
        finally:
            if recorder.poll() is None:
                recorder.kill()
                recorder.communicate()


if __name__ == "__main__":
    e2e.main()
