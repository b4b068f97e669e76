#!/usr/bin/env bash
# CI step "install": makes rr-test-runner available to the later steps and prints
# its path. Uses RRTR_BIN or an rr-test-runner already on PATH; otherwise installs
# the Debian build dependencies and builds it from the repository holding this
# script (or RRTR_SOURCE_DIR) into RRTR_INSTALL_PREFIX.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/common.sh"

status=0
bin=$(rrtr_find_bin) || status=$?
if ((status == 1)); then
  src=${RRTR_SOURCE_DIR:-$(cd "$here/../.." && pwd)}
  prefix=$(rrtr_install_prefix)
  [[ -f $src/CMakeLists.txt ]] || rrtr_die "no rr-test-runner sources in $src (set RRTR_SOURCE_DIR)"
  rrtr_log "building rr-test-runner from $src into $prefix"
  bash "$src/scripts/setup-debian.sh"
  cmake -S "$src" -B "$prefix/build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >&2
  cmake --build "$prefix/build" -j "$(nproc)" >&2
  cmake --install "$prefix/build" --prefix "$prefix" >&2
  bin="$prefix/bin/rr-test-runner"
  [[ -x $bin ]] || rrtr_die "the build finished but $bin does not exist"
elif ((status != 0)); then
  exit "$status"
fi

rrtr_log "using $bin"
# On GitHub Actions, later steps get it on PATH.
if [[ -n ${GITHUB_PATH:-} ]]; then
  dirname "$bin" >>"$GITHUB_PATH"
fi
printf '%s\n' "$bin"
