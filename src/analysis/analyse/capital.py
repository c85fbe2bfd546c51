"""Capital cases, conviction form, misconduct in interrogation and victims: false-confession shares by group.

Definitions (exonerations since 1989, the default population; every table has ``group, n, k, share, ci_low,
ci_high`` with a 95% Wilson interval; a value not recorded is its own row or is counted, never read as no):

* **Death sentence**: ``death_sentence`` (the 2026 export's ``Death Penalty?``).
* **Conviction form**: ``conviction_form`` (jury, bench, plea; ``trial`` once: a trial of unstated kind);
  **guilty plea** also as the registry's plea tag ``guilty_plea``.
* **INT**: ``om_interrogation``, the registry's "misconduct in interrogation" code. *Coding rule*: the registry
  codes INT only on false-confession cases (every INT record has FC), so its share among all exonerations is
  not a rate of misconduct; it is given here only among false-confession cases.
* **Victims**: the victim-race flags (``white_victim`` … ``other_race_victim``; a record can carry several) where
  the victims' races are coded (``victim_races`` present and not ``0``, no victim); the defendant–victim pair
  uses the defendant's ``race`` and one victim-race flag.
"""

from __future__ import annotations

import pandas as pd

from analysis.analyse.codefendants import since_1989
from analysis.analyse.share_rows import share_frame, share_row
from analysis.snapshot import Snapshot

__all__ = ["capital_sentences", "conviction_form_fc", "death_sentence_by_decade", "death_sentence_fc", "int_by_age",
           "int_by_decade", "int_by_posting_year", "int_first_posting_year", "victim_pair_fc", "victim_race_fc"]

AGE_BANDS = ["13 and under", "14–15", "16–17", "18–24", "25 and over"]
VICTIM_FLAGS = {"White": "white_victim", "Black": "black_victim", "Hispanic": "hispanic_victim",
                "Asian": "asian_victim", "Native American": "native_victim", "Other": "other_race_victim"}
PAIR_RACES = ("Black", "White", "Hispanic")
INT_CAVEAT = "INT is coded only on false-confession cases: a share among them, not a rate of misconduct."


def _flag(table: pd.DataFrame, column: str) -> pd.Series:
    return table[column].fillna(False).astype(bool)


def _decade(years: pd.Series) -> pd.Series:
    return years.astype(object).map(lambda y: "not recorded" if pd.isna(y) else f"{int(y) // 10 * 10}s")


def _age_band(age: pd.Series) -> pd.Series:
    bins = [-1, 13, 15, 17, 24, 10**6]
    cut = pd.cut(age.astype("float64"), bins=bins, labels=AGE_BANDS)
    return cut.astype(object).where(cut.notna(), "not recorded")


def death_sentence_fc(table: pd.DataFrame) -> pd.DataFrame:
    """FC share among death-sentence exonerations and the others (``Not recorded`` when the export has no death
    penalty column), then among death-sentence exonerations: false confession by a juvenile (under 18, age
    known) and, among death-sentence false confessions, the share who were juveniles."""
    pop = since_1989(table)
    death, fc = pop["death_sentence"], _flag(pop, "fc")
    juvenile = _flag(pop, "juvenile")
    rows = [share_row("Death sentence", int((death.eq(True) & fc).sum()), int(death.eq(True).sum()),
                      condition="false confession"),
            share_row("No death sentence", int((death.eq(False) & fc).sum()), int(death.eq(False).sum()),
                      condition="false confession")]
    if death.isna().any():
        rows.append(share_row("Death sentence not recorded", int((death.isna() & fc).sum()), int(death.isna().sum()),
                              condition="false confession"))
    dfc = death.eq(True).fillna(False) & fc
    rows += [share_row("Death sentence: false confession by a juvenile", int((dfc & juvenile).sum()),
                       int(death.eq(True).sum()), condition="false confession and under 18"),
             share_row("Death sentence, false confession: juvenile", int((dfc & juvenile).sum()), int(dfc.sum()),
                       condition="under 18")]
    return share_frame(rows, ["condition"])


