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
# # How common are false confessions?
#
# Each headline number is "k of the n exonerations in a population" under a named definition
# (analysis.analyse.definitions), with a 95% Wilson interval and a ready sentence.

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
# These are the sentences a writer can quote, each naming its denominator, date and source.

# %%
from analysis.narrate.session import headline_sentences, headline_table

headline_sentences(session)

# %% [markdown]
# The same statistics as numbers.

# %%
headline_table(session)

# %% [markdown]
# The 32% figure is about DNA cases, so we split exonerations by whether DNA evidence contributed.

# %%
from analysis.analyse.tables import TABLES
from analysis.narrate.session import readable

readable(TABLES["dna"](table))

# %% [markdown]
# False confessions concentrate in the most serious crimes; the chart ranks crime categories.

# %%
from analysis.charts import make_chart

make_chart("fc-by-crime", session.snapshot, session.ctx)

# %% [markdown]
# The table behind the chart.

# %%
readable(TABLES["crime_category"](table))

# %% [markdown]
# The registry codes a co-defendant's confession and a guilty plea separately from the exoneree's own false
# confession; counting them too changes the share a lot.

# %%
readable(TABLES["confession_types"](table))

# %% [markdown]
# Blank means not coded: the registry records a contributing factor only when it is present, so a blank cell
# counts as "no", as the registry itself counts, while a column the export does not carry at all is missing, not
# "no".

# %%
explain("blank")

# %% [markdown]
# A false confession rarely comes alone, so the chart shows which other factors appear in the same cases, marking and
# never headlining the factors coded only on false-confession cases (or including such a code).

# %%
make_chart("co-occurring-factors", session.snapshot, session.ctx)

# %% [markdown]
# Before reading any association between two codes, we check whether one is only ever applied together with the
# other: the registry codes misconduct in interrogation (INT) only on false-confession cases, in every vintage, so
# a "100% of INT cases falsely confessed" is a coding rule, not a finding.

# %%
from analysis.analyse.coding_rules import nesting_table
from analysis.analyse.strata import population

nesting_table(table, ("om_interrogation", "fc", "om", "om_police"), population(table))

# %% [markdown]
# The misconduct table says which rows carry such a rule (column `coding_rule`); those rows are labelled, never
# headlined.

# %%
readable(TABLES["misconduct"](table))

# %% [markdown]
# The fair comparison leaves the coded-only code out: official misconduct among false-confession cases without
# misconduct in interrogation, against exonerations without a false confession.

# %%
readable(TABLES["misconduct_comparison"](table))

# %% [markdown]
# The same comparison in one sentence, with the difference and its 95% interval.

# %%
from analysis.analyse.strata import misconduct_sentence
from analysis.narrate.session import show_markdown

show_markdown(misconduct_sentence(table))
