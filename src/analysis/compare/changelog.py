"""The data changelog (``reports/CHANGES.md``): one Keep a Changelog entry per snapshot, newest first.

:func:`changelog_entry` renders ``changelog.md.j2`` for a :class:`~analysis.compare.diff.SnapshotDiff`; the number and
text formatting is done by the Jinja2 filters below. The output is Markdown and is rendered without HTML escaping:
every text that comes from the data reaches the template already made inert by
:func:`~analysis.compare.diff.md_text` (record labels, and the ``value`` filter for changed values), and data is only
ever a value passed to the template, never template source. :func:`update_changelog` adds an entry to the file,
replacing the :func:`placeholder` written while only one snapshot is stored.
"""

from __future__ import annotations

import json
import math
import re
from datetime import date
from pathlib import Path

import jinja2
import pandas as pd

from analysis.compare.diff import NOT_COMPARED, SnapshotDiff, _labels, md_text
from analysis.files import write_text
from analysis.normalise.schema import COLUMN_NAMES

CHANGELOG_HEADER = """# Data changelog

What changed in the registry data from one snapshot to the next, newest first: records added, removed and
changed, factors and tags switched on or off, changes in the export's columns, and headline numbers that moved.
The format follows [Keep a Changelog](https://keepachangelog.com/en/1.1.0/), with one entry per snapshot (dated
by the snapshot date). Entries are written by `confessions diff OLD NEW --write`; records are matched across
snapshots by name, state, county, crime, years and age, so a renamed record can show as removed and added.
"""
PLACEHOLDER = "Only one snapshot is stored: nothing to compare yet."
ENTRY_HEADING = re.compile(r"^## \[(?P<date>[^\]]*)\] - snapshot (?P<id>\S+)", re.MULTILINE)
EXAMPLES = 5


def placeholder() -> str:
    """The changelog written while fewer than two snapshots are stored (:func:`update_changelog` removes the
    :data:`PLACEHOLDER` line when the first entry comes)."""
    return f"# Data changelog\n\n{PLACEHOLDER}\n"


def without_placeholder(text: str) -> str:
    """``text`` (a changelog) without the :data:`PLACEHOLDER` line once it has an entry (a ``## [date] - snapshot``
    heading): a changelog written by an older version may keep it above real entries. Unchanged otherwise."""
    if not ENTRY_HEADING.search(text):
        return text
    return "\n".join(line for line in text.split("\n") if line.strip() != PLACEHOLDER)


# --------------------------------------------------------------------------------------------------------------
# Formatting (Jinja2 filters of changelog.md.j2)


def _snapshot_date(meta: dict) -> str:
    d = meta.get("snapshot_date")
    if isinstance(d, date):
        return d.isoformat()
    return str(d) if d else "undated"


def _names(frame: pd.DataFrame, limit: int = EXAMPLES) -> str:
    labels = _labels(frame.head(limit))
    more = len(frame) - len(labels)
    return ", ".join(labels) + (f" and {more:,} more" if more > 0 else "")


def _value(v: object) -> str:
    if v is None:
        return "(blank)"
    if isinstance(v, date):
        return v.isoformat()
    return md_text(v)


def _records(n: int) -> str:
    return f"{n:,} record" + ("" if n == 1 else "s")


def _percent(k: int, n: int) -> str:
    """k/n as a percentage that reads 100% only when k == n (99.97% → 99.9%)."""
    if not n:
        return "n/a"
    share = math.floor(k / n * 1000) / 10 if k < n else 100.0
    return f"{share:.1f}%"


def _share(k: int | None, n: int | None, share: float | None) -> str:
    if n is None:
        return "n/a"
    return f"{k:,} of {n:,} ({share:.1%})" if share is not None else f"{k:,} of {n:,} (no data)"


def _points(p: float | None) -> str:
    return "n/a" if p is None else f"{p:+.1f} pts"


def _count(n: int) -> str:
    return f"{n:,}"


def _codes(names: list[str]) -> str:
    """Column or field names, comma-separated: field names of our own as inline code, export column names (which
    come from the file) as escaped text in quotes, so no character in a header can end a code span."""
    return ", ".join(f"`{c}`" if re.fullmatch(r"[a-z0-9_]+", str(c)) else f"“{md_text(c)}”" for c in names)


def _field_counts(counts: list[tuple[str, int]]) -> str:
    return ", ".join(f"`{f}` {k:,}" for f, k in counts)


_ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent), autoescape=False,
                          keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
_ENV.filters.update(count=_count, records=_records, percent=_percent, share=_share, points=_points,
                    names=_names, value=_value, codes=_codes, field_counts=_field_counts)


