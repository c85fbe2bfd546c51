"""A small, safe boolean expression language for ``--of`` / ``--among``.

Expressions select records of the canonical table by column values, for example ``fc``,
``dna and not dna_minor``, ``age < 18``, ``crime_category == "Murder"``,
``state_abbr in ["TX", "CA"]`` or ``posting_date <= "2020-12-31"``.

The text is read by a hand-written tokenizer and recursive-descent parser into an immutable tree of
dataclasses; nothing in it is ever handed to ``eval``, ``DataFrame.query`` or ``pd.eval``. Grammar::

    expr       := and_expr ("or" and_expr)*
    and_expr   := not_expr ("and" not_expr)*
    not_expr   := "not" not_expr | primary
    primary    := "(" expr ")"
                | NAME                                   # a yes/no (bool) column
                | NAME CMP literal | literal CMP NAME    # CMP is one of == != < <= > >=
                | NAME ["not"] "in" "[" literal ("," literal)* "]"
    literal    := STRING | ["-"] NUMBER | "true" | "false" | "True" | "False"

Names are ``[A-Za-z_][A-Za-z0-9_]*`` and must be known columns. Numbers are ``123`` or ``1.5`` (no exponent).
Strings use double or single quotes with the escapes ``\\\\ \\" \\' \\n \\r \\t \\uXXXX \\UXXXXXXXX``.
Dates are written as ISO strings (``"2020-01-31"``) and compare against date columns at midnight.

Missing values follow three-valued (Kleene) logic while evaluating: a comparison with a missing value is
unknown, ``not unknown`` is unknown, ``False and unknown`` is ``False``, ``True or unknown`` is ``True``.
At the end :meth:`Expr.evaluate` turns unknown into ``False``: **a record is counted only when the condition
is known to be true for it.** :meth:`Expr.evaluate_nullable` keeps the unknowns (to count them).
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import math
import operator
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import NoReturn

import numpy as np
import pandas as pd

from analysis.errors import ExpressionError

__all__ = [
    "KINDS", "MAX_DEPTH", "MAX_LENGTH",
    "And", "Column", "Compare", "Expr", "Literal", "Membership", "Not", "Or",
    "column_kinds", "parse",
]

MAX_LENGTH = 2_000
"""Longest expression text accepted, in characters."""
MAX_DEPTH = 50
"""Deepest nesting accepted: levels of parentheses plus chained ``not``."""
KINDS = ("bool", "int", "float", "str", "date")
"""Column kinds the type checks know; any other kind (e.g. ``"other"``) is checked only while evaluating."""

_KIND_ALIASES = {
    "boolean": "bool", "Int64": "int", "Int32": "int", "int64": "int", "Float64": "float", "float64": "float",
    "string": "str", "str": "str", "datetime64[ns]": "date", "datetime64[us]": "date", "datetime": "date",
}
"""dtype names accepted as kinds in the ``columns`` mapping given to :func:`parse` (e.g. schema dtypes)."""

KEYWORDS = frozenset({"and", "or", "not", "in", "true", "false", "True", "False"})
COMPARISONS = ("==", "!=", "<", "<=", ">", ">=")
_ORDERING = frozenset({"<", "<=", ">", ">="})
_FLIP = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
_OPS: dict[str, Callable[[object, object], object]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt,
    "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}
_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_ISO_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1

LiteralValue = bool | int | float | str


# ----------------------------------------------------------------------------------------------------
# The tree
# ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Literal:
    """A constant: ``bool``, ``int`` (int64 range), finite ``float`` or ``str``.

    Equality is type-aware (``Literal(1) != Literal(True) != Literal(1.0)``) so that a tree equals its
    re-parsed canonical text exactly.
    """

    value: LiteralValue

    def __post_init__(self) -> None:
        v = self.value
        if isinstance(v, bool | str):
            return
        if isinstance(v, int):
            if not _INT_MIN <= v <= _INT_MAX:
                raise ValueError(f"integer literal out of the int64 range: {v}")
            return
        if isinstance(v, float):
            if not math.isfinite(v):
                raise ValueError(f"float literal must be finite: {v}")
            return
        raise TypeError(f"literal must be bool, int, float or str, not {type(v).__name__}")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Literal):
            return NotImplemented
        return type(self.value) is type(other.value) and self.value == other.value

    def __hash__(self) -> int:
        return hash((type(self.value).__name__, self.value))

    def to_text(self) -> str:
        """Canonical source text: ``true``/``false``, ``18``, ``17.5`` (always with a point), ``"text"``."""
        v = self.value
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, int):
            return str(v)
        if isinstance(v, float):
            return _float_text(v)
        return _string_text(v)

    def __str__(self) -> str:
        return self.to_text()


class Expr:
    """A boolean condition over the columns of a table (an immutable tree; see the module docstring)."""

    __slots__ = ()

    def evaluate(self, df: pd.DataFrame) -> pd.Series:
        """Plain-``bool`` Series aligned to ``df.index``: True where the condition is *known* to be true.

        Rows where the condition is unknown (missing values, three-valued logic) are False.
        """
        return self.evaluate_nullable(df).fillna(False).astype(bool)

    def evaluate_nullable(self, df: pd.DataFrame) -> pd.Series:
        """Nullable ``boolean`` Series aligned to ``df.index``: True, False or ``<NA>`` (unknown)."""
        if not isinstance(df, pd.DataFrame):
            raise TypeError(f"evaluate needs a pandas DataFrame, not {type(df).__name__}")
        return self._eval(df)

    def columns(self) -> set[str]:
        """The column names the expression reads."""
        raise NotImplementedError

    def to_text(self) -> str:
        """Canonical text with minimal parentheses; ``parse(e.to_text(), ...) == e``."""
        raise NotImplementedError

    def _eval(self, df: pd.DataFrame) -> pd.Series:
        raise NotImplementedError

    def __str__(self) -> str:
        return self.to_text()


def _check_name(name: str) -> None:
    if not isinstance(name, str) or not _NAME_RE.match(name) or name in KEYWORDS:
        raise ValueError(f"not a valid column name in expressions: {name!r}")


@dataclass(frozen=True)
class Column(Expr):
    """A yes/no column used as a condition: true where the column is True."""

    name: str

    def __post_init__(self) -> None:
        _check_name(self.name)

    def columns(self) -> set[str]:
        return {self.name}

    def to_text(self) -> str:
        return self.name

    def _eval(self, df: pd.DataFrame) -> pd.Series:
        s, kind = _column(df, self.name)
        if kind not in ("bool", "other"):
            raise ExpressionError(
                f"column '{self.name}' is {kind}, not yes/no: compare it with a value instead "
                f"(e.g. {self.name} == ...)"
            )

        def known(v: pd.Series) -> object:
            if pd.api.types.is_bool_dtype(v.dtype):  # bool / boolean dtypes hold only yes/no: no per-value check
                return v
            if not all(isinstance(x, bool | np.bool_) for x in v):
                raise ExpressionError(f"column '{self.name}' does not hold yes/no values")
            return v

        return _known_map(s, known, self.name)


@dataclass(frozen=True)
class Compare(Expr):
    """``column op value`` with ``op`` one of ``== != < <= > >=``; unknown where the column is missing."""

    column: str
    op: str
    value: Literal

    def __post_init__(self) -> None:
        _check_name(self.column)
        if self.op not in _OPS:
            raise ValueError(f"unknown comparison operator: {self.op!r}")
        if not isinstance(self.value, Literal):
            raise TypeError("Compare.value must be a Literal")

    def columns(self) -> set[str]:
        return {self.column}

    def to_text(self) -> str:
        return f"{self.column} {self.op} {self.value.to_text()}"

    def _eval(self, df: pd.DataFrame) -> pd.Series:
        s, kind = _column(df, self.column)
        problem = _literal_problem(kind, self.op, self.value)
        if problem:
            raise ExpressionError(f"{problem} (in {self.to_text()})")
        value = _to_python(self.value, kind, s)
        fn = _OPS[self.op]
        return _known_map(s, lambda v: fn(v, value), self.column)


@dataclass(frozen=True)
class Membership(Expr):
    """``column in [v1, v2, ...]`` (or ``not in`` when ``negated``); unknown where the column is missing."""

    column: str
    values: tuple[Literal, ...]
    negated: bool = False

    def __post_init__(self) -> None:
        _check_name(self.column)
        object.__setattr__(self, "values", tuple(self.values))
        if not self.values or not all(isinstance(v, Literal) for v in self.values):
            raise ValueError("Membership.values must be a non-empty tuple of Literal")

    def columns(self) -> set[str]:
        return {self.column}

    def to_text(self) -> str:
        word = "not in" if self.negated else "in"
        return f"{self.column} {word} [{', '.join(v.to_text() for v in self.values)}]"

    def _eval(self, df: pd.DataFrame) -> pd.Series:
        s, kind = _column(df, self.column)
        for lit in self.values:
            problem = _literal_problem(kind, "==", lit)
            if problem:
                raise ExpressionError(f"{problem} (in {self.to_text()})")
        values = [_to_python(lit, kind, s) for lit in self.values]

        def known(v: pd.Series) -> object:
            # one == per value (not Series.isin) so that "x in [a]" means exactly "x == a"
            hit = np.zeros(len(v), dtype=bool)
            for value in values:
                hit |= np.asarray(v == value, dtype=bool)
            return ~hit if self.negated else hit

        return _known_map(s, known, self.column)


@dataclass(frozen=True)
class Not(Expr):
    """``not operand``: true where the operand is false; unknown stays unknown."""

    operand: Expr

    def columns(self) -> set[str]:
        return self.operand.columns()

    def to_text(self) -> str:
        inner = self.operand.to_text()
        return f"not ({inner})" if isinstance(self.operand, And | Or) else f"not {inner}"

    def _eval(self, df: pd.DataFrame) -> pd.Series:
        return ~self.operand._eval(df)


@dataclass(frozen=True)
class And(Expr):
    """``a and b and ...`` (two or more operands, Kleene logic: false wins over unknown)."""

    operands: tuple[Expr, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "operands", tuple(self.operands))
        if len(self.operands) < 2 or not all(isinstance(o, Expr) for o in self.operands):
            raise ValueError("And needs a tuple of at least two expressions")

    def columns(self) -> set[str]:
        return set().union(*(o.columns() for o in self.operands))

    def to_text(self) -> str:
        parts = (f"({o.to_text()})" if isinstance(o, And | Or) else o.to_text() for o in self.operands)
        return " and ".join(parts)

    def _eval(self, df: pd.DataFrame) -> pd.Series:
        result = self.operands[0]._eval(df)
        for o in self.operands[1:]:
            result = result & o._eval(df)
        return result


@dataclass(frozen=True)
class Or(Expr):
    """``a or b or ...`` (two or more operands, Kleene logic: true wins over unknown)."""

    operands: tuple[Expr, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "operands", tuple(self.operands))
        if len(self.operands) < 2 or not all(isinstance(o, Expr) for o in self.operands):
            raise ValueError("Or needs a tuple of at least two expressions")

    def columns(self) -> set[str]:
        return set().union(*(o.columns() for o in self.operands))

    def to_text(self) -> str:
        return " or ".join(f"({o.to_text()})" if isinstance(o, Or) else o.to_text() for o in self.operands)

    def _eval(self, df: pd.DataFrame) -> pd.Series:
        result = self.operands[0]._eval(df)
        for o in self.operands[1:]:
            result = result | o._eval(df)
        return result


# ----------------------------------------------------------------------------------------------------
# Kinds and evaluation helpers
# ----------------------------------------------------------------------------------------------------


def _kind_of(s: pd.Series) -> str:
    dtype = s.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return _kind_of(pd.Series(dtype.categories))
    if pd.api.types.is_bool_dtype(dtype):
        return "bool"
    if pd.api.types.is_integer_dtype(dtype):
        return "int"
    if pd.api.types.is_float_dtype(dtype):
        return "float"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "date"
    if isinstance(dtype, pd.StringDtype):
        return "str"
    if pd.api.types.is_object_dtype(dtype):
        known = s.dropna()
        if len(known) and all(isinstance(x, bool | np.bool_) for x in known):
            return "bool"
        if len(known) and all(isinstance(x, str) for x in known):
            return "str"
    return "other"


def column_kinds(df: pd.DataFrame) -> dict[str, str]:
    """Kind of each column from its dtype: ``bool`` (bool/boolean), ``int``, ``float``, ``date`` (datetime64),
    ``str`` (string dtypes, or object columns holding only strings), else ``other``."""
    return {str(name): _kind_of(df.iloc[:, i]) for i, name in enumerate(df.columns)}


def _column(df: pd.DataFrame, name: str) -> tuple[pd.Series, str]:
    if name not in df.columns:
        raise ExpressionError(_unknown_column_message(name, [str(c) for c in df.columns]))
    s = df[name]
    if isinstance(s, pd.DataFrame):
        raise ExpressionError(f"column '{name}' appears more than once in the table")
    kind = _kind_of(s)
    if isinstance(s.dtype, pd.CategoricalDtype):
        s = s.astype(object)
    return s, kind


def _known_map(s: pd.Series, fn: Callable[[pd.Series], object], name: str) -> pd.Series:
    """Apply ``fn`` to the non-missing values of ``s``; missing values give ``<NA>`` (boolean dtype)."""
    na = np.asarray(s.isna(), dtype=bool)
    out = np.zeros(len(s), dtype=bool)
    if not na.all():
        try:
            out[~na] = np.asarray(fn(s[~na]), dtype=bool)
        except ExpressionError:
            raise
        except (TypeError, ValueError, OverflowError) as exc:
            detail = " ".join(str(exc).split())
            raise ExpressionError(f"cannot evaluate on column '{name}' ({s.dtype}): {detail}") from None
    return pd.Series(pd.arrays.BooleanArray(out, na.copy()), index=s.index)


def _literal_problem(kind: str | None, op: str, lit: Literal) -> str | None:
    """Why ``column(kind) op lit`` is ill-typed, or None. Unknown kinds are not checked."""
    v = lit.value
    text = lit.to_text()
    if kind == "bool":
        if op in _ORDERING:
            return f"'{op}' cannot be used on a yes/no column; compare with == true or == false"
        if not isinstance(v, bool):
            return f"a yes/no column compares with true or false, not {text}"
    elif kind in ("int", "float"):
        if isinstance(v, bool) or not isinstance(v, int | float):
            return f"a number column ({kind}) compares with a number, not {text}"
    elif kind == "str":
        if not isinstance(v, str):
            return f"a text column compares with a quoted string, not {text}"
        if op in _ORDERING:
            return f"'{op}' cannot be used on a text column; use ==, != or in"
    elif kind == "date" and (not isinstance(v, str) or _parse_date(v) is None):
        return f'a date column compares with an ISO date string such as "2020-01-31", not {text}'
    return None


def _parse_date(text: str) -> dt.date | None:
    if not _ISO_DATE_RE.match(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _to_python(lit: Literal, kind: str, s: pd.Series) -> object:
    """The value to compare column ``s`` with: a Timestamp (in the column's time zone) for dates."""
    if kind == "date":
        day = _parse_date(lit.value) if isinstance(lit.value, str) else None
        if day is None:  # pragma: no cover - rejected by _literal_problem first
            raise ExpressionError(f"not an ISO date: {lit.to_text()}")
        ts = pd.Timestamp(day)
        tz = getattr(s.dt, "tz", None)
        return ts.tz_localize(tz) if tz is not None else ts
    return lit.value


# ----------------------------------------------------------------------------------------------------
# Text: literals and messages
# ----------------------------------------------------------------------------------------------------

_ESCAPE_OUT = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_ESCAPE_IN = {"\\": "\\", '"': '"', "'": "'", "n": "\n", "r": "\r", "t": "\t"}


def _string_text(value: str) -> str:
    out = []
    for ch in value:
        if ch in _ESCAPE_OUT:
            out.append(_ESCAPE_OUT[ch])
        elif ch.isprintable():
            out.append(ch)
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'


def _float_text(value: float) -> str:
    """Fixed-point text that reads back to exactly ``value`` (shortest repr, no exponent, always a point)."""
    mantissa, _, exponent = repr(value).partition("e")
    if not exponent:
        return mantissa
    sign = "-" if mantissa.startswith("-") else ""
    digits_int, _, digits_frac = mantissa.lstrip("-").partition(".")
    digits = digits_int + digits_frac
    point = len(digits_int) + int(exponent)
    if point <= 0:
        text = "0." + "0" * -point + digits
    elif point >= len(digits):
        text = digits + "0" * (point - len(digits)) + ".0"
    else:
        text = digits[:point] + "." + digits[point:]
    return sign + text


def _quote(text: str, pos: int | None = None, width: int = 70) -> str:
    """The expression as a one-line quoted string, cut to a window around ``pos`` when long."""
    if len(text) <= width:
        return json.dumps(text, ensure_ascii=False)
    centre = len(text) // 2 if pos is None else pos
    start = max(0, min(centre - width // 2, len(text) - width))
    end = start + width
    piece = ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
    return json.dumps(piece, ensure_ascii=False)


def _show(fragment: str) -> str:
    if len(fragment) > 20:
        fragment = fragment[:19] + "…"
    if fragment.isprintable():
        return f"'{fragment}'"
    if len(fragment) == 1:
        return f"U+{ord(fragment):04X}"
    return json.dumps(fragment)


def _valid_columns_tail(name: str, valid: Collection[str]) -> str:
    names = sorted(valid)
    close = difflib.get_close_matches(name, names, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"{hint}; valid columns: {', '.join(names) if names else '(none)'}"


def _unknown_column_message(name: str, valid: Collection[str]) -> str:
    return f"unknown column '{name}'{_valid_columns_tail(name, valid)}"


# ----------------------------------------------------------------------------------------------------
# Tokenizer
# ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    kind: str  # name, keyword, number, string, op, punct, end, error
    text: str
    pos: int
    value: object = None  # literal value; for "error": the message


_TOKEN_RE = re.compile(
    r"(?P<ws>[ \t\r\n\f\v]+)"
    r"|(?P<number>[0-9]+(?:\.[0-9]+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op>==|!=|<=|>=|<|>)"
    r"|(?P<punct>[()\[\],-])",
    re.ASCII,
)
_HINTS = {
    "=": "use '==' to compare",
    "!": "use 'not' to negate or '!=' to compare",
    "&&": "use 'and'", "&": "use 'and'", "||": "use 'or'", "|": "use 'or'", "~": "use 'not'",
    "+": "arithmetic is not allowed", "*": "arithmetic is not allowed", "/": "arithmetic is not allowed",
    "%": "arithmetic is not allowed",
}


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(text):
        ch = text[pos]
        if ch in "\"'":
            tok = _read_string(text, pos)
            tokens.append(tok)
            if tok.kind == "error":
                return tokens
            pos += len(tok.text)
            continue
        m = _TOKEN_RE.match(text, pos)
        if m is None:
            bad = text[pos:pos + 2] if text[pos:pos + 2] in ("&&", "||") else ch
            hint = _HINTS.get(bad, "")
            message = f"unexpected {_show(bad)}"
            tokens.append(_Token("error", bad, pos, (message, hint)))
            return tokens
        kind = m.lastgroup or ""
        word = m.group()
        if kind == "number":
            value: object = float(word) if "." in word else int(word)
            tokens.append(_Token("number", word, pos, value))
        elif kind == "name":
            tokens.append(_Token("keyword" if word in KEYWORDS else "name", word, pos))
        elif kind in ("op", "punct"):
            tokens.append(_Token(kind, word, pos))
        pos = m.end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


def _read_string(text: str, start: int) -> _Token:
    quote = text[start]
    out: list[str] = []
    pos = start + 1
    while pos < len(text):
        ch = text[pos]
        if ch == quote:
            return _Token("string", text[start:pos + 1], start, "".join(out))
        if ch == "\\":
            esc = text[pos + 1:pos + 2]
            if esc in _ESCAPE_IN:
                out.append(_ESCAPE_IN[esc])
                pos += 2
                continue
            if esc in ("u", "U"):
                width = 4 if esc == "u" else 8
                digits = text[pos + 2:pos + 2 + width]
                if len(digits) == width and all(c in "0123456789abcdefABCDEF" for c in digits):
                    code = int(digits, 16)
                    if code <= 0x10FFFF:
                        out.append(chr(code))
                        pos += 2 + width
                        continue
            shown = text[pos:pos + 2] if esc else "\\"
            return _Token("error", shown, pos, (f"invalid escape {_show(shown)} in string", ""))
        out.append(ch)
        pos += 1
    return _Token("error", quote, start, ("unterminated string starting", f"close it with {quote}"))


# ----------------------------------------------------------------------------------------------------
# Parser
# ----------------------------------------------------------------------------------------------------


class _Parser:
    def __init__(self, text: str, kinds: Mapping[str, str | None]) -> None:
        self.text = text
        self.kinds = kinds
        self.tokens = _tokenize(text)
        self.i = 0
        self.depth = 0
        self.deferred: str | None = None  # first name/type problem; raised once the syntax is known good

    # -- helpers
    @property
    def tok(self) -> _Token:
        return self.tokens[self.i]

    def advance(self) -> _Token:
        tok = self.tokens[self.i]
        if tok.kind not in ("end", "error"):
            self.i += 1
        return tok

    def at(self, kind: str, text: str | None = None) -> bool:
        tok = self.tok
        return tok.kind == kind and (text is None or tok.text == text)

    def fail(self, message: str, pos: int, hint: str = "") -> NoReturn:
        raise ExpressionError(
            f"{message} at position {pos} in {_quote(self.text, pos)}" + (f" ({hint})" if hint else "")
        )

    def unexpected(self, expected: str = "") -> NoReturn:
        tok = self.tok
        if tok.kind == "error":
            message, hint = tok.value  # type: ignore[misc]
            self.fail(message, tok.pos, hint)
        if tok.kind == "end":
            self.fail("unexpected end of expression", tok.pos, f"expected {expected}" if expected else "")
        hint = ""
        if tok.kind == "name" and tok.text.lower() in KEYWORDS and tok.text not in KEYWORDS:
            hint = f"write '{tok.text.lower()}' in lower case"
        elif tok.text == "-":
            hint = "arithmetic is not allowed"
        elif tok.kind == "name" and self.i and self.tokens[self.i - 1].kind == "number":
            hint = "numbers are written like 18 or 17.5, without exponents"
        elif expected:
            hint = f"expected {expected}"
        self.fail(f"unexpected {_show(tok.text)}", tok.pos, hint)

    def defer(self, message: str, pos: int, tail: str = "") -> None:
        if self.deferred is None:
            self.deferred = f"{message} at position {pos} in {_quote(self.text, pos)}{tail}"

    def enter(self, pos: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self.fail(f"expression nested too deeply (more than {MAX_DEPTH} levels of '(' or 'not')", pos)

    # -- grammar
    def parse(self) -> Expr:
        if self.at("end"):
            raise ExpressionError("empty expression: write a condition such as fc or age < 18")
        expr = self.parse_or()
        if not self.at("end"):
            if self.at("op"):
                self.fail(f"unexpected {_show(self.tok.text)}", self.tok.pos,
                          "chained comparisons are not supported; join two comparisons with 'and'")
            self.unexpected("'and', 'or' or the end")
        if self.deferred:
            raise ExpressionError(self.deferred)
        return expr

    def parse_or(self) -> Expr:
        operands = [self.parse_and()]
        while self.at("keyword", "or"):
            self.advance()
            operands.append(self.parse_and())
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def parse_and(self) -> Expr:
        operands = [self.parse_not()]
        while self.at("keyword", "and"):
            self.advance()
            operands.append(self.parse_not())
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def parse_not(self) -> Expr:
        if self.at("keyword", "not"):
            tok = self.advance()
            self.enter(tok.pos)
            operand = self.parse_not()
            self.depth -= 1
            return Not(operand)
        return self.parse_primary()

    def parse_primary(self) -> Expr:
        tok = self.tok
        if self.at("punct", "("):
            self.advance()
            self.enter(tok.pos)
            expr = self.parse_or()
            if not self.at("punct", ")"):
                self.unexpected("')'")
            self.advance()
            self.depth -= 1
            return expr
        if tok.kind == "name":
            return self.parse_column()
        if self.starts_literal():
            return self.parse_literal_first()
        self.unexpected("a column name, 'not' or '('")

    def starts_literal(self) -> bool:
        tok = self.tok
        return tok.kind in ("number", "string") or tok.text == "-" or (
            tok.kind == "keyword" and tok.text in ("true", "false", "True", "False")
        )

    def name(self) -> tuple[str, str | None]:
        tok = self.advance()
        if tok.text not in self.kinds:
            self.defer(f"unknown column '{tok.text}'", tok.pos, _valid_columns_tail(tok.text, self.kinds))
            return tok.text, None
        return tok.text, self.kinds[tok.text]

    def parse_column(self) -> Expr:
        name_tok = self.tok
        name, kind = self.name()
        if self.at("op"):
            op_tok = self.advance()
            if self.at("name"):
                self.fail("a column can only be compared with a value, not with another column",
                          self.tok.pos)
            lit_pos = self.tok.pos
            lit = self.parse_literal()
            self.check(kind, op_tok.text, lit, name, op_tok.pos, lit_pos)
            return Compare(name, op_tok.text, lit)
        negated = False
        if self.at("keyword", "not") and self.tokens[self.i + 1].text == "in" and \
                self.tokens[self.i + 1].kind == "keyword":
            self.advance()
            negated = True
        if self.at("keyword", "in"):
            self.advance()
            values = self.parse_list(kind, name)
            return Membership(name, values, negated)
        if kind is not None and kind in KINDS and kind != "bool":
            self.defer(f"column '{name}' is {kind}, not yes/no", name_tok.pos,
                       f": compare it with a value (e.g. {name} == ...)")
        return Column(name)

    def parse_list(self, kind: str | None, name: str) -> tuple[Literal, ...]:
        if not self.at("punct", "["):
            self.unexpected("'[' to start a list of values")
        self.advance()
        if self.at("punct", "]"):
            self.fail("empty list", self.tok.pos, "give at least one value")
        values = []
        while True:
            pos = self.tok.pos
            lit = self.parse_literal()
            self.check(kind, "==", lit, name, pos, pos)
            values.append(lit)
            if self.at("punct", ","):
                self.advance()
                continue
            if self.at("punct", "]"):
                self.advance()
                return tuple(values)
            self.unexpected("',' or ']'")

    def parse_literal_first(self) -> Expr:
        lit_pos = self.tok.pos
        lit = self.parse_literal()
        if not self.at("op"):
            self.unexpected("a comparison operator after a value")
        op_tok = self.advance()
        if not self.at("name"):
            self.unexpected("a column name")
        name, kind = self.name()
        op = _FLIP[op_tok.text]
        self.check(kind, op, lit, name, op_tok.pos, lit_pos)
        return Compare(name, op, lit)

    def parse_literal(self) -> Literal:
        tok = self.tok
        if tok.kind == "string":
            self.advance()
            return Literal(tok.value)  # type: ignore[arg-type]
        if tok.kind == "keyword" and tok.text in ("true", "True", "false", "False"):
            self.advance()
            return Literal(tok.text in ("true", "True"))
        sign = 1
        if tok.text == "-" and tok.kind == "punct":
            self.advance()
            sign = -1
            if not self.at("number"):
                self.unexpected("a number after '-'")
            tok = self.tok
        if tok.kind == "number":
            self.advance()
            value = tok.value
            if isinstance(value, int):
                value = sign * value
                if not _INT_MIN <= value <= _INT_MAX:
                    self.fail("number out of range", tok.pos)
                return Literal(value)
            value = sign * float(value)  # type: ignore[arg-type]
            if not math.isfinite(value):
                self.fail("number out of range", tok.pos)
            return Literal(value)
        self.unexpected("a value (number, quoted string, true or false)")

    def check(self, kind: str | None, op: str, lit: Literal, name: str, op_pos: int, lit_pos: int) -> None:
        problem = _literal_problem(kind, op, lit)
        if problem:
            at_op = kind in ("bool", "str") and op in _ORDERING
            self.defer(f"type mismatch for '{name}'", op_pos if at_op else lit_pos, f": {problem}")


def parse(text: str, columns: Mapping[str, str] | Collection[str] | pd.DataFrame) -> Expr:
    """Parse ``text`` into an :class:`Expr` over ``columns``, or raise :class:`ExpressionError` (one line).

    ``columns`` is a mapping of column name to kind (``bool``, ``int``, ``float``, ``str``, ``date``, or a
    dtype name such as ``boolean``/``Int64``/``string``; other kinds are not type-checked), a plain collection
    of names (no type checks), or a DataFrame (kinds from its dtypes). Syntax errors are reported first, then
    unknown columns and type mismatches, each with its position (0-based) in the text.
    """
    if not isinstance(text, str):
        raise ExpressionError(f"expression must be text, not {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"expression too long ({len(text):,} characters; the limit is {MAX_LENGTH:,})")
    kinds: Mapping[str, str | None]
    if isinstance(columns, pd.DataFrame):
        kinds = column_kinds(columns)
    elif isinstance(columns, Mapping):
        kinds = {str(k): _KIND_ALIASES.get(str(v), v) if v is not None else None for k, v in columns.items()}
    elif isinstance(columns, str):
        raise TypeError("columns must be a collection of names, not a single string")
    else:
        kinds = dict.fromkeys((str(c) for c in columns), None)
    return _Parser(text, kinds).parse()
