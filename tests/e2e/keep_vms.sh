#!/usr/bin/env bash
# --keep-vms-on-failure and `rig attach` end to end (docs/debugging.md):
#  1. a failing one-node suite run with the flag exits 1, prints the attach
#     commands, and its QEMU and vde_switch outlive rig;
#  2. `rig attach --list` shows the run; `rig attach DIR box` with a piped
#     script runs commands in the guest; `rig attach DIR --console box`
#     follows the console live (a line written in the guest shows up);
#     a wrong node or directory is a clear error (exit 2);
#  3. `rig attach DIR --stop` ends them: no process naming the run
#     directory remains, the directory is gone, the console follower ends;
#  4. `rig attach` reaches a suite while it runs (the suite waits for a file
#     the attached shell creates), and that passing suite, run with the
#     flag, leaves nothing behind;
#  5. SIGTERM and SIGKILL of rig mid-boot with the flag leave nothing behind.
# Run directories go to a private XDG_RUNTIME_DIR, so every check looks
# only at this test's processes (other people's VMs may run beside them).
# BACKEND (vm, the default, or container) runs the node there (`rig run
# --backend=`): a VM is QEMU on a vde_switch, a container systemd-nspawn in
# the run's network namespace (its holder, `rig-netns`).
#   tests/e2e/keep_vms.sh RIG [BACKEND]
set -euo pipefail
rig=$1
backend=${2:-vm}
if [[ $backend == container ]]; then
  node_process=systemd-nspawn network_process=rig-netns how_stopped="SIGTERM to systemd-nspawn"
else
  node_process=qemu-system network_process=vde_switch how_stopped="QMP quit"
