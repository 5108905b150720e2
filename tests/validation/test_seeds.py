"""Every real inconsistency of the five seeds is flagged, at the right line, and nothing else
(beyond the missing headers of the seeds that were captured without one)."""

from __future__ import annotations

import pytest

from tests.validation.conftest import seed_findings

# (seed, code, line) of every real inconsistency; see the report in README "Validation".
EXPECTED = {
    "000": {("VB404", 282), ("VB501", 1), ("VB502", 1)},
    "001": {("VB501", 1), ("VB502", 1)},
    "002": {
        ("VB501", 3),
        ("VB502", 3),
        ("VB401", 20),  # nhiệm kỳ 2026-2034
        ("VB104", 76),  # no lead unit
        ("VB301", 87),  # NQ12-NQ/TW
        ("VB203", 93),  # "Tháng 4/2025" heading in a 2026 program
        ("VB203", 94),  # deadline 02/04/2025
        ("VB102", 113),  # Tháng 5: 4 then 6
        ("VB202", 125),  # Tháng 6 item due 15/5/2026
        ("VB405", 183),  # "44 ngày Nhà giáo"
    },
    "003": {("VB503", 4), ("VB503", 6), ("VB402", 83)},  # blank number/day; Quốc hội khoá XV
    "004": {
        ("VB501", 1),
        ("VB502", 1),
        ("VB401", 13),  # Đại hội Đảng bộ phường nhiệm kỳ 2026 - 2030
        ("VB302", 165),  # 09-KH/TU ngày 11/12/2026
        ("VB302", 167),  # 71-NQ/TW ngày 22/8/2026
        ("VB305", 167),  # 71-NQ/TW is of 22/8/2025
    },
}


@pytest.mark.parametrize("seed", sorted(EXPECTED))
def test_seed_findings_are_exactly_the_known_inconsistencies(seed: str) -> None:
    found = {(f.code, f.line) for f in seed_findings(seed)}
    assert found == EXPECTED[seed]


def test_messages_name_the_expected_values() -> None:
    by_code = {f.code: f for f in seed_findings("000")}
    assert "81" in by_code["VB404"].message
    assert "cách mạng tháng tám" in by_code["VB404"].excerpt.lower()
