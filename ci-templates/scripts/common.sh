# Sourced by the CI scripts: locating rr-test-runner and reporting errors.
# Every script reads its inputs from RRTR_* environment variables (see README.md),
# which CI systems can set without splicing user text into shell code.

rrtr_log() { printf 'rr-test-runner ci: %s\n' "$*" >&2; }
rrtr_die() {
  rrtr_log "error: $*"
  exit 2
}

# Where install-rr-test-runner.sh puts a recorder it builds. A fixed default lets a
# later step running in a fresh shell (GitLab's after_script) find it again.
rrtr_install_prefix() { printf '%s\n' "${RRTR_INSTALL_PREFIX:-$PWD/.rr-test-runner}"; }

# Prints the rr-test-runner to use: RRTR_BIN, else one on PATH, else one that an
# earlier step built into the install prefix. Returns 1 when there is none; exits 2
# when RRTR_BIN names something unusable, since silently using another would mislead.
rrtr_find_bin() {
  if [[ -n ${RRTR_BIN:-} ]]; then
    [[ -x $RRTR_BIN ]] || rrtr_die "RRTR_BIN=$RRTR_BIN is not an executable file"
    printf '%s\n' "$RRTR_BIN"
    return 0
  fi
  command -v rr-test-runner && return 0
  local built
  built="$(rrtr_install_prefix)/bin/rr-test-runner"
  [[ -x $built ]] || return 1
  printf '%s\n' "$built"
}

# For the scripts that need a recorder and cannot build one.
rrtr_require_bin() {
  local bin status=0
  bin=$(rrtr_find_bin) || status=$?
  case $status in
    0) printf '%s\n' "$bin" ;;
    1) rrtr_die "rr-test-runner not found: run install-rr-test-runner.sh first or set RRTR_BIN" ;;
    *) exit "$status" ;;
  esac
}
