"""The safe expression language: parsing, canonical text, three-valued evaluation, hostile input."""

from __future__ import annotations

import builtins
import dataclasses
import datetime as dt
import operator
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from analysis.analyse.filters import (
    MAX_DEPTH,
    MAX_LENGTH,
    And,
    Column,
    Compare,
    Expr,
    Literal,
    Membership,
    Not,
    Or,
    column_kinds,
    parse,
)
from analysis.errors import ExpressionError, UserError

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

KINDS = {"fc": "bool", "dna": "bool", "age": "int", "score": "float", "crime": "str", "posted": "date"}
BOOLS = ["fc", "dna"]


def table() -> pd.DataFrame:
    """Eight rows, every column with a missing value somewhere, on a non-default index."""
    return pd.DataFrame(
        {
            "fc": pd.array([True, False, None, True, False, None, True, False], dtype="boolean"),
            "dna": pd.array([True, None, False, False, True, True, None, False], dtype="boolean"),
            "age": pd.array([17, 30, None, 15, 18, 40, 16, None], dtype="Int64"),
            "score": [1.5, float("nan"), 2.0, 3.0, -1.0, 0.0, 2.0, 10.25],
            "crime": pd.Series(
                ["Murder", None, "Robbery", "Murder", "Assault", "Drug crime", None, "Robbery"], dtype="str"
            ),
            "posted": pd.to_datetime(["2019-01-01", None, "2021-05-05", "2020-01-01", "2020-01-02",
                                      "2018-07-31", "2022-12-31", None]),
        },
        index=pd.Index([101, 103, 105, 107, 109, 111, 113, 115], name="record"),
    )


# ---------------------------------------------------------------------------------------------------------
# Parsing: trees and canonical text
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("fc", Column("fc")),
        ("not fc", Not(Column("fc"))),
        ("dna and not fc", And((Column("dna"), Not(Column("fc"))))),
        ("fc or dna and age < 18",
         Or((Column("fc"), And((Column("dna"), Compare("age", "<", Literal(18))))))),
        ("(fc or dna) and age < 18",
         And((Or((Column("fc"), Column("dna"))), Compare("age", "<", Literal(18))))),
        ("fc and dna and fc", And((Column("fc"), Column("dna"), Column("fc")))),
        ("age >= 18", Compare("age", ">=", Literal(18))),
        ("18 > age", Compare("age", "<", Literal(18))),
        ("17.5 <= score", Compare("score", ">=", Literal(17.5))),
        ("score != -2", Compare("score", "!=", Literal(-2))),
        ('crime == "Murder"', Compare("crime", "==", Literal("Murder"))),
        ("'Murder' == crime", Compare("crime", "==", Literal("Murder"))),
        ("fc == True", Compare("fc", "==", Literal(True))),
        ("fc != false", Compare("fc", "!=", Literal(False))),
        ('posted <= "2020-01-01"', Compare("posted", "<=", Literal("2020-01-01"))),
        ("age in [15, 16]", Membership("age", (Literal(15), Literal(16)))),
        ("crime not in ['Murder']", Membership("crime", (Literal("Murder"),), negated=True)),
        ("not age < 18", Not(Compare("age", "<", Literal(18)))),
        ("((fc))", Column("fc")),
        ("  fc\n\tand dna  ", And((Column("fc"), Column("dna")))),
    ],
)
def test_parse_builds_expected_tree(text: str, tree: Expr) -> None:
    assert parse(text, KINDS) == tree
    assert parse(tree.to_text(), KINDS) == tree


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("(fc or dna) and age < 18", "(fc or dna) and age < 18"),
        ("fc or (dna and age < 18)", "fc or dna and age < 18"),
        ("fc and (dna and fc)", "fc and (dna and fc)"),
        ("not (fc and dna)", "not (fc and dna)"),
        ("not (not fc)", "not not fc"),
        ("18 > age", "age < 18"),
        ("crime == 'It\\'s'", 'crime == "It\'s"'),
        ("score > 1.50", "score > 1.5"),
        ("age in [1,2 ,3]", "age in [1, 2, 3]"),
        ("fc == True", "fc == true"),
    ],
)
def test_canonical_text(text: str, canonical: str) -> None:
    e = parse(text, KINDS)
    assert e.to_text() == canonical
    assert str(e) == canonical


