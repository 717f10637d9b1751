"""Every stub function says, in English and in Chinese, the type and shape of each argument
and of its result (the input contract of ../shared/exercise-catalog.md)."""
import ast
import re

import pytest

from mlgrade import catalog

from conftest import EXERCISES

TYPES = {
    "en": re.compile(r"float64 array|int array|Python float|Python int|function|list of|a str"
                     r"|of the same type and shape as"),
    "zh": re.compile(r"float64 数组|整数（int）|浮点数（float）|函数（function）|列表（list）"
                     r"|字符串（str）|类型和形状与"),
}
SECTIONS = {"en": ("Args:", "Returns:"), "zh": ("参数:", "返回:")}
CJK = re.compile(r"[\u4e00-\u9fff]")


def halves(doc: str) -> dict[str, str]:
    """The English part (up to the paragraph after "Returns:") and the Chinese part."""
    lines = doc.splitlines()
    returns = lines.index("Returns:")
    first = next(i for i in range(returns, len(lines)) if not lines[i].strip()) + 1
    return {"en": "\n".join(lines[:first]), "zh": "\n".join(lines[first:])}


def entries(text: str, start: str, end: str) -> dict[str, str]:
    """{argument: its description} of the section between `start` and `end`."""
    section = text.split(start, 1)[1].split(end, 1)[0]
    out, current = {}, None
    for line in section.splitlines():
        match = re.match(r"\s{4}(\w+): (.*)", line)
        if match:
            current = match[1]
            out[current] = match[2]
        elif current and line.strip():
            out[current] += " " + line.strip()
    return out


def functions():
    for m in catalog.MODULES:
        tree = ast.parse((EXERCISES / f"{m}.py").read_text("utf-8"))
        defs = {f.name: f for f in tree.body if isinstance(f, ast.FunctionDef)}
        for name in catalog.get(m).functions:
            yield m, defs[name]


@pytest.mark.parametrize("module, fn", list(functions()), ids=lambda v: getattr(v, "name", v))
def test_stub_docstrings_give_every_type_and_shape_in_both_languages(module, fn):
    doc = ast.get_docstring(fn)
    assert doc, (module, fn.name)
    args = [a.arg for a in fn.args.args]
    for lang, text in halves(doc).items():
        start, end = SECTIONS[lang]
        assert start in text and end in text, (module, fn.name, lang)
        described = entries(text, start, end)
        assert list(described) == args, (module, fn.name, lang)
        for arg, description in described.items():
            assert TYPES[lang].search(description), (module, fn.name, lang, arg, description)
        result = text.split(end, 1)[1].strip()
        assert result, (module, fn.name, lang)
        if lang == "zh":
            assert CJK.search(result)


def test_array_arguments_are_said_to_be_float64():
    text = "\n".join((EXERCISES / f"{m}.py").read_text("utf-8") for m in catalog.MODULES)
    assert text.count("float64 array") >= 30 and text.count("float64 数组") >= 30
    assert "int array of shape (n,)" in text and "整数（int）数组" in text
