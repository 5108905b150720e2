"""The rule reference, rendered from the catalogue: ``vanban rule`` and ``docs/rules.md``.

``docs/rules.md`` is generated (``vanban rule --all --format markdown >
docs/rules.md``) so a rule added to ``validation_rules.toml`` appears in it, with
the heading whose anchor the SARIF ``helpUri`` of the rule points at.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from vanban.validation.config import did_you_mean
from vanban.validation.findings import DOCS_URL, RuleInfo, rule_catalogue


class UnknownRuleError(LookupError):
    """A code that names no rule; the message suggests the closest one."""


def find_rule(code: str) -> RuleInfo:
    """The rule with ``code`` (case-insensitive, or its kebab-case name); :class:`UnknownRuleError` otherwise."""
    catalogue = rule_catalogue()
    wanted = code.strip()
    if wanted.upper() in catalogue:
        return catalogue[wanted.upper()]
    by_name = {rule.name: rule for rule in catalogue.values()}
    if wanted.lower() in by_name:
        return by_name[wanted.lower()]
    if wanted.upper().startswith("VB"):  # a code: there is always a closest one
        hint = did_you_mean(wanted.upper(), catalogue, cutoff=0.0)
    else:
        hint = did_you_mean(wanted.lower(), by_name)
    raise UnknownRuleError(f"unknown rule {code!r}{hint}")


def rule_text(rule: RuleInfo) -> str:
    """A rule explained for the terminal: name, family, default severity, doc, example, messages."""
    return (
        f"{rule.code} {rule.name}\n"
        f"  family:           {rule.family}\n"
        f"  default severity: {rule.severity.value}\n"
        f"  message (vi):     {rule.message_vi}\n"
        f"  message (en):     {rule.message_en}\n"
        f"  documentation:    {rule.help_uri}\n\n"
        f"{rule.doc}\n\n"
        f"Example:\n    {rule.example}\n"
    )


def rules_table(rules: Sequence[RuleInfo]) -> str:
    """One line per rule: code, default severity, family, name."""
    return "".join(f"{r.code}\t{r.severity.value:<7}\t{r.family:<11}\t{r.name}\n" for r in rules)


def rule_dict(rule: RuleInfo) -> dict[str, str]:
    """A rule as a JSON object (``vanban rule --format json``)."""
    return {
        "code": rule.code,
        "name": rule.name,
        "family": rule.family,
        "severity": rule.severity.value,
        "message_vi": rule.message_vi,
        "message_en": rule.message_en,
        "doc": rule.doc,
        "example": rule.example,
        "help_uri": rule.help_uri,
    }


def rules_json(rules: Sequence[RuleInfo]) -> str:
    """A JSON list of rules."""
    return json.dumps([rule_dict(r) for r in rules], ensure_ascii=False, indent=1) + "\n"


def rule_markdown(rule: RuleInfo) -> str:
    """One rule's section of ``docs/rules.md``; its heading gives the anchor of :attr:`RuleInfo.help_uri`."""
    return (
        f"## {rule.heading}\n\n"
        f"- family: `{rule.family}`\n"
        f"- default severity: `{rule.severity.value}`\n"
        f"- message (vi): {_inline(rule.message_vi)}\n"
        f"- message (en): {_inline(rule.message_en)}\n\n"
        f"{rule.doc}\n\n"
        f"Example:\n\n```text\n{rule.example}\n```\n"
    )


def _inline(text: str) -> str:
    """``text`` as inline code, with a fence long enough for any backticks it holds."""
    fence = "``" if "`" in text else "`"
    return f"{fence}{text}{fence}"


def rules_markdown(rules: Sequence[RuleInfo] | None = None) -> str:
    """The whole rule reference (``docs/rules.md``): an index table, then one section per rule."""
    rules = list(rules if rules is not None else sorted(rule_catalogue().values(), key=lambda r: r.code))
    index = "".join(
        f"| [`{r.code}`](#{r.anchor}) | {r.name} | {r.family} | {r.severity.value} |\n" for r in rules
    )
    return (
        "# Rules of `vanban validate`\n\n"
        "<!-- Generated from vanban/resources/validation_rules.toml by\n"
        "     `vanban rule --all --format markdown > docs/rules.md`; do not edit by hand. -->\n\n"
        "Every finding of `vanban validate` has one of these codes. Severities are\n"
        "defaults: `[tool.vanban.validate.severity]` overrides them, `select`, `ignore`\n"
        "and `per-file-ignores` choose the rules (see the README). `vanban rule CODE`\n"
        "prints one section in the terminal. In SARIF output each rule's `helpUri` is\n"
        f"`{DOCS_URL}#` followed by the anchor of its heading below.\n\n"
        "| code | name | family | default severity |\n| --- | --- | --- | --- |\n"
        f"{index}\n" + "\n".join(rule_markdown(r) for r in rules)
    )
