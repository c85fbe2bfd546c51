"""A step whose inputs change while it runs is not recorded as up to date: its key is computed again after it ran.

The scenario of issue 15: the processed table is replaced while ``analyse`` runs (a concurrent ``process
--snapshot OLD``), then the next run puts the table back; with the key taken only before the step, the next run
called the stale statistics "up to date". Real builds in a real project (a small demo export), and real worker
processes for the parallel steps.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

import analysis.pipeline as pipeline
from analysis.ingest.demo import write_demo
from analysis.pipeline import outputs
from analysis.pipeline.runner import StateFile, Step, run_parallel

INPUTS_CHANGED = ("its inputs changed while it ran, so it is not recorded as up to date and runs again next "
                  "time")


def quiet() -> Console:
    return Console(file=io.StringIO())


def test_analyse_is_rebuilt_after_its_table_was_replaced_under_it(project: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch):
    real_plan, real_analyse = pipeline.plan, outputs.analyse
    monkeypatch.setattr(pipeline, "plan", lambda where, **kw: [
        s for s in real_plan(where, **kw) if s.name in ("process", "analyse")])

    def analyse_while_the_table_is_replaced(where):  # noqa: ANN001, ANN202
        snapshot_id = json.loads(where.processed_meta.read_text())["snapshot_id"]
        outputs.process_newest(where, snapshot_id, as_of="2000-12-31")  # another table, written under the step
        return real_analyse(where)

    monkeypatch.setattr(outputs, "analyse", analyse_while_the_table_is_replaced)
    export = write_demo(tmp_path / "demo.csv", 400, 3)
    first = pipeline.build(from_=str(export), workers=1, console=quiet())
    analysed = next(r for r in first.results if r.name == "analyse")
    assert INPUTS_CHANGED in analysed.detail
    stats = project / "reports" / "stats.json"
    assert json.loads(stats.read_text())["generated_from"]["as_of"] == "2000-12-31"  # from the other table
    assert "analyse" not in json.loads((project / "reports" / ".build-state.json").read_text())

    monkeypatch.setattr(outputs, "analyse", real_analyse)
    second = pipeline.build(workers=1, console=quiet())
    status = {r.name: r.status for r in second.results}
    assert status == {"process": "rebuilt", "analyse": "rebuilt"}  # the table put back, the stats rebuilt
    assert json.loads(stats.read_text())["generated_from"]["as_of"] is None
    assert set(json.loads((project / "reports" / ".build-state.json").read_text())) == {"process", "analyse"}


def write_and_touch_input(output: str, input_: str) -> str:
    """A worker job: write ``output``; the first time, also append to ``input_`` (an input it was keyed on)."""
    first = not Path(output).exists()
    Path(output).write_text("built")
    if first:
        with open(input_, "a") as fh:
            fh.write(" changed")
    return "wrote it"


def test_parallel_steps_are_checked_again_when_their_worker_is_done(tmp_path: Path):
    shared, other = tmp_path / "shared.txt", tmp_path / "other.txt"
    shared.write_text("v1")
    other.write_text("x")

    def step(name: str, source: Path) -> Step:
        out = tmp_path / f"{name}.out"
        return Step(name, lambda: [source], [], lambda: [out], lambda: None,
                    job=(write_and_touch_input, (str(out), str(source if name == "a" else tmp_path / "b.log"))))

    state = StateFile(tmp_path / "state.json")
    results = {r.name: r for r in run_parallel([step("a", shared), step("b", other)], state, workers=2)}
    assert results["a"].detail == f"wrote it; {INPUTS_CHANGED}"
    assert results["b"].detail == "wrote it"
    assert set(StateFile(tmp_path / "state.json").keys) == {"b"}
    again = {r.name: r.status for r in run_parallel([step("a", shared), step("b", other)],
                                                    StateFile(tmp_path / "state.json"), workers=2)}
    assert again == {"a": "rebuilt", "b": "reused"}
