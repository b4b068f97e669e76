"""Checks the exact marker sequence a framework adapter sends.

  check_markers.py gtest   --tap T --source S --auto A --manual M --both B [--strace P]
  check_markers.py catch2  --tap T --source S --auto A [--strace P]
  check_markers.py example --tap T --source S --auto A --framework F
                           --failing-test NAME --unlucky N
"""
import argparse
import os
import tempfile

from markerlib import describe, expect, main_wrapper, mark_line, run_tapped, strace_markers

STARTED, FAILED, ENDED = 1, 2, 3


def check_sequence(markers, expected, label):
    """expected: list of (kind, name, extra) where extra is a dict of exact payload
    values, or for FAILED a callable that checks the payload."""
    expect(len(markers) == len(expected),
           f"{label}: expected {len(expected)} markers, got {len(markers)}:\n{describe(markers)}")
    for i, (marker, (kind, name, extra)) in enumerate(zip(markers, expected)):
        payload = marker["json"]
        where = f"{label}: marker {i} ({payload})"
        expect(marker["kind"] == kind, f"{where}: kind {marker['kind']}, expected {kind}")
        expect(payload.get("name") == name, f"{where}: name, expected {name!r}")
        if kind == STARTED:
            expect(set(payload) == {"framework", "name"}, f"{where}: keys")
            expect(payload["framework"] == extra["framework"], f"{where}: framework")
        elif kind == ENDED:
            keys = {"name", "passed", "duration_ms"} | ({"skipped"} if extra.get("skipped") else set())
            expect(set(payload) == keys, f"{where}: keys, expected {sorted(keys)}")
            expect(payload["passed"] is extra["passed"], f"{where}: passed")
            expect(isinstance(payload["duration_ms"], int) and payload["duration_ms"] >= 0,
                   f"{where}: duration_ms")
            if extra.get("skipped"):
                expect(payload["skipped"] is True, f"{where}: skipped")
        else:
            expect(set(payload) == {"name", "file", "line", "message"}, f"{where}: keys")
            expect(os.path.basename(payload["file"]) == os.path.basename(extra["source"]),
                   f"{where}: file, expected {extra['source']}")
            expect(payload["line"] == extra["line"], f"{where}: line, expected {extra['line']}")
            extra["message"](payload["message"], where)


def started(name, framework):
    return (STARTED, name, {"framework": framework})


def ended(name, passed, skipped=False):
    return (ENDED, name, {"passed": passed, "skipped": skipped})


def failed(name, source, line, message_check):
    return (FAILED, name, {"source": source, "line": line, "message": message_check})


def equals(text):
    def check(message, where):
        expect(message == text, f"{where}: message {message!r}, expected {text!r}")
    return check


def contains_in_order(*parts):
    def check(message, where):
        pos = 0
        for part in parts:
            found = message.find(part, pos)
            expect(found >= 0, f"{where}: message {message!r} lacks {part!r} (in order)")
            pos = found + len(part)
    return check


def cross_check_strace(strace, tmp, argv, markers):
    if not strace:
        print("note: strace not found; tap output not cross-checked")
        return
    seen = strace_markers(strace, tmp, argv)
    expected = [(m["kind"], m["len"]) for m in markers]
    expect(seen == expected, f"strace saw {seen}, the tap saw {expected}")


