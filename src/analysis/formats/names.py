"""Names as comparable words: the one normaliser used by the readers, the snapshot diff and the roster match.

Exports and sources write one person's name in many ways (``José O'Brien-Núñez, Jr.``, ``JOSE OBRIEN NUNEZ``,
``A.B. Butler`` / ``A. B. Butler``). :func:`name_words` turns a name into *words*:

- letters are lower-cased and accents folded to ASCII (Unicode NFKD, combining marks dropped: ``Núñez`` →
  ``nunez``);
- apostrophes are dropped, so an elided name stays one word (``O'Brien``, ``O’Brien``, ``O´Brien`` → ``obrien``);
- any other character that is not a letter or digit separates words: spaces, hyphens (``Aguirre-Jarquin`` →
  ``aguirre jarquin``), commas, brackets and full stops, so initials are one-letter words however they are
  written (``A.B.``, ``A. B.`` → ``a b``; ``Walter D. Smith`` → ``walter d smith``; ``St.Charles`` →
  ``st charles``);
- a letter with no ASCII decomposition (``ø``, ``ß``, ``ł``) is not a letter here: it separates words too.

:func:`name_tokens` (the *tokens* of a name) are its words without the generational suffixes of
:data:`NAME_SUFFIXES` (``Jr``, ``Sr``, ``II`` … ``V``, ``2nd``, ``3rd``), which the sources add or leave out. The
first word is never taken for a suffix: a name consisting of ``V`` or beginning with ``Jr`` keeps it.
:func:`is_name_suffix` says whether one written word (``Jr.``, ``III``) is such a suffix.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

__all__ = ["NAME_SUFFIXES", "is_name_suffix", "name_tokens", "name_words"]

NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "v", "2nd", "3rd"})
_APOSTROPHES = re.compile(r"['’‘`´ʼ]")  # also before NFKD, which turns ´ into a space and a combining accent
_SEPARATORS = re.compile(r"[^a-z0-9]+")


def name_words(text: object) -> tuple[str, ...]:
    """The words of a name (lower-case ASCII, see the module docstring), suffixes kept; () for a missing name."""
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ()
    s = unicodedata.normalize("NFKD", _APOSTROPHES.sub("", str(text)))
    s = _APOSTROPHES.sub("", "".join(ch for ch in s if not unicodedata.combining(ch))).lower()
    return tuple(_SEPARATORS.sub(" ", s).split())


def name_tokens(text: object) -> tuple[str, ...]:
    """The tokens of a name: its :func:`name_words` without the suffixes of :data:`NAME_SUFFIXES` after the first
    word (``"José  O'Brien-Núñez, Jr."`` → ``("jose", "obrien", "nunez")``)."""
    return tuple(w for i, w in enumerate(name_words(text)) if i == 0 or w not in NAME_SUFFIXES)


def is_name_suffix(word: object) -> bool:
    """Whether a written word is one generational suffix (``Jr``, ``jr.``, ``III``, ``3rd``), in any case and with
    any punctuation around it."""
    words = name_words(word)
    return len(words) == 1 and words[0] in NAME_SUFFIXES
