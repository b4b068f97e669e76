#!/usr/bin/env bash
# CI step "pack": packs every failing trace listed in the report into
# <trace>.tar.zst beside it, ready for upload. A missing report (the run step never
# started) or a report without failures packs nothing and succeeds; a trace that
# fails to pack makes the step fail after the others are packed.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/common.sh"

out=${RRTR_OUTPUT_DIR:-rrtr-out}
report=${RRTR_REPORT:-$out/report.json}
if [[ ! -f $report ]]; then
  rrtr_log "no $report; nothing to pack"
  exit 0
fi
mapfile -t traces < <(python3 "$here/failing-traces.py" "$report")
if ((${#traces[@]} == 0)); then
  rrtr_log "$report lists no failing trace; nothing to pack"
  exit 0
fi
bin=$(rrtr_require_bin)

failed=0
for trace in "${traces[@]}"; do
  packed="$trace.tar.zst"
  if [[ -e $packed ]]; then
    rrtr_log "already packed: $packed"
  elif "$bin" pack "$trace" -o "$packed"; then
    rrtr_log "packed $packed"
  else
    rrtr_log "error: could not pack $trace"
    failed=1
  fi
done
exit "$failed"
