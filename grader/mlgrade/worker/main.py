"""Worker process: import one exercise module of a workspace and serve calls.

Usage: python -I -S main.py CONFIG_JSON
    CONFIG_JSON: {"workspace", "module", "fds": [request_fd, reply_fd], "limits",
                  "site": [the grading environment's package directories]}

This is the only place student code runs.  It imports nothing from `mlgrade`;
what it sends back is plain data (see wire.py), checked again by the grader.
"""
import importlib.util
import json
import os
import sys
import traceback
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
CONFIG = json.loads(sys.argv[1])
sys.path.extend(CONFIG["site"])  # after the standard library; no .pth files (run with -S)
GRADER = "mlgrade"   # the grader's own package: never importable here


class NoGrader:
    """A meta-path finder refusing the grader's package, whatever lies on sys.path."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        if name.partition(".")[0] == GRADER:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, NoGrader)

import numpy as np  # noqa: E402
import wire  # noqa: E402

PIPES = {}   # "requests", "replies": the worker's two pipes, once open

def describe(exc: BaseException) -> str:
    """`TypeError: message`, safe against exceptions that break str()."""
    try:
        text = str(exc)
    except Exception:  # noqa: BLE001 - a student exception may break str()
        text = ""
    name = type(exc).__name__
    return f"{name}: {text[:300]}" if text else name


def student_frames(tb, workspace: str) -> str:
    """The traceback frames that lie in the workspace, most recent last."""
    frames = [f for f in traceback.extract_tb(tb) if f.filename.startswith(workspace)]
    return "".join(traceback.format_list(frames[-3:]))[-1500:]


def load(workspace: str, module: str):
    """Import the student's module; return (module, None) or (None, error dict)."""
    path = os.path.join(workspace, module + ".py")
    if not os.path.exists(path):
        return None, {"kind": "missing-module", "detail": f"{module}.py"}
    sys.path.insert(0, workspace)
    try:
        spec = importlib.util.spec_from_file_location(module, path)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[module] = mod
        spec.loader.exec_module(mod)
        return mod, None
    except SyntaxError as exc:
        return None, {"kind": "syntax", "line": exc.lineno or "?", "detail": exc.msg}
    except SystemExit as exc:
        return None, {"kind": "exit-import", "detail": repr(exc.code)}
    except MemoryError:
        return None, {"kind": "memory"}
    except ModuleNotFoundError as exc:
        return None, missing(exc, workspace)
    except BaseException as exc:  # noqa: BLE001 - report anything the import raised
        return None, {"kind": "import", "detail": describe(exc),
                      "traceback": student_frames(exc.__traceback__, workspace)}


def missing(exc: ModuleNotFoundError, workspace: str) -> dict:
    """An import that failed because the module is not there (or is the grader's)."""
    name = str(exc.name or "?")[:100]
    kind = "import-grader" if name.partition(".")[0] == GRADER else "import-missing"
    return {"kind": kind, "detail": name, "traceback": student_frames(exc.__traceback__, workspace)}


class Function:
    """A function that a check passes to the student's code: `f(x)`.

    Only a number stands for it here; calling it asks the grading process to
    evaluate the real function at `x` (see the grader's callbacks.py).
    """

    __slots__ = ("_number", "_call")

    def __init__(self, number: int, call: int):
        self._number, self._call = number, call

    def __call__(self, x):
        send(PIPES["replies"], {"callback": self._number, "call": self._call, "args": [x]})
        answer = wire.loads(PIPES["requests"].readline())
        if answer.get("callback") is not True:
            raise RuntimeError("the grader did not answer the function call")
        if answer.get("ok"):
            return answer.get("value")
        raise ValueError(answer.get("error"))

    def __repr__(self) -> str:
        return "<function>"


def resolve(value, call: int):
    """Replace `wire.Function` markers by callable stand-ins."""
    if isinstance(value, wire.Function):
        return Function(value.number, call)
    if isinstance(value, list):
        return [resolve(v, call) for v in value]
    if isinstance(value, tuple):
        return tuple(resolve(v, call) for v in value)
    return value


def call(mod, request: dict, workspace: str) -> dict:
    """Run one function call and describe its outcome as plain data."""
    func = getattr(mod, request["func"], None)
    if not callable(func):
        return {"ok": False, "kind": "missing-function", "detail": request["func"]}
    args = [resolve(a, request["id"]) for a in request["args"]]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value = func(*args)
        except NotImplementedError:
            return {"ok": False, "kind": "not-implemented"}
        except MemoryError:
            return {"ok": False, "kind": "memory"}
        except SystemExit as exc:
            return {"ok": False, "kind": "exit", "detail": repr(exc.code)}
        except ModuleNotFoundError as exc:
            return {"ok": False, **missing(exc, workspace)}
        except BaseException as exc:  # noqa: BLE001 - any student exception is data
            return {"ok": False, "kind": "exception", "detail": describe(exc),
                    "traceback": student_frames(exc.__traceback__, workspace)}
    reply = {"ok": True, "value": value,
             "warnings": [f"{w.category.__name__}: {w.message}"[:200] for w in caught[:5]]}
    if request.get("args_after"):
        reply["args_after"] = [None if callable(a) else a for a in args]
    return reply


def send(out, reply: dict) -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: BLE001 - the student may have replaced the stream
            pass
    try:
        line = wire.dumps(reply)
    except Exception as exc:  # noqa: BLE001 - an object that breaks encoding
        line = wire.dumps({"ok": False, "kind": "unsendable", "id": reply.get("id"),
                           "detail": describe(exc)})
    if len(line) > wire.MAX_BYTES:
        line = wire.dumps({"ok": False, "kind": "too-large", "id": reply.get("id"),
                           "detail": f"{len(line) >> 20} MB > {wire.MAX_BYTES >> 20} MB"})
    out.write(line)
    out.flush()


def limit(spec: dict) -> None:
    """Lower this process's limits before any student code runs; they cannot be raised again."""
    import resource
    import signal

    cpu = int(spec["timeout"]) + 1
    caps = {resource.RLIMIT_CPU: (cpu, cpu + 1),
            resource.RLIMIT_AS: (spec["memory_mb"] << 20,) * 2,
            resource.RLIMIT_NOFILE: (spec["open_files"],) * 2,
            resource.RLIMIT_FSIZE: (spec["file_mb"] << 20,) * 2,
            resource.RLIMIT_CORE: (0, 0)}
    if spec.get("nproc", True):      # else the worker's pids cgroup counts its processes
        caps[resource.RLIMIT_NPROC] = (spec["processes"],) * 2
    for which, value in caps.items():
        resource.setrlimit(which, value)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a too large file fails to write, no kill


def main() -> None:
    limit(CONFIG["limits"])
    workspace, module = os.path.abspath(CONFIG["workspace"]), CONFIG["module"]
    requests = PIPES["requests"] = os.fdopen(CONFIG["fds"][0], "rb")
    replies = PIPES["replies"] = os.fdopen(CONFIG["fds"][1], "wb")
    mod, error = load(workspace, module)
    send(replies, {"ready": error is None, "error": error})
    for line in requests:
        request = wire.loads(line)
        reply = call(mod, request, workspace) if mod else {"ok": False, **error}
        reply["id"] = request["id"]
        send(replies, reply)


if __name__ == "__main__":
    np.seterr(all="warn", under="ignore")  # numpy's default, restated: warnings are recorded
    main()
