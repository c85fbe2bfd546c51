"""Text from the data made inert where it is shown: in the terminal and as displayed words.

Names, file names and column names come from exports and servers, so they may hold newlines, ANSI escape sequences
(which can clear a screen or forge a line), bidirectional controls (U+202E reverses the text after it) and other
invisible format characters. :func:`terminal` makes every such character visible as an escape (``\\x1b``,
``\\u202e``), so one message stays one line and shows what is really there; :func:`display` removes bidi and format
controls from text meant for reading (HTML escaping itself is Jinja2's and markdown-it's job).
"""

from __future__ import annotations

import unicodedata

__all__ = ["display", "terminal"]

_KEEP = {"\t"}


def _unsafe(ch: str) -> bool:
    category = unicodedata.category(ch)
    return ch not in _KEEP and (category in ("Cc", "Cf", "Zl", "Zp", "Co", "Cs"))


def terminal(text: object, *, keep_newlines: bool = False) -> str:
    """``text`` with control, format (bidi) and separator characters escaped (``\\n`` kept when
    ``keep_newlines``): safe to print as one line."""
    out = []
    for ch in str(text):
        if keep_newlines and ch == "\n":
            out.append(ch)
        elif _unsafe(ch):
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(ch)
    return "".join(out)


def display(text: object) -> str:
    """``text`` without control and format characters (bidi overrides, zero-width marks): for words a reader sees.
    Newlines and tabs become spaces."""
    return "".join(" " if ch in "\n\t\r" else ch for ch in str(text) if ch in "\n\t\r" or not _unsafe(ch))
