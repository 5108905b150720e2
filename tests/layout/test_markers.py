"""One marker grammar for every outline."""

from __future__ import annotations

import pytest

from vanban.layout.markers import parse


@pytest.mark.parametrize(
    ("line", "kind", "label", "rest"),
    [
        ("I. NHIỆM VỤ TRỌNG TÂM", "roman", "I", "NHIỆM VỤ TRỌNG TÂM"),
        ("IV- TỔ CHỨC THỰC HIỆN", "roman", "IV", "TỔ CHỨC THỰC HIỆN"),
        ("B. TỔ CHỨC THỰC HIỆN", "upper", "B", "TỔ CHỨC THỰC HIỆN"),
        ("1. Tháng 10/2026", "number", "1", "Tháng 10/2026"),
        ("2.1. Đợt 1: Trong tháng 12/2025", "number", "2.1", "Đợt 1: Trong tháng 12/2025"),
        ("3.2 Ban hành Nghị quyết", "number", "3.2", "Ban hành Nghị quyết"),
        ("(3) Cho ý kiến các nội dung khác", "paren", "3", "Cho ý kiến các nội dung khác"),
        ("a) Nội dung kiểm tra", "letter", "a", "Nội dung kiểm tra"),
        ("đ) Kiểm tra việc niêm yết", "letter", "đ", "Kiểm tra việc niêm yết"),
        ("- Kiểm tra công tác", "dash", "", "Kiểm tra công tác"),
        ("– Kiểm tra công tác", "dash", "", "Kiểm tra công tác"),
        ("+ Về tiêu chuẩn", "plus", "", "Về tiêu chuẩn"),
        ("• Tiếp công dân", "bullet", "", "Tiếp công dân"),
        ("* Nhiệm vụ trọng tâm", "star", "", "Nhiệm vụ trọng tâm"),
    ],
)
def test_markers(line: str, kind: str, label: str, rest: str) -> None:
    parsed = parse(line)
    assert parsed.marker is not None and (parsed.marker.kind, parsed.marker.label) == (kind, label)
    assert line[parsed.offset :] == rest


@pytest.mark.parametrize(
    "line",
    [
        "2026. Đẩy mạnh các hoạt động",  # a wrapped year
        "15/11/2026 tổ chức hội nghị",  # a date, not a number
        "Tháng 10/2026",
        "Căn cứ Luật Tổ chức chính quyền địa phương",
        "",
    ],
)
def test_not_markers(line: str) -> None:
    assert parse(line).marker is None


def test_word_numbering_is_auto() -> None:
    parsed = parse("Tổ chức hội nghị", word_marker="1.")
    assert parsed.marker is not None and parsed.marker.auto and parsed.marker.kind == "number"
    assert parse("x", word_marker="•").marker.kind == "bullet"  # type: ignore[union-attr]
