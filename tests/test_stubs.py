"""The stubs: not attempted everywhere, and never out of date with the solutions."""
from mlgrade import catalog, stubs
from mlgrade.outcomes import Status

from conftest import EXERCISES, SOLUTIONS, grade


def test_stubs_score_zero_with_not_implemented_messages():
    report = grade(EXERCISES)
    assert report.score == 0
    for e in report.exercises:
        assert e.checks, e.id
        for c in e.checks:
            assert c.status is Status.NOT_ATTEMPTED, (c.id, c.message)
            assert "not implemented" in c.message


def test_committed_stubs_match_the_solutions():
    assert stubs.drift(str(SOLUTIONS), str(EXERCISES)) == []


def test_stub_keeps_signatures_docstrings_and_helpers():
    text = (EXERCISES / "ex07_network.py").read_text()
    assert "def dense(x, W, b, activation):" in text
    assert "ACTIVATIONS = {" in text                  # helper code given to students
    assert "BEGIN SOLUTION" not in text and "x @ np.asarray(W" not in text
    assert "前向传播" in text and "forward pass" in text  # task text in both languages


def test_packaged_stubs_are_the_committed_ones():
    packaged = stubs.packaged()
    for m in catalog.MODULES:
        assert packaged[f"{m}.py"] == (EXERCISES / f"{m}.py").read_text()
