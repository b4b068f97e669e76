#!/usr/bin/env bash
# Installs every build and test dependency of rr-test-runner from Debian packages.
# Idempotent: packages already present are left alone.
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config git
  libzstd-dev libxxhash-dev nlohmann-json3-dev libcli11-dev libfmt-dev
  libgtest-dev libgmock-dev catch2
  gdb strace hyperfine libxml2-utils python3 python3-yaml shellcheck procps zstd tar
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi
