"""A small, safe boolean expression language for ``--of`` / ``--among``: a subset of Python's, with its precedence::

    expr     := expr "or" expr | expr "and" expr | "not" expr | "(" expr ")"
              | NAME                                   # a yes/no (bool) column
              | NAME CMP literal | literal CMP NAME    # CMP is one of == != < <= > >=
              | NAME ["not"] "in" "[" literal ("," literal)* "]"
    literal  := STRING | ["-"] NUMBER | "true" | "false" | "True" | "False"

for example ``fc and not dna``, ``age < 18``, ``state_abbr in ["TX", "CA"]``, ``posting_date <= "2020-12-31"``.
Names are ``[A-Za-z_][A-Za-z0-9_]*`` (known columns); numbers ``123`` or ``1.5``; strings use either quote and the
escapes ``\\\\ \\" \\' \\n \\r \\t \\uXXXX \\UXXXXXXXX``; dates are ISO strings (``"2020-01-31"``, midnight).
:func:`ast.parse` (mode ``eval``: it parses, never runs) reads the text with its literals blanked (``"   "`` or
``000``, then a space, so that ``18and``, ``007`` or raw newlines in strings read as here); only the shapes above
are kept. Missing values are unknown (Kleene logic: ``False and unknown`` is ``False``); :meth:`Expr.evaluate`
counts a record **only when the condition is known to be true for it**.
"""

from __future__ import annotations

import ast
import datetime as dt
import difflib
import json
import math
import operator
import re
from collections.abc import Callable, Collection, Mapping
from functools import reduce

import numpy as np
import pandas as pd

from analysis.errors import ExpressionError

__all__ = ["KINDS", "MAX_DEPTH", "MAX_LENGTH", "Expr", "Leaf", "column_kinds", "parse"]

MAX_LENGTH = 2_000  # longest expression text accepted, in characters
MAX_DEPTH = 50  # deepest nesting accepted: levels of parentheses plus chained ``not``
KINDS = ("bool", "int", "float", "str", "date")  # type-checked kinds; others (e.g. "other") only while evaluating
_KIND_ALIASES = {  # dtype names accepted as kinds in the ``columns`` given to :func:`parse` (e.g. schema dtypes)
    "boolean": "bool", "Int64": "int", "Int32": "int", "int64": "int", "Float64": "float", "float64": "float",
    "string": "str", "str": "str", "datetime64[ns]": "date", "datetime64[us]": "date", "datetime": "date",
}

_BOOLS = {"true": True, "false": False, "True": True, "False": False}
_CMP = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.In: "in",
        ast.NotIn: "not in"}
_OPS = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
_FLIP = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
_LITERAL = re.compile(r"""(?P<str>"(?:[^"\\]|\\[\s\S])*"|'(?:[^'\\]|\\[\s\S])*')"""
                      r"""|(?<!\w)(?P<num>[0-9]+(?:\.[0-9]+)?)|[ \t\r\n\f\v]""")  # literals, other whitespace
_ESCAPE = re.compile(r"""\\(?:([\\"'nrt])|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|)""")
_ESCAPES = {"\\": "\\", '"': '"', "'": "'", "n": "\n", "r": "\r", "t": "\t"}
_VALUE = r"(?:- *)?0+|\" *\"|true|false|True|False"  # a literal, once blanked
_LIST = re.compile(rf"\[ *(?:{_VALUE})(?: *, *(?:{_VALUE}))* *\]")  # no parentheses, no trailing comma
_TOO_DEEP = f"expression nested too deeply (more than {MAX_DEPTH} levels of '(' or 'not')"

Mask = Callable[[pd.DataFrame], pd.Series]
Leaf = tuple[str, str, str, tuple]
"""A comparison in :attr:`Expr.tree`: ``("cmp", column, op, values)``; op ``""`` for a bare yes/no column."""


def _tree(mask: Mask, tree: tuple) -> Mask:
    mask.tree = tree  # type: ignore[attr-defined]
    return mask


