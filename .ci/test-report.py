#!/usr/bin/env python3
"""Reads every module's surefire XML reports after a test run and says whether the suite really ran.

Usage: .ci/test-report.py [REPO_ROOT]   (bin/test calls it after `mvn verify`)

Fails (exit 1), naming the test or module, when:
  - a test failed or errored;
  - a test was skipped (the suite skips nothing: bin/test starts what the tests need);
  - a module listed in .ci/test-floor ran no tests, or fewer than its floor there;
  - a module with tests (src/test/java) is missing from .ci/test-floor;
  - the whole suite ran fewer tests than the sum of the floors.
Its last line is always `N passed, M failed, K skipped` (errors count as failed), so the count is
visible at a glance, followed by `, J modules ran no tests (...)` when some did not run.

Only the Python standard library is used, so a clean machine needs nothing installed for it.
"""
import glob
import os
import sys
import xml.etree.ElementTree as ET

FLOOR_FILE = os.path.join(".ci", "test-floor")


def read_floors(root):
    floors = {}
    path = os.path.join(root, FLOOR_FILE)
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            parts = line.split()
            if len(parts) != 2 or not parts[1].isdigit():
                raise SystemExit(f"{path}:{number}: expected 'MODULE MINIMUM_TESTS', got {line!r}")
            floors[parts[0]] = int(parts[1])
    return floors


def modules_with_tests(root):
    found = set()
    for test_dir in glob.glob(os.path.join(root, "**", "src", "test", "java"), recursive=True):
        module = os.path.relpath(os.path.dirname(os.path.dirname(os.path.dirname(test_dir))), root)
        if "/target/" in f"/{module}/" or module.startswith("."):
            continue
        if "/src/main/resources/" in f"/{module}/":
            # a template's tests (the plugin archetype's project), run by its own script
            continue
        if any(f.endswith(".java") for _, _, files in os.walk(test_dir) for f in files):
            found.add(module)
    return found


def first_line(text):
    text = (text or "").strip()
    return text.splitlines()[0][:300] if text else ""


def read_module(root, module):
    """(passed, failed names, skipped names) for one module's reports; None when it has none."""
    reports = sorted(glob.glob(os.path.join(root, module, "target", "surefire-reports", "TEST-*.xml")))
    if not reports:
        return None
    passed, failed, skipped = 0, [], []
    for report in reports:
        try:
            suite = ET.parse(report).getroot()
        except ET.ParseError as e:
            failed.append(f"{os.path.relpath(report, root)}: the report does not parse ({e})")
            continue
        for case in suite.iter("testcase"):
            name = f"{case.get('classname', '?')}.{case.get('name', '?')}"
            problem = case.find("failure")
            if problem is None:
                problem = case.find("error")
            if problem is not None:
                message = first_line(problem.get("message")) or first_line(problem.get("type"))
                failed.append(f"{name} ({problem.tag}: {message})")
            elif case.find("skipped") is not None:
                skipped.append(f"{name} ({first_line(case.find('skipped').get('message'))})")
            else:
                passed += 1
    return passed, failed, skipped


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.getcwd())
    floors = read_floors(root)
    problems = []
    total_passed, total_failed, total_skipped = 0, 0, 0
    not_run = []
    for module in sorted(modules_with_tests(root) - set(floors)):
        problems.append(f"{module} has tests but no line in {FLOOR_FILE}: add one with its minimum test count")
    for module, floor in floors.items():
        result = read_module(root, module)
        if result is None:
            problems.append(f"{module} ran no tests (no surefire reports in {module}/target/surefire-reports)")
            not_run.append(module)
            continue
        passed, failed, skipped = result
        ran = passed + len(failed) + len(skipped)
        total_passed += passed
        total_failed += len(failed)
        total_skipped += len(skipped)
        for name in failed:
            problems.append(f"FAILED {module}: {name}")
        for name in skipped:
            problems.append(f"SKIPPED {module}: {name}")
        if ran < floor:
            problems.append(f"{module} ran {ran} tests, fewer than its floor of {floor} in {FLOOR_FILE}")
        print(f"  {module}: {ran} tests, {passed} passed, {len(failed)} failed, {len(skipped)} skipped")
    ran = total_passed + total_failed + total_skipped
    if ran < sum(floors.values()):
        problems.append(f"the suite ran {ran} tests, fewer than the floors' sum of {sum(floors.values())}")
    for problem in problems:
        print(problem)
    summary = f"{total_passed} passed, {total_failed} failed, {total_skipped} skipped"
    if not_run:
        summary += f", {len(not_run)} module{'s' if len(not_run) > 1 else ''} ran no tests ({', '.join(not_run)})"
    print(summary)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
