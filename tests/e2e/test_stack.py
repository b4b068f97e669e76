"""The main thread's stack grows past what the snapshot mapped, with no call: replay's
[stack] grows down as the recording's did, under the recording's RLIMIT_STACK, so a
stack overflow faults at the recorded depth (docs/architecture.md, replay step 1)."""
import json
import resource
import signal

import e2e_lib as e2e

PROGRAM = e2e.program("deep_stack")
SIGSEGV_STATUS = 128 + signal.SIGSEGV


def soft_stack_limit(limit):
    def set_it():
        _, hard = resource.getrlimit(resource.RLIMIT_STACK)
        resource.setrlimit(resource.RLIMIT_STACK, (limit, hard))
    return set_it


class Stack(e2e.E2ETestCase):
    def snapshot(self, trace):
        dump = e2e.dump(trace)
        self.assert_status(dump, 0)
        return json.loads(dump.out.decode().splitlines()[0])

    def test_a_stack_that_grows_past_the_snapshot(self):
        natives = [e2e.native(PROGRAM).out for _ in range(2)]
        self.assertNotEqual(natives[0], natives[1], "the stack's address must differ between native runs")
        trace = self.tmp / "trace"
        rec = e2e.record(trace, PROGRAM)
        self.assert_status(rec, 0)
        [stack] = [m for m in self.snapshot(trace)["mappings"] if m["name"] == "[stack]"]
        self.assertLess(int(stack["end"], 16) - int(stack["start"], 16), 2 << 20, "the program must grow it")
        for _ in range(3):
            rep = e2e.replay(trace)
            self.assert_status(rep, 0)
            self.assertEqual(rep.out, rec.out)

    def test_an_overflow_faults_at_the_recorded_depth(self):
        trace = self.tmp / "trace"
        rec = e2e.record(trace, PROGRAM, "overflow", preexec=soft_stack_limit(6 << 20))
        self.assert_status(rec, SIGSEGV_STATUS)
        self.assertEqual(self.snapshot(trace)["stack_limit"], 6 << 20)
        # Replayed under other limits, the recording's applies: a fault at another depth
        # would have other registers (rsp), which replay checks at a fault.
        for limit in (4 << 20, 8 << 20):
            rep = e2e.replay(trace, preexec=soft_stack_limit(limit))
            self.assert_status(rep, SIGSEGV_STATUS)
            self.assertEqual(rep.out, rec.out)

    def test_a_hard_limit_below_the_recorded_one(self):
        trace = self.tmp / "trace"
        rec = e2e.record(trace, PROGRAM, "overflow", preexec=soft_stack_limit(6 << 20))
        self.assert_status(rec, SIGSEGV_STATUS)

        def hard_limit_4mib():
            resource.setrlimit(resource.RLIMIT_STACK, (4 << 20, 4 << 20))
        rep = e2e.replay(trace, preexec=hard_limit_4mib)
        if may_raise_limits():  # CAP_SYS_RESOURCE: the replayer raises it
            self.assert_status(rep, SIGSEGV_STATUS)
            self.assertEqual(rep.out, rec.out)
        else:
            self.assert_status(rep, 248)
            self.assert_one_error_line(rep, contains=("stack limit (6291456 bytes)", "ulimit -Hs"))


def may_raise_limits():
    for line in open("/proc/self/status"):
        if line.startswith("CapEff:"):
            return bool(int(line.split()[1], 16) & (1 << 24))  # CAP_SYS_RESOURCE
    return False


if __name__ == "__main__":
    e2e.main()
