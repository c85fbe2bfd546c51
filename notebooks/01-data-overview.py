# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # The data: what one registry snapshot holds
#
# The National Registry of Exonerations lists known exonerations in the United States since 1989. This notebook
# shows what the snapshot in use contains before any question is asked of it.

# %% [markdown]
# Parameters (papermill can set them; None means the defaults described).

# %% tags=["parameters"]
snapshot = None  # a stored snapshot id; None: the processed table
as_of = None  # "YYYY-MM-DD": only records posted by then
project_root = None  # None: the current project

# %% [markdown]
# We open the processed registry table (or the snapshot and date given above), so that every number below comes
# from one stated export.

# %%
from analysis.narrate.session import open_project, provenance

session = open_project(project_root, snapshot, as_of)
table = session.table
provenance(session)

# %% [markdown]
# The as-of rule: with `as_of` set, every number below counts only the records the registry had posted by that
# date (with the later export's coding, since recoding is not undone), so a figure published then can be checked
# against a later export, and the sentences name the date as "posted by".

# %%
from analysis.narrate.session import explain

explain("as_of")

# %% [markdown]
# Population: exonerations since 1989 unless a statistic says otherwise, because the registry's own headline
# counts start in 1989 and it codes its earlier exonerations less fully (its newest export gives them no
# case-characteristic tags and almost never a DNA answer), so a share over all years would mix two codings.

# %%
explain("population")

# %% [markdown]
# Intervals: every share carries a 95% Wilson interval, which stays inside 0–100% and keeps its coverage for
# small groups and for shares near 0 or 1, where the textbook (Wald) interval fails, and where co-defendant
# groups are recorded a wider interval allows for them.

# %%
explain("wilson")

# %% [markdown]
# The headline count first: how many exonerations since 1989 carry the false-confession factor, with a 95%
# interval.

# %%
from analysis.analyse.tables import TABLES
from analysis.narrate.session import readable

readable(TABLES["overall"](table))

# %% [markdown]
# Blank means not coded: the registry records a contributing factor only when it is present, so a blank cell
# counts as "no", as the registry itself counts, while a column the export does not carry at all is missing, not
# "no".

# %%
explain("blank")

# %% [markdown]
# Which columns are filled in matters: a blank factor means "not coded", while a column the export does not carry
# is missing for every record.

# %%
from analysis.narrate.session import coverage

coverage(table)

# %% [markdown]
# Exonerations have grown year by year; the chart splits each year into cases with and without a false
# confession.

# %%
from analysis.charts import make_chart

make_chart("fc-by-exoneration-year", session.snapshot, session.ctx)

# %% [markdown]
# The same numbers by decade, with the share and its interval.

# %%
readable(TABLES["exoneration_decade"](table))
