"""Headers by meaning: the crosswalk (``formats/crosswalk.csv``) from canonical field to every header spelling.

The crosswalk is data, shared by all readers. Each reader indexes its columns by *reference spellings* (the
``reference_for`` column of the crosswalk, e.g. ``FC`` for the public spreadsheet, ``False Confession`` for the
full export). :func:`match_headers` maps a file's raw header onto one reader's reference spellings:

1. a header written exactly as one of the reader's references is that reference;
2. else a header equal to a reference after :func:`normalise` (case, spaces, punctuation and ``?`` ignored) is
   that reference;
3. else a header whose normalised form is any spelling (seen in any format) of a field the reader reads is the
   reader's first reference for that field (``Case Characteristics`` is ``Tags`` to the public-spreadsheet
   reader), unless another header already took it.

Anything else is unmatched: kept in the snapshot, not in the table.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

CROSSWALK = "crosswalk.csv"
_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")


def normalise(header: object) -> str:
    """A header as compared: Unicode NFKC, case folded, ``#`` read as ``number``, and only its letters and digits
    kept: spaces, ``?`` and every other punctuation mark or symbol (``/ - . : ' ( ) → _`` …) are dropped, so
    ``Death Penalty?``, ``death penalty``, ``DEATH-PENALTY`` and ``Death_Penalty`` are one header, as are ``F/MFE``,
    ``F-MFE`` and ``FMFE``. A header made only of punctuation (``*``) is kept as written."""
    raw = str(header).strip()
    text = unicodedata.normalize("NFKC", raw).casefold().replace("#", "number")
    return _NOT_LETTER_OR_DIGIT.sub("", text) or raw


@dataclass(frozen=True)
class Spelling:
    """One row of the crosswalk."""

    field: str
    spelling: str
    seen_in: frozenset[str]
    reference_for: frozenset[str]

    @property
    def key(self) -> str:
        return normalise(self.spelling)


@cache
def crosswalk() -> tuple[Spelling, ...]:
    """Every row of ``crosswalk.csv`` (read once), checked: a normalised spelling belongs to one field only."""
    data = (files("analysis.formats") / CROSSWALK).read_text(encoding="utf-8")
    lines = [line for line in data.splitlines() if line.strip() and not line.startswith("#")]
    rows = [Spelling(r["field"].strip(), r["spelling"], frozenset(r["seen_in"].split()),
                     frozenset(r["reference_for"].split()))
            for r in csv.DictReader(io.StringIO("\n".join(lines)))]
    owner: dict[str, str] = {}
    for row in rows:
        if owner.setdefault(row.key, row.field) != row.field:
            raise ValueError(f"{CROSSWALK}: {row.spelling!r} is listed under {owner[row.key]!r} and {row.field!r}")
    return tuple(rows)


@cache
def field_by_key() -> dict[str, str]:
    """Normalised spelling → field."""
    return {row.key: row.field for row in crosswalk()}


def field_of(header: str) -> str | None:
    """The canonical field a header holds, whatever format it was seen in; None when the crosswalk lacks it."""
    return field_by_key().get(normalise(header))


@cache
def references(prefix: str) -> dict[str, tuple[str, ...]]:
    """A reader's reference spellings by field (``prefix`` is the reader's ``PREFIX``: ps, dl or fx); the first
    of a field is the one other spellings are renamed to."""
    out: dict[str, tuple[str, ...]] = {}
    for row in crosswalk():
        if prefix in row.reference_for:
            out[row.field] = (*out.get(row.field, ()), row.spelling)
    return out


def known_headers(prefix: str) -> frozenset[str]:
    """Every reference spelling of one reader (its ``KNOWN`` columns)."""
    return frozenset(s for spellings in references(prefix).values() for s in spellings)


@cache
def spellings(field_name: str) -> tuple[str, ...]:
    """Every spelling of one field, in crosswalk order."""
    return tuple(row.spelling for row in crosswalk() if row.field == field_name)


@dataclass
class HeaderMatch:
    """One file's header read by one reader."""

    prefix: str
    renames: dict[str, str] = field(default_factory=dict)  # raw header → reference spelling, matched ones only
    own: int = 0  # headers that are the reader's own references (exactly or after normalising)
    unmatched: list[str] = field(default_factory=list)

    @property
    def filled(self) -> set[str]:
        """The reference spellings this header fills."""
        return set(self.renames.values())

    @property
    def changed(self) -> dict[str, str]:
        """The renames that change a name."""
        return {raw: ref for raw, ref in self.renames.items() if raw != ref}


def match_headers(columns: list[str], prefix: str) -> HeaderMatch:
    """Map a raw header onto the reference spellings of the reader with ``PREFIX`` ``prefix`` (module docstring)."""
    by_field = references(prefix)
    refs = [ref for spellings_ in by_field.values() for ref in spellings_]
    ref_keys = [(ref, normalise(ref)) for ref in refs]
    out = HeaderMatch(prefix)
    taken: set[str] = set()
    pending = []
    for raw in columns:  # 1. exactly a reference
        name = str(raw).strip()
        if name in refs and name not in taken:
            out.renames[raw] = name
            taken.add(name)
            out.own += 1
        else:
            pending.append(raw)
    later = []
    for raw in pending:  # 2. a reference after normalising
        key = normalise(raw)
        ref = next((r for r, k in ref_keys if k == key and r not in taken), None)
        if ref is None:
            later.append(raw)
            continue
        out.renames[raw] = ref
        taken.add(ref)
        out.own += 1
    for raw in later:  # 3. another spelling of a field this reader reads
        name = field_of(raw)
        ref = by_field[name][0] if name in by_field else None
        if ref is None or ref in taken:
            out.unmatched.append(raw)
            continue
        out.renames[raw] = ref
        taken.add(ref)
    out.renames = {raw: out.renames[raw] for raw in columns if raw in out.renames}  # in file order
    return out
