"""Coding rules: is one code only ever applied together with another?

A table that shows "misconduct in interrogation: yes → 100% falsely confessed" reports how the registry codes its
cases, not a finding: in every vintage the registry applies INT (misconduct in interrogation) only to cases that
also carry the false-confession factor, so the share is 100% by construction.

Definition: code ``inner`` is **nested** in code ``outer`` (``inner ⊂ outer``) within a population when at least
one record of the population has ``inner`` coded yes and *every* such record also has ``outer`` coded yes. A
record whose ``outer`` is not coded (missing) breaks the rule (it is not known to be nested); records whose
``inner`` is missing or no say nothing. An association between two nested codes is a coding rule: tables label
such rows (:data:`CODED_ONLY_ON_FC`) and charts never headline them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import pandas as pd

__all__ = ["CODED_ONLY_ON_FC", "EVERY_FC_CODED", "PARTS", "Nesting", "coded_only_with", "coding_rule_label", "nested",
           "nesting_table"]

CODED_ONLY_ON_FC = "coded only on false-confession cases"
"""The label of a row whose code is only ever applied to false-confession cases (``code ⊂ fc``)."""
EVERY_FC_CODED = "coded on every false-confession case"
"""The label of a row whose code is applied to every false-confession case (``fc ⊂ code``)."""


@dataclass(frozen=True)
class Nesting:
    """Whether ``inner ⊂ outer``: ``n_inner`` records have ``inner`` coded yes, ``n_both`` of them also have
    ``outer`` coded yes, ``n_outer_missing`` of them have ``outer`` not coded."""

    inner: str
    outer: str
    n_inner: int
    n_both: int
    n_outer_missing: int

    @property
    def holds(self) -> bool:
        """True when at least one record has ``inner`` and every one of them has ``outer`` (coded yes)."""
        return self.n_inner > 0 and self.n_both == self.n_inner

    def __str__(self) -> str:
        verdict = "always" if self.holds else "not always"
        return f"{self.inner} ⊂ {self.outer}: {verdict} ({self.n_both:,} of {self.n_inner:,})"

    def as_dict(self) -> dict:
        return {**asdict(self), "holds": self.holds}


def _yes(table: pd.DataFrame, code: str | pd.Series) -> pd.Series:
    values = table[code] if isinstance(code, str) else code
    return values.astype("boolean").eq(True).fillna(False).astype(bool)


def nested(table: pd.DataFrame, inner: str, outer: str, among: pd.Series | None = None) -> Nesting:
    """Is ``inner`` only ever coded together with ``outer`` among the rows of ``among`` (all rows when None)?

    ``inner`` and ``outer`` are boolean columns of ``table`` (True = coded yes, missing = not coded)."""
    rows = pd.Series(True, index=table.index) if among is None else among.astype("boolean").fillna(False)
    rows = rows.astype(bool)
    inner_yes = _yes(table, inner) & rows
    outer_values = table[outer].astype("boolean")
    return Nesting(inner=inner, outer=outer, n_inner=int(inner_yes.sum()),
                   n_both=int((inner_yes & outer_values.eq(True).fillna(False)).sum()),
                   n_outer_missing=int((inner_yes & outer_values.isna()).sum()))


def coded_only_with(table: pd.DataFrame, code: str, outer: str = "fc", among: pd.Series | None = None) -> bool:
    """True when ``code ⊂ outer`` holds (by default: ``code`` is coded only on false-confession cases)."""
    return nested(table, code, outer, among).holds


PARTS = {"om_interrogation": ("misconduct in interrogation", ("om", "om_police"))}
"""Codes that are a kind of broader ones (INT is official misconduct, by the police): code → (name, the broader
codes). Only these pairs are checked for "includes", so a chance nesting (one INT record that also has DNA) is not
read as a rule."""


def coding_rule_label(table: pd.DataFrame, code: str, among: pd.Series | None = None) -> str:
    """The label a table row about ``code`` carries: :data:`CODED_ONLY_ON_FC` when ``code ⊂ fc``;
    :data:`EVERY_FC_CODED` when ``fc ⊂ code``; ``"includes misconduct in interrogation (coded only on
    false-confession cases)"`` when ``code`` is a broader code of :data:`PARTS` and the part is nested both in
    ``fc`` and in ``code`` (so the row's contrast with false confessions is partly the rule); else ``""``."""
    if code == "fc":
        return ""
    if nested(table, code, "fc", among).holds:
        return CODED_ONLY_ON_FC
    if nested(table, "fc", code, among).holds:
        return EVERY_FC_CODED
    for part, (name, broader) in PARTS.items():
        if code in broader and part in table and nested(table, part, "fc", among).holds \
                and nested(table, part, code, among).holds:
            return f"includes {name} ({CODED_ONLY_ON_FC})"
    return ""


def nesting_table(table: pd.DataFrame, codes: Sequence[str], among: pd.Series | None = None) -> pd.DataFrame:
    """Every ordered pair of ``codes``: ``inner, outer, n_inner, n_both, n_outer_missing, holds`` (a pair whose
    inner code is never coded yes has ``n_inner = 0`` and does not hold)."""
    rows = [nested(table, inner, outer, among).as_dict()
            for inner in codes for outer in codes if inner != outer]
    columns = ["inner", "outer", "n_inner", "n_both", "n_outer_missing", "holds"]
    out = pd.DataFrame(rows, columns=columns)
    for col in ("n_inner", "n_both", "n_outer_missing"):
        out[col] = out[col].astype("int64")
    out["holds"] = out["holds"].astype(bool)
    return out
