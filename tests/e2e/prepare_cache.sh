#!/usr/bin/env bash
# Prepared state end to end (docs/prepare.md), with a cache of its own:
#  1. the todos example passes with an empty cache: the pgdata step is built;
#  2. it passes again: the step is served from the cache and its command
#     never runs (the cache's record, written by the build, is unchanged);
#  3. a step whose command fails fails the suite with exit 3 before any
#     machine boots, showing the command and its output;
#  4. a top-level step mounted by two nodes with different packages is
#     built once (one cache entry); the sandbox's /tmp is mode 1777 (the
#     step runs as postgres and writes there); a mount point belongs to its
#     step's user (postgres makes a directory in it); `--rebuild` builds the
#     shared step once.
# BACKEND (vm, the default, or container) runs the nodes there.
#   tests/e2e/prepare_cache.sh RIG [BACKEND]
set -euo pipefail
rig=$1
backend=${2:-vm}
root=$(cd "$(dirname "$0")/../.." && pwd)
cache=$(mktemp -d /tmp/rig-prepare-e2e.XXXXXX)
trap 'rm -rf "$cache"' EXIT
export XDG_CACHE_HOME=$cache
fail() { echo "prepare_cache: $*" >&2; exit 1; }

out=$("$rig" run --backend="$backend" "$root/examples/todos/todos.rig" 2>&1) || fail "cold run failed:
$out"
echo "$out"
grep -q "preparing pgdata on server: built" <<<"$out" || fail "cold run did not build pgdata"
records=("$cache"/rig/prepare/*.json)
[[ ${#records[@]} -eq 1 && -f ${records[0]} ]] || fail "expected one cache record, found: ${records[*]}"
before=$(cat "${records[0]}")

out=$("$rig" run --backend="$backend" "$root/examples/todos/todos.rig" 2>&1) || fail "warm run failed:
$out"
echo "$out"
grep -q "preparing pgdata on server: cached" <<<"$out" || fail "warm run did not use the cache"
[[ "$(cat "${records[0]}")" == "$before" ]] || fail "the warm run rebuilt the step (its record changed)"

spec=$cache/broken.rig
cat >"$spec" <<'RIG'
node box {
  prepare "broken" {
    run = "echo the fixture is missing >&2; exit 9"
    mount_at = "/srv/fixture"
  }
}
test "never runs" { box.succeed("true") }
RIG
set +e
out=$("$rig" run --backend="$backend" "$spec" 2>&1)
status=$?
set -e
echo "$out"
[[ $status -eq 3 ]] || fail "a failing prepare step exited $status, expected 3"
grep -q "exit status 9" <<<"$out" || fail "the failure does not show the exit status"
grep -q "the fixture is missing" <<<"$out" || fail "the failure does not show the command's output"
if grep -q "console of box" <<<"$out"; then fail "a machine booted despite the failed step"; fi

# 4. Shared steps, in a cache of their own.
export XDG_CACHE_HOME=$cache/shared
spec=$cache/shared.rig
cat >"$spec" <<'RIG'
module own {
  prepare "own" {
    user = "postgres"
    run = "id -un > $out/who"
    mount_at = "/var/lib/own"
  }
}
prepare "shared" {
  user = "postgres"
  run = "stat -c %a /tmp /var/tmp > $out/tmp-modes; echo x > /tmp/written; echo y > /var/tmp/written; date +%s%N > $out/stamp"
  mount_at = "/srv/shared"
}
node a {
  use own
  prepare "shared" {}
}
node b {
  packages = ["curl"]
  prepare "shared" { mount_at = "/srv/other" }
}
test "one shared step, mounted twice" {
  expect a.succeed("cat /srv/shared/stamp") == b.succeed("cat /srv/other/stamp")
  expect lines(a.succeed("cat /srv/shared/tmp-modes")) == ["1777", "1777"]
  expect lines(a.succeed("stat -c %U /var/lib/own /srv/shared")) == ["postgres", "postgres"]
  expect lines(b.succeed("stat -c %U /srv/other")) == ["postgres"]
  a.succeed("runuser -u postgres -- mkdir /var/lib/own/made-by-postgres")
  b.succeed("runuser -u postgres -- touch /srv/other/written-by-postgres")
}
RIG
out=$("$rig" run --backend="$backend" "$spec" 2>&1) || fail "shared steps failed:
$out"
echo "$out"
[[ $(grep -c "preparing shared on .*: built" <<<"$out") -eq 1 ]] || fail "the shared step was not built exactly once"
grep -q "preparing shared on .*: cached" <<<"$out" || fail "the second node did not reuse the shared step"
records=("$XDG_CACHE_HOME"/rig/prepare/*.json)
[[ ${#records[@]} -eq 2 ]] || fail "expected two cache records (own, shared), found: ${records[*]}"
out=$("$rig" run --rebuild --backend="$backend" "$spec" 2>&1) || fail "--rebuild failed:
$out"
echo "$out"
[[ $(grep -c "preparing shared on .*: built" <<<"$out") -eq 1 ]] || fail "--rebuild built the shared step more than once"
[[ $(grep -c "preparing own on a: built" <<<"$out") -eq 1 ]] || fail "--rebuild did not rebuild the node's own step"
echo "prepare_cache: ok"
