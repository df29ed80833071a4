#!/usr/bin/env bash
# Runs a `servesim sweep` on a Slurm cluster: the sweep's shards as one job array (task K runs
# `--shard K/N`), then a merge job that starts when every shard has succeeded and writes the table
# one unsharded `servesim sweep` writes, byte for byte. RESULTS must be on a filesystem every node
# sees (the submitting folder usually is).
#
#   scripts/slurm-sweep.sh [OPTIONS] SCENARIO SWEEP-OPTIONS...
#
#   --shards N          array size (default 8)
#   --cpus-per-task C   CPUs per shard, passed to `sweep --jobs` (default 1)
#   --results DIR       shards, sidecars and logs (default slurm-sweep-results)
#   --out FILE          the merged table (default RESULTS/sweep.csv; .json for JSON)
#   --servesim PATH     the binary every node runs (default: $SERVESIM, else servesim on PATH,
#                       else this checkout's .build/release/servesim)
#   --sbatch ARG        one more option for both sbatch calls (repeatable: --sbatch --partition=gpu)
#   --wait              block until the merge job ends; exit with its status
#
# SWEEP-OPTIONS are `servesim sweep`'s (--set PATH=VALUES, --seed, --duration, ...). A shard that
# fails cancels the merge job (--kill-on-invalid-dep), so a failed sweep never looks merged;
# its log is RESULTS/logs/shard-K.log. Prints the two job ids.
set -euo pipefail

usage() { sed -n '7,18p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
shards=8 cpus=1 results=slurm-sweep-results out="" servesim="${SERVESIM:-}" wait=0
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --shards) shards=${2:?}; shift 2 ;;
    --cpus-per-task) cpus=${2:?}; shift 2 ;;
    --results) results=${2:?}; shift 2 ;;
    --out) out=${2:?}; shift 2 ;;
    --servesim) servesim=${2:?}; shift 2 ;;
    --sbatch) extra+=("${2:?}"); shift 2 ;;
    --wait) wait=1; shift ;;
    -h|--help) usage ;;
    --) shift; break ;;
    -*) echo "$0: unknown option $1" >&2; usage ;;
    *) break ;;
  esac
done
[ $# -ge 1 ] || usage
case "$shards" in ''|*[!0-9]*|0) echo "$0: --shards: $shards is not a whole number >= 1" >&2; exit 2 ;; esac
case "$cpus" in ''|*[!0-9]*|0) echo "$0: --cpus-per-task: $cpus is not a whole number >= 1" >&2; exit 2 ;; esac
command -v sbatch >/dev/null 2>&1 || { echo "$0: sbatch not found (is this a Slurm login node?)" >&2; exit 1; }

if [ -z "$servesim" ]; then
  servesim=$(command -v servesim 2>/dev/null || true)
  [ -n "$servesim" ] || servesim="$(cd "$(dirname "$0")/.." && pwd)/.build/release/servesim"
fi
[ -x "$servesim" ] || { echo "$0: $servesim is not an executable servesim (build it: make build, or pass --servesim)" >&2; exit 1; }
servesim=$(cd "$(dirname "$servesim")" && pwd)/$(basename "$servesim")

mkdir -p "$results/logs"
results=$(cd "$results" && pwd)
[ -n "$out" ] || out=$results/sweep.csv
case "$out" in /*) ;; *) out=$PWD/$out ;; esac
case "$out" in *.json) format=json ;; *) format=csv ;; esac
scenario=$1; shift
# A table left by an earlier sweep must not pass for this one's.
rm -f "$out" "$results"/shard-*.csv "$results"/shard-*.csv.shard.json "$results"/shard-*.json
case "$scenario" in /*) ;; *) scenario=$PWD/$scenario ;; esac

# Each shard's own command line, quoted for the job's shell; the array index fills in K.
sweep=$(printf '%q ' "$servesim" sweep "$scenario" "$@")
shard=$(printf '%q' "$results/shard-")
shard_job=$(sbatch --parsable --job-name=servesim-sweep --array=1-"$shards" --cpus-per-task="$cpus" \
  --output="$results/logs/shard-%a.log" "${extra[@]}" \
  --wrap "$sweep --shard \${SLURM_ARRAY_TASK_ID}/$shards --jobs $cpus --quiet --out $shard\${SLURM_ARRAY_TASK_ID}.$format")
shard_job=${shard_job%%;*}

# The merge names every shard, so a missing one is named in its error rather than skipped.
merge=$(printf '%q ' "$servesim" merge)
for k in $(seq "$shards"); do merge+=$(printf '%q ' "$results/shard-$k.$format"); done
merge+=$(printf -- '--out %q' "$out")
wait_flag=()
[ "$wait" -eq 1 ] && wait_flag=(--wait)
echo "servesim sweep: shards job $shard_job (array 1-$shards), merging into $out"
set +e
merge_job=$(sbatch --parsable --job-name=servesim-merge --dependency=afterok:"$shard_job" --kill-on-invalid-dep=yes \
  --output="$results/logs/merge.log" "${extra[@]}" "${wait_flag[@]}" --wrap "$merge")
status=$?
set -e
merge_job=${merge_job%%;*}
echo "servesim sweep: merge job $merge_job"
[ "$wait" -eq 1 ] || exit "$status"
# sbatch --wait exits 0 for a merge job cancelled because a shard failed: only the merged table
# itself says the sweep succeeded.
if [ "$status" -ne 0 ] || [ ! -f "$out" ]; then
  echo "$0: the sweep did not merge (sbatch exit $status, no $out); logs in $results/logs:" >&2
  for log in "$results"/logs/*.log; do
    [ -s "$log" ] && { echo "== $log" >&2; tail -n 3 "$log" >&2; }
  done
  exit 1
fi
echo "servesim sweep: merged $shards shards into $out"
