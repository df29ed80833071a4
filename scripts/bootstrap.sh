#!/usr/bin/env bash
# Installs what ServeSim needs when it is missing: the two system libraries it links (GSL and
# OpenBLAS), and with --test the test-only packages (python3-jsonschema, the reference JSON Schema
# validator the schema test runs; chromium, the headless browser that renders every HTML page;
# slurm-wlm and munge, the single-node Slurm cluster the sweep test submits a job array to).
# Idempotent; uses sudo only when not root. Debian/Ubuntu (apt-get).
set -euo pipefail
missing=()
for pkg in libgsl-dev libopenblas-dev; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ "${1:-}" = "--test" ]; then
  python3 -c 'import jsonschema' 2>/dev/null || /usr/bin/python3 -c 'import jsonschema' 2>/dev/null \
    || missing+=(python3-jsonschema)
  command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || missing+=(chromium)
  for tool in slurmctld slurmd sbatch; do
    PATH=$PATH:/usr/sbin command -v "$tool" >/dev/null 2>&1 || { missing+=(slurm-wlm); break; }
  done
  PATH=$PATH:/usr/sbin command -v munged >/dev/null 2>&1 || missing+=(munge)
fi
[ ${#missing[@]} -eq 0 ] && exit 0
echo "bootstrap: installing ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
