"""Configuration from pyproject.toml / vanban.toml, selection by code prefix, severity overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from vanban.validation import ConfigError, Severity, load_config


def test_pyproject_section(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.vanban.validate]\nselect = ["VB2", "VB4"]\nignore = ["VB205"]\nfail-on = "warning"\n'
        '[tool.vanban.validate.severity]\nVB202 = "error"\n',
        encoding="utf-8",
    )
    config = load_config(start=tmp_path)
    assert config.fail_on is Severity.warning
    assert config.enabled("VB201") and config.enabled("VB404")
    assert not config.enabled("VB205") and not config.enabled("VB101")
    assert config.severity_of("VB202") is Severity.error
    assert config.severity_of("VB203") is Severity.error  # catalogue default


def test_vanban_toml_wins_and_overrides_win_over_files(tmp_path: Path) -> None:
    (tmp_path / "vanban.toml").write_text('[validate]\nignore = ["VB5"]\nlang = "en"\n', encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.vanban.validate]\nignore = ["VB1"]\n', encoding="utf-8")
    config = load_config(start=tmp_path, overrides={"lang": "vi", "select": []})
    assert config.ignore == ["VB5"] and config.lang == "vi"


def test_no_file_means_defaults(tmp_path: Path) -> None:
    config = load_config(start=tmp_path)
    assert config.select == [] and config.fail_on is Severity.error


@pytest.mark.parametrize(
    "content",
    ['[validate]\nselect = ["XX9"]\n', '[validate]\nfail-on = "fatal"\n', "[validate\n"],
)
def test_bad_configuration_is_an_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "vanban.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError):
        load_config(path)
