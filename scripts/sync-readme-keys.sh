#!/usr/bin/env bash
# Regenerates the README's scenario-key tables (between the GENERATED KEYS markers) from the
# format's declarations, as `servesim schema --markdown` prints them. A test fails when the README
# is stale. Usage: scripts/sync-readme-keys.sh [path/to/servesim]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-.build/release/servesim}
tables=$(mktemp)
"$bin" schema --markdown > "$tables"
awk -v tables="$tables" '
  /^<!-- BEGIN GENERATED KEYS/ { print; while ((getline line < tables) > 0) print line; skip = 1; next }
  /^<!-- END GENERATED KEYS/ { skip = 0 }
  !skip { print }
' README.md > README.md.tmp
mv README.md.tmp README.md
rm -f "$tables"
