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
# # Who falsely confesses, modelled
#
# A logistic regression of the registry's false-confession factor among exonerations since 1989, on age at the
# crime, crime, race, sex, decade of conviction, death sentence, DNA and region (`analysis.analyse.models`, which
# states every choice: reference levels, how missing values and sparse levels are handled). Standard errors are
# robust to clustering by co-defendant group. Exonerees are a selected population, so the odds ratios are
# associations among the exonerated, not risks of confessing.

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
# Unknown ages: a record whose age at the crime is unknown is neither a juvenile nor an adult, so the model,
# like both juvenile definitions, leaves it out (counted below among the records dropped) rather than impute an
# age.

# %%
explain("unknown_ages")

# %% [markdown]
# The model needs every variable recorded, so this table counts the records used and those dropped, by reason
# (never imputed).

# %%
from analysis.analyse.tables import TABLES
from analysis.narrate.session import readable

readable(TABLES["fc_model_sample"](table))

# %% [markdown]
# A level with too few false confessions or too few other cases would give an unstable or infinite odds ratio
# (separation), so such levels are listed here before the model merges them.

# %%
from analysis.analyse.models import design_frame, model_sample, sparse_levels

sparse_levels(model_sample(design_frame(table))[0])

# %% [markdown]
# The fitted model gives, for each level, its false-confession share, the adjusted odds ratio with its
# cluster-robust 95% interval, the crude one, and the likelihood-ratio test of its variable.

# %%
readable(TABLES["fc_model"](table))

# %% [markdown]
# The forest plot shows the same adjusted odds ratios on a log scale, age in the accent colour.

# %%
from analysis.charts import make_chart

make_chart("fc-model-forest", session.snapshot, session.ctx)

# %% [markdown]
# In words, through the claim-wording module, the headline (under 18, adjusted and crude) comes first.

# %%
from analysis.analyse.models import model_sentences
from analysis.narrate.session import show_markdown

show_markdown(model_sentences(session.snapshot))

# %% [markdown]
# The formula fitted, for anyone who wants to reproduce the estimates with statsmodels on the canonical table.

# %%
from analysis.analyse.models import FORMULA

FORMULA
