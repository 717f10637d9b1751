"""User-facing texts, one TOML catalog per language.

A language's catalog is `locale/<lang>.toml` merged with every `locale/<part>.<lang>.toml`
(one file per feature, e.g. `quiz.zh.toml`); two files may not define the same key.
"""
import functools
import locale
import os
import tomllib
from importlib import resources

LANGUAGES = ("en", "zh")
_current = ["en"]


@functools.cache
def catalog(lang: str) -> dict:
    """The parsed catalog of one language."""
    folder = resources.files("mlgrade").joinpath("locale")
    parts = sorted(p.name for p in folder.iterdir() if p.name.endswith(f".{lang}.toml"))
    merged: dict = {}
    for name in [f"{lang}.toml", *parts]:
        _merge(merged, tomllib.loads(folder.joinpath(name).read_text("utf-8")), name)
    return merged


def _merge(into: dict, new: dict, source: str) -> None:
    """Add the tables of `new` into `into`; a key defined twice is an error of ours."""
    for key, value in new.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value, source)
        elif key in into:
            raise KeyError(f"{source}: {key} is defined twice")
        else:
            into[key] = value


def detect() -> str:
    """MLGRADE_LANG if set, else the locale: "zh" for a Chinese locale, else "en"."""
    lang = os.environ.get("MLGRADE_LANG", "").lower()
    if lang in LANGUAGES:
        return lang
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if os.environ.get(var):
            return "zh" if os.environ[var].lower().startswith("zh") else "en"
    return "zh" if (locale.getlocale()[0] or "").lower().startswith("zh") else "en"


def use(lang: str) -> None:
    """Make `lang` the language of every following `t` call."""
    _current[0] = lang


def current() -> str:
    return _current[0]


def lookup(key: str, lang: str | None = None):
    """The raw entry at dotted `key` (a string, list or table); KeyError if absent."""
    node = catalog(lang or _current[0])
    for part in key.split("."):
        node = node[part]
    return node


def t(key: str, **params) -> str:
    """The text at `key` in the current language, formatted with `params`."""
    try:
        text = lookup(key)
    except KeyError:
        text = lookup(key, "en")
    return text.format(**params) if params else text
