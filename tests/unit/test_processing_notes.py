"""What `all` says about values it could not read: the count and the first few, never "see meta.json" over an
empty list."""

from __future__ import annotations

import warnings
from pathlib import Path

from analysis.normalise import normalise_file
from analysis.pipeline.outputs import processing_notes
from tests.unit.ingest.test_ingest import nre_csv


def test_quarantined_values_are_counted_and_shown(tmp_path: Path):
    path = tmp_path / "e.csv"
    path.write_bytes(nre_csv(3).replace(b",31,Black", b",thirty,Black").replace(b",1992,2014", b",1992,20x4"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = normalise_file(path)
    assert len(result.quarantined) == 2
    note = processing_notes(result)
    assert note.startswith(", 2 value(s) quarantined: row ")
    assert "'thirty'" in note and "'20x4'" in note and note.endswith("data/processed/exonerations.meta.json")


def test_nothing_to_say_is_nothing(tmp_path: Path):
    path = tmp_path / "e.csv"
    path.write_bytes(nre_csv(3))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = normalise_file(path)
    assert result.quarantined == [] and processing_notes(result) == ""
