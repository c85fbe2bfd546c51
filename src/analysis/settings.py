"""Paths and configuration, in one place.

The project root is the folder holding ``pyproject.toml`` (found from the current directory upwards), or the
``CONFESSIONS_HOME`` environment variable when set. Download URLs come from ``confessions.toml`` in the root and
can be overridden with ``CONFESSIONS_NRE_URL`` / ``CONFESSIONS_IP_URL``.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

SOURCES = ("nre", "ip", "demo")
"""Where snapshots come from: the registry (``nre``), the Innocence Project (``ip``) and the synthetic demo export
(``demo``, made by ``confessions demo``; it stands in for the registry only while no ``nre`` snapshot is stored)."""
URL_ENV = {"nre": "CONFESSIONS_NRE_URL", "ip": "CONFESSIONS_IP_URL"}


def _is_checkout(folder: Path) -> bool:
    return (folder / "pyproject.toml").is_file() and (folder / "src" / "analysis").is_dir()


def project_root() -> Path:
    """The project root: ``$CONFESSIONS_HOME``; else the nearest parent of the cwd that is this project's checkout
    (``pyproject.toml`` beside ``src/analysis``); else the checkout the package runs from (an editable install,
    as ``make setup`` makes), so a command run from another folder never scatters ``data/`` there; else the cwd."""
    env = os.environ.get("CONFESSIONS_HOME")
    if env:
        root = Path(env).expanduser().resolve()
        if root.exists() and not root.is_dir():
            from analysis.errors import UserError

            raise UserError(f"CONFESSIONS_HOME={env} is a file, not a folder: point it at a project folder")
        return root
    here = Path.cwd().resolve()
    for candidate in (here, *here.parents):
        if _is_checkout(candidate):
            return candidate
    package_checkout = Path(__file__).resolve().parents[2]
    if _is_checkout(package_checkout):
        return package_checkout
    return here


@dataclass(frozen=True)
class Paths:
    """Every folder and file a stage reads or writes, derived from one root."""

    root: Path

    @property
    def raw(self) -> Path:
        return self.root / "data" / "raw"

    @property
    def processed(self) -> Path:
        return self.root / "data" / "processed"

    @property
    def canonical_parquet(self) -> Path:
        return self.processed / "exonerations.parquet"

    @property
    def canonical_csv(self) -> Path:
        return self.processed / "exonerations.csv"

    @property
    def processed_meta(self) -> Path:
        return self.processed / "exonerations.meta.json"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def tables(self) -> Path:
        return self.reports / "tables"

    @property
    def figures(self) -> Path:
        return self.reports / "figures"

    @property
    def stats_json(self) -> Path:
        return self.reports / "stats.json"

    @property
    def notebooks_out(self) -> Path:
        return self.reports / "notebooks"

    @property
    def notebooks_src(self) -> Path:
        return self.root / "notebooks"

    @property
    def config_file(self) -> Path:
        return self.root / "confessions.toml"

    @property
    def lock_file(self) -> Path:
        """The project lock every command that writes holds (:mod:`analysis.pipeline.lock`)."""
        return self.root / "data" / ".confessions.lock"

    def snapshot_dir(self, source: str, snapshot_id: str) -> Path:
        return self.raw / source / snapshot_id


def paths() -> Paths:
    """Paths under the current project root."""
    return Paths(project_root())


def positive_number(name: str, default: float) -> float:
    """The environment variable ``name`` as a positive, finite number (``default`` when unset or empty); anything
    else is a one-line error naming the variable."""
    import math

    from analysis.errors import UserError

    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise UserError(f"{name} must be a number, not {raw!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise UserError(f"{name} must be a positive number, not {raw!r}")
    return value


def configured_url(source: str, root: Path | None = None) -> str | None:
    """Download URL for ``source`` ('nre' or 'ip'): environment variable first, then ``confessions.toml``."""
    env = os.environ.get(URL_ENV[source])
    if env:
        return env
    config = (root or project_root()) / "confessions.toml"
    if config.is_file():
        from analysis.errors import UserError

        try:
            with config.open("rb") as fh:
                data = tomllib.load(fh)
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise UserError(f"{config.name} is not valid TOML ({exc}); fix or remove it") from None
        sources = data.get("sources", {})
        entry = sources.get(source, {}) if isinstance(sources, dict) else None
        url = entry.get("url") if isinstance(entry, dict) else None
        if url is not None and not isinstance(url, str):
            raise UserError(f"{config.name}: [sources.{source}] url must be a string, not {type(url).__name__}")
        return url or None
    return None
