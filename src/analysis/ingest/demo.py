"""``confessions demo``: a synthetic registry export, so a fresh clone runs its main job and its tests without one.

The registry's terms forbid posting its spreadsheet, so the real export never ships with the project. This module
generates a stand-in **in the 2026 full export format** (``nre_full_export``: the same 78 column names, in the same
order, and the same encodings the reader handles: ``Yes``/``No``/blank flags, ISO dates, ``"; "``-joined Case
Characteristics, ``Pre-1989`` rows with the columns that era leaves blank, ``0`` for an unknown age, ``Don't
Know`` cells, ``Fed-XX`` states, a UTF-8 byte-order mark, quoted cells with spaces).

**Nothing in it is real.** Only the column names were taken from the registry's export; no record, name, county or
case number was copied. Exonerees are ``Demo Exoneree 0001`` …, counties ``Demo County 12`` …, case numbers run
from 1. Every row is drawn from the invented parameters in :mod:`analysis.ingest.demo_parameters` (with their
table), chosen to be *roughly* like the aggregate shares of the 2026-06 full export so that every table, chart and
notebook has something to show: approximations made up for a demo, not estimates of anything.

This module draws the records (:func:`demo_frame`) and holds the entry points (``write_demo``, ``demo_bytes``,
``ingest_demo``, ``run``); :mod:`analysis.ingest.demo_columns` turns each record into the export's 78 cells and
writes the CSV bytes.

The same ``rows`` and ``seed`` always give the same bytes (numpy ``Generator``). Within each crime a flag is given
to exactly its share of the rows (rounded), drawn with weights from the log-odds effects, so those shares hold
at any size and for any seed; only the interactions (FC among juveniles, among DNA cases …) vary from seed to seed.
A demo export is always stored as source ``demo`` (``data/raw/demo/``), never mixed with the registry's snapshots,
and everything built from it says it is synthetic (``Source.synthetic``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import UserError
from analysis.files import write_bytes
from analysis.formats.codes import STATE_ABBR
from analysis.ingest.demo_columns import export_csv_bytes, export_row
from analysis.ingest.demo_parameters import (
    ADULT_AGES,
    CIU_PERIOD,
    CRIME_FIELDS,
    CRIMES,
    DEFAULT_NAME,
    DEFAULT_ROWS,
    DEFAULT_SEED,
    DNA_INNOCENCE_ORG,
    DNA_PERIOD,
    EXONERATION_YEARS,
    EXPORT_DATE,
    FC_AGE,
    FC_DNA,
    FC_EFFECTS,
    FC_STATE,
    FEDERAL,
    HEADER,
    HOMICIDE,
    JUVENILE_AGES,
    LAUNCH,
    MAX_ROWS,
    MIN_ROWS,
    NAME_PREFIX,
    OM_CHILD_WELFARE_CSA,
    OM_INTERROGATION_WITH_FC,
    OM_POLICE_WITH_FC,
    OM_TYPES,
    OTHER_RACES,
    PRE_1989_POSTED,
    PRE_1989_RACES,
    SOURCE,
    STATES,
    TERRITORY_WEIGHT,
    YEARS_DNA,
    YEARS_FC,
    YEARS_MAX,
)

# --------------------------------------------------------------------------------------------------------
# Drawing
# --------------------------------------------------------------------------------------------------------


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-9, 1 - 1e-9)
    return np.log(p / (1 - p))


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def _flags(rng: np.random.Generator, target: np.ndarray, effect: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Flags whose count in each group is the group's target share (rounded), given to rows in proportion to
    ``sigmoid(logit(target) + effect + c)``: the effects move flags between rows, not the group's share.

    ``c`` is chosen per group (Newton's method) so that the probabilities average to the target; each row is drawn
    with its probability, then the few rows that make the count exact are drawn (the likeliest rows gain a flag,
    the least likely lose one), so the shares hold at any size, not just on average.
    """
    out = np.zeros(len(target), dtype=bool)
    for group in np.unique(groups):
        idx = np.flatnonzero(groups == group)
        goal = float(target[idx][0])
        count = round(min(max(goal, 0.0), 1.0) * len(idx))
        if count == 0:
            continue
        if count >= len(idx):
            out[idx] = True
            continue
        base = _logit(target[idx]) + effect[idx]
        shift = 0.0
        for _ in range(50):  # the mean is increasing and smooth in the shift: a few steps suffice
            p = _sigmoid(base + shift)
            gap = p.mean() - goal
            if abs(gap) < 1e-10:
                break
            shift -= float(np.clip(gap / max((p * (1 - p)).mean(), 1e-12), -5, 5))
        p = _sigmoid(base + shift)
        drawn = rng.random(len(idx)) < p
        extra = int(drawn.sum()) - count  # then the few rows that make the count exact: unlikely ones lose theirs
        if extra > 0:
            weights = np.where(drawn, 1 - p, 0) + 1e-12 * drawn
            drawn[rng.choice(len(idx), size=extra, replace=False, p=weights / weights.sum())] = False
        elif extra < 0:
            weights = np.where(drawn, 0, p) + 1e-12 * ~drawn
            drawn[rng.choice(len(idx), size=-extra, replace=False, p=weights / weights.sum())] = True
        out[idx] = drawn
    return out


def _choice(rng: np.random.Generator, weights: dict, n: int) -> np.ndarray:
    keys = list(weights)
    p = np.array([weights[k] for k in keys], dtype=float)
    picks = rng.choice(len(keys), size=n, p=p / p.sum())
    return np.array(keys, dtype=object)[picks]


def _period(years: np.ndarray, table: tuple[tuple[int, float], ...]) -> np.ndarray:
    out = np.zeros(len(years))
    for start, shift in table:
        out[years >= start] = shift
    return out


def _day(base: dt.date, days: np.ndarray) -> list[dt.date]:
    return [base + dt.timedelta(days=int(d)) for d in days]


def _draw(rows: int, seed: int) -> dict[str, np.ndarray]:
    """Every variable of every row, as arrays (booleans, numbers, text)."""
    rng = np.random.default_rng(seed)
    n = rows
    v: dict[str, np.ndarray] = {}
    pre = np.zeros(n, dtype=bool)
    pre[: round(n * .11)] = True
    pre = rng.permutation(pre)
    v["pre"] = pre

    names = list(CRIMES)
    params = {name: dict(zip(CRIME_FIELDS, values, strict=True)) for name, (_, values) in CRIMES.items()}
    post_w = np.array([params[c]["post"] for c in names])
    pre_w = np.array([params[c]["pre"] for c in names])
    crime = np.where(pre, rng.choice(len(names), n, p=pre_w / pre_w.sum()),
                     rng.choice(len(names), n, p=post_w / post_w.sum()))
    v["category"] = np.array(names, dtype=object)[crime]
    worst = np.empty(n, dtype=object)
    for name, (crimes, _) in CRIMES.items():
        idx = np.flatnonzero(v["category"] == name)
        worst[idx] = _choice(rng, crimes, len(idx))
    v["worst"] = worst

    def param(field: str) -> np.ndarray:
        return np.array([params[c][field] for c in v["category"]], dtype=float)

    # who: state, age, sex, race
    others = {s: TERRITORY_WEIGHT.get(s, 1.0) for s in STATE_ABBR if s not in STATES}
    rest = (1 - sum(STATES.values()) - FEDERAL) / sum(others.values())
    weights = {**STATES, **{s: w * rest for s, w in others.items() if w}, "federal": FEDERAL}
    state = _choice(rng, weights, n)
    fed = state == "federal"
    state[fed] = ["Fed-" + STATE_ABBR[s] for s in _choice(rng, STATES, int(fed.sum()))]
    v["state"], v["federal"] = state, fed
    v["juvenile"] = (rng.random(n) < param("juvenile")) & ~pre | (pre & (rng.random(n) < .027))
    juvenile_age = _choice(rng, JUVENILE_AGES, n).astype(int)
    band = _choice(rng, {i: w for i, w in enumerate(ADULT_AGES.values())}, n).astype(int)
    bounds = np.array(list(ADULT_AGES))
    adult_age = rng.integers(bounds[band, 0], bounds[band, 1] + 1)
    age = np.where(v["juvenile"], juvenile_age, adult_age)
    unknown_age = rng.random(n) < np.where(pre, .176, .005)
    v["age"] = np.where(unknown_age, 0, age)
    v["female"] = np.where(pre, rng.random(n) < .03, rng.random(n) < param("female"))
    race = np.empty(n, dtype=object)
    for name in names:
        idx = np.flatnonzero((v["category"] == name) & ~pre)
        p = params[name]
        race[idx] = _choice(rng, {"Black": p["black"], "White": p["white"], "Hispanic": p["hispanic"],
                                  **OTHER_RACES}, len(idx))
    race[pre] = _choice(rng, PRE_1989_RACES, int(pre.sum()))
    v["race"] = race

    # when: exoneration year, then the flags that depend on it
    years = np.array(list(EXONERATION_YEARS))
    year_w = np.array(list(EXONERATION_YEARS.values()), dtype=float)
    exon_year = np.where(pre, 1988 - np.minimum(rng.exponential(40, n), 138).astype(int),
                         rng.choice(years, n, p=year_w / year_w.sum()))
    v["exon_year"] = exon_year

    group = v["category"] + np.where(pre, "|pre", "|post")
    dna = _flags(rng, param("dna"), _period(exon_year, DNA_PERIOD), group)
    v["dna"] = dna & ~pre
    age_effect = np.zeros(n)
    for start, shift in FC_AGE:
        age_effect[v["age"] >= start] = shift
    age_effect[v["age"] == 0] = 0.0
    state_effect = np.array([FC_STATE.get(s, 0.0) for s in state])
    fc_target = np.where(pre, param("pre_fc"), param("fc"))
    v["fc"] = _flags(rng, fc_target, age_effect + FC_DNA * v["dna"] + state_effect, group)
    fc = v["fc"].astype(float)
    for field in ("mwid", "fmfe", "pfa", "om", "ild"):
        target = param(field)
        if field in ("mwid", "pfa", "om"):  # the older rows carry fewer factors
            target = np.where(pre, np.minimum(target * {"mwid": 1.4, "pfa": .6, "om": .45}[field], .95), target)
        else:
            target = np.where(pre, target * .3, target)
        v[field] = _flags(rng, target, FC_EFFECTS.get(field, 0.0) * fc, group)
    for field in ("sexual_assault", "child_victim", "codefendant", "plea", "no_crime", "innocence_org",
                  "informant", "misdemeanor", "arson", "shaken_baby", "csa_hysteria", "bitemark", "posthumous"):
        effect = FC_EFFECTS.get(field, 0.0) * fc + (DNA_INNOCENCE_ORG * v["dna"] if field == "innocence_org" else 0)
        v[field] = _flags(rng, param(field), effect, group) & ~pre
    v["child_victim_pre"] = pre & (rng.random(n) < .1)
    v["arson"] |= (v["worst"] == "Arson") & ~pre
    v["ciu"] = _flags(rng, param("ciu"), _period(exon_year, CIU_PERIOD), group) & ~pre
    v["ciu"] &= exon_year >= 2003
    v["homicide"] = np.isin(v["category"], HOMICIDE)

    # misconduct types (the export's Yes/No columns)
    om = v["om"]
    for column, share in OM_TYPES.items():
        p = np.full(n, share)
        if column == "OF - OM by Police Officer":
            p = np.where(v["fc"], OM_POLICE_WITH_FC, share)
        elif column == "FA - OM by Forensic Analyst":
            p = np.where(v["fmfe"], .15, .01)
        v[column] = om & (rng.random(n) < p)
    v["INT - Misconduct in Interrogation"] = om & v["fc"] & (rng.random(n) < OM_INTERROGATION_WITH_FC)
    v["CW - OM by Child Welfare Worker"] = om & (v["category"] == "Child sex abuse") & (
        rng.random(n) < OM_CHILD_WELFARE_CSA)

    # years lost and the dates around it
    median = param("years") * np.where(v["fc"], YEARS_FC, 1.0) * np.where(v["dna"], YEARS_DNA, 1.0)
    median = np.where(pre, 2.4, median)
    years_lost = YEARS_MAX * np.tanh(median * np.exp(rng.normal(0, .85, n)) / YEARS_MAX)  # levels off near 48
    zero = rng.random(n) < np.where(pre, .05, param("zero_years"))
    v["years_lost_days"] = np.where(zero, rng.integers(0, 18, n), np.round(years_lost * 365.25)).astype(int)
    exon_day = np.where(exon_year == 2026, rng.integers(0, 150, n), rng.integers(0, 365, n))
    v["exon"] = np.array([dt.date(int(y), 1, 1) + dt.timedelta(days=int(d)) for y, d in zip(exon_year, exon_day,
                                                                                            strict=True)])
    in_prison_until_exon = rng.random(n) < .42
    v["release_gap"] = np.where(in_prison_until_exon, 0, np.minimum(rng.exponential(3.5 * 365, n), 30 * 365))
    v["release"] = np.array([e - dt.timedelta(days=int(g)) for e, g in zip(v["exon"], v["release_gap"],
                                                                          strict=True)])
    v["conviction"] = np.array([r - dt.timedelta(days=int(d)) for r, d in zip(v["release"], v["years_lost_days"],
                                                                            strict=True)])
    v["crime_date"] = np.array([c - dt.timedelta(days=int(d)) for c, d in zip(
        v["conviction"], np.minimum(rng.gamma(1.6, 330, n), 20 * 365), strict=True)])
    arrest_gap = np.array([(c - k).days for c, k in zip(v["conviction"], v["crime_date"], strict=True)])
    v["arrest"] = np.array([k + dt.timedelta(days=int(g)) for k, g in zip(
        v["crime_date"], (rng.random(n) ** 3) * arrest_gap, strict=True)])

    # when the demo registry posted and updated each record
    export = (EXPORT_DATE - LAUNCH).days
    lag = np.where(rng.random(n) < .75, rng.exponential(220, n), rng.uniform(0, 12 * 365, n))
    room = np.array([(EXPORT_DATE - e).days for e in v["exon"]])
    lag = np.where(lag > room, rng.random(n) * room, lag)  # posted by the export date, not piled up on it
    posted = np.array([e + dt.timedelta(days=int(d)) for e, d in zip(v["exon"], lag, strict=True)])
    bulk = rng.random(n) < .55
    later = _day(LAUNCH, (rng.beta(1, 2.5, n) * export).astype(int))
    posted = np.array([
        (LAUNCH if b else late) if e < LAUNCH else p
        for e, p, b, late in zip(v["exon"], posted, bulk, later, strict=True)])
    posted = np.array([min(max(p, LAUNCH), EXPORT_DATE) for p in posted])
    pre_days = (EXPORT_DATE - PRE_1989_POSTED).days
    pre_posted = np.where(rng.random(n) < .77, PRE_1989_POSTED,
                          np.array(_day(PRE_1989_POSTED, rng.integers(0, pre_days, n))))
    v["posted"] = np.where(pre, pre_posted, posted)
    updated = rng.random(n) < np.where(pre, .02, .61)
    spread = rng.beta(3, 1, n)
    v["updated"] = np.array([p + dt.timedelta(days=int(s * (EXPORT_DATE - p).days)) if u else None
                             for p, s, u in zip(v["posted"], spread, updated, strict=True)], dtype=object)
    newest = int(np.flatnonzero(~pre)[0])  # one record updated on the export date: the snapshot date
    v["updated"][newest] = EXPORT_DATE
    v["rng"] = rng  # the remaining cells are drawn while the rows are written
    return v


