"""dump prints one JSON object per event: exec first, exit last, syscalls by name."""
import json
import os

import e2e_lib as e2e

# A few numbers whose names cannot change (x86_64 ABI).
KNOWN = {0: "read", 1: "write", 9: "mmap", 12: "brk", 60: "exit", 231: "exit_group"}
MESSAGE = b"raw write to stdout\n"


class Dump(e2e.E2ETestCase):
    def events(self, *command, env=None):
        expected = e2e.native(*command, env=env).status
        trace = self.tmp / "trace"
        self.assert_status(e2e.record(trace, *command, env=env), expected)
        result = e2e.dump(trace)
        self.assert_status(result, 0)
        self.assertEqual(result.err, b"")
        lines = result.out.decode().splitlines()
        events = [json.loads(line) for line in lines]
        self.assertTrue(all(isinstance(e, dict) for e in events))
        self.assertEqual([e["event"] for e in events], list(range(len(events))))
        self.assertEqual(len({e["tid"] for e in events}), 1, "one thread")
        self.assertEqual(events[0]["kind"], "exec")
        self.assertEqual(events[-1]["kind"], "exit")
        self.assertEqual([e["kind"] for e in events].count("exit"), 1)
        kinds = {"exec", "syscall", "signal", "instruction", "marker", "exit"}
        self.assertTrue({e["kind"] for e in events} <= kinds)
        for e in events:
            if e["kind"] == "syscall":
                self.assertIsInstance(e["syscall"], str)
                self.assertIn(e["replay"], {"emulate", "execute", "mmap", "brk", "mremap", "exit", "buffered"})
                if e["nr"] in KNOWN:
                    self.assertEqual(e["syscall"], KNOWN[e["nr"]])
        return events

    def test_write_to_stdout(self):
        events = self.events(e2e.program("raw_write"))
        writes = [e for e in events if e["kind"] == "syscall" and e["syscall"] == "write"]
        self.assertEqual(len(writes), 1, writes)
        [w] = writes
        self.assertEqual(w["nr"], 1)
        self.assertEqual(w["echo_fd"], 1)
        self.assertEqual(w["args"][0], "0x1")
        self.assertEqual(w["args"][2], hex(len(MESSAGE)))
        self.assertEqual(w["result"], len(MESSAGE))
        self.assertEqual(events[-1]["status"], 0)
        self.assertEqual(events[-1]["exit_code"], 0)
        self.assertEqual(events[-2]["syscall"], "exit_group")

    def test_fatal_signal(self):
        events = self.events(e2e.program("exit_with"), "segv")
        self.assertEqual(events[-1]["status"], 139)
        self.assertEqual(events[-1]["killed_by"], "SIGSEGV")
        [fault] = [e for e in events if e["kind"] == "signal"]
        self.assertEqual(fault["signal"], "SIGSEGV")
        self.assertEqual(fault["signal_kind"], "fault")

    def test_vdso_hidden_under_a_large_environment(self):
        # The recorder finds the auxv past argv and envp on the initial stack, reading
        # it a page at a time: 3000 variables put it 24 KiB above the stack pointer.
        env = {f"RRTR_TEST_PADDING_{i}": "x" * 20 for i in range(3000)}
        env["PATH"] = "/usr/bin:/bin"
        events = self.events(e2e.program("read_clock"), env=env)
        clock_calls = [e for e in events if e["kind"] == "syscall" and e["syscall"] == "clock_gettime"]
        self.assertEqual(len(clock_calls), 1, "with the vDSO hidden, libc makes the syscall")
        trace = self.tmp / "trace"
        replayed = e2e.replay(trace, env=env)
        self.assert_status(replayed, 0)
        self.assertEqual(replayed.out, b"read\n")

    def test_arguments_environment_and_paths_that_are_not_utf8(self):
        # JSON strings must be UTF-8, a program's bytes need not be: meta.json and dump
        # show them with U+FFFD, and the recording itself keeps them exact.
        name = bytes(self.tmp) + b"/data-\xff\xfe"
        with open(name, "wb") as f:
            f.write(b"some bytes\n")
        env = {**os.environb, b"RRTR_TEST_\xe9": b"\xff"}
        command = [e2e.program("read_file_sum"), name]
        native = e2e.native(*command, env=env)
        trace = self.tmp / "trace"
        rec = e2e.record(trace, *command, env=env)
        self.assertEqual((rec.status, rec.out), (native.status, native.out), rec.err_lines)
        self.assertEqual(rec.status, 3)
        rep = e2e.replay(trace)
        self.assertEqual((rep.status, rep.out), (rec.status, rec.out), rep.err_lines)
        meta = json.loads((trace / "meta.json").read_text())
        self.assertEqual(meta["argv"][1], name.decode(errors="replace"))
        self.assertIn("RRTR_TEST_\ufffd=\ufffd", meta["env"])
        dumped = e2e.dump(trace)
        self.assert_status(dumped, 0)
        for line in dumped.out.splitlines():
            json.loads(line)


if __name__ == "__main__":
    e2e.main()
