"""Unit names: gazetteer, lists of bodies, assignment phrases and mentions.

Cases live in tests/cases/units.toml (real phrases from the seeds with their
gold names, corpus-style phrases for every gazetteer entry, negatives).
"""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import shared_path
from vanban.normalizers.units import (
    UnitMatch,
    canonical_unit,
    find_unit_mentions,
    fold_for_matching,
    parse_assignment,
    split_units,
)
from vanban.resources import load_toml

CASES = tomllib.loads(
    (Path(__file__).resolve().parents[1] / "cases" / "units.toml").read_text(encoding="utf-8")
)


def _names(units: list[UnitMatch]) -> list[str]:
    return [u.name for u in units]


def _id(case: dict[str, Any]) -> str:
    return case["input"][:60] or "<empty>"


@pytest.mark.parametrize("case", CASES["assignment"], ids=_id)
def test_parse_assignment_cases(case: dict[str, Any]) -> None:
    got = parse_assignment(case["input"], cap=case.get("cap", "phường"))
    if case.get("none"):
        assert got is None
        return
    assert got is not None
    lead, support = got
    assert (_names(lead), _names(support)) == (case["lead"], case["support"])


@pytest.mark.parametrize("case", CASES["split"], ids=_id)
def test_split_units_cases(case: dict[str, Any]) -> None:
    units = split_units(case["input"], cap=case.get("cap", "phường"))
    assert _names(units) == case["names"]
    for u in units:  # spans point back at the text as written
        assert case["input"][u.span[0] : u.span[1]] == u.written


@pytest.mark.parametrize("case", CASES["canonical"], ids=_id)
def test_canonical_unit_cases(case: dict[str, Any]) -> None:
    got = canonical_unit(case["input"], cap=case.get("cap", "phường"))
    assert (got.name, got.recognised) == (case["name"], case["recognised"])
    if got.recognised:
        assert got.score >= 88.0


@pytest.mark.parametrize("case", CASES["mention"], ids=_id)
def test_find_unit_mentions_cases(case: dict[str, Any]) -> None:
    found = find_unit_mentions(case["input"])
    assert _names(found) == case["names"]
    for u in found:
        assert case["input"][u.span[0] : u.span[1]] == u.written


def _entries() -> list[dict[str, Any]]:
    return load_toml("units")["units"]


def test_every_gazetteer_entry_is_exercised_by_a_case() -> None:
    expected: set[str] = set()
    for case in CASES["assignment"]:
        expected.update(case.get("lead", []), case.get("support", []))
    for case in CASES["split"]:
        expected.update(case["names"])
    for case in CASES["canonical"]:
        expected.add(case["name"])
    caps = ("phường", "xã", "đặc khu")
    missing = [
        e["canonical"]
        for e in _entries()
        if not any(e["canonical"].replace("{cap}", cap) in expected for cap in caps)
    ]
    assert missing == []


@pytest.mark.parametrize("entry", _entries(), ids=lambda e: e["canonical"])
def test_every_alias_resolves_to_its_own_entry(entry: dict[str, Any]) -> None:
    """No alias is shadowed by another entry (the first entry wins on a shared key)."""
    want = entry["canonical"].replace("{cap}", "xã")
    for alias in [entry["canonical"].replace("{cap}", "xã"), *entry["aliases"], *entry["abbreviations"]]:
        got = canonical_unit(alias, cap="xã")
        assert (got.name, got.recognised, got.score) == (want, True, 100.0), alias


def test_gazetteer_entries_are_well_formed() -> None:
    kinds = {
        "office", "party_body", "police", "military", "health", "school", "service_center", "mass_org",
        "council", "executive", "collective", "leadership", "steering_committee", "residential",
    }  # fmt: skip
    canonicals = [e["canonical"] for e in _entries()]
    assert len(canonicals) == len(set(canonicals))
    for e in _entries():
        assert e["kind"] in kinds, e["canonical"]
        assert e["level"] in {"commune", "province", "central"}
        # Without the place: a trailing "phường"/"xã" would be written by {cap}.
        assert e["canonical"].split()[-1] not in {"phường", "xã"}, e["canonical"]


