#!/usr/bin/env python3
"""Conformance gate: no test listed in tests/conformance-passing.txt may regress.

Runs the shared conformance corpus against protopy (standard library only):

    <shared>/conformance/run --report-only --failures TMP -q -j 2 --timeout 30 -- PROTOPY

prints the runner's per-folder table, then compares the passing set with the
list. Exit status 1 lists every listed test that no longer passes (or that the
corpus no longer has); tests that pass but are not listed are printed as newly
passing and do not fail the gate. `--update` rewrites the list from the tests
that pass now. `./x conformance` and `./x test` run this script.

The shared folder is $PROTOPY_SHARED, else ../shared beside the repository.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_LIST = os.path.join(REPO, "tests", "conformance-passing.txt")
DEFAULT_INTERPRETER = os.path.join(REPO, "target", "release", "protopy")

HEADER = """\
# Conformance tests that protopy passes, one path a line, relative to
# shared/conformance/. tests/conformance_gate.py (run by `./x test` and
# `./x conformance`) fails when a test listed here stops passing.
# Maintained by `./x conformance --update`, which rewrites this file (sorted)
# from the tests that pass now; commit the result with the change that made
# them pass. Never drop a line to make CI pass: a listed test that fails is a
# regression to fix.
"""


def fail(message, status=2):
    print("conformance gate: " + message, file=sys.stderr)
    sys.exit(status)


def shared_dir(option):
    path = option or os.environ.get("PROTOPY_SHARED") or os.path.join(REPO, "..", "shared")
    runner = os.path.join(path, "conformance", "run")
    if not os.path.isfile(runner):
        fail("conformance runner not found at %s (set PROTOPY_SHARED or use --shared; "
             "shared/ is expected beside the repository)" % runner)
    return os.path.abspath(path)


def resolve_interpreter(path):
    if os.sep in path:
        path = os.path.abspath(path)
        if not os.path.isfile(path):
            fail("interpreter not found: %s (build it first: ./x build)" % path)
        return path
    found = shutil.which(path)
    if found is None:
        fail("interpreter not found on PATH: %s" % path)
    return found


def read_list(path):
    """The listed tests, in file order, without comments, blanks or duplicates."""
    if not os.path.exists(path):
        return []
    tests, seen = [], set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line and line not in seen:
                seen.add(line)
                tests.append(line)
    return tests


def write_list(path, tests):
    with open(path, "w", encoding="utf-8") as f:
        f.write(HEADER)
        for test in sorted(tests):
            f.write(test + "\n")


def corpus_tests(runner):
    proc = subprocess.run([sys.executable, runner, "--list"],
                          stdout=subprocess.PIPE, universal_newlines=True)
    if proc.returncode != 0:
        fail("`%s --list` failed with status %d" % (runner, proc.returncode))
    return [line.strip() for line in proc.stdout.splitlines() if line.strip()]


def run_corpus(runner, interpreter, jobs, timeout):
    """Run the corpus; return the set of failing tests. The runner's own
    output (the per-folder table) goes straight to our stdout."""
    with tempfile.TemporaryDirectory(prefix="protopy-gate-") as scratch:
        failures = os.path.join(scratch, "failures.txt")
        cmd = [sys.executable, runner, "--report-only", "--failures", failures,
               "-q", "-j", str(jobs), "--timeout", str(timeout), "--", interpreter]
        print("conformance gate: " + " ".join(cmd), flush=True)
        # The runner's closing "N passed, N failed" line is reworded so that
        # CI does not read the corpus total (most tests do not pass yet) as
        # this test run's own result; the gate's verdict is its exit status.
        run = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
        status = run.returncode
        for line in run.stdout.splitlines():
            words = line.split()
            if len(words) == 4 and words[1] == "passed," and words[3] == "failed":
                line = "corpus: %s pass, %s do not" % (words[0], words[2])
            print(line)
        sys.stdout.flush()
        if status != 0:
            fail("the conformance runner exited with status %d" % status)
        if not os.path.exists(failures):
            fail("the conformance runner wrote no failures file")
        with open(failures, encoding="utf-8") as f:
            return {line.strip() for line in f if line.strip()}


def display(path):
    """A path relative to the repository when it lies inside it."""
    path = os.path.abspath(path)
    rel = os.path.relpath(path, REPO)
    return path if rel.startswith("..") else rel


def show(title, tests):
    print("%s (%d):" % (title, len(tests)))
    for test in sorted(tests):
        print("  " + test)


def main(argv):
    ap = argparse.ArgumentParser(
        description="Fail when a conformance test listed in "
                    "tests/conformance-passing.txt no longer passes.")
    ap.add_argument("--interpreter", default=DEFAULT_INTERPRETER, metavar="PATH",
                    help="interpreter under test (default: target/release/protopy)")
    ap.add_argument("--passing", default=DEFAULT_LIST, metavar="FILE",
                    help="list of tests that must pass "
                         "(default: tests/conformance-passing.txt)")
    ap.add_argument("--shared", metavar="DIR",
                    help="shared folder (default: $PROTOPY_SHARED, else ../shared)")
    ap.add_argument("--update", action="store_true",
                    help="rewrite the list from the tests that pass now")
    ap.add_argument("--jobs", "-j", type=int, default=2, help="parallel tests (2)")
    ap.add_argument("--timeout", type=float, default=30, help="seconds per test (30)")
    args = ap.parse_args(argv)

    runner = os.path.join(shared_dir(args.shared), "conformance", "run")
    interpreter = resolve_interpreter(args.interpreter)
    listed = read_list(args.passing)
    corpus = corpus_tests(runner)
    failing = run_corpus(runner, interpreter, args.jobs, args.timeout)
    passing = set(corpus) - failing
    listed_set = set(listed)
    missing = [t for t in listed if t not in set(corpus)]
    regressed = [t for t in listed if t in failing]
    new = passing - listed_set
    print()

    if args.update:
        dropped = listed_set - passing
        write_list(args.passing, passing)
        print("conformance gate: wrote %s: %d tests (%d added, %d dropped)"
              % (display(args.passing), len(passing), len(new), len(dropped)))
        if new:
            show("added", new)
        if dropped:
            show("WARNING: dropped, they no longer pass or no longer exist", dropped)
        return 0

    if new:
        show("newly passing (add them to %s: ./x conformance --update)"
             % display(args.passing), new)
    if missing:
        show("listed but not in the corpus (renamed or removed? fix the list)", missing)
    if regressed:
        show("REGRESSED: listed in %s but failing now" % display(args.passing), regressed)
        print("  see why: %s -v --filter %s -- %s" % (runner, regressed[0], interpreter))
    if regressed or missing:
        print("conformance gate: FAILED, %d of %d listed tests do not pass"
              % (len(regressed) + len(missing), len(listed)))
        return 1
    print("conformance gate: OK, all %d listed tests pass (%d of %d in the corpus pass)"
          % (len(listed), len(passing), len(corpus)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
