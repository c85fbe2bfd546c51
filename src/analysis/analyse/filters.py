"""A small, safe boolean expression language for ``--of`` / ``--among``.

Expressions select records of the canonical table by column values, for example ``fc``,
``dna and not dna_minor``, ``age < 18``, ``crime_category == "Murder"``,
``state_abbr in ["TX", "CA"]`` or ``posting_date <= "2020-12-31"``. Grammar (a subset of Python's, with its
precedence: ``not`` binds tighter than ``and``, ``and`` tighter than ``or``)::

    expr     := expr "or" expr | expr "and" expr | "not" expr | "(" expr ")"
              | NAME                                   # a yes/no (bool) column
              | NAME CMP literal | literal CMP NAME    # CMP is one of == != < <= > >=
              | NAME ["not"] "in" "[" literal ("," literal)* "]"
    literal  := STRING | ["-"] NUMBER | "true" | "false" | "True" | "False"

Names are ``[A-Za-z_][A-Za-z0-9_]*`` and must be known columns. Numbers are ``123`` or ``1.5`` (no exponent).
Strings use double or single quotes with the escapes ``\\\\ \\" \\' \\n \\r \\t \\uXXXX \\UXXXXXXXX``.
Dates are written as ISO strings (``"2020-01-31"``) and compare against date columns at midnight.

A regular expression splits the text into these tokens; re-joined by spaces, with ``0`` for every literal, they
are read by :func:`ast.parse` (mode ``eval``: it parses, never runs), and only the node shapes above are kept.

Missing values follow three-valued (Kleene) logic while evaluating: a comparison with a missing value is
unknown, ``not unknown`` is unknown, ``False and unknown`` is ``False``, ``True or unknown`` is ``True``.
At the end :meth:`Expr.evaluate` turns unknown into ``False``: **a record is counted only when the condition
is known to be true for it.** :meth:`Expr.evaluate_nullable` keeps the unknowns (to count them).
"""

from __future__ import annotations

import ast
import bisect
import datetime as dt
import difflib
import json
import math
import operator
import re
from collections.abc import Callable, Collection, Mapping
from functools import reduce
from itertools import accumulate
from typing import NamedTuple, NoReturn

import numpy as np
import pandas as pd

from analysis.errors import ExpressionError

__all__ = ["KINDS", "MAX_DEPTH", "MAX_LENGTH", "Expr", "column_kinds", "parse"]

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

_BOOLS = {"true": True, "false": False, "True": True, "False": False}
_KEYWORDS = {"and", "or", "not", "in", *_BOOLS}
_CMP = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.In: "in",
        ast.NotIn: "not in"}
_OPS: dict[str, Callable[[object, object], object]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}
_FLIP = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
_TOKEN = re.compile(
    r"""(?P<ws>[ \t\r\n\f\v]+)|(?P<num>[0-9]+(?:\.[0-9]+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"""
    r"""|(?P<op>[=!<>]=|[<>()\[\],-])|(?P<str>"(?:[^"\\]|\\[\s\S])*"|'(?:[^'\\]|\\[\s\S])*')"""
    r"""|(?P<open>["'])|(?P<bad>&&|\|\||[\s\S])"""
)
_ESCAPE = re.compile(r"""\\(?:([\\"'nrt])|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|)""")
_ESCAPES = {"\\": "\\", '"': '"', "'": "'", "n": "\n", "r": "\r", "t": "\t"}
_HINTS = {"=": "use '==' to compare", "!": "use 'not' to negate or '!=' to compare", "&&": "use 'and'",
          "&": "use 'and'", "||": "use 'or'", "|": "use 'or'", "~": "use 'not'",
          **dict.fromkeys("+*/%", "arithmetic is not allowed")}
_VALUE = "a value (number, quoted string, true or false)"
_CHAINED = "chained comparisons are not supported; join two comparisons with 'and'"
_START = ("and", "or", "not", "(")  # tokens after which a condition starts

Mask = Callable[[pd.DataFrame], pd.Series]


class Expr:
    """A parsed condition over the columns of a table (see the module docstring)."""

    __slots__ = ("_mask", "text")

    def __init__(self, text: str, mask: Mask) -> None:
        self.text, self._mask = text, mask

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

    ``columns`` is a mapping of column name to kind (``bool``, ``int``, ``float``, ``str``, ``date``, or a
    dtype name such as ``boolean``/``Int64``/``string``; other kinds are not type-checked), a plain collection
    of names (no type checks), or a DataFrame (kinds from its dtypes). Syntax errors are reported first, then
    unknown columns and type mismatches, each with its position (0-based) in the text.
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


