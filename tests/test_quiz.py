"""The quiz: the bank, per-student numbers, keys, errata, misconceptions, grading."""
import numpy as np
import pytest

from mlgrade import errata, i18n
from mlgrade.catalog import ex04_update, ex07_network
from mlgrade.outcomes import Status
from mlgrade.quiz import answers, grading
from mlgrade.quiz.bank import BY_ID, QUESTIONS
from mlgrade.quiz.judge import InvalidInput, from_typed, judge
from mlgrade.quiz.model import Choice, Formula, Numeric, student_rng

DOCUMENTS = {"000", "001", "002", "003", "004"}


@pytest.fixture(autouse=True)
def english():
    i18n.use("en")
    yield
    i18n.use("en")


def full(student: str, answered: dict) -> tuple[float, float]:
    result = grading.grade(answered, student)
    return result.score, result.max_score


def key_of(student: str) -> dict:
    return {q.id: q.key(student) for q in QUESTIONS}


def test_the_bank_covers_every_document_with_every_kind_of_question():
    assert len(QUESTIONS) >= 30
    assert {q.doc for q in QUESTIONS} == DOCUMENTS
    kinds = {type(q) for q in QUESTIONS}
    assert kinds == {Choice, Numeric, Formula}
    assert any(q.multi for q in QUESTIONS if isinstance(q, Choice))
    assert any(not q.multi for q in QUESTIONS if isinstance(q, Choice))
    randomized = [q for q in QUESTIONS if q.randomized]
    assert all(isinstance(q, Numeric) for q in randomized)
    assert 0.28 <= len(randomized) / len(QUESTIONS) <= 0.45      # about a third


def test_every_question_has_its_texts_in_both_languages_citing_its_document():
    for q in QUESTIONS:
        for lang in i18n.LANGUAGES:
            title = i18n.lookup(f"quiz.q.{q.id}.title", lang)
            assert f"{q.doc}" in title, (q.id, lang)
            text = i18n.lookup(f"quiz.q.{q.id}.text", lang)
            assert text.format(**q.params("alice"))            # every placeholder is filled
            if isinstance(q, Choice):
                assert len(i18n.lookup(f"quiz.q.{q.id}.options", lang)) == q.n_options


def test_the_quiz_locale_files_have_the_same_keys():
    import tomllib
    from importlib import resources

    def keys(table, prefix=""):
        out = set()
        for k, v in table.items():
            out |= keys(v, f"{prefix}{k}.") if isinstance(v, dict) else {prefix + k}
        return out
    folder = resources.files("mlgrade") / "locale"
    en, zh = (keys(tomllib.loads((folder / f"quiz.{lang}.toml").read_text("utf-8")))
              for lang in ("en", "zh"))
    assert en == zh


def test_chinese_texts_use_the_documents_terms():
    zh = " ".join(i18n.lookup(f"quiz.q.{q.id}.text", "zh") for q in QUESTIONS)
    zh += " ".join(" ".join(i18n.lookup(f"quiz.q.{q.id}.options", "zh"))
                   for q in QUESTIONS if isinstance(q, Choice))
    for term in ("前向传播", "损失函数", "均方误差", "链式法则", "反向传播", "梯度下降", "学习率",
                 "激活函数", "泰勒级数", "交叉熵", "过拟合"):
        assert term in zh, term


def test_a_student_always_gets_the_same_numbers_and_two_students_different_ones():
    randomized = [q for q in QUESTIONS if q.randomized]
    assert [q.params("alice") for q in randomized] == [q.params("alice") for q in randomized]
    for a, b in [("alice", "bob"), ("s1", "s2"), ("2024001", "2024002")]:
        differ = [q.id for q in randomized if q.params(a) != q.params(b)]
        assert len(differ) >= len(randomized) - 2, (a, b, differ)


def test_the_seed_is_a_stable_hash_not_pythons_hash():
    # sha256 of the student and question ids: the same in every process and Python version
    draw = student_rng("alice", "d000_forward").integers(0, 2**32)
    assert draw == student_rng("alice", "d000_forward").integers(0, 2**32)
    assert BY_ID["d000_forward"].params("alice") == {"w1": 0.7, "w2": 0.6, "x1": 3, "x2": 5,
                                                      "b": 0.5}


def test_each_key_grades_full_for_its_own_student_only():
    for student, other in [("alice", "bob"), ("s1", "s2"), ("2024001", "2024002")]:
        score, max_score = full(student, key_of(student))
        assert score == max_score == len(QUESTIONS)
        assert full(other, key_of(student))[0] < max_score


def test_the_key_file_round_trips_and_grades_full(tmp_path):
    path = tmp_path / "key.toml"
    path.write_text(answers.key("alice"), encoding="utf-8")
    got, student = answers.read(str(path))
    assert student == "alice"
    assert full("alice", got) == (len(QUESTIONS), len(QUESTIONS))


def test_a_blank_template_grades_zero_and_every_question_is_not_attempted(tmp_path):
    path = tmp_path / "answers.toml"
    path.write_text(answers.template(), encoding="utf-8")
    got, student = answers.read(str(path))
    assert got == {} and student is None
    result = grading.grade(got, "alice")
    assert result.score == 0 and result.max_score == len(QUESTIONS)
    assert {c.status for c in result.checks} == {Status.NOT_ATTEMPTED}


