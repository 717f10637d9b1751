"""Writing a report: to stdout, or atomically to a file with the umask's permissions.

Nothing here trusts the text to be encodable: a lone surrogate or a character the
terminal's encoding lacks is written as a backslash escape, never an exception.
"""
import os
import sys
import tempfile

import click


class OutputError(OSError):
    """The report cannot be (or could not be) written; `reason` says why in one line."""


def reason(exc: Exception) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def ensure_writable(path: str) -> None:
    """Fail now, before any grading, if a report could not be written to `path`."""
    if os.path.isdir(path):
        raise OutputError(os.strerror(21))   # EISDIR: "Is a directory"
    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".mlgrade-")
    except (OSError, ValueError) as exc:
        raise OutputError(reason(exc)) from None
    os.close(fd)
    os.unlink(probe)


def umask_mode() -> int:
    """The mode a new file gets from open(): 0o666 less the process's umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_file(path: str, text: str) -> None:
    """Write `text` (colours removed) to `path` atomically; no temporary file is left."""
    data = (click.unstyle(text) + "\n").encode("utf-8", "backslashreplace")
    folder = os.path.dirname(os.path.abspath(path))
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".mlgrade-")
        with os.fdopen(fd, "wb") as f:
            os.fchmod(f.fileno(), umask_mode())
            f.write(data)
        os.replace(tmp, path)
        tmp = None
    except (OSError, ValueError) as exc:
        raise OutputError(reason(exc)) from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def write_stdout(text: str) -> None:
    """Echo `text` in the stream's encoding, escaping what it cannot encode."""
    stream = sys.stdout
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        click.echo(text.encode(encoding, "backslashreplace").decode(encoding, "replace"))
    except OSError as exc:
        raise OutputError(reason(exc)) from None
