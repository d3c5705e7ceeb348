#!/usr/bin/python3
"""Runs one failing suite ONCE with every report format and checks each with
its real consumer (tests/e2e/README.md):

  JUnit   xmllint (well-formed, and valid against junit-10.xsd) and Debian's
          python3-junitparser: every count, name, classname, message and
          time agrees with the JSON report of the same run
  TAP     prove (the suite's subtest and, on its own, each test line)
  events  every NDJSON line parses; the results agree with the JSON report
  GitHub  an ::error annotation at the failing expect's file, line, column
  HTML    headless Chromium through playwright-core
          (tests/report/browser/check_report.mjs): the failed test shown
          failed, the timeline, the node's console opened by a click and
          searched; its screenshot stays in WORKDIR

usage: check_formats.py RIG SPEC XSD WORKDIR [BACKEND]
BACKEND (vm, the default, or container) runs the nodes there.
Run with Debian's /usr/bin/python3 (python3-junitparser is a Debian package).
"""
import json
import re
import subprocess
import sys
from pathlib import Path

try:
    import junitparser
except ImportError:
    sys.exit("check_formats: needs python3-junitparser (apt-get install "
             "python3-junitparser; scripts/setup installs it) for "
             + sys.executable)

rig, spec, xsd, work = sys.argv[1], sys.argv[2], sys.argv[3], Path(sys.argv[4])
backend = sys.argv[5] if len(sys.argv) > 5 else "vm"
work.mkdir(parents=True, exist_ok=True)
problems = []


def check(ok, what):
    if not ok:
        problems.append(what)
    return ok


def need(tool, package):
    from shutil import which
    if not which(tool):
        sys.exit(f"check_formats: needs `{tool}` (apt-get install {package})")


need("xmllint", "libxml2-utils")
need("prove", "perl")
need("node", "nodejs npm")
browser_check = (Path(__file__).resolve().parent.parent.parent / "report" /
                 "browser" / "check_report.mjs")
if not (browser_check.parent / "node_modules" / "playwright-core").is_dir():
    sys.exit("check_formats: needs playwright-core: run 'npm ci' in "
             f"{browser_check.parent} (scripts/setup does)")

junit, report, events = work / "run.xml", work / "run.json", work / "run.ndjson"
html, screenshot = work / "run.html", work / "run.png"
for f in (junit, report, events, html, screenshot):
    f.unlink(missing_ok=True)
extra_formats = ["--html", str(html)]
run = subprocess.run(
    [rig, "run", f"--backend={backend}", "--junit", str(junit), "--json", str(report), "--events",
     str(events), "--tap", "--github", *extra_formats, spec],
    capture_output=True, text=True)
print(f"---- rig run (exit {run.returncode})\n{run.stdout}---- stderr\n"
      f"{run.stderr}----")
check(run.returncode == 1, f"exit code {run.returncode}, expected 1")

# Where the failing expect is in the spec.
spec_lines = Path(spec).read_text().splitlines()
fail_line = next(i + 1 for i, l in enumerate(spec_lines)
                 if l.strip().startswith("expect todos =="))
fail_col = spec_lines[fail_line - 1].index("todos ==") + 1

# ---- JSON: what the run did ------------------------------------------------
doc = json.loads(report.read_text())
(suite,) = doc["suites"]
check(doc["counts"] == {"passed": 1, "failed": 1, "skipped": 1, "errors": 0},
      f"JSON counts {doc['counts']}")
check(doc["exitCode"] == 1, "JSON exitCode")
tests = {t["name"]: t for t in suite["tests"]}
failing = next((t for t in suite["tests"] if t["status"] == "failed"), None)
if not check(failing is not None, "no failed test in the JSON report"):
    sys.exit("check_formats: FAILED\n  " + "\n  ".join(problems))
check(failing["failure"]["at"] is not None
      and failing["failure"]["at"]["line"] == fail_line
      and failing["failure"]["at"]["col"] == fail_col,
      f"JSON failure at {failing['failure']['at']}, expected line {fail_line} "
      f"col {fail_col}")
