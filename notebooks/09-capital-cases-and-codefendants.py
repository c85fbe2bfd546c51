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
# # Capital cases and co-defendants
#
# False confessions among death-sentence exonerations, how false-confession cases were convicted, co-defendants
# who also confessed and exonerated co-defendant groups, the registry's misconduct-in-interrogation code, and
# victims (`analysis.analyse.capital`, `analysis.analyse.codefendants`). Every share is among exonerations since
# 1989, with a 95% Wilson interval; what is not recorded is counted, never read as no.

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
# Death sentences first: the false-confession share among death-sentence exonerations and the others, and how
# many death-sentence exonerees falsely confessed as juveniles.

# %%
from analysis.analyse.tables import TABLES
from analysis.narrate.session import readable

readable(TABLES["death_sentence"](table))

# %% [markdown]
# The same comparison by decade of conviction, since death sentences cluster in the 1980s and 1990s.

# %%
readable(TABLES["death_sentence_by_decade"](table))

# %% [markdown]
# How false-confession cases were convicted (jury, bench, plea) against the others, and false confession combined
# with a guilty plea.

# %%
readable(TABLES["conviction_form"](table))

# %% [markdown]
# Co-defendants: false-confession cases where a co-defendant also confessed (the CDC tag) or that belong to an
# exonerated co-defendant group.

# %%
readable(TABLES["codefendant_fc"](table))

# %% [markdown]
# Exonerated co-defendant groups by size, counted as groups.

# %%
readable(TABLES["codefendant_group_sizes"](table))

# %% [markdown]
# The largest groups, as counts by the registry's group reference with their state and years, not a case list.

# %%
readable(TABLES["largest_codefendant_groups"](table))

# %% [markdown]
# The INT code (misconduct in interrogation) is coded only on false-confession cases, so its share is given among
# them, first by the year the record was posted, which shows since when the code is applied.

# %%
readable(TABLES["int_by_posting_year"](table))

# %% [markdown]
# The INT share among false-confession cases by decade of exoneration.

# %%
readable(TABLES["int_by_decade"](table))

# %% [markdown]
# The INT share among false-confession cases by age at the crime.

# %%
readable(TABLES["int_by_age"](table))

# %% [markdown]
# Victims, where their races are coded: the false-confession share by victim race, with the coverage rows last.

# %%
readable(TABLES["victim_race"](table))

# %% [markdown]
# The false-confession share by defendant–victim race pair, where the victims' races are coded.

# %%
readable(TABLES["victim_pair"](table))

# %% [markdown]
# In words, through the claim-wording module.

# %%
from analysis.analyse.capital import capital_sentences
from analysis.narrate.session import show_markdown

show_markdown(capital_sentences(session.snapshot))