def test_literal_equality_is_type_aware() -> None:
    assert Literal(1) != Literal(True)
    assert Literal(1) != Literal(1.0)
    assert Literal("1") != Literal(1)
    assert parse("age == 18", KINDS) != parse("age == 18.0", KINDS)
    assert len({Literal(1), Literal(True), Literal(1.0)}) == 3


def test_string_escapes() -> None:
    e = parse(r'crime == "a\"b\\c\n\t\u00e9\U0001F600\'"', KINDS)
    assert isinstance(e, Compare)
    assert e.value.value == "a\"b\\c\n\t\u00e9\U0001f600'"
    assert parse(e.to_text(), KINDS) == e
    assert "\n" not in e.to_text()


def test_columns_and_immutability() -> None:
    e = parse("fc and (age < 18 or crime in ['Murder']) and not dna", KINDS)
    assert e.columns() == {"fc", "age", "crime", "dna"}
    with pytest.raises(dataclasses.FrozenInstanceError):
        e.operands = ()  # type: ignore[attr-defined,misc]
    assert hash(e) == hash(parse(e.to_text(), KINDS))


def test_parse_accepts_plain_names_and_dataframes() -> None:
    assert parse("age < 18", ["age", "fc"]) == Compare("age", "<", Literal(18))
    with pytest.raises(ExpressionError, match="type mismatch"):
        parse("age == 'x'", table())


# ---------------------------------------------------------------------------------------------------------
# Errors: syntax, names, types, limits
# ---------------------------------------------------------------------------------------------------------


def test_error_points_at_position() -> None:
    with pytest.raises(ExpressionError) as info:
        parse("__import__('os')", KINDS)
    assert str(info.value).startswith("""unexpected '(' at position 10 in "__import__('os')\"""")
    assert isinstance(info.value, UserError)


def test_unknown_column_lists_valid_names_sorted() -> None:
    with pytest.raises(ExpressionError) as info:
        parse("fcc and dna", KINDS)
    message = str(info.value)
    assert "unknown column 'fcc' at position 0" in message
    assert "did you mean 'fc'" in message
    assert message.endswith("valid columns: age, crime, dna, fc, posted, score")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("fc < 1", "type mismatch for 'fc'"),
        ("fc < true", "'<' cannot be used on a yes/no column"),
        ("fc == 1", "true or false"),
        ("fc in [1]", "true or false"),
        ("age == 'x'", "compares with a number"),
        ("age == true", "compares with a number"),
        ("age in [1, 'x']", "compares with a number"),
        ("score > '1.5'", "compares with a number"),
        ("crime == 1", "quoted string"),
        ("crime < 'M'", "'<' cannot be used on a text column"),
        ("posted < 2020", "ISO date"),
        ("posted < '2020-13-01'", "ISO date"),
        ("posted < '20200101'", "ISO date"),
        ("age", "column 'age' is int, not yes/no"),
        ("fc and crime", "column 'crime' is str, not yes/no"),
    ],
)
def test_type_errors(text: str, fragment: str) -> None:
    with pytest.raises(ExpressionError, match=None) as info:
        parse(text, KINDS)
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty expression"),
        ("   ", "empty expression"),
        ("fc and", "unexpected end of expression at position 6"),
        ("(fc", "unexpected end of expression at position 3"),
        ("fc)", "unexpected ')' at position 2"),
        ("fc = true", "use '=='"),
        ("fc && dna", "use 'and'"),
        ("fc || dna", "use 'or'"),
        ("!fc", "use 'not'"),
        ("fc AND dna", "lower case"),
        ("18 < age < 30", "chained comparisons"),
        ("age == dna", "not with another column"),
        ("age in []", "empty list"),
        ("age in [1,]", "unexpected ']'"),
        ("age in (1, 2)", "'[' to start a list"),
        ("age < 1e5", "without exponents"),
        ("age - 1 < 2", "arithmetic"),
        ("age < 2 * 3", "arithmetic"),
        ("age < -x", "a number after '-'"),
        ("age < 99999999999999999999", "out of range"),
        ("'abc", "unterminated string"),
        ('crime == "a\\qb"', "invalid escape"),
        ('crime == "\\u12"', "invalid escape"),
        ("true", "comparison operator"),
        ("1 == 1", "column name"),
        ("fc not dna", "unexpected 'not'"),
        ("fc ; dna", "unexpected ';'"),
        ("fc\u00a0and dna", "U+00A0"),
    ],
)
def test_syntax_errors(text: str, fragment: str) -> None:
    with pytest.raises(ExpressionError) as info:
        parse(text, KINDS)
    message = str(info.value)
    assert fragment in message
    assert "\n" not in message


