#!/usr/bin/env bash
# CI step "run": re-runs RRTR_PROGRAM under recording until it fails or
# RRTR_UNTIL_FAIL runs pass, writing into RRTR_OUTPUT_DIR (default rrtr-out):
#   report.json   rr-test-runner's report; lists the trace of each failing run
#   junit.xml     the same as JUnit XML for CI test views
#   traces/       the kept traces (RRTR_TRACES_DIR overrides the location)
# Exits with rr-test-runner's status: 0 when every run passed.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/common.sh"

[[ -n ${RRTR_PROGRAM:-} ]] || rrtr_die "RRTR_PROGRAM (the test program to run) is not set"
until_fail=${RRTR_UNTIL_FAIL:-100}
[[ $until_fail =~ ^[1-9][0-9]*$ ]] || rrtr_die "RRTR_UNTIL_FAIL must be a positive integer, not '$until_fail'"
if [[ -n ${RRTR_JOBS:-} && ! $RRTR_JOBS =~ ^[1-9][0-9]*$ ]]; then
  rrtr_die "RRTR_JOBS must be a positive integer, not '$RRTR_JOBS'"
fi
bin=$(rrtr_require_bin)
out=${RRTR_OUTPUT_DIR:-rrtr-out}
traces=${RRTR_TRACES_DIR:-$out/traces}
mkdir -p "$out" "$traces"

# RRTR_ARGS is one string; xargs splits it with its shell-like quoting (no escapes
# inside quotes) but never evaluates it, so `--name="two words"` stays one argument
# and `$(...)` stays text.
program_args=()
if [[ -n ${RRTR_ARGS:-} ]]; then
  split=$(mktemp)
  trap 'rm -f "$split"' EXIT
  printf '%s' "$RRTR_ARGS" | xargs -r printf '%s\0' >"$split" ||
    rrtr_die "RRTR_ARGS could not be split (unbalanced quotes?): $RRTR_ARGS"
  mapfile -d '' program_args <"$split"
fi

cmd=("$bin" "--until-fail=$until_fail" --report "$out/report.json" --junit "$out/junit.xml"
  --traces-dir "$traces")
if [[ -n ${RRTR_JOBS:-} ]]; then cmd+=(--jobs "$RRTR_JOBS"); fi
if [[ -n ${RRTR_SEED:-} ]]; then cmd+=(--seed "$RRTR_SEED"); fi
cmd+=(-- "$RRTR_PROGRAM" "${program_args[@]}")

rrtr_log "shard ${RRTR_SHARD:-(none)}: ${cmd[*]}"
status=0
"${cmd[@]}" || status=$?
if ((status == 0)); then
  rrtr_log "no failure in $until_fail runs"
else
  rrtr_log "failure found (exit status $status); report in $out/report.json, traces in $traces"
fi
exit "$status"
