"""Immutable snapshots of source files: ``data/raw/<source>/<snapshot-id>/<file>`` plus ``manifest.json``.

A snapshot is one file exactly as received, stored once. Its id is ``<snapshot date or 'undated'>-<first 8 hex
digits of the file's sha256>``, e.g. ``2026-06-25-d3738287``. The snapshot date is the date the data was
exported by its publisher as far as the reader could tell (``snapshot_date_evidence`` says how); it is not the
date of import (that is ``retrieved_at``).

A snapshot folder is built under ``data/raw/<source>/.tmp-<random>`` and renamed into place in one step, so a
folder either is complete or does not exist. An existing snapshot folder is never written to, replaced or
deleted. Storing bytes that are already stored (same source, same sha256) is a no-op.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import warnings
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from analysis import __version__
from analysis.errors import UserError
from analysis.files import sha256_file, temp_dir
from analysis.formats import ExportRead
from analysis.inert import terminal
from analysis.settings import SOURCES, paths

MANIFEST_NAME = "manifest.json"
MANIFEST_VERSION = 1
TMP_PREFIX = ".tmp-"
READ_ONLY = 0o444


@dataclass(frozen=True)
class Manifest:
    """What is known about one stored snapshot (written as ``manifest.json`` beside the file).

    ``sha256`` and ``bytes`` describe the stored file; ``rows`` is the number of data rows the reader found;
    ``snapshot_date`` is the publisher's export date (None when it cannot be told) and ``retrieved_at`` the
    UTC time of import (ISO 8601).
    """

    snapshot_id: str
    source: str
    original_name: str
    stored_name: str
    source_url_or_path: str
    retrieved_at: str
    sha256: str
    bytes: int
    format: str
    container: str
    encoding: str | None
    sheet_name: str | None
    rows: int
    snapshot_date: date | None
    snapshot_date_evidence: str
    notes: list[str] = field(default_factory=list)
    tool_version: str = __version__
    manifest_version: int = MANIFEST_VERSION

    @property
    def folder(self) -> Path:
        """The snapshot's folder under the current project's ``data/raw``."""
        return paths().snapshot_dir(self.source, self.snapshot_id)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (dates as ISO strings)."""
        data = asdict(self)
        data["snapshot_date"] = self.snapshot_date.isoformat() if self.snapshot_date else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Manifest:
        """The manifest from its JSON dict; unknown keys (from newer tool versions) are ignored."""
        known = {f for f in cls.__dataclass_fields__}
        values = {k: v for k, v in data.items() if k in known}
        raw_date = values.get("snapshot_date")
        values["snapshot_date"] = date.fromisoformat(raw_date) if raw_date else None
        values.setdefault("stored_name", values.get("original_name"))
        values["notes"] = list(values.get("notes") or [])
        return cls(**values)


def snapshot_id_for(snapshot_date: date | None, sha256: str, length: int = 8) -> str:
    """``<YYYY-MM-DD or 'undated'>-<first ``length`` hex digits of sha256>``."""
    prefix = snapshot_date.isoformat() if snapshot_date else "undated"
    return f"{prefix}-{sha256[:length]}"


def file_sha256(path: Path) -> tuple[str, int]:
    """(sha256 hex digest, size in bytes) of the file at ``path``; a file over the size cap is refused before a
    byte is read (:func:`analysis.formats.sniff.check_size`)."""
    from analysis.formats.sniff import check_size

    check_size(Path(path))
    return sha256_file(Path(path)), Path(path).stat().st_size


def _source_dir(source: str) -> Path:
    if source not in SOURCES:
        raise UserError(f"unknown source {source!r}; expected one of {', '.join(SOURCES)}")
    return paths().raw / source


def _load_manifest(folder: Path) -> Manifest | None:
    """The manifest of the snapshot folder ``folder``; a folder without a valid one is reported (a warning each
    command shows), never skipped quietly, and is not a snapshot."""
    file = folder / MANIFEST_NAME
    try:
        manifest = Manifest.from_dict(json.loads(file.read_text(encoding="utf-8")))
    except FileNotFoundError:
        warnings.warn(f"{folder} has no {MANIFEST_NAME}: it is not a usable snapshot (restore its manifest, or "
                      "remove the folder)", stacklevel=3)
        return None
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
        warnings.warn(f"{folder} is not a usable snapshot: unreadable {MANIFEST_NAME} ({exc})", stacklevel=3)
        return None
    if manifest.snapshot_id != folder.name or manifest.source != folder.parent.name:
        warnings.warn(f"{folder} is not a usable snapshot: its {MANIFEST_NAME} names "
                      f"{manifest.source}/{manifest.snapshot_id}", stacklevel=3)
        return None
    if Path(str(manifest.stored_name)).name != manifest.stored_name or manifest.stored_name in ("", ".", ".."):
        warnings.warn(f"{folder} is not a usable snapshot: its stored file {manifest.stored_name!r} is outside "
                      "its own folder", stacklevel=3)
        return None
    return manifest