def test_the_documents_wrong_number_gets_the_erratum_and_only_the_right_one_passes():
    q = BY_ID["d000_epoch_2"]
    printed = ex04_update.PRINTED[2]["y_pred"]                 # the document's 2.60
    right = ex04_update.reference(*ex04_update.HOUSE)[2]["y_pred"]
    assert judge(q, right, "alice").correct
    verdict = judge(q, printed, "alice")
    assert not verdict.correct and verdict.mistake == "document-erratum"
    reason = next(r["reason"] for r in errata.rows() if r["check"].endswith("doc000_epoch_2"))
    assert reason in verdict.diagnosis()["message"] and "{" not in reason
    assert i18n.t("diagnosis.document-erratum") in verdict.diagnosis()["message"]


def test_document_003s_wrong_output_and_wrong_derivative_get_the_erratum():
    case = next(c for c in ex07_network.EXERCISE.cases if c.name == "doc003_output")
    output = judge(BY_ID["d003_output"], float(case.printed[0]), "x")
    assert output.mistake == "document-erratum" and output.erratum == "doc003_output"
    assert judge(BY_ID["d003_output"], float(case.expected[0]), "x").correct
    dh_dw = judge(BY_ID["d003_dh_dw"], "a", "x")               # w1·f'(·), as the document writes
    assert dh_dw.mistake == "document-erratum" and dh_dw.erratum == "doc003_backprop"
    from mlgrade.catalog import ex08_backprop
    dw1 = judge(BY_ID["d003_dloss_dw1"], ex08_backprop.doc003_printed(), "x")
    assert dw1.mistake == "document-erratum"
    assert judge(BY_ID["d003_dloss_dw1"], 0.00263906, "x").correct


def numbers(qid: str, student: str = "alice") -> dict:
    return BY_ID[qid].params(student)


@pytest.mark.parametrize("qid, wrong, mistake", [
    ("d000_update", lambda w, g, eta: w + eta * g, "update-wrong-direction"),
    ("d000_forward", lambda w1, w2, x1, x2, b: w1 * x1 + w2 * x2, "forgot-bias"),
    ("d000_gradient", lambda y, yhat, x1: 2 * (y - yhat) * x1, "sign-flipped"),
    ("d003_mse", lambda y, yhat: float(np.sum((np.array(y) - yhat) ** 2)), "mse-sum-not-mean"),
    ("d004_sigmoid_grad", lambda z: z * (1 - z), "sigmoid-grad-of-preactivation"),
    ("d004_ce_grad", lambda z1, z2, z3: np.exp(z1) / np.exp([z1, z2, z3]).sum(),
     "softmax-grad-missing-onehot"),
])
def test_a_numeric_misconception_gets_its_named_diagnosis(qid, wrong, mistake):
    for student in ("alice", "bob", "carol"):
        verdict = judge(BY_ID[qid], float(wrong(**numbers(qid, student))), student)
        assert not verdict.correct and verdict.mistake == mistake, (qid, student)


@pytest.mark.parametrize("qid, text, mistake", [
    ("d000_dloss_dpred", "2*(y - yhat)", "sign-flipped"),
    ("d000_dloss_dpred", "yhat - y", "missing-factor-2"),
    ("d002_neuron_grad", "(y - f)*f*(1 - f)*x", "sign-flipped"),
    ("d004_sigmoid_grad_z", "z*(1 - z)", "sigmoid-grad-of-preactivation"),
    ("d002_update_rule", "w + eta*g", "update-wrong-direction"),
])
def test_a_formula_misconception_gets_its_named_diagnosis(qid, text, mistake):
    verdict = judge(BY_ID[qid], text, "alice")
    assert not verdict.correct and verdict.mistake == mistake


@pytest.mark.parametrize("qid, text", [
    ("d003_sigmoid_grad_s", "s - s^2"),
    ("d003_sigmoid_grad_s", "s·(1 − s)"),                      # as the documents print it
    ("d004_sigmoid_grad_z", "exp(-z)/(1+exp(-z))**2"),
    ("d004_sigmoid_grad_z", "sigmoid(z)*sigmoid(-z)"),
    ("d004_hard_sigmoid", "relu(z)-relu(z-1)"),
    ("d002_neuron_grad", "x*f*(1-f)*(f-y)"),
    ("d000_dloss_dpred", "-2*(y-yhat)"),
])
def test_any_equivalent_formula_is_right(qid, text):
    assert judge(BY_ID[qid], text, "alice").correct


def test_a_formula_right_at_a_few_points_only_is_wrong():
    # agrees with s(1 − s) at s = 0 and s = 1, and nowhere else
    assert not judge(BY_ID["d003_sigmoid_grad_s"], "s*(1-s)*(1 + s*(1-s))", "x").correct


