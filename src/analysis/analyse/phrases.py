"""Plain-English phrases for ``--of`` / ``--among`` expressions, composed from the schema's column phrases.

A *condition phrase* completes "K of the N exonerations …": ``race == "Black"`` → "were Black",
``dna and not dna_minor`` → "had DNA evidence contribute to the exoneration and did not have DNA as only a minor
factor in the exoneration". A *population phrase* names the N: "exonerations since 1989 in Illinois".

Composed from simple expressions only: a yes/no column (bare, ``== true``/``== false``), ``==``, ``!=``, ``in``,
``not in``, ordering comparisons on ages, years and dates, ``not`` of one comparison, and a run of ``and`` or of
``or`` (never the two mixed, which English cannot say without brackets). Anything else, or a column without a
phrase (:data:`analysis.normalise.schema.PHRASES`), gives None: the caller then quotes the expression in
backticks. :func:`singular` turns a phrase for K = 1 ("were homicide cases" → "was a homicide case").
"""

from __future__ import annotations

import datetime as dt
import re

from analysis.analyse.filters import Expr
from analysis.formats.codes import STATE_ABBR
from analysis.normalise.schema import BY_NAME
from analysis.snapshot import day_text

__all__ = ["condition_phrase", "negate", "population_phrase", "singular"]

STATE_NAMES = {abbr: name for name, abbr in STATE_ABBR.items()}
_NEGATIONS = (("were ", "were not "), ("had ", "did not have "), ("involved ", "did not involve "),
              ("carried ", "did not carry "))
_YEAR_WORDS = {"==": "in {}", "<": "before {}", "<=": "in {} or earlier", ">": "after {}", ">=": "in {} or later"}
_DATE_WORDS = {"==": "on {}", "<": "before {}", "<=": "on or before {}", ">": "after {}", ">=": "on or after {}"}
_AGE_WORDS = {"==": "aged {}", "<": "under {}", "<=": "aged {} or under", ">": "over {}", ">=": "aged {} or over"}


def negate(phrase: str) -> str | None:
    """The negation of a one-verb phrase ("were X" → "were not X", "had X" → "did not have X", "involved X" →
    "did not involve X", "carried X" → "did not carry X"); None for anything else."""
    return next((new + phrase[len(old):] for old, new in _NEGATIONS if phrase.startswith(old)), None)


def _either(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _value_words(name: str, value: object) -> str:
    if name == "state_abbr" and isinstance(value, str):
        return STATE_NAMES.get(value, value)
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return day_text(dt.date.fromisoformat(value))
    return f"{value:,}" if isinstance(value, int) and abs(value) >= 10_000 else str(value)


def _leaf(name: str, op: str, values: tuple, negated: bool = False) -> str | None:
    column = BY_NAME.get(name)
    template = column.phrase if column else ""
    if not template:
        return None
    if column.dtype == "boolean":
        if op and (op not in ("==", "!=") or len(values) != 1 or not isinstance(values[0], bool)):
            return None
        truth = (values[0] if op == "==" else not values[0]) if op else True
        yes, _, no = template.partition("|")
        return yes if truth != negated else (no or negate(yes))
    negated ^= op in ("!=", "not in")
    op = {"!=": "==", "not in": "in"}.get(op, op)
    words = [_value_words(name, v) for v in values]
    slot = next((s for s in ("{when}", "{age}", "{lower}", "{}") if s in template), "")
    if slot in ("{}", "{lower}") and op in ("==", "in"):
        text = template.replace(slot, _either([w.lower() for w in words] if slot == "{lower}" else words))
    elif slot in ("{when}", "{age}"):
        table = _AGE_WORDS if slot == "{age}" else _DATE_WORDS if "date" in name else _YEAR_WORDS
        if op == "in":
            said = table["=="].format(_either(words)) if slot == "{age}" else _either(
                [table["=="].format(w) for w in words])
        elif op in table:
            said = table[op].format(words[0])
        else:
            return None
        text = template.replace(slot, said)
    else:
        return None
    return negate(text) if negated else text


def _compose(tree: tuple, parent: str = "") -> str | None:
    kind = tree[0] if tree else ""
    if kind == "cmp":
        return _leaf(*tree[1:])
    if kind == "not":
        inner = tree[1]
        return _leaf(*inner[1:], negated=True) if inner and inner[0] == "cmp" else None
    if kind in ("and", "or") and tree[1]:
        if parent and parent != kind:
            return None
        parts = [_compose(child, kind) for child in tree[1]]
        return None if any(p is None for p in parts) else f" {kind} ".join(parts)  # type: ignore[arg-type]
    return None


def condition_phrase(expr: Expr) -> str | None:
    """What "K of the N exonerations" did, for the condition ``expr`` (see the module docstring), or None."""
    return _compose(expr.tree)


def population_phrase(among: Expr | None, *, since_1989: bool) -> str:
    """The population as a plural noun phrase: "exonerations since 1989" (``since_1989``: the default
    ``not pre_1989`` was added) narrowed by ``among``; without the default and an ``among`` that does not say which
    years, "exonerations of any year". An ``among`` with no phrase is quoted: "… where `expr`"."""
    names_years = among is not None and "pre_1989" in among.columns
    base = "exonerations since 1989" if since_1989 else "exonerations" if names_years else "exonerations of any year"
    if among is None:
        return base
    phrase = _compose(among.tree)
    if phrase is None:
        return f"{base} where `{among.text}`"
    single = among.tree[0] == "cmp" or among.tree[0] == "not" and among.tree[1][0] == "cmp"
    if single and re.match(r"were (in|of|from) ", phrase):
        return f"{base} {phrase[len('were '):]}"
    if single and base == "exonerations" and phrase.startswith("were exonerated "):
        return f"exonerations {phrase[len('were exonerated '):]}"
    return f"{base} that {phrase}"


_NOT_A_VERB = r"(?:(?!and |or |were |had |involved |carried |did )[\w'-]+ )*?"
_NOUNS = {"cases": "case", "convictions": "conviction", "exonerations": "exoneration", "prosecutions":
          "prosecution", "exonerees": "exoneree"}


def _article(words: str) -> str:
    return "an" if words[:1].lower() in "aeiou" and words else "a"


def singular(phrase: str) -> str:
    """A condition phrase for one record: "were homicide cases" → "was a homicide case", "were of people" → "was
    of a person", "were Black" → "was Black"; verbs other than "were" are the same in the singular."""
    out = re.sub(r"\bof people\b", "of a person", phrase)
    out = re.sub(rf"\bwere (not )?of ({_NOT_A_VERB})exonerees\b",
                 lambda m: f"was {m[1] or ''}of {_article(m[2])} {m[2]}exoneree", out)
    out = re.sub(rf"\bwere (not )?({_NOT_A_VERB})(cases|convictions|exonerations|prosecutions)\b",
                 lambda m: f"was {m[1] or ''}{_article(m[2] or m[3])} {m[2]}{_NOUNS[m[3]]}", out)
    return re.sub(r"\bwere\b", "was", out)
