"""The benchmark of issue 9, in one run: floor, one check, a class, how a class scales.

    python benchmarks/run.py [--runs 5] [--jobs 2] [--timeout 2] [--sizes 25 50 100 200]

Measures side by side, with the installed `mlgrade`:
  - the floor: `python -c "import numpy"`;
  - one `mlgrade check` of a correct workspace (solutions/), all 13 exercises;
  - what an infinite loop costs one check beyond a correct one (bound: timeout + 1 s);
  - `mlgrade grade` of generated classes (benchmarks/classgen.py: correct, mistaken and
    hostile submissions mixed) with --jobs J, for each size;
and prints the ratios: check / floor, submissions per second, seconds per submission at
each size relative to the smallest (1.0 = linear growth).  It also checks that every
correct submission of each class got full marks.
"""
import argparse
import csv
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import classgen

ROOT = Path(__file__).resolve().parent.parent
EXE = str(Path(sys.executable).with_name("mlgrade"))


def wall(args: list[str], runs: int = 1) -> float:
    """Median wall-clock seconds of running `args`."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def grade_class(size: int, jobs: int, timeout: float) -> tuple[float, int, int, int]:
    """(seconds, correct at full marks, correct, failed to grade) for a class of `size`."""
    with tempfile.TemporaryDirectory() as tmp:
        subs = Path(tmp) / "subs"
        kinds = classgen.make(subs, size)
        gradebook = Path(tmp) / "grades.csv"
        start = time.perf_counter()
        subprocess.run([EXE, "grade", str(subs), "--output", str(gradebook), "--reports",
                        str(Path(tmp) / "reports"), "--jobs", str(jobs), "--timeout",
                        str(timeout)], capture_output=True, check=False)
        seconds = time.perf_counter() - start
        with open(gradebook, newline="") as f:
            rows = {r["student"]: r for r in csv.DictReader(f)}
    correct = [s for s, k in kinds.items() if k == "correct"]
    full = sum(rows.get(s, {}).get("score") == rows.get(s, {}).get("max_score") != ""
               for s in correct)
    failed = sum(1 for r in rows.values() if r["error"]) + size - len(rows)
    return seconds, full, len(correct), failed


def loop_cost(timeout: float, runs: int) -> float:
    """Seconds an infinite loop in one module adds to a check of a correct workspace."""
    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp) / "ws"
        shutil.copytree(ROOT / "solutions", ws)
        (ws / "ex02_mse.py").write_text("while True:\n    pass\n")
        base = wall([EXE, "check", str(ROOT / "solutions"), "--timeout", str(timeout)], runs)
        looping = wall([EXE, "check", str(ws), "--timeout", str(timeout)], runs)
    return looping - base


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=2.0)
    parser.add_argument("--sizes", type=int, nargs="+", default=[25, 50, 100, 200])
    args = parser.parse_args()

    floor = wall([sys.executable, "-c", "import numpy"], args.runs)
    check = wall([EXE, "check", str(ROOT / "solutions"), "--seed", "1"], args.runs)
    loop = loop_cost(args.timeout, max(1, args.runs // 2))
    print(f"floor  python -c 'import numpy'           {floor:7.2f} s")
    print(f"check  mlgrade check solutions (13 ex.)   {check:7.2f} s   "
          f"= {check / floor:.1f}x floor")
    print(f"loop   infinite loop in one exercise     +{loop:6.2f} s   (timeout {args.timeout:g} s, "
          f"bound timeout + 1 s)")
    base = None
    for size in args.sizes:
        seconds, full, correct, failed = grade_class(size, args.jobs, args.timeout)
        each = seconds / size
        base = base or each
        print(f"grade  {size:4d} submissions, --jobs {args.jobs}     {seconds:7.1f} s   "
              f"{size / seconds:5.2f}/s   {each:5.2f} s each = {each / base:.2f}x the "
              f"{args.sizes[0]}-class's   correct at full marks {full}/{correct}   "
              f"failed to grade {failed}")


if __name__ == "__main__":
    main()