class _Tok(NamedTuple):
    kind: str  # name, num, str, op, or end (closing a bracket left open)
    word: str  # as written
    pos: int
    value: object  # of a number or string
    level: int  # parentheses open before the token
    inner: str  # the innermost bracket open before it, or ""


def _parses(pieces: list[str]) -> bool:
    """Whether ``pieces`` make a Python expression, given the '(' of any ')' they close."""
    try:
        ast.parse("( " * max(0, pieces.count(")") - pieces.count("(")) + " ".join(pieces), mode="eval")
    except (SyntaxError, RecursionError):
        return False
    return True


class _Parser:
    def __init__(self, text: str, kinds: Mapping[str, str | None]) -> None:
        self.text, self.kinds, self.deferred = text, kinds, ""  # deferred: the first name or type problem
        self.tokens: list[_Tok] = []
        self.open: list[str] = []  # brackets not closed yet
        self.bad: ExpressionError | None = None  # a token error, reported unless the text before it is wrong
        try:
            for m in _TOKEN.finditer(text):
                self.bad_pos = m.start()
                self.token(m.lastgroup or "", m.group(), m.start())
        except ExpressionError as exc:
            self.bad = exc

    def token(self, kind: str, word: str, pos: int) -> None:
        if kind == "open":  # an invalid escape in the rest of the text is reported first
            _ESCAPE.sub(lambda e: self.unescape(e, pos + 1), self.text[pos + 1:])
            self.fail("unterminated string starting", pos, f"close it with {word}")
        if kind == "bad":
            self.fail(f"unexpected {_show(word)}", pos, _HINTS.get(word, ""))
        if kind == "ws":
            return
        value = (float(word) if "." in word else int(word)) if kind == "num" else \
            _ESCAPE.sub(lambda e: self.unescape(e, pos + 1), word[1:-1]) if kind == "str" else None
        if word in ("(", "[") and self.open.count("(") + (word == "(") > MAX_DEPTH:
            self.too_deep(pos)
        self.tokens.append(_Tok(kind, word, pos, value, self.open.count("("), "".join(self.open[-1:])))
        if word in ("(", "["):
            self.open.append(word)
        elif word in (")", "]") and self.open[-1:] == ["(["[word == "]"]]:
            self.open.pop()

    def unescape(self, m: re.Match[str], offset: int) -> str:
        if m.group(1):
            return _ESCAPES[m.group(1)]
        code = int(m.group(2) or m.group(3) or "110000", 16)
        if code > 0x10FFFF:
            at = offset + m.start()
            self.fail(f"invalid escape {_show(self.text[at:at + 2])} in string", at)
        return chr(code)

    # -- messages
    def fail(self, message: str, pos: int, hint: str = "") -> NoReturn:
        if self.bad and pos >= self.bad_pos:  # reading got as far as a token error: that error comes first
            raise self.bad
        raise ExpressionError(f"{message} at position {pos} in {_quote(self.text, pos)}" + (hint and f" ({hint})"))

    def too_deep(self, pos: int) -> NoReturn:
        self.fail(f"expression nested too deeply (more than {MAX_DEPTH} levels of '(' or 'not')", pos)

    def unexpected(self, k: int, expected: str = "", hint: str = "") -> NoReturn:
        """Refuse token ``k`` (the end of the text from ``self.count`` on)."""
        expected = expected or self.expected(k)
        if k >= self.count:
            self.fail("unexpected end of expression", len(self.text), hint or expected and f"expected {expected}")
        tok, lower = self.tokens[k], self.tokens[k].word.lower()
        hint = hint or (
            f"write '{lower}' in lower case" if tok.word not in _KEYWORDS and lower in _KEYWORDS else
            "arithmetic is not allowed" if tok.word == "-" else
            "numbers are written like 18 or 17.5, without exponents" if tok.kind == "name" and
            tok.word not in _KEYWORDS and k and self.tokens[k - 1].kind == "num" else
            expected and f"expected {expected}")
        self.fail(f"unexpected {_show(tok.word)}", tok.pos, hint)

    def expected(self, k: int) -> str:
        """What the grammar allows at token ``k``, judging by the tokens before it."""
        before = [t.word if t.kind in ("name", "op") else "0" for t in self.tokens[max(0, k - 3):k]]
        if before[-2:] == ["-", "0"]:
            before.pop()
        last, value = before[-1] if before else "(", ("0", *_BOOLS)
        if last in _START:
            return "a column name, 'not' or '('"
        if last in value and before[-2:-1] in ([], *([s] for s in _START)):
            return "a comparison operator after a value"
        if last in _OPS and before[-2:-1] in ([v] for v in value):
            return "a column name"
        if last in (*_OPS, "[", ",", "in", "-"):
            return {"in": "'[' to start a list of values", "-": "a number after '-'"}.get(last, _VALUE)
        inner = self.tokens[k].inner if k < len(self.tokens) else ""
        return {"(": "')'", "[": "',' or ']'"}.get(inner, "'and', 'or' or the end")

    def defer(self, message: str, pos: int, tail: str = "") -> None:
        self.deferred = self.deferred or f"{message} at position {pos} in {_quote(self.text, pos)}{tail}"

    # -- the tree
    def parse(self) -> Expr:
        if not self.tokens:
            raise self.bad or ExpressionError("empty expression: write a condition such as fc or age < 18")
        self.count = len(self.tokens)  # then "end" tokens close the brackets left open
        self.tokens += [_Tok("end", ")" if b == "(" else "]", len(self.text), None, 0, b) for b in self.open[::-1]]
        pieces = [t.word if t.kind in ("name", "op", "end") else "0" for t in self.tokens]
        self.starts = list(accumulate((len(p) + 1 for p in pieces[:-1]), initial=0))
        self.at = {s: i for i, s in enumerate(self.starts)}
        self.after = {s + len(p): i + 1 for i, (s, p) in enumerate(zip(self.starts, pieces, strict=True))}
        try:
            body = ast.parse(" ".join(pieces), mode="eval").body
        except SyntaxError as e:
            self.unexpected(self.error_token(e, pieces))
        except RecursionError:
            self.too_deep(0)
        mask = self.boolean(body, 0)
        if self.bad or self.open:
            self.unexpected(self.count)
        if self.deferred:
            raise ExpressionError(self.deferred)
        return Expr(self.text, mask)

    def error_token(self, e: SyntaxError, pieces: list[str]) -> int:
        """The token a SyntaxError from Python points at, as a left-to-right reading would find it."""
        o = e.offset - 1 if e.offset else self.starts[-1] + len(pieces[-1])
        k = bisect.bisect_right(self.starts, o) - 1
        k += o >= self.starts[k] + len(pieces[k])
        if e.end_offset and k < self.count and e.end_offset - 1 > self.starts[k] + len(pieces[k]):
            # a range such as "fc if dna" (expected 'else'): the token after its longest expression
            last = bisect.bisect_left(self.starts, e.end_offset - 1)
            k = next((b for b in range(last - 1, k, -1) if _parses(pieces[k:b])), k)
        before = self.tokens[k - 2] if 2 <= k <= self.count and self.tokens[k - 1].word == "not" else None
        if before and (k == self.count or self.tokens[k].word != "in") and (
                before.kind in ("num", "str") or before.word in (")", "]", *_BOOLS) or
                before.kind == "name" and before.word not in _KEYWORDS):
            k -= 1  # "fc not dna": it is the 'not' that cannot follow a condition
        return k

    def span(self, node: ast.AST) -> tuple[int, int]:
        """First token of ``node`` and the one after it."""
        return self.at[node.col_offset], self.after[node.end_col_offset]  # type: ignore[attr-defined]

    def boolean(self, node: ast.expr, nots: int) -> Mask:
        i, j = self.span(node)
        nots += isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not)
        if self.tokens[i].level + nots > MAX_DEPTH:
            self.too_deep(self.tokens[i].pos)
        if isinstance(node, ast.BoolOp):
            parts = [self.boolean(v, nots) for v in node.values]
            op = operator.and_ if isinstance(node.op, ast.And) else operator.or_
            return lambda df: reduce(op, (p(df) for p in parts))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            inner = self.boolean(node.operand, nots)
            return lambda df: ~inner(df)
        if isinstance(node, ast.Compare):
            return self.compare(node, i, j)
        if isinstance(node, ast.Name) and node.id not in _BOOLS:
            name, kind = self.column(node, i)
            if kind in KINDS and kind != "bool":
                self.defer(f"column '{name}' is {kind}, not yes/no", self.tokens[i].pos,
                           f": compare it with a value (e.g. {name} == ...)")
            return _leaf(name, "", [], [])
        if isinstance(node, ast.Constant | ast.Name | ast.UnaryOp):
            self.literal(node)
            self.unexpected(j, "a comparison operator after a value")
        self.refuse(node)

    def compare(self, node: ast.Compare, i: int, j: int) -> Mask:
        left, right, op = node.left, node.comparators[0], _CMP.get(type(node.ops[0]), "")
        (li, lj), (ri, rj) = self.span(left), self.span(right)
        while li != i and lj < j and self.tokens[lj].word == ")":  # "(age) < 18"
            lj += 1
        if li != i:
            self.unexpected(lj, hint=_CHAINED)
        r, at_op = lj + 1 + (op == "not in"), self.tokens[lj].pos  # r: the token after the operator
        if isinstance(left, ast.Name) and left.id not in _BOOLS:
            name, kind = self.column(left, li)
            if not op:
                self.unexpected(lj)
            if op in ("in", "not in"):
                if not isinstance(right, ast.List) or ri != r:
                    self.unexpected(r, "'[' to start a list of values")
                if not right.elts:
                    self.unexpected(r + 1) if r + 1 >= self.count else \
                        self.fail("empty list", self.tokens[r + 1].pos, "give at least one value")
                literals, k = [], r + 1
                for elt in right.elts:
                    ei, ej = self.span(elt)
                    if ei != k:
                        self.unexpected(k, _VALUE)
                    literals.append(self.literal(elt))
                    self.check(kind, "==", *literals[-1], name, self.tokens[ei].pos, self.tokens[ei].pos)
                    k = ej + 1
                if k != rj:  # "[1,]"
                    self.unexpected(k, _VALUE)
            else:
                if self.tokens[r].kind == "name" and self.tokens[r].word not in _BOOLS:
                    self.fail("a column can only be compared with a value, not with another column",
                              self.tokens[r].pos)
                if ri != r:
                    self.unexpected(r, _VALUE)
                literals = [self.literal(right)]
                self.check(kind, op, *literals[0], name, at_op, self.tokens[ri].pos)
        elif isinstance(left, ast.Constant | ast.Name | ast.UnaryOp):
            literals = [self.literal(left)]
            if op in ("", "in", "not in"):
                self.unexpected(lj, "a comparison operator after a value")
            if self.tokens[r].kind != "name" or self.tokens[r].word in _BOOLS:
                self.unexpected(r, "a column name")
            if not isinstance(right, ast.Name) or ri != r:
                self.unexpected(r + 1)
            name, kind = self.column(right, ri)
            op = _FLIP[op]
            self.check(kind, op, *literals[0], name, at_op, self.tokens[li].pos)
        else:
            self.refuse(left)
        if len(node.ops) > 1:
            self.unexpected(rj, hint=_CHAINED)
        return _leaf(name, op, [v for v, _ in literals], [s for _, s in literals])

    def literal(self, node: ast.expr) -> tuple[object, str]:
        """The value of a literal node, and its text for messages."""
        i = self.span(node)[0]
        negative = isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub)
        if negative:
            node, i = node.operand, i + 1  # type: ignore[attr-defined]
            if self.span(node)[0] != i or self.tokens[i].kind != "num":
                self.unexpected(i, "a number after '-'")
        tok = self.tokens[i]
        if tok.kind in ("num", "str") and not isinstance(node, ast.Constant):
            self.unexpected(i + 1)  # "1(2)"
        if tok.kind not in ("num", "str") and (tok.word not in _BOOLS or not isinstance(node, ast.Constant | ast.Name)):
            self.unexpected(i, _VALUE)
        if tok.kind == "name":
            return _BOOLS[tok.word], tok.word.lower()
        value = -tok.value if negative else tok.value  # type: ignore[operator]
        if isinstance(value, int) and not -(2**63) <= value < 2**63 or isinstance(value, float) and \
                not math.isfinite(value):
            self.fail("number out of range", tok.pos)
        return value, "-" * negative + tok.word if tok.kind == "num" else _string_text(value)  # type: ignore[arg-type]

    def column(self, node: ast.Name, i: int) -> tuple[str, str | None]:
        if node.id not in self.kinds:
            self.defer(f"unknown column '{node.id}'", self.tokens[i].pos, _valid_columns_tail(node.id, self.kinds))
        return node.id, self.kinds.get(node.id)

    def check(self, kind: str | None, op: str, value: object, shown: str, name: str, op_pos: int,
              lit_pos: int) -> None:
        if problem := _literal_problem(kind, op, value, shown):
            at_op = kind in ("bool", "str") and op in ("<", "<=", ">", ">=")
            self.defer(f"type mismatch for '{name}'", op_pos if at_op else lit_pos, f": {problem}")

    def refuse(self, node: ast.expr) -> NoReturn:
        """Refuse a node outside the grammar, at the token after its first part (``fc`` in ``fc(1)``)."""
        i, j = self.span(node)
        while parts := [c for c in ast.iter_child_nodes(node) if isinstance(c, ast.expr)]:
            first = min(parts, key=lambda c: c.col_offset)
            fi, fj = self.span(first)
            if any(t.word != "(" for t in self.tokens[i:fi]):
                break
            if isinstance(first, ast.BoolOp | ast.UnaryOp | ast.Compare | ast.Name | ast.Constant):
                while fj < j and self.tokens[fj].word == ")":
                    fj += 1
                self.unexpected(fj)
            node, i, j = first, fi, fj
        self.unexpected(i + isinstance(node, ast.Tuple))  # "()": at the ')'


