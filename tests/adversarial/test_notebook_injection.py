"""Hostile names reach the notebooks (changelog entries, tables) only as text, never as markup."""

from __future__ import annotations

import nbformat
import pandas as pd
from IPython.core.formatters import DisplayFormatter

from analysis.compare import md_text
from analysis.narrate.execute import notebook_html
from analysis.narrate.session import show_markdown

HOSTILE = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "[click](javascript:alert(1))"]


def _outputs(*objects: object) -> list:
    formatter = DisplayFormatter()
    outputs = []
    for obj in objects:
        data, _ = formatter.format(obj)
        outputs.append(nbformat.v4.new_output("display_data", data=data))
    return outputs


def test_hostile_names_are_inert_in_the_notebook_html_export():
    frame = pd.DataFrame({"name": HOSTILE, "k": [1, 2, 3]})
    entry = "\n".join(f"- {md_text(name)} (IL)" for name in HOSTILE)
    cell = nbformat.v4.new_code_cell("show(...)", outputs=_outputs(frame, show_markdown(entry)))
    page = notebook_html(nbformat.v4.new_notebook(cells=[cell]))
    assert "<script>alert(1)</script>" not in page
    assert "<img src=x" not in page and "<img src=\"x\"" not in page
    assert 'href="javascript:' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_markdown_escaping_keeps_the_text_readable():
    assert md_text("O'Brien-Smith Jr.") == "O'Brien-Smith Jr."
    assert md_text("a_b*c") == "a\\_b\\*c"
