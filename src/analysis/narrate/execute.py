"""Headless execution of the narrative notebooks into ``reports/notebooks/``.

The notebooks are jupytext percent-format ``.py`` files in ``notebooks/`` (what a researcher edits, in JupyterLab or
any editor). :func:`execute_notebooks` reads each with ``jupytext.read`` (never writing it back), writes the
notebook as a temporary ``.ipynb``, executes it with papermill (the parameters injected after the cell tagged
``parameters``; kernel ``python3``, resolved by a private kernelspec to the interpreter running this code) and
exports it to HTML with nbconvert (no CDN scripts). The executed ``.ipynb`` and the ``.html`` are written
atomically: a failed or killed run leaves the previous outputs in place.
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
from pathlib import Path

from analysis.errors import UserError
from analysis.settings import Paths

__all__ = ["KERNEL_NAME", "NotebookError", "execute_notebooks", "kernel_for_this_interpreter", "notebook_html",
           "notebook_sources", "read_notebook"]

KERNEL_NAME = "python3"
KERNELSPEC = {"name": KERNEL_NAME, "display_name": "Python 3 (ipykernel)", "language": "python"}
SUFFIX = ".py"


class NotebookError(UserError):
    """A notebook failed to execute (the partly executed copy is kept as ``<name>.failed.ipynb``)."""


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
                "display_name": KERNELSPEC["display_name"], "language": "python", "metadata": {"debugger": True}}
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


def notebook_sources(where: Paths, names: Sequence[str] | None = None) -> list[Path]:
    """The notebooks in ``notebooks/`` (``*.py``, by name), or those named (by stem or file name); an unknown
    name is a :class:`UserError`."""
    sources = sorted(where.notebooks_src.glob(f"*{SUFFIX}"))
    if names is None:
        return sources
    wanted = {Path(n).stem for n in names}
    chosen = [s for s in sources if s.stem in wanted]
    missing = wanted - {s.stem for s in chosen}
    if missing:
        raise UserError(f"no such notebook(s) in {where.notebooks_src}: {', '.join(sorted(missing))}")
    return chosen


def read_notebook(source: Path):  # noqa: ANN201 - nbformat.NotebookNode
    """The notebook in the jupytext file ``source`` (read only), with kernel ``python3`` when it names none and
    stable cell ids (``cell-00``, ``cell-01``, …) so executing the same file twice gives the same cells."""
    import jupytext

    notebook = jupytext.read(str(source))
    notebook.metadata.setdefault("kernelspec", dict(KERNELSPEC))
    notebook.metadata.setdefault("language_info", {"name": "python"})
    for i, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{i:02d}"
    return notebook


def _parameters(parameters: Mapping | None) -> tuple[dict, str | None]:
    """The papermill parameters, and the project root to run in. The root never becomes a parameter: it would be
    written into the executed notebook and its HTML, which are published (a machine path in every copy); the
    kernel finds the project through ``CONFESSIONS_HOME`` instead."""
    params: dict = {"snapshot": None, "as_of": None}
    root = None
    for key, value in (parameters or {}).items():
        if key == "project_root":
            root = None if value is None else str(value)
            continue
        params[key] = value.isoformat() if isinstance(value, dt.date) else value
    return params, root


@contextlib.contextmanager
def _home(root: str) -> Iterator[None]:
    saved = os.environ.get("CONFESSIONS_HOME")
    os.environ["CONFESSIONS_HOME"] = root
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("CONFESSIONS_HOME", None)
        else:
            os.environ["CONFESSIONS_HOME"] = saved


def execute_notebooks(where: Paths, parameters: Mapping | None = None,
                      names: Sequence[str] | None = None) -> list[Path]:
    """Execute the notebooks in ``notebooks/`` (or those named, by stem or file name) with ``parameters``
    (``snapshot``, ``as_of``, ``project_root``: default this project) into ``reports/notebooks/<name>.ipynb``
    and ``.html``; returns the HTML paths. A failure raises :class:`NotebookError`. The source files are only
    read."""
    import nbformat
    import papermill as pm

    sources = notebook_sources(where, names)
    params, root = _parameters(parameters)
    where.notebooks_out.mkdir(parents=True, exist_ok=True)
    written = []
    with kernel_for_this_interpreter() as kernel, warnings.catch_warnings(), _home(root or str(where.root)):
        warnings.simplefilter("ignore", DeprecationWarning)
        for source in sources:
            stem = source.stem
            target = where.notebooks_out / f"{stem}.ipynb"
            failed = where.notebooks_out / f"{stem}.failed.ipynb"
            for stale in where.notebooks_out.glob(f".tmp-{stem}-*"):
                shutil.rmtree(stale, ignore_errors=True)  # left by a run that was killed
            with tempfile.TemporaryDirectory(prefix=f".tmp-{stem}-", dir=where.notebooks_out) as tmp:
                unexecuted = Path(tmp) / f"{stem}.input.ipynb"
                out = Path(tmp) / f"{stem}.ipynb"
                nbformat.write(read_notebook(source), str(unexecuted))
                try:
                    pm.execute_notebook(str(unexecuted), str(out), parameters=params, kernel_name=kernel,
                                        cwd=str(where.root), progress_bar=False, log_output=False)
                except pm.PapermillExecutionError as exc:
                    if out.exists():
                        os.replace(out, failed)
                    raise NotebookError(f"notebook {source.name} failed in cell {exc.exec_count}: {exc.ename}: "
                                        f"{exc.evalue} (see {failed})") from None
                executed = nbformat.read(str(out), as_version=4)
                # the executed copy names its real source, and carries no jupytext pairing that could make an
                # editor write a .py next to it
                executed.metadata.pop("jupytext", None)
                executed.metadata.setdefault("papermill", {})["input_path"] = f"notebooks/{source.name}"
                executed.metadata["papermill"]["output_path"] = f"reports/notebooks/{target.name}"
                nbformat.write(executed, str(out))
                html_out = out.with_suffix(".html")
                html_out.write_text(notebook_html(executed), encoding="utf-8")
                os.replace(out, target)
                os.replace(html_out, where.notebooks_out / f"{stem}.html")
            failed.unlink(missing_ok=True)
            written.append(where.notebooks_out / f"{stem}.html")
    return written
