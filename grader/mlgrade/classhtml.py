"""The class summary as one self-contained HTML page, its plots embedded as base64 PNG."""
import base64
import html
import io
import logging

from . import i18n
from .classreport import all_passed_line, headline, pct, bin_label
from .i18n import t

HARDEST = 15      # checks drawn in the "hardest checks" plot (the table lists them all)
STYLE = """body{font-family:"Noto Sans CJK SC","WenQuanYi Zen Hei","WenQuanYi Micro Hei",
sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.2em .6em;
text-align:left}td.n{text-align:right}img{max-width:100%}.bad{color:#b00}"""


class NoMatplotlib(Exception):
    """matplotlib is needed for the HTML format."""


def render_html(summary: dict) -> tuple[str, list[str]]:
    """(the page, notes for the user such as a missing Chinese font)."""
    try:
        import matplotlib
    except ImportError:
        raise NoMatplotlib(t("cli.no_matplotlib")) from None
    matplotlib.use("Agg")
    notes = _use_font()
    e = html.escape
    parts = [f"<!DOCTYPE html>\n<html lang=\"{i18n.current()}\"><head><meta charset=\"utf-8\">",
             f"<title>{e(t('ci.class.title'))}</title><style>{STYLE}</style></head><body>",
             f"<h1>{e(t('ci.class.title'))}</h1>", f"<p>{e(headline(summary))}</p>"]
    if summary["students"]:
        parts += _section(t("ci.class.distribution"), _histogram(summary),
                          _table([t("ci.class.student"), t("ci.class.score"), "%"],
                                 [[r["student"], f"{r['score']:g}/{r['max_score']:g}",
                                   pct(r["percent"])] for r in summary["scores"]]))
        parts += _section(t("ci.class.exercises"), _exercises_plot(summary),
                          _table([t("ci.class.exercise"), t("ci.class.mean"), t("ci.class.n")],
                                 [[f"{x['id']} {x['title']}", pct(x["mean_percent"]),
                                   x["students"]] for x in summary["exercises"]]))
        hard = [c for c in summary["checks"] if c["pass_rate"] < 1]
        parts += _section(t("ci.class.checks"), _checks_plot(summary),
                          _table([t("ci.class.check"), t("ci.class.pass_rate"),
                                  t("ci.class.passed")],
                                 [[f"{c['exercise']}: {c['name']}", pct(100 * c["pass_rate"]),
                                   f"{c['passed']}/{c['students']}"] for c in hard]),
                          f"<p>{html.escape(all_passed_line(summary))}</p>" if len(hard) < len(
                              summary["checks"]) else "")
    mistakes = summary["mistakes"]
    parts += _section(t("ci.class.mistakes"), _mistakes_plot(summary) if mistakes else "",
                      _table([t("ci.class.mistake"), t("ci.class.students"),
                              t("ci.class.failing_checks"), t("ci.class.explanation")],
                             [[m["id"], m["students"], m["checks"], m["message"]]
                              for m in mistakes]) if mistakes else f"<p>{t('ci.class.none')}</p>")
    failed = summary["failed"]
    parts += _section(t("ci.class.failed"), _table(
        [t("ci.class.student"), t("ci.class.file"), t("ci.class.reason")],
        [[f["student"], f["file"], f["reason"]] for f in failed]) if failed
        else f"<p>{e(t('ci.class.none'))}</p>")
    parts.append("</body></html>")
    return "\n".join(parts), notes


def _use_font() -> list[str]:
    """Chinese labels need a CJK font; without one the plots fall back to English labels."""
    import matplotlib.pyplot as plt

    from .plot import cjk_font

    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    font = cjk_font() if i18n.current() == "zh" else None
    plt.rcParams["font.family"] = [font or "DejaVu Sans", "DejaVu Sans"]
    if i18n.current() == "zh" and font is None:
        return [t("cli.no_cjk_font")]
    return []


def _section(title: str, *body: str) -> list[str]:
    return [f"<h2>{html.escape(title)}</h2>", *body]


def _table(head: list[str], rows: list[list]) -> str:
    e = html.escape
    out = ["<table><tr>" + "".join(f"<th>{e(h)}</th>" for h in head) + "</tr>"]
    for row in rows:
        cells = "".join(f"<td class=\"n\">{v}</td>" if isinstance(v, int)
                        else f"<td>{e(str(v))}</td>" for v in row)
        out.append(f"<tr>{cells}</tr>")
    return "\n".join(out) + "</table>"


def _png(fig) -> str:
    """The figure as an <img> holding its PNG in base64."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f"<p><img alt=\"\" src=\"data:image/png;base64,{data}\"></p>"


def _histogram(summary: dict) -> str:
    import matplotlib.pyplot as plt

    h = summary["histogram"]
    fig, ax = plt.subplots(figsize=(7, 3))
    ax.bar([bin_label(h, i) for i in range(len(h["counts"]))], h["counts"], color="C0")
    ax.set_xlabel(t("ci.class.score_percent"))
    ax.set_ylabel(t("ci.class.students"))
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.tick_params(axis="x", labelsize="small")
    return _png(fig)


def _barh(labels: list[str], values: list[float], xlabel: str, xmax: float | None = None):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 0.8 + 0.3 * len(labels)))
    ax.barh(labels[::-1], values[::-1], color="C1")
    ax.set_xlabel(xlabel)
    if xmax is not None:
        ax.set_xlim(0, xmax)
    else:
        ax.xaxis.get_major_locator().set_params(integer=True)    # counts of students
    ax.tick_params(axis="y", labelsize="small")
    return _png(fig)


def _exercises_plot(summary: dict) -> str:
    rows = summary["exercises"]
    return _barh([x["id"] for x in rows], [x["mean_percent"] or 0 for x in rows],
                 t("ci.class.mean"), 100)


def _checks_plot(summary: dict) -> str:
    rows = summary["checks"][:HARDEST]
    return _barh([_short(f"{c['exercise']}: {c['name']}") for c in rows],
                 [100 * c["pass_rate"] for c in rows], t("ci.class.pass_rate"), 100)


def _mistakes_plot(summary: dict) -> str:
    rows = summary["mistakes"]
    return _barh([m["id"] for m in rows], [m["students"] for m in rows], t("ci.class.students"))


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"
