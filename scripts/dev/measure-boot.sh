#!/bin/bash
# Boots the sample node of boot-guest.sh repeatedly with different 9p cache
# modes (interleaved, so host load hits every mode alike) and prints one line
# per boot: wall seconds to "agent ready" and to rig.target, and the guest's
# own "Startup finished" line.
#   scripts/dev/measure-boot.sh [RUNS] [MODES...]     (default: 3 loose mmap none)
# RIG_BOOT_ARGS adds options to every boot, e.g. "--qemu-arg -bios --qemu-arg /usr/share/qemu/qboot.rom".
here=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-3}; shift
modes=${*:-loose mmap none}
work=$(mktemp -d /tmp/rig-measure.XXXXXX)
for i in $(seq 1 "$runs"); do
  for cache in $modes; do
    out=$(RIG_EXTRA_MANIFEST="${RIG_EXTRA_MANIFEST:-}" "$here/scripts/dev/boot-guest.sh" --work "$work" --cache "$cache" --no-checks $RIG_BOOT_ARGS 2>&1)
    agent=$(echo "$out" | awk '/^agent-ready/{print $2}')
    target=$(echo "$out" | awk '/^rig-target/{print $2}')
    clean=$(sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g' "$work/console.log")
    agentUp=$(echo "$clean" | grep -o 'agent listening on [^ ]* at [0-9.]*' | awk '{print $NF}')
    startup=$(echo "$clean" | grep -o 'Startup finished in.*' | head -1)
    printf 'cache=%-5s run=%d agent-ready=%.2fs (uptime %s) rig-target=%.2fs | %s | load %s\n' \
      "$cache" "$i" "${agent:-0}" "$agentUp" "${target:-0}" "$startup" "$(cut -d' ' -f1 /proc/loadavg)"
  done
done
rm -rf "$work"
