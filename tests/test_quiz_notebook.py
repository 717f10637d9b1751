"""The quiz as an nbgrader notebook: valid metadata, and its cells grade as `quiz grade` does."""
import io
from contextlib import redirect_stdout

import pytest

from mlgrade.quiz import notebook
from mlgrade.quiz.bank import BY_ID, QUESTIONS

nbformat = pytest.importorskip("nbformat")


def run(nb, student: str, replace: dict | None = None) -> dict:
    """Run the code cells in order, as a kernel would; {test cell id: None or the failure}.

    Only the show cells (with no student id) and the test cells may fail."""
    namespace, outcome = {}, {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        source = cell.source
        if cell.id == "quiz-student":
            source = f"STUDENT = {student!r}"
        if replace and cell.id in replace:
            source = replace[cell.id]
        with redirect_stdout(io.StringIO()):
            try:
                exec(compile(source, cell.id, "exec"), namespace)   # the notebook's own code
                outcome[cell.id] = None
            except notebook.AnswerFailed as exc:
                assert cell.id.endswith("-show") or cell.id in graded_ids(nb), cell.id
                outcome[cell.id] = str(exc)
    return {k: v for k, v in outcome.items() if k in graded_ids(nb)}


def graded_ids(nb) -> set[str]:
    return {c.id for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_source_notebook_is_valid_and_its_solutions_pass(lang):
    nb = notebook.build(lang)
    nbformat.validate(nb)
    graded = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert len(graded) == len(QUESTIONS)
    ids = [c.metadata["nbgrader"]["grade_id"] for c in nb.cells if "nbgrader" in c.metadata]
    assert len(ids) == len(set(ids))
    assert sum(c.metadata["nbgrader"]["points"] for c in graded) == len(QUESTIONS)
    assert all("### BEGIN SOLUTION" in c.source for c in nb.cells
               if c.metadata.get("nbgrader", {}).get("solution"))
    for student in ("alice", "学生42"):
        assert run(nb, student) == {f"quiz-{q.id}": None for q in QUESTIONS}


def test_a_wrong_answer_fails_its_cell_with_the_diagnosis():
    nb = notebook.build("en")
    p = BY_ID["d000_update"].params("alice")
    wrong = {"quiz-d000_update-answer": f"d000_update = {p['w'] + p['eta'] * p['g']}",
             "quiz-d004_digits-answer": "# YOUR CODE HERE"}
    outcome = run(nb, "alice", wrong)
    assert "update-wrong-direction" in outcome["quiz-d000_update"]
    assert "not answered" in outcome["quiz-d004_digits"]
    assert sum(v is not None for v in outcome.values()) == 2


def test_the_placeholder_student_is_refused():
    outcome = run(notebook.build("en"), notebook.PLACEHOLDER)
    assert all("STUDENT" in v for v in outcome.values())
