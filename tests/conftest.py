"""Shared fixtures: the ``../shared`` folder beside the checkout, when present."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def shared_path(*parts: str) -> Path:
    """Path under ../shared, or skip the test with a clear reason when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs {path} (the shared seeds/fixtures folder beside the checkout)")
    return path


@pytest.fixture
def shared() -> Path:
    return shared_path()
