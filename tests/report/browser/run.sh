#!/usr/bin/env bash
# report_html_browser (tests/report.cmake, label e2e): `rig run --html` on a
# real failing suite (one VM), then check_report.mjs opens the report in
# Debian's headless Chromium through Playwright. The report and the
# screenshot stay in OUT as artifacts.
#
#   bash tests/report/browser/run.sh build/rig build/artifacts/report_html_browser
set -euo pipefail
rig=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)

fail() { echo "report_html_browser: $*" >&2; exit 1; }
command -v node >/dev/null || fail "node is missing: apt-get install nodejs npm (scripts/setup does)"
[[ -x /usr/bin/chromium ]] || fail "/usr/bin/chromium is missing: apt-get install chromium (scripts/setup does)"
[[ -d $here/node_modules/playwright-core ]] ||
  fail "playwright-core is missing: run 'npm ci' in $here (scripts/setup does)"

mkdir -p "$out"
rm -f "$out/report.html" "$out/report.png" "$out/events.ndjson"
set +e
"$rig" run --html "$out/report.html" --events "$out/events.ndjson" "$here/failing.rig"
code=$?
set -e
[[ $code -eq 1 ]] || fail "rig run exited with $code, expected 1 (one test fails)"
[[ -s $out/report.html ]] || fail "rig run wrote no $out/report.html"
echo "report: $out/report.html"

# The same run's event stream has what the page was drawn from: the node's
# phases from the VM layer and the console line as it arrived.
for want in '"event":"nodeChanged","node":"m","phase":"booting"' \
            '"event":"nodeChanged","node":"m","phase":"ready"' \
            '"event":"nodeChanged","node":"m","phase":"stopped"' \
            '"event":"consoleLine","line":"rig-html-marker-4711"' \
            '"event":"stepFinished","location":' ; do
  grep -qF "$want" "$out/events.ndjson" || fail "no $want in $out/events.ndjson"
done
echo "events: $out/events.ndjson has the node phases, the console line and the steps"
node "$here/check_report.mjs" "$out/report.html" "$out/report.png"
