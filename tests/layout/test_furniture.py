"""Page furniture: page numbers and running headers dropped, content kept."""

from __future__ import annotations

import pytest

from vanban.layout.furniture import drop_furniture, is_page_number
from vanban.schemas.blocks import Block, Provenance


@pytest.mark.parametrize("line", ["- 3 -", "Trang 3", "3/10", "12", "– 2 –", "trang 14."])
def test_page_numbers(line: str) -> None:
    assert is_page_number(line)


@pytest.mark.parametrize("line", ["- Tổ chức hội nghị", "2026", "Tháng 3", "15/11/2026", "1. Tháng 10"])
def test_not_page_numbers(line: str) -> None:
    assert not is_page_number(line)


def _page(page: int, *lines: str) -> list[Block]:
    return [
        Block(kind="paragraph", text=t, prov=Provenance(source="t", page=page, line=page * 10 + i))
        for i, t in enumerate(lines)
    ]


def test_running_header_and_page_numbers_go_even_inside_an_item() -> None:
    header = "UBND phường Hồng Gai - Chương trình công tác Quý IV năm 2026"
    blocks = [
        *_page(
            1,
            "CHƯƠNG TRÌNH CÔNG TÁC",
            "- Tổ chức Hội nghị biểu dương người tốt việc tốt, khen thưởng tập thể xuất sắc trong thực",
            "- 1 -",
        ),
        *_page(2, header, "hiện nhiệm vụ năm 2026.", "- Kiểm tra công tác phòng cháy", "- 2 -"),
        *_page(3, header, "- Tổng kết công tác năm 2026", "- 3 -"),
    ]
    kept = [b.text for b in drop_furniture(blocks)]
    assert header not in kept and "- 2 -" not in kept
    assert "hiện nhiệm vụ năm 2026." in kept and "- Kiểm tra công tác phòng cháy" in kept


def test_one_page_documents_keep_everything() -> None:
    blocks = [Block(kind="paragraph", text="12", prov=Provenance(source="t", line=1))]
    assert drop_furniture(blocks) == blocks
