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
# # Who falsely confesses?
#
# Age, race, sex and place: how the share of false confessions differs between groups of exonerees.

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
# Youth is the strongest pattern, so age at the time of the crime comes first.

# %%
from analysis.charts import make_chart

make_chart("fc-by-age", session.snapshot, session.ctx)

# %% [markdown]
# Unknown ages: a record whose age at the crime is unknown is neither a juvenile nor an adult, so both juvenile
# definitions leave it out of their denominators (counted as not recorded) rather than guess, and the age table
# shows those records as their own row.

# %%
explain("unknown_ages")

# %% [markdown]
# The named definitions compare juveniles with adults directly.

# %%
from analysis.analyse.definitions import compute_definition

compute_definition(session.snapshot, "fc_share_juvenile").sentence

# %% [markdown]
# The adult comparison, with the same population rule.

# %%
compute_definition(session.snapshot, "fc_share_adult").sentence

# %% [markdown]
# The age table, including records whose age is unknown.

# %%
from analysis.analyse.tables import TABLES
from analysis.narrate.session import readable

readable(TABLES["age_group"](table))

# %% [markdown]
# Juvenile exonerees were more often convicted of homicide than adults, and homicide cases carry more false
# confessions, so the juvenile–adult comparison is repeated within crime strata (the ratio with its interval).

# %%
readable(TABLES["juvenile_by_crime"](table))

# %% [markdown]
# Whether the share of juveniles among false confessors has changed by decade of exoneration.

# %%
make_chart("juvenile-share-over-time", session.snapshot, session.ctx)

# %% [markdown]
# Race as coded by the registry: false confessors against all exonerees.

# %%
make_chart("race-fc-vs-all", session.snapshot, session.ctx)

# %% [markdown]
# The race table with shares and intervals.

# %%
readable(TABLES["race"](table))

# %% [markdown]
# Sex of the exoneree.

# %%
readable(TABLES["sex"](table))

# %% [markdown]
# Place: a few states account for most false-confession exonerations.

# %%
make_chart("state-tile-map", session.snapshot, session.ctx)

# %% [markdown]
# The state table behind the map.

# %%
readable(TABLES["state"](table))
