"""The claim-wording rules, checked against the numbers they describe (property tests over [0, 1])."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from analysis.analyse import wording as w
from analysis.analyse.rates import wilson_interval


def _independent_claim_holds(phrase: str, s: float, low: float, high: float) -> bool:
    """The claim a phrase makes, re-derived here without the module's checker."""
    if phrase.endswith("%"):
        return abs(float(phrase.rstrip("%")) - s * 100) <= 0.05 + 1e-9
    if phrase in ("none", "all"):
        return s == (0 if phrase == "none" else 1)
    qualifier, _, rest = phrase.partition(" ") if not phrase.startswith("more than") else ("more than", "", phrase[10:])
    if rest == "half":
        value = 0.5
    else:
        a, _, b = rest.split(" ")
        value = w._WORD_NUMBERS[a] / w._WORD_NUMBERS[b]
    if qualifier == "about":
        return abs(s - value) <= 0.015 + 1e-12
    if qualifier == "nearly":
        return value - 0.015 - 1e-12 <= s < value and high < value
    assert qualifier == "more than"
    return value < s <= value + 0.03 + 1e-12 and low > value


@given(st.integers(min_value=1, max_value=5000), st.data())
def test_every_phrase_is_true_of_its_number_and_interval(n, data):
    k = data.draw(st.integers(min_value=0, max_value=n))
    s = k / n
    low, high = wilson_interval(k, n)
    phrase = w.share_phrase(s, low, high)
    assert w.check_share_phrase(phrase, s, low, high), (k, n, phrase)
    assert _independent_claim_holds(phrase, s, low, high), (k, n, phrase)


@given(st.floats(min_value=0, max_value=1))
def test_without_an_interval_only_about_or_a_percentage(s):
    phrase = w.share_phrase(s)
    assert not phrase.startswith(("nearly", "more than")), phrase
    assert w.check_share_phrase(phrase, s)


def test_the_headlines_the_methods_editor_refused():
    # 335 of 1,487 murders: not "nearly one in four"; "more than one in five" holds (interval 20.5–24.7%)
    low, high = wilson_interval(335, 1487)
    assert w.share_phrase(335 / 1487, low, high) == "more than one in five"
    assert not w.check_share_phrase("nearly one in four", 335 / 1487, low, high)
    # Illinois 31.0%: "about three in ten", never "nearly one in three"
    low, high = wilson_interval(31, 100)
    assert w.share_phrase(0.31, low, high) == "about three in ten"
    assert not w.check_share_phrase("nearly one in three", 0.31, low, high)
    # far from any fraction: a percentage
    low, high = wilson_interval(270, 1000)
    assert w.share_phrase(0.27, low, high) == "27.0%"
    assert w.share_phrase(0.5) == "about half"


def test_more_than_needs_the_whole_interval_above():
    # 22.5% of 40: the interval reaches well below 20%, so only a percentage is honest
    low, high = wilson_interval(9, 40)
    assert low < 0.2
    assert w.share_phrase(9 / 40, low, high) == "22.5%"


def test_ratio_always_names_population_and_interval():
    r, lo, hi = w.ratio_interval(100, 400, 200, 2500)
    text = w.ratio_phrase(r, lo, hi, group="juveniles", reference="adults", outcome="to have falsely confessed",
                          population="among exonerees")
    assert text.startswith("Among exonerees, juveniles were 3.1 times as likely as adults")
    assert "95% CI" in text
    r, lo, hi = w.ratio_interval(11, 100, 10, 100)
    assert lo < 1 < hi
    assert "no clear difference" in w.ratio_phrase(r, lo, hi, group="a", reference="b", outcome="to x",
                                                    population="among exonerees")


def test_ratio_interval_matches_log_method():
    r, lo, hi = w.ratio_interval(30, 100, 10, 100)
    se = math.sqrt(1 / 30 - 1 / 100 + 1 / 10 - 1 / 100)
    assert math.isclose(r, 3.0)
    assert math.isclose(lo, 3 * math.exp(-1.959963984540054 * se))
    assert math.isclose(hi, 3 * math.exp(1.959963984540054 * se))


def test_change_only_when_the_difference_is_clear():
    assert w.change_phrase(45, 450, 130, 870, before="in the 1990s", after="in 2021–2025").startswith("rose from 10.0%")
    assert "no clear change" in w.change_phrase(10, 100, 12, 100, before="in A", after="in B")
    d, lo, hi = w.diff_interval(12, 100, 10, 100)
    assert lo < 0 < hi and math.isclose(d, 0.02)


def test_compare_phrase_needs_separate_intervals():
    assert w.compare_phrase(0.30, 0.40, 0.10, 0.20, "the national share") == "higher than the national share"
    assert w.compare_phrase(0.05, 0.09, 0.10, 0.20, "the national share") == "lower than the national share"
    assert w.compare_phrase(0.15, 0.40, 0.10, 0.20, "the national share") == "in line with the national share"


def test_counts_and_plurals():
    assert w.count_noun(1) == "1 exoneration"
    assert w.count_noun(1487) == "1,487 exonerations"
    assert w.count_with_share(335, 1487) == "335 exonerations (22.5% of 1,487)"