def _leaves(tree: tuple) -> list[Leaf]:
    if tree[0] == "cmp":
        return [tree]  # type: ignore[list-item]
    return [leaf for child in (tree[1] if tree[0] in ("and", "or") else (tree[1],)) for leaf in _leaves(child)]


class Expr:
    """A parsed condition over the columns of a table (see the module docstring).

    ``tree`` is its structure: ``("and" | "or", (child, ...))``, ``("not", child)`` or a comparison
    ``("cmp", column, op, values)`` (op one of == != < <= > >= in, not in, or ``""`` for a bare yes/no column).
    """

    __slots__ = ("_mask", "text", "tree")

    def __init__(self, text: str, mask: Mask, tree: tuple | None = None) -> None:
        self.text, self._mask = text, mask
        self.tree = tree if tree is not None else getattr(mask, "tree", ("and", ()))

    @property
    def comparisons(self) -> list[Leaf]:
        """Every comparison in the expression, in order of appearance."""
        return _leaves(self.tree)

    @property
    def columns(self) -> list[str]:
        """The columns the expression names, each once, in order of appearance."""
        return list(dict.fromkeys(leaf[1] for leaf in self.comparisons))

    def evaluate(self, df: pd.DataFrame) -> pd.Series:
        """Plain-``bool`` Series aligned to ``df.index``: True where the condition is *known* to be true."""
        return self.evaluate_nullable(df).fillna(False).astype(bool)

    def evaluate_nullable(self, df: pd.DataFrame) -> pd.Series:
        """Nullable ``boolean`` Series aligned to ``df.index``: True, False or ``<NA>`` (unknown)."""
        if not isinstance(df, pd.DataFrame):
            raise TypeError(f"evaluate needs a pandas DataFrame, not {type(df).__name__}")
        return self._mask(df)

    def __repr__(self) -> str:
        return f"Expr({self.text!r})"


