"""`mlgrade export`: the group of the exporters (nbgrader, …), each in its own module."""
import click

from . import i18n
from .i18n import t

i18n.use(i18n.detect())


@click.group("export", context_settings={"help_option_names": ["-h", "--help"]},
             help=t("export.help"))
def export():
    pass
