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


RAW = ROOT / "data" / "raw"


@pytest.fixture(scope="session")
def raw_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``data/raw`` ingested once per test session, as ``make run`` does (each seed once, three formats)."""
    from vanban.api import ingest

    db = tmp_path_factory.mktemp("raw") / "vanban.duckdb"
    report = ingest([RAW], db, workers=2)
    assert report.failed == 0, report.failures
    return db


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """``vanban validate`` caches findings under $XDG_CACHE_HOME: never the user's cache in tests."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
