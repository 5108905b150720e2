"""Text integrity score: clean Vietnamese high, mis-decoded text low."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import shared_path
from vanban.normalizers.integrity import IntegrityReport, integrity_report, text_integrity

SEEDS = [
    "000_a9e4cef1ba2e8708",
    "001_182bd45e65ae1aa9",
    "002_06c2cd78a0f32ca2",
    "003_c8064ae758f1624a",
    "004_92049e2a4f22e81b",
]


@pytest.mark.parametrize("stem", SEEDS)
def test_clean_seeds_score_high(stem: str) -> None:
    text = shared_path("seeds", f"{stem}.txt").read_text(encoding="utf-8")
    assert text_integrity(text) > 0.95


@pytest.mark.parametrize("stem", SEEDS)
def test_utf8_read_as_cp1252_scores_low(stem: str) -> None:
    data = shared_path("seeds", f"{stem}.txt").read_bytes()
    assert text_integrity(data.decode("cp1252", errors="replace")) < 0.5


@pytest.mark.parametrize("variant", ["tcvn3", "vni"])
def test_undecoded_legacy_bytes_score_low(variant: str) -> None:
    data = shared_path("fixtures", "legacy", variant, "004_92049e2a4f22e81b.txt").read_bytes()
    assert text_integrity(data.decode("cp1252", errors="replace")) < 0.5


def test_decomposed_text_scores_like_composed() -> None:
    text = "Ủy ban nhân dân phường Tương Mai chủ trì, phối hợp."
    assert text_integrity(unicodedata.normalize("NFD", text)) == text_integrity(text) == 1.0


def test_report_counts() -> None:
    assert integrity_report("Ủy ban nhân dân phường") == IntegrityReport(5, 0, 0, 0)
    # abbreviations, single letters and numbers are not judged
    assert integrity_report("UBND phường, HĐND; b) 01/2026") == IntegrityReport(1, 0, 0, 0)
    report = integrity_report("Vi\ufffdt Nam")
    assert report.replacement == 1 and report.invalid == 1 and report.valid == 1
    mojibake = integrity_report("Uû ban nh©n d©n")
    assert mojibake.mojibake >= 3 and mojibake.valid == 1
    assert integrity_report("ca\u0302\u0302m").mojibake == 1  # a mark NFC cannot attach


def test_replacement_characters_lower_the_score() -> None:
    assert text_integrity("Kế hoạch công tác") == 1.0
    assert text_integrity("K\ufffd ho\ufffdch c\ufffdng t\ufffdc") < 0.3


def test_empty_or_numeric_text_is_not_penalised() -> None:
    assert text_integrity("") == 1.0
    assert text_integrity("01/2026 - 15.3%") == 1.0


@given(st.text(max_size=200))
def test_score_is_a_share(text: str) -> None:
    assert 0.0 <= text_integrity(text) <= 1.0
