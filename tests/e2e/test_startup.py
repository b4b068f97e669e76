"""The program's start-up (ld.so, libc's initialisation, library constructors before
the preload's) runs without stops and is not recorded: the trace starts with a snapshot
of its end, and replay starts there (docs/architecture.md, step 3)."""
import json
import os
import signal
import subprocess

import e2e_lib as e2e

SIGSEGV_STATUS = 128 + signal.SIGSEGV


class StartUp(e2e.E2ETestCase):
    def record_and_replay(self, *command, expected_status=0, replays=3, input=None):
        trace = self.tmp / "trace"
        rec = e2e.record(trace, *command, input=input)
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

    def test_a_static_program_faulting_before_any_call(self):
        _, events = self.record_and_replay(e2e.program("startup_static"), "crash", expected_status=SIGSEGV_STATUS)
        self.assert_starts_with_startup_snapshot(events)
        self.assertEqual([(e["kind"], e.get("signal")) for e in events[1:]], [("signal", "SIGSEGV"), ("exit", None)])

    def test_a_mapping_past_the_bound_ends_the_startup(self):
        # A sanitizer's shadow is mapped like this; its page table is not read.
        rec, events = self.record_and_replay(e2e.program("startup_static"), "bigmap")
        self.assertEqual(rec.out, b"mapped\n")
        self.assert_starts_with_startup_snapshot(events)
        self.assertEqual((events[1]["syscall"], int(events[1]["args"][1], 16)), ("mmap", 2 << 30))

    def test_a_startup_that_wrote_more_than_a_snapshot_carries_is_refused(self):
        # Its first recorded call comes after it filled 200 MiB: never a trace that
        # cannot be read.
        trace = self.tmp / "trace"
        rec = e2e.record(trace, e2e.program("startup_static"), "bigheap")
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
        rec, events = self.record_and_replay(e2e.program("startup_static"), "read", input=b"piped in\n")
        self.assertEqual(rec.out, b"piped in\n")
        self.assert_starts_with_startup_snapshot(events)

    def blocked_in_startup_read(self, sig):
        """Records `startup_static read`, blocked on an open pipe, and sends `sig` to it."""
        trace = self.tmp / "trace"
        recorder = subprocess.Popen([e2e.RUNNER, "record", "-o", trace, "--", e2e.program("startup_static"), "read"],
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    start_new_session=True)
        try:
            program = os.path.realpath(e2e.program("startup_static"))
            pid = None
            while pid is None:  # the recorder's child, once it is the program
                children = open(f"/proc/{recorder.pid}/task/{recorder.pid}/children").read().split()
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
