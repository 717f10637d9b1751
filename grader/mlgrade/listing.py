"""The exercises, their functions, points and documents, from the declarations alone.

Cheap on purpose (for `mlgrade list`): it imports the catalog (numpy), never pytest.
"""
import ast
import re

from .i18n import t


def signatures() -> dict[str, dict[str, str]]:
    """{module: {function: "name(arg, …)"}} from the packaged stubs."""
    from . import stubs

    out = {}
    for name, text in stubs.packaged().items():
        lines = text.splitlines()
        out[name[:-3]] = {f.name: re.match(r"def (.+\)):", lines[f.lineno - 1].strip())[1]
                          for f in ast.parse(text).body if isinstance(f, ast.FunctionDef)}
    return out


def documents(exercise) -> list[str]:
    """The source documents whose numbers an exercise's fixed checks use."""
    return sorted({c.source for c in exercise.cases if c.source}
                  | {c.doc.source for c in exercise.checks if c.doc})


def rows() -> list[dict]:
    """One entry per exercise: id, title, points, documents and its functions."""
    from . import catalog

    sigs = signatures()
    out = []
    for ex in catalog.exercises():
        checks = ex.all_checks()
        functions = [{"name": f, "signature": sigs.get(ex.module, {}).get(f, f"{f}()"),
                      "checks": sum(c.function == f for c in checks),
                      "points": sum(c.points for c in checks if c.function == f)}
                     for f in ex.functions]
        out.append({"id": ex.module, "title": t(f"{ex.module}.title"),
                    "points": sum(c.points for c in checks), "documents": documents(ex),
                    "functions": functions})
    return out


def render_text(table: list[dict]) -> str:
    width = max(len(f["signature"]) for r in table for f in r["functions"])
    lines = []
    for r in table:
        points = t("feedback.list_points", points=f"{r['points']:g}")
        lines.append(f"{r['id']:<20} {points:>10}  {r['title']}")
        for f in r["functions"]:
            lines.append(f"    {f['signature']:<{width}}  "
                         + t("feedback.list_points", points=f"{f['points']:g}"))
    total = sum(r["points"] for r in table)
    lines += ["", t("feedback.list_header", n=len(table), points=f"{total:g}")]
    return "\n".join(lines)
