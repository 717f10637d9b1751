"""The numbers the source documents print, what the checks expect, and the errata."""
import numpy as np

from . import catalog
from .i18n import t
from .numeric import fmt


def rows() -> list[dict]:
    """One row per check that uses a number printed in a document, by document."""
    out = []
    for ex in catalog.exercises():
        for c in ex.all_checks():
            if c.doc is None:
                continue
            reason = c.doc.erratum or c.doc.remark
            out.append({"document": c.doc.source, "check": c.id,
                        "name": c.title(), "inputs": c.doc.inputs,
                        "printed": show(c.doc.printed), "correct": show(c.doc.correct),
                        "erratum": c.doc.erratum is not None,
                        "reason": t(f"errata.{reason}", **c.params) if reason else None})
    return sorted(out, key=lambda r: r["document"])


def show(value) -> str:
    return value if isinstance(value, str) else fmt(np.asarray(value) if np.ndim(value) else value)


def render_text(table: list[dict]) -> str:
    """The errata as readable text: errata first marked, reasons below their row."""
    lines = [t("errata.title"), ""]
    for r in table:
        mark = f"[{t('errata.wrong')}] " if r["erratum"] else ""
        lines.append(f"{t('errata.document')} {r['document']}  {mark}{r['name']}")
        lines.append(f"    {t('errata.inputs')}: {r['inputs']}")
        lines.append(f"    {t('errata.printed')}: {r['printed']}    {t('errata.correct')}: "
                     f"{r['correct']}")
        if r["reason"]:
            lines.append(f"    {t('errata.reason')}: {r['reason']}")
    return "\n".join(lines)
