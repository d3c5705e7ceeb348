# Shared by the e2e shell scripts (keep_vms.sh, host_faults.sh): sourced
# after they set `runs` (the run directories of their private
# XDG_RUNTIME_DIR) and `name` (for messages).

# Processes whose command line names one of this test's run directories.
ours() { pgrep -a -f "$runs/" || true; }
nothing_left() { [[ -z $(ours) ]]; }
# Kills what the test left running (after a failed check), saying what.
kill_leftovers() {
  local left
  left=$(ours)
  if [[ -n $left ]]; then
    echo "$name: killing leftovers:"$'\n'"$left" >&2
    pkill -KILL -f "$runs/" || true
  fi
}
# Waits up to $1 seconds for command $2... to succeed.
within() {
  local seconds=$1
  shift
  for ((i = 0; i < seconds * 10; i++)); do
    if "$@"; then return 0; fi
    sleep 0.1
  done
  return 1
}
