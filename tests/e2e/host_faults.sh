#!/usr/bin/env bash
# Host faults end to end (docs/running.md, "Limits and a misbehaving guest"
# and "Interrupting a run"):
#  1. QEMU killed (kill -9) mid-command with a second suite running beside
#     it (-j 2): the suite fails with "QEMU for victim exited (signal 9)"
#     soon after the kill, the other suite passes, and every report (JUnit
#     against the junit-10 schema, JSON, HTML, events) is complete and valid;
#  2. SIGINT of rig mid-command with --junit --json --html: exit 130, all
#     three written, valid, and marked interrupted;
#  3. a suite whose nodes ask for more memory than the host has available
#     fails before anything boots, with the numbers, and its reports say so;
#  4. the cache on a full file system (a 1 MiB tmpfs as XDG_CACHE_HOME): a
#     prepare step fails with a message naming the full file system, and
#     nothing is published to the cache;
#  5. the run directory's file system full mid-run (a 24 MiB tmpfs as
#     XDG_RUNTIME_DIR, a guest writing 100 MB): the step fails within the
#     heartbeat's limit with a message naming the full file system, and
#     nothing is left running;
# and after each, no process of the run is left.
# Run directories go to a private XDG_RUNTIME_DIR, so every check looks only
# at this test's processes.
#   tests/e2e/host_faults.sh RIG JUNIT_XSD
set -euo pipefail
rig=$1
xsd=$2
here=$(cd "$(dirname "$0")" && pwd)/host_faults
work=$(mktemp -d /tmp/rig-host-faults.XXXXXX)
export XDG_RUNTIME_DIR=$work
runs=$work/rig
fail() { echo "host_faults: $*" >&2; exit 1; }
name=host_faults
# shellcheck source=script_lib.sh
source "$(dirname "$0")/script_lib.sh"
cleanup() {
  kill_leftovers
  for m in "$work/cache" "$work/rt"; do
    if mountpoint -q "$m" 2>/dev/null; then umount "$m"; fi
  done
  rm -rf "$work"
}
trap cleanup EXIT
console_says() { grep -qs "$2" "$runs"/*/"$1"/console.log; }
check_reports() {  # DIR: every report of the run in DIR is whole and valid
  local dir=$1
  xmllint --noout --schema "$xsd" "$dir/junit.xml" 2>"$dir/xmllint.txt" ||
    fail "junit.xml is not valid: $(cat "$dir/xmllint.txt")"
  python3 -m json.tool "$dir/report.json" >/dev/null || fail "report.json is not JSON"
  grep -q '</html>' "$dir/report.html" || fail "report.html is not whole"
  python3 - "$dir/events.jsonl" <<'PY' || fail "events.jsonl is not whole"
import json, sys
events = [json.loads(line) for line in open(sys.argv[1])]
assert events[-1]["event"] == "runFinished", events[-1]
PY
}

# 1. QEMU killed from outside, a second suite beside it.
out=$work/killed
mkdir -p "$out"
"$rig" run -j 2 --junit "$out/junit.xml" --json "$out/report.json" \
  --html "$out/report.html" --events "$out/events.jsonl" \
  "$here/victim.rig" "$here/bystander.rig" >"$out/output.txt" 2>&1 &
rig_pid=$!
within 300 console_says victim ready-for-the-kill || fail "victim never got to its command"
qemu=$(pgrep -f "qemu-system.*$runs/[^ ]*/victim/" | head -1)
[[ -n $qemu ]] || fail "no QEMU for victim"
killed_at=$(date +%s.%N)
kill -KILL "$qemu"
within 60 grep -qs "QEMU for victim exited (signal 9)" "$out/events.jsonl" ||
  fail "the kill was not reported within 60 s"
noticed_at=$(date +%s.%N)
echo "host_faults: QEMU's death reported $(python3 -c "print(round($noticed_at - $killed_at, 2))") s after the kill"
code=0
wait "$rig_pid" || code=$?
cat "$out/output.txt"
[[ $code == 1 ]] || fail "rig exited $code after a killed QEMU, not 1"
grep -q "QEMU for victim exited (signal 9)" "$out/output.txt" || fail "no death message"
grep -q "console of victim" "$out/output.txt" || fail "no console tail"
check_reports "$out"
python3 - "$out/report.json" <<'PY' || fail "report.json does not show the results"
import json, sys
suites = {s["name"]: s for s in json.load(open(sys.argv[1]))["suites"]}
assert suites["bystander"]["status"] == "passed", suites["bystander"]
assert suites["victim"]["status"] != "passed", suites["victim"]
PY
within 10 nothing_left || fail "left behind: $(ours)"

# 2. SIGINT mid-command.
out=$work/interrupted
mkdir -p "$out"
"$rig" run --junit "$out/junit.xml" --json "$out/report.json" \
  --html "$out/report.html" --events "$out/events.jsonl" \
  "$here/interrupted.rig" >"$out/output.txt" 2>&1 &
rig_pid=$!
within 300 console_says slow ready-for-the-interrupt || fail "slow never got to its command"
kill -INT "$rig_pid"
code=0
wait "$rig_pid" || code=$?
cat "$out/output.txt"
[[ $code == 130 ]] || fail "rig exited $code after SIGINT, not 130"
check_reports "$out"
grep -q 'name="rig (interrupted)"' "$out/junit.xml" || fail "junit.xml not marked interrupted"
grep -q 'rig run interrupted' "$out/report.html" || fail "report.html not marked interrupted"
python3 - "$out/report.json" <<'PY' || fail "report.json not marked interrupted"
import json, sys
report = json.load(open(sys.argv[1]))
assert report["interrupted"] is True
tests = {t["name"]: t for t in report["suites"][0]["tests"]}
assert tests["a quick one first"]["status"] == "passed", tests
assert tests["interrupted mid-command"]["failure"]["message"] == "interrupted", tests
PY
within 10 nothing_left || fail "left behind: $(ours)"
# 3. More memory than the host has: refused before boot, with the numbers.
avail_kib=$(awk '/^MemAvailable:/ {print $2}' /proc/meminfo)
((avail_kib < 120 * 1024 * 1024)) ||
  fail "this check needs a host with less than 120 GiB available (it has $((avail_kib / 1024 / 1024)) GiB): the suite asks for 128 GiB"
out=$work/memory
mkdir -p "$out"
code=0
"$rig" run --json "$out/report.json" "$here/too_big.rig" >"$out/output.txt" 2>&1 || code=$?
cat "$out/output.txt"
[[ $code == 3 ]] || fail "rig exited $code for a suite that cannot fit, not 3 (infrastructure)"
grep -q 'suite `too_big` needs 128.1GiB of memory (a 64GiB, b 64GiB' "$out/output.txt" ||
  fail "no memory message with the numbers"
grep -q 'GiB available' "$out/output.txt" || fail "the host's available memory is not named"
[[ -z $(ls "$runs" 2>/dev/null) ]] || fail "a run directory was made for a suite that cannot fit: $(ls "$runs")"
python3 - "$out/report.json" <<'PY' || fail "report.json does not show the refused suite"
import json, sys
suite = json.load(open(sys.argv[1]))["suites"][0]
assert suite["status"] == "error", suite
assert "needs 128.1GiB of memory" in json.dumps(suite), suite
PY
within 10 nothing_left || fail "left behind: $(ours)"
# 4. The cache's file system full.
out=$work/full
mkdir -p "$out" "$work/cache"
mount -t tmpfs -o size=1M tmpfs "$work/cache" ||
  fail "cannot mount a tmpfs for the full cache (this check needs root)"
code=0
XDG_CACHE_HOME=$work/cache "$rig" run "$here/full_cache.rig" >"$out/output.txt" 2>&1 || code=$?
cat "$out/output.txt"
[[ $code == 3 ]] || fail "rig exited $code with a full cache, not 3 (infrastructure)"
grep -q "No space left on device" "$out/output.txt" || fail "the step's own error is not shown"
grep -q "the cache's file system is full: $work/cache/rig/prepare" "$out/output.txt" ||
  fail "the full file system is not named"
published=$(find "$work/cache/rig/prepare" -mindepth 1 -not -name '*.lock')
[[ -z $published ]] || fail "something was left in the cache: $published"
[[ -z $(ls "$runs" 2>/dev/null) ]] || fail "a run directory was made: $(ls "$runs")"
within 10 nothing_left || fail "left behind: $(ours)"
umount "$work/cache"

# 5. The run directory's file system full while a node writes.
out=$work/fullrun
mkdir -p "$out" "$work/rt"
mount -t tmpfs -o size=24M tmpfs "$work/rt" ||
  fail "cannot mount a tmpfs for the full run directory (this check needs root)"
runs=$work/rt/rig
code=0
XDG_RUNTIME_DIR=$work/rt "$rig" run "$here/full_run_dir.rig" >"$out/output.txt" 2>&1 || code=$?
cat "$out/output.txt"
[[ $code == 3 ]] || fail "rig exited $code with a full run directory, not 3 (infrastructure)"
grep -q "the run directory's file system is full: $work/rt/rig" "$out/output.txt" ||
  fail "the full file system is not named"
within 10 nothing_left || fail "left behind: $(ours)"
[[ -z $(ls "$runs" 2>/dev/null) ]] || fail "the run directory was left: $(ls "$runs")"
umount "$work/rt"
echo "host_faults: ok"
