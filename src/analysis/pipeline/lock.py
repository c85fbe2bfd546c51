"""One run at a time: an exclusive lock on ``data/.confessions.lock`` (released by the OS if the process dies)."""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from analysis.errors import UserError


@contextlib.contextmanager
def exclusive_run(lock_path: Path, wait_seconds: float = 0.0) -> Iterator[None]:
    """Hold the project lock; refuse (after ``wait_seconds``) when another run holds it."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fh = lock_path.open("a+")
    deadline = time.monotonic() + wait_seconds
    try:
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    fh.seek(0)
                    holder = fh.read().strip() or "unknown"
                    raise UserError(f"another confessions run is in progress (pid {holder}); try again when it "
                                    "has finished") from None
                time.sleep(0.2)
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        yield
    finally:
        fh.close()
