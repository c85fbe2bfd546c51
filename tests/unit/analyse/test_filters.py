"""The safe expression language: what it accepts, three-valued evaluation, errors, hostile input."""

from __future__ import annotations

import ast
import builtins
import datetime as dt
import operator
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.analyse.filters import MAX_DEPTH, MAX_LENGTH, Expr, column_kinds, parse
from analysis.errors import ExpressionError, UserError

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

KINDS = {"fc": "bool", "dna": "bool", "age": "int", "score": "float", "crime": "str", "posted": "date"}


def table() -> pd.DataFrame:
    """Eight rows, every column with a missing value somewhere, on a non-default index."""
    index = pd.Index([101, 103, 105, 107, 109, 111, 113, 115], name="record")
    return pd.DataFrame(
        {
            "fc": pd.array([True, False, None, True, False, None, True, False], dtype="boolean"),
            "dna": pd.array([True, None, False, False, True, True, None, False], dtype="boolean"),
            "age": pd.array([17, 30, None, 15, 18, 40, 16, None], dtype="Int64"),
            "score": [1.5, float("nan"), 2.0, 3.0, -1.0, 0.0, 2.0, 10.25],
            "crime": pd.Series(
                ["Murder", None, "Robbery", "Murder", "Assault", "Drug crime", None, "Robbery"], dtype="str",
                index=index,
            ),
            "posted": pd.to_datetime(["2019-01-01", None, "2021-05-05", "2020-01-01", "2020-01-02",
                                      "2018-07-31", "2022-12-31", None]),
        },
        index=index,
    )


def test_table_has_known_and_missing_values_in_every_column() -> None:
    df = table()
    assert df.notna().sum().min() >= 6
    assert df.isna().any().all()


def values(text: str, df: pd.DataFrame | None = None, kinds: Any = None) -> list[bool | None]:
    """The nullable result of ``text`` on ``df`` (default: :func:`table`) as True/False/None."""
    result = parse(text, KINDS if kinds is None else kinds).evaluate_nullable(table() if df is None else df)
    assert str(result.dtype) == "boolean"
    return [None if pd.isna(v) else bool(v) for v in result]


# ---------------------------------------------------------------------------------------------------------
# What is accepted, and what it means
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "same"),
    [
        ("fc or dna and age < 18", "fc or (dna and age < 18)"),
        ("not fc and dna", "(not fc) and dna"),
        ("not age < 18", "not (age < 18)"),
        ("fc and dna and fc", "fc and (dna and fc)"),
        ("18 > age", "age < 18"),
        ("17.5 <= score", "score >= 17.5"),
        ("score != -2", "not score == -2"),
        ("score > - 1", "score > -1"),
        ("'Murder' == crime", 'crime == "Murder"'),
        ("fc == True", "fc"),
        ("fc != false", "fc"),
        ("fc == False", "not fc"),
        ("((fc))", "fc"),
        ("  fc\n\tand\r\fdna\v ", "fc and dna"),
        ("age<18and(fc)or dna", "age < 18 and fc or dna"),
        ("age in[15,16]", "age == 15 or age == 16"),
        ("crime not in ['Murder']", "crime != 'Murder'"),
        ("crime not\nin ['Murder']", "crime != 'Murder'"),
        ("age < 007", "age < 7"),
        ("age==0or dna", "age == 0 or dna"),
        ("not'Murder'==crime", "not crime == 'Murder'"),
        ("crime==''or fc", "crime == '' or fc"),
        ("\n fc", "fc"),
        ("score > 1.50", "score > 1.5"),
        ('posted <= "2020-01-01"', "posted < '2020-01-02'"),
    ],
)
def test_equivalent_spellings(text: str, same: str) -> None:
    assert values(text) == values(same)


def test_precedence_is_not_and_or() -> None:
    assert values("fc or dna and age < 18") != values("(fc or dna) and age < 18")
    assert values("not fc and dna") != values("not (fc and dna)")


def test_string_escapes_and_raw_characters() -> None:
    df = pd.DataFrame({"crime": ["a\"b\\c\n\t\u00e9\U0001f600'", "x", "a\nb", "it's"]})
    assert values(r'crime == "a\"b\\c\n\t\u00e9\U0001F600\'"', df) == [True, False, False, False]
    assert values("crime == 'a\nb'", df) == [False, False, True, False]  # a raw newline inside a string
    assert values(r"crime == 'it\'s' or crime == 'x'", df) == [False, True, False, True]