def parse(text: str, columns: Mapping[str, str] | Collection[str] | pd.DataFrame) -> Expr:
    """Parse ``text`` into an :class:`Expr` over ``columns``, or raise :class:`ExpressionError` (one line).

    ``columns``: a mapping of name to kind (one of :data:`KINDS` or a dtype name such as ``Int64``; other kinds
    are not type-checked), a collection of names (no type checks) or a DataFrame (kinds from its dtypes).
    Syntax errors come first, then unknown columns and type mismatches, each with its (0-based) position.
    """
    if not isinstance(text, str):
        raise ExpressionError(f"expression must be text, not {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"expression too long ({len(text):,} characters; the limit is {MAX_LENGTH:,})")
    if isinstance(columns, pd.DataFrame):
        kinds: Mapping[str, str | None] = column_kinds(columns)
    elif isinstance(columns, Mapping):
        kinds = {str(k): _KIND_ALIASES.get(str(v), v) if v is not None else None for k, v in columns.items()}
    elif isinstance(columns, str):
        raise TypeError("columns must be a collection of names, not a single string")
    else:
        kinds = dict.fromkeys((str(c) for c in columns), None)
    return _Parser(text, kinds).parse()


class _Parser:
    def __init__(self, text: str, kinds: Mapping[str, str | None]) -> None:
        self.text, self.kinds, self.deferred = text, kinds, ""  # deferred: the first name or type problem
        self.literals: dict[int, re.Match[str]] = {}  # offset in self.code -> the literal blanked there
        # what ast.parse reads; leading form feeds, not spaces, which Python refuses as an indent
        self.code = re.sub("^ +", lambda m: "\f" * len(m.group()), _LITERAL.sub(self.blank, text))
        self.added = [at + m.end() - m.start() for at, m in self.literals.items()]  # the space after each literal

    def blank(self, m: re.Match[str]) -> str:
        if m.lastgroup:
            self.literals[m.start() + len(self.literals)] = m
        n = m.end() - m.start()
        return '"' + " " * (n - 2) + '" ' if m.lastgroup == "str" else "0" * n + " " if m.lastgroup else " "

    def pos(self, at: int) -> int:  # the position in the text of offset ``at`` in ``self.code``
        return max(0, min(at - sum(a < at for a in self.added), len(self.text)))

    def fail(self, message: str, at: int, tail: str = "", defer: bool = False) -> None:  # at: in self.code
        pos, start = self.pos(at), max(0, min(self.pos(at) - 35, len(self.text) - 70))  # a window of the text
        shown = ("…" if start else "") + self.text[start:start + 70] + ("…" if start + 70 < len(self.text) else "")
        message = f"{message} at position {pos} in {json.dumps(shown, ensure_ascii=False)}{tail}"
        if not defer:
            raise ExpressionError(message)
        self.deferred = self.deferred or message

    def parse(self) -> Expr:
        if not self.code.strip("\f "):
            raise ExpressionError("empty expression: write a condition such as fc or age < 18")
        try:
            body = ast.parse(self.code, mode="eval").body
        except SyntaxError as e:  # Python's message, on one line, and position (none at the end of the text)
            message = " ".join(re.sub(r"\(detected at line \d+\)", "", e.msg or "").split()) or "invalid syntax"
            self.fail("unexpected end of expression" if not e.offset and message == "invalid syntax" else message,
                      e.offset - 1 if e.offset else len(self.code))
        except (ValueError, RecursionError, MemoryError):  # a NUL character, or nesting too deep for Python
            body = None
        if bad := re.search(r"[^\f -~]|#", self.code):  # Python takes wider names, and comments
            self.fail(f"unexpected {bad.group()!r} (U+{ord(bad.group()):04X})", bad.start())
        mask = self.boolean(body, 0) if body else self.fail(_TOO_DEEP, 0)
        if self.deferred:
            raise ExpressionError(self.deferred)
        return Expr(self.text, mask)

    def boolean(self, node: ast.expr, nots: int) -> Mask:
        nots += isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not)
        if self.code.count("(", 0, node.col_offset) - self.code.count(")", 0, node.col_offset) + nots > MAX_DEPTH:
            self.fail(_TOO_DEEP, node.col_offset)
        if isinstance(node, ast.BoolOp):
            parts = [self.boolean(v, nots) for v in node.values]
            op = operator.and_ if isinstance(node.op, ast.And) else operator.or_
            word = "and" if isinstance(node.op, ast.And) else "or"
            return _tree(lambda df: reduce(op, (p(df) for p in parts)),
                         (word, tuple(getattr(p, "tree", ()) for p in parts)))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            inner = self.boolean(node.operand, nots)
            return _tree(lambda df: ~inner(df), ("not", getattr(inner, "tree", ())))
        if isinstance(node, ast.Compare):
            return self.compare(node)
        if isinstance(node, ast.Name) and node.id not in _BOOLS:
            name, kind = self.column(node)
            if kind in KINDS and kind != "bool":
                self.fail(f"column '{name}' is {kind}, not yes/no", node.col_offset,
                          f": compare it with a value (e.g. {name} == ...)", defer=True)
            return _tree(_leaf(name, "", [], []), ("cmp", name, "", ()))
        what = self.text[self.pos(node.col_offset):self.pos(node.end_col_offset)][:40]
        return self.fail(f"{what!r} is not a condition (a yes/no column or a comparison)", node.col_offset)

    def compare(self, node: ast.Compare) -> Mask:
        left, right, op = node.left, node.comparators[0], _CMP.get(type(node.ops[0]), "")
        named = [isinstance(n, ast.Name) and n.id not in _BOOLS for n in (left, right)]  # which side is a column
        at_op, among = self.skip(left.end_col_offset), op in ("in", "not in")
        if len(node.ops) > 1 or not op:  # at the second operator of a chained comparison
            self.fail("unsupported comparison: use one of == != < <= > >= in, not in (and 'and' between two)",
                      self.skip(right.end_col_offset) if op else at_op)
        if left.col_offset != node.col_offset or right.end_col_offset != node.end_col_offset:
            self.fail("parentheses can only group conditions, not a column or a value", node.col_offset)
        if named[0] and among and not _LIST.fullmatch(self.code[right.col_offset:right.end_col_offset]):
            self.fail("'in' needs a list of values such as [1, 2]", right.col_offset)
        if named[0] == named[1] or named[1] and among:
            self.fail("a comparison needs a column on one side and a value on the other", node.col_offset)
        literals = [self.literal(v) for v in (right.elts if among else [right if named[0] else left])]
        name, kind = self.column(left if named[0] else right)
        op = op if named[0] else _FLIP[op]
        for value, shown, at in literals:
            if problem := _literal_problem(kind, "==" if among else op, value, shown):
                ordering = kind in ("bool", "str") and op in ("<", "<=", ">", ">=")
                self.fail(f"type mismatch for '{name}'", at_op if ordering else at, f": {problem}", True)
        return _tree(_leaf(name, op, [v for v, _, _ in literals], [s for _, s, _ in literals]),
                     ("cmp", name, op, tuple(v for v, _, _ in literals)))

    def literal(self, node: ast.expr) -> tuple[object, str, int]:
        """A literal's value, its text for messages and its offset; anything else is refused."""
        at, end = node.col_offset, node.end_col_offset
        word = self.code[at:end]
        m = self.literals.get(start := end - len(word.lstrip("- ")))  # the literal after any sign
        if not re.fullmatch(_VALUE, word) or not m and word not in _BOOLS:
            self.fail("expected a value (number, quoted string, true or false)", at)
        if not m:
            return _BOOLS[word], word.lower(), at
        if m.lastgroup == "str":
            value = _ESCAPE.sub(lambda e: self.unescape(e, at + 1), m.group()[1:-1])
            return value, repr(value), at
        value = (-1 if word[0] == "-" else 1) * (float(m.group()) if "." in m.group() else int(m.group()))
        if not (math.isfinite(value) if isinstance(value, float) else -(2**63) <= value < 2**63):
            self.fail("number out of range", start)
        return value, "-" * (word[0] == "-") + m.group(), at

    def unescape(self, e: re.Match[str], at: int) -> str:  # an escape in the string whose text starts at ``at``
        if (code := int(e.group(2) or e.group(3) or "110000", 16)) > 0x10FFFF and not e.group(1):
            self.fail(f"invalid escape {self.text[self.pos(at + e.start()):][:2]!r} in string", at + e.start())
        return _ESCAPES[e.group(1)] if e.group(1) else chr(code)

    def column(self, node: ast.Name) -> tuple[str, str | None]:
        if node.id not in self.kinds:
            self.fail(f"unknown column '{node.id}'", node.col_offset, _valid_columns_tail(node.id, self.kinds), True)
        return node.id, self.kinds.get(node.id)

    def skip(self, at: int) -> int:  # the first offset from ``at`` on that is not a space
        return len(self.code) - len(self.code[at:].lstrip(" "))


