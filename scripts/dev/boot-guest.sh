#!/bin/bash
# Boots one rig node by hand: builds an initramfs with rig-guest and the
# kernel modules of runtime/guest/modules.txt, a sample node config, starts
# QEMU (TCG) and talks to the agent with rig-agent-cli.
#
#   scripts/dev/boot-guest.sh [--build DIR] [--work DIR] [--cache loose|mmap|none]
#                             [--msize N] [--keep] [--no-checks]
#                             [--qemu-arg ARG]... [--append KERNEL-PARAMS] [--allow-reboot]
#
# --keep leaves the VM running (prints the agent socket and QEMU's pid);
# otherwise the script powers the guest off through the agent and waits.
# Exit status 0 when every check passed. Prints timings:
#   agent-ready  seconds from QEMU start to "rig-guest: agent ready"
#   rig-target   seconds from QEMU start to systemd reaching rig.target
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
build=$here/build-guest
work=
cache=loose
msize=512000
keep=0
checks=1
extra=()
noreboot=-no-reboot
while [ $# -gt 0 ]; do
  case $1 in
    --build) build=$2; shift ;;
    --work) work=$2; shift ;;
    --cache) cache=$2; shift ;;
    --msize) msize=$2; shift ;;
    --keep) keep=1 ;;
    --no-checks) checks=0 ;;
    --allow-reboot) noreboot= ;;
    --qemu-arg) extra+=("$2"); shift ;;
    --append) append_extra=$2; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
# The newest kernel in /boot that has its modules (as rig picks one), unless
# RIG_KERNEL_VERSION names another.
kver=${RIG_KERNEL_VERSION:-}
if [ -z "$kver" ]; then
  for k in $(ls /boot 2>/dev/null | sed -n 's/^vmlinuz-//p' | sort -V); do
    [ -d "/usr/lib/modules/$k" ] && kver=$k
  done
  [ -n "$kver" ] || { echo "no /boot/vmlinuz-* with modules in /usr/lib/modules: apt-get install linux-image-amd64" >&2; exit 2; }
fi
kernel=/boot/vmlinuz-$kver
[ -n "$work" ] || work=$(mktemp -d /tmp/rig-boot.XXXXXX)
mkdir -p "$work"
guest=$build/rig-guest
cli=$build/rig-agent-cli
for f in "$guest" "$cli" "$kernel"; do
  [ -e "$f" ] || { echo "missing $f (build rig-guest and rig-agent-cli first)" >&2; exit 2; }
done

fail=0
check() {  # check NAME EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then echo "ok   $1"; else echo "FAIL $1: expected [$2], got [$3]"; fail=1; fi
}

# --- initramfs -------------------------------------------------------------
stage=$work/initramfs
rm -rf "$stage"
mkdir -p "$stage/modules" "$stage/dev"
strip -o "$stage/init" "$guest"  # 5 MB of debug info otherwise
mknod "$stage/dev/console" c 5 1
: > "$stage/modules/order"
grep -v '^#' "$here/runtime/guest/modules.txt" | while read -r m; do
  [ -n "$m" ] || continue
  modprobe --show-depends -S "$kver" "$m" | awk '$1 == "insmod" {print $2}'
done | awk '!seen[$0]++' | while read -r ko; do
  cp "$ko" "$stage/modules/"
  basename "$ko" >> "$stage/modules/order"
done
(cd "$stage" && find . | sort | cpio -o -H newc --quiet) > "$work/initramfs.cpio"

