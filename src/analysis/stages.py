"""The stages in the order data flows through them, and each stage's code.

A stage imports only from the stages before it in ``STAGES`` (a test checks this), so a stage's results depend on
its own folder, the folders before it and the shared top-level modules: that set of files is its *code*, and a
change to any of them invalidates what the stage built. No hand-kept lists of modules.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from analysis.files import sha256_file

PACKAGE_DIR = Path(__file__).resolve().parent
STAGES = ("formats", "ingest", "normalise", "analyse", "compare", "charts", "narrate", "pipeline")
SUFFIXES = {".py", ".html", ".css", ".j2", ".md", ".csv", ".toml"}


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in SUFFIXES
                  and "__pycache__" not in p.parts)


def shared_code() -> list[Path]:
    """The top-level modules every stage uses (files, settings, errors, snapshot, ...), not the command line."""
    return sorted(p for p in PACKAGE_DIR.glob("*.py") if p.name not in {"cli.py", "__main__.py"})


def stage_code(stage: str, *, exclude: tuple[Path, ...] = ()) -> list[Path]:
    """The code files ``stage``'s results depend on: its folder, every earlier stage's and the shared modules
    (minus ``exclude``, e.g. the other charts' files for one chart's step)."""
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}; stages: {', '.join(STAGES)}")
    out = shared_code()
    for name in STAGES[: STAGES.index(stage) + 1]:
        out += _files(PACKAGE_DIR / name)
    skip = {p.resolve() for p in exclude}
    return [p for p in out if p.resolve() not in skip]


def code_hash(stage: str) -> str:
    """A short hash of ``stage_code(stage)``: names (relative to the package) and contents."""
    digest = hashlib.sha256()
    for path in stage_code(stage):
        digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
        digest.update(sha256_file(path).encode())
    return digest.hexdigest()[:16]