def death_sentence_by_decade(table: pd.DataFrame) -> pd.DataFrame:
    """FC share by decade of conviction, among death-sentence exonerations and among the others."""
    pop = since_1989(table)
    decade, fc, death = _decade(pop["conviction_year"]), _flag(pop, "fc"), pop["death_sentence"]
    rows = []
    for label, mask in (("death sentence", death.eq(True).fillna(False)), ("no death sentence",
                                                                          death.eq(False).fillna(False))):
        for d in sorted(decade[mask].unique()):
            m = mask & (decade == d)
            rows.append(share_row(f"{d}, {label}", int((m & fc).sum()), int(m.sum()), decade=d, sentence=label))
    return share_frame(rows, ["decade", "sentence"])


def conviction_form_fc(table: pd.DataFrame) -> pd.DataFrame:
    """How false-confession cases (and, for comparison, the others) were convicted: jury, bench, plea, trial of
    unstated kind, not recorded (``k`` of the group's ``n``); then false confession combined with a guilty plea
    (the plea tag ``guilty_plea``, or conviction form plea)."""
    pop = since_1989(table)
    fc = _flag(pop, "fc")
    form = pop["conviction_form"].astype(object).where(pop["conviction_form"].notna(), "not recorded")
    forms = ["jury", "bench", "plea", "trial"] + [f for f in sorted(form.unique()) if f not in
                                                  ("jury", "bench", "plea", "trial")]
    rows = []
    for who, mask in (("False confession", fc), ("No false confession", ~fc)):
        for f in forms:
            if f in ("trial", "not recorded") and not (form[mask] == f).any():
                continue
            rows.append(share_row(f"{who}: {f}", int((mask & (form == f)).sum()), int(mask.sum()), among=who,
                                  form=f))
        plea = _flag(pop, "guilty_plea") | (form == "plea")
        rows.append(share_row(f"{who}: guilty plea (tag or form)", int((mask & plea).sum()), int(mask.sum()),
                              among=who, form="guilty plea (tag or form)"))
    return share_frame(rows, ["among", "form"])


def int_first_posting_year(table: pd.DataFrame) -> int | None:
    """The first posting year of a record coded INT (None when no record is)."""
    coded = table["om_interrogation"].eq(True).fillna(False) & table["posting_date"].notna()
    years = table.loc[coded, "posting_date"].dt.year
    return int(years.min()) if len(years) else None


def _int_rows(pop: pd.DataFrame, labels: pd.Series, order: list[str]) -> list[dict]:
    fc = _flag(pop, "fc")
    coded = pop["om_interrogation"]
    rows = []
    for g in order:
        m = fc & (labels == g) & coded.notna()
        rows.append(share_row(g, int((m & coded.eq(True)).sum()), int(m.sum()),
                              not_recorded=int((fc & (labels == g) & coded.isna()).sum()), caveat=INT_CAVEAT))
    return rows


def int_by_decade(table: pd.DataFrame) -> pd.DataFrame:
    """Among false-confession exonerations whose INT code is recorded (``n``), those coded INT (``k``), by decade
    of exoneration; ``not_recorded`` counts the false-confession records without the code."""
    pop = since_1989(table)
    labels = _decade(pop["exoneration_year"])
    return share_frame(_int_rows(pop, labels, sorted(labels[_flag(pop, "fc")].unique())),
                       ["not_recorded", "caveat"])


def int_by_age(table: pd.DataFrame) -> pd.DataFrame:
    """As :func:`int_by_decade`, by age at the crime."""
    pop = since_1989(table)
    labels = _age_band(pop["age"])
    order = AGE_BANDS + (["not recorded"] if (labels[_flag(pop, "fc")] == "not recorded").any() else [])
    return share_frame(_int_rows(pop, labels, order), ["not_recorded", "caveat"])


def int_by_posting_year(table: pd.DataFrame) -> pd.DataFrame:
    """As :func:`int_by_decade`, by the year the record was posted (shows since when INT is applied: records
    posted earlier may have been re-coded since)."""
    pop = since_1989(table)
    labels = pop["posting_date"].dt.year.astype(object).map(lambda y: "not recorded" if pd.isna(y) else str(int(y)))
    return share_frame(_int_rows(pop, labels, sorted(labels[_flag(pop, "fc")].unique())),
                       ["not_recorded", "caveat"])


def _victims_coded(pop: pd.DataFrame) -> pd.Series:
    races = pop["victim_races"].astype("string").str.strip()
    return (races.notna() & (races != "0")).fillna(False).astype(bool)


