"""Shared fixtures: the real data in ../shared/data (skipped with a reason when absent) and a scratch project."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import analysis.ingest
from tests.http_fixtures import FixtureServer, serve

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("CONFESSIONS_SHARED_DATA", REPO_ROOT.parent / "shared" / "data")).resolve()
NRE_DIR = SHARED_DATA / "nre"
IP_DIR = SHARED_DATA / "innocence_project"


_CANONICAL: dict[str, object] = {}


def canonical_table(name: str):  # noqa: ANN201 - pandas.DataFrame
    """The canonical table of the registry export ``../shared/data/nre/<name>``, normalised once per test process
    (a copy each call, so a test may change it); skips when the file is absent."""
    import warnings

    from analysis.normalise import normalise_file

    if name not in _CANONICAL:
        path = shared_file("nre", name)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _CANONICAL[name] = normalise_file(path).table
    return _CANONICAL[name].copy()


def shared_file(*parts: str) -> Path:
    """A file under ../shared/data; skips the test (with the path) when it is not there."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.is_file():
        pytest.skip(f"shared data not available: {path} (tests with real data run where ../shared exists)")
    return path


def skip_module_without_shared(what: str) -> None:
    """At the top of a module whose every test pins ``what`` (the real registry's counts): without ../shared/data
    the module is skipped once, with this reason (its tests need files that may never be posted publicly);
    with it, a missing file still skips only the tests that read it."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data not available: {SHARED_DATA}; every test in this module pins {what} (they run "
                    "where ../shared exists)", allow_module_level=True)


@pytest.fixture
def shared_nre_dir() -> Path:
    if not NRE_DIR.is_dir():
        pytest.skip(f"shared data not available: {NRE_DIR}")
    return NRE_DIR


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project root (own data/ and reports/) used by the code through CONFESSIONS_HOME."""
    root = tmp_path / "project"
    (root / "data" / "raw").mkdir(parents=True)
    (root / "data" / "processed").mkdir(parents=True)
    (root / "reports").mkdir()
    monkeypatch.setenv("CONFESSIONS_HOME", str(root))
    for var in ("CONFESSIONS_NRE_URL", "CONFESSIONS_IP_URL"):
        monkeypatch.delenv(var, raising=False)
    return root


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    """A real HTTP server on 127.0.0.1 (see tests/http_fixtures.py)."""
    with serve() as running:
        yield running


@pytest.fixture
def fast_downloads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Short timeouts, two retries, no backoff: every network fault resolves in about a second."""
    monkeypatch.setitem(analysis.ingest.DOWNLOAD_SETTINGS, "timeout", (1.0, 0.3))
    monkeypatch.setitem(analysis.ingest.DOWNLOAD_SETTINGS, "retries", 2)
    monkeypatch.setitem(analysis.ingest.DOWNLOAD_SETTINGS, "backoff_factor", 0.0)


@pytest.fixture
def sys_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private system temp dir, to check that nothing is left there either."""
    folder = tmp_path / "systmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def snap(table, meta: dict | None = None, as_of=None):  # noqa: ANN001, ANN201
    """A ``Snapshot`` of a test table (``meta``: snapshot_id, snapshot_date, sha256, format)."""
    from analysis.snapshot import Snapshot, Source

    return Snapshot(Source.from_json(meta or {}), table).at(as_of)


def export_for_e2e(tmp_path: Path, name: str = "nre-fullcsv-2026-06.csv", *, rows: int = 1500,
                   seed: int = 1) -> Path:
    """A registry export for an end-to-end run that needs *an* export, not particular numbers: the real
    ``../shared/data/nre/<name>`` when it is there, else a synthetic demo export (``confessions demo``) of ``rows``
    rows and ``seed`` written under ``tmp_path``. A demo export is stored as source ``demo`` when ingested, so a
    test on it must not look for ``data/raw/nre/`` or pin the registry's counts."""
    real = NRE_DIR / name
    if real.is_file():
        return real
    from analysis.ingest.demo import write_demo

    return write_demo(Path(tmp_path) / f"demo-export-{rows}-rows-seed-{seed}.csv", rows, seed)


def is_demo_export(path: Path) -> bool:
    """Whether ``path`` (from :func:`export_for_e2e`) is a synthetic demo export rather than the real file."""
    return not Path(path).resolve().is_relative_to(SHARED_DATA)


DEMO_ROWS, DEMO_SEED = 1500, 1
"""The demo export the e2e tier shares when ../shared is absent (the size :func:`export_for_e2e` uses)."""


@pytest.fixture(scope="session")
def demo_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic demo export of ``DEMO_ROWS`` rows and ``DEMO_SEED``, written once per test run (never the real
    file, so tests that take it run with or without ../shared)."""
    from analysis.ingest.demo import write_demo

    folder = tmp_path_factory.mktemp("demo-export")
    return write_demo(folder / f"demo-export-{DEMO_ROWS}-rows-seed-{DEMO_SEED}.csv", DEMO_ROWS, DEMO_SEED)


@pytest.fixture(scope="session")
def demo_normalised(demo_export: Path):  # noqa: ANN201 - analysis.normalise.Normalised
    """:func:`demo_export` normalised once per test run (tests copy ``.table`` before changing it)."""
    import warnings

    from analysis.normalise import normalise_file

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return normalise_file(demo_export)


def data_variants(*names: str) -> list[str]:
    """The data a test module's ``params=`` runs on: ``["real"]`` when every ``../shared/data/nre/<name>`` is there,
    else ``["demo"]`` (the synthetic export: nothing skips for want of the real files; the module states the missing
    real variant once, see :func:`require_real_variant`). Not both: that doubled the end-to-end tier's time, and
    with ../shared present the demo path is still run whole by ``tests/e2e/test_demo.py`` (fresh project, demo
    build, every output labelled synthetic)."""
    return ["real"] if all((NRE_DIR / name).is_file() for name in names) else ["demo"]


def require_real_variant(variants: list[str], *names: str) -> None:
    """One test per module: skips (naming the files) when the real-data variant of the module's tests was not
    collected, else checks that it was."""
    missing = [str(NRE_DIR / name) for name in names if not (NRE_DIR / name).is_file()]
    if missing:
        pytest.skip(f"shared data not available: {', '.join(missing)} (this module's tests ran on the demo export "
                    "only; their real-data variants run where ../shared exists)")
    assert variants == ["real"]
