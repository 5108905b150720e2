"""``vanban validate``: a linter for official documents (structure, dates, references,
consistency, header), with findings as text, JSON, SARIF, GitHub annotations or JUnit XML."""

from __future__ import annotations

from vanban.validation.config import ConfigError, ValidateConfig, load_config
from vanban.validation.engine import analyse_and_validate, should_fail, validate_analysis, validate_file
from vanban.validation.findings import Finding, Severity, rule_catalogue

__all__ = [
    "ConfigError",
    "Finding",
    "Severity",
    "ValidateConfig",
    "analyse_and_validate",
    "load_config",
    "rule_catalogue",
    "should_fail",
    "validate_analysis",
    "validate_file",
]
