"""`mlgrade list`: exercises, functions and points, from the declarations, without pytest."""
import json
import subprocess
import sys

import pytest

from mlgrade import catalog, i18n
from mlgrade.cli import cli


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_list_gives_every_exercise_function_and_its_points(runner, lang):
    data = json.loads(runner.invoke(cli, ["list", "--format", "json", "--lang", lang]).stdout)
    assert [e["id"] for e in data["exercises"]] == list(catalog.MODULES)
    for entry, ex in zip(data["exercises"], catalog.exercises(), strict=True):
        assert entry["title"] == i18n.lookup(f"{ex.module}.title", lang)
        assert [f["name"] for f in entry["functions"]] == list(ex.functions)
        for f in entry["functions"]:
            checks = [c for c in ex.all_checks() if c.function == f["name"]]
            assert f["points"] == sum(c.points for c in checks) and f["checks"] == len(checks)
            assert f["signature"].startswith(f["name"] + "(")
        assert entry["points"] == sum(c.points for c in ex.all_checks())
    assert data["points"] == sum(e["points"] for e in data["exercises"])
    text = runner.invoke(cli, ["list", "--lang", lang]).stdout
    assert "numerical_gradient(f, x, eps=1e-5)" in text
    assert f"{len(catalog.MODULES)}" in text.splitlines()[-1]


def test_list_does_not_import_pytest():
    code = ("import sys\nfrom mlgrade.cli import cli\n"
            "try:\n    cli.main(['list', '--format', 'json'], standalone_mode=False)\n"
            "finally:\n"
            "    print('PYTEST' if 'pytest' in sys.modules else 'CHEAP', file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0 and proc.stderr.strip() == "CHEAP", proc.stderr
    assert json.loads(proc.stdout)["exercises"]