# ----------------------------------------------------------------------------------------------------
# Evaluation
# ----------------------------------------------------------------------------------------------------


def _leaf(name: str, op: str, values: list[object], shown: list[str]) -> Mask:
    """The yes/no column ``name`` (no ``op``), ``name op value`` or ``name [not] in [values]``: unknown where the
    column is missing. Types are checked again on the table (``parse`` may have had only names)."""
    text = f"{name} {op} " + (shown[0] if op in _OPS else f"[{', '.join(shown)}]")

    def mask(df: pd.DataFrame) -> pd.Series:
        s, kind = _column(df, name)
        if not op and kind not in ("bool", "other"):
            raise ExpressionError(f"column '{name}' is {kind}, not yes/no: compare it with a value instead "
                                  f"(e.g. {name} == ...)")
        for value, show in zip(values, shown, strict=True):
            if problem := _literal_problem(kind, op if op in _OPS else "==", value, show):
                raise ExpressionError(f"{problem} (in {text})")
        targets = [_to_python(v, kind, s) for v in values]

        def known(v: pd.Series) -> object:
            if not op:  # bool / boolean dtypes hold only yes/no; object columns are checked value by value
                if not pd.api.types.is_bool_dtype(v.dtype) and not all(isinstance(x, bool | np.bool_) for x in v):
                    raise ExpressionError(f"column '{name}' does not hold yes/no values")
                return v
            if op in _OPS:
                return _OPS[op](v, targets[0])
            hit = np.zeros(len(v), dtype=bool)  # one == per value (not isin): "x in [a]" is exactly "x == a"
            for target in targets:
                hit |= np.asarray(v == target, dtype=bool)
            return ~hit if op == "not in" else hit

        return _known_map(s, known, name)

    return mask


