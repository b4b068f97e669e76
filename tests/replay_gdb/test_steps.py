"""Scenario 2: the reverse stepping commands retrace what the forward ones did. Each
scenario walks forward from a marked line recording every stop, then walks back with
the reverse counterpart and expects the same stops in reverse order."""
from rgdb_lib import GdbScript, check, line_of, run_main

SOURCE = "walk.c"


def record_walk(sc):
    trace = sc.tmp / "trace"
    sc.record(trace, [sc.program("walk")], expect_status=0)
    return trace


def walk_forward(sc, forward, count, start_marker):
    """A script that breaks at START_MARKER and runs FORWARD COUNT times, a probe at
    each stop (f0 .. fCOUNT); $start_pc keeps where it began."""
    start = line_of(sc.source(SOURCE), start_marker)
    s = GdbScript()
    s.cmd(f"break {SOURCE}:{start}")
    s.where("f0", "continue")
    s.cmd("set $start_pc = $pc", "delete")
    for k in range(1, count + 1):
        s.where(f"f{k}", forward, "x/i $pc")
    return s, start


def forward_stops(sc, t, count, start):
    ahead = [t.where(f"f{k}") for k in range(count + 1)]
    check(ahead[0].line == start, f"the breakpoint stopped at {ahead[0]}, not at line {start}", t.out)
    return ahead


def back_by_lines(sc, forward, backward, count, start_marker):
    """Walks forward COUNT times, then backward until back at the start (at most
    3*COUNT times), and checks that the backward stops retrace the forward ones.

    gdb 13 stops once per line-table entry of a line when it goes backwards, but only
    at a line's first entry going forward (gdb's own `record full` does the same; gdb 14
    changed it). So the backward stops are compared line by line: consecutive stops on
    one line form a group, the groups must be the forward lines in reverse order, and
    the last stop of each group, the line's start, must be the forward stop's pc."""
    s, start = walk_forward(sc, forward, count, start_marker)
    s.cmd("set $n = 0")
    s.cmd(f"while $pc != $start_pc && $n < {3 * count}",
          f"  {backward}", "  set $n = $n + 1", '  printf "\\n@@ b%d\\n", $n',
          '  printf "PC %#lx\\n", $pc', "  info line *$pc", "end")
    t = sc.gdb(record_walk(sc), s).completed()
    ahead = forward_stops(sc, t, count, start)
    back = []
    while f"b{len(back) + 1}" in t.sections:
        back.append(t.where(f"b{len(back) + 1}"))
    check(back and back[-1].pc == ahead[0].pc,
          f"{backward} did not get back to {ahead[0]} within {3 * count} steps", t.out)
    for a, b in zip(back, back[1:]):
        check(a.pc != b.pc, f"a {backward} did not move from {a}", t.out)
    groups = []
    for w in back:
        if groups and groups[-1][-1].source_line == w.source_line:
            groups[-1].append(w)
        else:
            groups.append([w])
    want = list(reversed(ahead[:-1]))
    got = [g[-1] for g in groups]
    for k in range(max(len(want), len(got))):
        g = str(got[k]) if k < len(got) else "nothing"
        w = str(want[k]) if k < len(want) else "nothing"
        check(k < len(got) and k < len(want) and got[k].source_line == want[k].source_line
              and got[k].pc == want[k].pc,
              f"going back by {backward}, line #{k + 1} is {g}; going forward by {forward} it was {w}", t.out)
    return t, ahead


def reverse_next(sc):
    count = 10
    t, ahead = back_by_lines(sc, "next", "reverse-next", count, "WALK-START")
    end = line_of(sc.source(SOURCE), "WALK-END")
    check(ahead[-1].line == end and all(w.function == "main" for w in ahead),
          f"next did not walk main line by line to line {end}: {[str(w) for w in ahead]}", t.out)


def reverse_step(sc):
    count = 12
    t, ahead = back_by_lines(sc, "step", "reverse-step", count, "STEP-START")
    check([w.function for w in ahead] ==
          ["main", "twice"] + ["square"] * 3 + ["twice"] + ["square"] * 3 + ["twice", "twice", "main", "sum_to"],
          f"step did not go through twice, square and into sum_to: {[str(w) for w in ahead]}", t.out)


def reverse_stepi(sc):
    count = 40
    s, start = walk_forward(sc, "stepi", count, "STEPI-START")
    for k in range(1, count + 1):
        s.where(f"b{k}", "reverse-stepi")
    t = sc.gdb(record_walk(sc), s).completed()
    ahead = forward_stops(sc, t, count, start)
    for k in range(1, count + 1):
        got, want = t.where(f"b{k}"), ahead[count - k]
        check(got.pc == want.pc, f"reverse-stepi #{k} stopped at {got}; stepi #{count - k} stopped at {want}", t.out)
    shown = "".join(w.text for w in ahead)
    # The walk must cross a call, the syscall instruction (an event of the recording)
    # and the return, or it proves little.
    for insn in ("call", "syscall", "ret"):
        check(any(f"\t{insn}" in t[f"f{k}"] for k in range(1, count + 1)),
              f"the {count} stepi never stopped at a {insn} instruction", shown)
    check(len({w.pc for w in ahead}) == count + 1, "stepi visited a pc twice or did not move", t.out)


def reverse_finish(sc):
    src = sc.source(SOURCE)
    call_line = line_of(src, "CALL-SQUARE")
    s = GdbScript()
    s.cmd("break sum_to", "continue", "delete", "break square")
    # Hits: square(0), square(1), square(2) from the loop of sum_to.
    s.probe("third", "continue", "continue", "continue", "p x", "bt 2")
    s.where("back1", "reverse-finish")
    s.probe("back1-vars", "p i", "p s")
    s.probe("entry", "stepi", "info symbol $pc")
    # Without the breakpoint, which the earlier calls of square would hit on the way.
    s.cmd("reverse-stepi", "delete")
    s.where("back2", "reverse-finish")
    s.probe("back2-bt", "bt 1")
    t = sc.gdb(record_walk(sc), s).completed()

    check(t.value("third") == "2", "the third hit of square is not square(2)", t.out)
    caller = [l for l in t["third"].splitlines() if l.startswith("#1 ")]
    check(len(caller) == 1 and f"in sum_to (n=3) at " in caller[0] and caller[0].endswith(f"{SOURCE}:{call_line}"),
          f"going forward, square(2) is not called from {SOURCE}:{call_line}", t.out)
    back1 = t.where("back1")
    check(back1.source_line == ("sum_to", SOURCE, call_line),
          f"reverse-finish from square stopped at {back1}, not at the call in sum_to, line {call_line}", t.out)
    check(t.values("back1-vars")[0] == "2", "after reverse-finish the loop variable is not 2", t.out)
    # reverse-finish stops on the call instruction itself: one step enters square.
    check("\nsquare in section .text" in "\n" + t["entry"],
          f"one stepi after reverse-finish is not at the entry of square", t.out)
    back2 = t.where("back2")
    main_call = line_of(src, "int c = sum_to(3);")
    check(back2.source_line == ("main", SOURCE, main_call),
          f"reverse-finish from sum_to stopped at {back2}, not at its call in main, line {main_call}", t.out)


if __name__ == "__main__":
    run_main({"reverse_next": reverse_next, "reverse_step": reverse_step, "reverse_stepi": reverse_stepi,
              "reverse_finish": reverse_finish})