check("first difference" in failing["failure"]["details"],
      "JSON failure details have no difference")
check([s["name"] for s in tests["a passing test with a subtest"]["subtests"]]
      == ["echo answers"], "JSON subtests")

# ---- JUnit: xmllint, the schema, junitparser -------------------------------
lint = subprocess.run(["xmllint", "--noout", "--schema", xsd, str(junit)],
                      capture_output=True, text=True)
check(lint.returncode == 0, f"xmllint --schema: {lint.stderr.strip()}")

xml = junitparser.JUnitXml.fromfile(str(junit))
suites = list(xml)
check(len(suites) == 1, f"{len(suites)} JUnit testsuites")
js = suites[0]
cases = []  # what JUnit must hold, from the JSON: (name, status, ms, failure)
for t in suite["tests"]:
    cases.append((t["name"], t["status"], t["durationMs"], t["failure"]))
    for s in t["subtests"]:
        cases.append((t["name"] + " / " + s["name"], s["status"],
                      s["durationMs"], s["failure"]))


def close(seconds, ms):
    return abs(seconds - ms / 1000.0) < 0.0006


check(js.name == suite["name"], f"testsuite name {js.name}")
check(js.tests == len(cases), f"testsuite tests={js.tests}, want {len(cases)}")
for attr, status in (("failures", "failed"), ("errors", "error"),
                     ("skipped", "skipped")):
    want = sum(1 for c in cases if c[1] == status)
    check(getattr(js, attr) == want, f"testsuite {attr}={getattr(js, attr)}, "
                                     f"want {want}")
check(close(js.time, suite["durationMs"]), f"testsuite time {js.time}")
check(bool(js.timestamp) and bool(js.hostname), "testsuite timestamp/hostname")
check(xml.tests == len(cases) and xml.failures == 1 and xml.errors == 0,
      "testsuites totals")

got = list(js)
check([c.name for c in got] == [c[0] for c in cases],
      f"testcase names {[c.name for c in got]}")
for case, (name, status, ms, failure) in zip(got, cases):
    check(case.classname == suite["path"], f"{name}: classname {case.classname}")
    check(close(case.time, ms), f"{name}: time {case.time}, JSON {ms} ms")
    results = case.result
    kinds = [type(r).__name__ for r in results]
    want = {"passed": [], "failed": ["Failure"], "skipped": ["Skipped"],
            "error": ["Error"]}[status]
    check(kinds == want, f"{name}: results {kinds}, want {want}")
    if failure and results:
        message = failure["location"] + ": " + failure["message"]
        check(results[0].message == message,
              f"{name}: message {results[0].message!r}, want {message!r}")
        check(failure["details"].splitlines()[0] in (results[0].text or ""),
              f"{name}: failure text lacks the details")

# A failure's console tail reads as a terminal shows it: no colour codes,
# no bytes that are not text (a tail read through a dangling buffer began
# with the allocator's pointers).
tails = [c["text"] for t in suite["tests"] if t.get("failure")
         for c in t["failure"].get("consoles", [])]
check(tails, "no failure carries a console tail")
for text in tails:
    check("\x1b" not in text and "\ufffd" not in text,
          f"a console tail has escapes or broken text: {text[:300]!r}")

# ---- NDJSON events: parse, agree with the JSON -----------------------------
lines = events.read_text().splitlines()
parsed = []
for n, line in enumerate(lines, 1):
    try:
        parsed.append(json.loads(line))
    except ValueError as e:
        check(False, f"events line {n} is not JSON: {e}")
kinds = [e.get("event") for e in parsed]
check(kinds[0] == "runStarted" and kinds[-1] == "runFinished",
      f"events start/end: {kinds[:1]} {kinds[-1:]}")
finished = [e["result"] for e in parsed if e.get("event") == "testFinished"]
check(finished == suite["tests"], "testFinished results differ from JSON")
(suite_event,) = [e["result"] for e in parsed
                  if e.get("event") == "suiteFinished"]