def test_required_canonical_names_exist() -> None:
    required = {
        "Phòng Văn hóa - Xã hội", "Phòng Kinh tế, Hạ tầng và Đô thị", "Phòng Kinh tế", "Văn phòng HĐND và UBND",
        "Trung tâm Phục vụ hành chính công", "Trung tâm Cung ứng dịch vụ", "Trung tâm Dịch vụ tổng hợp",
        "Công an {cap}", "Ban Chỉ huy Quân sự", "Trạm Y tế", "Ủy ban nhân dân {cap}", "Hội đồng nhân dân {cap}",
        "Văn phòng Đảng ủy", "Ban Xây dựng Đảng", "Ủy ban Kiểm tra Đảng ủy",
        "Các cơ quan chuyên trách tham mưu, giúp việc Đảng ủy", "Ủy ban Mặt trận Tổ quốc Việt Nam",
        "Các tổ chức chính trị - xã hội", "Ban Chỉ đạo {cap}", "Hội đồng Nghĩa vụ quân sự", "Các phòng, đơn vị",
        "Các phòng, ban, ngành, đơn vị", "Trường Mầm non", "Trường Tiểu học", "Trường Trung học cơ sở",
    }  # fmt: skip
    assert required <= {e["canonical"] for e in _entries()}


# ---- folding -------------------------------------------------------------------


def test_fold_unifies_tone_placement_dashes_and_spaces() -> None:
    assert fold_for_matching("Uỷ ban  Kiểm tra Đảng uỷ") == "ủy ban kiểm tra đảng ủy"
    assert fold_for_matching("Văn hoá – Xã hội") == "văn hóa - xã hội"
    assert fold_for_matching("HĐND&UBND") == "hđnd và ubnd"
    # "quý", "hoàn", "thuỷ" mid-syllable keep their spelling: only a syllable-final pair moves.
    assert fold_for_matching("Quý I hoàn thành") == "quý i hoàn thành"


def test_fold_accepts_decomposed_unicode() -> None:
    nfd = unicodedata.normalize("NFD", "Ủy ban nhân dân phường")
    assert canonical_unit(nfd).name == "Ủy ban nhân dân phường"


# ---- behaviour details ------------------------------------------------------------


def test_unrecognised_name_is_kept_cleaned_not_dropped() -> None:
    got = canonical_unit("  phòng   Tài chính - Kế hoạch ")
    assert (got.name, got.recognised, got.kind) == ("Phòng Tài chính - Kế hoạch", False, None)


def test_bch_alone_is_not_the_military_command() -> None:
    assert canonical_unit("BCH Đảng bộ").name == "Ban Chấp hành Đảng bộ phường"
    assert canonical_unit("BCH Quân sự").name == "Ban Chỉ huy Quân sự"
    assert not canonical_unit("BCH").recognised


def test_higher_level_body_is_not_the_ward_body() -> None:
    units = split_units("Ủy ban nhân dân thành phố - Ủy ban nhân dân phường")
    assert [(u.name, u.recognised) for u in units] == [
        ("Ủy ban nhân dân thành phố", False),
        ("Ủy ban nhân dân phường", True),
    ]


def test_cap_fills_locality_kind() -> None:
    assert canonical_unit("Công an", cap="đặc khu").name == "Công an đặc khu"
    assert canonical_unit("Ban Chỉ đạo xã", cap="xã").name == "Ban Chỉ đạo xã"


def test_markdown_and_parentheses_do_not_leak_into_names() -> None:
    lead, support = parse_assignment("(*UBND phường, Văn phòng Đảng ủy chuẩn bị*)") or ([], [])
    assert _names(lead) == ["Ủy ban nhân dân phường", "Văn phòng Đảng ủy"]
    assert [u.written for u in lead] == ["UBND phường", "Văn phòng Đảng ủy"]
    assert support == []


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("aăâbcdđeêghiklmnoôơpqrstuưvxyỦủyỷ ,;-&()*:.ÀàáạóòĐ")), max_size=60)
)
def test_never_raises_and_spans_stay_inside(text: str) -> None:
    parse_assignment(text)
    for u in split_units(text):
        assert 0 <= u.span[0] <= u.span[1] <= len(text)
        assert u.name
    if text.strip(" ,;-&()*:."):
        assert canonical_unit(text).name


# ---- real documents ---------------------------------------------------------------


def _gold_tasks(stem: str) -> list[dict[str, Any]]:
    gold = shared_path("eval", "gold", f"{stem}.jsonl")
    return [r for r in map(json.loads, gold.read_text(encoding="utf-8").splitlines()) if r["kind"] == "task"]