def _kind_of(s: pd.Series) -> str:
    dtype, types = s.dtype, pd.api.types
    if isinstance(dtype, pd.CategoricalDtype):
        return _kind_of(pd.Series(dtype.categories))
    for kind, test in (("bool", types.is_bool_dtype), ("int", types.is_integer_dtype), ("float", types.is_float_dtype),
                       ("date", types.is_datetime64_any_dtype), ("str", lambda d: isinstance(d, pd.StringDtype))):
        if test(dtype):
            return kind
    known = s.dropna() if types.is_object_dtype(dtype) else ()
    if len(known) and all(isinstance(x, bool | np.bool_) for x in known):
        return "bool"
    return "str" if len(known) and all(isinstance(x, str) for x in known) else "other"


def column_kinds(df: pd.DataFrame) -> dict[str, str]:
    """Kind of each column from its dtype: ``bool`` (bool/boolean), ``int``, ``float``, ``date`` (datetime64),
    ``str`` (string dtypes, or object columns holding only strings), else ``other``."""
    return {str(name): _kind_of(df.iloc[:, i]) for i, name in enumerate(df.columns)}


def _column(df: pd.DataFrame, name: str) -> tuple[pd.Series, str]:
    if name not in df.columns:
        raise ExpressionError(f"unknown column '{name}'{_valid_columns_tail(name, [str(c) for c in df.columns])}")
    s = df[name]
    if isinstance(s, pd.DataFrame):
        raise ExpressionError(f"column '{name}' appears more than once in the table")
    kind = _kind_of(s)
    return (s.astype(object) if isinstance(s.dtype, pd.CategoricalDtype) else s), kind