def test_parse_accepts_plain_names_and_dataframes() -> None:
    assert values("age < 18", kinds=["age", "fc"]) == values("age < 18")
    assert values("age < 18", kinds=table()) == values("age < 18")
    with pytest.raises(ExpressionError, match="type mismatch"):
        parse("age == 'x'", table())


def test_strings_are_only_data() -> None:
    text = "crime == \"__import__('os').system('touch SENTINEL')\" or crime in ['fc or True', '1 == 1']"
    assert values(text) == [False, None, False, False, False, False, None, False]


# ---------------------------------------------------------------------------------------------------------
# Errors: syntax, names, types, limits
# ---------------------------------------------------------------------------------------------------------


def refusal(text: str, kinds: Any = None) -> tuple[int | None, str]:
    """The position (None when the message gives none) and the one-line message that ``text`` is refused with."""
    with pytest.raises(ExpressionError) as info:
        parse(text, KINDS if kinds is None else kinds)
    message = str(info.value)
    assert "\n" not in message
    found = re.search(r" at position (\d+) in ", message)
    return (int(found.group(1)) if found else None), message


def test_error_points_at_position() -> None:
    with pytest.raises(UserError, match="not a condition") as info:
        parse("fc and __import__('os')", KINDS)
    assert isinstance(info.value, ExpressionError)
    assert str(info.value).endswith(""" at position 7 in "fc and __import__('os')\"""")


@pytest.mark.parametrize(
    ("text", "position", "phrase"),
    [
        ("fc and", 6, "unexpected end of expression"),
        ("(fc", 0, "'(' was never closed"),
        ("(fc fc", 0, "'(' was never closed"),
        ("fc)", 2, "unmatched ')'"),
        ("fc not dna", 7, "invalid syntax"),
        ("fc not", 6, "unexpected end of expression"),
        ("fc if dna else fc", 0, "is not a condition"),
        ("age in [1 2]", 8, "invalid syntax"),
        ("age in [1,]", 7, "needs a list of values"),
        ("2020-01-05", 0, "'2020-01-05' is not a condition"),
        ("age < (18)", 0, "parentheses can only group conditions"),
        ("(age) < 18", 0, "parentheses can only group conditions"),
        ("age < 18 < 30", 9, "unsupported comparison"),
        ("fc is dna", 3, "unsupported comparison"),
        ("'a' 'b' == crime", 0, "expected a value"),
        ("age < 1e5", 7, "invalid syntax"),
        ("fc AND dna", 3, "invalid syntax"),
        ("fc ; dna", 3, "invalid syntax"),
        ("fc and 'x", 7, "unterminated string"),
        ("crime == 'a\\q", 9, "unterminated string"),
        ("crime == 'a\\q'", 11, "invalid escape '\\\\q' in string"),
        ("fc fc 'x", 6, "unterminated string"),
        ("age == dna", 0, "a column on one side and a value on the other"),
        ("age in []", 7, "needs a list of values"),
        ("age < 99999999999999999999", 6, "number out of range"),
        ("age < - 99999999999999999999", 8, "number out of range"),
        ("café", 3, "unexpected 'é' (U+00E9)"),
        ("fc # comment", 3, "unexpected '#'"),
        ("fc\u00a0and dna", 2, "U+00A0"),
        ("nope and (", 9, "'(' was never closed"),  # a syntax error comes before the unknown column
    ],
)
def test_error_messages(text: str, position: int, phrase: str) -> None:
    at, message = refusal(text)
    assert at == position
    assert phrase in message


@pytest.mark.parametrize(
    "text",
    [
        "crime == 'Café' and (",  # after a string holding a character outside ASCII
        "crime == 'a\nb' and (",  # after a raw newline in a string
        "age == 007 and 1.50 < score and 'x' == crime and (",  # after literals blanked for Python
        "  \t\n age < 18 and (",  # after leading whitespace
        "age<18and(",  # after a number glued to a keyword
    ],
)
def test_positions_count_the_characters_of_the_text(text: str) -> None:
    at, message = refusal(text)
    assert at == len(text) - 1
    assert message.startswith(f"'(' was never closed at position {at} ")


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
    with pytest.raises(ExpressionError) as info:
        parse(text, KINDS)
    assert fragment in str(info.value)


