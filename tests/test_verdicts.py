"""Verdicts do not depend on the seed: each wrong implementation of real code fails the same
checks, with the same diagnosis, on every seed; correct code passes on every seed.

Checks run in this process (mlgrade.inprocess) against trusted implementations, so that
50 seeds per case stay fast; the sandboxed path is covered by test_corpus and test_mutants.
"""
import types

import numpy as np
import pytest

from mlgrade import catalog, inprocess
from mlgrade.outcomes import Incorrect

from sweep import ROOT, load, sweep
from wrong import WRONG

SEEDS = range(50)
MODULE_OF = {f: ex.module for ex in catalog.exercises() for f in ex.functions}


def namespace(module: str, source: str = "", replaced=()) -> types.SimpleNamespace:
    """The reference functions of `module`, with those in `source` replacing them."""
    reference = load(ROOT / "solutions" / f"{module}.py", f"_ref_{module}")
    names = {k: v for k, v in vars(reference).items() if not k.startswith("__")}
    scope = {"np": np, **names, **{f"_reference_{k}": v for k, v in names.items()}}
    exec(compile(source, f"<wrong {module}>", "exec"), scope)  # noqa: S102 - our own test code
    return types.SimpleNamespace(**{f: scope[f] for f in catalog.get(module).functions})


def verdicts(module: str, functions, seed: int, only=None) -> dict[str, tuple]:
    """{check id: (passed, wrong value?, diagnosis id)} of the checks of `module` (of the
    functions `only`, if given)."""
    out = {}
    for check in catalog.get(module).all_checks():
        if only and check.function not in only:
            continue
        exc = inprocess.run(check, functions, seed, wire_format=False)
        out[check.id] = (exc is None, isinstance(exc, Incorrect),
                         getattr(exc, "diagnosis", None))
    return out


@pytest.mark.parametrize("name", sorted(WRONG))
def test_wrong_code_gets_the_same_verdict_on_every_seed(name):
    replaced, source, diagnosis = WRONG[name]
    module = MODULE_OF[replaced[0]]
    functions = namespace(module, source, replaced)
    first = verdicts(module, functions, SEEDS[0])
    failed = {cid: d for cid, (ok, _, d) in first.items() if not ok}
    assert failed, f"{name} passes every check"
    assert all(cid.split(".")[1] in replaced for cid in failed), failed
    if diagnosis:
        assert diagnosis in failed.values(), failed
    if name != "mutates-input":    # a changed argument is named only where there is one
        assert "mutates-input" not in failed.values(), failed
    mine = {cid: v for cid, v in first.items() if cid.split(".")[1] in replaced}
    for seed in SEEDS[1:]:
        assert verdicts(module, functions, seed, replaced) == mine, f"{name}: seed {seed}"


def test_reference_and_independent_code_pass_a_sample_of_seeds():
    failures = sweep(range(1000, 1012))
    assert not failures, failures[:3]


def test_known_false_failures_of_the_old_checks_now_pass():
    """Seeds on which the fixed 1e-6 tolerance failed the reference solutions."""
    for module, seed in (("ex09_softmax", 359), ("ex09_softmax", 1716), ("ex08_backprop", 2754)):
        functions = load(ROOT / "solutions" / f"{module}.py", f"_ref_{module}")
        for check in catalog.get(module).all_checks():
            assert inprocess.run(check, functions, seed) is None, (check.id, seed)


def test_every_named_mistake_has_wrong_code_in_the_sweep():
    from mlgrade import i18n

    named = {diagnosis for _, _, diagnosis in WRONG.values() if diagnosis}
    assert named | {"document-erratum"} == set(i18n.lookup("diagnosis", "en"))
