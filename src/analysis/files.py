"""Writing files safely: atomic writes, content hashes and spreadsheet-safe CSV.

Atomic: write to a temporary file in the same folder, then rename over the target; a crash or error part-way
leaves either the old file or the new one, never half a file.

Temporaries are named for the process that made them: ``~confessions-<pid>-<start>-`` in the name, where
``<start>`` is the process's start time in clock ticks since boot (``/proc/<pid>/stat``, so a reused pid is
not mistaken for the maker). The start-up sweep (:mod:`analysis.pipeline.sweep`) removes only such names, and
only when their maker is no longer running.

CSV for spreadsheet users: a text cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a
leading apostrophe (OWASP's advice against CSV injection). Numbers are never touched, so ``-3`` stays a number.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def default_mode() -> int:
    """The mode a plain ``open(…, "w")`` would give a new file: 0666 less the process umask (e.g. 0644)."""
    return 0o666 & ~_umask()


TEMP_MARK = "~confessions-"
_OWNED = re.compile(r"^\..*~confessions-(\d+)-(\d+)-[a-z0-9_]{8}(?:\.tmp)?$")


def start_ticks(pid: int) -> int | None:
    """When process ``pid`` started, in clock ticks since boot (field 22 of ``/proc/<pid>/stat``); None when no
    such process is running (a zombie counts as gone) or ``/proc`` is not there."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()  # the command name, in brackets, may hold spaces
    return None if fields[0] in ("Z", "X") else int(fields[19])


def owner_tag(_tags: dict[int, str] = {}) -> str:  # noqa: B006 - memo per pid (a forked worker has its own)
    """``~confessions-<pid>-<start>-``: the part of a temporary's name that names this process."""
    pid = os.getpid()
    if pid not in _tags:
        _tags[pid] = f"{TEMP_MARK}{pid}-{start_ticks(pid) or 0}-"
    return _tags[pid]


def temp_owner(name: str) -> tuple[int, int] | None:
    """(pid, start ticks) of the process that made the temporary named ``name``; None for any other name."""
    found = _OWNED.match(name)
    return (int(found[1]), int(found[2])) if found else None


def owner_running(pid: int, start: int) -> bool:
    """Whether the process that made a temporary (``temp_owner``) is still running: the same pid with the same
    start time (without ``/proc``: any process with that pid)."""
    if Path("/proc/self/stat").exists():
        return start_ticks(pid) == start
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def temp_dir(prefix: str, parent: Path) -> Path:
    """A new folder ``<prefix>~confessions-<pid>-<start>-<random>`` in ``parent`` with the mode a plain ``mkdir``
    would give (``mkdtemp`` makes it 0700, so files renamed out of it into a served folder stay readable but the
    folder itself, once renamed into place, would not be)."""
    path = Path(tempfile.mkdtemp(prefix=f"{prefix}{owner_tag()}", dir=parent))
    os.chmod(path, 0o777 & ~_umask())
    return path


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target`` (``.<name>.~confessions-<pid>-<start>-<random>.tmp``); on
    success rename it onto ``target`` with the mode a plainly written file would have (``mkstemp`` makes it 0600:
    a report served from a shared folder would be refused), on error delete it."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{owner_tag()}", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        if tmp_path.exists():
            os.chmod(tmp_path, default_mode())
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_bytes(target: Path, data: bytes) -> None:
    """Atomically write ``data`` to ``target``."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def write_text(target: Path, text: str) -> None:
    """Atomically write UTF-8 ``text`` to ``target``."""
    write_bytes(target, text.encode("utf-8"))


def write_with(target: Path, writer: Callable[[Path], None]) -> None:
    """Atomically write ``target`` by calling ``writer(tmp_path)``."""
    with atomic_path(target) as tmp:
        writer(tmp)

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Prefix a text value that starts like a formula with ``'``; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text columns are neutralised."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise, na_action="ignore")
    return out


def to_safe_csv(frame: pd.DataFrame, path: Path, **kwargs) -> None:  # noqa: ANN003
    """Write ``frame`` as UTF-8 CSV with formula-like text neutralised."""
    kwargs.setdefault("index", False)
    safe_frame(frame).to_csv(path, encoding="utf-8", lineterminator="\n", **kwargs)


def sha256_file(path: Path, _cache: dict[tuple[str, int, int], str] = {}) -> str:  # noqa: B006
    """sha256 of a file's bytes (memoised on path, size and mtime within one process)."""
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _cache:
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        _cache[key] = digest.hexdigest()
    return _cache[key]
