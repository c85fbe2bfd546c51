"""The narrative notebooks: helpers they call, and headless execution into ``reports/notebooks/``.

The notebooks in ``notebooks/`` narrate; every computation they show is a call into ``analysis``. The helpers here
are the few steps a notebook needs beyond the tables and charts: open the project (the processed table, or a
stored snapshot, optionally as the registry stood on a date), gather stored snapshots, and compare the two newest.

:func:`execute_notebooks` runs each notebook with papermill (kernel ``python3``, resolved to the interpreter
running this code) and converts it to HTML with nbconvert (no CDN scripts), writing both atomically.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.charts.catalogue import ChartContext
from analysis.errors import UserError
from analysis.normalise.load import snapshot_on_or_before
from analysis.settings import Paths, paths
from analysis.snapshot import Snapshot

__all__ = ["NotebookError", "Session", "change_summary", "changelog_text", "coverage", "execute_notebooks",
           "headline_changes", "headline_sentences", "headline_table", "open_project", "provenance",
           "show_markdown", "snapshot_history", "snapshot_on_or_before", "what_changed"]

KERNEL_NAME = "python3"


class NotebookError(UserError):
    """A notebook failed to execute (the partly executed copy is kept as ``<name>.failed.ipynb``)."""


# --------------------------------------------------------------------------------------------------------
# Helpers the notebooks call
# --------------------------------------------------------------------------------------------------------


@dataclass
class Session:
    """What a notebook works on: one ``Snapshot`` (viewed as of ``as_of`` when set) and the project paths."""

    snapshot: Snapshot
    where: Paths
    cache: dict = field(default_factory=dict, repr=False)

    @property
    def table(self) -> pd.DataFrame:
        """The records the numbers are about: the snapshot's as-of view."""
        return self.snapshot.view

    @property
    def meta(self) -> dict:
        """The snapshot's provenance (``Snapshot.to_json``)."""
        return self.snapshot.to_json()

    @property
    def as_of(self) -> dt.date | None:
        return self.snapshot.as_of

    @property
    def ctx(self) -> ChartContext:
        return ChartContext(as_of=self.snapshot.as_of)


def open_project(project_root: str | Path | None = None, snapshot: str | None = None,
                 as_of: str | dt.date | None = None) -> Session:
    """Open the project at ``project_root`` (default: the current one).

    ``snapshot``: a stored snapshot id (default, or the processed snapshot's own id: the processed table);
    ``as_of``: the registry as it stood on this date (YYYY-MM-DD): records posted on or before it.
    """
    if project_root:
        os.environ["CONFESSIONS_HOME"] = str(Path(project_root).resolve())
    from analysis.normalise.load import load_processed, stored_snapshot

    where = paths()
    processed = load_processed(where) if where.canonical_parquet.is_file() or not snapshot else None
    if snapshot and (processed is None or snapshot != processed.source.id):
        chosen = stored_snapshot(snapshot, where)
    else:
        chosen = processed
    return Session(snapshot=chosen.at(as_of), where=where)


def provenance(session: Session) -> pd.DataFrame:
    """Where the numbers come from, one row per item (snapshot id, date, sha256, format, rows, as-of)."""
    source = session.snapshot.source
    items = [("snapshot id", source.id), ("snapshot date", source.iso), ("sha256", source.sha256),
             ("export format", source.format), ("records in the table", f"{len(session.table):,}"),
             ("as of", session.as_of.isoformat() if session.as_of else "the snapshot date")]
    return pd.DataFrame(items, columns=["item", "value"])


def coverage(table: pd.DataFrame) -> pd.DataFrame:
    """Per canonical column: type, records with a value, share with a value (blank factor = not coded = False)."""
    known = table.notna().sum()
    return pd.DataFrame({"column": table.columns, "type": [str(t) for t in table.dtypes],
                         "with_value": known.to_numpy(), "share_with_value": (known / max(len(table), 1)).round(3)
                         .to_numpy()}).reset_index(drop=True)


def snapshot_history(session: Session) -> list[Snapshot]:
    """Every stored registry snapshot, oldest first; just this session's when none is stored."""
    from analysis.ingest.store import list_snapshots
    from analysis.normalise.load import all_snapshots

    if not list_snapshots("nre"):
        return [session.snapshot]
    return all_snapshots(session.where)


def what_changed(session: Session):  # noqa: ANN201 - returns analysis.compare.SnapshotDiff | None
    """The difference between the two newest dated stored snapshots (None when fewer than two are stored);
    computed once per session."""
    from analysis import compare as diff

    if "diff" not in session.cache:
        pair = diff.newest_pair()
        session.cache["diff"] = diff.diff_refs(*pair) if pair else None
    return session.cache["diff"]


def change_summary(session: Session):  # noqa: ANN201 - IPython.display.Markdown
    """What changed between the two newest stored snapshots, as the changelog entry (or a note)."""
    from analysis import compare as diff

    difference = what_changed(session)
    if difference is None:
        return show_markdown("_Fewer than two dated snapshots are stored, so there is nothing to compare._")
    return show_markdown(diff.changelog_entry(difference))


HEADLINE_CHANGE_COLUMNS = ["id", "old_k", "old_n", "old_share", "new_k", "new_n", "new_share", "change_points"]


def headline_changes(session: Session) -> pd.DataFrame:
    """The headline numbers in the two newest stored snapshots, with the change in percentage points."""
    difference = what_changed(session)
    rows = [{c: getattr(h, c) for c in HEADLINE_CHANGE_COLUMNS} for h in (difference.headlines if difference else [])]
    return pd.DataFrame(rows, columns=HEADLINE_CHANGE_COLUMNS)


