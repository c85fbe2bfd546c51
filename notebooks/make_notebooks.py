"""Write the narrative notebooks in this folder from the plain text below (run: ``python notebooks/make_notebooks.py``).

The notebooks are generated so that a review reads this one file: each is a list of steps, a sentence of markdown
saying why, then a code cell that only calls ``analysis`` and shows the result. They are written without outputs;
``confessions build`` executes them (papermill) into ``reports/notebooks/``. Each has a ``parameters`` cell:
``snapshot`` (a stored snapshot id; None = the processed table), ``as_of`` (YYYY-MM-DD: the registry as it stood
then) and ``project_root`` (None = the current project).
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

PARAMETERS = "snapshot = None  # a stored snapshot id; None: the processed table\n" \
             "as_of = None  # \"YYYY-MM-DD\": only records posted by then\n" \
             "project_root = None  # None: the current project"

OPEN = ("We open the processed registry table (or the snapshot and date given above), so that every number "
        "below comes from one stated export.",
        "from analysis.narrate.session import open_project, provenance\n\n"
        "session = open_project(project_root, snapshot, as_of)\n"
        "table, meta = session.table, session.meta\n"
        "provenance(session)")

# name: (title, introduction, [(why, code), ...])
NOTEBOOKS: dict[str, tuple[str, str, list[tuple[str, str]]]] = {
    "01-data-overview": (
        "The data: what one registry snapshot holds",
        "The National Registry of Exonerations lists known exonerations in the United States since 1989. This "
        "notebook shows what the snapshot in use contains before any question is asked of it.",
        [
            OPEN,
            ("The headline count first: how many exonerations since 1989 carry the false-confession factor, with "
             "a 95% interval.",
             "from analysis.analyse.tables import TABLES\n\nTABLES[\"overall\"](table)"),
            ("Which columns are filled in matters: a blank factor means \"not coded\", while a column the export "
             "does not carry is missing for every record.",
             "from analysis.narrate.session import coverage\n\ncoverage(table)"),
            ("Exonerations have grown year by year; the chart splits each year into cases with and without a "
             "false confession.",
             "from analysis.charts import make_chart\n\n"
             "make_chart(\"fc-by-exoneration-year\", table, meta, session.ctx)"),
            ("The same numbers by decade, with the share and its interval.",
             "TABLES[\"exoneration_decade\"](table)"),
        ],
    ),
    "02-how-common": (
        "How common are false confessions?",
        "Each headline number is \"k of the n exonerations in a population\" under a named definition "
        "(analysis.analyse.definitions), with a 95% Wilson interval and a ready sentence.",
        [
            OPEN,
            ("These are the sentences a writer can quote, each naming its denominator, date and source.",
             "from analysis.narrate.session import headline_sentences, headline_table\n\nheadline_sentences(session)"),
            ("The same statistics as numbers.", "headline_table(session)"),
            ("The 32% figure is about DNA cases, so we split exonerations by whether DNA evidence contributed.",
             "from analysis.analyse.tables import TABLES\n\nTABLES[\"dna\"](table)"),
            ("False confessions concentrate in the most serious crimes; the chart ranks crime categories.",
             "from analysis.charts import make_chart\n\nmake_chart(\"fc-by-crime\", table, meta, session.ctx)"),
            ("The table behind the chart.", "TABLES[\"crime_category\"](table)"),
            ("The registry codes a co-defendant's confession and a guilty plea separately from the exoneree's "
             "own false confession; counting them too changes the share a lot.",
             "TABLES[\"confession_types\"](table)"),
            ("A false confession rarely comes alone: which other factors appear in the same cases?",
             "make_chart(\"co-occurring-factors\", table, meta, session.ctx)"),
            ("Official misconduct, and misconduct in interrogation in particular, goes with false confessions.",
             "TABLES[\"misconduct\"](table)"),
        ],
    ),
    "03-who-confesses": (
        "Who falsely confesses?",
        "Age, race, sex and place: how the share of false confessions differs between groups of exonerees.",
        [
            OPEN,
            ("Youth is the strongest pattern, so age at the time of the crime comes first.",
             "from analysis.charts import make_chart\n\nmake_chart(\"fc-by-age\", table, meta, session.ctx)"),
            ("The named definitions compare juveniles with adults directly.",
             "from analysis.analyse.definitions import compute_definition\n\n"
             "compute_definition(session.snapshot, \"fc_share_juvenile\").sentence"),
            ("The adult comparison, with the same population rule.",
             "compute_definition(session.snapshot, \"fc_share_adult\").sentence"),
            ("The age table, including records whose age is unknown.",
             "from analysis.analyse.tables import TABLES\n\nTABLES[\"age_group\"](table)"),
            ("Whether the share of juveniles among false confessors has changed by decade of exoneration.",
             "make_chart(\"juvenile-share-over-time\", table, meta, session.ctx)"),
            ("Race as coded by the registry: false confessors against all exonerees.",
             "make_chart(\"race-fc-vs-all\", table, meta, session.ctx)"),
            ("The race table with shares and intervals.", "TABLES[\"race\"](table)"),
            ("Sex of the exoneree.", "TABLES[\"sex\"](table)"),
            ("Place: a few states account for most false-confession exonerations.",
             "make_chart(\"state-tile-map\", table, meta, session.ctx)"),
            ("The state table behind the map.", "TABLES[\"state\"](table)"),
        ],
    ),
    "04-the-32-percent-question": (
        "The 32% question",
        "In September 2017 the Innocence Project wrote that 32 percent of people exonerated by DNA evidence had "
        "falsely confessed. This notebook computes every reasonable reading of that sentence on the registry, "
        "fixed in advance (analysis.analyse.reconcile), and says which come close.",
        [
            OPEN,
            ("The share depends on the snapshot, so we gather every stored snapshot of the registry.",
             "from analysis.narrate.session import snapshot_history\n\nsnapshots = snapshot_history(session)"),
            ("First, how the registry's own DNA false-confession share moved across those snapshots.",
             "from analysis.analyse.tables import history_table\n\nhistory = history_table(snapshots)\nhistory"),
            ("The same history as a chart, with the 32% figure for reference.",
             "from analysis.charts import ChartContext, make_chart\n\n"
             "make_chart(\"dna-fc-share-history\", table, meta, ChartContext(history=history, as_of=session.as_of))"),
            ("The snapshot closest to (and not after) September 2017 lets us see the registry as the Innocence "
             "Project could have.",
             "from analysis.narrate.session import snapshot_on_or_before\n"
             "from analysis.analyse.reconcile import AS_OF\n\n"
             "sept_2017 = snapshot_on_or_before(snapshots, AS_OF)"),
            ("Every reading: DNA in any role or central, own confession or also a co-defendant's or a plea, all "
             "crimes or homicide, now and in 2017.",
             "from analysis.analyse.reconcile import reconciliation\n\n"
             "readings = reconciliation(session.snapshot, sept_2017)\nreadings"),
            ("The readings on one chart, against a line at 32%.",
             "make_chart(\"reconciliation-32\", table, meta, ChartContext(reconciliation=readings))"),
            ("What it adds up to, in words generated from the table above.",
             "from analysis.narrate.session import show_markdown\n"
             "from analysis.analyse.reconcile import reconciliation_paragraph\n\n"
             "show_markdown(reconciliation_paragraph(readings))"),
        ],
    ),
    "05-time-lost": (
        "Time lost",
        "Years from conviction to release, for exonerees who falsely confessed and for everyone else.",
        [
            OPEN,
            ("Medians and quartiles summarise a skewed distribution better than means, so the table gives all.",
             "from analysis.analyse.tables import TABLES\n\nTABLES[\"time_lost\"](table)"),
            ("The whole distribution, in two-year bands, with the medians marked.",
             "from analysis.charts import make_chart\n\nmake_chart(\"years-lost\", table, meta, session.ctx)"),
            ("The numbers behind the chart.",
             "from analysis.charts.catalogue import years_lost_bins\n\nyears_lost_bins(table)"),
        ],
    ),
    "06-what-changed": (
        "What changed between snapshots",
        "The registry adds and revises records. This notebook compares the two newest stored snapshots and shows "
        "the data changelog.",
        [
            OPEN,
            ("Records are matched across snapshots (analysis.compare); the entry lists what was added, removed and "
             "recoded.",
             "from analysis.narrate.session import change_summary\n\nchange_summary(session)"),
            ("Headline numbers in both snapshots, with the change in percentage points.",
             "from analysis.narrate.session import headline_changes\n\nheadline_changes(session)"),
            ("The data changelog kept across all builds.",
             "from analysis.narrate.session import changelog_text, show_markdown\n\n"
             "show_markdown(changelog_text(session))"),
        ],
    ),
}

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def build(name: str) -> nbformat.NotebookNode:
    """One notebook: title and introduction, the parameters cell, then a markdown sentence above each step."""
    title, intro, steps = NOTEBOOKS[name]
    cells = [new_markdown_cell(f"# {title}\n\n{intro}"),
             new_markdown_cell("Parameters (papermill can set them; None means the defaults described)."),
             new_code_cell(PARAMETERS, metadata={"tags": ["parameters"]})]
    for why, code in steps:
        cells.append(new_markdown_cell(why))
        cells.append(new_code_cell(code))
    nb = new_notebook(cells=cells, metadata={"kernelspec": KERNELSPEC, "language_info": {"name": "python"}})
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"{name[:2]}-{i:02d}"  # stable ids: regenerating gives identical files
    return nb


def main(out_dir: Path = HERE) -> list[Path]:
    """Write every notebook to ``out_dir``; returns the paths."""
    written = []
    for name in NOTEBOOKS:
        path = out_dir / f"{name}.ipynb"
        nb = build(name)
        nbformat.validate(nb)
        path.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for p in main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(p)
