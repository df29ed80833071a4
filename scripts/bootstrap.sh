#!/usr/bin/env bash
# Installs the two system libraries ServeSim links (GSL and OpenBLAS) when they are missing.
# Idempotent; uses sudo only when not root. Debian/Ubuntu (apt-get).
set -euo pipefail
missing=()
for pkg in libgsl-dev libopenblas-dev; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "bootstrap: installing ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