def headline_table(session: Session) -> pd.DataFrame:
    """Every headline statistic (:func:`analysis.analyse.stats.headline_stats`): id, k, n, share, interval, sentence."""
    from analysis.analyse.stats import headline_stats

    stats = headline_stats(session.snapshot)
    return pd.DataFrame(stats)[["id", "k", "n", "share", "ci_low", "ci_high", "sentence"]]


def headline_sentences(session: Session):  # noqa: ANN201 - IPython.display.Markdown
    """The ready sentences of the headline statistics, as a list."""
    return show_markdown("\n".join(f"- {s}" for s in headline_table(session)["sentence"]))


def changelog_text(session: Session) -> str:
    """``reports/CHANGES.md`` (the data changelog), or a note when none was written yet."""
    path = session.where.reports / "CHANGES.md"
    return path.read_text(encoding="utf-8") if path.exists() else "_No data changelog has been written yet._"


def show_markdown(text: str):  # noqa: ANN201 - IPython.display.Markdown
    """Markdown for the notebook to display, with raw HTML disabled (``<`` and ``>`` become entities), so
    nothing in the data can inject markup into the executed notebook or its HTML export."""
    from IPython.display import Markdown

    return Markdown(text.replace("<", "&lt;").replace(">", "&gt;"))


# --------------------------------------------------------------------------------------------------------
# Headless execution
# --------------------------------------------------------------------------------------------------------

OFFLINE_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{% block jupyter_widgets %}{% endblock jupyter_widgets %}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""


@contextlib.contextmanager
def kernel_for_this_interpreter() -> Iterator[str]:
    """Make kernel ``python3`` start ``sys.executable`` (a private kernelspec first on ``JUPYTER_PATH``)."""
    with tempfile.TemporaryDirectory(prefix="confessions-kernel-") as tmp:
        spec_dir = Path(tmp) / "kernels" / KERNEL_NAME
        spec_dir.mkdir(parents=True)
        # the kernel's own log is silenced below ERROR (it warns about local TCP on every start); cell errors
        # still reach papermill
        spec = {"argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}",
                         "--IPKernelApp.log_level=ERROR"],
                "display_name": "Python 3 (ipykernel)", "language": "python", "metadata": {"debugger": True}}
        (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
        before = os.environ.get("JUPYTER_PATH")
        os.environ["JUPYTER_PATH"] = os.pathsep.join([tmp, *([before] if before else [])])
        try:
            yield KERNEL_NAME
        finally:
            if before is None:
                os.environ.pop("JUPYTER_PATH", None)
            else:
                os.environ["JUPYTER_PATH"] = before


def notebook_html(notebook) -> str:  # noqa: ANN001 - nbformat.NotebookNode
    """The executed notebook as one HTML page with images embedded and no CDN scripts."""
    import jinja2
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab", extra_loaders=[jinja2.DictLoader({"offline.j2": OFFLINE_TEMPLATE})],
                            embed_images=True)
    exporter.template_file = "offline.j2"
    body, _ = exporter.from_notebook_node(notebook)
    return body


def _parameters(where: Paths, parameters: Mapping | None) -> dict:
    params = {"snapshot": None, "as_of": None, "project_root": str(where.root)}
    for key, value in (parameters or {}).items():
        params[key] = value.isoformat() if isinstance(value, dt.date) else value
    return params


def execute_notebooks(where: Paths, parameters: Mapping | None = None,
                      names: Sequence[str] | None = None) -> list[Path]:
    """Execute the notebooks in ``notebooks/`` (or those named, by stem or file name) with ``parameters``
    (``snapshot``, ``as_of``, ``project_root``: default this project) into ``reports/notebooks/<name>.ipynb``
    and ``.html``; returns the HTML paths. A failure raises :class:`NotebookError`."""
    import nbformat
    import papermill as pm

    sources = sorted(where.notebooks_src.glob("*.ipynb"))
    if names is not None:
        wanted = {Path(n).stem for n in names}
        sources = [s for s in sources if s.stem in wanted]
        missing = wanted - {s.stem for s in sources}
        if missing:
            raise UserError(f"no such notebook(s) in {where.notebooks_src}: {', '.join(sorted(missing))}")
    params = _parameters(where, parameters)
    where.notebooks_out.mkdir(parents=True, exist_ok=True)
    written = []
    with kernel_for_this_interpreter() as kernel, warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for source in sources:
            target = where.notebooks_out / f"{source.stem}.ipynb"
            failed = where.notebooks_out / f"{source.stem}.failed.ipynb"
            for stale in where.notebooks_out.glob(f".tmp-{source.stem}-*"):
                shutil.rmtree(stale, ignore_errors=True)  # left by a run that was killed
            with tempfile.TemporaryDirectory(prefix=f".tmp-{source.stem}-", dir=where.notebooks_out) as tmp:
                out = Path(tmp) / source.name
                try:
                    pm.execute_notebook(str(source), str(out), parameters=params, kernel_name=kernel,
                                        cwd=str(where.root), progress_bar=False, log_output=False)
                except pm.PapermillExecutionError as exc:
                    if out.exists():
                        os.replace(out, failed)
                    raise NotebookError(f"notebook {source.name} failed in cell {exc.exec_count}: {exc.ename}: "
                                        f"{exc.evalue} (see {failed})") from None
                executed = nbformat.read(str(out), as_version=4)
                html_out = out.with_suffix(".html")
                html_out.write_text(notebook_html(executed), encoding="utf-8")
                os.replace(out, target)
                os.replace(html_out, where.notebooks_out / f"{source.stem}.html")
            failed.unlink(missing_ok=True)
            written.append(where.notebooks_out / f"{source.stem}.html")
    return written