def check_gtest(args, tmp):
    src = args.source
    fw = "gtest"
    code, _, markers = run_tapped(args.tap, tmp, [args.auto, "--gtest_filter=Probe.Passes:Probe.Fails"],
                                  name="basic")
    expect(code == 1, f"basic: exit status {code}, expected 1")
    fails_expected = [
        started("Probe.Passes", fw), ended("Probe.Passes", True),
        started("Probe.Fails", fw),
        failed("Probe.Fails", src, mark_line(src, "// MARK:fails"),
               contains_in_order("Expected equality of these values:", "four", "Which is: 4",
                                 '5\narithmetic "is" broken')),
        ended("Probe.Fails", False)]
    check_sequence(markers, fails_expected, "basic")
    cross_check_strace(args.strace, tmp,
                       [args.auto, "--gtest_filter=Probe.Passes:Probe.Fails"], markers)

    _, _, markers = run_tapped(args.tap, tmp, [args.auto, "--gtest_filter=Probe.AwkwardMessage"],
                               name="awkward")
    check_sequence(markers, [
        started("Probe.AwkwardMessage", fw),
        failed("Probe.AwkwardMessage", src, mark_line(src, "// MARK:awkward"),
               equals('Failed\nq"b\\n\nt\tc\x01 bad\ufffd end')),
        ended("Probe.AwkwardMessage", False)], "awkward")

    _, _, markers = run_tapped(args.tap, tmp, [args.auto, "--gtest_filter=Probe.HugeMessage"],
                               name="huge")
    expect(all(m["len"] <= 65536 for m in markers), "huge: a payload exceeds 64 KiB")
    check_sequence(markers, [
        started("Probe.HugeMessage", fw),
        failed("Probe.HugeMessage", src, mark_line(src, "// MARK:huge"),
               contains_in_order("Failed\n" + "x" * 60000, "[message truncated by rrtr]")),
        ended("Probe.HugeMessage", False)], "huge")

    # One ASSERTION_FAILED only: the EXPECT on errno after the marker must pass.
    _, _, markers = run_tapped(args.tap, tmp, [args.auto, "--gtest_filter=Probe.KeepsErrno"],
                               name="errno")
    check_sequence(markers, [
        started("Probe.KeepsErrno", fw),
        failed("Probe.KeepsErrno", src, mark_line(src, "// MARK:errno"), equals("Failed\nerrno probe")),
        ended("Probe.KeepsErrno", False)], "errno")

    code, _, markers = run_tapped(args.tap, tmp, [args.auto, "--gtest_filter=Probe.Skipped"],
                                  name="skipped")
    expect(code == 0, f"skipped: exit status {code}")
    check_sequence(markers, [started("Probe.Skipped", fw), ended("Probe.Skipped", True, skipped=True)],
                   "skipped")

    _, _, markers = run_tapped(args.tap, tmp, [args.auto, "--gtest_filter=Sizes/ProbeParam.*"],
                               name="param")
    check_sequence(markers, [
        started("Sizes/ProbeParam.Even/0", fw),
        failed("Sizes/ProbeParam.Even/0", src, mark_line(src, "// MARK:param"),
               contains_in_order("Expected equality", "GetParam() % 2", "Which is: 1")),
        ended("Sizes/ProbeParam.Even/0", False),
        started("Sizes/ProbeParam.Even/1", fw), ended("Sizes/ProbeParam.Even/1", True)], "param")

    # Explicit installation: the first call installs, the second does nothing; with
    # the self-installing library linked too, both calls find it already installed.
    one_test = [started("Probe.Fails", fw),
                failed("Probe.Fails", src, mark_line(src, "// MARK:fails"),
                       contains_in_order("Expected equality")),
                ended("Probe.Fails", False)]
    for label, binary, calls in (("manual", args.manual, "1 0"), ("both", args.both, "0 0")):
        code, out, markers = run_tapped(args.tap, tmp, [binary, "--gtest_filter=Probe.Fails"],
                                        name=label)
        expect(f"rrtr install calls: {calls}" in out,
               f"{label}: expected 'rrtr install calls: {calls}' in output:\n{out}")
        expect(code == 1, f"{label}: exit status {code}")
        check_sequence(markers, one_test, label)


