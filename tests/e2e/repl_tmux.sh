#!/usr/bin/env bash
# `rig repl` end to end, driven in tmux as a person would: start, a command
# and its output, a failing expect (the session survives), Ctrl-C at the
# prompt and during a wait, `:run`, `:shell`
# with `hostname` and the window size in the guest (also after a resize),
# Ctrl-] back to the prompt, `:quit`; then no qemu or vde_switch of this
# REPL's run directory may remain.
#
#   tests/e2e/repl_tmux.sh RIG SPEC [BACKEND]
#
# BACKEND (vm, the default, or container) runs the node there (`rig repl
# --backend=`).
#
# Waits poll the pane (capture-pane) with a generous timeout; nothing
# sleeps a fixed time. Other engineers' VMs may run beside this one: only
# processes whose command line names this test's run directory count.
set -euo pipefail
rig=$1
spec=$2
backend=${3:-vm}
command -v tmux >/dev/null || {
  echo "repl e2e: tmux is missing: apt-get install tmux (or run scripts/setup)" >&2
  exit 1
}

work=$(mktemp -d /tmp/rig-repl-e2e.XXXXXX)
# The run directory goes under XDG_RUNTIME_DIR: every qemu and vde_switch of
# this REPL has $runtime in its command line.
runtime=$work/runtime
mkdir -m 700 "$runtime"
socket=$work/tmux.sock
tmux_() { tmux -S "$socket" "$@"; }

ours() { pgrep -f -- "$runtime/" || true; }

cleanup() {
  tmux_ kill-server 2>/dev/null || true
  # Only if the test failed half-way: our own processes, by run directory.
  for pid in $(ours); do kill -9 "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

pane() { tmux_ capture-pane -p -J -S -2000 -t repl; }

# wait_for REGEX [SECONDS]: until a line of the pane matches (grep -E).
wait_for() {
  local regex=$1 timeout=${2:-120}
  local deadline=$((SECONDS + timeout))
  until pane | grep -Eq -- "$regex"; do
    if ((SECONDS >= deadline)); then
      echo "repl e2e: timed out after ${timeout}s waiting for /$regex/; the pane:" >&2
      pane >&2
      exit 1
    fi
    sleep 0.2
  done
  echo "ok: /$regex/"
}

# type TEXT: the text, then Enter.
type_() { tmux_ send-keys -t repl -l -- "$1"; tmux_ send-keys -t repl Enter; }

tmux_ new-session -d -s repl -x 120 -y 40 \
  "env XDG_RUNTIME_DIR=$runtime RIG_HISTORY=$work/history $rig repl --backend=$backend $spec; echo REPL-EXITED \$?; sleep 3600"

wait_for '^rig repl: suite repl \(1 test; nodes: box\)'
wait_for '^rig>'

# A command and its output (boots the machine on first use).
type_ 'box.succeed("echo $((6 * 7))")'
wait_for '^42$' 600
[[ -n $(ours) ]] || { echo "repl e2e: no node process found by its run directory" >&2; exit 1; }

# A failing expect prints as in a test; the session goes on.
type_ 'let answer = int(trim(box.succeed("echo 42")))'
type_ 'expect answer == 41'
wait_for '<repl>:1:8: expect failed'
wait_for 'answer = 42'
type_ 'answer + 1'
wait_for '^43$'

# A typo gets the compiler's diagnostic with a did-you-mean.
type_ 'bx.succeed("true")'
wait_for 'did you mean `box`\?'

# Ctrl-C at the prompt drops the line typed so far.
tmux_ send-keys -t repl -l -- 'this is not rig'
tmux_ send-keys -t repl C-c
type_ '20 + 3'
wait_for '^23$'

# Ctrl-C while an input runs interrupts it; the session and the machine
# stay. (Sent until it shows: the first may come before the input runs.)
type_ 'box.wait_until_succeeds("false")'
deadline=$((SECONDS + 120))
until pane | grep -q 'interrupted'; do
  ((SECONDS < deadline)) || { echo "repl e2e: Ctrl-C did not interrupt" >&2; pane >&2; exit 1; }
  tmux_ send-keys -t repl C-c
  sleep 1
done
echo "ok: /interrupted/"
type_ 'box.succeed("echo still-$((2 + 2))")'
wait_for '^still-4$'

# The suite's test on the live machine.
type_ ':run'
wait_for 'PASS box knows its name'
wait_for '^repl: 1 passed'

# A shell in the guest: hostname, and the terminal's size.
type_ ':shell box'
wait_for '^\[root shell on box: Ctrl-\] returns to rig>\]'
type_ 'hostname'
wait_for '^box$'
size=$(tmux_ display -p -t repl '#{pane_height} #{pane_width}')
type_ 'stty size'
wait_for "^$size\$"
tmux_ resize-window -t repl -x 100 -y 30
size=$(tmux_ display -p -t repl '#{pane_height} #{pane_width}')
type_ 'stty size'
wait_for "^$size\$"
# Ctrl-] returns to the prompt; the machine keeps running.
tmux_ send-keys -t repl C-]
wait_for '^\[back in rig repl\]'
type_ 'box.succeed("echo back-$((1 + 1))")'
wait_for '^back-2$'

type_ ':quit'
wait_for '^stopping the machines'
wait_for '^REPL-EXITED 0$' 120

left=$(ours)
if [[ -n $left ]]; then
  echo "repl e2e: processes of the REPL's run directory remain:" >&2
  ps -o pid,args -p "$(echo $left | tr ' ' ,)" >&2 || true
  exit 1
fi
if compgen -G "$runtime/rig/repl-*" >/dev/null; then
  echo "repl e2e: the run directory remains: $(ls -d "$runtime"/rig/repl-*)" >&2
  exit 1
fi
grep -q '^:run$' "$work/history" || { echo "repl e2e: no history written" >&2; exit 1; }
echo "repl e2e: passed"
