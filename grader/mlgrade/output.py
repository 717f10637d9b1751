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


def write_atomic(path: str, text: str) -> None:
    """Write `text` to `path` so that a reader sees the old file or the new one, never half.

    The file gets the umask's permissions (as open() gives, not mkstemp's 0600); a lone
    surrogate (a non-UTF-8 file name, say) is written as its escape, \\udcff; no
    temporary file is left, whatever happens.
    """
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".mlgrade-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
            os.fchmod(f.fileno(), umask_mode())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_file(path: str, text: str) -> None:
    """Write a report (colours removed) to `path` atomically; OutputError says why not."""
    try:
        write_atomic(path, click.unstyle(text) + "\n")
    except (OSError, ValueError) as exc:
        raise OutputError(reason(exc)) from None


def write_stdout(text: str) -> None:
    """Echo `text` in the stream's encoding, escaping what it cannot encode."""
    stream = sys.stdout
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        click.echo(text.encode(encoding, "backslashreplace").decode(encoding, "replace"))
    except OSError as exc:
        raise OutputError(reason(exc)) from None
