"""A killed run takes its workers with it and frees the lock; the start-up sweep removes only what this project left.

Real processes throughout: ``python -m analysis`` in subprocesses, real SIGKILLs, the process table read from
``/proc`` (Linux).
"""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table in /proc")

CLI = [sys.executable, "-m", "analysis"]


def _stat(pid: int) -> list[str] | None:
    """The fields after the command name in ``/proc/<pid>/stat`` (state, ppid, ...), or None."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()


def alive(pid: int) -> bool:
    fields = _stat(pid)
    return fields is not None and fields[0] not in ("Z", "X")


def children(pid: int) -> set[int]:
    """Processes whose parent is ``pid`` and that run the same program (``-m analysis``: forked workers)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        fields = _stat(int(entry.name))
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if fields is not None and int(fields[1]) == pid and b"analysis" in cmdline:
            found.add(int(entry.name))
    return found


def env_for(home: Path) -> dict[str, str]:
    return {**os.environ, "CONFESSIONS_HOME": str(home)}


def test_sigkill_of_all_takes_its_workers_and_the_lock_with_it(tmp_path: Path):
    from analysis.ingest.demo import write_demo

    home = tmp_path / "project"
    home.mkdir()
    demo_export = write_demo(tmp_path / "demo.csv", 300, 5)  # small: the workers start after ingest+analyse
    log = tmp_path / "all.log"
    with log.open("w") as out:
        run = subprocess.Popen([*CLI, "all", "--skip-notebooks", "--from", str(demo_export)], env=env_for(home),
                               stdout=out, stderr=subprocess.STDOUT)
    workers: set[int] = set()
    build = None
    try:
        deadline = time.monotonic() + 240
        while not workers and run.poll() is None and time.monotonic() < deadline:
            workers = children(run.pid)
            time.sleep(0.05)
        assert workers, f"`all` started no worker process:\n{log.read_text()}"
        time.sleep(0.5)  # the pool starts all its workers at once; they take their first jobs
        workers |= children(run.pid)
        run.send_signal(signal.SIGKILL)
        run.wait(timeout=30)
        deadline = time.monotonic() + 10
        while any(alive(p) for p in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = sorted(p for p in workers if alive(p))
        assert not left, f"worker(s) {left} of the killed run are still running"
        # the kernel released the lock: it can be taken at once ...
        with (home / "data" / ".confessions.lock").open("a") as fh:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # BlockingIOError while anything holds it
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
        # ... and the next `confessions build` takes it (it writes its pid there once it holds it)
        with log.open("a") as out:
            build = subprocess.Popen([*CLI, "build", "--skip-notebooks"], env=env_for(home), stdout=out,
                                     stderr=subprocess.STDOUT)
        lock = home / "data" / ".confessions.lock"
        while build.poll() is None and lock.read_text().strip() != str(build.pid):
            time.sleep(0.05)
        assert lock.read_text().strip() == str(build.pid), log.read_text()
        assert "another confessions run is in progress" not in log.read_text()
    finally:
        for proc in (run, build):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait(timeout=30)
        for pid in workers | (children(build.pid) if build else set()):
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


# a process of this project that dies (SIGKILL) half-way through its writes, or stays alive in the middle of one
WRITER = """
import os, sys, time
from pathlib import Path
from analysis.files import atomic_path, temp_dir
home = Path(sys.argv[1])
held = [atomic_path(home / p) for p in sys.argv[2:]]
for cm in held:
    cm.__enter__().write_bytes(b"half-written")
folder = temp_dir(".tmp-", home / "data" / "raw" / "nre")
(folder / "export.csv").write_bytes(b"half-copied")
mine = f"~confessions-{os.getpid()}-"
print(*[t for t in home.rglob("*" + mine + "*") if t.name.endswith(".tmp") or t == folder], sep="\\n")
print("ready", flush=True)
time.sleep(600)
"""


def start_writer(home: Path, *targets: str) -> subprocess.Popen:
    """A real process that writes ``targets`` and waits in the middle of it."""
    return subprocess.Popen([*CLI[:1], "-c", WRITER, str(home), *targets], env=env_for(home),
                            stdout=subprocess.PIPE, text=True)


def temporaries_of(proc: subprocess.Popen) -> list[Path]:
    """The temporaries a :func:`start_writer` process made, once it made them."""
    made = []
    for line in proc.stdout:
        if line.strip() == "ready":
            break
        made.append(Path(line.strip()))
    return made


def user_files(home: Path) -> dict[Path, bytes]:
    """The user's own files, named like temporaries, in the folders the sweep looks at: path -> bytes."""
    user = {}
    for folder in ("data", "data/processed", "reports", "reports/figures"):
        for name in ("notes.tmp", ".notes.tmp", ".old-x", ".tmp-y", ".tmp-z/keep.txt"):
            user[home / folder / name] = f"the user's {name}".encode()
    user[home / "reports/figures/.old-fc-by-crime/mine.txt"] = b"no random suffix: not a bundle swap"
    return user


def test_the_sweep_removes_only_what_this_project_left(tmp_path: Path):
    home = tmp_path / "project"
    figures = home / "reports" / "figures"
    for folder in ("data/raw/nre", "data/processed/snapshots", "reports/figures", "reports/tables"):
        (home / folder).mkdir(parents=True)
    user = user_files(home)
    for path, data in user.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    # what a killed run of this project left: its temporaries (named for it) ...
    dead = start_writer(home, "data/processed/exonerations.parquet", "reports/stats.json")
    # ... while another process is in the middle of a write (as a `rate` writing a snapshot cache would be)
    live = start_writer(home, "data/processed/snapshots/cache.parquet")
    try:
        dead_made, live_made = temporaries_of(dead), temporaries_of(live)
        dead.kill()
        dead.wait(timeout=30)
        assert len(dead_made) == 3 and all(p.exists() for p in dead_made)
        # a chart bundle caught in its swap and a half-made one, named as charts.bundle names them
        old = Path(tempfile.mkdtemp(prefix=".old-fc-by-age-", dir=figures))
        (old / "fc-by-age").mkdir()
        (old / "fc-by-age" / "meta.json").write_text('{"slug": "fc-by-age"}')
        (figures / "fc-by-crime").mkdir()
        (figures / "fc-by-crime" / "meta.json").write_text('{"slug": "fc-by-crime"}')  # the previous bundle
        half = Path(tempfile.mkdtemp(prefix=".tmp-fc-by-crime-", dir=figures))
        (half / "fc-by-crime.svg").write_text("<svg")
        # the sweep is the first thing `all` does under the lock; a missing --from then ends the run at once
        done = subprocess.run([*CLI, "all", "--skip-notebooks", "--from", str(tmp_path / "missing.csv")],
                              env=env_for(home), capture_output=True, text=True, timeout=120)
        assert done.returncode == 1 and "no such file" in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
        assert "removed 5 temporary file(s)" in done.stderr, done.stderr
        assert {p: p.read_bytes() for p in user} == user  # every user file kept, unchanged
        assert [p for p in dead_made if p.exists()] == []
        assert not old.exists() and not half.exists()
        assert (figures / "fc-by-age" / "meta.json").read_text() == '{"slug": "fc-by-age"}'  # put back
        assert len(live_made) == 2 and all(p.exists() for p in live_made)  # its maker is still running
    finally:
        for proc in (dead, live):
            proc.kill()
            proc.wait(timeout=30)
