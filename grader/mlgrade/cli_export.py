"""`mlgrade export`: package the exercises for a course platform."""
import click

from .i18n import t


@click.group("export", help=t("ci.help.export"))
def export():
    pass
