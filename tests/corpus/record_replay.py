#!/usr/bin/env python3
"""Records one corpus program and checks that three replays reproduce it.

Usage: record_replay.py RR_TEST_RUNNER PROGRAM SCRATCH_DIR

A replay must give the recording's stdout, stderr (minus the engine's own
"rr-test-runner:" lines) and exit status byte for byte, and must not create or
remove anything in the working directory, $TMPDIR or /tmp.
"""

import os
import re
import shutil
import sys
from pathlib import Path

# Keep __pycache__ out of the source tree.
sys.dont_write_bytecode = True
from corpus_run import TMP_PREFIX, run, short_diff
from fs_watch import Watch

REPLAYS = 3
# Together these stay under the 60 s ctest timeout, so a hang is reported here
# with the step that hung instead of as a bare ctest timeout.
NATIVE_S, RECORD_S, REPLAY_S = 5, 20, 10
ENGINE_LINE = re.compile(rb"^rr-test-runner:.*(\n|$)", re.MULTILINE)


def listing(dirs):
    return {path: sorted(n for n in os.listdir(path) if n.startswith(prefix))
            for path, prefix in dirs.items()}


def compare(recorded, replayed, label):
    errors = []
    for stream in ("stdout", "stderr"):
        want, got = getattr(recorded, stream), getattr(replayed, stream)
        if want != got:
            errors.append(f"{label}: {stream} differs from the recording\n"
                          + short_diff(want, got, f"recorded {stream}", f"{label} {stream}"))
    if errors or recorded.status != replayed.status:
        errors.append(f"{label}: exit status {replayed.status}, recording {recorded.status}")
    return errors


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    # Both run in a scratch working directory, so relative paths are resolved now.
    runner, program = (os.path.abspath(a) for a in sys.argv[1:3])
    scratch = Path(sys.argv[3])
    shutil.rmtree(scratch, ignore_errors=True)
    work, tmp, trace = scratch / "work", scratch / "tmp", scratch / "trace"
    work.mkdir(parents=True)
    tmp.mkdir()
    # A private TMPDIR keeps parallel corpus tests out of each other's way.
    env = dict(os.environ, TMPDIR=str(tmp))

    native = run([program], work, env, NATIVE_S)
    recorded = run([runner, "record", "-o", str(trace), "--", program], work, env, RECORD_S)
    recorded.stderr = ENGINE_LINE.sub(b"", recorded.stderr)
    errors = []
    if native.timed_out or recorded.timed_out:
        errors.append(f"timed out: native {native.timed_out}, record {recorded.timed_out}")
    elif recorded.status != native.status:
        errors.append(f"recorded exit status {recorded.status}, native run gives {native.status}")
        errors.append("recorder stderr:\n" + recorded.stderr.decode(errors="replace")[-2000:])

    # The program's own temp directories are created in TMPDIR; /tmp is
    # watched in case the replay ignores TMPDIR. Shared directories are
    # filtered by prefix, the private working directory is not.
    watched = {str(work): "", str(tmp): TMP_PREFIX, "/tmp": TMP_PREFIX}
    for i in range(1, REPLAYS + 1) if not errors else ():
        label = f"replay {i}"
        before = listing(watched)
        watch = Watch(watched)
        replayed = run([runner, "replay", "--autopilot", str(trace)], work, env, REPLAY_S)
        changes, overflow = watch.changes()
        watch.close()
        after = listing(watched)
        if replayed.timed_out:
            errors.append(f"{label}: killed after {REPLAY_S}s")
            break
        engine_said = b"".join(m.group(0) for m in ENGINE_LINE.finditer(replayed.stderr))
        replayed.stderr = ENGINE_LINE.sub(b"", replayed.stderr)
        errors += compare(recorded, replayed, label)
        if errors and engine_said:
            # The engine's own lines were stripped for the comparison but
            # usually explain a divergence.
            errors.append(f"{label}: engine said:\n" + engine_said.decode(errors="replace")[-1000:])
        if before != after:
            errors.append(f"{label}: directory listing changed\n  before {before}\n  after  {after}")
        if changes:
            errors.append(f"{label}: file system changed during replay: " + "; ".join(changes[:10]))
        if overflow:
            print(f"warning: {label}: inotify queue overflowed, some events unseen")
        if errors:
            break

    name = Path(program).name
    if errors:
        print(f"FAIL {name}")
        for e in errors:
            print(e.rstrip())
        return 1
    print(f"OK {name}: {REPLAYS} replays match the recording "
          f"({len(recorded.stdout)} + {len(recorded.stderr)} bytes, status {recorded.status})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
