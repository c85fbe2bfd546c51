"""One run at a time: an exclusive ``flock`` on ``data/.confessions.lock``.

The kernel releases the lock when the last descriptor of its open file is closed, so a killed run frees it. The
descriptor is close-on-exec (never passed to a program the run starts) and a forked worker process lets go of its
copy at once (:func:`held_lock_fds`, :mod:`analysis.pipeline.workers`), so a worker that outlived its run could not
keep the project locked either.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from analysis.errors import UserError

_HELD: set[int] = set()


def held_lock_fds() -> tuple[int, ...]:
    """The file descriptors of the locks this process holds now."""
    return tuple(sorted(_HELD))


@contextlib.contextmanager
def exclusive_run(lock_path: Path, wait_seconds: float = 0.0) -> Iterator[None]:
    """Hold the project lock; refuse (after ``wait_seconds``) when another run holds it."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fh = lock_path.open("a+")  # Python opens files close-on-exec (PEP 446)
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
        _HELD.add(fh.fileno())
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        yield
    finally:
        _HELD.discard(fh.fileno())
        fh.close()
