#!/usr/bin/env bash
# e2e.shard_merge (tests/e2e/e2e.cmake, label e2e): the suites in suites/
# (four without nodes, one with a VM) run whole, then as 3 shards in 3
# processes at once; `rig merge` of the shards' reports must equal the
# whole run's JSON and JUnit in suites, tests, results and failure
# messages (times aside), its HTML (merged from the event streams) must
# open in the browser with every suite and the VM suite's timeline, and a
# missing and a duplicate shard must give their errors.
#
#   bash tests/e2e/shard/check_shards.sh build/rig OUT
set -euo pipefail
rig=$(realpath "$1")
out=$2
here=$(cd "$(dirname "$0")" && pwd)
suites=$here/suites
browser=$here/../../report/browser

fail() { echo "shard_merge: $*" >&2; exit 1; }
# expect_code WANT CMD...: runs CMD, fails unless it exits with WANT.
expect_code() {
  local want=$1; shift
  set +e; "$@"; local code=$?; set -e
  [[ $code -eq $want ]] || fail "$* exited with $code, expected $want"
}
rm -rf "$out" && mkdir -p "$out"
cd "$out"

# The whole run: one test fails in strings.rig and one in vm.rig (exit 1).
expect_code 1 "$rig" run -q --json whole.json --junit whole.xml "$suites"

# Three shards at once, each its own process, as three CI runners would.
pids=()
for k in 1 2 3; do
  "$rig" run -q --shard "$k/3" --json "s$k.json" --events "s$k.ndjson" \
    --junit "s$k.xml" "$suites" > "s$k.log" 2>&1 &
  pids+=($!)
done
for k in 1 2 3; do
  set +e; wait "${pids[$((k - 1))]}"; code=$?; set -e
  [[ $code -le 1 ]] || { cat "s$k.log"; fail "shard $k/3 exited with $code"; }
done
for k in 1 2 3; do
  grep -q "\"shard\": $k" "s$k.json" || fail "s$k.json does not say it is shard $k"
done

# Merged from the JSON reports and from the event streams (reversed order:
# the order of the arguments does not matter).
expect_code 1 "$rig" merge --json merged.json --junit merged.xml --tap \
  s3.json s1.json s2.json > merged.tap
expect_code 1 "$rig" merge --json merged-events.json --junit merged-events.xml \
  --html merged.html s3.ndjson s2.ndjson s1.ndjson > merged.txt
/usr/bin/python3 "$here/compare_reports.py" json whole.json merged.json
/usr/bin/python3 "$here/compare_reports.py" junit whole.xml merged.xml
/usr/bin/python3 "$here/compare_reports.py" json whole.json merged-events.json
/usr/bin/python3 "$here/compare_reports.py" junit whole.xml merged-events.xml
grep -q "^1\.\.5$" merged.tap || fail "merged.tap has no plan for 5 suites"
grep -q "1 failed" merged.txt || fail "the merge's terminal summary is missing: $(cat merged.txt)"
xmllint --noout --schema "$here/../../testdata/report/junit-10.xsd" merged.xml

# A missing shard: an error naming it, the reports still written, marked.
expect_code 3 "$rig" merge --json incomplete.json --junit incomplete.xml \
  s1.json s3.json 2> missing.err
grep -q "rig: shard 2/3 missing" missing.err || fail "no error about shard 2/3: $(cat missing.err)"
/usr/bin/python3 -c 'import json; assert json.load(open("incomplete.json"))["run"]["missingShards"] == [2]' ||
  fail "incomplete.json does not name shard 2 missing"
grep -q "the report of shard 2/3 is missing" incomplete.xml ||
  fail "incomplete.xml does not show the suites of shard 2 as not run"
# A duplicate shard: an error, nothing written.
expect_code 2 "$rig" merge --json dup.json s1.json s2.json s2.ndjson s3.json 2> dup.err
grep -q "rig: shard 2/3 is given twice: s2.json and s2.ndjson" dup.err ||
  fail "no error about the duplicate shard: $(cat dup.err)"
[[ ! -e dup.json ]] || fail "a refused merge wrote dup.json"
echo "shard_merge: merged reports equal the whole run's; missing and duplicate shards refused"

# The merged HTML in the browser: every suite, the VM suite's timeline and
# console.
node "$browser/check_report.mjs" merged.html merged.png --suites 5 \
  --node m --marker rig-shard-marker-5150 --failed "a list that differs" \
  --passed "writes a marker on the console"
