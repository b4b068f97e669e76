"""Recording inside a container whose seccomp profile denies the tracer
process_vm_readv/writev and pidfd_getfd (Docker's default without CAP_SYS_PTRACE): the
recorder cannot answer reads, stats and clock reads itself there and must leave them to
the kernel, never hand the program an EFAULT of its own."""
import os

import e2e_lib as e2e

PROFILE = e2e.program("container_profile")
NO_BUFFER = {**os.environ, "RRTR_NO_SYSCALL_BUFFER": "1"}


class ContainerProfile(e2e.E2ETestCase):
    def record_under_profile(self, trace, *command, env=None):
        return e2e.run([PROFILE, e2e.RUNNER, "record", "-o", trace, "--", *command], env=env)

    def test_profile_denies_what_it_says(self):
        # The wrapper works: a traced read under it fails with EPERM natively too.
        r = e2e.run([PROFILE, "python3", "-c",
                     "import ctypes, os; l = ctypes.CDLL(None, use_errno=True); "
                     "print(l.syscall(438, 0, 0, 0), ctypes.get_errno())"])
        self.assertEqual(r.out.split(), [b"-1", b"1"], r.err)

    def test_clock_and_file_reads_record_and_replay(self):
        data = self.tmp / "data"
        data.write_bytes(os.urandom(200_000))
        for env, kind in ((NO_BUFFER, "traced"), (None, "buffered")):
            for command, status in (([e2e.program("read_clock")], 0),
                                    ([e2e.program("read_file_sum"), data], 3)):
                with self.subTest(kind=kind, program=os.path.basename(command[0])):
                    native = e2e.native(*command)
                    trace = self.tmp / f"{kind}-{os.path.basename(command[0])}"
                    rec = self.record_under_profile(trace, *command, env=env)
                    self.assertEqual((rec.status, rec.out), (status, native.out), rec.err_lines)
                    rep = e2e.replay(trace)
                    self.assertEqual((rep.status, rep.out), (status, rec.out), rep.err_lines)


if __name__ == "__main__":
    e2e.main()
