#!/bin/bash
# Brings up a private one-node Slurm cluster (munged, slurmctld, slurmd) in DIR, for the tests:
# everything it makes (key, socket, state, spool, logs, pids) lives in DIR, nothing under /etc or
# /var is used, and no daemon keeps the caller's descriptors. Prints nothing on stdout; on
# failure prints the daemons' logs, stops what it started, and exits 1.
# Usage (as root): start-cluster.sh DIR        then: export SLURM_CONF=DIR/slurm.conf
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
fail() { echo "start-cluster: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "must run as root (slurmd runs jobs as their submitter)"
[ $# = 1 ] || fail "usage: start-cluster.sh DIR"
for tool in munged mungekey slurmctld slurmd sinfo sbatch; do
    command -v "$tool" >/dev/null || fail "$tool is missing: run scripts/setup-deps.sh (Debian: slurmctld slurmd slurm-client munge)"
done
mkdir -p "$1"
dir=$(cd "$1" && pwd)
# munged refuses a socket below a directory that others cannot traverse (mktemp makes 0700).
chmod 755 "$dir"
up=$(dirname "$dir")
while [ "$up" != / ]; do
    [ $(( 0$(stat -c %a "$up") & 1 )) = 1 ] || fail "$up is not searchable by others (munged needs o+x on every folder above its socket): chmod o+x $up, or start the cluster elsewhere"
    up=$(dirname "$up")
done
mkdir -p "$dir"/{munge,state,spool,log,pids}
chmod 755 "$dir/munge"

on_exit() {
    local rc=$?
    [ $rc = 0 ] && return
    for f in "$dir"/log/*; do [ -s "$f" ] && { echo "--- $f" >&2; tail -n 20 "$f" >&2; }; done
    "$here/stop-cluster.sh" "$dir" >&2 || true
}
trap on_exit EXIT

# A free pair of ports: a second cluster (another test run) may hold the defaults.
busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=6817
while busy $port || busy $((port + 1)); do
    port=$((port + 2))
    [ $port -lt 6999 ] || fail "no free pair of ports between 6817 and 6999"
done

# What slurmd will register, less the memory: it is not scheduled here, and a configured value
# above what slurmd measures would drain the node.
node_line=$(slurmd -C | head -n 1 | sed 's/ RealMemory=[0-9]*//')
node=$(echo "$node_line" | sed -n 's/^NodeName=\([^ ]*\).*/\1/p')
[ -n "$node" ] || fail "cannot read the node from 'slurmd -C': $node_line"

# Runs a daemon in the foreground of a subshell with no inherited descriptor above 2 (munged
# would keep the caller's pipes open, and a test waiting on them would never end).
start() {
    local name=$1; shift
    (
        cd "$dir"
        for fd in $(ls /proc/$BASHPID/fd); do [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done
        exec "$@" </dev/null >>"$dir/log/$name.out" 2>&1
    ) &
    echo $! >"$dir/pids/$name"
}

mungekey --create --keyfile="$dir/munge/key" 2>>"$dir/log/mungekey.out"
start munged munged --foreground --socket="$dir/munge/socket" --key-file="$dir/munge/key" \
    --pid-file="$dir/munge/pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munge/seed"
for _ in $(seq 50); do
    munge -n -S "$dir/munge/socket" 2>/dev/null | unmunge -S "$dir/munge/socket" >/dev/null 2>&1 && break
    sleep 0.1
done
munge -n -S "$dir/munge/socket" | unmunge -S "$dir/munge/socket" >/dev/null || fail "munged does not answer"

cat >"$dir/slurm.conf" <<CONF
ClusterName=tests
# The address in brackets: no name resolution needed (a fresh machine may lack /etc/hosts).
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/pids/slurmctld.pidfile
SlurmdPidFile=$dir/pids/slurmd.pidfile
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
# No cgroups, no accounting: processes are tracked through /proc.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
# sbatch --wait polls every 2 s only while MinJobAge is at most 5; longer and it backs off.
MinJobAge=5
# Start pending array tasks at once rather than in 3 s waves.
SchedulerParameters=batch_sched_delay=0,bf_interval=1
# A merge job whose shards failed is cancelled instead of pending forever.
DependencyParameters=kill_invalid_depend
# A cancelled task gets SIGKILL 2 s after SIGTERM, not 30: stopping stays quick.
KillWait=2
$node_line NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=tests Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$dir/slurm.conf"
start slurmctld slurmctld -D -f "$dir/slurm.conf"
start slurmd slurmd -D -f "$dir/slurm.conf" -N "$node"

for _ in $(seq 120); do
    [ "$(sinfo -h -n "$node" -o %T 2>/dev/null)" = idle ] && { trap - EXIT; exit 0; }
    for d in munged slurmctld slurmd; do
        kill -0 "$(cat "$dir/pids/$d")" 2>/dev/null || fail "$d exited while starting"
    done
    sleep 0.25
done
fail "the node $node did not become idle within 30 s (state: $(sinfo -h -n "$node" -o %T 2>&1))"
