#!/usr/bin/env bash
# Runs `rig run` on a real terminal (a tmux pane of 100x30, with `script`
# recording every byte rig writes) and checks that the live status block was
# drawn (cursor movement, the running test) and that the final screen, as
# tmux shows it, holds the permanent lines and nothing of the block.
#
# usage: check_live_tty.sh RIG SPEC WORKDIR [BACKEND]
# BACKEND (vm, the default, or container) runs the nodes there.
set -euo pipefail
rig=$1 spec=$2 work=$3 backend=${4:-vm}
for tool in tmux script; do
  command -v "$tool" >/dev/null ||
    { echo "check_live_tty: needs $tool (apt-get install tmux bsdutils)"; exit 1; }
done
mkdir -p "$work"
raw=$work/raw.txt screen=$work/screen.txt done=$work/exit-code events=$work/events.ndjson
rm -f "$raw" "$screen" "$done" "$events"
socket=rig-live-$$  # our own tmux server: other engineers' sessions stay alone
trap 'tmux -L "$socket" kill-server 2>/dev/null || true' EXIT

tmux -L "$socket" -f /dev/null new-session -d -x 100 -y 30 \
  "TERM=xterm-256color script -qfec '$rig run --backend=$backend --events $events $spec' $raw; echo \$? > $done; sleep 900"
for _ in $(seq 1800); do  # up to 15 minutes (TCG boots on a busy host)
  [[ -s $done ]] && break
  sleep 0.5
done
[[ -s $done ]] || { echo "check_live_tty: rig did not finish"; exit 1; }
tmux -L "$socket" capture-pane -p -J -S - > "$screen"

echo "---- exit code: $(cat "$done")"
echo "---- the final screen:"
cat "$screen"
echo "----"
problems=()
[[ $(cat "$done") == 1 ]] || problems+=("exit code $(cat "$done"), expected 1")
# Drawn: a cursor-up and an erase-below, and the block's running-test line.
esc=$'\e'
grep -q "${esc}\[[0-9]*A" "$raw" || problems+=("no cursor movement in the output")
grep -q "${esc}\[J" "$raw" || problems+=("no erase in the output")
grep -aq "every_format.*\[1/3\].* [0-9.]*s a passing test" "$raw" ||
  problems+=("the block never showed the running test")
# The node lines need the executor's node events (nodeChanged): when the run
# reported them, the block must have shown the boot.
if grep -q '"event":"nodeChanged"' "$events"; then
  grep -aq "m .*booting [0-9.]*s" "$raw" || problems+=("the block never showed m booting")
fi
# Ends clean: the permanent lines in order, nothing of the block left.
grep -q "FAIL a failing expect" "$screen" || problems+=("no FAIL line on the screen")
grep -q "every_format.rig:18: a failing expect" "$screen" ||
  problems+=("the summary does not name the failure with file:line")
last=$(grep -v '^$' "$screen" | tail -n 1)
[[ $last == "every_format: 1 passed, 1 failed, 1 skipped in "* ]] ||
  problems+=("the last line is not the summary: $last")
if grep -qE '^every_format (\[[0-9]+/3\] )?[0-9.]+s|^  nodes: ' "$screen"; then
  problems+=("block lines left on the screen")
fi
if ((${#problems[@]})); then
  printf 'check_live_tty: %s\n' "${problems[@]}"
  exit 1
fi
echo "check_live_tty: the live block was drawn and the screen ends clean"
