"""Cost of an opaque callable: a student's numerical_gradient on an n-element x calls the
check's function 2n times, each a round trip worker -> grading process -> worker.

Usage: python benchmarks/callbacks.py [--isolation sandbox|process] [--n 20] [--repeat 30]
"""
import argparse
import os
import statistics
import time

import numpy as np

from mlgrade import sandbox
from mlgrade.pool import Pool
from mlgrade.worker.wire import Callable

SOLUTIONS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "solutions")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--isolation", default="auto")
    parser.add_argument("--n", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=30)
    opts = parser.parse_args()
    rng = np.random.default_rng(0)
    params = {k: rng.uniform(0.5, 2, opts.n).tolist() for k in "acq"}
    x = rng.normal(size=opts.n)
    isolation = sandbox.choose(opts.isolation)
    pool = Pool(os.path.abspath(SOLUTIONS), ["ex10_gradcheck"], sandbox.Limits(timeout=60),
                isolation)
    try:
        exercise = pool.get("ex10_gradcheck")
        exercise.call("relative_error", [[1.0], [1.0]])            # start-up, not measured
        times = []
        for _ in range(opts.repeat):
            start = time.perf_counter()
            exercise.call("numerical_gradient", [Callable("smooth", **params), x])
            times.append(time.perf_counter() - start)
        plain = []
        for _ in range(opts.repeat):
            start = time.perf_counter()
            exercise.call("relative_error", [x, x])
            plain.append(time.perf_counter() - start)
    finally:
        pool.close()
    med, base = statistics.median(times), statistics.median(plain)
    print(f"{isolation}: numerical_gradient, n={opts.n} ({2 * opts.n} callbacks): "
          f"median {med * 1e3:.2f} ms per call, {(med - base) / (2 * opts.n) * 1e6:.0f} µs per "
          f"callback (a call without callbacks: {base * 1e3:.2f} ms)")


if __name__ == "__main__":
    main()
