#!/bin/bash
# A Slurm job array: the suites in specs/ as 4 shards, one array task each
# (`rig run --shard=auto` reads SLURM_ARRAY_TASK_ID, counted from
# SLURM_ARRAY_TASK_MIN, and SLURM_ARRAY_TASK_COUNT), then `rig merge` in a
# job that waits for the array (docs/scaling.md):
#
#   array=$(sbatch --parsable slurm-array.sh)
#   sbatch --dependency=afterany:$array --wrap \
#     "rig merge --junit rig.xml --html rig.html reports/$array/*.ndjson"
#
# The nodes: /dev/kvm (rig falls back to TCG without it, about 5x slower),
# rig and the suites' packages installed (`rig doctor --install specs/`),
# rig run as root or by a user in the kvm group, and a shared file system
# for the checkout and reports/. Each task runs its suites one at a time;
# with `#SBATCH --cpus-per-task=N` add `-j` to run several.
#SBATCH --job-name=rig
#SBATCH --array=0-3
#SBATCH --cpus-per-task=2
#SBATCH --mem=8G
#SBATCH --time=02:00:00
#SBATCH --output=reports/%A/task-%a.log
set -u
mkdir -p "reports/$SLURM_ARRAY_JOB_ID"
rig run specs/ --shard=auto \
  --events "reports/$SLURM_ARRAY_JOB_ID/shard-$SLURM_ARRAY_TASK_ID.ndjson" \
  --json "reports/$SLURM_ARRAY_JOB_ID/shard-$SLURM_ARRAY_TASK_ID.json"
