"""Output formats of ``vanban validate``: text, JSON, SARIF 2.1.0, GitHub annotations, JUnit XML."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from xml.etree import ElementTree as ET

from vanban import __version__ as _VERSION
from vanban.validation.findings import Finding, Severity, rule_catalogue

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {Severity.error: "error", Severity.warning: "warning", Severity.info: "note"}
_GITHUB_LEVEL = {Severity.error: "error", Severity.warning: "warning", Severity.info: "notice"}
_INFO_URI = "https://github.com/vanban/vanban#validation"


def to_text(findings: Sequence[Finding], sources: Sequence[str] = ()) -> str:
    """One line per finding, ``file:line: CODE severity message  «excerpt»``, then a summary."""
    lines = []
    for f in findings:
        where = f"{f.source}:{f.line or 0}" + (f" (p. {f.page})" if f.page else "")
        lines.append(f"{where}: {f.code} [{f.severity.value}] {f.message}")
        if f.excerpt:
            lines.append(f"    « {f.excerpt} »")
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    files = len(sources) or len({f.source for f in findings})
    lines.append(
        f"{len(findings)} finding(s) in {files} file(s): {counts[Severity.error]} error, "
        f"{counts[Severity.warning]} warning, {counts[Severity.info]} info"
    )
    return "\n".join(lines) + "\n"


def to_json(findings: Sequence[Finding], sources: Sequence[str] = ()) -> str:
    """A JSON list of findings (``source, code, severity, message, page, line, excerpt, rule``)."""
    data = [f.model_dump(mode="json", exclude={"doc_id"}) for f in findings]
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def to_sarif(findings: Sequence[Finding], sources: Sequence[str] = ()) -> str:
    """A SARIF 2.1.0 log with one run; every catalogue rule is listed in ``tool.driver.rules``."""
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
            "helpUri": _INFO_URI,
            "defaultConfiguration": {"level": _SARIF_LEVEL[catalogue[code].severity]},
            "properties": {"family": catalogue[code].family},
        }
        for code in codes
    ]
    results = []
    for f in findings:
        region: dict[str, object] = {"startLine": max(1, f.line or 1)}
        if f.excerpt:
            region["snippet"] = {"text": f.excerpt}
        location: dict[str, object] = {
            "physicalLocation": {"artifactLocation": {"uri": _uri(f.source)}, "region": region}
        }
        results.append(
            {
                "ruleId": f.code,
                "ruleIndex": codes.index(f.code),
                "level": _SARIF_LEVEL[f.severity],
                "message": {"text": f.message},
                "locations": [location],
                **({"properties": {"page": f.page}} if f.page else {}),
            }
        )
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "vanban",
                        "version": _VERSION,
                        "informationUri": _INFO_URI,
                        "rules": rules,
                    }
                },
                "artifacts": [{"location": {"uri": _uri(s)}} for s in sources],
                "results": results,
            }
        ],
    }
    return json.dumps(log, ensure_ascii=False, indent=1) + "\n"


def _uri(source: str) -> str:
    """A relative URI reference for a path (SARIF wants forward slashes, spaces escaped)."""
    return source.replace("\\", "/").replace(" ", "%20")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def to_github(findings: Sequence[Finding], sources: Sequence[str] = ()) -> str:
    """GitHub Actions workflow commands: ``::error file=F,line=L,title=CODE::message``."""
    lines = []
    for f in findings:
        props = [f"file={_escape_property(f.source)}"]
        if f.line:
            props.append(f"line={f.line}")
        props.append(f"title={_escape_property(f'{f.code} {f.rule}')}")
        body = f.message + (f" — {f.excerpt}" if f.excerpt else "")
        lines.append(f"::{_GITHUB_LEVEL[f.severity]} {','.join(props)}::{_escape_data(body)}")
    return "\n".join(lines) + ("\n" if lines else "")


def to_junit(findings: Sequence[Finding], sources: Sequence[str] = ()) -> str:
    """JUnit XML: one test suite, one test case per file; each finding a ``<failure>``."""
    sources = list(sources) or sorted({f.source for f in findings})
    suite = ET.Element(
        "testsuite",
        name="vanban validate",
        tests=str(len(sources)),
        failures=str(sum(1 for s in sources if any(f.source == s for f in findings))),
        errors="0",
    )
    for source in sources:
        case = ET.SubElement(suite, "testcase", classname="vanban.validate", name=source)
        for f in (f for f in findings if f.source == source):
            failure = ET.SubElement(
                case,
                "failure",
                type=f.code,
                message=f"{f.code} [{f.severity.value}] line {f.line or 0}: {f.message}",
            )
            failure.text = f"{f.source}:{f.line or 0}: {f.excerpt}"
    root = ET.Element(
        "testsuites", name="vanban", tests=suite.get("tests", "0"), failures=suite.get("failures", "0")
    )
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


FORMATTERS: dict[str, Callable[[Sequence[Finding], Sequence[str]], str]] = {
    "text": to_text,
    "json": to_json,
    "sarif": to_sarif,
    "github": to_github,
    "junit": to_junit,
}
