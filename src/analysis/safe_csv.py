"""CSV for spreadsheet users: cells that a spreadsheet would run as a formula are neutralised.

A text cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading apostrophe (OWASP's
advice against CSV injection). Numbers are never touched, so ``-3`` stays a number.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Prefix a text value that starts like a formula with ``'``; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text columns are neutralised."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise, na_action="ignore")
    return out


def to_safe_csv(frame: pd.DataFrame, path: Path, **kwargs) -> None:  # noqa: ANN003
    """Write ``frame`` as UTF-8 CSV with formula-like text neutralised."""
    kwargs.setdefault("index", False)
    safe_frame(frame).to_csv(path, encoding="utf-8", lineterminator="\n", **kwargs)
