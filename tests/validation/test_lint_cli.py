"""``vanban validate`` as a linter (issue 10): rule reference, statistics, per-file ignores,
baselines, unknown config keys, input findings (VB001-VB003), SARIF execution details,
JUnit by --fail-on, the findings cache, DOCX pages; and ``vanban diff``'s exit status.
Everything runs through the real CLI."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT, shared_path
from tests.validation.conftest import HEADER
from vanban.cli import app
from vanban.validation.findings import DOCS_URL, heading_anchor, rule_catalogue
from vanban.validation.ruledoc import rules_markdown

runner = CliRunner()
CLEAN = (
    HEADER
    + "CHƯƠNG TRÌNH\nCông tác năm 2026\nI. NHIỆM VỤ\n1. Tháng 3/2026\n"
    + "- Ra quân huấn luyện năm 2026 (Ban Chỉ huy quân sự phường chuẩn bị).\n"
)
BAD_DATE = CLEAN + "- Hoàn thành báo cáo trước ngày 31/4/2026 (Văn phòng chuẩn bị).\n"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no project vanban.toml; relative paths are under the working directory


def seed(name: str) -> str:
    return str(next(shared_path("seeds").glob(f"{name}_*.txt")))


def invoke(*args: str) -> object:
    return runner.invoke(app, ["validate", *args])


def as_json(result: object) -> list[dict]:
    return json.loads(result.stdout)  # type: ignore[attr-defined]


# ---------------------------------------------------------------- vanban rule and docs/rules.md


def test_rule_explains_one_rule() -> None:
    result = runner.invoke(app, ["rule", "VB305"])
    assert result.exit_code == 0
    rule = rule_catalogue()["VB305"]
    for part in (rule.name, rule.family, rule.severity.value, rule.doc, rule.example, rule.message_en):
        assert part in result.stdout
    assert runner.invoke(app, ["rule", rule.name]).stdout == result.stdout  # by name, too


def test_rule_all_lists_every_rule() -> None:
    result = runner.invoke(app, ["rule", "--all"])
    assert result.exit_code == 0
    assert [line.split("\t")[0] for line in result.stdout.splitlines()] == sorted(rule_catalogue())
    data = json.loads(runner.invoke(app, ["rule", "--all", "--format", "json"]).stdout)
    assert {d["code"] for d in data} == set(rule_catalogue())


@pytest.mark.parametrize(
    "given, suggested", [("VB3055", "VB305"), ("vb21", "VB201"), ("numbering-gapp", "numbering-gap")]
)
def test_unknown_rule_is_a_usage_error_with_the_closest(given: str, suggested: str) -> None:
    result = runner.invoke(app, ["rule", given])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"did you mean '{suggested}'" in lines[0]


def test_committed_rule_reference_is_up_to_date() -> None:
    """docs/rules.md is generated: regenerate with `vanban rule --all --format markdown > docs/rules.md`."""
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == rules_markdown(), "docs/rules.md is stale: run vanban rule --all --format markdown"
    assert runner.invoke(app, ["rule", "--all", "--format", "markdown"]).stdout == committed


def test_help_uris_point_at_the_generated_headings() -> None:
    headings = re.findall(r"^## (.+)$", rules_markdown(), flags=re.MULTILINE)
    anchors = [heading_anchor(h) for h in headings]
    assert len(set(anchors)) == len(anchors) == len(rule_catalogue())
    uris = {rule.help_uri for rule in rule_catalogue().values()}
    assert uris == {f"{DOCS_URL}#{anchor}" for anchor in anchors}
    assert heading_anchor("VB305 central-document-date") == "vb305-central-document-date"


# ---------------------------------------------------------------- --statistics


def test_statistics_counts_per_rule_sorted_by_count() -> None:
    seeds = [seed(n) for n in ("000", "001", "002", "003", "004")]
    findings = as_json(invoke(*seeds, "--format", "json"))
    result = invoke(*seeds, "--statistics")
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    counts = [int(row[0]) for row in rows]
    assert counts == sorted(counts, reverse=True) and sum(counts) == len(findings)
    catalogue = rule_catalogue()
    for count, code, name in rows:
        assert name == catalogue[code].name
        assert int(count) == sum(1 for f in findings if f["code"] == code)
    assert result.exit_code == 1  # the exit status still follows --fail-on
    data = json.loads(invoke(*seeds, "--statistics", "--format", "json").stdout)
    assert [(d["code"], d["count"]) for d in data] == [(code, int(count)) for count, code, _ in rows]


# ---------------------------------------------------------------- configuration


def test_per_file_ignores(tmp_path: Path) -> None:
    (tmp_path / "archive").mkdir()
    (tmp_path / "archive" / "old.txt").write_text(BAD_DATE, encoding="utf-8")
    (tmp_path / "new.txt").write_text(BAD_DATE, encoding="utf-8")
    (tmp_path / "vanban.toml").write_text(
        '[tool.vanban.validate.per-file-ignores]\n"archive/**" = ["VB2"]\n"*.md" = ["VB1"]\n',
        encoding="utf-8",
    )
    data = as_json(invoke("archive", "new.txt", "--format", "json"))
    assert {(d["source"], d["code"]) for d in data if d["code"] == "VB201"} == {("new.txt", "VB201")}


@pytest.mark.parametrize(
    "content, message",
    [
        (
            '[tool.vanban.validate]\nfail-onn = "warning"\n',
            "unknown key 'fail-onn' in [tool.vanban.validate] of vanban.toml; did you mean 'fail-on'?",
        ),
        (
            '[validate]\nselekt = ["VB2"]\n',
            "unknown key 'selekt' in [validate] of vanban.toml; did you mean 'select'?",
        ),
        (
            '[validate.per-file-ignores]\n"a/*" = ["VB9O1"]\n',
            "unknown rule code 'VB9O1'",
        ),
    ],
)
def test_unknown_config_key_is_a_usage_error(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "vanban.toml").write_text(content, encoding="utf-8")
    (tmp_path / "a.txt").write_text(CLEAN, encoding="utf-8")
    result = invoke("a.txt")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]


# ---------------------------------------------------------------- baseline


def test_baseline_reports_only_new_findings_and_survives_line_shifts(tmp_path: Path) -> None:
    doc = tmp_path / "ct.txt"
    doc.write_text(BAD_DATE, encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    written = invoke("ct.txt", "--write-baseline", str(baseline))
    assert written.exit_code == 0 and baseline.is_file()
    data = json.loads(baseline.read_text(encoding="utf-8"))
    assert data["vanban_baseline"] == 1 and any(r["code"] == "VB201" for r in data["findings"])
    before = as_json(invoke("ct.txt", "--format", "json"))
    # Lines inserted above the finding: still the same finding, suppressed.
    shifted = BAD_DATE.replace("I. NHIỆM VỤ\n", "I. NHIỆM VỤ\nGhi chú thêm.\nGhi chú nữa.\n")
    doc.write_text(shifted, encoding="utf-8")
    moved = as_json(invoke("ct.txt", "--format", "json"))
    vb201 = [d for d in moved if d["code"] == "VB201"]
    assert vb201 and vb201[0]["line"] == next(d["line"] for d in before if d["code"] == "VB201") + 2
    assert vb201[0]["fingerprint"] == next(d["fingerprint"] for d in before if d["code"] == "VB201")
    quiet = invoke("ct.txt", "--baseline", str(baseline), "--format", "json", "--fail-on", "info")
    assert as_json(quiet) == [] and quiet.exit_code == 0
    # A new problem is reported.
    doc.write_text(shifted + "- Nộp hồ sơ trước ngày 30/2/2026 (Văn phòng chuẩn bị).\n", encoding="utf-8")
    new = invoke("ct.txt", "--baseline", str(baseline), "--format", "json")
    assert [d["excerpt"] for d in as_json(new) if d["code"] == "VB201"] == [
        next(d["excerpt"] for d in as_json(invoke("ct.txt", "--format", "json")) if "30/2" in d["excerpt"])
    ]
    assert new.exit_code == 1


def test_a_file_that_is_not_a_baseline_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "b.json").write_text('{"findings": []}', encoding="utf-8")
    result = invoke("a.txt", "--baseline", "b.json")
    assert result.exit_code == 2 and "not a vanban baseline" in result.stderr


# ---------------------------------------------------------------- VB001, VB002: missing and unreadable files


@pytest.fixture
def broken(tmp_path: Path) -> dict[str, str]:
    """A clean file, a corrupt PDF and a path that does not exist (names with a space, '#' and Vietnamese)."""
    (tmp_path / "kế hoạch #1.txt").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "hỏng.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\nthis is not a PDF body")
    return {"clean": "kế hoạch #1.txt", "corrupt": "hỏng.pdf", "missing": "thiếu.docx"}


def test_missing_and_unreadable_files_are_findings_in_every_format(broken: dict[str, str]) -> None:
    args = [broken["missing"], broken["corrupt"], broken["clean"]]
    data = as_json(invoke(*args, "--format", "json"))
    assert [(d["source"], d["code"], d["severity"]) for d in data] == [
        ("thiếu.docx", "VB001", "error"),
        ("hỏng.pdf", "VB002", "error"),
    ]
    text = invoke(*args)
    assert text.exit_code == 1
    assert "thiếu.docx:0: VB001 [error]" in text.stdout and "hỏng.pdf:0: VB002 [error]" in text.stdout
    github = invoke(*args, "--format", "github").stdout.splitlines()
    assert github[0].startswith("::error file=thiếu.docx,title=VB001 path-not-found::")
    assert github[1].startswith("::error file=hỏng.pdf,title=VB002 unreadable-document::")
    junit = ET.fromstring(invoke(*args, "--format", "junit").stdout)
    cases = {c.get("name"): c for c in junit.iter("testcase")}
    assert cases["thiếu.docx"].find("error").get("type") == "VB001"  # type: ignore[union-attr]
    assert cases["hỏng.pdf"].find("error").get("type") == "VB002"  # type: ignore[union-attr]
    assert junit.get("errors") == "2" and len(cases) == 3


def test_ignoring_vb001_keeps_the_other_findings(broken: dict[str, str]) -> None:
    result = invoke(broken["missing"], broken["clean"], "--ignore", "VB001", "--format", "json")
    assert as_json(result) == [] and result.exit_code == 0
    junit = ET.fromstring(
        invoke(broken["missing"], broken["clean"], "--ignore", "VB001", "-f", "junit").stdout
    )
    assert junit.get("errors") == "0" and junit.get("failures") == "0"  # agrees with exit 0


@pytest.fixture(scope="module")
def sarif_schema() -> dict:
    from tests.validation.test_formats import _official_schema

    return _official_schema()


def test_sarif_execution_notifications_fingerprints_and_uris(
    broken: dict[str, str], sarif_schema: dict, tmp_path: Path
) -> None:
    import jsonschema

    bad = tmp_path / "bad.txt"
    bad.write_text(BAD_DATE, encoding="utf-8")
    outside = tmp_path.parent / f"{tmp_path.name}-out side#2.txt"  # an absolute path outside the cwd
    outside.write_text(BAD_DATE, encoding="utf-8")
    result = invoke(
        broken["missing"], broken["corrupt"], broken["clean"], str(bad), str(outside), "-f", "sarif"
    )
    log = json.loads(result.stdout)
    jsonschema.Draft4Validator(sarif_schema).validate(log)
    run = log["runs"][0]
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    unread = [
        n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for n in invocation["toolExecutionNotifications"]
    ]
    assert unread == ["thi%E1%BA%BFu.docx", "h%E1%BB%8Fng.pdf"]
    uris = [a["location"]["uri"] for a in run["artifacts"]]
    assert uris[2] == "k%E1%BA%BF%20ho%E1%BA%A1ch%20%231.txt"
    assert uris[3] == "bad.txt"  # an absolute path under the working directory is made relative
    assert uris[4] == outside.as_uri() and "%20" in uris[4] and "%232" in uris[4]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert len({r["helpUri"] for r in rules.values()}) == len(rules)
    assert rules["VB201"]["helpUri"] == f"{DOCS_URL}#vb201-impossible-date"
    fingerprints = [r["partialFingerprints"]["vanban/v1"] for r in run["results"]]
    json_rows = as_json(
        invoke(broken["missing"], broken["corrupt"], broken["clean"], str(bad), str(outside), "-f", "json")
    )
    assert fingerprints == [d["fingerprint"] for d in json_rows]
    clean = json.loads(invoke(broken["clean"], "-f", "sarif").stdout)
    jsonschema.Draft4Validator(sarif_schema).validate(clean)
    assert clean["runs"][0]["invocations"][0]["executionSuccessful"] is True


# ---------------------------------------------------------------- VB003: partly read


def test_a_scanned_page_without_ocr_is_partly_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    scan = shared_path("fixtures", "scan", "002_06c2cd78a0f32ca2.pdf")
    bin_dir = tmp_path / "bin"  # a PATH with python but without tesseract: OCR is unavailable
    bin_dir.mkdir()
    monkeypatch.setenv("PATH", str(bin_dir))
    result = invoke(str(scan), "--format", "json", "--select", "VB003", "--no-cache")
    data = as_json(result)
    assert data and all(d["code"] == "VB003" for d in data)
    assert data[0]["page"] == 1 and "tesseract" in data[0]["message"]


def test_a_table_cut_by_a_budget_is_partly_read() -> None:
    docx = shared_path("fixtures", "docx", "002_06c2cd78a0f32ca2.docx")
    data = as_json(invoke(str(docx), "--format", "json", "--select", "VB003", "--max-table-cells", "10"))
    assert data and data[0]["code"] == "VB003" and "--max-table-cells" in data[0]["message"]
    assert as_json(invoke(str(docx), "--format", "json", "--select", "VB003")) == []


# ---------------------------------------------------------------- JUnit agrees with --fail-on and the exit status


@pytest.mark.parametrize("fail_on", ["error", "warning", "info"])
def test_junit_counts_agree_with_the_exit_status(fail_on: str) -> None:
    seeds = [seed(n) for n in ("001", "002", "003")]
    findings = as_json(invoke(*seeds, "-f", "json"))
    result = invoke(*seeds, "-f", "junit", "--fail-on", fail_on)
    root = ET.fromstring(result.stdout)
    rank = {"info": 0, "warning": 1, "error": 2}
    failing = [f for f in findings if rank[f["severity"]] >= rank[fail_on]]
    assert len(list(root.iter("failure"))) == len(failing)
    notes = "".join(out.text or "" for out in root.iter("system-out"))
    assert notes.count("\n") == len(findings) - len(failing)
    assert int(root.get("failures", "0")) == len({f["source"] for f in failing})
    assert (int(root.get("failures", "0")) + int(root.get("errors", "0")) > 0) == (result.exit_code == 1)


# ---------------------------------------------------------------- cache and workers


def _summary(tmp_path: Path, *args: str) -> dict:
    summary = tmp_path / "summary.json"
    result = invoke(*args, "--summary-json", str(summary))
    assert result.exit_code in (0, 1), result.output
    return json.loads(summary.read_text(encoding="utf-8"))


def test_cache_skips_unchanged_files_and_survives_corruption(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("002", "003", "004"):
        shutil.copy(seed(name), folder)
    args = ["docs", "--cache-dir", str(cache), "--workers", "2", "-f", "json"]
    first = invoke(*args)
    assert _summary(tmp_path, *args)["cached"] == 3  # the first run filled the cache
    entries = sorted((cache / "validate").rglob("*.json"))
    assert len(entries) == 3
    assert invoke(*args).stdout == first.stdout  # cached findings are the same findings
    # A changed file is read again.
    changed = next(folder.glob("003_*.txt"))
    changed.write_text(changed.read_text(encoding="utf-8") + "\nThêm một dòng.\n", encoding="utf-8")
    assert _summary(tmp_path, *args)["cached"] == 2
    # Corrupt entries are misses, never a crash, and are written again.
    for entry in (cache / "validate").rglob("*.json"):
        entry.write_text("{not json", encoding="utf-8")
    assert invoke(*args).stdout != ""
    summary = _summary(tmp_path, *args)
    assert summary["cached"] == 3 and summary["files"] == 3
    # Another configuration is another key; --no-cache reads everything.
    assert _summary(tmp_path, *args, "--select", "VB3")["cached"] == 0
    assert _summary(tmp_path, *args, "--no-cache")["cached"] == 0
    assert not list((cache / "validate").rglob(".tmp-*"))  # temp files were renamed into place


def test_default_cache_dir_is_under_xdg_cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    (tmp_path / "a.txt").write_text(BAD_DATE, encoding="utf-8")
    invoke("a.txt")
    assert len(list((tmp_path / "xdg" / "vanban" / "validate").rglob("*.json"))) == 1
    assert _summary(tmp_path, "a.txt")["cached"] == 1


def test_workers_give_the_same_findings(tmp_path: Path) -> None:
    seeds = [seed(n) for n in ("000", "002", "004")]
    one = invoke(*seeds, "-f", "json", "--no-cache", "--workers", "1").stdout
    assert invoke(*seeds, "-f", "json", "--no-cache", "--workers", "3").stdout == one
    assert invoke(*seeds, "--workers", "0").exit_code == 2


# ---------------------------------------------------------------- DOCX: the page Word shows, not a paragraph index


def test_docx_findings_carry_the_page_of_explicit_breaks(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx", reason="python-docx builds the test document")
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    for line in [*HEADER.splitlines(), "CHƯƠNG TRÌNH", "Công tác năm 2026", "I. NHIỆM VỤ"]:
        document.add_paragraph(line)
    document.add_paragraph("1. Tháng 3/2026").runs[0].add_break(WD_BREAK.PAGE)
    document.add_paragraph("- Ra quân huấn luyện năm 2026 (Ban Chỉ huy quân sự phường chuẩn bị).")
    document.add_paragraph("Trang hai.").runs[0].add_break(WD_BREAK.PAGE)
    document.add_paragraph("- Hoàn thành báo cáo trước ngày 31/4/2026 (Văn phòng chuẩn bị).")
    document.save(str(tmp_path / "ct.docx"))
    data = as_json(invoke("ct.docx", "-f", "json", "--select", "VB201"))
    assert len(data) == 1
    assert data[0]["page"] == 3 and data[0]["line"] is None and "31/4/2026" in data[0]["excerpt"]
    text = invoke("ct.docx", "--select", "VB201").stdout
    assert text.startswith("ct.docx (p. 3): VB201 [error]")
    github = invoke("ct.docx", "--select", "VB201", "-f", "github").stdout
    assert "line=" not in github and "(p. 3)" in github


@pytest.mark.parametrize(
    "name, word_pages",
    [
        ("luongminh_chuan_Huong_dan_noi_dung_trinh_tu_thu_tuc_GT_ngui_ung_cu_DB_HDND_xa_29.12.docx", 27),
        ("luongminh_25-11-KH_thuc_hien_HN_hiep_thuong_Luong_Minh_.docx", 18),
    ],
)
def test_docx_pages_count_a_rendered_break_after_an_explicit_one_once(name: str, word_pages: int) -> None:
    """Word's lastRenderedPageBreak at the top of a page an explicit break started is one boundary.

    These documents mix rendered-page markers with explicit page breaks (25 and
    12, 17 and 7); the page count must be the one Word saved in docProps/app.xml.
    """
    import zipfile

    from vanban.extractors import extract

    path = shared_path("corpus", "luongminh", name)
    with zipfile.ZipFile(path) as archive:
        saved = re.search(r"<Pages>(\d+)</Pages>", archive.read("docProps/app.xml").decode("utf-8"))
    assert saved is not None and int(saved.group(1)) == word_pages
    raw = extract(path)
    assert raw.pages == word_pages
    assert max(b.prov.page or 0 for b in raw.blocks) == word_pages


def test_docx_findings_name_the_page_and_the_paragraph() -> None:
    path = shared_path(
        "corpus",
        "luongminh",
        "luongminh_chuan_Huong_dan_noi_dung_trinh_tu_thu_tuc_GT_ngui_ung_cu_DB_HDND_xa_29.12.docx",
    )
    data = as_json(invoke(str(path), "-f", "json", "--select", "VB105"))
    found = next(d for d in data if d["excerpt"] == "Trưởng thôn")
    assert found["page"] == 2 and found["line"] is None and found["paragraph"] == 29
    text = invoke(str(path), "--select", "VB105").stdout
    assert f"{path} (p. 2): VB105 [info]" in text


# ---------------------------------------------------------------- vanban diff exit status


def test_diff_exits_1_when_records_differ_and_0_when_equal() -> None:
    same = runner.invoke(app, ["diff", seed("002"), seed("002")])
    assert same.exit_code == 0 and "no change" in same.stdout
    differ = runner.invoke(app, ["diff", seed("002"), seed("003")])
    assert differ.exit_code == 1 and "tasks: +" in differ.stdout
    assert "diff(1)" in runner.invoke(app, ["diff", "-h"]).stdout


def test_readable_path_check_is_posix(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads any file: permissions cannot make a file unreadable")
    locked = tmp_path / "khoá.txt"
    locked.write_text(CLEAN, encoding="utf-8")
    locked.chmod(0)
    data = as_json(invoke("khoá.txt", "-f", "json"))
    assert [(d["code"], d["source"]) for d in data] == [("VB002", "khoá.txt")]


def test_concurrent_runs_share_the_cache_safely(tmp_path: Path) -> None:
    """Two processes filling one cache at once: both succeed with the same findings; every entry is whole."""
    import subprocess
    import sys

    cache = tmp_path / "cache"
    seeds = [seed(n) for n in ("002", "003", "004")]
    command = [
        sys.executable,
        "-m",
        "vanban.cli",
        "validate",
        *seeds,
        "-f",
        "json",
        "--cache-dir",
        str(cache),
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) for _ in range(2)
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [1, 1], [err for _, err in outputs]
    assert outputs[0][0] == outputs[1][0] and json.loads(outputs[0][0])
    entries = list((cache / "validate").rglob("*"))
    files = [e for e in entries if e.is_file()]
    assert len(files) == 3 and all(json.loads(e.read_text(encoding="utf-8"))["findings"] for e in files)
