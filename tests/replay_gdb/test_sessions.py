"""Scenarios 3, 4 and 5: breakpoint hit counts in both directions, values that system
calls produced seen the same on every pass, and a long forward/backward dance after
which no process of the replay is left."""
import re

from rgdb_lib import GdbScript, check, line_of, run_main

TICKS = 37  # kTicks in programs/ticks.c


def record(sc, name):
    trace = sc.tmp / "trace"
    r = sc.record(trace, [sc.program(name)], expect_status=0)
    return trace, r.out


def printed_total(output):
    m = re.search(r"^total (-?\d+)$", output, re.M)
    check(m is not None, "ticks did not print its total", output)
    return m.group(1)


def hit_counts(sc):
    trace, out = record(sc, "ticks")
    s = GdbScript()
    s.where("start")
    s.cmd("break tick")
    for k in range(TICKS):
        s.probe(f"hit{k}", "continue", "p i")
    s.probe("end", "continue", "p total")
    s.probe("count-forward", "info breakpoints")
    for k in range(TICKS):
        s.probe(f"back{k}", "reverse-continue", "p i")
    s.where("history-start", "reverse-continue")
    s.probe("count-both", "info breakpoints")
    s.probe("again", "continue", "p i")
    t = sc.gdb(trace, s).completed()

    for k in range(TICKS):
        check(f"Breakpoint 1, tick (i={k})" in t[f"hit{k}"] and t.value(f"hit{k}") == str(k),
              f"continue #{k + 1} did not stop in tick({k})", t.out)
    check("No more reverse-execution history." in t["end"],
          "after the last hit, continue did not stop at the end of the history", t.out)
    check(t.value("end") == printed_total(out), "at the end, total is not what the program printed", t.out)
    check(re.search(rf"breakpoint already hit {TICKS} times", t["count-forward"]) is not None,
          f"info breakpoints does not count {TICKS} hits going forward", t.out)
    for k in range(TICKS):
        want = TICKS - 1 - k
        check(f"Breakpoint 1, tick (i={want})" in t[f"back{k}"] and t.value(f"back{k}") == str(want),
              f"reverse-continue #{k + 1} did not stop in tick({want})", t.out)
    check("No more reverse-execution history." in t["history-start"]
          and t.where("history-start").pc == t.where("start").pc,
          "reverse-continue past the first hit did not stop at the first instruction", t.out)
    # gdb counts a breakpoint hit in either direction.
    check(re.search(rf"breakpoint already hit {2 * TICKS} times", t["count-both"]) is not None,
          f"info breakpoints does not count {2 * TICKS} hits after going back", t.out)
    check(t.value("again") == "0", "continue from the start did not stop in tick(0) again", t.out)


VALUE_EXPRS = ["fd", "ts.tv_sec", "ts.tv_nsec", "seed", "/u bytes", "pid", "mixed"]


def printed_values(output):
    m = re.search(r"^ts (\d+) (\d+) seed (\d+) bytes (\d+) (\d+) (\d+) (\d+) pid (\d+) mixed (\d+)$", output, re.M)
    check(m is not None, "entropy did not print its values", output)
    g = m.groups()
    return {"ts.tv_sec": g[0], "ts.tv_nsec": g[1], "seed": g[2],
            "/u bytes": "{" + ", ".join(g[3:7]) + "}",
            "pid": g[7], "mixed": g[8]}


