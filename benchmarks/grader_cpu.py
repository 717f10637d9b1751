"""CPU of the grading process per student: one grading session grades a workspace N times.

    python benchmarks/grader_cpu.py [--students 10] [--isolation process] [--profile FILE]

Prints the grading process's own CPU time (time.process_time: not its workers') per student,
after a first student that pays the imports and the collection, and the load average.
With --profile, writes cProfile's statistics (CPU time) of the measured students to FILE.
"""
import argparse
import cProfile
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=10)
    parser.add_argument("--isolation", default="process")
    parser.add_argument("--workspace", default=str(ROOT / "solutions"))
    parser.add_argument("--profile")
    args = parser.parse_args()

    started = time.process_time()
    from mlgrade import runner

    profile = cProfile.Profile(time.process_time) if args.profile else None
    marks = []          # (process time, wall time) when each student is asked for
    scores = []
    rss = []            # the most memory used, in KiB: after the first student, at the end

    def students():
        for i in range(args.students + 1):
            marks.append((time.process_time(), time.perf_counter()))
            if i == 1:
                rss.append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
            if i == 1 and profile:
                profile.enable()
            yield runner.Student(args.workspace, i)
        if profile:
            profile.disable()
        marks.append((time.process_time(), time.perf_counter()))

    runner.grade_each(students(), lambda student, report: scores.append(report.score),
                      isolation=args.isolation)
    rss.append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    if profile:
        profile.dump_stats(args.profile)
    first = marks[1][0] - started
    n = args.students
    cpu, wall = ((marks[-1][k] - marks[1][k]) / n for k in (0, 1))
    print(f"first student (with imports and collection) {first * 1000:.0f} ms CPU; then "
          f"{cpu * 1000:.0f} ms CPU and {wall * 1000:.0f} ms wall per student ({n} students, "
          f"{args.isolation}); peak memory {rss[0] >> 10} MiB after the first, {rss[1] >> 10} MiB "
          f"at the end; load {os.getloadavg()[0]:.2f}; scores {sorted(set(scores))}")


if __name__ == "__main__":
    sys.exit(main())