STAND_IN = {"nre": "demo"}
"""A source whose snapshots stand in for another's while that one has none: the synthetic demo export
(``confessions demo``) for the registry, so a fresh clone builds everything without a registry export."""


def list_snapshots(source: str | None = None) -> list[Manifest]:
    """Every stored snapshot (of ``source``, or of all sources, each under its own source), oldest snapshot date
    first.

    Undated snapshots sort before dated ones; ties are ordered by ``retrieved_at``. While no registry snapshot is
    stored, ``source="nre"`` gives the ``demo`` snapshots instead (:data:`STAND_IN`; their manifests keep
    ``source: demo``, so everything built from them is labelled synthetic); once one is stored, the demo is never
    listed as the registry's.
    """
    found = _stored(source)
    if not found and source in STAND_IN:
        found = _stored(STAND_IN[source])
    return found


def _stored(source: str | None) -> list[Manifest]:
    """The snapshots stored under ``source`` exactly (None: every source), oldest first."""
    sources = [source] if source else list(SOURCES)
    found: list[Manifest] = []
    for src in sources:
        base = _source_dir(src)
        if not base.is_dir():
            continue
        for folder in sorted(base.iterdir()):
            if folder.name.startswith(".") or not folder.is_dir():
                continue
            manifest = _load_manifest(folder)
            if manifest is not None:
                found.append(manifest)
    return sorted(found, key=_age_key)


def _age_key(m: Manifest) -> tuple[str, date, str, str]:
    return (m.source, m.snapshot_date or date.min, m.retrieved_at, m.snapshot_id)


def find_by_sha256(source: str, sha256: str) -> Manifest | None:
    """The stored snapshot of ``source`` (exactly that source) whose file has this sha256, if any."""
    for manifest in _stored(source):
        if manifest.sha256 == sha256:
            return manifest
    return None


NO_SNAPSHOTS_HINT = ("run `make all FROM=path/to/export` (or `.venv/bin/confessions ingest {source} --from FILE`); "
                     "README: \"Using the real registry data\"")