def victim_race_fc(table: pd.DataFrame) -> pd.DataFrame:
    """FC share by victim race (a record counts under each race of its victims), where the victims' races are
    coded; then the coverage: records with coded victims, with no victim (``0``), and not recorded."""
    pop = since_1989(table)
    fc, coded = _flag(pop, "fc"), _victims_coded(pop)
    rows = []
    for race, column in VICTIM_FLAGS.items():
        m = coded & _flag(pop, column)
        rows.append(share_row(f"{race} victim", int((m & fc).sum()), int(m.sum()), kind="victim race"))
    races = pop["victim_races"].astype("string").str.strip()
    for label, m in (("Victims' races coded", coded), ("No victim (code 0)", (races == "0").fillna(False)),
                     ("Victims' races not recorded", races.isna())):
        rows.append(share_row(label, int((m & fc).sum()), int(m.sum()), kind="coverage"))
    return share_frame(rows, ["kind"])


def victim_pair_fc(table: pd.DataFrame) -> pd.DataFrame:
    """FC share by defendant–victim race pair (defendant Black, White or Hispanic; a victim of that race),
    where the victims' races are coded."""
    pop = since_1989(table)
    fc, coded = _flag(pop, "fc"), _victims_coded(pop)
    rows = []
    for defendant in PAIR_RACES:
        for victim in PAIR_RACES:
            m = coded & pop["race"].eq(defendant).fillna(False) & _flag(pop, VICTIM_FLAGS[victim])
            rows.append(share_row(f"{defendant} defendant, {victim.lower()} victim", int((m & fc).sum()),
                                  int(m.sum()), defendant=defendant, victim=victim))
    return share_frame(rows, ["defendant", "victim"])


def capital_sentences(snapshot: Snapshot) -> str:
    """Capital cases, conviction form, co-defendants and INT in words (Markdown list), every share with its k of
    n and said through :mod:`analysis.analyse.wording`."""
    from analysis.analyse.codefendants import codefendant_fc, population_words
    from analysis.analyse.wording import cap, k_of_n, pct1, share_phrase

    view, where = snapshot.view, population_words(snapshot)

    def said(r: pd.Series) -> str:
        if int(r["n"]) == 0:
            return "no data"
        phrase = share_phrase(r["share"], r["ci_low"], r["ci_high"])
        exact = "" if phrase.endswith("%") else f", {pct1(r['share'])}"
        return f"{phrase} ({k_of_n(r['k'], r['n'])}{exact})"

    death = death_sentence_fc(view).set_index("group")
    form = conviction_form_fc(view).set_index("group")
    co = codefendant_fc(view).set_index("group")
    juvenile = death.loc["Death sentence, false confession: juvenile"]
    cdc, cdc_other = (co.loc[f"{who}: a co-defendant also confessed (CDC)"] for who in ("False confession",
                                                                                       "No false confession"))
    first = int_first_posting_year(view)
    pop = since_1989(view)
    lines = []
    if pop["death_sentence"].notna().any():
        lines += [f"{cap(where)}, {said(death.loc['Death sentence'])} of death-sentence exonerations involved a false "
                  f"confession, against {said(death.loc['No death sentence'])} of the others.",
                  f"Of the death-sentence exonerees who falsely confessed, {said(juvenile)} were under 18 at the time "
                  "of the crime."]
    else:
        lines.append(f"{cap(where)}, whether the exoneree was sentenced to death is not recorded in this export.")
    if pop["conviction_form"].notna().any():
        lines.append(f"Of false-confession exonerations, {said(form.loc['False confession: jury'])} were convicted "
                     f"by a jury, {said(form.loc['False confession: bench'])} by a judge and "
                     f"{said(form.loc['False confession: plea'])} on a guilty plea; with the plea tag as well, "
                     f"{said(form.loc['False confession: guilty plea (tag or form)'])}.")
    else:
        lines.append("The form of conviction (jury, bench, plea) is not recorded in this export; the registry's plea "
                     f"tag marks {said(form.loc['False confession: guilty plea (tag or form)'])} of false-confession "
                     "exonerations.")
    lines.append(f"A co-defendant also confessed (CDC) in {said(cdc)} of false-confession exonerations, against "
                 f"{said(cdc_other)} of the others.")
    if pop["om_interrogation"].isna().all():
        lines.append("The INT code (misconduct in interrogation) is not recorded in this export.")
    else:
        lines.append("No record is coded INT." if first is None else
                     f"The INT code (misconduct in interrogation) appears on records posted from {first}; {INT_CAVEAT}")
    return "\n".join(f"- {line}" for line in lines)
