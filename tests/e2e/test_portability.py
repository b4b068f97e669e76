"""A trace directory is self-contained: a plain copy of it replays after the program,
its library and the shared blob store are gone.

Extra arguments: C_COMPILER PORTABLE_SOURCES_DIR."""
import shutil
import subprocess

import e2e_lib as e2e

CC, SOURCES = e2e.EXTRA[0], e2e.EXTRA[1]


class Portability(e2e.E2ETestCase):
    def build_program(self, where):
        where.mkdir()
        lib, exe = where / "libgreeting.so", where / "portable"
        subprocess.run([CC, "-shared", "-fPIC", "-o", lib, f"{SOURCES}/greeting.c"], check=True)
        subprocess.run([CC, "-o", exe, f"{SOURCES}/main.c", f"-L{where}", "-lgreeting", f"-Wl,-rpath,{where}"],
                       check=True)
        return exe

    def test_copied_trace_replays_without_program_or_store(self):
        exe = self.build_program(self.tmp / "build")
        traces = self.tmp / "traces"
        rec = e2e.run([e2e.RUNNER, "record", "--traces-dir", traces, "--", exe, "one", "two words"])
        self.assert_status(rec, 5)
        self.assertEqual(rec.out, b"greetings from a library that no longer exists\narg 1: one\narg 2: two words\n")
        [trace] = [p for p in traces.iterdir() if p.name != ".blobs"]
        self.assertTrue((traces / ".blobs").is_dir(), "record --traces-dir keeps a shared store")

        moved = self.tmp / "elsewhere" / "copied-trace"
        moved.parent.mkdir()
        subprocess.run(["cp", "-a", trace, moved], check=True)
        shutil.rmtree(self.tmp / "build")
        shutil.rmtree(traces)

        rep = e2e.replay(moved)
        self.assert_status(rep, 5)
        self.assertEqual(rep.out, rec.out)
        self.assertEqual(rep.err, b"")


if __name__ == "__main__":
    e2e.main()
