"""Starting, limiting and stopping worker processes."""
import json
import os
import signal
import subprocess
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Limits:
    """Per-exercise limits of a worker.

    Attributes:
        timeout: wall-clock seconds for all calls of one exercise together.
        memory_mb: address-space cap of the worker process.
        open_files: most file descriptors the worker may hold.
    """

    timeout: float = 10.0
    memory_mb: int = 1024
    open_files: int = 64


def worker_env() -> dict:
    """A small environment: no PYTHONPATH, one BLAS thread."""
    env = {k: os.environ[k] for k in ("PATH", "LANG", "LC_ALL", "HOME") if k in os.environ}
    env.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1",
               PYTHONDONTWRITEBYTECODE="1", PYTHONHASHSEED="0")
    return env


def spawn(argv: list[str], limits: Limits, workspace: str, scratch: str,
          pass_fds: tuple, stdout: int) -> subprocess.Popen:
    """Start the worker in its own process group; it applies `limits` to itself."""
    argv = argv + [json.dumps(asdict(limits))]
    return subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=stdout,
                            stderr=subprocess.STDOUT, cwd=scratch, env=worker_env(),
                            pass_fds=pass_fds, start_new_session=True)


def kill(proc: subprocess.Popen) -> None:
    """Kill the worker's whole process group and reap it."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass


def explain_exit(code: int) -> str:
    """A worker's exit status in the student's terms."""
    if code < 0:
        sig = signal.Signals(-code)
        reasons = {signal.SIGKILL: "was killed (time or memory limit)",
                   signal.SIGXCPU: "ran out of CPU time",
                   signal.SIGSEGV: "crashed (segmentation fault)",
                   signal.SIGABRT: "aborted"}
        return f"the process {reasons.get(sig, f'was stopped by {sig.name}')}"
    return f"the process exited with code {code} (sys.exit or os._exit in your code?)"
