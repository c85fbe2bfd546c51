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

from analysis.analyse.checks import NotRecordedError
from analysis.analyse.clusters import NOT_RECORDED, groups_recorded
from analysis.analyse.definitions import BY_ID, DEFINITIONS, Definition, Stat, compute_definition
from analysis.errors import UserError
from analysis.files import write_text
from analysis.snapshot import Snapshot

__all__ = ["DEFAULT_EXTRA", "headline_stats", "stat_dict", "write_stats"]

DEFAULT_EXTRA: tuple[tuple[str, dt.date], ...] = (("fc_share_dna", dt.date(2017, 9, 30)),)
"""As-of variants computed besides the named definitions: (definition id, date); 30 September 2017 ends the month
of the Innocence Project's "32 percent" (its post's own date, 12 September, is analysis.analyse.reconcile.AS_OF)."""
KEYS = ("id", "k", "n", "share", "ci_low", "ci_high", "definition", "of", "among", "population_used", "as_of",
        "snapshot", "snapshot_date", "sha256", "sentence", "not_recorded", "ci_cluster_low", "ci_cluster_high",
        "design_effect", "cluster_note")
"""The keys of each statistic. ``ci_low``/``ci_high``: the Wilson interval; ``ci_cluster_low``/``ci_cluster_high``
and ``design_effect``: the interval allowing for co-defendant groups (:mod:`analysis.analyse.clusters`), missing
with the reason in ``cluster_note`` (e.g. "co-defendant groups not recorded in this export") when it cannot be
computed; the ``sentence`` quotes the cluster-aware interval when there is one."""


def stat_dict(stat: Stat) -> dict:
    """A ``Stat`` as the dict written to stats.json (``definition`` = its meaning)."""
    d = stat.as_dict()
    d["definition"] = d.pop("meaning")
    return {key: d[key] for key in KEYS}


def _not_recorded(snapshot: Snapshot, definition: Definition, error: NotRecordedError) -> dict:
    """A named definition the export cannot answer (a column it does not record): no counts, no share, and the
    reason as its sentence."""
    source = snapshot.source
    return {key: None for key in KEYS} | {
        "id": definition.id, "k": 0, "n": 0, "definition": definition.meaning, "of": definition.of,
        "among": definition.among, "population_used": "", "snapshot": source.id, "snapshot_date": source.iso,
        "sha256": source.sha256, "as_of": snapshot.as_of.isoformat() if snapshot.as_of else None,
        "sentence": f"{str(error)[0].upper()}{str(error)[1:]}.", "not_recorded": 0,
        "cluster_note": "no share to report" if groups_recorded(snapshot.table) else NOT_RECORDED,
    }


def _stat(snapshot: Snapshot, definition: Definition) -> dict:
    try:
        return stat_dict(compute_definition(snapshot, definition))
    except NotRecordedError as error:
        return _not_recorded(snapshot, definition, error)


def _as_of_id(definition_id: str, day: dt.date) -> str:
    return f"{definition_id}_as_of_{day.isoformat().replace('-', '_')}"


def headline_stats(snapshot: Snapshot, *, extra: Iterable[tuple[str, dt.date]] = DEFAULT_EXTRA) -> list[dict]:
    """Every named definition on ``snapshot``, then each ``(definition id, as-of date)`` in ``extra`` (id
    ``<definition>_as_of_<YYYY_MM_DD>``), as dicts with the keys in :data:`KEYS`.

    An as-of variant is left out when the snapshot has no posting dates (it cannot say what the registry held on
    a past date). A definition naming a column the export does not record (missing in every record) has k = n = 0,
    no share and the reason as its sentence.
    """
    out = [_stat(snapshot, d) for d in DEFINITIONS]
    for definition_id, day in extra:
        try:
            snapshot.at(day).view  # noqa: B018 (raises when the snapshot has no posting dates)
        except UserError:
            continue
        d = _stat(snapshot.at(day), BY_ID[definition_id])
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
