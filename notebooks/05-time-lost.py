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
# # Time lost
#
# Years from conviction to release, for exonerees who falsely confessed and for everyone else.

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
# Medians and quartiles summarise a skewed distribution better than means, so the table gives all of them, leaving
# out and counting the records whose release date is missing or a placeholder (zero years under a custodial
# sentence, `n_placeholder`) and timing from arrest only where the full arrest date is known (`n_arrest_partial`:
# month or day not recorded).

# %%
from analysis.analyse.tables import TABLES
from analysis.narrate.session import readable

readable(TABLES["time_lost"](table))

# %% [markdown]
# False confessions are mostly homicide cases, which carry long sentences, so we compare within crime strata too.

# %%
readable(TABLES["time_lost_by_crime"](table))

# %% [markdown]
# The whole distribution, in two-year bands, with the medians marked.

# %%
from analysis.charts import make_chart

make_chart("years-lost", session.snapshot, session.ctx)

# %% [markdown]
# The numbers behind the chart.

# %%
from analysis.analyse.tables import years_lost_bins

readable(years_lost_bins(table))

# %% [markdown]
# Read as the share who lost more than each number of years, with no bands to choose and the placeholder records
# left out as in the table above, the same data show how much more often false confessors lost over ten years.

# %%
from analysis.narrate.session import years_lost_curves

years_lost_curves(session)