def same_values(sc):
    trace, out = record(sc, "entropy")
    printed = printed_values(out)
    before = line_of(sc.source("entropy.c"), "BEFORE-SYSCALLS")
    steps = 8  # the statements from the open to the printf
    s = GdbScript()
    s.cmd(f"break entropy.c:{before}")

    def walk(tag):
        s.probe(f"{tag}-when", "monitor when")
        for k in range(1, steps + 1):
            s.probe(f"{tag}-{k}", "next", *(f"p{e}" if e.startswith("/") else f"p {e}" for e in VALUE_EXPRS))

    s.probe("first", "continue")
    walk("pass1")
    s.probe("second", "reverse-continue")
    walk("pass2")
    s.probe("goto", "monitor goto 0", "flushregs")
    s.probe("third", "continue")
    walk("pass3")
    t = sc.gdb(trace, s).completed()

    check(f"Breakpoint 1, main () at " in t["first"], "continue did not stop at the breakpoint", t.out)
    check(f"Breakpoint 1, main () at " in t["second"], "reverse-continue did not go back to the breakpoint", t.out)
    check(f"Breakpoint 1, main () at " in t["third"], "after monitor goto 0, continue did not stop at the breakpoint",
          t.out)
    check(t["pass1-when"] == t["pass2-when"] == t["pass3-when"],
          "monitor when differs between the passes at the same breakpoint", t.out)
    for k in range(1, steps + 1):
        first = t.values(f"pass1-{k}")
        check(len(first) == len(VALUE_EXPRS), f"pass 1, step {k}: not every value printed", t.out)
        for tag in ("pass2", "pass3"):
            check(t.values(f"{tag}-{k}") == first,
                  f"step {k}: {tag} shows {t.values(f'{tag}-{k}')}, the first pass showed {first}", t.out)
    last = dict(zip(VALUE_EXPRS, t.values(f"pass1-{steps}")))
    for name, want in printed.items():
        check(last[name] == want, f"gdb shows {name} = {last[name]}, the recording printed {want}", t.out)
    # Before the system calls the values are the initial ones: the walk saw them change.
    first = dict(zip(VALUE_EXPRS, t.values("pass1-1")))
    check(first["seed"] == "0" and first["ts.tv_nsec"] == "0",
          "the first step already shows the values of the later system calls", t.out)


def dance(sc):
    trace, out = record(sc, "ticks")
    body = line_of(sc.source("ticks.c"), "TICK-BODY")
    s = GdbScript()
    s.cmd("break tick")
    moves = [
        ("continue", "i", 0), ("next", "line", body + 1), ("reverse-next", "line", body),
        ("stepi", "pc", None), ("stepi", "pc", None), ("reverse-stepi", "pc@", 4), ("reverse-stepi", "pc@", 3),
        ("continue", "i", 1), ("continue", "i", 2), ("reverse-continue", "i", 1), ("reverse-continue", "i", 0),
        ("continue", "i", 1), ("continue", "i", 2), ("continue", "i", 3), ("next", "line", body + 1),
        ("stepi", "pc", None), ("reverse-stepi", "pc@", 15), ("reverse-next", "line", body),
        ("continue", "i", 4), ("continue", "i", 5), ("next", "line", body + 1), ("next", "line", body + 2),
        ("reverse-next", "line", body + 1), ("reverse-continue", "i", 5), ("reverse-continue", "i", 4),
        ("continue", "i", 5), ("disable 1\ncontinue", "end", None), ("enable 1\nreverse-continue", "i", TICKS - 1),
        ("reverse-continue", "i", TICKS - 2), ("run", "i", 0), ("continue", "i", 1),
    ]
    for n, (command, kind, _) in enumerate(moves, 1):
        # `run` restarts from the beginning and, like continue, stops at the breakpoint.
        s.where(f"m{n}", *command.split("\n"), "p i" if kind == "i" else "p $pc")
    t = sc.gdb(trace, s).completed()

    check(len(moves) >= 30, "the dance is shorter than 30 moves")
    for n, (command, kind, want) in enumerate(moves, 1):
        tag = f"m{n}"
        here = t.where(tag)
        what = f"move {n} ({command.splitlines()[-1]})"
        if kind == "i":
            check(t.value(tag) == str(want) and here.function == "tick", f"{what}: not in tick({want}) but {here}", t.out)
        elif kind == "line":
            check(here.line == want and here.function == "tick", f"{what}: at {here}, not on line {want}", t.out)
        elif kind == "pc@":
            then = t.where(f"m{want}")
            check(here.pc == then.pc, f"{what}: at {here}, not back where move {want} was ({then})", t.out)
        elif kind == "pc":
            previous = t.where(f"m{n - 1}")
            check(here.pc != previous.pc, f"{what}: did not move from {previous}", t.out)
        elif kind == "end":
            check("No more reverse-execution history." in t[tag], f"{what}: did not stop at the end", t.out)


if __name__ == "__main__":
    run_main({"breakpoint_hit_counts": hit_counts, "same_values_after_going_back": same_values,
              "dance_no_leftovers": dance})
