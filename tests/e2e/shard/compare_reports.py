#!/usr/bin/python3
"""Compares two rig reports of the same suites, times aside (tests/e2e/shard).

    compare_reports.py json WHOLE.json MERGED.json
    compare_reports.py junit WHOLE.xml MERGED.xml

Exit 0 when the suites, tests, results and failure messages agree; else
prints the first difference and exits 1.
"""
import json
import sys
import xml.etree.ElementTree as ET


def from_json(path):
    doc = json.load(open(path))
    out = [("exitCode", doc["exitCode"]), ("counts", doc["counts"])]
    for s in doc["suites"]:
        error = s["error"]["message"] if s["error"] else None
        out.append(("suite", s["path"], s["name"], s["status"], s["counts"], error))
        for t in s["tests"]:
            failure = t["failure"]
            out.append(("test", s["path"], t["name"], t["status"],
                        failure and (failure["message"], failure["location"],
                                     failure["details"]),
                        [(u["name"], u["status"]) for u in t["subtests"]],
                        t["log"]))
    return out


def from_junit(path):
    root = ET.parse(path).getroot()
    out = [("testsuites", {k: v for k, v in root.attrib.items() if k != "time"})]
    for suite in root.iter("testsuite"):
        attrs = {k: v for k, v in suite.attrib.items()
                 if k not in ("time", "timestamp", "hostname")}
        out.append(("testsuite", attrs))
        for case in suite.iter("testcase"):
            results = [(child.tag, child.attrib.get("message"), child.attrib.get("type"))
                       for child in case if child.tag in ("failure", "error", "skipped")]
            out.append(("testcase", case.attrib.get("classname"), case.attrib["name"],
                        results))
    return out


def main():
    kind, whole, merged = sys.argv[1:4]
    read = from_json if kind == "json" else from_junit
    a, b = read(whole), read(merged)
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            print(f"{kind}: item {i} differs:\n  {whole}: {x}\n  {merged}: {y}")
            return 1
    if len(a) != len(b):
        print(f"{kind}: {whole} has {len(a)} items, {merged} {len(b)}")
        return 1
    print(f"{kind}: {merged} equals {whole}: {len(a)} suites, tests and results")
    return 0


if __name__ == "__main__":
    sys.exit(main())
