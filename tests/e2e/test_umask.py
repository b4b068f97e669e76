"""The recorded program starts with the umask it would have natively: the recorder's
own (private) umask for traces must not leak into it."""
import os

import e2e_lib as e2e


def umask_022():
    os.umask(0o022)


class Umask(e2e.E2ETestCase):
    def test_program_sees_native_umask(self):
        nat = e2e.native(e2e.program("print_umask"), preexec=umask_022)
        self.assertEqual(nat.out, b"umask 0022\n")
        trace = self.tmp / "trace"
        rec = e2e.record(trace, e2e.program("print_umask"), preexec=umask_022)
        self.assert_status(rec, 0)
        self.assertEqual(rec.out, nat.out)
        rep = e2e.replay(trace)
        self.assertEqual(rep.out, rec.out)


if __name__ == "__main__":
    e2e.main()
