"""Worker processes that die with the run that started them.

Each worker of the pool (forked, so jobs may be any importable function) first lets go of the project lock's
descriptor it inherited (it points it at ``/dev/null``; the parent keeps the lock), then asks the kernel for
SIGKILL when its parent dies (``prctl(PR_SET_PDEATHSIG)``, Linux), and runs a watchdog thread that exits the
worker once its parent pid changes (the fallback elsewhere, and for the moment before the ``prctl``). So a run
killed with SIGKILL leaves no worker writing bundles or notebooks, and nothing holding the lock.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor

from analysis.pipeline.lock import held_lock_fds

PR_SET_PDEATHSIG = 1
WATCH_SECONDS = 0.5


def pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes that die with this one."""
    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else None)
    # only a forked worker holds copies of our descriptors, under the same numbers
    inherited = held_lock_fds() if context.get_start_method() == "fork" else ()
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=die_with_parent,
                               initargs=(os.getpid(), inherited))


def die_with_parent(parent: int, lock_fds: tuple[int, ...] = ()) -> None:
    """Worker set-up: drop the inherited lock descriptors, then end this process when ``parent`` ends."""
    for fd in lock_fds:
        _release(fd)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):  # else the watchdog below still ends it
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the prctl took effect
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), name="parent-watchdog", daemon=True).start()


def _release(fd: int) -> None:
    """Point ``fd`` at /dev/null: this process no longer holds the lock's open file, and a later close of the
    inherited file object closes only /dev/null."""
    devnull = os.open(os.devnull, os.O_RDONLY | os.O_CLOEXEC)
    try:
        os.dup2(devnull, fd, inheritable=False)
    finally:
        os.close(devnull)


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    os._exit(1)
