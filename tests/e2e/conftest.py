"""End-to-end tier: whole pipeline runs, interrupted runs, executed notebooks, bundles and the report in Chromium.

Every test under tests/e2e/ carries the ``e2e`` marker, so ``pytest -m "not e2e"`` runs the fast tiers alone.
"""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)
