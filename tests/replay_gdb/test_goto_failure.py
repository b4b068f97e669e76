"""Scenario 7: `replay --goto-failure` on a real flaky gtest program. It is recorded
until a run fails (the failure is left to chance, as a user meets it), then gdb must
start right after the failed assertion, with the test body on the stack, and a
watchpoint on the corrupted member must lead back to the write that corrupted it."""
import re

from rgdb_lib import GdbScript, check, line_of, run_main

MAX_TRIES = 300
TEST = "FlakyTest.SometimesCorrupts"
BODY = "FlakyTest_SometimesCorrupts_Test::TestBody"


def record_until_failure(sc):
    for n in range(MAX_TRIES):
        trace = sc.tmp / f"run-{n}"
        r = sc.record(trace, [sc.args.gtest, f"--gtest_filter={TEST}"])
        if r.status != 0:
            check(r.status == 1 and "[  FAILED  ]" in r.out,
                  f"run {n} of {sc.args.gtest} ended with status {r.status}, not a failed test", r.text)
            return trace, r.out
        check(r.status == 0 and "[  PASSED  ] 1 test" in r.out, f"run {n} did not pass its one test", r.text)
    raise AssertionError(f"{TEST} did not fail in {MAX_TRIES} recorded runs")


def goto_failure(sc):
    source = sc.args.source.parent.parent / "examples" / "flaky_gtest" / "flaky_test.cc"
    write_line = line_of(source, "// corrupting write when")
    check_line = line_of(source, "EXAMPLE-CHECK")
    trace, out = record_until_failure(sc)
    m = re.search(r"ticket (\d+), total (\d+)", out)
    check(m is not None and m.group(1) == "13", "the failing run does not report ticket 13", out)

    s = GdbScript()
    s.probe("bt", "bt")
    # The failure stops inside the test framework: select the test body's frame.
    s.cmd("python",
          "f = gdb.newest_frame()",
          f"while f is not None and '{BODY}' not in (f.name() or ''):",
          "    f = f.older()",
          "f.select()",
          "end")
    s.where("frame", "p inv")
    s.probe("watch", "watch -l inv.pears")
    s.where("back", "reverse-continue")
    s.probe("before-write", "p inv", "p ticket")
    t = sc.gdb(trace, s, replay_options=["--goto-failure"]).completed()

    check(re.search(rf"stopped at the failure: {re.escape(TEST)} failed at \S*flaky_test\.cc:{check_line}\b", t.out)
          is not None, f"replay did not announce the failure at flaky_test.cc:{check_line}", t.out)
    frames = [l for l in t["bt"].splitlines() if re.match(r"#\d+ ", l)]
    body = [l for l in frames if BODY in l]
    check(len(body) == 1 and body[0].endswith(f"flaky_test.cc:{check_line}"),
          f"the backtrace at the failure does not show the test body at line {check_line}", t.out)
    here = t.where("frame")
    check(here.line == check_line and BODY.split("::")[-1] in t["frame"],
          f"the test body's frame is at {here}, not at line {check_line}", t.out)
    check(t.value("frame") == "{apples = 13, pears = 7}", "inv is not {13, 7} at the failure", t.out)
    back = t.where("back")
    check("Old value = 7\nNew value = 10" in t["back"],
          "reverse-continue did not report the write of inv.pears from 10 to 7", t.out)
    check((back.file, back.line) == ("flaky_test.cc", write_line),
          f"reverse-continue stopped at {back}, not at the corrupting write, flaky_test.cc:{write_line}", t.out)
    check(t.values("before-write") == ["{apples = 10, pears = 10}", "13"],
          "before the write inv is not {10, 10} or the ticket is not 13", t.out)


if __name__ == "__main__":
    run_main({"goto_failure_gtest": goto_failure})
