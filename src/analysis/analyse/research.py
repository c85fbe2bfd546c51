"""The research tables (issue 12), by name, for ``analysis.analyse.tables.TABLES``: the false-confession model,
durations, capital cases, conviction form, co-defendants, misconduct in interrogation and victims.

Each is a pure function of the canonical table (its as-of view) with the standard columns ``group, n, k, share,
ci_low, ci_high`` first; the definitions are in the modules named.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from analysis.analyse import capital, codefendants, durations, models

__all__ = ["RESEARCH_TABLES"]

RESEARCH_TABLES: dict[str, Callable[[pd.DataFrame], pd.DataFrame]] = {
    "fc_model": models.fc_model,
    "fc_model_sample": models.fc_model_sample,
    "durations": durations.durations,
    "duration_coverage": durations.duration_coverage,
    "km_curves": durations.km_curves,
    "years_lost_distribution": durations.years_lost_distribution,
    "death_sentence": capital.death_sentence_fc,
    "death_sentence_by_decade": capital.death_sentence_by_decade,
    "conviction_form": capital.conviction_form_fc,
    "int_by_decade": capital.int_by_decade,
    "int_by_age": capital.int_by_age,
    "int_by_posting_year": capital.int_by_posting_year,
    "victim_race": capital.victim_race_fc,
    "victim_pair": capital.victim_pair_fc,
    "codefendant_fc": codefendants.codefendant_fc,
    "codefendant_group_sizes": codefendants.codefendant_group_sizes,
    "largest_codefendant_groups": codefendants.largest_codefendant_groups,
}
"""Table name (the file name under ``reports/tables/``) → function."""
