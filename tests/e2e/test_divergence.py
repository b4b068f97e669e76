"""Replay that cannot follow the recording must stop with 244 and
"replay diverged at event N", N being the first event that went differently.

Two ways to make a replay go differently from outside: run it where the kernel refuses
what the recording did (a lower RLIMIT_AS), or rewrite a recorded syscall result in a
trace whose checksums are then recomputed, so only the program's behaviour changes."""
import json
import resource
import struct

import e2e_lib as e2e
import trace_tools as tt


def events_of(trace):
    return [json.loads(line) for line in e2e.dump(trace).out.splitlines()]


class Divergence(e2e.E2ETestCase):
    def test_mmap_refused_under_lower_address_space_limit(self):
        trace = self.tmp / "trace"
        rec = e2e.record(trace, e2e.program("big_mmap"))
        self.assert_status(rec, 0)
        self.assertEqual(rec.out, b"mapping\nmapped\n")
        [(index, event)] = [(i, e) for i, e in enumerate(events_of(trace))
                            if e.get("syscall") == "mmap" and e["args"][1] == hex(1 << 30)]

        unlimited = e2e.replay(trace)
        self.assert_status(unlimited, 0)  # the limit, nothing else, makes the difference

        def limit_address_space():
            resource.setrlimit(resource.RLIMIT_AS, (512 << 20, 512 << 20))

        rep = e2e.replay(trace, preexec=limit_address_space)
        self.assert_status(rep, 244)
        self.assertEqual(rep.out, b"mapping\n")
        self.assertEqual(self.assert_one_error_line(rep),
                         f"rr-test-runner: replay diverged at event {index}: "
                         f"expected mmap to return {event['result']}, got -12")

    def rewrite_getpid_result(self, trace, change):
        """Applies `change` to the recorded getpid result; returns the events' dump
        indices of the getpid and of the write that follows it."""
        events = events_of(trace)
        [getpid] = [i for i, e in enumerate(events) if e.get("syscall") == "getpid"]
        chunk_index, chunk, in_chunk = tt.chunk_of_event(trace / "events", getpid)
        raw = bytearray(chunk.raw())
        start, tag, result_at = tt.event_offsets(raw)[in_chunk]
        self.assertEqual(tag, 2)
        value = struct.unpack_from("<q", raw, result_at)[0]
        self.assertEqual(value, events[getpid]["result"], "the trace format changed under this test")
        struct.pack_into("<q", raw, result_at, change(value))
        tt.reseal_chunk(trace / "events", chunk_index, bytes(raw))
        return getpid, events

    def test_rewritten_syscall_result(self):
        trace = self.tmp / "trace"
        rec = e2e.record(trace, e2e.program("print_pid"))
        self.assert_status(rec, 0)

        # Re-sealing an unchanged chunk must be harmless, or the next step proves nothing.
        self.rewrite_getpid_result(trace, lambda pid: pid)
        self.assertEqual(e2e.replay(trace).out, rec.out)

        # pid ^ 1 has as many digits as pid: only the bytes written differ, not their count.
        getpid, events = self.rewrite_getpid_result(trace, lambda pid: pid ^ 1)
        self.assertEqual(events[getpid + 1].get("syscall"), "write")
        rep = e2e.replay(trace)
        self.assert_status(rep, 244)
        self.assertEqual(rep.out, b"")
        line = self.assert_one_error_line(rep)
        self.assertTrue(line.startswith(f"rr-test-runner: replay diverged at event {getpid + 1}: expected write"), line)


if __name__ == "__main__":
    e2e.main()
