"""10 MB through stdout and 10 MB through stdin: replay output is byte-identical."""
import random
import subprocess

import e2e_lib as e2e

SIZE = 10_000_000


class LargeIO(e2e.E2ETestCase):
    def test_ten_megabytes_to_stdout(self):
        command = [e2e.program("flood_stdout"), str(SIZE)]
        nat = e2e.native(*command)
        self.assertEqual(len(nat.out), SIZE)
        trace = self.tmp / "trace"
        rec = e2e.record(trace, *command)
        self.assert_status(rec, 0)
        self.assertTrue(rec.out == nat.out, "recorded output differs from native")
        rep = e2e.replay(trace)
        self.assert_status(rep, 0)
        self.assertTrue(rep.out == nat.out, "replayed output differs from native")
        self.assertEqual(rep.err, b"")

    def test_ten_megabytes_from_stdin(self):
        data = random.Random(7).randbytes(SIZE)
        trace = self.tmp / "trace"
        rec = e2e.record(trace, e2e.program("cat_stdin"), input=data)
        self.assert_status(rec, 0)
        self.assertTrue(rec.out == data, "recorded output differs from the input")
        report = f"copied {SIZE} bytes\n".encode()
        self.assertTrue(rec.err.startswith(report), rec.err)
        # The replay reads nothing: stdin's data comes from the trace.
        rep = e2e.replay(trace, stdin=subprocess.DEVNULL)
        self.assert_status(rep, 0)
        self.assertTrue(rep.out == data, "replayed output differs from the input")
        self.assertEqual(rep.err, report)


if __name__ == "__main__":
    e2e.main()
