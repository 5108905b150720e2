"""Citations by number and symbol: table-driven cases, vocabulary rows, real seeds."""

from __future__ import annotations

import json
import tomllib
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import shared_path
from vanban.normalizers.references import (
    Citation,
    document_symbol,
    find_references,
    merge_references,
    parse_symbol,
)
from vanban.resources import load_toml

CASES = tomllib.loads((Path(__file__).parents[1] / "cases" / "references.toml").read_text(encoding="utf-8"))
SYMBOLS = load_toml("symbols")


def _opt(value: str) -> str | None:
    return value or None


# ---------------------------------------------------------------- table cases


@pytest.mark.parametrize("case", CASES["case"], ids=[c["name"] for c in CASES["case"]])
def test_case(case: dict) -> None:
    found = find_references(case["input"])
    assert [c.symbol for c in found] == case["symbols"]
    assert [c.issued_on.isoformat() if c.issued_on else "" for c in found] == case["dates"]
    if "issuers" in case:
        assert [c.issuer for c in found] == [_opt(v) for v in case["issuers"]]
    if "type_names" in case:
        assert [c.type_name for c in found] == [_opt(v) for v in case["type_names"]]
    if "written" in case:
        assert [c.written for c in found] == case["written"]
    for cit in found:
        assert case["input"][cit.span[0] : cit.span[1]] == cit.written


@pytest.mark.parametrize("case", CASES["negative"], ids=[c["why"] for c in CASES["negative"]])
def test_negative(case: dict) -> None:
    assert find_references(case["input"]) == []


# ---------------------------------------------------------------- vocabulary rows


@pytest.mark.parametrize("row", SYMBOLS["doc_type"], ids=[r["code"] for r in SYMBOLS["doc_type"]])
def test_every_type_row_parses(row: dict) -> None:
    cit = parse_symbol(row["example"])
    assert cit is not None
    assert cit.doc_type == row["code"]
    # The row's names are recognised as the type word before a symbol.
    for name in row["names"]:
        found = find_references(f"{name} số {row['example']}")
        assert [c.type_name for c in found] == [name]


@pytest.mark.parametrize("row", SYMBOLS["issuer"], ids=[r["code"] for r in SYMBOLS["issuer"]])
def test_every_issuer_row_parses(row: dict) -> None:
    cit = parse_symbol(row["example"])
    assert cit is not None and cit.issuer_code is not None
    assert row["code"] in cit.issuer_code.split("-")
    for alias in row.get("aliases", []):
        aliased = parse_symbol(row["example"].replace(row["code"], alias))
        assert aliased is not None and aliased.symbol == cit.symbol


def test_type_aliases_normalise() -> None:
    for row in SYMBOLS["doc_type"]:
        for alias in row.get("aliases", []):
            cit = parse_symbol(f"05-{alias}/ĐUK")
            assert cit is not None and cit.doc_type == row["code"]


# ---------------------------------------------------------------- parse_symbol


@pytest.mark.parametrize(
    ("text", "symbol", "number", "year", "doc_type", "issuer_code", "family"),
    [
        ("57-NQ/TW", "57-NQ/TW", "57", None, "NQ", "TW", "party"),
        ("07-CTr/ĐU", "07-CTr/ĐU", "07", None, "CTr", "ĐU", "party"),
        ("NQ12-NQ/TW", "12-NQ/TW", "12", None, "NQ", "TW", "party"),
        ("68-\nNQ/TW", "68-NQ/TW", "68", None, "NQ", "TW", "party"),
        ("37/KH-UBND", "37/KH-UBND", "37", None, "KH", "UBND", "state"),
        ("16/KH-MTTQ-BTT", "16/KH-MTTQ-BTT", "16", None, "KH", "MTTQ-BTT", "state"),
        ("27/2025/QĐ-TTg", "27/2025/QĐ-TTg", "27", 2025, "QĐ", "TTg", "legal"),
        ("101/2025/UBTVQH15", "101/2025/UBTVQH15", "101", 2025, None, "UBTVQH15", "legal"),
        ("72/2025/QH15", "72/2025/QH15", "72", 2025, None, "QH15", "law"),
        (
            "102/2025/NQLT-UBTVQH15-CP-ĐCTUBTWMTTQVN",
            "102/2025/NQLT-UBTVQH15-CP-ĐCTUBTWMTTQVN",
            "102",
            2025,
            "NQLT",
            "UBTVQH15-CP-ĐCTUBTWMTTQVN",
            "legal",
        ),
    ],
)
def test_parse_symbol(text, symbol, number, year, doc_type, issuer_code, family) -> None:
    cit = parse_symbol(text)
    assert cit is not None
    assert (cit.symbol, cit.number, cit.year, cit.doc_type, cit.issuer_code, cit.family) == (
        symbol,
        number,
        year,
        doc_type,
        issuer_code,
        family,
    )


