"""The declarations: one per exercise, matching solutions, stubs and both language catalogs."""
import ast
import tomllib
from importlib import resources

from mlgrade import catalog, i18n

from conftest import EXERCISES, SOLUTIONS


def keys(table: dict, prefix: str = "") -> set[str]:
    out = set()
    for k, v in table.items():
        out |= keys(v, f"{prefix}{k}.") if isinstance(v, dict) else {prefix + k}
    return out


def test_both_language_catalogs_have_the_same_keys():
    folder = resources.files("mlgrade") / "locale"
    en, zh = (keys(tomllib.loads((folder / f"{lang}.toml").read_text("utf-8")))
              for lang in ("en", "zh"))
    assert en == zh


def test_every_check_and_exercise_has_texts_in_both_languages():
    for ex in catalog.exercises():
        for lang in i18n.LANGUAGES:
            assert i18n.lookup(f"{ex.module}.title", lang)
            assert i18n.lookup(f"{ex.module}.task", lang)
            for c in ex.all_checks():
                assert i18n.lookup(f"{ex.module}.checks.{c.name}", lang), (c.id, lang)


def test_solutions_and_stubs_define_the_catalog_functions():
    for ex in catalog.exercises():
        for folder in (SOLUTIONS, EXERCISES):
            tree = ast.parse((folder / f"{ex.module}.py").read_text())
            defined = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
            assert set(ex.functions) <= defined, (folder.name, ex.module)


def test_check_ids_are_unique_and_dotted():
    ids = [c.id for ex in catalog.exercises() for c in ex.all_checks()]
    assert len(ids) == len(set(ids))
    assert all(i.count(".") == 2 for i in ids)
