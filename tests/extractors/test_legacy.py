"""Legacy Vietnamese encodings: tables round-trip, detection, fixtures, DOCX fonts."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import docx
import pytest

from tests.conftest import shared_path
from vanban.extractors import docx as docx_extractor
from vanban.extractors import legacy
from vanban.extractors.text import decode_bytes
from vanban.pipeline.extract import extract_file
from vanban.resources import load_toml

STEM = "004_92049e2a4f22e81b"
TCVN3 = load_toml("legacy_tcvn3")
VNI = load_toml("legacy_vni")
VIQR = load_toml("legacy_viqr")


def _inverse(table: dict[str, str]) -> dict[str, bytes]:
    """Unicode -> legacy bytes, from a ``"hex bytes" = "char"`` table."""
    return {char: bytes.fromhex(key) for key, char in table.items()}


def _encode_tcvn3(text: str) -> bytes:
    """Unicode -> TCVN3 as ABC fonts store it: capital toned vowels take the lower-case code."""
    inverse = _inverse(TCVN3["decode"])
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        if char in inverse:
            out += inverse[char]
        elif char.lower() in inverse:
            out += inverse[char.lower()]
        else:
            out += char.encode("cp1252")
    return bytes(out)


def _encode_vni(text: str) -> bytes:
    inverse = _inverse(VNI["decode"])
    return b"".join(inverse.get(c) or c.encode("cp1252") for c in unicodedata.normalize("NFC", text))


def _chars(data: bytes) -> str:
    return legacy.single_byte_text(data)


# -- every table row round-trips ----------------------------------------------


@pytest.mark.parametrize(("key", "char"), sorted(TCVN3["decode"].items()))
def test_tcvn3_decode_rows_round_trip(key: str, char: str) -> None:
    prefix = "V" if char.isupper() else "v"  # not word-initial: no sentence-start capital
    encoded = prefix.encode() + _inverse(TCVN3["decode"])[char]
    assert encoded[1:] == bytes.fromhex(key)
    assert legacy.decode_tcvn3(_chars(encoded)) == prefix + char


@pytest.mark.parametrize(("key", "char"), sorted(TCVN3["vn1_capitals"].items()))
def test_tcvn3_vn1_capital_rows_round_trip(key: str, char: str) -> None:
    encoded = b"V" + _inverse(TCVN3["vn1_capitals"])[char]
    assert legacy.decode_tcvn3(_chars(encoded)) == "V" + char


@pytest.mark.parametrize(("key", "mark"), sorted(TCVN3["combining"].items()))
def test_tcvn3_combining_rows_compose(key: str, mark: str) -> None:
    encoded = b"va" + _inverse(TCVN3["combining"])[mark]
    assert legacy.decode_tcvn3(_chars(encoded)) == unicodedata.normalize("NFC", "va" + mark)


def test_tcvn3_table_is_one_to_one() -> None:
    sections = [TCVN3["decode"], TCVN3["vn1_capitals"], TCVN3["combining"]]
    keys = [k for s in sections for k in s]
    values = [v for s in sections for v in s.values()]
    assert len(set(keys)) == len(keys)
    assert len(set(values)) == len(values)
    # ABC fonts: 67 lower-case toned vowels + ă â ê ô ơ ư đ and their 7 capitals
    assert len(TCVN3["decode"]) == 74


@pytest.mark.parametrize(("key", "char"), sorted(VNI["decode"].items()))
def test_vni_rows_round_trip(key: str, char: str) -> None:
    encoded = _inverse(VNI["decode"])[char]
    assert encoded == bytes.fromhex(key)
    assert legacy.decode_vni(_chars(encoded)) == char
    # also inside a word, where greedy two-character matching must not overrun
    assert legacy.decode_vni(_chars(b"t" + encoded + b"n")) == f"t{char}n"


def test_vni_table_covers_all_134_letters() -> None:
    assert len(VNI["decode"]) == len(set(VNI["decode"].values())) == 134


@pytest.mark.parametrize(("viqr", "char"), sorted(VIQR["shapes"].items()))
def test_viqr_shape_rows(viqr: str, char: str) -> None:
    assert legacy.decode_viqr(viqr + "n") == char + "n"


@pytest.mark.parametrize(("mark", "combining"), sorted(VIQR["tones"].items()))
def test_viqr_tone_rows(mark: str, combining: str) -> None:
    assert legacy.decode_viqr(f"ba{mark}n") == unicodedata.normalize("NFC", f"ba{combining}n")
    assert legacy.decode_viqr(f"tie^{mark}n") == unicodedata.normalize("NFC", f"tiê{combining}n")


# -- conversion details -----------------------------------------------------------


def test_tcvn3_restores_capital_toned_vowels_from_context() -> None:
    for text in (
        "I. TRỌNG TÂM CÔNG TÁC THÁNG 01/2026",
        "II. TỔ CHỨC, THAM DỰ CÁC HỘI NGHỊ",
        "CHỦ TỊCH",
        "Thực hiện các dự án. Áp dụng Bảng giá đất.",
        "Ủy ban nhân dân phường",
        "Nơi nhận:\n- Ủy ban nhân dân phường;",
    ):
        assert legacy.decode_tcvn3(_chars(_encode_tcvn3(text))) == text


def test_tcvn3_keeps_lower_case_where_context_says_so() -> None:
    for text in ("Tổ chức hội nghị", "triển khai\nứng dụng", "của Đảng bộ", "các đơn vị ở phường"):
        assert legacy.decode_tcvn3(_chars(_encode_tcvn3(text))) == text


def test_tcvn3_upper_case_font() -> None:
    assert legacy.decode_tcvn3(_chars(_encode_tcvn3("cộng hòa xã hội")), upper=True) == "CỘNG HÒA XÃ HỘI"


def test_real_tcvn3_mojibake_sample() -> None:
    # DOMAIN.md §5: ABC ".VnTime" text seen as cp1252
    assert legacy.decode_tcvn3("Uû ban nh©n d©n") == "Uỷ ban nhân dân"
    assert legacy.decode_tcvn3("Hµ Néi, ngµy 28 th¸ng 5 n¨m") == "Hà Nội, ngày 28 tháng 5 năm"


def test_viqr_sentence_punctuation_survives() -> None:
    assert legacy.decode_viqr("Tie^'ng Vie^.t") == "Tiếng Việt"
    assert legacy.decode_viqr("Ddi ra. Trong nha`?") == "Đi ra. Trong nhà?"
    assert legacy.decode_viqr("ho^.i nghi. bo^. phu+o+`ng") == "hội nghị bộ phường"
    assert legacy.decode_viqr("Dda~ xong\\.") == "Đã xong."
    assert legacy.decode_viqr("address") == "address"  # dd only starts a syllable


def test_is_syllable() -> None:
    for word in (
        "nghiêng",
        "quyết",
        "giữ",
        "khuỷu",
        "thuở",
        "hoà",
        "hòa",
        "ủy",
        "Uỷ",
        "TRỌNG",
        "gì",
        "xoong",
    ):
        assert legacy.is_syllable(word), word
    for word in ("tiõng", "ce", "kan", "ngi", "bàt", "ấớ", "TRäNG", "nh©n", "Ch¾p", "online"):
        assert not legacy.is_syllable(word), word


# -- detection ---------------------------------------------------------------------

SENTENCE = "Ủy ban nhân dân phường chủ trì, phối hợp với các cơ quan, đơn vị triển khai thực hiện."


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (_encode_tcvn3(SENTENCE), "tcvn3"),
        (_encode_vni(SENTENCE), "vni"),
        (unicodedata.normalize("NFD", SENTENCE).encode(), "nfd"),
        (SENTENCE.encode(), "utf-8"),
    ],
)
def test_decode_bytes_detects(data: bytes, encoding: str) -> None:
    text, found = decode_bytes(data)
    assert (text, found) == (SENTENCE, encoding)


def test_tohop_is_told_from_nfd() -> None:
    tohop = "".join(
        unicodedata.normalize(
            "NFC",
            "".join(p for p in unicodedata.normalize("NFD", c) if p not in "\u0300\u0301\u0303\u0309\u0323"),
        )
        + "".join(p for p in unicodedata.normalize("NFD", c) if p in "\u0300\u0301\u0303\u0309\u0323")
        for c in SENTENCE
    )
    assert decode_bytes(tohop.encode()) == (SENTENCE, "tohop")


def test_legacy_text_pasted_into_utf8_is_converted() -> None:
    pasted = _encode_tcvn3(SENTENCE).decode("cp1252")
    assert decode_bytes(pasted.encode("utf-8")) == (SENTENCE, "tcvn3")
    viqr = "U'y ban nha^n da^n phu+o+`ng chu? tri`, pho^'i ho+.p vo+'i ca'c co+ quan."
    assert decode_bytes(viqr.encode()) == (
        "Úy ban nhân dân phường chủ trì, phối hợp với các cơ quan.",
        "viqr",
    )


def test_unicode_text_with_latin1_letters_is_not_reinterpreted() -> None:
    text = "Hội nghị với đối tác Pháp: café, résumé, naïve, à la carte; ông André Müller phát biểu."
    assert decode_bytes(text.encode()) == (text, "utf-8")


@pytest.mark.parametrize("variant", ["tcvn3", "vni", "nfd", "tohop"])
def test_fixture_reproduces_canonical_text(variant: str) -> None:
    data = shared_path("fixtures", "legacy", variant, f"{STEM}.txt").read_bytes()
    canonical = shared_path("fixtures", "canonical", f"{STEM}.txt").read_text(encoding="utf-8")
    text, found = decode_bytes(data)
    assert found == variant
    assert " ".join(text.split()) == " ".join(canonical.split())


@pytest.mark.parametrize("variant", ["tcvn3", "vni"])
def test_pipeline_records_encoding_and_integrity(variant: str) -> None:
    result = extract_file(shared_path("fixtures", "legacy", variant, f"{STEM}.txt"))
    assert result.document.encoding == variant
    assert result.document.text_integrity is not None and result.document.text_integrity > 0.95
    assert result.document.doc_type is not None


# -- DOCX runs by font ------------------------------------------------------------------


def test_font_encoding() -> None:
    assert legacy.font_encoding(".VnTime") == ("tcvn3", False)
    assert legacy.font_encoding(".VnArial") == ("tcvn3", False)
    assert legacy.font_encoding(".VnTimeH") == ("tcvn3", True)
    assert legacy.font_encoding("VNI-Times") == ("vni", False)
    assert legacy.font_encoding("VNI-Helve") == ("vni", False)
    assert legacy.font_encoding("Times New Roman") is None
    assert legacy.font_encoding(None) is None


def test_docx_runs_convert_by_font(tmp_path: Path) -> None:
    document = docx.Document()
    para = document.add_paragraph()
    para.add_run(_encode_tcvn3("céng hßa x· héi chñ nghÜa").decode("cp1252")).font.name = ".VnTimeH"
    body = document.add_paragraph()
    body.add_run(_encode_tcvn3("Ủy ban nhân dân phường ").decode("cp1252")).font.name = ".VnTime"
    body.add_run(_encode_vni("chủ trì, ").decode("cp1252")).font.name = "VNI-Times"
    body.add_run("phối hợp © 2026.").font.name = "Times New Roman"
    stray = document.add_paragraph()
    stray.add_run("Văn bản Unicode").font.name = ".VnTime"  # font changed after typing
    path = tmp_path / "legacy.docx"
    document.save(str(path))

    doc = docx_extractor.extract(path)
    texts = [b.text for b in doc.blocks]
    assert texts[1] == "Ủy ban nhân dân phường chủ trì, phối hợp © 2026."
    assert texts[2] == "Văn bản Unicode"
    assert doc.encoding == "tcvn3+vni"


def test_docx_paragraph_style_font_applies(tmp_path: Path) -> None:
    document = docx.Document()
    document.styles["Normal"].font.name = ".VnTime"
    document.add_paragraph(_encode_tcvn3("Kế hoạch công tác tháng").decode("cp1252"))
    path = tmp_path / "styled.docx"
    document.save(str(path))
    doc = docx_extractor.extract(path)
    assert doc.blocks[0].text == "Kế hoạch công tác tháng"
    assert doc.encoding == "tcvn3"


def test_unicode_docx_has_no_legacy_encoding() -> None:
    doc = docx_extractor.extract(shared_path("fixtures", "docx", f"{STEM}.docx"))
    assert doc.encoding is None