@pytest.mark.parametrize("text", ["22/12/2024", "2026-2031", "1/500", "TT", "57-NQ/TW ngày", "", "10/CP"])
def test_parse_symbol_rejects(text: str) -> None:
    assert parse_symbol(text) is None


# ---------------------------------------------------------------- own number


@pytest.mark.parametrize(
    ("header", "symbol", "number"),
    [
        (
            "UBND PHƯỜNG\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 37/KH-UBND\tUông Bí, ngày 05 tháng 01 năm 2026",
            "37/KH-UBND",
            "37",
        ),
        ("ĐẢNG BỘ PHƯỜNG\n*\nSố 22-CTr/ĐU\nĐồ Sơn, ngày 10 tháng 12 năm 2025", "22-CTr/ĐU", "22"),
        ("Số: 16/KH-MTTQ-BTT", "16/KH-MTTQ-BTT", "16"),
        ("ĐẢNG UỶ PHƯỜNG ĐỒ SƠN\n*\nSố -CTr/ĐU\nĐồ Sơn, ngày tháng 12 năm 2025", "-CTr/ĐU", ""),
        ("MTTQ\nSố:      /KH-MTTQ-BTT\tLương Minh", "/KH-MTTQ-BTT", ""),
    ],
)
def test_document_symbol(header: str, symbol: str, number: str) -> None:
    cit = document_symbol(header)
    assert cit is not None
    assert (cit.symbol, cit.number) == (symbol, number)


def test_document_symbol_absent_in_running_text() -> None:
    assert document_symbol("Thực hiện Nghị quyết số 12-NQ/ĐU ngày 09/12/2025") is None


def test_own_number_is_not_a_reference() -> None:
    text = "Số: 37/KH-UBND\nThực hiện Kế hoạch 37/KH-UBND và Kế hoạch số 34/KH-UBND"
    assert [c.symbol for c in find_references(text)] == ["34/KH-UBND"]
    assert [c.symbol for c in find_references("Kế hoạch 37/KH-UBND", own_symbol="37/KH-UBND")] == []
    assert [c.symbol for c in find_references("Nghị quyết số 60-NQ/TW", own_symbol="60- NQ/TƯ")] == []


def test_merge_takes_first_dated_mention() -> None:
    text = (
        "thực hiện Nghị quyết 59-NQ/TW của Bộ Chính trị; Kế hoạch hành động số 266-KH/TU; "
        "thực hiện Nghị quyết số 59-NQ/TW, ngày 24/01/2025 của Bộ Chính trị"
    )
    merged = merge_references(find_references(text))
    assert [c.symbol for c in merged] == ["59-NQ/TW", "266-KH/TU"]
    assert merged[0].issued_on == date(2025, 1, 24)
    assert merged[0].span == find_references(text)[0].span


# ---------------------------------------------------------------- unicode


def test_nfd_input_keeps_spans() -> None:
    nfc = "Thực hiện Nghị quyết số 12-NQ/ĐU ngày 09/12/2025 của Đảng uỷ phường Uông Bí về"
    nfd = unicodedata.normalize("NFD", nfc)
    [cit] = find_references(nfd)
    assert cit.symbol == "12-NQ/ĐU"
    assert cit.issued_on == date(2025, 12, 9)
    assert unicodedata.normalize("NFC", cit.issuer or "") == "Đảng uỷ phường Uông Bí"
    assert nfd[cit.span[0] : cit.span[1]] == cit.written
    assert cit.type_name == "Nghị quyết"


