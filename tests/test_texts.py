"""Every number a text shows comes from the one declaration (catalog + solutions).

Check names and errata are templates whose numbers are placeholders filled from the Case,
the Doc or the check's params; task texts (read raw by the stubs and notebooks) may only
show numbers that the declaration holds.
"""
import re

import numpy as np
import pytest

from mlgrade import catalog, i18n
from mlgrade.spec import as_inputs, show

DECIMAL = re.compile(r"[−-]?\d+\.\d+")


def numbers(value) -> list[float]:
    """Every number inside a declared value (arrays, tuples, lists, layers)."""
    if isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
        return [float(value)]
    if isinstance(value, np.ndarray):
        return [float(v) for v in value.ravel()] if value.dtype.kind in "iuf" else []
    if isinstance(value, (list, tuple)):
        return [n for v in value for n in numbers(v)]
    if isinstance(value, dict):
        return [n for v in value.values() for n in numbers(v)]
    return []


def declared(ex) -> list[float]:
    out = [n for c in ex.cases
           for part in (as_inputs(c.args), c.expected, c.printed, c.params) for n in numbers(part)]
    for check in ex.checks:
        out += numbers([check.doc.printed, check.doc.correct] if check.doc else [])
        out += [float(v.replace("−", "-")) for v in check.params.values()
                if re.fullmatch(r"[−-]?\d+(\.\d+)?(e\d+)?", v)]
    return out


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_check_names_and_errata_take_their_numbers_from_the_declaration(lang):
    for ex in catalog.exercises():
        for check in ex.all_checks():
            raw = i18n.lookup(f"{ex.module}.checks.{check.name}", lang)
            assert not DECIMAL.search(raw), (check.id, raw)
            i18n.use(lang)
            try:
                title = check.title()
            finally:
                i18n.use("en")
            assert "{" not in title, title
            if "{expected}" in raw:
                assert check.params["expected"] in title
    for key, raw in i18n.lookup("errata", lang).items():
        assert not DECIMAL.search(raw), (key, raw)


def test_a_changed_declaration_changes_the_check_name():
    check = next(c for c in catalog.get("ex05_sigmoid").all_checks()
                 if c.name == "doc003_sigma_of_3")
    assert show(0.9525741268224334) in check.title() and "0.952574" in check.title()


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_task_texts_show_only_declared_numbers(lang):
    for ex in catalog.exercises():
        values = declared(ex)
        for text in DECIMAL.findall(i18n.lookup(f"{ex.module}.task", lang)):
            shown = float(text.replace("−", "-"))
            digits = len(text.split(".")[1])
            # (a number after " − " in a sum shows without its sign)
            assert any(abs(round(v, digits)) == abs(shown) for v in values), (ex.module, text)
