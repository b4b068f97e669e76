#!/usr/bin/env bash
# CI step "merge": combines the reports of several shards into one.
#   merge-reports.sh [OUT [REPORT...]]
# OUT defaults to merged.json, the reports to shard*/report.json (the layout the
# example workflows download the shard artifacts into).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/common.sh"

merged=${1:-merged.json}
shift || true
reports=("$@")
if ((${#reports[@]} == 0)); then
  shopt -s nullglob
  reports=(shard*/report.json)
fi
((${#reports[@]} > 0)) || rrtr_die "no shard reports found (expected shard*/report.json)"
bin=$(rrtr_require_bin)
rrtr_log "merging ${#reports[@]} reports into $merged"
"$bin" merge-reports -o "$merged" "${reports[@]}"
