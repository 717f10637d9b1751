"""Seed sweep: every catalog check, on many seeds, against two correct implementations.

Runs each check's `run()` in this process (mlgrade.inprocess: results still go through
the wire format, as from a worker) against the reference solutions and against
tests/independent.py, and reports every failure: a false failure of correct code.

Usage:
    python tests/sweep.py --seeds 20000            # the full sweep (single process)
    python tests/sweep.py --seeds 200 --start 5000 --only ex09_softmax,ex08_backprop
Exit status 1 if any check failed on any seed.
"""
import argparse
import importlib.util
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def implementations(module: str) -> dict:
    """{label: module of functions}: the reference solution and the independent one."""
    return {"solutions": load(ROOT / "solutions" / f"{module}.py", f"_ref_{module}"),
            "independent": load(HERE / "independent.py", "_independent")}


def sweep(seeds: range, only: str | None = None, out=None) -> list[tuple]:
    """[(implementation, check id, seed, message)] of every failure.

    Exercises run in the order of `only` ("ex09_softmax,ex08_backprop"), else catalog order.
    """
    from mlgrade import catalog, inprocess

    failures = []
    for module in only.split(",") if only else catalog.MODULES:
        exercise = catalog.get(module)
        impls = implementations(exercise.module)
        for check in exercise.all_checks():
            started = time.monotonic()
            for label, functions in impls.items():
                for seed in seeds:
                    exc = inprocess.run(check, functions, seed, wire_format=False)
                    if exc is not None:
                        failures.append((label, check.id, seed, str(exc)[:300]))
                        if out:
                            print(f"FAIL {label} {check.id} seed {seed}: {exc}", file=out,
                                  flush=True)
            if out:
                print(f"{check.id}: {len(seeds)} seeds x {len(impls)} implementations, "
                      f"{time.monotonic() - started:.1f} s", file=out, flush=True)
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=1000)
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--only", help="exercise modules in the order to sweep them, "
                        "e.g. ex09_softmax,ex08_backprop")
    args = parser.parse_args()
    started = time.monotonic()
    failures = sweep(range(args.start, args.start + args.seeds), args.only, out=sys.stdout)
    print(f"{len(failures)} failures; seeds {args.start}..{args.start + args.seeds - 1}; "
          f"{time.monotonic() - started:.0f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