# --- node config -------------------------------------------------------------
cfg=$work/config
rm -rf "$cfg"
mkdir -p "$cfg/root/etc/systemd/system/rig.target.wants" "$cfg/root/srv/www"
cat > "$cfg/root/etc/systemd/system/rig.target" <<'UNIT'
[Unit]
Description=rig node target
Requires=basic.target
After=basic.target
AllowIsolate=yes
UNIT
cat > "$cfg/root/etc/systemd/system/rig-web.service" <<'UNIT'
[Unit]
Description=sample web server
[Service]
ExecStart=/bin/busybox httpd -f -p 8080 -h /srv/www
UNIT
ln -s ../rig-web.service "$cfg/root/etc/systemd/system/rig.target.wants/rig-web.service"
ln -s rig.target "$cfg/root/etc/systemd/system/default.target"
printf 'hello from node1\n' > "$cfg/root/srv/www/index.html"
printf '127.0.0.1 localhost\n192.168.1.1 node1\n192.168.1.2 node2\n' > "$cfg/root/etc/hosts"
prep=$work/prepared
mkdir -p "$prep"
printf 'prepared state\n' > "$prep/data.txt"
cat > "$cfg/manifest" <<'MANIFEST'
version 1
hostname node1
iface 52:54:00:01:01:01 192.168.1.1/24
sysctl net.ipv4.ip_forward 1
dir /var/lib/sample%20dir 0750 0 0
symlink /srv/www/index.html /srv/link.html
mask /etc/systemd/system/multi-user.target.wants
mask /etc/systemd/system/sysinit.target.wants
mask /etc/systemd/system/timers.target.wants
mask /etc/systemd/system/getty.target.wants
overlay prep0 /var/lib/prepared
MANIFEST
# Extra directives (e.g. to measure masking systemd generators).
[ -z "${RIG_EXTRA_MANIFEST:-}" ] || printf '%s\n' "$RIG_EXTRA_MANIFEST" >> "$cfg/manifest"

# --- QEMU -----------------------------------------------------------------
sock=$work/agent.sock
console=$work/console.log
rm -f "$sock" "$console"
append="console=ttyS0 panic=-1 loglevel=4 systemd.unit=rig.target systemd.journald.forward_to_console=1 systemd.show_status=1 rig.9p_cache=$cache rig.9p_msize=$msize ${append_extra:-}"
virtfs=security_model=none,readonly=on,multidevs=remap
start=$(date +%s.%N)
qemu-system-x86_64 -accel tcg -m 512 -smp 1 -nographic $noreboot \
  -kernel "$kernel" -initrd "$work/initramfs.cpio" -append "$append" \
  -serial "file:$console" -monitor none \
  -virtfs "local,path=/usr,mount_tag=usr,$virtfs" \
  -virtfs "local,path=/etc,mount_tag=etc,$virtfs" \
  -virtfs "local,path=$cfg,mount_tag=rigcfg,$virtfs" \
  -virtfs "local,path=$prep,mount_tag=prep0,$virtfs" \
  -netdev hubport,id=n0,hubid=0 -device virtio-net-pci,netdev=n0,mac=52:54:00:01:01:01 \
  -device virtio-serial-pci \
  -chardev "socket,id=agent,path=$sock,server=on,wait=off" \
  -device virtserialport,chardev=agent,name=org.rig.agent \
  -chardev "socket,id=shell,path=$work/shell.sock,server=on,wait=off" \
  -device virtserialport,chardev=shell,name=org.rig.shell \
  "${extra[@]}" \
  > "$work/qemu.out" 2>&1 &
qemu=$!
echo "work dir $work, qemu pid $qemu"
# Never leave a VM behind unless asked to.
[ $keep = 1 ] || trap 'kill $qemu 2>/dev/null' EXIT

elapsed() { echo "$(date +%s.%N) - $start" | bc; }
agentReady= ; targetReached=
for _ in $(seq 1 1200); do
  if [ -z "$agentReady" ] && grep -q 'rig-guest: agent ready' "$console" 2>/dev/null; then agentReady=$(elapsed); fi
  if [ -z "$targetReached" ] && grep -q 'Reached target.*rig node target' "$console" 2>/dev/null; then targetReached=$(elapsed); fi
  [ -n "$agentReady" ] && [ -n "$targetReached" ] && break
  kill -0 $qemu 2>/dev/null || break
  sleep 0.1
