"""A stage's code is its folder, the folders above it and the shared modules: no hand-kept lists to forget."""

from __future__ import annotations

import pytest

from analysis.stages import PACKAGE_DIR, STAGES, code_hash, stage_code


def names(stage: str) -> set[str]:
    return {p.relative_to(PACKAGE_DIR).as_posix() for p in stage_code(stage)}


def test_every_stage_folder_exists_and_every_folder_is_a_stage():
    folders = {p.name for p in PACKAGE_DIR.iterdir() if p.is_dir() and (p / "__init__.py").is_file()}
    assert folders == set(STAGES)


@pytest.mark.parametrize("stage", STAGES)
def test_a_stage_depends_on_itself_and_every_stage_above_it(stage):
    got = names(stage)
    for earlier in STAGES[: STAGES.index(stage) + 1]:
        assert f"{earlier}/__init__.py" in got, earlier
    for later in STAGES[STAGES.index(stage) + 1:]:
        assert not any(n.startswith(f"{later}/") for n in got), later
    assert {"files.py", "settings.py", "errors.py", "snapshot.py", "stages.py"} <= got
    assert "cli.py" not in got


def test_the_two_stale_output_defects_are_covered():
    """Changing the Innocence Project reader must rebuild the analyse step (it feeds the IP match table), and
    changing a definition must rebuild the changelog (its headline table) — both were reused before."""
    assert "formats/innocence_project.py" in names("analyse")
    assert "analyse/definitions.py" in names("compare")
    assert "formats/nre_full_export.py" in names("normalise")


def test_code_hash_follows_file_contents(tmp_path, monkeypatch):
    import analysis.stages as stages

    (tmp_path / "formats").mkdir()
    (tmp_path / "formats" / "__init__.py").write_text("A = 1\n")
    (tmp_path / "ingest").mkdir()
    (tmp_path / "ingest" / "__init__.py").write_text("B = 1\n")
    monkeypatch.setattr(stages, "PACKAGE_DIR", tmp_path)
    before = code_hash("ingest"), code_hash("formats")
    (tmp_path / "ingest" / "__init__.py").write_text("B = 2\n")
    after_ingest = code_hash("ingest"), code_hash("formats")
    assert after_ingest[0] != before[0] and after_ingest[1] == before[1]
    (tmp_path / "formats" / "__init__.py").write_text("A = 2\n")
    assert code_hash("ingest") != after_ingest[0] and code_hash("formats") != before[1]


def test_unknown_stage_is_refused():
    with pytest.raises(ValueError, match="unknown stage"):
        stage_code("plotting")
