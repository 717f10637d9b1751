"""Feedback: diagnoses in the report, hints, errata and plots, in English and Chinese."""
import json

import pytest

from mlgrade import catalog, i18n
from mlgrade.cli import cli

from conftest import EXERCISES, SOLUTIONS

OVERFLOWING_SIGMOID = """
import numpy as np
def sigmoid(z):
    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))
def sigmoid_grad(z):
    z = np.asarray(z, dtype=float)
    return z * (1 - z)
"""


@pytest.mark.parametrize("lang, fail, says", [
    ("en", "FAIL", "σ'(z) was computed as z (1 − z)"),
    ("zh", "失败", "σ'(z) 被算成了 z (1 − z)"),
])
def test_failing_check_reads_well_in_both_languages(runner, workspace, lang, fail, says):
    ws = workspace(ex05_sigmoid=OVERFLOWING_SIGMOID)
    result = runner.invoke(cli, ["check", str(ws), "-e", "ex05_sigmoid", "--seed", "4",
                                 "--lang", lang, "--no-color"])
    assert result.exit_code == 1
    out = result.stdout
    assert f"  {fail} " in out and says in out
    assert i18n.lookup("ex05_sigmoid.title", lang) in out
    assert "mlgrade hint ex05_sigmoid" in out
    assert "[sigmoid-overflow]" in out and "[sigmoid-grad-of-preactivation]" in out


def test_json_diagnosis_carries_id_and_message_in_the_chosen_language(runner, workspace):
    ws = workspace(ex05_sigmoid=OVERFLOWING_SIGMOID)
    result = runner.invoke(cli, ["check", str(ws), "-e", "ex05_sigmoid", "--format", "json",
                                 "--lang", "zh"])
    checks = json.loads(result.stdout)["exercises"][0]["checks"]
    diagnoses = {c["diagnosis"]["id"]: c["diagnosis"]["message"] for c in checks if c["diagnosis"]}
    assert diagnoses["sigmoid-overflow"] == i18n.lookup("diagnosis.sigmoid-overflow", "zh")


def test_language_defaults_to_mlgrade_lang(runner):
    args = ["hint", "ex01_forward"]
    zh = runner.invoke(cli, args, env={"MLGRADE_LANG": "zh", "LANG": "C"})
    en = runner.invoke(cli, args, env={"MLGRADE_LANG": "", "LANG": "C"})
    assert i18n.lookup("hints.ex01_forward", "zh")[0] in zh.stdout
    assert i18n.lookup("hints.ex01_forward", "en")[0] in en.stdout


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_hints_are_progressive_and_never_past_the_last(runner, lang):
    hints = i18n.lookup("hints.ex08_backprop", lang)
    assert len(hints) == 3
    outputs = [runner.invoke(cli, ["hint", "ex08_backprop", "--level", str(n), "--lang", lang])
               for n in (1, 2, 3, 9)]
    assert all(r.exit_code == 0 for r in outputs)
    for n, r in enumerate(outputs[:3]):
        assert hints[n] in r.stdout and all(h not in r.stdout for h in hints[n + 1:])
    assert hints[2] in outputs[3].stdout
    assert runner.invoke(cli, ["hint", "ex99"]).exit_code == 2


def test_hints_do_not_contain_the_solutions():
    for m in catalog.MODULES:
        body = (SOLUTIONS / f"{m}.py").read_text().split("### BEGIN SOLUTION")
        lines = {squash(line.split("#")[0]) for part in body[1:] for line in
                 part.split("### END SOLUTION")[0].splitlines()}
        for lang in i18n.LANGUAGES:
            text = squash(" ".join(i18n.lookup(f"hints.{m}", lang)))
            leaked = [line for line in lines if len(line) > 20 and line in text]
            assert not leaked, (m, lang, leaked)