def _leaf(name: str, op: str, values: list[object], shown: list[str]) -> Mask:
    """``name`` (a yes/no column), ``name op value`` or ``name [not] in [values]``; types checked again on the table."""
    text = f"{name} {op} " + (shown[0] if op in _OPS else f"[{', '.join(shown)}]")

    def mask(df: pd.DataFrame) -> pd.Series:
        if name not in df.columns:
            raise ExpressionError(f"unknown column '{name}'{_valid_columns_tail(name, [str(c) for c in df.columns])}")
        if isinstance(s := df[name], pd.DataFrame):
            raise ExpressionError(f"column '{name}' appears more than once in the table")
        kind, s = _kind_of(s), s.astype(object) if isinstance(s.dtype, pd.CategoricalDtype) else s
        if not op and kind not in ("bool", "other"):
            raise ExpressionError(f"column '{name}' is {kind}, not yes/no: compare it with a value instead "
                                  f"(e.g. {name} == ...)")
        if problem := next(filter(None, (_literal_problem(kind, op if op in _OPS else "==", v, t)
                                         for v, t in zip(values, shown, strict=True))), None):
            raise ExpressionError(f"{problem} (in {text})")
        targets = [pd.Timestamp(_parse_date(v)).tz_localize(s.dt.tz) if kind == "date" else v for v in values]
        na, out = np.asarray(s.isna(), dtype=bool), np.zeros(len(s), dtype=bool)
        if not na.all():
            v = s[~na]  # bool / boolean dtypes hold only yes/no; object columns are checked value by value
            if not op and not (pd.api.types.is_bool_dtype(v.dtype) or all(isinstance(x, bool | np.bool_) for x in v)):
                raise ExpressionError(f"column '{name}' does not hold yes/no values")
            try:  # one == per value (not isin): "x in [a]" is exactly "x == a"
                hit = _OPS[op](v, targets[0]) if op in _OPS else v if not op else \
                    reduce(operator.or_, (np.asarray(v == t, dtype=bool) for t in targets))
                out[~na] = np.asarray(hit, dtype=bool) ^ (op == "not in")
            except (TypeError, ValueError, OverflowError) as exc:
                detail = " ".join(str(exc).split())
                raise ExpressionError(f"cannot evaluate on column '{name}' ({s.dtype}): {detail}") from None
        return pd.Series(pd.arrays.BooleanArray(out, na), index=s.index)

    return mask


