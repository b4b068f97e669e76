"""Record and replay end with the status the program has natively, signals included."""
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


if __name__ == "__main__":
    e2e.main()