fi
work=$(mktemp -d /tmp/rig-keep-e2e.XXXXXX)
export XDG_RUNTIME_DIR=$work
runs=$work/rig
fail() { echo "keep_vms: $*" >&2; exit 1; }
name=keep_vms
# shellcheck source=script_lib.sh
source "$(dirname "$0")/script_lib.sh"
cleanup() {
  for record in "$runs"/*/machines.json; do
    [[ -f $record ]] && "$rig" attach "$(dirname "$record")" --stop >/dev/null 2>&1 || true
  done
  kill_leftovers
  rm -rf "$work"
}
trap cleanup EXIT
trap '' PIPE  # a write into a closed attach fails instead of ending the test
# `rig attach $1 box` with the lines $2..$N-1 typed into the guest's shell,
# then `exit` once the output shows $N. The input stays open until then:
# bash takes seconds to start under TCG, and attach ends 2 s after its
# input ends and the guest is quiet.
shell_in() {
  local run=$1 answer=${*: -1} out=$work/shell.out
  local lines=("${@:2:$#-2}")
  rm -f "$work/shell.in"
  mkfifo "$work/shell.in"
  "$rig" attach "$run" box <"$work/shell.in" >"$out" 2>&1 &
  local attach=$!
  exec 3>"$work/shell.in"
  printf '%s\n' "${lines[@]}" >&3
  local ok=0
  within 120 grep -q "$answer" "$out" || ok=1
  # The machine may be gone by now (a suite that ended): no SIGPIPE here.
  printf 'exit\n' >&3 2>/dev/null || true
  exec 3>&-
  wait "$attach" || ok=1
  cat "$out"
  return $ok
}
# `rig ARGS...` (after the first two) must exit with $1 and say $2.
fails_with() {
  local want=$1 says=$2 err status
  shift 2
  set +e
  err=$("$rig" "$@" 2>&1)
  status=$?
  set -e
  [[ $status -eq $want ]] || fail "rig $* exited $status, expected $want: $err"
  grep -qF -- "$says" <<<"$err" || fail "rig $* did not say \"$says\": $err"
}

cat >"$work/fails.rig" <<'RIG'
node box { }

test "a wrong answer keeps the machine" {
  box.succeed("echo keep-e2e-before-failure > /dev/console")
  expect box.succeed("echo hello") == "bye\n"
}
RIG
# Passes once someone attached to the running suite and created the file.
# Not in /tmp: an attach can come before the boot's systemd-tmpfiles-setup,
# which empties /tmp (a container's agent answers before systemd is up).
cat >"$work/passes.rig" <<'RIG'
node box { }

test "a right answer after an attach" {
  box.wait_until_succeeds("test -e /root/attached", timeout = 600s)
  expect box.succeed("echo hello") == "hello\n"
}
RIG

# ---- 1. a failing suite keeps its machines ---------------------------------
set +e
out=$("$rig" run --backend="$backend" --keep-vms-on-failure "$work/fails.rig" 2>&1)
status=$?
set -e
echo "$out"
[[ $status -eq 1 ]] || fail "the failing suite exited $status, expected 1"
dir=$(sed -n 's/^kept the machines of suite .* after its failure, in \(.*\)$/\1/p' <<<"$out")
[[ -n $dir && -d $dir ]] || fail "rig did not say where it kept the machines"
[[ $dir == "$runs"/* ]] || fail "the run directory $dir is not under $runs"
for line in "attach $dir box" "attach $dir --console box" "attach $dir --stop"; do
  grep -qF -- "$line" <<<"$out" || fail "rig did not print \`rig $line\`"
done
ps_now=$(ours)
echo "kept processes:"$'\n'"$ps_now"
grep -qE "^[0-9]+ .*$node_process" <<<"$ps_now" || fail "no $node_process of $dir survived rig"
grep -qE "^[0-9]+ .*$network_process" <<<"$ps_now" || fail "no $network_process of $dir survived rig"
grep -q '"kept_at"' "$dir/machines.json" || fail "machines.json does not record the keep"
if [[ $backend == container ]]; then
  # Each container has a cgroup of its own (runtime/host/cgroup.h): two
  # containers' systemd instances never share /system.slice/UNIT.
  nspawn=$(grep -E '^[0-9]+ systemd-nspawn' <<<"$ps_now" | head -1 | cut -d' ' -f1)
  [[ -n $nspawn ]] && grep -q '/rig-' "/proc/$nspawn/cgroup" ||
    fail "the container does not run in a cgroup of its own: $(cat "/proc/$nspawn/cgroup" 2>&1)"
fi

# ---- 2. reaching them ------------------------------------------------------
list=$("$rig" attach --list)
echo "$list"
grep -qF "$dir" <<<"$list" || fail "--list does not show $dir"
grep -q "running: box" <<<"$list" || fail "--list does not say that box runs"

"$rig" attach "$dir" --console box >"$work/console.out" 2>&1 &
follower=$!

shell_in "$dir" 'echo "host=$(hostname)"' 'echo keep-e2e-live-line > /dev/console' \
  "host=box" || fail "the shell did not print the node's hostname"

within 30 grep -q keep-e2e-live-line "$work/console.out" ||
  fail "--console did not show the line written during the attach:
$(cat "$work/console.out")"
grep -q keep-e2e-before-failure "$work/console.out" ||
  fail "--console did not show the console's last lines first"

fails_with 2 "no node \`nope\` in $dir (its nodes: box)" attach "$dir" nope
fails_with 2 "$work is not a run directory of rig" attach "$work" box

# ---- 3. stopping them ------------------------------------------------------
stop=$("$rig" attach "$dir" --stop) || fail "--stop failed: $stop"
echo "$stop"
grep -qF "box: stopped ($how_stopped)" <<<"$stop" || fail "--stop did not stop box ($how_stopped)"
[[ ! -e $dir ]] || fail "--stop left $dir"
within 5 nothing_left || fail "processes of the run remain after --stop:
$(ours)"
within 10 bash -c "! kill -0 $follower 2>/dev/null" || fail "--console did not end with the machine"
wait "$follower" || fail "--console exited $? when the machine ended"
grep -q "the VM of node \`box\` is gone" "$work/console.out" ||
  fail "--console did not say that the machine ended"

# ---- 4. attaching to a running suite; a passing suite leaves nothing -----
"$rig" run --backend="$backend" --keep-vms-on-failure "$work/passes.rig" >"$work/passes.log" 2>&1 &
run=$!
# The glob finds the run directory as soon as the node's directory exists
# (a container's shell.sock is a link made before it boots): `rig attach`
# itself waits for the socket of a node still booting.
within 300 bash -c "compgen -G '$runs/passes-*/box/shell.sock' >/dev/null" ||
  fail "the passing suite's machine never started: $(cat "$work/passes.log")"
live=$(dirname "$(dirname "$(compgen -G "$runs/passes-*/box/shell.sock")")")
shell_in "$live" 'touch /root/attached && echo "attached-to-$(hostname)"' "attached-to-box" ||
  fail "could not attach to the running suite in $live; its output:
$(cat "$work/passes.log")
the end of box's console:
$(tail -40 "$live/box/console.log" 2>&1)"
wait "$run" || fail "the passing suite failed: $(cat "$work/passes.log")"
out=$(cat "$work/passes.log")
echo "$out"
if grep -q "kept the machines" <<<"$out"; then fail "a passing suite's machines were kept"; fi
within 5 nothing_left || fail "a passing suite left processes:
$(ours)"
[[ -z $(ls -A "$runs") ]] || fail "a passing suite left run directories: $(ls -A "$runs")"

# ---- 5. rig killed mid-boot: nothing kept ----------------------------------
# A container boots and fails fails.rig within the 2 s a VM is still
# booting in: it is killed while passes.rig waits (before any failure).
killed_spec=$work/fails.rig
[[ $backend == container ]] && killed_spec=$work/passes.rig
for sig in TERM KILL; do
  "$rig" run --backend="$backend" --keep-vms-on-failure "$killed_spec" >"$work/killed.log" 2>&1 &
  pid=$!
  within 120 bash -c "pgrep -f '$node_process.*$runs/' >/dev/null" ||
    fail "$node_process never started for the SIG$sig case: $(cat "$work/killed.log")"
  [[ $backend == container ]] || sleep 2
  kill -"$sig" "$pid"
  set +e
  wait "$pid"
  status=$?
  set -e
  [[ $status -gt 128 ]] || fail "rig exited $status after SIG$sig"
  within 10 nothing_left || fail "SIG$sig of rig mid-boot left processes:
$(ours)"
done
echo "keep_vms: ok"
