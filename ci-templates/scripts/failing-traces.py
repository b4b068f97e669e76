"""Prints, one per line, the trace of every failing run in an rr-test-runner report.

The report's layout is rr-test-runner's business; this relies only on each run that
kept a trace being a JSON object with a "trace" path, and on passing runs (kept with
--keep all) saying so with "passed": true or "status": "passed". Relative paths are
taken from the current directory if they exist there, else from the report's folder.
"""
import json
import os
import sys

PASSED_STATUSES = {"passed", "pass", "ok", "success"}


def traces(node):
    if isinstance(node, dict):
        trace = node.get("trace")
        passed = node.get("passed") is True or str(node.get("status", "")).lower() in PASSED_STATUSES
        if isinstance(trace, str) and trace and not passed:
            yield trace
        for value in node.values():
            yield from traces(value)
    elif isinstance(node, list):
        for value in node:
            yield from traces(value)


def main():
    report = sys.argv[1]
    with open(report, encoding="utf-8") as f:
        data = json.load(f)
    seen = set()
    for trace in traces(data):
        if not os.path.isabs(trace) and not os.path.exists(trace):
            trace = os.path.join(os.path.dirname(report), trace)
        if trace not in seen:
            seen.add(trace)
            print(trace)


if __name__ == "__main__":
    main()
