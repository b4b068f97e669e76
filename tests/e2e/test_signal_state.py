"""The signal state a program starts with (what exec keeps: ignored signals and the
mask) is recorded, and replay starts the program with it, not with the replayer's own
(its Ctrl-C handlers, whatever its parent ignored): the program's sigaction queries run
natively and must answer the same."""
import signal

import e2e_lib as e2e

PROGRAM = e2e.program("signal_state")


def ignore_usr1_block_usr2():
    signal.signal(signal.SIGUSR1, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR2})


class SignalState(e2e.E2ETestCase):
    def test_replay_starts_with_the_recorded_dispositions_and_mask(self):
        native = e2e.native(PROGRAM, preexec=ignore_usr1_block_usr2)
        self.assertEqual(native.out, b"1:default 2:default 13:default 15:default 10:ignored 12:default 17:default "
                                     b"| blocked: 12\n")
        trace = self.tmp / "trace"
        rec = e2e.record(trace, PROGRAM, preexec=ignore_usr1_block_usr2)
        self.assert_status(rec, 0)
        self.assertEqual(rec.out, native.out)
        rep = e2e.replay(trace)  # from a replayer that ignores and blocks neither
        self.assert_status(rep, 0)
        self.assertEqual(rep.out, rec.out)

    def test_the_replayers_own_handlers_do_not_reach_the_program(self):
        trace = self.tmp / "trace"
        rec = e2e.record(trace, PROGRAM)
        self.assertIn(b"2:default 13:default 15:default", rec.out)
        rep = e2e.replay(trace)
        self.assert_status(rep, 0)
        self.assertEqual(rep.out, rec.out)

    def test_an_exec_in_the_replay_resets_handlers_as_execve_does(self):
        # The replay rebuilds the exec itself: caught signals go back to default,
        # ignored ones stay ignored, exactly as the recorded execve left them.
        native = e2e.native(PROGRAM, "exec")
        self.assertEqual(native.out, b"1:default 2:default 13:default 15:default 10:ignored 12:default 17:default "
                                     b"| blocked:\n")
        trace = self.tmp / "trace"
        rec = e2e.record(trace, PROGRAM, "exec")
        self.assertEqual((rec.status, rec.out), (0, native.out), rec.err_lines)
        rep = e2e.replay(trace)
        self.assertEqual((rep.status, rep.out), (0, rec.out), rep.err_lines)


if __name__ == "__main__":
    e2e.main()
