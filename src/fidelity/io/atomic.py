"""Writing results without losing what the user had.

Output files appear whole or not at all (a temporary file in the same folder, then an atomic
rename), so a crash mid-write never leaves half a report. Before anything is written the
target is checked, because a careless `-o` is the easiest way to destroy work:

* `-` (or no path) means standard output;
* a path that is one of the run's inputs (the same file by device and inode, or the same
  resolved path) is refused: `check orig.txt v.txt -o v.txt` would replace the version;
* a folder, a device, a FIFO or a socket is refused (as root, `-o /dev/null` would otherwise
  replace the device node with a regular file); so is anything under /dev or /proc;
* a symbolic link is written *through*: its target is replaced atomically and the link stays;
* an existing file keeps its permission bits (and, where allowed, its owner); a new file gets
  the permissions the umask gives, as any other program's output would;
* an existing file with no write permission (0444) is refused rather than replaced.

Refusals raise `FidelityInputError` (one line naming the path and the reason, exit 2); a
failure of the write itself stays an `OSError` for the caller to report.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from fidelity.errors import FidelityInputError

STDOUT = "-"
_SYSTEM_ROOTS = ("/dev", "/proc", "/sys")
_SYSTEM_TREES = tuple(root + "/" for root in _SYSTEM_ROOTS)

OutputPath = str | os.PathLike[str]


def is_stdout(path: OutputPath | None) -> bool:
    """Whether an output option means standard output (`-` or not given)."""
    return path is None or os.fspath(path) == STDOUT


def prepare_output(path: OutputPath | None, inputs: Iterable[object] = ()) -> Path | None:
    """Check an output path before any work is done; None means standard output.

    `inputs` are the run's inputs (files, `-`, URLs, None, documents: anything that is not a
    path is ignored). Returns the path to hand to `write_text_atomic`/`write_bytes_atomic`;
    raises FidelityInputError when writing there would destroy something.
    """
    if is_stdout(path):
        return None
    assert path is not None
    target = Path(path)
    name = os.fspath(path)
    real = Path(os.path.realpath(target))
    _refuse_unsafe_target(real, name)
    target_id = _identity(real)
    for source in inputs:
        if not isinstance(source, str | os.PathLike) or is_stdout(source):
            continue
        source_name = os.fspath(source)
        if source_name.startswith(("http://", "https://")):
            continue
        source_real = Path(os.path.realpath(source_name))
        same_file = target_id is not None and _identity(source_real) == target_id
        if same_file or source_real == real:
            raise FidelityInputError(
                f"is also an input of this run ({source_name}); refusing to overwrite it "
                "with the output: choose another output path",
                name,
            )
    return target


def write_bytes_atomic(path: OutputPath, data: bytes) -> None:
    """Replace the file at `path` (through a symlink) with `data`, all or nothing."""
    name = os.fspath(path)
    real = Path(os.path.realpath(path))
    existing = _refuse_unsafe_target(real, name)
    real.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=real.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if existing is not None:
                os.fchmod(handle.fileno(), stat.S_IMODE(existing.st_mode))
                _keep_owner(handle.fileno(), existing)
            else:
                os.fchmod(handle.fileno(), 0o666 & ~_umask())
            os.fsync(handle.fileno())
        os.replace(tmp, real)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text_atomic(path: OutputPath, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def _refuse_unsafe_target(real: Path, name: str) -> os.stat_result | None:
    """The stat of the existing regular file at `real` (None if there is none yet), or a
    FidelityInputError when it is not something an output may replace."""
    given = os.path.abspath(name)
    if any(str(p).startswith(_SYSTEM_TREES) or str(p) in _SYSTEM_ROOTS for p in (given, real)):
        raise FidelityInputError(
            "is a system device or file, not an output file (use `-o -` for standard output)",
            name,
        )
    try:
        info = real.stat()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise FidelityInputError(f"cannot be written ({error.strerror})", name) from None
    if stat.S_ISDIR(info.st_mode):
        raise FidelityInputError("is a folder, not an output file", name)
    if not stat.S_ISREG(info.st_mode):
        raise FidelityInputError(
            "is a device, FIFO or socket, not a regular file; refusing to replace it "
            "(use `-o -` for standard output)",
            name,
        )
    if not info.st_mode & 0o222 or not os.access(real, os.W_OK):
        raise FidelityInputError(
            "is read-only; refusing to overwrite it (make it writable or choose another path)",
            name,
        )
    return info


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _keep_owner(fd: int, existing: os.stat_result) -> None:
    """As root, replacing another user's file must not hand it to root."""
    if (existing.st_uid, existing.st_gid) == (os.geteuid(), os.getegid()):
        return
    # An ordinary user cannot give files away; the mode is kept all the same.
    with contextlib.suppress(OSError):
        os.fchown(fd, existing.st_uid, existing.st_gid)


def _umask() -> int:
    """The process umask (read by setting and restoring it: there is no getter)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