@given(st.text(alphabet="0123456789-/ NQKHTWĐUCTrsốngày,;\n.", max_size=60))
def test_find_references_never_fails(text: str) -> None:
    for cit in find_references(text):
        assert isinstance(cit, Citation)
        assert text[cit.span[0] : cit.span[1]] == cit.written


# ---------------------------------------------------------------- real seeds vs gold


def _gold(stem: str) -> dict[str, str | None]:
    gold_file = shared_path("eval", "gold", f"{stem}.jsonl")
    records = [json.loads(line) for line in gold_file.read_text(encoding="utf-8").splitlines() if line]
    return {r["symbol"]: r["issued_on"] for r in records if r["kind"] == "reference"}


SEEDS = [
    "000_a9e4cef1ba2e8708",
    "001_182bd45e65ae1aa9",
    "002_06c2cd78a0f32ca2",
    "003_c8064ae758f1624a",
    "004_92049e2a4f22e81b",
]


@pytest.mark.parametrize("joined", [False, True], ids=["raw", "joined"])
@pytest.mark.parametrize("stem", SEEDS)
def test_seed_references_match_gold(stem: str, joined: bool) -> None:
    raw = shared_path("seeds", f"{stem}.txt").read_text(encoding="utf-8")
    text = " ".join(line.strip() for line in raw.splitlines() if line.strip()) if joined else raw
    gold = _gold(stem)
    merged = merge_references(find_references(text))
    got = {c.symbol: (c.issued_on.isoformat() if c.issued_on else None) for c in merged}
    assert got == gold


def test_seed_003_own_number_is_a_blank_draft() -> None:
    raw = shared_path("seeds", "003_c8064ae758f1624a.txt").read_text(encoding="utf-8")
    own = document_symbol(raw)
    assert own is not None and (own.symbol, own.number, own.family) == ("-CTr/ĐU", "", "party")
    assert "-CTr/ĐU" not in {c.symbol for c in find_references(raw)}


def test_law_header_gives_the_law_its_own_symbol() -> None:
    # corpus luongminh Luật 72/2025/QH15: "Luật số: 72/2025/QH15" instead of "Số:".
    own = document_symbol("QUỐC HỘI\nLuật số: 72/2025/QH15\nHà Nội, ngày 16 tháng 6 năm 2025")
    assert own is not None and (own.symbol, own.year) == ("72/2025/QH15", 2025)
    # A wrapped line that starts with a lower-case "số" cites another document.
    assert document_symbol("Thực hiện Nghị quyết\nsố 57-NQ/TW của Bộ Chính trị") is None


def test_short_names_given_in_the_grounds() -> None:
    from vanban.normalizers.references import short_names

    grounds = (
        "Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị (sau đây gọi tắt là Nghị quyết 57); "
        "Luật số 72/2025/QH15 (gọi tắt là Luật Bầu cử) và Nghị định 12/2025/NĐ-CP (viết tắt là “Nghị định 12”)"
    )
    assert short_names(grounds) == {
        "Nghị quyết 57": "57-NQ/TW",
        "Luật Bầu cử": "72/2025/QH15",
        "Nghị định 12": "12/2025/NĐ-CP",
    }
    assert (
        short_names("Tổ chức hội nghị (gọi tắt là Hội nghị) trước ngày 15/3/2026") == {}
    )  # names no document


def test_a_law_cited_at_the_start_of_a_text_is_no_header() -> None:
    assert [c.symbol for c in find_references("Luật số 72/2025/QH15 về bầu cử đại biểu")] == ["72/2025/QH15"]
    # The law's own header line ("Luật số: 72/2025/QH15") is its number, not a citation.
    assert find_references("QUỐC HỘI\nLuật số: 72/2025/QH15\nLUẬT BẦU CỬ") == []