def _kind_of(s: pd.Series) -> str:
    dtype, types = s.dtype, pd.api.types
    if isinstance(dtype, pd.CategoricalDtype):
        return _kind_of(pd.Series(dtype.categories))
    known = s.dropna() if types.is_object_dtype(dtype) else ()  # object columns: by their values
    bools, strs = (len(known) > 0 and all(isinstance(x, t) for x in known) for t in (bool | np.bool_, str))
    return next((kind for kind, ok in (
        ("bool", types.is_bool_dtype(dtype) or bools), ("int", types.is_integer_dtype(dtype)),
        ("float", types.is_float_dtype(dtype)), ("date", types.is_datetime64_any_dtype(dtype)),
        ("str", isinstance(dtype, pd.StringDtype) or strs)) if ok), "other")


def column_kinds(df: pd.DataFrame) -> dict[str, str]:
    """Kind of each column (see :data:`KINDS`) from its dtype, or from the values of an object column."""
    return {str(name): _kind_of(column) for name, column in df.items()}


def _literal_problem(kind: str | None, op: str, v: object, text: str) -> str | None:
    """Why ``column(kind) op v`` is ill-typed (``text``: ``v`` as written), or None. Unknown kinds pass."""
    ordering, number = op in ("<", "<=", ">", ">="), isinstance(v, int | float) and not isinstance(v, bool)
    return next((problem for bad, problem in (
        (kind == "bool" and ordering, f"'{op}' cannot be used on a yes/no column; compare with == true or == false"),
        (kind == "bool" and not isinstance(v, bool), f"a yes/no column compares with true or false, not {text}"),
        (kind in ("int", "float") and not number, f"a number column ({kind}) compares with a number, not {text}"),
        (kind == "str" and not isinstance(v, str), f"a text column compares with a quoted string, not {text}"),
        (kind == "str" and ordering, f"'{op}' cannot be used on a text column; use ==, != or in"),
        (kind == "date" and (not isinstance(v, str) or _parse_date(v) is None),
         f'a date column compares with an ISO date string such as "2020-01-31", not {text}'),
    ) if bad), None)


def _parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text) else None
    except ValueError:
        return None


def _valid_columns_tail(name: str, valid: Collection[str]) -> str:
    names, close = sorted(valid), difflib.get_close_matches(name, sorted(valid), n=1)
    return (f" (did you mean '{close[0]}'?)" if close else "") + f"; valid columns: {', '.join(names) or '(none)'}"
