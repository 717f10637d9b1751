"""`nbgrader autograde` against mlgrade on the same notebooks: N submissions of the 13.

    python benchmarks/nbgrader_vs_mlgrade.py [--students 10] [--keep DIR]

Builds a course with `mlgrade export nbgrader`, releases it with `nbgrader
generate_assignment`, submits the reference answers for each student (the answer cells
of the source notebooks pasted into the release notebooks), then times

- `nbgrader autograde ml-basics`: every notebook executed in a Jupyter kernel, one at a
  time (the test cells call mlgrade.notebook.run_check, which grades in the sandbox);
- mlgrade on the same submitted notebooks: `mlgrade grade submitted --assignment
  ml-basics` if this mlgrade has `grade`, else `mlgrade check` once per student;

checks that both give every student the same total, and prints seconds per submission
and the ratio.  Needs nbgrader: pip install -e '.[nbgrader]'.
"""
import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import nbformat

ASSIGNMENT = "ml-basics"
BIN = os.path.dirname(sys.executable)


def run(args: list[str], cwd: str) -> float:
    """Seconds that `args` took; exit on failure."""
    started = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1) or (args[0].endswith("nbgrader") and done.returncode):
        sys.exit(f"{' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return seconds


def answers(path: str) -> dict[str, str]:
    nb = nbformat.read(path, as_version=4)
    return {c.metadata["nbgrader"]["grade_id"]: c.source for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("solution")}


def submit(course: str, student: str) -> str:
    """submitted/<student>/ml-basics/: release notebooks holding the reference answers."""
    folder = os.path.join(course, "submitted", student, ASSIGNMENT)
    os.makedirs(folder)
    release = os.path.join(course, "release", ASSIGNMENT)
    for name in sorted(os.listdir(release)):
        reference = answers(os.path.join(course, "source", ASSIGNMENT, name))
        nb = nbformat.read(os.path.join(release, name), as_version=4)
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id in reference:
                cell.source = reference[grade_id]
        nbformat.write(nb, os.path.join(folder, name))
    return folder


def has_grade() -> bool:
    done = subprocess.run([os.path.join(BIN, "mlgrade"), "grade", "--help"],
                          capture_output=True, text=True)
    return done.returncode == 0 and "--assignment" in done.stdout


def mlgrade_totals(course: str, students: list[str]) -> tuple[float, dict[str, float], str]:
    """(seconds, {student: score}, how) of mlgrade on the submitted notebooks."""
    mlgrade = os.path.join(BIN, "mlgrade")
    submitted = os.path.join(course, "submitted")
    if has_grade():
        out = os.path.join(course, "gradebook-mlgrade")
        seconds = run([mlgrade, "grade", submitted, "--assignment", ASSIGNMENT,
                       "--output", out], course)
        return seconds, read_gradebook(out), "mlgrade grade --assignment"
    scores, seconds = {}, 0.0
    for student in students:
        report = os.path.join(course, f"{student}.json")
        seconds += run([mlgrade, "check", os.path.join(submitted, student, ASSIGNMENT),
                        "--format", "json", "--output", report], course)
        with open(report) as f:
            scores[student] = json.load(f)["score"]
    return seconds, scores, "mlgrade check, once per student"


def read_gradebook(path: str) -> dict[str, float]:
    """{student: score} from `mlgrade grade`'s output (a CSV file or a folder of reports)."""
    if os.path.isfile(path):
        with open(path, newline="") as f:
            rows = list(csv.DictReader(f))
        key = next(k for k in rows[0] if k.lower() in ("student", "student_id", "submission"))
        return {row[key]: float(row["score"]) for row in rows}
    scores = {}
    for name in os.listdir(path):
        if name.endswith(".json"):
            with open(os.path.join(path, name)) as f:
                scores[name[:-5]] = json.load(f)["score"]
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=10)
    parser.add_argument("--keep", help="build the course here and keep it")
    args = parser.parse_args()
    course = args.keep or tempfile.mkdtemp(prefix="mlgrade-bench-nbgrader-")
    nbgrader = [os.path.join(BIN, "nbgrader")]
    try:
        run([os.path.join(BIN, "mlgrade"), "export", "nbgrader", course, "--lang", "en"], ".")
        run(nbgrader + ["generate_assignment", ASSIGNMENT], course)
        students = [f"student{k:02d}" for k in range(1, args.students + 1)]
        for student in students:
            submit(course, student)
        n = len(os.listdir(os.path.join(course, "release", ASSIGNMENT)))
        print(f"{len(students)} submissions of {n} notebooks, {os.cpu_count()} cores, "
              f"load {os.getloadavg()[0]:.1f}")
        nb_seconds = run(nbgrader + ["autograde", ASSIGNMENT], course)
        run(nbgrader + ["export"], course)
        with open(os.path.join(course, "grades.csv"), newline="") as f:
            nb_scores = {row["student_id"]: float(row["score"]) for row in csv.DictReader(f)}
        ml_seconds, ml_scores, how = mlgrade_totals(course, students)
        if nb_scores != ml_scores:
            sys.exit(f"the totals differ: nbgrader {nb_scores}, mlgrade {ml_scores}")
        per = len(students)
        print(f"nbgrader autograde: {nb_seconds:7.1f} s  ({nb_seconds / per:5.2f} s per submission)")
        print(f"{how}: {ml_seconds:7.1f} s  ({ml_seconds / per:5.2f} s per submission)")
        print(f"ratio nbgrader / mlgrade: {nb_seconds / ml_seconds:.1f}x; same totals "
              f"({sorted(set(ml_scores.values()))})")
    finally:
        if not args.keep:
            shutil.rmtree(course, ignore_errors=True)


if __name__ == "__main__":
    main()
