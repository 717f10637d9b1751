"""User-facing texts, one TOML catalog per language (locale/en.toml, locale/zh.toml)."""
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
    text = resources.files("mlgrade").joinpath(f"locale/{lang}.toml").read_text("utf-8")
    return tomllib.loads(text)


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
