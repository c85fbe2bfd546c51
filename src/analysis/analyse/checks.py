"""What an expression asks of a snapshot, checked before any share is computed, so that no sentence is false.

* **Not recorded**: a column the expression names that is missing in every record of the snapshot (for example
  ``om_interrogation`` before 2021, ``dna_minor`` from 2024, ``codefendant_group`` before 2026) cannot be asked
  about: :class:`NotRecordedError` (one line), never "0 of 1,535" or "there were no exonerations where …".
* **Values**: a quoted value compared with a text column (``==``, ``!=``, ``in``, ``not in``) must be one of the
  column's allowed values (:mod:`analysis.normalise.schema`), or, for a free-text column, occur in the snapshot;
  otherwise :class:`analysis.errors.ExpressionError` with "did you mean" suggestions: the same value in another
  column with a code list (``state == "IL"`` → ``state_abbr == "IL"``), the value of this column on the records
  that have it there (→ ``state == "Illinois"``), and close spellings (``"murder"`` → ``"Murder"``).
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable

import pandas as pd

from analysis.analyse.filters import Expr, column_kinds
from analysis.errors import ExpressionError, UserError
from analysis.normalise.schema import BY_NAME

__all__ = ["NotRecordedError", "check_expressions", "not_recorded_columns", "value_problems"]


class NotRecordedError(UserError):
    """An expression names a column the snapshot does not record (missing in every record)."""


def not_recorded_columns(table: pd.DataFrame, expressions: Iterable[Expr | None]) -> list[str]:
    """The columns named by ``expressions`` that are missing in every record of ``table`` (in order named); none
    for a table without records (it has no share to report anyway, and says so)."""
    names = dict.fromkeys(c for e in expressions if e is not None for c in e.columns)
    return [c for c in names if c in table.columns and len(table) and table[c].isna().all()]


def _reason(name: str, rows: int) -> str:
    caveat = BY_NAME[name].caveat.split(". ")[0].rstrip(".") if name in BY_NAME and BY_NAME[name].caveat else ""
    return f"missing in all {rows:,} records" + (f"; data dictionary: {caveat}" if caveat else "")


def _allowed(table: pd.DataFrame, name: str) -> list[str]:
    column = BY_NAME.get(name)
    if column is not None and column.allowed is not None:
        return [str(v) for v in column.allowed]
    return [str(v) for v in pd.unique(table[name].dropna())]


def _quote(name: str, value: str) -> str:
    return f"`{name} == {json.dumps(value, ensure_ascii=False)}`"


def _suggestions(table: pd.DataFrame, name: str, value: str, kinds: dict[str, str]) -> list[str]:
    allowed = _allowed(table, name)
    folded = {v.casefold(): v for v in allowed}
    out = [_quote(name, folded[value.casefold()])] if value.casefold() in folded else []
    for other, kind in kinds.items():  # columns with a code list only: free text would suggest noise
        if other == name or kind != "str" or other not in BY_NAME or BY_NAME[other].allowed is None:
            continue
        hit = next((v for v in _allowed(table, other) if v.casefold() == value.casefold()), None)
        if hit is None:
            continue
        out.append(_quote(other, hit))
        mapped = pd.unique(table.loc[table[other].astype(object) == hit, name].dropna())
        if len(mapped) == 1:
            out.append(_quote(name, str(mapped[0])))
    if value.casefold() not in folded:  # a spelling only when the case alone is not the mistake
        close = difflib.get_close_matches(value.casefold(), list(folded), n=2, cutoff=0.75)
        out += [_quote(name, folded[c]) for c in close]
    return list(dict.fromkeys(out))


def value_problems(table: pd.DataFrame, expr: Expr, kinds: dict[str, str] | None = None) -> list[str]:
    """One message per quoted value of ``expr`` that its text column cannot hold (see the module docstring);
    ``kinds``: :func:`analysis.analyse.filters.column_kinds` of ``table``, when already known."""
    kinds = kinds if kinds is not None else column_kinds(table)
    problems = []
    for _, name, op, values in expr.comparisons:
        if op not in ("==", "!=", "in", "not in") or kinds.get(name) != "str" or name not in table.columns:
            continue
        allowed = set(_allowed(table, name))
        for value in values:
            if not isinstance(value, str) or value in allowed:
                continue
            column = BY_NAME.get(name)
            what = "one of its allowed values" if column is not None and column.allowed is not None else \
                "in this export"
            hint = _suggestions(table, name, value, kinds)
            tail = f" (did you mean {' or '.join(hint)}?)" if hint else ""
            problems.append(f"{json.dumps(value, ensure_ascii=False)} is not a value of `{name}` ({what}), so "
                            f"`{expr.text}` would count nothing by mistake{tail}")
    return problems


def check_expressions(table: pd.DataFrame, expressions: Iterable[Expr | None],
                      kinds: dict[str, str] | None = None) -> None:
    """Raise :class:`NotRecordedError` for a column not recorded in ``table``, then ExpressionError for a value
    a text column cannot hold; return None when every expression can be answered."""
    expressions = [e for e in expressions if e is not None]
    missing = not_recorded_columns(table, expressions)
    if missing:
        name = missing[0]
        more = f"; also not recorded: {', '.join(f'`{m}`' for m in missing[1:])}" if len(missing) > 1 else ""
        raise NotRecordedError(f"`{name}` is not recorded in this export ({_reason(name, len(table))}{more}), so "
                               "there is no share to report")
    for expr in expressions:
        problems = value_problems(table, expr, kinds)
        if problems:
            raise ExpressionError(problems[0])
