"""Output formats of ``vanban validate``: text, JSON, SARIF 2.1.0, GitHub annotations, JUnit XML.

Every formatter takes the findings, the sources checked, and keyword
arguments it may use: ``fail_on`` (JUnit tells failures from notes by it) and
``unread`` (``(source, reason)`` of the files that could not be read: SARIF
reports them as tool execution notifications).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import Protocol
from urllib.parse import quote
from xml.etree import ElementTree as ET

from vanban import __version__ as _VERSION
from vanban.validation.findings import DOCS_URL, Finding, Severity, rule_catalogue

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {Severity.error: "error", Severity.warning: "warning", Severity.info: "note"}
_GITHUB_LEVEL = {Severity.error: "error", Severity.warning: "warning", Severity.info: "notice"}
_INFO_URI = DOCS_URL
_SRCROOT = "%SRCROOT%"
_FINGERPRINT = "vanban/v1"  # partialFingerprints key: bump when Finding.fingerprint changes
INPUT_CODES = frozenset({"VB001", "VB002"})  # the file was not read: an execution problem, not content
_REASON_IN_MESSAGE = INPUT_CODES | {"VB003"}  # their excerpt is the reason, already in the message


class Formatter(Protocol):
    def __call__(
        self,
        findings: Sequence[Finding],
        sources: Sequence[str] = (),
        *,
        fail_on: Severity = Severity.error,
        unread: Sequence[tuple[str, str]] = (),
    ) -> str: ...


def _where(f: Finding) -> str:
    """``file:line (p. N)``; a DOCX finding (no lines) is ``file (p. N)``: the page Word shows."""
    if f.paragraph is not None and f.line is None:
        return f.source + (f" (p. {f.page})" if f.page else "")
    return f"{f.source}:{f.line or 0}" + (f" (p. {f.page})" if f.page else "")


def to_text(
    findings: Sequence[Finding],
    sources: Sequence[str] = (),
    *,
    fail_on: Severity = Severity.error,
    unread: Sequence[tuple[str, str]] = (),
) -> str:
    """One line per finding, ``file:line: CODE severity message  «excerpt»``, then a summary."""
    lines = []
    for f in findings:
        lines.append(f"{_where(f)}: {f.code} [{f.severity.value}] {f.message}")
        if f.excerpt and f.code not in _REASON_IN_MESSAGE:
            lines.append(f"    « {f.excerpt} »")
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    files = len(sources) or len({f.source for f in findings})
    lines.append(
        f"{len(findings)} finding(s) in {files} file(s): {counts[Severity.error]} error, "
        f"{counts[Severity.warning]} warning, {counts[Severity.info]} info"
    )
    return "\n".join(lines) + "\n"


def to_json(
    findings: Sequence[Finding],
    sources: Sequence[str] = (),
    *,
    fail_on: Severity = Severity.error,
    unread: Sequence[tuple[str, str]] = (),
) -> str:
    """A JSON list of findings (``source, code, severity, message, page, line, excerpt, rule, fingerprint``).

    A DOCX finding has ``line`` null and ``paragraph`` (the paragraph's index in the body).
    """
    data = []
    for f in findings:
        row = f.model_dump(mode="json", exclude={"doc_id", "paragraph"})
        if f.paragraph is not None:
            row["paragraph"] = f.paragraph
        row["fingerprint"] = f.fingerprint
        data.append(row)
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def statistics(findings: Sequence[Finding]) -> list[dict[str, object]]:
    """Count of findings per code with the rule name, most frequent first (then by code)."""
    counts = Counter(f.code for f in findings)
    catalogue = rule_catalogue()
    return [
        {"code": code, "name": catalogue[code].name, "count": count}
        for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def statistics_text(findings: Sequence[Finding]) -> str:
    """``--statistics``: ``count  CODE  name`` per rule, like ruff; empty when there is no finding."""
    rows = statistics(findings)
    width = max((len(str(row["count"])) for row in rows), default=1)
    return "".join(f"{row['count']:>{width}}\t{row['code']}\t{row['name']}\n" for row in rows)


def statistics_json(findings: Sequence[Finding]) -> str:
    """``--statistics --format json``: a list of ``{code, name, count}``."""
    return json.dumps(statistics(findings), ensure_ascii=False, indent=1) + "\n"


def artifact_uri(source: str, cwd: Path | None = None) -> tuple[str, str | None]:
    """``(uri, uriBaseId)`` of a path: relative to the working directory when it is under it.

    Relative paths become percent-escaped relative references against
    ``%SRCROOT%`` (the working directory); other absolute paths become
    ``file://`` URIs. Spaces, ``#``, ``%``, ``?`` and non-ASCII letters
    (Vietnamese file names) are escaped as UTF-8.
    """
    path = Path(source)
    if path.is_absolute():
        base = (cwd or Path.cwd()).resolve()
        try:
            path = path.resolve().relative_to(base)
        except (ValueError, OSError):
            return path.as_uri(), None
    relative = PurePosixPath(os.path.normpath(str(path)).replace(os.sep, "/"))
    return quote(str(relative), safe="/"), _SRCROOT


def _artifact_location(source: str, cwd: Path | None) -> dict[str, str]:
    uri, base = artifact_uri(source, cwd)
    return {"uri": uri, "uriBaseId": base} if base else {"uri": uri}


def to_sarif(
    findings: Sequence[Finding],
    sources: Sequence[str] = (),
    *,
    fail_on: Severity = Severity.error,
    unread: Sequence[tuple[str, str]] = (),
    cwd: Path | None = None,
) -> str:
    """A SARIF 2.1.0 log with one run; every catalogue rule is listed in ``tool.driver.rules``.

    Each result carries ``partialFingerprints`` (the baseline fingerprint,
    stable across line shifts); the invocation says whether every file was
    read and names the unread ones in ``toolExecutionNotifications``.
    """
    catalogue = rule_catalogue()
    codes = sorted(catalogue)
    rules = [
        {
            "id": code,
            "name": catalogue[code].name,
            "shortDescription": {
                "text": catalogue[code].message_en.split("{")[0].strip() or catalogue[code].name
            },
            "fullDescription": {"text": catalogue[code].doc},
            "help": {"text": f"{catalogue[code].doc}\nExample: {catalogue[code].example}"},
            "helpUri": catalogue[code].help_uri,
            "defaultConfiguration": {"level": _SARIF_LEVEL[catalogue[code].severity]},
            "properties": {"family": catalogue[code].family},
        }
        for code in codes
    ]
    results = []
    for f in findings:
        # GitHub code scanning needs region.startLine on every result (its rule GH1003), so a
        # finding without a line (a DOCX, an unread file) is put on line 1.
        region: dict[str, object] = {"startLine": max(1, f.line or 1)}
        if f.excerpt and f.code not in _REASON_IN_MESSAGE:
            region["snippet"] = {"text": f.excerpt}
        physical = {"artifactLocation": _artifact_location(f.source, cwd), "region": region}
        location: dict[str, object] = {"physicalLocation": physical}
        if f.paragraph is not None and f.line is None:
            # A DOCX has no text lines: name the page Word shows and the text to search for.
            where = f"page {f.page}: " if f.page else ""
            location["message"] = {"text": f"{where}« {f.excerpt} »"}
        properties = {
            key: value for key, value in (("page", f.page), ("paragraph", f.paragraph)) if value is not None
        }
        results.append(
            {
                "ruleId": f.code,
                "ruleIndex": codes.index(f.code),
                "level": _SARIF_LEVEL[f.severity],
                "message": {"text": f.message},
                "locations": [location],
                "partialFingerprints": {_FINGERPRINT: f.fingerprint},
                **({"properties": properties} if properties else {}),
            }
        )
    notifications = [
        {
            "level": "error",
            "message": {"text": f"{source}: {reason}"},
            "locations": [{"physicalLocation": {"artifactLocation": _artifact_location(source, cwd)}}],
        }
        for source, reason in unread
    ]
    run: dict[str, object] = {
        "tool": {
            "driver": {
                "name": "vanban",
                "version": _VERSION,
                "informationUri": _INFO_URI,
                "rules": rules,
            }
        },
        "invocations": [
            {
                "executionSuccessful": not unread,
                **({"toolExecutionNotifications": notifications} if notifications else {}),
            }
        ],
        "artifacts": [{"location": _artifact_location(s, cwd)} for s in sources],
        "results": results,
    }
    if any(_artifact_location(s, cwd).get("uriBaseId") for s in [*sources, *(f.source for f in findings)]):
        root = (cwd or Path.cwd()).resolve().as_uri().rstrip("/") + "/"
        run["originalUriBaseIds"] = {_SRCROOT: {"uri": root}}
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, ensure_ascii=False, indent=1) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def to_github(
    findings: Sequence[Finding],
    sources: Sequence[str] = (),
    *,
    fail_on: Severity = Severity.error,
    unread: Sequence[tuple[str, str]] = (),
) -> str:
    """GitHub Actions workflow commands: ``::error file=F,line=L,title=CODE::message``.

    A DOCX finding has no line: the annotation is on the file, its text names the page.
    """
    lines = []
    for f in findings:
        props = [f"file={_escape_property(f.source)}"]
        if f.line:
            props.append(f"line={f.line}")
        props.append(f"title={_escape_property(f'{f.code} {f.rule}')}")
        page = f" (p. {f.page})" if f.paragraph is not None and f.line is None and f.page else ""
        excerpt = f" — {f.excerpt}" if f.excerpt and f.code not in _REASON_IN_MESSAGE else ""
        body = f.message + page + excerpt
        lines.append(f"::{_GITHUB_LEVEL[f.severity]} {','.join(props)}::{_escape_data(body)}")
    return "\n".join(lines) + ("\n" if lines else "")


def to_junit(
    findings: Sequence[Finding],
    sources: Sequence[str] = (),
    *,
    fail_on: Severity = Severity.error,
    unread: Sequence[tuple[str, str]] = (),
) -> str:
    """JUnit XML: one test suite, one test case per file, consistent with ``--fail-on``.

    A finding at or above ``fail_on`` is a ``<failure>``; one below it is a line
    of the test case's ``<system-out>`` (the file passes). A file that could not
    be read (VB001, VB002 at or above ``fail_on``) is an ``<error>``. So
    ``failures + errors > 0`` exactly when ``vanban validate`` exits 1.
    """
    sources = list(sources) or sorted({f.source for f in findings})
    suite = ET.Element("testsuite", name="vanban validate", tests=str(len(sources)))
    failures = errors = 0
    for source in sources:
        case = ET.SubElement(suite, "testcase", classname="vanban.validate", name=source)
        own = [f for f in findings if f.source == source]
        failing = [f for f in own if f.severity.rank >= fail_on.rank]
        broken = [f for f in failing if f.code in INPUT_CODES]
        for f in broken:  # the file was not read: an error of the test, not a failed check
            error = ET.SubElement(case, "error", type=f.code, message=f.excerpt or f.message)
            error.text = f"{f.source}: {f.message}"
        for f in (f for f in failing if f.code not in INPUT_CODES):
            failure = ET.SubElement(
                case, "failure", type=f.code, message=f"{f.code} [{f.severity.value}] {_at(f)}: {f.message}"
            )
            failure.text = f"{f.source}:{f.line or 0}: {f.excerpt}"
        errors += bool(broken)
        failures += bool(failing) and not broken
        notes = [f for f in own if f.severity.rank < fail_on.rank]
        if notes:
            out = ET.SubElement(case, "system-out")
            out.text = "".join(
                f"{_at(f)}: {f.code} [{f.severity.value}] {f.message} « {f.excerpt} »\n" for f in notes
            )
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    root = ET.Element(
        "testsuites", name="vanban", tests=str(len(sources)), failures=str(failures), errors=str(errors)
    )
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _at(f: Finding) -> str:
    """Where a finding is, in words: ``line 12``, or ``page 3`` for a DOCX."""
    if f.paragraph is not None and f.line is None:
        return f"page {f.page or 1}"
    return f"line {f.line or 0}"


FORMATTERS: dict[str, Formatter] = {
    "text": to_text,
    "json": to_json,
    "sarif": to_sarif,
    "github": to_github,
    "junit": to_junit,
}