def check_catch2(args, tmp):
    src = args.source
    fw = "catch2"
    argv = [args.auto, "probe passes,probe fails"]
    code, _, markers = run_tapped(args.tap, tmp, argv, name="basic")
    expect(code == 1, f"basic: exit status {code}, expected 1")
    check_sequence(markers, [
        started("probe passes", fw), ended("probe passes", True),
        started("probe fails", fw),
        failed("probe fails", src, mark_line(src, "// MARK:fails"),
               equals('CHECK( four == 5 )\nwith expansion: 4 == 5\ncontext "quoted"')),
        ended("probe fails", False)], "basic")
    cross_check_strace(args.strace, tmp, argv, markers)

    _, _, markers = run_tapped(args.tap, tmp, [args.auto, "probe throws"], name="throws")
    check_sequence(markers, [
        started("probe throws", fw),
        failed("probe throws", src, mark_line(src, "// MARK:throws"), equals("boom")),
        ended("probe throws", False)], "throws")

    _, _, markers = run_tapped(args.tap, tmp, [args.auto, "probe keeps errno"], name="errno")
    check_sequence(markers, [
        started("probe keeps errno", fw),
        failed("probe keeps errno", src, mark_line(src, "// MARK:errno"),
               # errno is a macro, so Catch2 shows its expansion; 33 is EDOM.
               contains_in_order("CHECK( ", " == 0 )", "with expansion: 33 == 0")),
        ended("probe keeps errno", False)], "errno")

    # Sections re-enter the test case; it is still one test.
    code, _, markers = run_tapped(args.tap, tmp, [args.auto, "probe with sections"], name="sections")
    expect(code == 0, f"sections: exit status {code}")
    check_sequence(markers, [started("probe with sections", fw), ended("probe with sections", True)],
                   "sections")


def check_example(args, tmp):
    src = args.source
    check = mark_line(src, "// EXAMPLE-CHECK")
    with open(src, encoding="utf-8") as f:
        lines = f.read().splitlines()
    writes = [n for n, line in enumerate(lines, 1) if "// corrupting write" in line]
    expect(len(writes) == 1 and 0 < check - writes[0] <= 6,
           f"the corrupting write {writes} should sit a few lines above the check (line {check})")

    env = {"RRTR_EXAMPLE_TICKET": str(args.unlucky)}
    code, _, markers = run_tapped(args.tap, tmp, [args.auto], env, name="unlucky")
    expect(code == 1, f"unlucky: exit status {code}, expected 1")
    failures = [m["json"] for m in markers if m["kind"] == FAILED]
    expect(len(failures) == 1, f"unlucky: expected one failure:\n{describe(markers)}")
    expect(failures[0]["name"] == args.failing_test and failures[0]["line"] == check,
           f"unlucky: failure {failures[0]} should be {args.failing_test!r} at line {check}")
    starts = [m for m in markers if m["kind"] == STARTED]
    expect(all(m["json"]["framework"] == args.framework for m in starts), "unlucky: framework")

    # Any other ticket passes, and every test is reported as passed.
    lucky = str((args.unlucky + 1) % 20)
    code, _, markers = run_tapped(args.tap, tmp, [args.auto], {"RRTR_EXAMPLE_TICKET": lucky}, name="lucky")
    expect(code == 0, f"lucky: exit status {code}, expected 0")
    ends = [m["json"] for m in markers if m["kind"] == ENDED]
    expect(len(ends) == len(starts) and all(e["passed"] for e in ends),
           f"lucky: expected {len(starts)} passing tests:\n{describe(markers)}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["gtest", "catch2", "example"])
    parser.add_argument("--tap", required=True)
    parser.add_argument("--source", required=True)
    parser.add_argument("--auto", required=True)
    parser.add_argument("--manual")
    parser.add_argument("--both")
    parser.add_argument("--strace")
    parser.add_argument("--framework")
    parser.add_argument("--failing-test")
    parser.add_argument("--unlucky", type=int)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        {"gtest": check_gtest, "catch2": check_catch2, "example": check_example}[args.mode](args, tmp)


if __name__ == "__main__":
    main_wrapper(main)
