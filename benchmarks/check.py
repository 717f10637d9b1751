"""Benchmark: how long `mlgrade check` takes (not a test; run it by hand).

    python benchmarks/check.py [--runs 10] [--class-size 30]

Prints the median and the spread of the wall time of the installed `mlgrade check`
command on the reference workspace (a correct one) and on the stubs, in each
isolation available here, and the time to grade a class of copies one after another.
"""
import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mlgrade import sandbox

ROOT = Path(__file__).resolve().parent.parent
EXE = Path(sys.executable).with_name("mlgrade")


def wall_times(args: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([str(EXE), *args], capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return times


def report(label: str, t: list[float]) -> None:
    print(f"{label}: median {statistics.median(t):.2f} s, min {min(t):.2f} s, "
          f"max {max(t):.2f} s over {len(t)} runs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--class-size", type=int, default=30)
    args = parser.parse_args()
    isolations = ["sandbox", "process"] if sandbox.sandbox_available() else ["process"]
    for isolation in isolations:
        for label, ws in (("correct workspace (solutions/)", "solutions"),
                          ("stub workspace (exercises/)", "exercises")):
            t = wall_times(["check", str(ROOT / ws), "--seed", "1", "--isolation", isolation],
                           args.runs)
            report(f"mlgrade check, {isolation}, {label}", t)
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.class_size):
            shutil.copytree(ROOT / "solutions", Path(tmp) / f"student{i:03d}")
        start = time.perf_counter()
        for i in range(args.class_size):
            subprocess.run([str(EXE), "check", str(Path(tmp) / f"student{i:03d}"), "--format",
                            "json", "--output", str(Path(tmp) / f"report{i:03d}.json")],
                           capture_output=True, check=False)
        total = time.perf_counter() - start
    print(f"a class of {args.class_size} correct submissions, one after another: "
          f"{total:.1f} s in all, {total / args.class_size:.2f} s each")


if __name__ == "__main__":
    main()