done
printf 'agent-ready %s s\nrig-target %s s\n' "${agentReady:-never}" "${targetReached:-never}"
if ! kill -0 $qemu 2>/dev/null; then
  echo "QEMU exited early; console tail:"; tail -20 "$console"; exit 1
fi
if [ -z "$agentReady" ]; then
  echo "FAIL the agent never became ready; console tail:"; tail -20 "$console"; exit 1
fi

export RIG_AGENT_CONNECT_MS=30000
if [ $checks = 1 ]; then
  check hostname "node1" "$("$cli" "$sock" exec hostname)"
  state=$("$cli" "$sock" exec 'systemctl is-system-running --wait' 60000)
  check is-system-running "running" "$state"
  check exec-status "3" "$("$cli" "$sock" exec 'exit 3' >/dev/null 2>&1; echo $?)"
  check exec-timeout "137" "$("$cli" "$sock" exec 'sleep 30' 500 >/dev/null 2>&1; echo $?)"
  check port-open "open" "$("$cli" "$sock" port 127.0.0.1 8080)"
  check port-closed "closed" "$("$cli" "$sock" port localhost 8081)"
  check unix-open "open" "$("$cli" "$sock" unix /run/systemd/private)"
  "$cli" "$sock" write /tmp/new/dir/file.txt 'written by the host' 0600
  check file-roundtrip "written by the host" "$("$cli" "$sock" read /tmp/new/dir/file.txt)"
  check file-mode "600" "$("$cli" "$sock" exec 'stat -c %a /tmp/new/dir/file.txt')"
  check http "hello from node1" "$("$cli" "$sock" http GET http://node1:8080/index.html | tail -1)"
  check http-status "404" "$("$cli" "$sock" http GET http://127.0.0.1:8080/nope | head -1)"
  check iface "192.168.1.1/24" "$("$cli" "$sock" exec "ip -o -4 addr show | awk '\$2 != \"lo\" {print \$4}'")"
  check sysctl "1" "$("$cli" "$sock" exec 'cat /proc/sys/net/ipv4/ip_forward')"
  check dir "750" "$("$cli" "$sock" exec "stat -c %a '/var/lib/sample dir'")"
  check symlink "hello from node1" "$("$cli" "$sock" exec 'cat /srv/link.html')"
  check overlay "prepared state" "$("$cli" "$sock" exec 'cat /var/lib/prepared/data.txt')"
  check overlay-writable "ok" "$("$cli" "$sock" exec 'echo x > /var/lib/prepared/new && echo ok')"
  check shadow-locked "" "$("$cli" "$sock" exec "awk -F: '\$2 != \"!\"' /etc/shadow")"
  check mask "" "$("$cli" "$sock" exec 'ls /etc/systemd/system/multi-user.target.wants')"
  check no-postgres "inactive" "$("$cli" "$sock" exec 'systemctl is-active postgresql nginx redis-server | sort -u')"
  check runuser "nobody" "$("$cli" "$sock" exec 'runuser -u nobody -- id -un')"
  check tmp-mode "1777" "$("$cli" "$sock" exec 'stat -c %a /tmp')"
  check shell "SHELL-3" "$(printf 'echo SHELL-$((1+2))\n' | "$cli" "$work/shell.sock" shell | grep -o 'SHELL-3' | head -1)"
  check binary-stdout "00 01 ff" "$("$cli" "$sock" exec "printf '\\000\\001\\377'" | od -An -tx1 | xargs)"
fi

if [ $keep = 1 ]; then
  echo "left running: agent socket $sock, console $console, qemu pid $qemu"
  exit $fail
fi
down=$(date +%s.%N)
"$cli" "$sock" poweroff
for _ in $(seq 1 300); do kill -0 $qemu 2>/dev/null || break; sleep 0.1; done
if kill -0 $qemu 2>/dev/null; then
  echo "FAIL poweroff: QEMU still running after 30 s"; kill $qemu; fail=1
else
  echo "poweroff took $(echo "$(date +%s.%N) - $down" | bc) s"
fi
exit $fail
