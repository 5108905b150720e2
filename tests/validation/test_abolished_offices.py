"""Every row of vanban/resources/abolished_offices.toml: each written form is found, and a
finding names its office and successor; the context words keep their mentions quiet."""

from __future__ import annotations

import pytest

from vanban.resources import load_toml
from vanban.validation.mentions import abolished_offices, is_historical

OFFICES = load_toml("abolished_offices")["offices"]
FORMS = [
    pytest.param(office, form, id=f"{office['name']}: {form}")
    for office in OFFICES
    for form in office["forms"]
]


@pytest.mark.parametrize(("office", "form"), FORMS)
def test_every_form_is_found_as_its_office(office: dict, form: str) -> None:
    text = f"1. Báo cáo kết quả thực hiện ({form.title()} chủ trì)."
    found = abolished_offices(text)
    assert [(f.name, f.successor) for f in found] == [(office["name"], office["successor"])]
    assert text[found[0].start : found[0].end].lower() == form.title().lower()
    assert not is_historical(text, found[0], 2025)


@pytest.mark.parametrize("word", load_toml("abolished_offices")["historical_before"])
def test_every_historical_word_before_a_name(word: str) -> None:
    text = f"Tiếp nhận hồ sơ của {word} Phòng Tư pháp."
    (found,) = abolished_offices(text)
    assert is_historical(text, found, 2025)


@pytest.mark.parametrize("word", load_toml("abolished_offices")["historical_after"])
def test_every_historical_word_after_a_name(word: str) -> None:
    text = f"Tiếp nhận hồ sơ của Phòng Tư pháp {word} theo Đề án."
    (found,) = abolished_offices(text)
    assert is_historical(text, found, 2025)


def test_names_of_today_are_not_abolished() -> None:
    text = (
        "Sở Tài nguyên và Môi trường, Phòng Kinh tế, Hạ tầng và Đô thị, Phòng Kinh tế, "
        "Phòng Văn hóa - Xã hội, Văn phòng HĐND và UBND, Trạm Y tế phường, Công an phường, UBND tỉnh"
    )
    assert abolished_offices(text) == []
