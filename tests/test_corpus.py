"""Correct code as students and textbooks write it scores full marks on every seed.

tests/corpus/ holds natural implementations written from the stubs and hints (array-only
idioms, no conversions) and implementations in the styles of CS231n, nnfs, d2l, Nielsen and
Deep Learning from Scratch, and results in every form the catalog allows (object arrays,
lists, 0-d arrays).  Each function is run against every check of it, for many seeds, in
this process through the wire format; natural.py is also graded through the sandbox.
"""
from pathlib import Path

import pytest

from mlgrade import catalog, inprocess

from conftest import grade
from sweep import load

CORPUS = Path(__file__).resolve().parent / "corpus"
STYLES = sorted(p.stem for p in CORPUS.glob("*.py"))
SEEDS = range(20)


def defined(module) -> set[str]:
    names = {f for ex in catalog.exercises() for f in ex.functions}
    return {n for n in names if callable(getattr(module, n, None))
            and getattr(getattr(module, n), "__module__", None) == module.__name__}


@pytest.mark.parametrize("style", STYLES)
def test_correct_code_of_every_style_passes_every_seed(style):
    module = load(CORPUS / f"{style}.py", f"_corpus_{style}")
    functions = defined(module)
    assert functions, style
    ran = 0
    for ex in catalog.exercises():
        for check in ex.all_checks():
            if check.function not in functions:
                continue
            for seed in SEEDS:
                exc = inprocess.run(check, module, seed)
                assert exc is None, f"{style}: {check.id} seed {seed}: {exc}"
                ran += 1
    assert ran >= len(functions) * len(SEEDS)


def test_natural_code_gets_full_marks_through_the_sandbox(tmp_path):
    source = (CORPUS / "natural.py").read_text()
    for module in catalog.MODULES:
        (tmp_path / f"{module}.py").write_text(source)
    report = grade(tmp_path, seed=3)
    lost = [(c.id, c.message) for e in report.exercises for c in e.checks if not c.passed]
    assert not lost and report.score == report.max_score, lost[:5]
