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
# On 12 September 2017 the Innocence Project's blog post "New Netflix Series Explores False Confessions" said that
# "32 percent of people exonerated by DNA evidence in the United States falsely confessed". It then tracked every US
# DNA exoneration (350 in July 2017) and counted false confessions *and admissions*, co-defendants' confessions and,
# in some wordings, guilty pleas. This notebook computes a grid of readings fixed in advance
# (analysis.analyse.reconcile), leads with the one closest to that list and definition, and shows step by step how
# each choice moves the share.

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
# date, and the readings "records posted by the claim's date" apply the same rule to the latest data, with its
# coding.

# %%
from analysis.narrate.session import explain

explain("as_of")

# %% [markdown]
# The share depends on the snapshot, so we gather every stored snapshot of the registry.

# %%
from analysis.narrate.session import snapshot_history

snapshots = snapshot_history(session)

# %% [markdown]
# First, the registry's own DNA false-confession share in each stored snapshot (each with its own coding).

# %%
from analysis.analyse.history import history_table
from analysis.narrate.session import readable

history = history_table(snapshots)
readable(history)

# %% [markdown]
# One snapshot is enough for a history: the share at the end of every year since 1992, counting the records the
# registry held then, with today's coding (a backcast); small-n years are marked.

# %%
from analysis.analyse.history import year_end_history

readable(year_end_history(session.snapshot))

# %% [markdown]
# The backcast as a line with its 95% band, the stored snapshots as points on it, and the 32% for reference.

# %%
from analysis.charts import ChartContext, make_chart

make_chart("dna-fc-share-history", session.snapshot, ChartContext(history=history, as_of=session.as_of))

# %% [markdown]
# The registry as it stood at the claim is the stored snapshot closest to (and not after) the claim's date, with
# the coding of the time, when one is stored, and otherwise the latest data filtered to the records posted by
# then: the sentence below says which this run used.

# %%
from analysis.analyse.reconcile import AS_OF
from analysis.narrate.session import claim_snapshot_sentence, show_markdown, snapshot_on_or_before

then = snapshot_on_or_before(snapshots, AS_OF)
show_markdown(claim_snapshot_sentence(session.snapshot, then))

# %% [markdown]
# Every reading below is a share with a 95% Wilson interval, so a reading agrees with 32% only when its interval
# contains it, not when its point estimate is near.

# %%
explain("wilson")

# %% [markdown]
# Every reading of the grid: DNA in any role or central, own confession or also a co-defendant's or a plea, all
# crimes or homicide; the latest data, its records posted by the claim's date, and the snapshot of the time.

# %%
from analysis.analyse.reconcile import reconciliation

readings = reconciliation(session.snapshot, then)
readable(readings)

# %% [markdown]
# The path from the registry's plain count to the reading closest to the claim, one choice a step.

# %%
from analysis.analyse.reconcile import reconciliation_steps

readable(reconciliation_steps(readings))

# %% [markdown]
# The same path as a chart, against a line at 32%.

# %%
make_chart("reconciliation-32", session.snapshot,
           ChartContext(history=history, reconciliation=readings, as_of=session.as_of))

# %% [markdown]
# What it adds up to, in words generated from the table above.

# %%
from analysis.analyse.reconcile import reconciliation_paragraph

show_markdown(reconciliation_paragraph(readings))

# %% [markdown]
# The Innocence Project's own list, checked against the registry: each case on its current roster is matched to
# a registry record by name, state and exoneration year, and the registry's false-confession factor is counted
# among the matched records (the roster records no factors, so this is the registry's definition applied to the
# Project's cases, not the Project's own count).

# %%
from analysis.narrate.session import roster_match

roster_match(session)
