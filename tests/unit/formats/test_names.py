"""The one name normaliser (analysis.formats.names) on small hand-built names."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.formats.cells import split_name
from analysis.formats.names import NAME_SUFFIXES, is_name_suffix, name_tokens, name_words


@pytest.mark.parametrize(("name", "tokens"), [
    # case, spacing
    ("JOHN  SMITH", ("john", "smith")),
    ("  john\u00a0smith\t", ("john", "smith")),
    # accents folded
    ("José María Núñez", ("jose", "maria", "nunez")),
    ("Zoë Brontë-Ångström", ("zoe", "bronte", "angstrom")),
    ("ﬁnn", ("finn",)),  # compatibility ligature
    # apostrophes dropped, whatever the mark
    ("O'Brien", ("obrien",)),
    ("O’Brien", ("obrien",)),
    ("O‘Brien", ("obrien",)),
    ("O`Brien", ("obrien",)),
    ("O´Brien", ("obrien",)),
    # hyphens and other punctuation separate words
    ("Aguirre-Jarquin", ("aguirre", "jarquin")),
    ("Smith,John", ("smith", "john")),
    ("Jean (Johnny) Doe", ("jean", "johnny", "doe")),
    # initials: one-letter words, however written
    ("A.B. Butler", ("a", "b", "butler")),
    ("A. B. Butler", ("a", "b", "butler")),
    ("Walter D. Smith", ("walter", "d", "smith")),
    ("Walter D.Smith", ("walter", "d", "smith")),
    # suffixes, with or without punctuation, in any case
    ("Marvin Grimm, Jr.", ("marvin", "grimm")),
    ("John Smith JR", ("john", "smith")),
    ("John Smith Sr", ("john", "smith")),
    ("John Smith III", ("john", "smith")),
    ("John Smith IV", ("john", "smith")),
    ("John Smith V", ("john", "smith")),
    ("John Smith 2nd", ("john", "smith")),
    ("John Smith, 3rd", ("john", "smith")),
    ("Robert DuBoise, Sr. II", ("robert", "duboise")),
    ("Jr. Smith", ("jr", "smith")),  # the first word is never a suffix
    ("V", ("v",)),
    ("Ivan Ivy", ("ivan", "ivy")),  # words merely starting like a suffix stay
    # letters without an ASCII form separate words
    ("Bjørn", ("bj", "rn")),
])
def test_name_tokens(name: str, tokens: tuple[str, ...]):
    assert name_tokens(name) == tokens


def test_name_words_keep_suffixes():
    assert name_words("Marvin Grimm, Jr.") == ("marvin", "grimm", "jr")
    assert name_tokens("Marvin Grimm, Jr.") == ("marvin", "grimm")


@pytest.mark.parametrize("missing", [None, pd.NA, float("nan"), "", "  ", "., -"])
def test_missing_or_empty_names_have_no_tokens(missing: object):
    assert name_words(missing) == () and name_tokens(missing) == ()


def test_suffix_set():
    assert {"jr", "sr", "ii", "iii", "iv", "v", "2nd", "3rd"} == NAME_SUFFIXES
    assert all(w == w.lower() and w.isalnum() for w in NAME_SUFFIXES)


@pytest.mark.parametrize(("word", "expected"), [
    ("Jr", True), ("jr.", True), ("JR.,", True), ("Sr.", True), ("III", True), ("iv", True), ("V", True),
    ("2nd", True), ("3RD", True), ("(Jr.)", True),
    ("Smith", False), ("Jr.Smith", False), ("VI", False), ("", False), ("1st", False), ("D.", False),
])
def test_is_name_suffix(word: str, expected: bool):
    assert is_name_suffix(word) is expected


def test_split_name_keeps_the_suffix_with_the_family_name():
    names = pd.Series(["John Paul Smith Jr.", "John Smith Jr.", "John Smith III", "Ann Lee 2nd", "Cher", None,
                       "Mary Ann De La Cruz"])
    first, last = split_name(names)
    assert first.fillna("-").tolist() == ["John Paul", "John", "John", "Ann", "-", "-", "Mary Ann De La"]
    assert last.fillna("-").tolist() == ["Smith Jr.", "Smith Jr.", "Smith III", "Lee 2nd", "Cher", "-", "Cruz"]
