#!/usr/bin/env bash
# A single-node Slurm cluster in one folder, for trying scripts/slurm-sweep.sh on one machine and
# for its CI test: munged, slurmctld and slurmd on 127.0.0.1, every file (key, config, state,
# spool, logs, pid files) under DIR, nothing in /etc touched. Needs Debian's slurm-wlm and munge
# (`make test` installs them). Runs the daemons as the current user (root in CI).
#
#   scripts/slurm-local.sh start DIR [PORT]   start; prints the SLURM_CONF line to export
#   scripts/slurm-local.sh stop DIR           stop the daemons started in DIR
#
# PORT (default 16817) is slurmctld's; slurmd listens on PORT+1. `start` waits until the node is
# idle (at most 30 s) and fails, printing the logs' tails, when it is not.
set -euo pipefail

usage() { echo "usage: $0 start DIR [PORT] | stop DIR" >&2; exit 2; }
[ $# -ge 2 ] || usage
action=$1
mkdir -p "$2"
dir=$(cd "$2" && pwd)
conf=$dir/slurm.conf

stop() {
  PATH=$PATH:/usr/sbin:/sbin
  if [ -f "$conf" ]; then
    SLURM_CONF=$conf scontrol shutdown >/dev/null 2>&1 || true
  fi
  for pidfile in "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munge/munged.pid"; do
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile" 2>/dev/null || true)
    [ -n "$pid" ] || continue
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; kill "$pid" 2>/dev/null || true; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$pidfile"
  done
}

case "$action" in
  stop) stop; exit 0 ;;
  start) ;;
  *) usage ;;
esac

port=${3:-16817}
PATH=$PATH:/usr/sbin:/sbin   # the daemons live in sbin, which a non-root PATH may lack
for tool in mungekey munged slurmctld slurmd sbatch sinfo scontrol; do
  command -v "$tool" >/dev/null 2>&1 || { echo "$0: $tool not found (Debian packages slurm-wlm and munge)" >&2; exit 1; }
done
# The daemons must not keep a descriptor of whoever started them (a parent that waits for EOF on
# an inherited pipe or socket, as Foundation's Process does, would wait forever): keep 0-2 only.
for fd in /proc/$$/fd/*; do
  fd=${fd##*/}
  [ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-" 2>/dev/null || true
done
user=$(id -un)
host=$(hostname -s)
mkdir -p "$dir/munge" "$dir/state" "$dir/spool" "$dir/log"
chmod 700 "$dir/munge"
[ -f "$dir/munge/munge.key" ] || mungekey --create --keyfile="$dir/munge/munge.key"
chmod 600 "$dir/munge/munge.key"
munged --force --socket="$dir/munge/munge.socket" --key-file="$dir/munge/munge.key" \
  --pid-file="$dir/munge/munged.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munged.seed"

# The node as slurmd detects it (CPUs, sockets, cores, memory), so it never drains for
# claiming more than the machine has.
node=$(slurmd -C | head -n 1 | sed 's/^NodeName=[^ ]* //')
cat > "$conf" <<EOF
# Written by scripts/slurm-local.sh: a single-node cluster in $dir.
ClusterName=servesim
SlurmctldHost=$host(127.0.0.1)
SlurmUser=$user
SlurmdUser=$user
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
NodeName=$host NodeAddr=127.0.0.1 $node State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$conf
slurmctld -f "$conf"
slurmd -f "$conf"
for _ in $(seq 60); do
  if [ "$(sinfo --noheader --format=%t 2>/dev/null | tr -d ' *')" = "idle" ]; then
    echo "export SLURM_CONF=$conf"
    exit 0
  fi
  sleep 0.5
done
echo "$0: the node did not come up idle in 30 s; sinfo says: $(sinfo --noheader 2>&1 || true)" >&2
for log in "$dir"/log/*.log; do echo "== $log" >&2; tail -n 5 "$log" >&2; done
stop
exit 1
