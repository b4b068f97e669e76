"""Bad command lines and bad paths: a documented exit status and one stderr line, no
trace left behind by a record that never started, and no process left behind."""
import os

import e2e_lib as e2e

USAGE, BAD_INPUT = 240, 241


class BadInput(e2e.E2ETestCase):
    def refused_record(self, program, status=BAD_INPUT, contains=()):
        trace = self.tmp / "trace"
        result = e2e.record(trace, program, "arg")
        self.assert_status(result, status)
        self.assertEqual(result.out, b"")
        line = self.assert_one_error_line(result, contains=contains)
        self.assertFalse(trace.exists(), "a refused record must not create its trace")
        return line

    def test_missing_program(self):
        self.refused_record(self.tmp / "no-such-program", contains=[str(self.tmp / "no-such-program")])

    def test_missing_program_in_path(self):
        self.refused_record("rr-e2e-no-such-program-anywhere", contains=["rr-e2e-no-such-program-anywhere"])

    def test_directory_as_program(self):
        self.refused_record(self.tmp)

    def test_file_without_exec_permission(self):
        data = self.tmp / "data.bin"
        data.write_bytes(open(e2e.program("exit_with"), "rb").read())
        os.chmod(data, 0o644)
        self.refused_record(data)

    def test_executable_text_file_without_shebang(self):
        text = self.tmp / "script.txt"
        text.write_text("echo this is not a program\n")
        os.chmod(text, 0o755)
        self.refused_record(text)

    def test_script_whose_interpreter_is_missing(self):
        # Passes every check before the spawn; the exec itself fails (ENOENT for the
        # interpreter), in the child, before anything could be traced.
        script = self.tmp / "script"
        script.write_text("#!/no/such/interpreter\necho never\n")
        os.chmod(script, 0o755)
        trace = self.tmp / "trace"
        result = e2e.record(trace, script)
        self.assert_status(result, BAD_INPUT)
        self.assertEqual(result.out, b"")
        self.assertEqual(len(result.err_lines), 2, result.err_lines)
        self.assertIn(f"cannot execute {script}: No such file or directory", result.err_lines[0])
        self.assertEqual(result.err_lines[1], f"rr-test-runner: incomplete trace written to {trace}")
        self.assertEqual(e2e.reap_leftovers(), [])

    def test_record_onto_existing_directory(self):
        trace = self.tmp / "existing"
        trace.mkdir()
        (trace / "precious").write_text("keep me\n")
        result = e2e.record(trace, e2e.program("exit_with"), "0")
        self.assert_status(result, BAD_INPUT)
        self.assertEqual(result.out, b"", "the program must not run")
        self.assert_one_error_line(result, contains=[str(trace)])
        self.assertEqual([p.name for p in trace.iterdir()], ["precious"])
        self.assertEqual((trace / "precious").read_text(), "keep me\n")

    def test_trace_directory_that_cannot_be_made(self):
        # Made beside the program's start-up: the program is killed before its first
        # recorded call (exit_with's output), and nothing of it is left.
        not_a_dir = self.tmp / "a-file"
        not_a_dir.write_text("")
        result = e2e.record(not_a_dir / "trace", e2e.program("exit_with"), "3")
        self.assert_status(result, BAD_INPUT)
        self.assertEqual(result.out, b"", "the program must not get past its start-up")
        self.assert_one_error_line(result, contains=["cannot create directory", str(not_a_dir / "trace")])
        self.assertEqual(e2e.reap_leftovers(), [])

    def test_replay_of_missing_path(self):
        result = e2e.replay(self.tmp / "no-such-trace")
        self.assert_status(result, BAD_INPUT)
        self.assert_one_error_line(result, contains=["no-such-trace"])

    def test_dump_of_missing_path(self):
        result = e2e.dump(self.tmp / "no-such-trace")
        self.assert_status(result, BAD_INPUT)
        self.assertEqual(result.out, b"")
        self.assert_one_error_line(result, contains=["no-such-trace"])

    def test_replay_of_directory_that_is_not_a_trace(self):
        (self.tmp / "some-file").write_text("not a trace\n")
        result = e2e.replay(self.tmp)
        self.assert_status(result, BAD_INPUT)
        self.assert_one_error_line(result, contains=[str(self.tmp)])

    def test_dump_of_directory_that_is_not_a_trace(self):
        result = e2e.dump(self.tmp)
        self.assert_status(result, BAD_INPUT)
        self.assert_one_error_line(result, contains=[str(self.tmp)])

    def test_unknown_global_option(self):
        result = e2e.run([e2e.RUNNER, "--no-such-option", "syscalls"])
        self.assert_status(result, USAGE)
        self.assertEqual(result.out, b"")
        self.assert_one_error_line(result, contains=["--no-such-option"])

    def test_unknown_replay_option(self):
        result = e2e.run([e2e.RUNNER, "replay", "--no-such-option", self.tmp])
        self.assert_status(result, USAGE)
        self.assert_one_error_line(result, contains=["--no-such-option"])

    def test_unknown_record_option_before_dashes(self):
        # Before "--" everything is an option of record's, so this is a usage error,
        # not a program named "--no-such-option".
        trace = self.tmp / "trace"
        result = e2e.run([e2e.RUNNER, "record", "-o", trace, "--no-such-option", "--", e2e.program("exit_with"), "0"])
        self.assert_status(result, USAGE)
        self.assert_one_error_line(result, contains=["--no-such-option"])
        self.assertFalse(trace.exists())

    def test_record_without_program(self):
        result = e2e.run([e2e.RUNNER, "record", "-o", self.tmp / "trace", "--"])
        self.assert_status(result, USAGE)
        self.assert_one_error_line(result)


if __name__ == "__main__":
    e2e.main()
