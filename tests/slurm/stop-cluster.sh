#!/bin/bash
# Stops the cluster start-cluster.sh made in DIR and removes DIR: cancels its jobs, stops the
# daemons by the pids it recorded (TERM, then KILL after 10 s), kills the job steps left in DIR
# (slurmstepd outlives slurmd and ignores TERM), and checks that none of them is alive.
# Safe to run twice. Exit 1 if something could not be stopped.
# Usage: stop-cluster.sh DIR
set -uo pipefail
[ $# = 1 ] || { echo "usage: stop-cluster.sh DIR" >&2; exit 2; }
[ -d "$1" ] || exit 0
dir=$(cd "$1" && pwd)
export SLURM_CONF="$dir/slurm.conf"

# A zombie (waiting for its reaper) is not running.
running() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }
pid_of() { cat "$dir/pids/$1" 2>/dev/null || true; }
# Signals a recorded pid only while its command line is still the daemon started in DIR.
ours() { [ -n "$1" ] && tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline" | grep -qF "$dir"; }
stop() {
    local pids=() p
    for p in "$@"; do ours "$p" && pids+=("$p"); done
    [ ${#pids[@]} = 0 ] && return
    kill -TERM "${pids[@]}" 2>/dev/null
    for _ in $(seq 100); do
        local alive=0
        for p in "${pids[@]}"; do running "$p" && alive=1; done
        [ $alive = 0 ] && return
        sleep 0.1
    done
    kill -KILL "${pids[@]}" 2>/dev/null
    sleep 0.5
}

if [ -f "$dir/slurm.conf" ] && running "$(pid_of slurmctld)"; then
    jobs=$(timeout 10 squeue -h -o %A 2>/dev/null | sort -u)
    if [ -n "$jobs" ]; then
        timeout 10 scancel $jobs 2>/dev/null
        for _ in $(seq 50); do
            [ -z "$(timeout 5 squeue -h -o %A 2>/dev/null)" ] && break
            sleep 0.2
        done
    fi
fi
stop "$(pid_of slurmd)" "$(pid_of slurmctld)"
stop "$(pid_of munged)"
# Job steps of this cluster: their working directory or an open file is in DIR.
for p in $(find /proc/[0-9]*/cwd /proc/[0-9]*/fd -maxdepth 1 \( -lname "$dir" -o -lname "$dir/*" \) \
               2>/dev/null | cut -d/ -f3 | sort -u); do
    [ "$p" = $$ ] && continue
    case "$(tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline")" in slurmstepd*) kill -KILL "$p" 2>/dev/null ;; esac
done
left=""
for d in munged slurmctld slurmd; do running "$(pid_of "$d")" && ours "$(pid_of "$d")" && left+=" $d"; done
[ -z "$left" ] || { echo "stop-cluster: still running:$left" >&2; exit 1; }
rm -rf "$dir"