def get_snapshot(snapshot_id: str, source: str | None = "nre") -> Manifest:
    """The snapshot named by ``snapshot_id`` (of ``source``; None: of any source): its full id, or any prefix of
    it that names one snapshot only, such as its date (``2024-04-10``) or date and first hash digits. An ambiguous
    prefix (two exports of one date, say csv and xlsx) lists the candidates; ``UserError`` when unknown."""
    candidates = list_snapshots(source)
    wanted = snapshot_id.strip()
    for manifest in candidates:
        if manifest.snapshot_id == wanted:
            return manifest
    which = f"{source} " if source else ""
    if not candidates:
        raise UserError(f"unknown snapshot {snapshot_id!r}: there are no {which}snapshots yet; "
                        + NO_SNAPSHOTS_HINT.format(source=source or "nre"))
    matches = [m for m in candidates if wanted and m.snapshot_id.startswith(wanted)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        listed = ", ".join(f"{m.snapshot_id} ({m.format}, {m.original_name})" for m in matches)
        raise UserError(f"{snapshot_id!r} names {len(matches)} {which}snapshots: {listed}; give more of the id")
    available = ", ".join(m.snapshot_id for m in candidates)
    raise UserError(f"unknown {which}snapshot {snapshot_id!r}; available: {available}")


def newest_snapshot(source: str) -> Manifest:
    """The snapshot with the latest snapshot date (ties: latest ``retrieved_at``); undated count last."""
    candidates = list_snapshots(source)
    if not candidates:
        raise UserError("no snapshots yet: " + NO_SNAPSHOTS_HINT.format(source=source))
    return max(candidates, key=lambda m: (m.snapshot_date or date.min, m.retrieved_at, m.snapshot_id))


def snapshot_file(manifest: Manifest, *, verify: bool = True) -> Path:
    """Path of the stored source file of a snapshot, checked against its manifest (size and sha256) unless
    ``verify`` is False: a file that was replaced or edited is a one-line error naming the snapshot, so nothing
    downstream is built from other bytes under this snapshot's name."""
    path = manifest.folder / manifest.stored_name
    if not verify:
        return path
    problem = verify_snapshot(manifest)
    if problem:
        raise UserError(problem)
    return path


def verify_snapshot(manifest: Manifest) -> str | None:
    """What is wrong with a stored snapshot's file (missing, another size, another sha256), or None."""
    path = manifest.folder / manifest.stored_name
    if not path.is_file():
        return f"snapshot {manifest.snapshot_id}: its file {manifest.stored_name} is missing"
    size = path.stat().st_size
    if size != manifest.bytes:
        return (f"snapshot {manifest.snapshot_id}: its file is {size:,} bytes, its manifest says {manifest.bytes:,}: "
                "the stored file was changed; restore it or remove the snapshot")
    if sha256_file(path) != manifest.sha256:
        return (f"snapshot {manifest.snapshot_id}: its file's sha256 does not match its manifest: the stored file was "
                "changed; restore it or remove the snapshot")
    return None


def _stored_name(original_name: str) -> str:
    from analysis.ingest.download import safe_filename

    name = safe_filename(original_name)
    if name.lower() == MANIFEST_NAME or name.startswith(TMP_PREFIX):
        name = f"export-{name.lstrip('.')}"
    return name


def store_snapshot(
    source: str,
    file_path: Path,
    origin: str,
    read: ExportRead,
    *,
    original_name: str | None = None,
    notes: list[str] | None = None,
    retrieved_at: datetime | None = None,
) -> tuple[Manifest, bool]:
    """Store ``file_path`` as a snapshot of ``source``; returns ``(manifest, created)``.

    ``origin`` is the URL or path it came from; ``read`` is what the reader made of it; ``notes`` are
    added to the reader's notes; ``retrieved_at`` defaults to now. When a snapshot of ``source`` with the
    same sha256 exists, nothing is written and that snapshot is returned with ``created=False``.
    """
    file_path = Path(file_path)
    base = _source_dir(source)
    sha256, size = file_sha256(file_path)
    existing = find_by_sha256(source, sha256)
    if existing is not None:
        return existing, False
    original = original_name or file_path.name
    stored_name = _stored_name(original)
    when = (retrieved_at or datetime.now(UTC)).astimezone(UTC)
    try:
        base.mkdir(parents=True, exist_ok=True)
        tmp = temp_dir(TMP_PREFIX, base)
    except OSError as exc:
        raise UserError(f"cannot write snapshots under {base}: {exc.strerror or exc}") from None
    try:
        target = tmp / stored_name
        shutil.copyfile(file_path, target)
        if file_sha256(target)[0] != sha256:
            raise UserError(f"{file_path} changed while it was being stored; try again")
        for length in (8, 12, 16, 64):
            snapshot_id = snapshot_id_for(read.snapshot_date, sha256, length)
            if not (base / snapshot_id).exists():
                break
        else:  # pragma: no cover - the full sha256 would have to collide
            raise UserError(f"a snapshot folder for sha256 {sha256} exists but has no matching manifest")
        manifest = Manifest(
            snapshot_id=snapshot_id,
            source=source,
            original_name=original,
            stored_name=stored_name,
            source_url_or_path=origin,
            retrieved_at=when.isoformat(timespec="microseconds").replace("+00:00", "Z"),
            sha256=sha256,
            bytes=size,
            format=read.format,
            container=read.container,
            encoding=read.encoding,
            sheet_name=read.sheet_name,
            rows=int(read.rows),
            snapshot_date=read.snapshot_date,
            snapshot_date_evidence=read.snapshot_date_evidence,
            notes=[*read.notes, *(notes or [])],
        )
        manifest_path = tmp / MANIFEST_NAME
        manifest_path.write_text(json.dumps(manifest.to_dict(), indent=2, ensure_ascii=False) + "\n",
                                 encoding="utf-8")
        for written in (target, manifest_path):
            with written.open("rb") as fh:
                os.fsync(fh.fileno())
            written.chmod(READ_ONLY)
        os.chmod(tmp, 0o755)
        try:
            # atomic; fails (ENOTEMPTY/EEXIST) rather than replace an existing snapshot folder
            os.rename(tmp, base / snapshot_id)
        except OSError:
            again = find_by_sha256(source, sha256)  # stored meanwhile by a concurrent ingest
            if again is not None:
                return again, False
            raise
        return manifest, True
    except OSError as exc:
        raise UserError(f"could not store the snapshot under {base}: {exc.strerror or exc}") from None
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def remove_snapshot(manifest: Manifest) -> Path:
    """Delete one snapshot's folder (nothing else): renamed aside first, so a crash leaves it whole or gone, never
    half-deleted. Returns the folder that was removed."""
    folder = manifest.folder
    if folder.parent != _source_dir(manifest.source) or not (folder / MANIFEST_NAME).is_file():
        raise UserError(f"{manifest.snapshot_id} is not a snapshot folder of this project; nothing removed")
    aside = folder.with_name(f"{TMP_PREFIX}removing-{folder.name}")
    try:
        os.rename(folder, aside)
    except OSError as exc:
        raise UserError(f"cannot remove {manifest.snapshot_id}: {exc.strerror or exc}") from None
    for path in aside.iterdir():  # stored files are read-only; the folder itself is ours to empty
        path.chmod(0o644)
    shutil.rmtree(aside)
    return folder


def describe(manifest: Manifest) -> list[str]:
    """``confessions snapshots show ID``: every manifest field, one per line, then the values normalisation
    quarantined (:func:`quarantine_line`)."""
    data = manifest.to_dict()
    notes = data.pop("notes", []) or []
    lines = [f"{key}: {terminal(value)}" for key, value in data.items()]
    lines += [f"note: {terminal(note)}" for note in notes]
    quarantined = quarantine_line(manifest)
    return lines + ([quarantined] if quarantined else [])


def quarantine_line(manifest: Manifest, shown: int = 5) -> str | None:
    """``quarantined: 3 value(s) quarantined: row 12, column 'Age': '1e1' …`` for a registry snapshot: the count
    and the first ``shown`` (:meth:`analysis.formats.cells.Problems.summary`, as normalisation reports them), read
    from the processed metadata when it was made from this snapshot; else how to get them. None for a roster."""
    from analysis.formats.cells import Problems

    if manifest.source == "ip":
        return None
    meta_path = paths().processed_meta
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        meta = None
    if not isinstance(meta, dict) or meta.get("snapshot_id") != manifest.snapshot_id:
        return (f"quarantined: not known yet (the processed table is not from this snapshot; run `confessions "
                f"process --snapshot {manifest.snapshot_id}`)")
    items = [str(item) for item in meta.get("quarantined") or []]
    if not items:
        return "quarantined: none (every value was read)"
    where = meta_path.relative_to(paths().root) if meta_path.is_relative_to(paths().root) else meta_path
    return f"quarantined: {terminal(Problems(items).summary(shown))}; all in {terminal(where.as_posix())}"


def format_table(manifests: list[Manifest]) -> Table:
    """The snapshot listing: source, id, snapshot date, format, rows, sha256 (first 12 hex), file name.

    No borders or rules, so the first line is the header and each further line one snapshot, also when piped.
    """
    table = Table(box=None, pad_edge=False, padding=(0, 1), header_style="bold")
    for name in ("source", "id", "snapshot date"):
        table.add_column(name, no_wrap=True)
    table.add_column("format", overflow="fold")
    table.add_column("rows", justify="right", no_wrap=True)
    table.add_column("sha256", no_wrap=True)
    table.add_column("file", overflow="fold")
    for m in manifests:
        table.add_row(m.source, m.snapshot_id, m.snapshot_date.isoformat() if m.snapshot_date else "unknown",
                      m.format, str(m.rows), m.sha256[:12], escape(terminal(m.original_name)))
    return table


def print_table(table: Table) -> None:
    """Print ``table`` to stdout through rich: styled on a terminal; when piped, plain text (no colour, no
    trailing spaces) at the table's natural width, never wrapped or cut to 80 columns."""
    console = Console(highlight=False)
    if console.is_terminal:
        console.print(table)
        return
    console = Console(highlight=False, width=10_000)
    with console.capture() as captured:
        console.print(table)
    print("\n".join(line.rstrip() for line in captured.get().splitlines()))


def run(args: argparse.Namespace) -> int:
    """``confessions snapshots [list | show ID | remove ID [--yes]]``."""
    action = getattr(args, "action", None) or "list"
    if action == "show":
        print("\n".join(describe(get_snapshot(args.id, source=None))))
        return 0
    if action == "remove":
        return _remove(args)
    if action == "verify":
        return _verify()
    manifests = list_snapshots(getattr(args, "source", None))
    if not manifests:
        print("no snapshots yet: " + NO_SNAPSHOTS_HINT.format(source="nre"))
        return 0
    print_table(format_table(manifests))
    return 0


def _remove(args: argparse.Namespace) -> int:
    manifest = get_snapshot(args.id, source=None)
    label = (f"{manifest.snapshot_id} ({manifest.source}, {manifest.format}, {manifest.rows:,} rows, "
             f"{manifest.original_name})")
    if not getattr(args, "yes", False):
        if not sys.stdin.isatty():
            raise UserError(f"not removing {label} without confirmation: pass --yes")
        answer = input(f"remove snapshot {terminal(label)}? This cannot be undone. [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("nothing removed")
            return 1
    remove_snapshot(manifest)
    print(f"removed snapshot {terminal(label)}; run `confessions all` to rebuild the outputs without it")
    return 0


def _verify() -> int:
    """``confessions snapshots verify``: every stored file against its manifest; exit 1 when any fails."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        manifests = list_snapshots(None)
    problems = [str(w.message) for w in caught] + [p for m in manifests if (p := verify_snapshot(m))]
    for problem in problems:
        print(f"FAILED {problem}")
    print(f"{len(manifests) - sum(1 for m in manifests if verify_snapshot(m))} of {len(manifests)} snapshots verified"
          + (f"; {len(problems)} problem(s)" if problems else ""))
    return 1 if problems else 0
