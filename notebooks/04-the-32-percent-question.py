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
# # The 32% question
#
# In September 2017 the Innocence Project wrote that 32 percent of people exonerated by DNA evidence had falsely
# confessed. This notebook computes every reasonable reading of that sentence on the registry, fixed in advance
# (analysis.analyse.reconcile), and says which come close.

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
# The share depends on the snapshot, so we gather every stored snapshot of the registry.

# %%
from analysis.narrate.session import snapshot_history

snapshots = snapshot_history(session)

# %% [markdown]
# First, how the registry's own DNA false-confession share moved across those snapshots.

# %%
from analysis.analyse.history import history_table

history = history_table(snapshots)
history

# %% [markdown]
# The same history as a chart, with the 32% figure for reference.

# %%
from analysis.charts import ChartContext, make_chart

make_chart("dna-fc-share-history", session.snapshot, ChartContext(history=history, as_of=session.as_of))

# %% [markdown]
# The snapshot closest to (and not after) September 2017 lets us see the registry as the Innocence Project could
# have.

# %%
from analysis.analyse.reconcile import AS_OF
from analysis.narrate.session import snapshot_on_or_before

sept_2017 = snapshot_on_or_before(snapshots, AS_OF)

# %% [markdown]
# Every reading: DNA in any role or central, own confession or also a co-defendant's or a plea, all crimes or
# homicide, now and in 2017.

# %%
from analysis.analyse.reconcile import reconciliation

readings = reconciliation(session.snapshot, sept_2017)
readings

# %% [markdown]
# The readings on one chart, against a line at 32%.

# %%
make_chart("reconciliation-32", session.snapshot,
           ChartContext(history=history, reconciliation=readings, as_of=session.as_of))

# %% [markdown]
# What it adds up to, in words generated from the table above.

# %%
from analysis.analyse.reconcile import reconciliation_paragraph
from analysis.narrate.session import show_markdown

show_markdown(reconciliation_paragraph(readings))