def _ws(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_seed_002_chu_tri_column_matches_gold() -> None:
    stem = "002_06c2cd78a0f32ca2"
    rows = [
        line.split("\t")
        for line in shared_path("seeds", f"{stem}.txt").read_text(encoding="utf-8").splitlines()
    ]
    cells = {_ws(r[1])[:60]: r[2] for r in rows if len(r) >= 4}
    checked = 0
    for task in _gold_tasks(stem):
        cell = cells.get(_ws(task["text"])[:60])
        if cell is None or not task["lead_units"]:
            continue
        lead, support = parse_assignment(cell) or ([], [])
        assert (_names(lead), _names(support)) == (task["lead_units"], task["support_units"]), cell
        checked += 1
    assert checked >= 130


def test_seed_000_parentheticals_match_gold() -> None:
    stem = "000_a9e4cef1ba2e8708"
    flat = _ws(shared_path("seeds", f"{stem}.txt").read_text(encoding="utf-8"))
    checked = 0
    for task in _gold_tasks(stem):
        k = flat.find(_ws(task["text"]))
        if k < 0 or not task["lead_units"]:
            continue
        m = re.match(r"\s*\(([^()]*)\)", flat[k + len(_ws(task["text"])) :])
        assert m is not None, task["text"]
        lead, support = parse_assignment(m.group(1)) or ([], [])
        assert (_names(lead), _names(support)) == (task["lead_units"], task["support_units"]), m.group(1)
        checked += 1
    assert checked >= 80


# ---- every vocabulary row is exercised ---------------------------------------------


def _all_case_text() -> str:
    parts = [c["input"] for group in ("assignment", "split", "canonical", "mention") for c in CASES[group]]
    return fold_for_matching(" | ".join(parts))


def _vocabulary_rows() -> list[tuple[str, str]]:
    """(row id, regex some case input must match, on folded text) for the matcher vocabulary."""
    data = load_toml("units")

    def word(phrase: str) -> str:
        return rf"(?<!\w){re.escape(fold_for_matching(phrase))}(?!\w)"

    rows = [(f"expand.{k}", word(k)) for k in data["expand"]]
    rows += [
        (f"roles.{g}.{p}", word(p))
        for g in ("lead", "support", "context", "other", "intro")
        for p in data["roles"][g]
    ]
    rows += [
        (f"qualifiers.{g}.{p}", word(p))
        for g in ("parent", "place", "trailing", "plural")
        for p in data["qualifiers"][g]
    ]
    rows += [
        (f"qualifiers.parent_bodies.{p}", r"\w " + word(p.replace("{cap}", "").strip()))
        for p in data["qualifiers"]["parent_bodies"]
    ]
    rows += [(f"abbreviated_heads.{k}", word(k) + r" \w") for k in data["abbreviated_heads"]]
    rows += [(f"person.honorifics.{p}", word(p)) for p in data["person"]["honorifics"]]
    rows += [(f"person.titles.{p}", word(p)) for p in data["person"]["titles"]]
    rows += [(f"heads.{p}", word(p)) for p in data["heads"]["words"]]
    rows += [(f"heads.not.{p}", word(p)) for p in data["heads"]["not"]]
    return rows


@pytest.mark.parametrize(("row", "pattern"), _vocabulary_rows(), ids=lambda x: x if "." in str(x) else "")
def test_every_vocabulary_row_has_a_case(row: str, pattern: str) -> None:
    assert re.search(pattern, _all_case_text()), f"no case in tests/cases/units.toml exercises {row}"


_ORGANS = load_toml("units")["organs"]


@pytest.mark.parametrize("organ", _ORGANS["words"])
def test_every_organ_word_joins_the_body_after_it(organ: str) -> None:
    written = f"{organ[:1].upper()}{organ[1:]} Hội Nông dân xã"
    spelled = f"{_ORGANS['expand'][organ]} Hội Nông dân xã" if organ in _ORGANS["expand"] else written
    assert _names(split_units(f"{written}, Công an xã", cap="xã")) == [spelled, "Công an xã"]


@pytest.mark.parametrize("place", _ORGANS["places"])
def test_every_residential_place_is_taken_into_an_organ_name(place: str) -> None:
    written = f"Các chi hội phụ nữ {place}"
    assert _names(split_units(f"{written} phối hợp", cap="xã")) == [written]