def test_numeric_answers_are_judged_with_the_stated_tolerance():
    q = BY_ID["d003_sigmoid"]
    right = q.key("alice")
    assert judge(q, right * (1 + 0.9 * q.rtol), "alice").correct
    assert not judge(q, right * (1 + 2 * q.rtol), "alice").correct
    exact = BY_ID["d004_image_inputs"]
    assert judge(exact, exact.key("alice"), "alice").correct
    assert not judge(exact, exact.key("alice") + 1, "alice").correct


def test_multiple_choice_needs_every_right_option_and_nothing_else():
    q = BY_ID["d004_relu_pros"]
    assert judge(q, ["a", "b", "c"], "x").correct
    assert not judge(q, ["a", "b"], "x").correct
    assert not judge(q, ["a", "b", "c", "d"], "x").correct


def test_a_choice_misconception_is_named():
    assert judge(BY_ID["d000_update_sign"], "b", "x").mistake == "update-wrong-direction"
    verdict = judge(BY_ID["d001_large_lr"], "a", "x")
    assert verdict.mistake == "large-lr-is-faster"
    assert "001" in verdict.diagnosis()["message"]


def test_typed_input_is_turned_into_the_stored_form():
    assert from_typed(BY_ID["d001_fixed_step"], " b, A ") == ["a", "b"]
    assert from_typed(BY_ID["d001_fixed_step"], "ba") == ["a", "b"]
    assert from_typed(BY_ID["d004_digits"], "C") == "c"
    assert from_typed(BY_ID["d000_update"], "2*(0.4-3)") == pytest.approx(-5.2)
    assert from_typed(BY_ID["d000_update"], "1e-3") == 0.001
    for qid, text in [("d004_digits", "ab"), ("d004_digits", "e"), ("d000_update", "x + 1"),
                      ("d000_update", "9**9**9"), ("d000_update", "1/0"),
                      ("d003_sigmoid_grad_s", "s(1-s)")]:
        with pytest.raises(InvalidInput):
            from_typed(BY_ID[qid], text)


def test_the_report_has_the_schema_of_mlgrade_check():
    from mlgrade import report

    result = grading.report(key_of("alice"), "alice", "answers.toml")
    data = report.to_dict(result)
    assert data["score"] == data["max_score"] == len(QUESTIONS)
    (quiz,) = data["exercises"]
    assert quiz["id"] == "quiz" and "alice" in quiz["title"]
    assert {c["id"] for c in quiz["checks"]} == {f"quiz.{q.id}" for q in QUESTIONS}
    kinds = {c["id"]: c["kind"] for c in quiz["checks"]}
    assert kinds["quiz.d000_forward"] == "random" and kinds["quiz.d000_epoch_2"] == "fixed"


def test_the_readme_counts_are_true():
    from conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    randomized = sum(q.randomized for q in QUESTIONS)
    assert f"{len(QUESTIONS)} questions on the five documents" in readme
    assert f"{randomized} numeric\nquestions have numbers of each student's own" in readme


def test_the_notebook_cells_show_the_students_numbers_and_grade_one_answer(capsys):
    from mlgrade.quiz import notebook

    text = notebook.question("d000_forward", "alice")
    assert "w1 = 0.7" in text and "document 000" in text
    assert "a) " in notebook.question("d004_digits", "alice")
    notebook.grade_answer("d000_forward", "alice", {"d000_forward": np.float64(5.6)})
    assert "Right." in capsys.readouterr().out
    for namespace, words in [({}, "not answered"), ({"d000_forward": "5.6"}, "expected a number"),
                             ({"d000_forward": 5.6 - 0.5}, "forgot-bias")]:
        with pytest.raises(notebook.AnswerFailed) as info:
            notebook.grade_answer("d000_forward", "alice", namespace)
        assert words in str(info.value)
    with pytest.raises(notebook.AnswerFailed) as info:
        notebook.grade_answer("d000_forward", "bob", {"d000_forward": 5.6})   # alice's number


def test_odd_student_ids_and_formulas_round_trip_through_the_file(tmp_path):
    path = tmp_path / "answers.toml"
    student = 'zhang "san"\\ 张三\t\x7f'
    given = {"d003_sigmoid_grad_s": 's·(1 − s) # "quoted"', "d001_fixed_step": ["a", "b"],
             "d000_forward": 1e-300, "d004_digits": "c"}
    answers.save(str(path), given, student)
    assert answers.read(str(path)) == (given, student)
    assert [p.name for p in tmp_path.iterdir()] == ["answers.toml"]    # no temporary left


def test_a_huge_file_is_refused_before_parsing(tmp_path):
    path = tmp_path / "answers.toml"
    path.write_text("# " + "x" * (2 << 20) + "\n")
    with pytest.raises(answers.AnswersError) as info:
        answers.read(str(path))
    assert info.value.unreadable and "kB" in info.value.problems[0]


def test_every_erratum_reason_is_rendered_with_the_catalogs_numbers():
    from mlgrade.quiz.judge import erratum_reason

    keys = {q.erratum for q in QUESTIONS if getattr(q, "erratum", None)}
    assert keys == {"doc000_table", "doc003_output", "doc003_backprop"}
    for lang in i18n.LANGUAGES:
        i18n.use(lang)
        for key in keys:
            reason = erratum_reason(key)
            assert reason and "{" not in reason, (lang, key)
