"""Incremental steps: each step records the content hashes of its inputs and code; unchanged steps are skipped.

A step's *key* is the sha256 of (its name, the sha256 of every input file, the sha256 of every code file it
depends on, its parameters). The keys of the last successful run live in ``reports/.build-state.json``. A step
runs when its key changed, when one of its outputs is missing, or with ``force``; after it succeeds its key is
computed again and saved at once (atomically) only when it is unchanged, so an interrupted run redoes only what
had not finished, and a step whose inputs changed while it ran (a table replaced under it) runs again next time
instead of passing for up to date. A state file of the wrong shape is a warning and counts as no state at all.
"""

from __future__ import annotations

import hashlib
import json
import time
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from analysis.files import sha256_file, write_text
from analysis.stages import PACKAGE_DIR


@dataclass
class Step:
    """One unit of work with declared inputs, code, outputs and an action."""

    name: str
    inputs: Callable[[], Iterable[Path]]
    code: list[Path]
    outputs: Callable[[], Iterable[Path]]
    action: Callable[[], object]
    params: dict = field(default_factory=dict)
    job: tuple[Callable, tuple] | None = None  # a picklable (function, args) doing the action, for parallel runs

    def key(self) -> str:
        digest = hashlib.sha256(self.name.encode())
        for path in sorted(set(self.inputs())):
            digest.update(str(path.name).encode())
            digest.update(sha256_file(path).encode() if path.exists() else b"missing")
        for path in self.code:
            digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
            digest.update(sha256_file(path).encode())
        digest.update(json.dumps(self.params, sort_keys=True, default=str).encode())
        return digest.hexdigest()


@dataclass
class StepResult:
    name: str
    status: str  # "rebuilt", "reused" or "failed"
    seconds: float
    detail: str = ""


INPUTS_CHANGED = "its inputs changed while it ran, so it is not recorded as up to date and runs again next time"


class StateFile:
    """The key and output hashes of the last successful run of each step: ``{step: {"key": sha256, "outputs":
    {path: sha256}}}``. Anything else in the file is a warning; what is not of that shape is left out, so those
    steps (or, for a file that is not such an object at all, every step) run again."""

    def __init__(self, path: Path):
        self.path = path
        self.keys: dict[str, dict] = {}
        try:
            text = path.read_bytes().decode("utf-8")
        except FileNotFoundError:
            return
        except (OSError, UnicodeDecodeError) as exc:
            self._warn(f"cannot be read ({getattr(exc, 'strerror', None) or type(exc).__name__})")
            return
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            self._warn("is not valid JSON")
            return
        if not isinstance(data, dict):
            what = {list: "a list", str: "a string", bool: "true or false", int: "a number", float: "a number"}
            self._warn(f"holds {what.get(type(data), 'null')}, not an object of steps")
            return
        self.keys = {name: entry for name, entry in data.items() if _valid_entry(entry)}
        if len(self.keys) < len(data):
            bad = sorted(set(data) - set(self.keys))
            self._warn(f"has {len(bad)} entr{'y' if len(bad) == 1 else 'ies'} of the wrong shape "
                       f"({', '.join(repr(b)[:40] for b in bad[:3])}{' …' if len(bad) > 3 else ''})", some=True)

    def _warn(self, what: str, some: bool = False) -> None:
        then = "those steps run again" if some else "treated as no state: every step runs again"
        warnings.warn(f"{self.path.name} {what}; {then}", stacklevel=3)

    def save(self, name: str, key: str, outputs: dict[str, str]) -> None:
        self.keys[name] = {"key": key, "outputs": outputs}
        write_text(self.path, json.dumps(self.keys, indent=1, sort_keys=True) + "\n")

    def up_to_date(self, name: str, key: str, outputs: dict[str, str]) -> bool:
        saved = self.keys.get(name)
        return isinstance(saved, dict) and saved.get("key") == key and saved.get("outputs") == outputs

    def forget(self, name: str) -> None:
        if self.keys.pop(name, None) is not None:
            write_text(self.path, json.dumps(self.keys, indent=1, sort_keys=True) + "\n")


def _valid_entry(entry: object) -> bool:
    """``{"key": str, "outputs": {str: str}}``."""
    return (isinstance(entry, dict) and isinstance(entry.get("key"), str) and isinstance(entry.get("outputs"), dict)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in entry["outputs"].items()))


def output_hashes(paths: Iterable[Path]) -> dict[str, str] | None:
    """sha256 of each output file, or None when one is missing."""
    out = {}
    for path in paths:
        if not path.is_file():
            return None
        out[str(path)] = sha256_file(path)
    return out


def needs_run(step: Step, state: StateFile, force: bool) -> tuple[bool, str]:
    """Whether ``step`` must run, and its key."""
    key = step.key()
    outputs = output_hashes(step.outputs())
    return force or outputs is None or not state.up_to_date(step.name, key, outputs), key


def run_parallel(steps: list[Step], state: StateFile, *, force: bool = False, workers: int = 2,
                 on_done: Callable[[StepResult], None] | None = None) -> list[StepResult]:
    """Run independent steps in worker processes (each step's ``job``); state is saved as each one finishes."""
    from concurrent.futures import as_completed

    from analysis.pipeline.workers import pool

    results: list[StepResult] = []
    todo = []
    for step in steps:
        start = time.perf_counter()
        needed, key = needs_run(step, state, force)
        if needed:
            todo.append((step, key))
        else:
            results.append(StepResult(step.name, "reused", time.perf_counter() - start))
            if on_done:
                on_done(results[-1])
    if not todo:
        return results
    if len(todo) == 1 or workers <= 1:
        for step, _ in todo:
            results.append(run_step(step, state, force=True))
            if on_done:
                on_done(results[-1])
        return results
    with pool(workers) as running:
        started = {}
        for step, key in todo:
            state.forget(step.name)
            function, args = step.job
            started[running.submit(_timed, function, args)] = (step, key)
        for future in as_completed(started):
            step, key = started[future]
            detail, seconds = future.result()
            results.append(StepResult(step.name, "rebuilt", seconds, _record(step, key, state, detail)))
            if on_done:
                on_done(results[-1])
    return results


def _record(step: Step, key: str, state: StateFile, detail: object) -> str:
    """Save ``step``'s ``key`` (computed before it ran) with its outputs' hashes when its key is still the same
    after it ran; the result's detail line (saying so when the inputs changed)."""
    detail = str(detail or "")
    if step.key() != key:
        state.forget(step.name)
        return f"{detail}; {INPUTS_CHANGED}" if detail else INPUTS_CHANGED
    state.save(step.name, key, output_hashes(step.outputs()) or {})
    return detail


def _timed(function: Callable, args: tuple) -> tuple[object, float]:
    start = time.perf_counter()
    detail = function(*args)
    return detail, time.perf_counter() - start


def run_step(step: Step, state: StateFile, *, force: bool = False) -> StepResult:
    """Run ``step`` unless its key matches the last run and its outputs are still the ones that run wrote
    (an output changed or deleted by hand, e.g. by ``confessions process --snapshot``, makes it run again)."""
    start = time.perf_counter()
    key = step.key()
    outputs = output_hashes(step.outputs())
    if not force and outputs is not None and state.up_to_date(step.name, key, outputs):
        return StepResult(step.name, "reused", time.perf_counter() - start)
    state.forget(step.name)
    detail = step.action()
    return StepResult(step.name, "rebuilt", time.perf_counter() - start, _record(step, key, state, detail))
