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
# # Time to exoneration
#
# How long it takes, from arrest to conviction, from conviction to exoneration and from arrest to release, for
# exonerees who falsely confessed and the others, overall and within crime strata (`analysis.analyse.durations`).
# Every record in the registry was exonerated, so the Kaplan–Meier curves describe the time it took among those
# exonerated, not the chance that a wrongful conviction is ever overturned.

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
# Arrest dates come in parts, so this table says how many records each measure covers and why the others are left
# out (a missing day or month is never guessed).

# %%
from analysis.analyse.tables import TABLES
from analysis.narrate.session import readable

readable(TABLES["duration_coverage"](table))

# %% [markdown]
# Medians and quartiles (Kaplan–Meier, lifelines) for each measure and crime stratum, with the median's 95%
# interval and the log-rank test of false-confession cases against the others.

# %%
readable(TABLES["durations"](table))

# %% [markdown]
# The curves of time from conviction to exoneration show the whole distribution, with 95% bands.

# %%
from analysis.charts import make_chart

make_chart("time-to-exoneration", session.snapshot, session.ctx)

# %% [markdown]
# The curves are published on a half-year grid, and this is that table.

# %%
readable(TABLES["km_curves"](table))

# %% [markdown]
# In words, with each measure's coverage.

# %%
from analysis.analyse.durations import duration_sentences
from analysis.narrate.session import show_markdown

show_markdown(duration_sentences(session.snapshot))

# %% [markdown]
# Years lost (conviction to release) in two-year bands, with the placeholder zeros shown apart rather than as zero
# years.

# %%
make_chart("years-lost-distribution", session.snapshot, session.ctx)

# %% [markdown]
# The bands behind the chart, placeholder zeros as their own row.

# %%
readable(TABLES["years_lost_distribution"](table))
