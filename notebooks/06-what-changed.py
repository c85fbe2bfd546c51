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
# # What changed between snapshots
#
# The registry adds and revises records. This notebook compares the snapshot it is run on (the `snapshot`
# parameter, or the processed one) with the stored snapshot dated just before it, and shows the data changelog.
# Snapshots are compared whole: an `as_of` date does not apply here, and the comparison says so when one is given.

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
# The as-of rule selects records by posting date within one snapshot, while a comparison of two snapshots takes
# each whole, so an `as_of` given to this notebook does not apply to the comparison (which says so).

# %%
from analysis.narrate.session import explain

explain("as_of")

# %% [markdown]
# Records are matched across snapshots (analysis.compare); the entry lists what was added, removed and recoded.

# %%
from analysis.narrate.session import change_summary

change_summary(session)

# %% [markdown]
# The headline numbers below count exonerations since 1989 in both snapshots, so that a change between them is a
# change in the registry's own headline population, not records from before 1989 that a newer export added.

# %%
explain("population")

# %% [markdown]
# Headline numbers in both snapshots, with the change in percentage points.

# %%
from analysis.narrate.session import headline_changes

headline_changes(session)

# %% [markdown]
# The data changelog kept across all builds.

# %%
from analysis.narrate.session import changelog_text, show_markdown

show_markdown(changelog_text(session))
