#!/usr/bin/env bash
# The main job on the bundled example: install what is missing, build, record the
# flaky Google Test binary until it fails, then replay the failure — in gdb, stopped at
# the failing assertion, with a watchpoint on the corrupted variable and a
# reverse-continue back to the write that corrupted it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh
BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$BUILD_DIR" -j "$(nproc)" --target rr-test-runner rrtr_preload flaky_gtest
RRTR="$BUILD_DIR/runner/rr-test-runner"
TRACES=demo-traces
rm -rf "$TRACES"

echo "== Recording examples/flaky_gtest until it fails"
set +e
"$RRTR" --until-fail=1000 --traces-dir "$TRACES" -- "$BUILD_DIR/examples/flaky_gtest/flaky_gtest"
status=$?
set -e
if [ "$status" -ne 1 ]; then
  echo "demo: expected a recorded failure (exit 1), got exit $status" >&2
  exit 1
fi
trace=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["failures"][0]["trace"])' "$TRACES/report.json")

echo
echo "== The report: $TRACES/report.json"
python3 - "$TRACES/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
f = r["failures"][0]
t = f["failed_tests"][0]
print(f'{r["runs"]["attempted"]} runs, {r["runs"]["failed"]} failed: {t["name"]} at {t["file"]}:{t["line"]}')
print("replay with:", f["replay_command"])
PY

echo
echo "== Replaying the failing run without a debugger (output and status as recorded)"
set +e
"$RRTR" replay --autopilot "$trace" > /dev/null
echo "replayed exit status: $?"
set -e

echo
echo "== Replaying it under gdb: stop at the failure, watch inv.pears, reverse-continue"
gdb_cmds=(-batch -ex "frame function FlakyTest_SometimesCorrupts_Test::TestBody"
          -ex "watch -l inv.pears" -ex "reverse-continue" -ex "list" -ex "p inv")
if [ -t 0 ] && [ -z "${CI:-}" ]; then
  echo "(interactive: gdb opens at the failure; type 'watch -l inv.pears' then 'reverse-continue')"
  exec "$RRTR" replay --goto-failure "$trace"
fi
"$RRTR" replay --goto-failure "$trace" -- "${gdb_cmds[@]}" 2>&1 | grep -v "from remote target"
