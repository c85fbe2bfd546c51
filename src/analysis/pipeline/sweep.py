"""The start-up sweep: remove the temporaries an interrupted run of this project left, and nothing else.

A temporary is removed only when this project made it and its maker is gone:

* names from :mod:`analysis.files` (``atomic_path``, ``temp_dir``): they carry ``~confessions-<pid>-<start>-``;
  removed when that process (pid *and* start time, so a reused pid does not count) is no longer running. The
  in-flight temporary of a live process (a ``rate`` writing a snapshot cache, a concurrent ``ingest``) stays.
* the chart-bundle and notebook folders ``.tmp-<name>-<8 random>`` / ``.old-<name>-<8 random>`` that
  ``charts.bundle`` and ``narrate.execute`` make beside their outputs (their makers hold the project lock, as the
  sweep does): only in ``reports/figures``, ``reports/states/<state>`` and ``reports/notebooks``, and only for
  ``<name>`` an output of that folder (a bundle holding ``meta.json``; a notebook in ``notebooks/``). A bundle
  caught half-way through its swap (``.old-<slug>-…/<slug>`` with no ``<slug>`` beside it) is put back. (A
  half-made bundle of a chart never built before is left to ``charts.bundle``, which clears it when it writes
  that chart.)

A user's ``notes.tmp``, ``.old-x`` or ``.tmp-y`` matches neither and is never touched.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

from analysis.files import owner_running, temp_owner
from analysis.settings import Paths

_MKDTEMP = re.compile(r"^\.(tmp|old)-(.+)-[a-z0-9_]{8}$")  # tempfile.mkdtemp(prefix=".tmp-<name>-")


def sweep_temporaries(where: Paths) -> int:
    """Remove what interrupted runs left (see the module docstring); returns how many were removed."""
    count = 0
    for path in _owned_and_orphaned(where):
        _remove(path)
        count += 1
    for path, kind, name in _bundle_leftovers(where):
        if kind == "old" and (path / name).exists() and not (path.parent / name).exists():
            os.replace(path / name, path.parent / name)  # a swap killed half-way: the previous output back
        _remove(path)
        count += 1
    return count


def _owned_and_orphaned(where: Paths) -> Iterator[Path]:
    found: list[Path] = []
    for base in (where.raw, where.processed, where.reports):
        if not base.is_dir():
            continue
        for path in sorted(base.rglob(".*~confessions-*")):
            owner = temp_owner(path.name)
            if owner is None or path.is_symlink() or owner_running(*owner):
                continue
            if not any(parent in found for parent in path.parents):  # not inside one already removed
                found.append(path)
    return iter(found)


def _bundle_leftovers(where: Paths) -> Iterator[tuple[Path, str, str]]:
    """(folder, "tmp" or "old", output name) for each leftover bundle or notebook folder: in a bundle folder
    (``reports/figures``, ``reports/states/<state>``) the name must be a bundle's (``<name>/meta.json`` beside it
    or inside the ``.old-`` folder), in ``reports/notebooks`` a notebook's (``notebooks/<name>.py``)."""
    states = where.reports / "states"
    bundle_folders = [where.figures, *(sorted(d for d in states.iterdir() if d.is_dir()) if states.is_dir() else [])]
    notebooks = {p.stem for p in where.notebooks_src.glob("*.py")}
    for folder in [*bundle_folders, where.notebooks_out]:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob(".*")):
            found = _MKDTEMP.match(path.name)
            if not found or not path.is_dir() or path.is_symlink():
                continue
            kind, name = found[1], found[2]
            if folder == where.notebooks_out:
                ours = name in notebooks
            else:
                ours = (folder / name / "meta.json").is_file() or (path / name / "meta.json").is_file()
            if ours:
                yield path, kind, name


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
