#!/usr/bin/env bash
# driver.cli.doctor-install (tests/driver.cmake): `rig doctor --install` on
# a suite whose node needs a package the host lacks. Not root (setpriv to
# nobody): it prints the apt-get line and exits 3. Root, with an apt-get
# first on PATH that records its arguments instead of installing (the real
# one would need the network and a real package): it runs `apt-get update`
# then `apt-get install -y ... PACKAGE`, and exits 3 because the package is
# still missing afterwards.
set -euo pipefail
rig=$(realpath "$1")
tmp=$(mktemp -d /tmp/rig-doctor-install.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "doctor-install: $*" >&2; exit 1; }
pkg=rig-test-no-such-package
printf 'node m { packages = ["%s"] }\ntest "t" { m.succeed("true") }\n' "$pkg" > "$tmp/s.rig"
chmod -R a+rX "$tmp"

[[ $(id -u) -eq 0 ]] || fail "needs root (to check both forms)"
set +e
(cd "$tmp" && setpriv --reuid=65534 --regid=65534 --clear-groups \
  "$rig" doctor --install --no-config "$tmp") > "$tmp/user.out" 2>&1
code=$?
set -e
[[ $code -eq 3 ]] || fail "as nobody: exit $code, expected 3: $(cat "$tmp/user.out")"
grep -q -- "--install: not root; run as root:" "$tmp/user.out" &&
  grep -q "^  apt-get install $pkg$" "$tmp/user.out" ||
  fail "as nobody: no apt-get line: $(cat "$tmp/user.out")"

mkdir "$tmp/bin"
printf '#!/bin/sh\necho "$*" >> %s/apt.log\n' "$tmp" > "$tmp/bin/apt-get"
chmod +x "$tmp/bin/apt-get"
set +e
PATH="$tmp/bin:$PATH" "$rig" doctor --install --no-config "$tmp" > "$tmp/root.out" 2>&1
code=$?
set -e
[[ $code -eq 3 ]] || fail "as root: exit $code, expected 3 (still missing): $(cat "$tmp/root.out")"
printf 'update -q\ninstall -y -q --no-install-recommends %s\n' "$pkg" | diff - "$tmp/apt.log" ||
  fail "apt-get was not run as expected"
grep -q "^after --install:" "$tmp/root.out" || fail "no check after the install: $(cat "$tmp/root.out")"
echo "doctor-install: prints the command as nobody, runs apt-get update and install as root"
