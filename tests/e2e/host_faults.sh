#!/usr/bin/env bash
# Host faults end to end (docs/running.md, "Limits and a misbehaving guest"
# and "Interrupting a run"):
#  1. QEMU killed (kill -9) mid-command with a second suite running beside
#     it (-j 2): the suite fails with "QEMU for victim exited (signal 9)"
#     soon after the kill, the other suite passes, and every report (JUnit
#     against the junit-10 schema, JSON, HTML, events) is complete and valid;
#  2. SIGINT of rig mid-command with --junit --json --html: exit 130, all
#     three written, valid, and marked interrupted;
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
echo "host_faults: ok"