def test_type_error_positions() -> None:
    with pytest.raises(ExpressionError, match="type mismatch for 'crime' at position 6 .* on a text column"):
        parse("crime < 'M'", KINDS)  # at the operator
    with pytest.raises(ExpressionError, match="type mismatch for 'age' at position 11 "):
        parse("age in [1, 'x']", KINDS)  # at the value


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty expression"),
        ("   ", "empty expression"),
        ("fc and", "unexpected end of expression at position 6"),
        ("(fc", "'(' was never closed at position 0"),
        ("fc)", "unmatched ')' at position 2"),
        ("fc = true", "invalid syntax at position 3"),
        ("fc && dna", "invalid syntax at position 4"),
        ("fc || dna", "invalid syntax at position 4"),
        ("!fc", "invalid syntax at position 0"),
        ("fc AND dna", "invalid syntax at position 3"),
        ("18 < age < 30", "unsupported comparison"),
        ("age == dna", "a column on one side and a value on the other"),
        ("age in []", "needs a list of values"),
        ("age in [1,]", "needs a list of values"),
        ("age in (1, 2)", "needs a list of values"),
        ("age < 1e5", "invalid syntax at position 7"),
        ("age - 1 < 2", "a column on one side and a value on the other"),
        ("age < 2 * 3", "expected a value (number, quoted string, true or false) at position 6"),
        ("age < -x", "expected a value"),
        ("age < 99999999999999999999", "out of range"),
        ("age < " + "9" * 400 + ".5", "out of range"),
        ("'abc", "unterminated string literal at position 0"),
        ('crime == "a\\qb"', "invalid escape"),
        ('crime == "\\u12"', "invalid escape"),
        ('crime == "\\U00110000"', "invalid escape"),
        ("true", "is not a condition"),
        ("1 == 1", "a column on one side and a value on the other"),
        ("fc not dna", "invalid syntax at position 7"),
        ("fc ; dna", "invalid syntax at position 3"),
        ("fc\u00a0and dna", "U+00A0"),
    ],
)
def test_syntax_errors(text: str, fragment: str) -> None:
    with pytest.raises(ExpressionError) as info:
        parse(text, KINDS)
    message = str(info.value)
    assert fragment in message
    assert "\n" not in message


# Python expressions outside the language: each must be refused, even where Python would accept it.
PYTHON_ONLY = [
    "age < (18)", "(age) < 18", "age in ([1])", "age in [(1)]", "-(1) < age", "age < --1", "age < -True",
    "True", "None", "fc == None", "fc is dna", "fc is not dna", "fc if dna else fc", "fc, dna", "()", "[fc]",
    "fc >> 1", "fc << 1", "fc <> dna", "u'x' == crime", "b'x' == crime", "r'x' == crime", "f'x' == crime",
    "'a' 'b' == crime", "age < 1j", "age < 1_000", "age < 0o7", "age < 0b1", "age < 1.", "age < .5",
    "age < 1.5e3", "age in [1] < 2", "'x' in crime", "(fc for fc in dna)", "not", "- 1", "fc(x for x in dna)",
    "yield", "await fc", "lambda", "__debug__", "fc and \\\ndna", "fc # comment", "1 == age(1)", "18 < age[0]",
    "1 == age.x", "age(1) == 1", "\uff46\uff43", "\ufefffc", "fc\x00", "crime == 'x' 'y'", "crime == 'a''b'",
]


@pytest.mark.parametrize("text", PYTHON_ONLY)
def test_python_only_syntax_is_refused(text: str) -> None:
    with pytest.raises(ExpressionError) as info:
        parse(text, KINDS)
    assert "\n" not in str(info.value)


def test_syntax_error_reported_before_unknown_column() -> None:
    at, message = refusal("nope and (")
    assert (at, "unknown column" in message) == (9, False)
    assert "is not a condition" in refusal("nope and fc(1)")[1]  # the shape too, before the deferred name
    assert "unknown column 'nope' at position 0" in refusal("nope and age < 'x'")[1]  # the name before the type


def test_not_text() -> None:
    with pytest.raises(ExpressionError, match="must be text"):
        parse(None, KINDS)  # type: ignore[arg-type]