def test_syntax_error_reported_before_unknown_column() -> None:
    with pytest.raises(ExpressionError, match="unexpected"):
        parse("nope and (", KINDS)


def test_not_text() -> None:
    with pytest.raises(ExpressionError):
        parse(None, KINDS)  # type: ignore[arg-type]


def test_length_limit() -> None:
    text = " or ".join(["fc"] * 1000)
    assert len(text) > MAX_LENGTH
    with pytest.raises(ExpressionError, match="too long"):
        parse(text, KINDS)
    ok = " or ".join(["fc"] * ((MAX_LENGTH - 2) // 6 + 1))
    assert len(ok) <= MAX_LENGTH
    assert len(parse(ok, KINDS).operands) > 300  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "text",
    [
        "(" * (MAX_DEPTH + 1) + "fc" + ")" * (MAX_DEPTH + 1),
        "not " * (MAX_DEPTH + 1) + "fc",
        "(not " * 300 + "fc",
        "(" * 10_000 + "fc" + ")" * 10_000,
        "not " * 100_000 + "fc",
        "[" * 1_500,
    ],
)
def test_deep_nesting_is_a_clean_error(text: str) -> None:
    with pytest.raises(ExpressionError):
        parse(text, KINDS)


def test_nesting_up_to_the_limit_is_fine() -> None:
    e = parse("(" * MAX_DEPTH + "fc" + ")" * MAX_DEPTH, KINDS)
    assert e == Column("fc")
    e = parse("not " * MAX_DEPTH + "fc", KINDS)
    assert parse(e.to_text(), KINDS) == e
    assert e.evaluate(table()).dtype == bool


# ---------------------------------------------------------------------------------------------------------
# Hostile input: rejected, and nothing is run
# ---------------------------------------------------------------------------------------------------------

HOSTILE = [
    "__import__('os')",
    "__import__('os').system('touch SENTINEL')",
    "fc.__class__",
    "fc.__class__.__mro__",
    "open('x')",
    "open('SENTINEL', 'w')",
    "(lambda: 1)()",
    "fc; import os",
    "import os",
    "age < 18 or __builtins__",
    "age < 18 or __builtins__['eval']('1')",
    "eval('1')",
    "exec('import os')",
    "fc if True else dna",
    "[x for x in ()]",
    "fc[0]",
    "fc(1)",
    "age < 18 + 1",
    "age < len('ab')",
    "@fc",
    "`id`",
    "fc or globals()",
    "fc and dna.__dict__",
    "{'a': 1}",
    "age < 0x10",
    "age < 1_000",
    'crime == f"{fc}"',
    "fc\nimport os",
    "fc and \\\ndna",
    "fc # comment",
    "fc and $HOME",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_is_rejected_and_nothing_runs(
    text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    calls: list[str] = []
    real_import = builtins.__import__

    def spy_import(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.split(".")[0] in {"os", "subprocess", "sys", "shutil"}:
            calls.append(f"import {name}")
        return real_import(name, *args, **kwargs)

    def forbidden(label: str) -> Callable[..., Any]:
        def trap(*args: Any, **kwargs: Any) -> Any:
            calls.append(label)
            raise AssertionError(f"{label} called while parsing an expression")
        return trap

    monkeypatch.setattr(builtins, "__import__", spy_import)
    for name in ("open", "eval", "exec", "compile"):
        monkeypatch.setattr(builtins, name, forbidden(name))
    monkeypatch.setattr(pd, "eval", forbidden("pd.eval"))
    monkeypatch.setattr(pd.DataFrame, "query", forbidden("DataFrame.query"))
    monkeypatch.setattr(pd.DataFrame, "eval", forbidden("DataFrame.eval"))

    with pytest.raises(ExpressionError) as info:
        parse(text, KINDS)
    assert "\n" not in str(info.value)
    assert calls == []
    assert not (tmp_path / "SENTINEL").exists()
    assert list(tmp_path.iterdir()) == []


def test_evaluation_never_uses_pandas_eval_or_query(monkeypatch: pytest.MonkeyPatch) -> None:
    def trap(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("string evaluation used")

    monkeypatch.setattr(pd, "eval", trap)
    monkeypatch.setattr(pd.DataFrame, "query", trap)
    monkeypatch.setattr(pd.DataFrame, "eval", trap)
    monkeypatch.setattr(builtins, "eval", trap)
    e = parse("fc and (age < 18 or crime in ['Murder']) and not dna or posted > '2020-01-01'", KINDS)
    assert e.evaluate(table()).dtype == bool


# ---------------------------------------------------------------------------------------------------------
# Evaluation: three-valued logic against a plain-Python reference
# ---------------------------------------------------------------------------------------------------------


def _py(value: object) -> object:
    """A cell as plain Python, with every kind of missing value as None."""
    if pd.isna(value):  # type: ignore[arg-type]
        return None
    return value.item() if isinstance(value, np.generic) else value


def _rows(df: pd.DataFrame) -> list[dict[str, object]]:
    return [{c: _py(df[c].iloc[i]) for c in df.columns} for i in range(len(df))]


_PY_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt,
    "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}


def _lit(column: str, lit: Literal) -> object:
    if KINDS[column] == "date":
        return pd.Timestamp(dt.date.fromisoformat(lit.value))  # type: ignore[arg-type]
    return lit.value


def reference(e: Expr, row: dict[str, object]) -> bool | None:
    """Kleene logic, computed row by row in plain Python; None is unknown."""
    if isinstance(e, Column):
        return row[e.name]  # type: ignore[return-value]
    if isinstance(e, Compare):
        value = row[e.column]
        return None if value is None else bool(_PY_OPS[e.op](value, _lit(e.column, e.value)))
    if isinstance(e, Membership):
        value = row[e.column]
        if value is None:
            return None
        hit = any(value == _lit(e.column, v) for v in e.values)
        return not hit if e.negated else hit
    if isinstance(e, Not):
        inner = reference(e.operand, row)
        return None if inner is None else not inner
    if isinstance(e, And):
        parts = [reference(o, row) for o in e.operands]
        return False if False in parts else (None if None in parts else True)
    if isinstance(e, Or):
        parts = [reference(o, row) for o in e.operands]
        return True if True in parts else (None if None in parts else False)
    raise AssertionError(f"unknown node {e!r}")


def test_evaluate_examples() -> None:
    df = table()
    e = parse("fc and age < 18", KINDS)
    result = e.evaluate(df)
    assert result.dtype == bool
    assert result.index.equals(df.index)
    assert result.tolist() == [True, False, False, True, False, False, True, False]
    nullable = e.evaluate_nullable(df)
    assert str(nullable.dtype) == "boolean"
    # row 105: unknown and unknown; row 111: unknown and False is False; row 115: False and unknown is False
    expected = [True, False, None, True, False, False, True, False]
    assert [None if pd.isna(v) else v for v in nullable] == expected


def test_missing_means_not_counted() -> None:
    df = table()
    fc, not_fc = parse("fc", KINDS).evaluate(df), parse("not fc", KINDS).evaluate(df)
    assert (fc | not_fc).sum() == df["fc"].notna().sum()  # unknown rows are in neither
    unknown = parse("fc", KINDS).evaluate_nullable(df).isna()
    assert unknown.tolist() == df["fc"].isna().tolist()


def test_kleene_truth_tables() -> None:
    df = pd.DataFrame({
        "a": pd.array([True, True, True, False, False, False, None, None, None], dtype="boolean"),
        "b": pd.array([True, False, None, True, False, None, True, False, None], dtype="boolean"),
    })
    kinds = {"a": "bool", "b": "bool"}

    def values(text: str) -> list[bool | None]:
        return [None if pd.isna(v) else bool(v) for v in parse(text, kinds).evaluate_nullable(df)]

    T, F, U = True, False, None
    assert values("a and b") == [T, F, U, F, F, F, U, F, U]
    assert values("a or b") == [T, T, T, T, F, U, T, U, U]
    assert values("not a") == [F, F, F, T, T, T, U, U, U]


def test_dates_and_time_zones() -> None:
    days = pd.to_datetime(["2020-01-01", "2020-06-30", None]).tz_localize("America/Chicago")
    df = pd.DataFrame({"d": days})
    kinds = column_kinds(df)
    assert kinds == {"d": "date"}
    assert parse("d < '2020-02-01'", kinds).evaluate(df).tolist() == [True, False, False]
    assert parse("d in ['2020-06-30']", kinds).evaluate(df).tolist() == [False, True, False]


def test_evaluation_checks_types_when_parse_had_only_names() -> None:
    df = table()
    names = list(df.columns)
    for text in ("age == 'x'", "age", "fc < true", "posted < 'soon'", "crime < 'M'", "crime in [1]"):
        e = parse(text, names)
        with pytest.raises(ExpressionError):
            e.evaluate(df)
    with pytest.raises(ExpressionError, match="unknown column 'nope'"):
        parse("nope", ["nope"]).evaluate(df)


def test_column_kinds() -> None:
    df = pd.DataFrame({
        "b": pd.array([True, None], dtype="boolean"),
        "b2": [True, False],
        "bo": pd.Series([True, None], dtype=object),
        "i": pd.array([1, None], dtype="Int64"),
        "i2": [1, 2],
        "f": [1.0, None],
        "f2": pd.array([1.0, None], dtype="Float64"),
        "s": pd.Series(["x", None], dtype="str"),
        "s2": pd.Series(["x", None], dtype="string"),
        "so": pd.Series(["x", None], dtype=object),
        "c": pd.Categorical(["x", None]),
        "d": pd.to_datetime(["2020-01-01", None]),
        "o": pd.Series([1, "x"], dtype=object),
    })
    assert column_kinds(df) == {
        "b": "bool", "b2": "bool", "bo": "bool", "i": "int", "i2": "int", "f": "float", "f2": "float",
        "s": "str", "s2": "str", "so": "str", "c": "str", "d": "date", "o": "other",
    }
    kinds = column_kinds(df)
    assert parse("bo and c == 'x' and so in ['x']", kinds).evaluate(df).tolist() == [True, False]
    e = parse("f2 > 0.5 and i == 1 and s == 'x' and s2 != 'y'", kinds)
    assert e.evaluate(df).tolist() == [True, False]


def test_empty_table() -> None:
    df = table().iloc[:0]
    assert parse("fc and age < 18", KINDS).evaluate(df).tolist() == []


# ---------------------------------------------------------------------------------------------------------
# Property tests: random trees
# ---------------------------------------------------------------------------------------------------------

_ORDERED = ["==", "!=", "<", "<=", ">", ">="]
_EQUALITY = ["==", "!="]


def _literals(kind: str, wide: bool) -> st.SearchStrategy[Literal]:
    if kind == "bool":
        values: st.SearchStrategy[Any] = st.booleans()
    elif kind in ("int", "float"):
        if wide:
            values = st.integers(-(2**63), 2**63 - 1) | st.floats(allow_nan=False, allow_infinity=False)
        else:
            values = st.integers(-2, 45) | st.sampled_from([1.5, 2.0, 10.25, -0.5, 0.0, 17.5])
    elif kind == "str":
        pool = ["Murder", "Robbery", "Assault", "Drug crime", "murder", ""]
        values = st.text() if wide else st.sampled_from(pool)
    else:
        dates = st.dates() if wide else st.dates(dt.date(2017, 12, 30), dt.date(2023, 1, 2))
        values = dates.map(lambda d: d.isoformat())
    return values.map(Literal)


@st.composite
def _leaf(draw: st.DrawFn, wide: bool) -> Expr:
    column = draw(st.sampled_from(sorted(KINDS)))
    kind = KINDS[column]
    shape = draw(st.sampled_from(["column", "compare", "membership"] if kind == "bool" else
                                 ["compare", "membership"]))
    if shape == "column":
        return Column(column)
    literal = _literals(kind, wide)
    if shape == "compare":
        op = draw(st.sampled_from(_EQUALITY if kind in ("bool", "str") else _ORDERED))
        return Compare(column, op, draw(literal))
    values = tuple(draw(st.lists(literal, min_size=1, max_size=3)))
    return Membership(column, values, draw(st.booleans()))


def trees(wide: bool = False) -> st.SearchStrategy[Expr]:
    """Random valid expression trees over ``KINDS`` (``wide``: any literal values, for round trips)."""
    return st.recursive(
        _leaf(wide),
        lambda children: st.one_of(
            children.map(Not),
            st.lists(children, min_size=2, max_size=3).map(lambda ops: And(tuple(ops))),
            st.lists(children, min_size=2, max_size=3).map(lambda ops: Or(tuple(ops))),
        ),
        max_leaves=12,
    )


def _depth(e: Expr) -> int:
    """Nesting as the parser counts it: each 'not' and each parenthesised operand is one level."""
    if isinstance(e, Not):
        return 1 + _depth(e.operand) + isinstance(e.operand, And | Or)
    if isinstance(e, And):
        return max(_depth(o) + isinstance(o, And | Or) for o in e.operands)
    if isinstance(e, Or):
        return max(_depth(o) + isinstance(o, Or) for o in e.operands)
    return 0


@SETTINGS
@given(trees(wide=True))
def test_round_trip_through_canonical_text(e: Expr) -> None:
    text = e.to_text()
    assume(len(text) <= MAX_LENGTH and _depth(e) <= MAX_DEPTH)
    again = parse(text, KINDS)
    assert again == e
    assert again.to_text() == text
    assert str(e) == text
    assert again.columns() == e.columns()


@SETTINGS
@given(trees())
def test_evaluation_matches_plain_python_reference(e: Expr) -> None:
    df = table()
    expected = [reference(e, row) for row in _rows(df)]
    got = [None if pd.isna(v) else bool(v) for v in e.evaluate_nullable(df)]
    assert got == expected
    final = e.evaluate(df)
    assert final.dtype == bool
    assert final.index.equals(df.index)
    assert final.tolist() == [v is True for v in expected]
    assert parse(e.to_text(), KINDS).evaluate(df).equals(final)


# ---------------------------------------------------------------------------------------------------------
# Fuzz: only ExpressionError or an Expr, never anything else
# ---------------------------------------------------------------------------------------------------------

_TOKENS = [
    "fc", "dna", "age", "score", "crime", "posted", "nope", "and", "or", "not", "in", "true", "false", "True",
    "(", ")", "[", "]", ",", "==", "!=", "<", "<=", ">", ">=", "=", "-", "18", "1.5", "'Murder'",
    '"2020-01-01"',    "'", '"', "\\", ".", ";", "__import__", "\n", " ",
]


def _parse_or_error(text: str) -> None:
    try:
        e = parse(text, KINDS)
    except ExpressionError as exc:
        assert "\n" not in str(exc)
        return
    assert isinstance(e, Expr)
    assert parse(e.to_text(), KINDS) == e
    e.evaluate(table())  # parsed with kinds: evaluation cannot fail on type grounds


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=300))
def test_fuzz_random_text(text: str) -> None:
    _parse_or_error(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_TOKENS), max_size=25).map(" ".join))
def test_fuzz_token_soup(text: str) -> None:
    _parse_or_error(text)


@settings(max_examples=200, deadline=None)
@given(trees(), st.integers(0, 200), st.text(max_size=3))
def test_fuzz_mutated_valid_text(e: Expr, where: int, junk: str) -> None:
    text = e.to_text()
    cut = where % (len(text) + 1)
    _parse_or_error(text[:cut] + junk + text[cut:])
    _parse_or_error(text[:cut])


def test_membership_means_equality_with_any_value() -> None:
    df = table()
    for text, same in [
        ("age in [15, 17.0]", "age == 15 or age == 17.0"),
        ("posted in ['0001-01-01', '2020-01-01']", "posted == '0001-01-01' or posted == '2020-01-01'"),
        ("crime not in ['Murder', 'Robbery']", "not (crime == 'Murder' or crime == 'Robbery')"),
    ]:
        assert parse(text, KINDS).evaluate(df).equals(parse(same, KINDS).evaluate(df))


def test_dtype_names_are_accepted_as_kinds() -> None:
    kinds = {"fc": "boolean", "age": "Int64", "crime": "string", "posted": "datetime64[ns]", "x": "weird"}
    with pytest.raises(ExpressionError, match="yes/no"):
        parse("fc < true", kinds)
    with pytest.raises(ExpressionError, match="number"):
        parse("age == 'x'", kinds)
    with pytest.raises(ExpressionError, match="ISO date"):
        parse("posted < 1", kinds)
    assert parse("x < 'anything'", kinds) == Compare("x", "<", Literal("anything"))


def test_duplicate_columns_are_reported_not_crashed() -> None:
    df = pd.DataFrame([[True, False]], columns=["fc", "fc"])
    assert column_kinds(df) == {"fc": "bool"}
    with pytest.raises(ExpressionError, match="more than once"):
        parse("fc", ["fc"]).evaluate(df)
