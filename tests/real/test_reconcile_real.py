"""Real-data tests split from `test_reconcile`: they read the shared exports and skip with a reason when absent."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.analyse.reconcile import reconciliation
from tests.conftest import canonical_table, snap
from tests.unit.analyse.test_reconcile import ANY, CENTRAL, check_paragraph, counts


@pytest.fixture(scope="module")
def real() -> pd.DataFrame:
    new = canonical_table("nre-fullcsv-2026-06.csv")
    old = canonical_table("nre-publicspreadsheet-2017-07-06.xlsx")
    return reconciliation(snap(new, {"snapshot_id": "nre-2026-06", "snapshot_date": "2026-06-26"}),
                          snap(old, {"snapshot_id": "nre-2017-07-06", "snapshot_date": "2017-07-06"}))


def test_real_reconciliation_matches_counts_from_the_raw_files(real):
    # (k, n) for own FC / FC or co-defendant / FC, co-defendant or plea. Counted without project code:
    # 2026 export with the csv module (Pre-1989 = No, DNA = Yes, `False Confession` = Yes, `Codefendant
    # confessed` / `Plea` / `Homicide` in Case Characteristics, as of 2017: Posting Date <= 2017-09-30);
    # 2017-07-06 xlsx with python-calamine (DNA / FC non-empty, `*` non-empty = minor, Tags CDC / P / H).
    assert counts(real, "latest", ANY, "all crimes") == [(162, 647), (228, 647), (257, 647)]
    assert counts(real, "latest", ANY, "homicide only") == [(117, 305), (172, 305), (175, 305)]
    assert counts(real, "registry as of", ANY, "all crimes") == [(103, 459), (136, 459), (153, 459)]
    assert counts(real, "registry as of", ANY, "homicide only") == [(74, 187), (104, 187), (105, 187)]
    assert counts(real, "snapshot of 6 July 2017", ANY, "all crimes") == [(99, 449), (128, 449), (145, 449)]
    assert counts(real, "snapshot of 6 July 2017", ANY, "homicide only") == [(76, 186), (103, 186), (104, 186)]
    assert counts(real, "snapshot of 6 July 2017", CENTRAL, "all crimes") == [(79, 350), (98, 350), (109, 350)]
    assert counts(real, "snapshot of 6 July 2017", CENTRAL, "homicide only") == [(59, 122), (76, 122), (76, 122)]
    # the 2026 export has no minor-DNA marker
    assert real.loc[real["when"].str.startswith("latest") & (real["dna_definition"] == CENTRAL), "n"].tolist() == [0]


def test_real_paragraph_numbers_equal_the_table(real):
    text = check_paragraph(real)
    assert "162 of the 647 DNA exonerations since 1989 (25.0%;" in text  # 162 / 647 = 0.2504
    assert "counting a co-defendant's confession" in text