def _known_map(s: pd.Series, fn: Callable[[pd.Series], object], name: str) -> pd.Series:
    """Apply ``fn`` to the non-missing values of ``s``; missing values give ``<NA>`` (boolean dtype)."""
    na = np.asarray(s.isna(), dtype=bool)
    out = np.zeros(len(s), dtype=bool)
    if not na.all():
        try:
            out[~na] = np.asarray(fn(s[~na]), dtype=bool)
        except (TypeError, ValueError, OverflowError) as exc:
            detail = " ".join(str(exc).split())
            raise ExpressionError(f"cannot evaluate on column '{name}' ({s.dtype}): {detail}") from None
    return pd.Series(pd.arrays.BooleanArray(out, na.copy()), index=s.index)


def _literal_problem(kind: str | None, op: str, v: object, text: str) -> str | None:
    """Why ``column(kind) op v`` is ill-typed (``text``: ``v`` as written), or None. Unknown kinds pass."""
    ordering = op in ("<", "<=", ">", ">=")
    if kind == "bool" and ordering:
        return f"'{op}' cannot be used on a yes/no column; compare with == true or == false"
    if kind == "bool" and not isinstance(v, bool):
        return f"a yes/no column compares with true or false, not {text}"
    if kind in ("int", "float") and (isinstance(v, bool) or not isinstance(v, int | float)):
        return f"a number column ({kind}) compares with a number, not {text}"
    if kind == "str" and not isinstance(v, str):
        return f"a text column compares with a quoted string, not {text}"
    if kind == "str" and ordering:
        return f"'{op}' cannot be used on a text column; use ==, != or in"
    if kind == "date" and (not isinstance(v, str) or _parse_date(v) is None):
        return f'a date column compares with an ISO date string such as "2020-01-31", not {text}'
    return None