def squash(text: str) -> str:
    """Code without spaces and with ASCII minus signs, to compare hints with solutions."""
    return "".join(text.replace("−", "-").split())


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_errata_list_every_printed_number_and_the_four_errata(runner, lang):
    result = runner.invoke(cli, ["errata", "--format", "json", "--lang", lang])
    rows = json.loads(result.stdout)["errata"]
    wrong = [r for r in rows if r["erratum"]]
    assert len(wrong) == 4 and all(r["reason"] for r in wrong)
    assert {r["check"].split(".")[0] for r in wrong} == {"ex04_update", "ex07_network",
                                                         "ex08_backprop"}
    fixed_with_doc = [c.id for ex in catalog.exercises() for c in ex.all_checks() if c.doc]
    assert sorted(r["check"] for r in rows) == sorted(fixed_with_doc)
    assert {r["document"] for r in rows} == {"000", "001", "003", "004"}
    text = runner.invoke(cli, ["errata", "--lang", lang]).stdout
    output = next(c for c in catalog.get("ex07_network").all_checks() if c.name == "doc003_output")
    assert i18n.lookup("errata.doc003_output", lang).format(**output.params) in text
    assert text.count(f"[{i18n.lookup('errata.wrong', lang)}]") == 4


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
@pytest.mark.parametrize("exercise", ["ex04_update", "ex12_descent"])
def test_plot_writes_a_png_of_the_students_code(runner, tmp_path, lang, exercise):
    pytest.importorskip("matplotlib", reason="the plot extra (matplotlib) is not installed")
    out = tmp_path / "plot.png"
    result = runner.invoke(cli, ["plot", exercise, "--workspace", str(SOLUTIONS), "--output",
                                 str(out), "--lang", lang])
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


def test_plot_of_a_stub_still_draws_the_reference_and_says_why(runner, tmp_path):
    pytest.importorskip("matplotlib", reason="the plot extra (matplotlib) is not installed")
    out = tmp_path / "plot.png"
    result = runner.invoke(cli, ["plot", "ex12_descent", "--workspace", str(EXERCISES),
                                 "--output", str(out)])
    assert result.exit_code == 0 and out.exists()
    assert "not implemented" in result.stderr


def test_plot_without_matplotlib_is_a_clear_one_line_error(runner, tmp_path, monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "matplotlib", None)
    result = runner.invoke(cli, ["plot", "ex04_update", "--output", str(tmp_path / "p.png")])
    assert result.exit_code == 2
    assert "pip install -e '.[plot]'" in result.stderr and "Traceback" not in result.output


def test_chinese_plots_have_every_glyph(runner, tmp_path, caplog):
    pytest.importorskip("matplotlib", reason="the plot extra (matplotlib) is not installed")
    from mlgrade import plot
    if plot.cjk_font() is None:
        pytest.skip("no font with Chinese glyphs is installed")
    for exercise in ("ex04_update", "ex12_descent"):   # log ticks 10⁻¹ …, minus signs
        result = runner.invoke(cli, ["plot", exercise, "--workspace", str(SOLUTIONS),
                                     "--output", str(tmp_path / "p.png"), "--lang", "zh"])
        assert result.exit_code == 0, result.output
    missing = [r.getMessage() for r in caplog.records if "glyph" in r.getMessage()]
    assert missing == []


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_plot_legends_name_what_is_drawn(lang):
    pytest.importorskip("matplotlib", reason="the plot extra (matplotlib) is not installed")
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from mlgrade import plot
    i18n.use(lang)
    try:
        fig, axes = plt.subplots(1, 2)
        assert plot.plot_gradient_descent(axes, str(SOLUTIONS)) is None
        curve, path = ([t.get_text() for t in ax.get_legend().get_texts()] for ax in axes)
        fig, ax = plt.subplots()
        assert plot.plot_train_linear(ax, str(SOLUTIONS)) is None
        loss = [t.get_text() for t in ax.get_legend().get_texts()]
        plt.close("all")
    finally:
        i18n.use("en")
    rates = [i18n.lookup("cli.plot_lr", lang).format(lr=lr, kind=i18n.lookup(
        f"cli.plot_{kind}", lang)) for lr, kind in plot.RATES]
    assert curve == [i18n.lookup(f"cli.plot_{k}", lang) for k in ("loss_curve", "iterates_left")]
    assert path == rates + [i18n.lookup(f"cli.plot_{k}", lang) for k in ("reference_paths",
                                                                         "best_w")]
    assert loss == [i18n.lookup(f"cli.plot_{k}", lang) for k in ("reference_loss",
                                                                "yours_loss", "document")]


def test_plot_notes_escape_the_students_text(runner, tmp_path, workspace):
    pytest.importorskip("matplotlib", reason="the plot extra (matplotlib) is not installed")
    ws = workspace(ex12_descent="""
        def gradient_descent(grad_fn, w0, lr, steps):
            raise ValueError("no\\nwrote /etc/passwd\\x1b[2K")
        """)
    result = runner.invoke(cli, ["plot", "ex12_descent", "--workspace", str(ws), "--output",
                                 str(tmp_path / "p.png")])
    assert result.exit_code == 0
    assert "\x1b" not in result.stderr and "no\\nwrote /etc/passwd\\x1b[2K" in result.stderr
