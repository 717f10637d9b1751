"""`mlgrade list`: the exercises, their functions and points (see listing.py)."""
import click

from .cli import emit, format_option, lang_option
from .i18n import t


@click.command("list", help=t("feedback.help_list"))
@format_option
@lang_option
def list_cmd(fmt):
    from . import listing

    table = listing.rows()
    if fmt == "json":
        from .report import dumps

        emit(dumps({"exercises": table, "points": sum(r["points"] for r in table)}))
    else:
        emit(listing.render_text(table))