def _parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text) else None
    except ValueError:
        return None


def _to_python(v: object, kind: str, s: pd.Series) -> object:
    """The value to compare column ``s`` with: a Timestamp (in the column's time zone) for dates."""
    if kind != "date":
        return v
    ts, tz = pd.Timestamp(_parse_date(v)), getattr(s.dt, "tz", None)  # type: ignore[arg-type]
    return ts.tz_localize(tz) if tz is not None else ts


# ----------------------------------------------------------------------------------------------------
# Messages
# ----------------------------------------------------------------------------------------------------


def _quote(text: str, pos: int, width: int = 70) -> str:
    """The expression as a one-line quoted string, cut to a window around ``pos`` when long."""
    start = max(0, min(pos - width // 2, len(text) - width))
    piece = ("…" if start else "") + text[start:start + width] + ("…" if start + width < len(text) else "")
    return json.dumps(text if len(text) <= width else piece, ensure_ascii=False)


def _string_text(value: str) -> str:
    """``value`` quoted and escaped, printable on one line."""
    out = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
    return '"' + "".join(out.get(c) or (c if c.isprintable() else f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF
                                        else f"\\U{ord(c):08x}") for c in value) + '"'


def _show(fragment: str) -> str:
    fragment = fragment[:19] + "…" if len(fragment) > 20 else fragment
    if fragment.isprintable():
        return f"'{fragment}'"
    return f"U+{ord(fragment):04X}" if len(fragment) == 1 else json.dumps(fragment)


def _valid_columns_tail(name: str, valid: Collection[str]) -> str:
    names = sorted(valid)
    close = difflib.get_close_matches(name, names, n=1)
    return (f" (did you mean '{close[0]}'?)" if close else "") + f"; valid columns: {', '.join(names) or '(none)'}"
