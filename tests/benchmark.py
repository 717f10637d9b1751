"""Benchmark: how long a full `mlgrade check` takes (not a test; run it by hand).

    python tests/benchmark.py [--runs 10]

Prints the median and the spread of the wall time of the installed `mlgrade check`
command on the reference workspace (a correct one) and on the stubs.
"""
import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def wall_times(args: list[str], runs: int) -> list[float]:
    exe = Path(sys.executable).with_name("mlgrade")
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([str(exe), *args], capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    for label, workspace in (("correct workspace (solutions/)", "solutions"),
                             ("stub workspace (exercises/)", "exercises")):
        t = wall_times(["check", str(ROOT / workspace), "--seed", "1"], runs)
        print(f"mlgrade check, {label}: median {statistics.median(t):.2f} s, "
              f"min {min(t):.2f} s, max {max(t):.2f} s over {runs} runs")


if __name__ == "__main__":
    main()