# --------------------------------------------------------------------------------------------------------------
# Entries and the file


def changelog_entry(diff: SnapshotDiff) -> str:
    """One Keep-a-Changelog entry for the newer snapshot of ``diff`` (markdown, ends with a newline)."""
    examples = []  # the first change of each field (factors and tags have their own section), at most EXAMPLES
    shown: set[str] = set()
    for c in diff.changes:
        if c.field in shown or c.field in diff.coding:
            continue
        shown.add(c.field)
        examples.append(c)
        if len(shown) >= EXAMPLES:
            break
    renamed: dict[str, list[tuple[str, str]]] = {}  # old column → its new column(s) and basis
    for old, new, basis in diff.schema.renamed:
        renamed.setdefault(old, []).append((new, basis))
    pre_1989 = int(diff.added["pre_1989"].fillna(False).sum()) if len(diff.added) and "pre_1989" in diff.added else 0
    return _ENV.get_template("changelog.md.j2").render(
        diff=diff, schema=diff.schema,
        old_id=diff.old_meta.get("snapshot_id", "old"), new_id=diff.new_meta.get("snapshot_id", "new"),
        old_date=_snapshot_date(diff.old_meta), new_date=_snapshot_date(diff.new_meta),
        old_format=diff.old_meta.get("format"), new_format=diff.new_meta.get("format"),
        pre_1989=pre_1989, field_counts=diff.field_counts().most_common(), examples=examples,
        not_compared=sorted(set(COLUMN_NAMES) - set(diff.compared_fields) - NOT_COMPARED),
        coding=sorted(diff.coding.values(), key=lambda c: -(c.on + c.off)), renamed=renamed,
    )


def _split_entries(text: str) -> tuple[str, list[str]]:
    starts = [m.start() for m in re.finditer(r"^## ", text, re.MULTILINE)]
    if not starts:
        return text, []
    bounds = [*starts, len(text)]
    return text[:starts[0]], [text[a:b].strip() + "\n" for a, b in zip(bounds, bounds[1:], strict=False)]


def _preamble(text: str) -> str:
    """The file's text above its entries without the :data:`PLACEHOLDER` line; :data:`CHANGELOG_HEADER` when that
    is not a changelog header or is only its title (the :func:`placeholder` file)."""
    kept = "\n".join(line for line in text.splitlines() if line.strip() != PLACEHOLDER)
    title = kept.strip()
    return kept if title.startswith("# Data changelog") and title != "# Data changelog" else CHANGELOG_HEADER


def entries_dir(path: Path) -> Path:
    """Where the entries of the changelog at ``path`` are stored, one JSON file per snapshot: ``changelog/``
    beside it. ``CHANGES.md`` is always regenerated from these, never edited in place, so no text inside an entry
    (however it was forged) can move or delete another entry."""
    return Path(path).parent / "changelog"


def _entry_file(path: Path, snapshot_id: str) -> Path:
    return entries_dir(path) / (re.sub(r"[^A-Za-z0-9._-]", "_", snapshot_id) + ".json")


def update_changelog(path: Path, entry: str, new_snapshot_id: str, snapshot_date: str | None = None) -> None:
    """Store ``entry`` (the Markdown of :func:`changelog_entry`) as the entry of ``new_snapshot_id`` (replacing an
    earlier one for it), then regenerate the changelog at ``path`` from every stored entry: newest snapshot date
    first, undated last, under the file's own header (or :data:`CHANGELOG_HEADER`; the :func:`placeholder` line
    dropped). ``snapshot_date`` defaults to the date in the entry's own first line. Atomic writes."""
    path = Path(path)
    if snapshot_date is None:
        heading = ENTRY_HEADING.match(entry)
        snapshot_date = heading["date"] if heading else "undated"
    record = {"snapshot_id": new_snapshot_id, "snapshot_date": snapshot_date, "markdown": entry.strip() + "\n"}
    write_text(_entry_file(path, new_snapshot_id), json.dumps(record, ensure_ascii=False, indent=1) + "\n")
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    preamble = _preamble(_split_entries(text)[0])
    stored = []
    for file in sorted(entries_dir(path).glob("*.json")):
        try:
            item = json.loads(file.read_text(encoding="utf-8"))
            stored.append((str(item["snapshot_date"]), str(item["snapshot_id"]), str(item["markdown"])))
        except (OSError, ValueError, KeyError, TypeError):
            continue  # not one of ours
    # newest first; undated entries last
    stored.sort(key=lambda e: ("0" if e[0] in ("", "undated") else "1") + e[0] + "\0" + e[1], reverse=True)
    write_text(path, preamble.rstrip() + "\n\n" + "\n".join(markdown for _, _, markdown in stored))
