"""Hosts that refuse some of what the engine uses, as containers and sandboxes do.

Docker's default seccomp profile without CAP_SYS_PTRACE lets a tracer ptrace but
denies it process_vm_readv/writev and pidfd_getfd: the recorder then cannot answer
reads, stats and clock reads itself and must leave them to the kernel, never hand the
program an EFAULT of its own. Where ptrace or seccomp filters are refused outright,
record and replay stop with one line naming what was refused (exit 248), and never
pass the engine's failure off as the program's exit status."""
import json
import os

import e2e_lib as e2e

DENY = e2e.program("seccomp_deny")
NO_BUFFER = {**os.environ, "RRTR_NO_SYSCALL_BUFFER": "1"}
DOCKER_DEFAULT = "310,311,438"  # process_vm_readv, process_vm_writev, pidfd_getfd
PTRACE, PRCTL, SECCOMP = "101", "157", "317"
HOST_REFUSED = 248


class RestrictedHost(e2e.E2ETestCase):
    def under(self, denied, *args, env=None):
        return e2e.run([DENY, denied, e2e.RUNNER, *args], env=env)

    def test_the_wrapper_denies_what_it_says(self):
        r = e2e.run([DENY, DOCKER_DEFAULT, "python3", "-c",
                     "import ctypes; l = ctypes.CDLL(None, use_errno=True); "
                     "print(l.syscall(438, 0, 0, 0), ctypes.get_errno())"])
        self.assertEqual(r.out.split(), [b"-1", b"1"], r.err)

    def test_docker_default_profile_records_and_replays(self):
        data = self.tmp / "data"
        data.write_bytes(os.urandom(200_000))
        for env, kind in ((NO_BUFFER, "traced"), (None, "buffered")):
            for command, status in (([e2e.program("read_clock")], 0),
                                    ([e2e.program("read_file_sum"), data], 3)):
                with self.subTest(kind=kind, program=os.path.basename(command[0])):
                    native = e2e.native(*command)
                    trace = self.tmp / f"{kind}-{os.path.basename(command[0])}"
                    rec = self.under(DOCKER_DEFAULT, "record", "-o", trace, "--", *command, env=env)
                    self.assertEqual((rec.status, rec.out), (status, native.out), rec.err_lines)
                    rep = self.under(DOCKER_DEFAULT, "replay", "-a", trace)
                    self.assertEqual((rep.status, rep.out), (status, rec.out), rep.err_lines)

    def test_engine_page_with_and_without_writable_code(self):
        # The engine page is mapped writable and executable while its code is written,
        # where the system allows it, then protected before the program runs; where it
        # does not (systemd's MemoryDenyWriteExecute=), mapped writable and protected in
        # a second call. The program sees the same page either way, after any exec.
        wx_denied = "9:wx,10:wx"
        probe = self.under(wx_denied, "python3", "-c",
                           "import mmap; mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)")
        self.assertNotEqual(probe.status, 0, "the wrapper must refuse writable code")
        for denied in (wx_denied, None):
            for name, command in (("first-exec", ["/bin/cat", "/proc/self/maps"]),
                                  ("later-exec", ["/bin/sh", "-c", "exec /bin/cat /proc/self/maps"])):
                with self.subTest(denied=denied, exec=name):
                    trace = self.tmp / f"{name}-{'wx' if denied else 'free'}"
                    run = (lambda *a: self.under(denied, *a)) if denied else (lambda *a: e2e.run([e2e.RUNNER, *a]))
                    rec = run("record", "-o", trace, "--", *command)
                    self.assertEqual(rec.status, 0, rec.err_lines)
                    engine = [line.split()[:2] for line in rec.out.decode().splitlines() if line.startswith("7000")]
                    self.assertEqual(engine, [["70000000-70001000", "r-xp"], ["70001000-70002000", "rw-p"],
                                              ["70002000-70202000", "rw-s"]])  # code, scratch, syscall buffer
                    rep = run("replay", "-a", trace)
                    self.assertEqual((rep.status, rep.out), (0, rec.out), rep.err_lines)

    def test_refused_ptrace_or_filter_is_reported_not_recorded_as_the_programs_exit(self):
        for denied, names in ((PTRACE, "PTRACE_TRACEME"), (PRCTL, "seccomp filter"), (SECCOMP, "seccomp filter")):
            with self.subTest(denied=denied):
                trace = self.tmp / f"trace-{denied}"
                rec = self.under(denied, "record", "-o", trace, "--", e2e.program("exit_with"), "0")
                self.assertEqual(rec.status, HOST_REFUSED, rec.err_lines)
                # As every recording that ends early: the reason, then where the trace went.
                lines = rec.err_lines
                self.assertEqual(len(lines), 2, lines)
                self.assertTrue(lines[0].startswith(e2e.PREFIX), lines[0])
                for word in (names, "Operation not permitted"):
                    self.assertIn(word, lines[0])
                self.assertEqual(lines[1], f"rr-test-runner: incomplete trace written to {trace}")
                meta = json.loads((trace / "meta.json").read_text())
                self.assertFalse(meta["complete"])
                self.assertIn(names, meta["incomplete_reason"])

    def test_refused_ptrace_or_filter_stops_replay_with_one_line(self):
        trace = self.tmp / "trace"
        self.assert_status(e2e.record(trace, e2e.program("exit_with"), "0"), 0)
        for denied, names in ((PTRACE, "PTRACE_TRACEME"), (PRCTL, "PR_SET_TSC"), (SECCOMP, "seccomp filter")):
            with self.subTest(denied=denied):
                rep = self.under(denied, "replay", "-a", trace)
                self.assertEqual(rep.status, HOST_REFUSED, rep.err_lines)
                self.assert_one_error_line(rep, contains=(names, "Operation not permitted"))

    def test_the_runner_stops_at_the_first_run_and_says_why(self):
        traces = self.tmp / "traces"
        r = self.under(PTRACE, "--until-fail=50", "--traces-dir", traces, "--", e2e.program("exit_with"), "0")
        self.assertEqual(r.status, HOST_REFUSED, r.err_lines)
        stopped = [line for line in r.err_lines if "stopped" in line]
        self.assertEqual(len(stopped), 1, r.err_lines)
        self.assertIn("PTRACE_TRACEME", stopped[0])
        report = json.loads((traces / "report.json").read_text())
        self.assertEqual((report["runs"]["attempted"], report["runs"]["could_not_record"]), (1, 1))


if __name__ == "__main__":
    e2e.main()
