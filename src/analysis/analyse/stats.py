"""Headline statistics: every named definition computed on one snapshot, written to ``reports/stats.json``.

Each statistic is one of :data:`analysis.analyse.definitions.DEFINITIONS` ("K of the N records in the population meet
the condition", default population: exonerations since 1989), plus "as of" variants (the registry as it
stood on an earlier date: records posted on or before it). By default the one as-of variant is the FC share of
DNA exonerations on 30 September 2017, the month the Innocence Project published its 32% figure.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path

from analysis.analyse.definitions import BY_ID, DEFINITIONS, Stat, compute_definition
from analysis.analyse.reconcile import AS_OF
from analysis.errors import UserError
from analysis.files import write_text
from analysis.snapshot import Snapshot

__all__ = ["DEFAULT_EXTRA", "headline_stats", "stat_dict", "write_stats"]

DEFAULT_EXTRA: tuple[tuple[str, dt.date], ...] = (("fc_share_dna", AS_OF),)
"""As-of variants computed besides the named definitions: (definition id, date); AS_OF is the date of the
Innocence Project's "32 percent" (see analysis.analyse.reconcile)."""
KEYS = ("id", "k", "n", "share", "ci_low", "ci_high", "definition", "of", "among", "population_used", "as_of",
        "snapshot", "snapshot_date", "sha256", "sentence", "not_recorded")


def stat_dict(stat: Stat) -> dict:
    """A ``Stat`` as the dict written to stats.json (``definition`` = its meaning)."""
    d = stat.as_dict()
    d["definition"] = d.pop("meaning")
    return {key: d[key] for key in KEYS}


def _as_of_id(definition_id: str, day: dt.date) -> str:
    return f"{definition_id}_as_of_{day.isoformat().replace('-', '_')}"


def headline_stats(snapshot: Snapshot, *, extra: Iterable[tuple[str, dt.date]] = DEFAULT_EXTRA) -> list[dict]:
    """Every named definition on ``snapshot``, then each ``(definition id, as-of date)`` in ``extra`` (id
    ``<definition>_as_of_<YYYY_MM_DD>``), as dicts with the keys in :data:`KEYS`.

    An as-of variant is left out when the snapshot has no posting dates (it cannot say what the registry held on
    a past date).
    """
    out = [stat_dict(compute_definition(snapshot, d)) for d in DEFINITIONS]
    for definition_id, day in extra:
        try:
            stat = compute_definition(snapshot.at(day), BY_ID[definition_id])
        except UserError:
            continue
        d = stat_dict(stat)
        d["id"] = _as_of_id(definition_id, day)
        out.append(d)
    return out


def write_stats(stats: list[dict], path: Path, snapshot: Snapshot) -> Path:
    """Write ``{"generated_from": <the snapshot's source and as-of date>, "stats": stats}`` to ``path`` as JSON
    with sorted keys (atomic). The same input always gives the same bytes."""
    payload = {"generated_from": snapshot.to_json(), "stats": stats}
    text = json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False, default=str, allow_nan=False)
    write_text(Path(path), text + "\n")
    return Path(path)
