"""The README's tables and sample report are generated from the declaration and a real run.

`python tests/test_readme.py` rewrites the generated blocks of README.md (between
`<!-- generated: NAME -->` and `<!-- /generated: NAME -->`); the tests fail while the
README differs from what the declaration and the grader give today.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from mlgrade import catalog, errata
from mlgrade.listing import rows

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BLOCK = re.compile(r"(<!-- generated: (\S+) -->\n)(.*?)(<!-- /generated: \2 -->)", re.S)

# The student's module of the sample report, and the command that grades it.
SAMPLE_MODULE = "ex05_sigmoid"
SAMPLE_CODE = '''import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_grad(z):
    raise NotImplementedError()
'''
SAMPLE_COMMAND = ["mlgrade", "check", "my-work", "-e", SAMPLE_MODULE, "--seed", "4"]


def exercises_table() -> str:
    lines = ["| module | functions | points | documents |", "|---|---|---|---|"]
    for r in rows():
        functions = ", ".join(f"`{f['signature']}`" for f in r["functions"])
        lines.append(f"| {r['id']} | {functions} | {r['points']:g} | "
                     f"{', '.join(r['documents']) or '—'} |")
    return "\n".join(lines)


def errata_table() -> str:
    table = errata.rows()
    wrong = [r for r in table if r["erratum"]]
    lines = [f"`mlgrade errata` lists all {len(table)} numbers the documents print that the "
             f"checks use. {len(wrong)} are wrong; the checks expect the correct value, and a "
             "student who reproduces the document's value is told why:", "",
             "| document | check | document says | correct | why |", "|---|---|---|---|---|"]
    for r in wrong:
        lines.append(f"| {r['document']} | `{r['check']}` | {r['printed']} | {r['correct']} "
                     f"| {r['reason']} |")
    remarks = [r for r in table if r["reason"] and not r["erratum"]]
    lines += [""] + [f"Document {r['document']}, `{r['check']}`: {r['reason']}" for r in remarks]
    return "\n".join(lines).replace("\n\n\n", "\n\n").rstrip()


def sample_report() -> str:
    """The real report of the sample workspace: the solutions with the sample module."""
    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp, "my-work")
        shutil.copytree(ROOT / "solutions", ws)
        (ws / f"{SAMPLE_MODULE}.py").write_text(SAMPLE_CODE)
        exe = os.path.join(os.path.dirname(sys.executable), "mlgrade")
        proc = subprocess.run([exe, *SAMPLE_COMMAND[1:]], cwd=tmp, capture_output=True,
                              text=True, timeout=120, env={**os.environ, "MLGRADE_LANG": "en"})
    assert proc.returncode == 1 and proc.stderr == "", proc.stderr
    return (f"```python\n# my-work/{SAMPLE_MODULE}.py\n{SAMPLE_CODE}```\n\n"
            f"```\n$ {' '.join(SAMPLE_COMMAND)}\n{proc.stdout.rstrip()}\n```")


GENERATORS = {"exercises": exercises_table, "errata": errata_table, "sample": sample_report}


def blocks(text: str) -> dict[str, str]:
    return {m[2]: m[3].rstrip("\n") for m in BLOCK.finditer(text)}


def test_readme_tables_agree_with_the_declaration():
    found = blocks(README.read_text("utf-8"))
    assert found["exercises"] == exercises_table(), "run: python tests/test_readme.py"
    assert found["errata"] == errata_table(), "run: python tests/test_readme.py"
    for m in catalog.MODULES:
        assert f"| {m} |" in found["exercises"]


def test_readme_sample_report_is_real_output():
    found = blocks(README.read_text("utf-8"))
    assert found["sample"] == sample_report(), "run: python tests/test_readme.py"


def write() -> None:
    text = README.read_text("utf-8")
    text = BLOCK.sub(lambda m: f"{m[1]}{GENERATORS[m[2]]()}\n{m[4]}", text)
    README.write_text(text, "utf-8")


if __name__ == "__main__":
    write()
