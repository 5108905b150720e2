"""`vanban report`: one offline HTML file, rendered in headless Chromium (Debian's package)."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vanban.cli import app
from vanban.report.render import highlight

runner = CliRunner()
SECTIONS = ("documents", "heatmap", "deadlines", "citations", "findings", "sources")


@pytest.fixture(scope="module")
def report(raw_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.html"
    result = runner.invoke(app, ["report", "--db", str(raw_db), "-o", str(out), "--as-of", "2026-03-10"])
    assert result.exit_code == 0, result.output
    return out


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        for key in ("href", "src"):
            value = values.get(key) or ""
            if value.startswith("#"):
                self.links.append(value[1:])
            elif value:
                self.external.append(value)


def test_report_is_offline_and_every_task_link_lands_on_its_span(report: Path) -> None:
    html = report.read_text(encoding="utf-8")
    parser = _Ids()
    parser.feed(html)
    assert parser.external == []  # no CDN, no network
    assert set(SECTIONS) <= parser.ids
    task_links = [link for link in parser.links if link.startswith("t-")]
    assert len(set(task_links)) >= 300
    assert set(task_links) <= parser.ids
    # The highlighted span is the task's own text.
    mark = re.search(r'<mark id="t-\d+-\d+">([^<]*)</mark>', html)
    assert mark and len(mark.group(1)) > 10


def test_report_sections_carry_the_data(report: Path) -> None:
    html = report.read_text(encoding="utf-8")
    assert "Công an phường · phường Lê Ích Mộc" in html  # heat map row with its locality
    assert "57-NQ/TW" in html and "level-central" in html
    assert "VB203" in html  # a finding by rule
    assert "state-overdue" in html and "state-upcoming" in html


def test_highlight_escapes_and_skips_overlaps() -> None:
    out = highlight("a <b> c d", [(2, 5, "x"), (3, 4, "y"), (8, 9, "z")])
    assert out == 'a <mark id="x">&lt;b&gt;</mark> c <mark id="z">d</mark>'


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if path := shutil.which(name):
            return path
    pytest.skip("needs Chromium (apt-get install chromium; scripts/install-system-deps.sh installs it)")


def test_report_renders_in_headless_chromium(report: Path, tmp_path: Path) -> None:
    chromium = _chromium()
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    url = report.resolve().as_uri()
    dom = subprocess.run(
        [chromium, *flags, "--dump-dom", url], capture_output=True, text=True, timeout=120, check=True
    ).stdout
    parser = _Ids()
    parser.feed(dom)
    assert set(SECTIONS) <= parser.ids
    assert dom.count("<mark id=") >= 300
    shot = tmp_path / "report.png"
    subprocess.run(
        [chromium, *flags, "--hide-scrollbars", "--window-size=1400,1800", f"--screenshot={shot}", url],
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
