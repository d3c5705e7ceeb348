#!/usr/bin/env bash
# e2e.shard_slurm (tests/e2e/e2e.cmake, label e2e): the suites in suites/
# placed by a real Slurm. The test starts a single-host cluster (munged,
# slurmctld, slurmd; this host is the controller and the only node; state,
# spool, logs and the munge key in a temporary directory), submits
# `sbatch --array=0-2 --wait` whose tasks run `rig run --shard=auto`, merges
# the three reports with `rig merge` and compares them with the whole run's
# (compare_reports.py). The daemons it started are stopped on every exit.
#
#   bash tests/e2e/shard/slurm_array.sh build/rig OUT
# Needs root (SlurmUser=root) and Debian's slurm-wlm and munge.
set -euo pipefail
rig=$(realpath "$1")
out=$2
here=$(cd "$(dirname "$0")" && pwd)
suites=$here/suites

fail() { echo "shard_slurm: $*" >&2; exit 1; }
for tool in munged mungekey slurmctld slurmd sbatch scontrol sinfo; do
  command -v "$tool" >/dev/null ||
    fail "$tool is missing: apt-get install slurm-wlm munge (scripts/setup does)"
done
[[ $(id -u) -eq 0 ]] || fail "needs root: the test cluster runs its jobs as root (SlurmUser=root)"

rm -rf "$out" && mkdir -p "$out"
out=$(realpath "$out")
cluster=$(mktemp -d /tmp/rig-slurm.XXXXXX)
pids=()
stop_cluster() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  # The logs stay with the test's outputs.
  cp "$cluster"/*.log "$out/" 2>/dev/null || true
  rm -rf "$cluster"
}
trap stop_cluster EXIT

# munge: a fresh key, its own socket.
mkdir -p "$cluster/munge" "$cluster/state" "$cluster/spool"
chmod 700 "$cluster/munge"
mungekey --create --keyfile="$cluster/munge/munge.key" >/dev/null
munged --foreground --force --socket="$cluster/munge/socket" \
  --key-file="$cluster/munge/munge.key" --pid-file="$cluster/munge/munged.pid" \
  --log-file="$cluster/munged.log" --seed-file="$cluster/munge/seed" \
  >>"$cluster/munged.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [[ -S $cluster/munge/socket ]] && break; sleep 0.1; done
[[ -S $cluster/munge/socket ]] || fail "munged did not start: $(cat "$cluster/munged.log")"

# This host as controller and only node; ports away from a system Slurm's.
host=$(hostname -s)
cpus=$(nproc)
cat > "$cluster/slurm.conf" <<CONF
ClusterName=rigtest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=16817
SlurmdPort=16818
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$cluster/munge/socket
StateSaveLocation=$cluster/state
SlurmdSpoolDir=$cluster/spool
SlurmctldPidFile=$cluster/slurmctld.pid
SlurmdPidFile=$cluster/slurmd.pid
SlurmctldLogFile=$cluster/slurmctld.log
SlurmdLogFile=$cluster/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=rig Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$cluster/slurm.conf
slurmctld -D -i -f "$SLURM_CONF" >>"$cluster/slurmctld.out.log" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" >>"$cluster/slurmd.out.log" 2>&1 &
pids+=($!)
up=
for _ in $(seq 100); do
  if sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then up=1; break; fi
  sleep 0.2
done
[[ -n $up ]] || fail "the cluster did not come up: $(sinfo 2>&1; tail -5 "$cluster"/slurm*.log)"
echo "shard_slurm: cluster up: $(sinfo -h -o '%P %D %T %N')"

# The whole run, for comparison.
set +e
"$rig" run -q --json "$out/whole.json" --junit "$out/whole.xml" "$suites"
code=$?
set -e
[[ $code -eq 1 ]] || fail "the whole run exited with $code, expected 1"

# The array job: three tasks, each `rig run --shard=auto` (Slurm's
# SLURM_ARRAY_TASK_ID, counted from SLURM_ARRAY_TASK_MIN, of
# SLURM_ARRAY_TASK_COUNT), as a CI user would write it.
cat > "$out/shard.sbatch" <<JOB
#!/bin/bash
#SBATCH --job-name=rig-shards
#SBATCH --array=0-2
#SBATCH --output=$out/task-%a.log
exec "$rig" run --shard=auto --json "$out/shard-\$SLURM_ARRAY_TASK_ID.json" \\
  --events "$out/shard-\$SLURM_ARRAY_TASK_ID.ndjson" "$suites"
JOB
set +e
sbatch --wait "$out/shard.sbatch"
code=$?
set -e
echo "shard_slurm: sbatch --wait exited with $code (a failing test fails its task)"
for id in 0 1 2; do
  [[ -s $out/shard-$id.json ]] ||
    fail "task $id wrote no report: $(cat "$out/task-$id.log" 2>/dev/null)"
  grep -q "\"shard\": $((id + 1))," "$out/shard-$id.json" ||
    fail "task $id did not run shard $((id + 1))/3: $(grep -A1 '"shard' "$out/shard-$id.json")"
done

set +e
"$rig" merge --json "$out/merged.json" --junit "$out/merged.xml" \
  --html "$out/merged.html" "$out"/shard-*.ndjson
code=$?
set -e
[[ $code -eq 1 ]] || fail "rig merge exited with $code, expected 1 (the whole run's)"
/usr/bin/python3 "$here/compare_reports.py" json "$out/whole.json" "$out/merged.json"
/usr/bin/python3 "$here/compare_reports.py" junit "$out/whole.xml" "$out/merged.xml"
grep -q rig-shard-marker-5150 "$out/merged.html" ||
  fail "merged.html lacks the VM suite's console"
echo "shard_slurm: the Slurm array's merged reports equal the whole run's"
