"""Generated classes for the benchmark: correct, mistaken and hostile submissions mixed.

Of every ten students, six are correct copies of solutions/, three have one named mistake
and one is hostile (an infinite loop, an exit at import, a memory hog, a fork of sleepers,
a flood of output, a process that kills itself), in turn.
"""
import shutil
import textwrap
from pathlib import Path

SOLUTIONS = Path(__file__).resolve().parent.parent / "solutions"

MISTAKES = [
    ("ex01_forward", "@ np.asarray(w, dtype=np.float64) + b", "@ np.asarray(w, dtype=np.float64)"),
    ("ex06_relu", "return np.maximum(np.asarray(z, dtype=np.float64), 0.0)",
     "z = np.asarray(z, dtype=np.float64)\n    np.maximum(z, 0.0, out=z)\n    return z"),
    ("ex13_sigmoid_neuron", "delta = (f - y)", "delta = (y - f)"),
]

HOSTILE = [
    ("ex02_mse", "while True:\n    pass\n"),
    ("ex03_chain_rule", "import sys\nsys.exit(3)\n"),
    ("ex05_sigmoid", "x = bytearray(4 << 30)\n"),
    ("ex06_relu", """
        import os, signal
        for _ in range(8):
            if os.fork() == 0:
                signal.pause()
        """),
    ("ex07_network", """
        def dense(x, W, b, activation):
            while True:
                print("spam " * 100)
        def forward(x, layers):
            print("x" * 10_000_000)
        """),
    ("ex09_softmax", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n"),
]


def kind(i: int) -> str:
    return {6: "mistaken", 7: "mistaken", 8: "mistaken", 9: "hostile"}.get(i % 10, "correct")


def make(folder: Path, n: int) -> dict[str, str]:
    """Write n submissions into folder/s0000 …; return {student: kind}."""
    kinds = {}
    for i in range(n):
        student = f"s{i:04d}"
        ws = folder / student
        shutil.copytree(SOLUTIONS, ws)
        kinds[student] = kind(i)
        if kinds[student] == "mistaken":
            module, old, new = MISTAKES[(i // 10) % len(MISTAKES)]
            path = ws / f"{module}.py"
            text = path.read_text()
            assert old in text, (module, old)
            path.write_text(text.replace(old, new))
        elif kinds[student] == "hostile":
            module, source = HOSTILE[(i // 10) % len(HOSTILE)]
            (ws / f"{module}.py").write_text(textwrap.dedent(source))
    return kinds