def test_length_limit() -> None:
    text = " or ".join(["fc"] * 1000)
    assert len(text) > MAX_LENGTH
    with pytest.raises(ExpressionError, match="too long"):
        parse(text, KINDS)
    ok = " or ".join(["fc"] * ((MAX_LENGTH - 2) // 6 + 1))
    assert len(ok) <= MAX_LENGTH
    assert values(ok) == values("fc")


@pytest.mark.parametrize(
    "text",
    [
        "(" * (MAX_DEPTH + 1) + "fc" + ")" * (MAX_DEPTH + 1),
        "not " * (MAX_DEPTH + 1) + "fc",
        "not (" * 26 + "fc" + ")" * 26,
        "(not " * 300 + "fc",
        "(" * 10_000 + "fc" + ")" * 10_000,
        "not " * 100_000 + "fc",
        "[" * 1_500,
        "age < " + "- " * 900 + "1",
        "1 - " * 490 + "1 < age",
        "fc" + "(1)" * 600,
    ],
)
def test_deep_nesting_is_a_clean_error(text: str) -> None:
    with pytest.raises(ExpressionError):
        parse(text, KINDS)


def test_nesting_up_to_the_limit_is_fine() -> None:
    assert values("(" * MAX_DEPTH + "fc" + ")" * MAX_DEPTH) == values("fc")
    assert values("not " * MAX_DEPTH + "fc") == values("fc")
    assert values("not (" * 25 + "fc" + ")" * 25) == values("not " * 25 + "fc") == values("not fc")


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
    "(x := 1)",
    "age < 1e999",
    "age ** 2 < 1",
    "fc or print('x')",
]


@pytest.fixture
def traps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record any import of os & co., any open/eval/exec, any compile beyond a parse to an AST."""
    monkeypatch.chdir(tmp_path)
    calls: list[str] = []
    real_import, real_compile = builtins.__import__, builtins.compile

    def spy_import(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.split(".")[0] in {"os", "subprocess", "sys", "shutil"}:
            calls.append(f"import {name}")
        return real_import(name, *args, **kwargs)

    def spy_compile(source: Any, filename: Any, mode: str, flags: int = 0, *args: Any, **kwargs: Any) -> Any:
        if not flags & ast.PyCF_ONLY_AST:
            calls.append("compile")
            raise AssertionError("compile to code called while parsing an expression")
        return real_compile(source, filename, mode, flags, *args, **kwargs)

    def forbidden(label: str) -> Callable[..., Any]:
        def trap(*args: Any, **kwargs: Any) -> Any:
            calls.append(label)
            raise AssertionError(f"{label} called while parsing an expression")
        return trap

    monkeypatch.setattr(builtins, "__import__", spy_import)
    monkeypatch.setattr(builtins, "compile", spy_compile)
    for name in ("open", "eval", "exec", "print"):
        monkeypatch.setattr(builtins, name, forbidden(name))
    monkeypatch.setattr(pd, "eval", forbidden("pd.eval"))
    monkeypatch.setattr(pd.DataFrame, "query", forbidden("DataFrame.query"))
    monkeypatch.setattr(pd.DataFrame, "eval", forbidden("DataFrame.eval"))
    return calls


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_is_rejected_and_nothing_runs(text: str, traps: list[str], tmp_path: Path) -> None:
    with pytest.raises(ExpressionError) as info:
        parse(text, KINDS)
    assert "\n" not in str(info.value)
    assert traps == []
    assert list(tmp_path.iterdir()) == []


def test_evaluation_never_runs_text(traps: list[str], tmp_path: Path) -> None:
    e = parse("fc and (age < 18 or crime in ['Murder']) and not dna or posted > '2020-01-01'", KINDS)
    assert e.evaluate(table()).tolist() == [False, False, True, True, True, False, True, False]
    assert parse("crime == \"open('SENTINEL', 'w')\"", KINDS).evaluate(table()).sum() == 0
    assert traps == []
    assert list(tmp_path.iterdir()) == []


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
_FLIP = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}

Node = tuple[Any, ...]
"""A condition for :func:`reference`: ("col", name), ("cmp", name, op, value), ("in", name, values, negated),
("not", node), ("and", [nodes]) or ("or", [nodes])."""


def _lit(column: str, value: object) -> object:
    return pd.Timestamp(dt.date.fromisoformat(value)) if KINDS[column] == "date" else value  # type: ignore[arg-type]


def reference(node: Node, row: dict[str, object]) -> bool | None:
    """Kleene logic, computed row by row in plain Python; None is unknown."""
    tag = node[0]
    if tag == "col":
        return row[node[1]]  # type: ignore[return-value]
    if tag in ("cmp", "in"):
        value = row[node[1]]
        if value is None:
            return None
        if tag == "cmp":
            return bool(_PY_OPS[node[2]](value, _lit(node[1], node[3])))
        hit = any(value == _lit(node[1], v) for v in node[2])
        return not hit if node[3] else hit
    if tag == "not":
        inner = reference(node[1], row)
        return None if inner is None else not inner
    parts = [reference(o, row) for o in node[1]]
    if tag == "and":
        return False if False in parts else (None if None in parts else True)
    return True if True in parts else (None if None in parts else False)


def test_evaluate_examples() -> None:
    df = table()
    e = parse("fc and age < 18", KINDS)
    assert isinstance(e, Expr)
    result = e.evaluate(df)
    assert result.dtype == bool
    assert result.index.equals(df.index)
    assert result.tolist() == [True, False, False, True, False, False, True, False]
    # row 105: unknown and unknown; row 111: unknown and False is False; row 115: False and unknown is False
    assert values("fc and age < 18") == [True, False, None, True, False, False, True, False]
    with pytest.raises(TypeError, match="DataFrame"):
        e.evaluate([1, 2])  # type: ignore[arg-type]


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
    T, F, U = True, False, None
    assert values("a and b", df, kinds) == [T, F, U, F, F, F, U, F, U]
    assert values("a or b", df, kinds) == [T, T, T, T, F, U, T, U, U]
    assert values("not a", df, kinds) == [F, F, F, T, T, T, U, U, U]


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
    for text, fragment in [("age == 'x'", "compares with a number"), ("age", "not yes/no"),
                           ("fc < true", "yes/no column"), ("posted < 'soon'", "ISO date"),
                           ("crime < 'M'", "text column"), ("crime in [1]", "quoted string")]:
        e = parse(text, names)
        with pytest.raises(ExpressionError, match=fragment):
            e.evaluate(df)
    with pytest.raises(ExpressionError, match="unknown column 'nope'"):
        parse("nope", ["nope"]).evaluate(df)
    with pytest.raises(ExpressionError, match="does not hold yes/no values"):
        parse("o", ["o"]).evaluate(pd.DataFrame({"o": pd.Series([True, 1], dtype=object)}))


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


def test_membership_means_equality_with_any_value() -> None:
    df = table()
    for text, same in [
        ("age in [15, 17.0]", "age == 15 or age == 17.0"),
        ("posted in ['0001-01-01', '2020-01-01']", "posted == '0001-01-01' or posted == '2020-01-01'"),
        ("crime not in ['Murder', 'Robbery']", "not (crime == 'Murder' or crime == 'Robbery')"),
    ]:
        assert parse(text, KINDS).evaluate(df).equals(parse(same, KINDS).evaluate(df))
        assert parse(text, KINDS).evaluate(df).any()


def test_dtype_names_are_accepted_as_kinds() -> None:
    kinds = {"fc": "boolean", "age": "Int64", "crime": "string", "posted": "datetime64[ns]", "x": "weird"}
    with pytest.raises(ExpressionError, match="yes/no"):
        parse("fc < true", kinds)
    with pytest.raises(ExpressionError, match="number"):
        parse("age == 'x'", kinds)
    with pytest.raises(ExpressionError, match="ISO date"):
        parse("posted < 1", kinds)
    df = pd.DataFrame({"x": pd.Series(["anything", "else"], dtype=object)})
    assert parse("x == 'anything'", kinds).evaluate(df).tolist() == [True, False]


def test_duplicate_columns_are_reported_not_crashed() -> None:
    df = pd.DataFrame([[True, False]], columns=["fc", "fc"])
    assert column_kinds(df) == {"fc": "bool"}
    with pytest.raises(ExpressionError, match="more than once"):
        parse("fc", ["fc"]).evaluate(df)


# ---------------------------------------------------------------------------------------------------------
# Property tests: random expression texts with their meaning
# ---------------------------------------------------------------------------------------------------------

_ORDERED = ["==", "!=", "<", "<=", ">", ">="]
_EQUALITY = ["==", "!="]
_SPACE = st.sampled_from([" ", " ", " ", "  ", "\n", "\t", " \r\n "])


def _float_text(value: float) -> str:
    """Fixed-point text that reads back to exactly ``value`` (no exponent, always a point)."""
    text = format(Decimal(repr(value)), "f")
    return text if "." in text else text + ".0"


@st.composite
def _string_text(draw: st.DrawFn, value: str) -> str:
    """``value`` as a quoted literal: either quote, escapes or raw characters."""
    quote = draw(st.sampled_from(["'", '"']))
    escaped = draw(st.booleans())
    out = []
    for ch in value:
        if ch in ("\\", quote):
            out.append("\\" + ch)
        elif escaped and ch in "\n\r\t":
            out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t"}[ch])
        elif escaped and not ch.isprintable():
            out.append(f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08X}")
        else:
            out.append(ch)
    return quote + "".join(out) + quote


def _values(kind: str, wide: bool) -> st.SearchStrategy[Any]:
    if kind == "bool":
        return st.booleans()
    if kind in ("int", "float"):
        if wide:
            return st.integers(-(2**63), 2**63 - 1) | st.floats(allow_nan=False, allow_infinity=False)
        return st.integers(-2, 45) | st.sampled_from([1.5, 2.0, 10.25, -0.5, 0.0, 17.5])
    if kind == "str":
        return st.text() if wide else st.sampled_from(["Murder", "Robbery", "Assault", "Drug crime", "murder", ""])
    dates = st.dates(dt.date(1678, 1, 1), dt.date(2261, 12, 31)) if wide else \
        st.dates(dt.date(2017, 12, 30), dt.date(2023, 1, 2))
    return dates.map(lambda d: d.isoformat())


@st.composite
def _literal(draw: st.DrawFn, value: Any) -> str:
    """``value`` as written in an expression, in any of the accepted spellings."""
    if isinstance(value, bool):
        return draw(st.sampled_from(["true", "True"] if value else ["false", "False"]))
    if isinstance(value, str):
        return draw(_string_text(value))
    text = _float_text(value) if isinstance(value, float) else str(value)
    return text.replace("-", draw(st.sampled_from(["-", "- "])))


@st.composite
def _leaf(draw: st.DrawFn, wide: bool) -> tuple[str, Node, int]:
    column = draw(st.sampled_from(sorted(KINDS)))
    kind = KINDS[column]
    shape = draw(st.sampled_from(["column", "compare", "membership"] if kind == "bool" else
                                 ["compare", "membership"]))
    if shape == "column":
        return column, ("col", column), 0
    if shape == "compare":
        op = draw(st.sampled_from(_EQUALITY if kind in ("bool", "str") else _ORDERED))
        value = draw(_values(kind, wide))
        literal, sp = draw(_literal(value)), draw(_SPACE)
        text = f"{literal}{sp}{_FLIP[op]}{sp}{column}" if draw(st.booleans()) else f"{column}{sp}{op}{sp}{literal}"
        return text, ("cmp", column, op, value), 0
    items = draw(st.lists(_values(kind, wide), min_size=1, max_size=3))
    negated = draw(st.booleans())
    literals = ", ".join(draw(_literal(v)) for v in items)
    return f"{column} {'not in' if negated else 'in'} [{literals}]", ("in", column, items, negated), 0


def _not(child: tuple[str, Node, int]) -> tuple[str, Node, int]:
    text, node, depth = child
    wrap = node[0] in ("and", "or")
    return f"not ({text})" if wrap else f"not {text}", ("not", node), depth + 1 + wrap


def _join(tag: str, children: list[tuple[str, Node, int]]) -> tuple[str, Node, int]:
    # parentheses where precedence needs them ('or' inside 'and', 'and'/'or' inside 'not'), and on nested 'and'
    wrap = [c[1][0] in (("and", "or") if tag == "and" else ("or",)) for c in children]
    text = f" {tag} ".join(f"({c[0]})" if w else c[0] for c, w in zip(children, wrap, strict=True))
    return text, (tag, [c[1] for c in children]), max(c[2] + w for c, w in zip(children, wrap, strict=True))


def expressions(wide: bool = False) -> st.SearchStrategy[tuple[str, Node, int]]:
    """Random valid expression texts over ``KINDS`` with their meaning (a :data:`Node`) and nesting depth."""
    return st.recursive(
        _leaf(wide),
        lambda children: st.one_of(
            children.map(_not),
            children.map(lambda c: (f"({c[0]})", c[1], c[2] + 1)),
            st.lists(children, min_size=2, max_size=3).map(lambda cs: _join("and", cs)),
            st.lists(children, min_size=2, max_size=3).map(lambda cs: _join("or", cs)),
        ),
        max_leaves=12,
    ).filter(lambda e: len(e[0]) <= MAX_LENGTH and e[2] <= MAX_DEPTH)


@SETTINGS
@given(expressions())
def test_evaluation_matches_plain_python_reference(e: tuple[str, Node, int]) -> None:
    text, node, _ = e
    df = table()
    expected = [reference(node, row) for row in _rows(df)]
    assert values(text) == expected
    final = parse(text, KINDS).evaluate(df)
    assert final.dtype == bool
    assert final.index.equals(df.index)
    assert final.tolist() == [v is True for v in expected]
    assert parse(text, list(KINDS)).evaluate(df).equals(final)


_FRAMES = {
    "bool": lambda v: pd.array([v, None], dtype="boolean"),
    "int": lambda v: pd.array([v, None], dtype="Int64") if isinstance(v, int) else pd.Series([v, None], dtype=float),
    "str": lambda v: pd.Series([v, None], dtype="str"),
    "date": lambda v: pd.to_datetime([v, None]),
}


@SETTINGS
@given(st.sampled_from(["bool", "int", "str", "date"]).flatmap(
    lambda kind: st.tuples(st.just(kind), _values(kind, wide=True).flatmap(lambda v: st.tuples(st.just(v),
                                                                                               _literal(v))))))
def test_any_literal_reads_back_exactly(case: tuple[str, tuple[Any, str]]) -> None:
    kind, (value, literal) = case
    df = pd.DataFrame({"x": _FRAMES[kind](value)})
    assert values(f"x == {literal}", df, df) == [True, None]
    assert values(f"x in [{literal}]", df, df) == [True, None]
    assert values(f"x != {literal}", df, df) == [False, None]


# ---------------------------------------------------------------------------------------------------------
# Fuzz: only ExpressionError or an Expr, never anything else
# ---------------------------------------------------------------------------------------------------------

_TOKENS = [
    "fc", "dna", "age", "score", "crime", "posted", "nope", "and", "or", "not", "in", "true", "false", "True",
    "(", ")", "[", "]", ",", "==", "!=", "<", "<=", ">", ">=", "=", "-", "18", "1.5", "'Murder'",
    '"2020-01-01"', "'", '"', "\\", ".", ";", "__import__", "\n", " ", "if", "else", "is", "None", "lambda",
    "e5", "0x", "_1", "*", "#", ":",
]


def _parse_or_error(text: str) -> None:
    try:
        e = parse(text, KINDS)
    except ExpressionError as exc:
        assert "\n" not in str(exc)
        return
    result = e.evaluate(table())  # parsed with kinds: evaluation cannot fail on type grounds
    assert result.dtype == bool
    assert parse(text, list(KINDS)).evaluate(table()).equals(result)


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=300))
def test_fuzz_random_text(text: str) -> None:
    _parse_or_error(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_TOKENS), max_size=25), st.sampled_from([" ", ""]))
def test_fuzz_token_soup(tokens: list[str], sep: str) -> None:
    _parse_or_error(sep.join(tokens))


@settings(max_examples=200, deadline=None)
@given(expressions(), st.integers(0, 200), st.text(max_size=3))
def test_fuzz_mutated_valid_text(e: tuple[str, Node, int], where: int, junk: str) -> None:
    text = e[0]
    cut = where % (len(text) + 1)
    _parse_or_error(text[:cut] + junk + text[cut:])
    _parse_or_error(text[:cut])


def test_the_tree_names_every_comparison_and_column():
    expr = parse('fc and not (dna or crime in ["a", "b"]) and 18 > age', KINDS)
    assert expr.tree == ("and", (("cmp", "fc", "", ()),
                                 ("not", ("or", (("cmp", "dna", "", ()), ("cmp", "crime", "in", ("a", "b"))))),
                                 ("cmp", "age", "<", (18,))))
    assert expr.columns == ["fc", "dna", "crime", "age"]
    assert [leaf[1:3] for leaf in expr.comparisons] == [("fc", ""), ("dna", ""), ("crime", "in"), ("age", "<")]
    assert parse("fc == false", KINDS).tree == ("cmp", "fc", "==", (False,))
    assert parse("dna or dna", KINDS).columns == ["dna"]