check(suite_event == suite, "suiteFinished result differs from JSON")
check(parsed[-1].get("counts") == doc["counts"]
      and parsed[-1].get("exitCode") == doc["exitCode"], "runFinished")
booting = [e for e in parsed
           if e.get("event") == "nodeChanged" and e.get("phase") == "booting"]
check(booting and all(e.get("backend") == backend for e in booting),
      f"nodeChanged booting events do not say backend {backend}: {booting}")

# ---- stdout: GitHub commands and TAP ---------------------------------------
github, tap, in_group = [], [], False
for line in run.stdout.splitlines():
    if line.startswith("::group::"):
        in_group = True
    if in_group or line.startswith("::"):
        github.append(line)
    else:
        tap.append(line)
    if line == "::endgroup::":
        in_group = False

errors = [l for l in github if l.startswith("::error ")]
check(len(errors) == 1, f"{len(errors)} ::error lines")
if errors:
    m = re.match(r"::error file=([^,]*),line=(\d+),col=(\d+),title=([^:]*)::(.*)",
                 errors[0])
    check(m is not None, f"::error line shape: {errors[0]}")
    if m:
        check(m.group(1) == spec, f"annotation file {m.group(1)}, want {spec}")
        check((int(m.group(2)), int(m.group(3))) == (fail_line, fail_col),
              f"annotation at {m.group(2)}:{m.group(3)}, want "
              f"{fail_line}:{fail_col}")
        check(m.group(5).startswith("expect failed"), "annotation message")
check(any(l.startswith("::group::console of m") for l in github),
      "no ::group:: with the console of m")

# prove 3.44 reads TAP 13 only (docs/reports.md): the version line as 13.
tap_text = "\n".join(tap) + "\n"
check(tap_text.startswith("TAP version 14\n"), "TAP version line")
tap13 = work / "run.tap"
tap13.write_text(tap_text.replace("TAP version 14\n", "TAP version 13\n", 1))


def prove(path):
    p = subprocess.run(["prove", "-v", "--exec", "cat", str(path)],
                       capture_output=True, text=True)
    print(f"---- prove {path.name} (exit {p.returncode})\n{p.stdout}{p.stderr}")
    check("Parse errors" not in p.stdout + p.stderr, f"prove: parse errors")
    return p


p = prove(tap13)
check(p.returncode == 1 and "Tests: 1 Failed: 1" in p.stdout,
      "prove: the suite is not one failed test")
# The suite's own test points, dedented, are a TAP stream of their own.
body = [l[4:] for l in tap if l.startswith("    ")]
inner = work / "suite.tap"
inner.write_text("TAP version 13\n" + "\n".join(body) + "\n")
p = prove(inner)
check(p.returncode == 1 and "Tests: 3 Failed: 1" in p.stdout,
      "prove: the suite's tests are not 3 with 1 failed")
check(re.search(r"^ok 3 - skipped after the failure # skip", p.stdout,
                re.M | re.I) is not None, "prove: no skipped test 3")
check("a failing expect <diff> & \"quotes\" \\# hash" in tap_text,
      "TAP: the name's # is not escaped")


def check_html():
    if not check(html.is_file(), f"no HTML report at {html}"):
        return
    # The timeline names the backend under the node's lane.
    lane = {"vm": "VM", "container": "container"}[backend]
    check(f'class="lane-backend">{lane}</text>' in html.read_text(),
          f"the HTML timeline does not say the node ran as {lane}")
    browser = subprocess.run(
        ["node", str(browser_check), str(html), str(screenshot),
         "--node", "m",
         "--failed", "a failing expect <diff>",
         "--failed-shows", "pat self on back",
         "--passed", "a passing test with a subtest",
         "--marker", "rig-formats-marker"],
        capture_output=True, text=True)
    print(f"---- browser (exit {browser.returncode})\n{browser.stdout}"
          f"{browser.stderr}----")
    check(browser.returncode == 0, "the HTML report failed in the browser")


check_html()

if problems:
    print("check_formats: FAILED\n  " + "\n  ".join(problems))
    sys.exit(1)
print("check_formats: every format agrees with the run")
