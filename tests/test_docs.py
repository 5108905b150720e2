"""Docs that cannot drift: every CLI command has help and is in the README."""

from __future__ import annotations

import typer.main
from typer.testing import CliRunner

from tests.conftest import ROOT
from vanban.cli import app

runner = CliRunner()


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    assert {"ingest", "extract", "query", "export", "report", "validate", "diff", "schema"} <= set(commands)
    for name, command in commands.items():
        assert command.help, f"`vanban {name}` has no help text"
        assert f"`vanban {name}" in readme, f"`vanban {name}` is not in the README's CLI reference"
        result = runner.invoke(app, [name, "-h"])
        assert result.exit_code == 0 and "Usage" in result.stdout
        for param in command.params:
            if param.name not in ("help",) and hasattr(param, "help"):
                assert param.help, f"`vanban {name}` option {param.name} has no help"
