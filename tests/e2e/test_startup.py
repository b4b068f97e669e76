"""The program's start-up (ld.so, libc's initialisation, library constructors before
the preload's) runs without stops and is not recorded: the trace starts with a snapshot
of its end, and replay starts there (docs/architecture.md, step 3)."""
import json
import os
import signal
import subprocess
from pathlib import Path

import e2e_lib as e2e

SIGSEGV_STATUS = 128 + signal.SIGSEGV
MODES = e2e.program("startup_modes")  # STARTUP_MODE picks what its library's constructor does


class StartUp(e2e.E2ETestCase):
    def record_and_replay(self, *command, expected_status=0, replays=3, input=None, env=None):
        trace = self.tmp / "trace"
        rec = e2e.record(trace, *command, input=input, env=env)
        self.assert_status(rec, expected_status)
        for _ in range(replays):
            rep = e2e.replay(trace)
            self.assert_status(rep, expected_status)
            self.assertEqual(rep.out, rec.out)
        dump = e2e.dump(trace)
        self.assert_status(dump, 0)
        return rec, [json.loads(line) for line in dump.out.decode().splitlines()]

    def assert_starts_with_startup_snapshot(self, events):
        first = events[0]
        self.assertEqual((first["kind"], first["point"]), ("exec", "start-up"))
        self.assertNotEqual(int(first["brk"], 16), 0)
        self.assertEqual([e["kind"] for e in events].count("exec"), 1)

    def test_a_library_constructors_work_comes_back_from_the_snapshot(self):
        probe = e2e.program("startup_probe")
        native = [e2e.native(probe).out for _ in range(2)]
        self.assertNotEqual(native[0], native[1], "the probe must differ between native runs")
        rec, events = self.record_and_replay(probe)
        self.assert_starts_with_startup_snapshot(events)
        self.assertIn(b"same=1\n", rec.out)
        # The registers the constructor left (the rounding mode upward, random bytes in
        # xmm15) come back with the snapshot's XSAVE area.
        self.assertIn(b"xmm15=1 third=0.33333333333333338\n", rec.out)
        self.assertEqual(int(events[0]["mxcsr"], 16) & 0x6000, 0x4000, "MXCSR's rounding control: upward")
        # The constructor's mapping is in the snapshot: zeroes but for the page it wrote.
        address = int(rec.out.split(b"map=")[1].split()[0], 16)
        [mapping] = [m for m in events[0]["mappings"] if int(m["start"], 16) <= address < int(m["end"], 16)]
        self.assertEqual((mapping["source"], mapping.get("page_bytes")), ("zero", 4096))
        # The libraries the program uses are in the snapshot as files, with the pages the
        # loader relocated; none of ld.so's calls is an event.
        libs = {m["name"] for m in events[0]["mappings"] if m["source"] == "file"}
        self.assertTrue(any(name.endswith("/startup_lib.so") or "libstartup_lib" in name for name in libs), libs)
        self.assertTrue(any(m.get("page_bytes") for m in events[0]["mappings"] if m["source"] == "file"))
        mmaps = [e for e in events if e["kind"] == "syscall" and e["syscall"] == "mmap"]
        self.assertEqual(mmaps, [], "ld.so's mappings are part of the start-up")

    def in_mode(self, mode):
        return dict(os.environ, STARTUP_MODE=mode)

    def test_a_fault_before_any_recorded_call(self):
        _, events = self.record_and_replay(MODES, expected_status=SIGSEGV_STATUS, env=self.in_mode("crash"))
        self.assert_starts_with_startup_snapshot(events)
        self.assertEqual([(e["kind"], e.get("signal")) for e in events[1:]], [("signal", "SIGSEGV"), ("exit", None)])

    def test_a_mapping_past_the_bound_ends_the_startup(self):
        # A sanitizer's shadow is mapped like this; its page table is not read.
        rec, events = self.record_and_replay(MODES, env=self.in_mode("bigmap"))
        self.assertEqual(rec.out, b'main: input "", buffer none\n')
        self.assert_starts_with_startup_snapshot(events)
        self.assertEqual((events[1]["syscall"], int(events[1]["args"][1], 16)), ("mmap", 2 << 30))

    def test_a_big_buffer_ends_the_startup(self):
        # malloc's 200 MiB mapping is past the start-up's bound: it is recorded, and its
        # contents are not carried in the snapshot.
        rec, events = self.record_and_replay(MODES, replays=1, env=self.in_mode("bigbuf"))
        self.assertEqual(rec.out, b'main: input "", buffer filled\n')
        self.assert_starts_with_startup_snapshot(events)
        self.assertTrue(any(e.get("syscall") == "mmap" and int(e["args"][1], 16) >= 200 << 20 for e in events))
        self.assertLess(sum(m.get("page_bytes", 0) for m in events[0]["mappings"]), 8 << 20)

    def test_a_startup_that_wrote_more_than_a_snapshot_carries_is_refused(self):
        # Five 30 MiB mappings, each within the start-up's bound, all filled before the
        # first recorded call: never a trace that cannot be read.
        trace = self.tmp / "trace"
        rec = e2e.record(trace, MODES, env=self.in_mode("maps"))
        self.assert_status(rec, 243)
        self.assertIn("more than 128 MiB", rec.err_lines[0])
        self.assertIn("incomplete trace written", rec.err_lines[-1])
        meta = json.loads((trace / "meta.json").read_text())
        self.assertFalse(meta["complete"])
        self.assertIn("more than 128 MiB", meta["incomplete_reason"])
        rep = e2e.replay(trace)
        self.assert_status(rep, 245)
        self.assert_one_error_line(rep, contains=("the trace is incomplete", "more than 128 MiB", "replayed 0 events"))

    def test_input_read_in_the_startup(self):
        rec, events = self.record_and_replay(MODES, input=b"piped in", env=self.in_mode("read"))
        self.assertEqual(rec.out, b'main: input "piped in", buffer none\n')
        self.assert_starts_with_startup_snapshot(events)

    def test_signal_handlers_and_stack_set_in_the_startup(self):
        # sigaction and sigaltstack run natively, unrecorded: the snapshot carries them.
        native = e2e.native(MODES, env=self.in_mode("signals"))
        expected = b"usr1 caught 1 onstack 1, hup ignored 1, altstack 1, handled on it 1\n"
        self.assertEqual(native.out, b'main: input "", buffer none\n' + expected)
        rec, events = self.record_and_replay(MODES, env=self.in_mode("signals"))
        self.assertEqual(rec.out, native.out)
        self.assert_starts_with_startup_snapshot(events)
        signals = events[0]["signals"]
        self.assertEqual([a["signal"] for a in signals["actions"]], ["SIGHUP", "SIGUSR1"])
        self.assertEqual(signals["altstack"]["size"], 64 * 1024)
        self.assertNotIn("sigaltstack", {e.get("syscall") for e in events})

    def test_a_random_device_made_in_the_startup(self):
        # Its constructor sees the real CPUID (RDRAND), faulting or not: the preload
        # points it at /dev/urandom on every machine, whose reads are recorded.
        program = e2e.program("startup_random_device")
        natives = [e2e.native(program).out for _ in range(2)]
        self.assertNotEqual(natives[0], natives[1])
        rec, events = self.record_and_replay(program)
        self.assertRegex(rec.out, rb"^\d+ \d+\n$")
        self.assertTrue(any(e.get("syscall") in ("read", "getrandom") for e in events[1:]),
                        "the draws must be calls the trace holds")

    def test_a_static_program_grows_its_heap_in_its_first_calls(self):
        # glibc's static start-up sets its TLS up with brk: a growing heap ends the
        # start-up there, and the rest is recorded as before.
        rec, events = self.record_and_replay(e2e.program("exit_with_static"), "3", expected_status=3)
        self.assertEqual(rec.out, b"ending with 3\n")
        self.assert_starts_with_startup_snapshot(events)
        self.assertEqual((events[1]["syscall"], events[1]["replay"]), ("brk", "brk"))
        # The recorder makes that brk itself, in the snapshot's batch: the snapshot is the
        # memory before it (nothing mapped between the two breaks), the event its growth.
        page_up = lambda a: (a + 4095) & ~4095
        before, grown = int(events[0]["brk"], 16), events[1]["result"]
        self.assertEqual(grown, int(events[1]["args"][0], 16), "the heap grew as asked")
        self.assertGreater(page_up(grown), page_up(before))
        for m in events[0]["mappings"]:
            self.assertFalse(int(m["start"], 16) < page_up(grown) and int(m["end"], 16) > page_up(before),
                             f"the snapshot holds the grown heap: {m}")

    def blocked_in_startup_read(self, sig):
        """Records the `read` mode, blocked on an open pipe, and sends `sig` to it."""
        trace = self.tmp / "trace"
        recorder = subprocess.Popen([e2e.RUNNER, "record", "-o", trace, "--", MODES], env=self.in_mode("read"),
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    start_new_session=True)
        try:
            program = os.path.realpath(MODES)
            pid = None
            while pid is None:  # the recorder's child, once it is the program
                children = Path(f"/proc/{recorder.pid}/task/{recorder.pid}/children").read_text().split()
                if children and os.path.realpath(f"/proc/{children[0]}/exe") == program:
                    pid = int(children[0])
            e2e.wait_until_in_syscall(pid, {0})
            os.kill(pid, sig)
            # Its input stays open until the recording ends: at EOF the read would
            # return before the signal interrupts it.
            recorder.wait(timeout=e2e.TIMEOUT_S)
            out, err = recorder.communicate(timeout=e2e.TIMEOUT_S)
        finally:
            if recorder.poll() is None:
                recorder.kill()
                recorder.communicate()
        return trace, e2e.Result(e2e.shell_status(recorder.returncode), out, err, recorder.returncode < 0)

    def test_a_signal_interrupting_a_startup_call_is_refused(self):
        trace, rec = self.blocked_in_startup_read(signal.SIGTERM)
        self.assert_status(rec, 243)
        self.assertIn("SIGTERM interrupted read during the program's start-up", rec.err_lines[0])
        self.assertIn("incomplete trace written", rec.err_lines[-1])

    def test_killed_in_the_startup(self):
        # No event but the end: replay has no process to run, only the status.
        trace, rec = self.blocked_in_startup_read(signal.SIGKILL)
        self.assert_status(rec, 137)
        rep = e2e.replay(trace)
        self.assert_status(rep, 137)
        self.assertEqual((rep.out, rep.err), (b"", b""))
        debug = e2e.run([e2e.RUNNER, "replay", trace])
        self.assert_status(debug, 241)
        self.assert_one_error_line(debug, contains=("killed in its start-up", "nothing to debug"))


if __name__ == "__main__":
    e2e.main()