def demo_frame(rows: int = DEFAULT_ROWS, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """The synthetic export as text cells, one column per name in :data:`HEADER` (blank cells are ``""``)."""
    if not MIN_ROWS <= rows <= MAX_ROWS:
        raise UserError(f"--rows must be between {MIN_ROWS:,} and {MAX_ROWS:,}, not {rows:,}")
    if seed < 0:
        raise UserError(f"--seed must be zero or a positive whole number, not {seed}")
    v = _draw(rows, seed)
    width = max(4, len(str(rows)))
    records = [export_row(v, i, i + 1, width) for i in range(rows)]
    return pd.DataFrame.from_records(records, columns=list(HEADER))


def demo_bytes(rows: int = DEFAULT_ROWS, seed: int = DEFAULT_SEED) -> bytes:
    """The synthetic export file: UTF-8 with a byte-order mark, ``\\n`` line ends, the header then one line a row."""
    return export_csv_bytes(demo_frame(rows, seed))


def write_demo(path: Path | str, rows: int = DEFAULT_ROWS, seed: int = DEFAULT_SEED) -> Path:
    """Write the synthetic export to ``path`` (atomically) and return it."""
    path = Path(path).expanduser()
    if path.is_dir():
        path = path / DEFAULT_NAME
    try:
        write_bytes(path, demo_bytes(rows, seed))
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path


def is_demo_export(frame: pd.DataFrame) -> bool:
    """Whether a registry-format table is this module's synthetic export (every name is ``Demo Exoneree …``)."""
    if "Name" not in frame.columns or frame.empty:
        return False
    return bool(frame["Name"].astype("string").fillna("").str.match(rf"^{NAME_PREFIX} \d+$").all())


def ingest_demo(rows: int = DEFAULT_ROWS, seed: int = DEFAULT_SEED):  # noqa: ANN201 - (Manifest, bool)
    """Generate the synthetic export and store it as a ``demo`` snapshot; ``(manifest, created)`` (the same rows
    and seed give the same bytes, so a second call stores nothing)."""
    from analysis.ingest import ingest

    with tempfile.TemporaryDirectory(prefix="confessions-demo-") as tmp:
        path = write_demo(Path(tmp) / f"demo-export-{rows}-rows-seed-{seed}.csv", rows, seed)
        return ingest(SOURCE, str(path))


def run(args: argparse.Namespace) -> int:
    """``confessions demo [--rows N] [--seed S] [--out PATH]``: write the synthetic export, say how to use it."""
    rows = args.rows if args.rows is not None else DEFAULT_ROWS
    seed = args.seed if args.seed is not None else DEFAULT_SEED
    path = write_demo(args.out or DEFAULT_NAME, rows, seed)
    print(f"wrote a synthetic demo export (invented records, not real cases): {rows:,} rows, seed {seed} → {path}")
    print(f"build everything from it: confessions all --from {path}   (stored as source '{SOURCE}', "
          "labelled synthetic in every output)")
    return 0
