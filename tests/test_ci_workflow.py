"""The documented GitHub workflow and pre-commit hook, run for real.

The workflow's ``run:`` steps are executed with bash, in order, on a scratch git
repository whose pull request adds documents with Vietnamese names (and an
upper-case extension), so the failure that once skipped every such file
(``git diff --name-only`` quotes non-ASCII names) cannot come back. Only the
install step is left out: vanban is already installed here, and the system
packages it installs are those of ``scripts/install-system-deps.sh``, which CI runs.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml

from tests.conftest import ROOT

WORKFLOW = ROOT / "docs" / "github-actions-validate.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"

# A plan with an impossible date (VB201, an error) and one with none.
BAD_PLAN = """ỦY BAN NHÂN DÂN
PHƯỜNG TƯƠNG MAI
Số: 12/KH-UBND
Tương Mai, ngày 05 tháng 01 năm 2026

KẾ HOẠCH
Tổ chức các hoạt động năm 2026

1. Tổ chức Hội nghị tổng kết công tác năm 2025, hoàn thành trước ngày 31/4/2026 (Văn phòng HĐND và UBND chủ trì).
2. Kiểm tra công tác cải cách hành chính (Phòng Văn hóa - Xã hội chủ trì).
"""
GOOD_PLAN = BAD_PLAN.replace("31/4/2026", "30/4/2026")


def _steps() -> list[dict]:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["validate"]["steps"]


def _git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return done.stdout


def _pull_request(tmp_path: Path, added: dict[str, str]) -> Path:
    """A repository on a branch ``pr`` that adds ``added`` to ``main``, with ``origin/main`` as a remote ref."""
    repo = tmp_path / "documents"
    repo.mkdir(parents=True)
    _git(repo, "init", "-q", "-b", "main")
    (repo / "README.md").write_text("văn bản\n", encoding="utf-8")
    (repo / "Kế hoạch cũ.txt").write_text(GOOD_PLAN, encoding="utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "base")
    _git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    _git(repo, "checkout", "-q", "-b", "pr")
    for name, text in added.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text, encoding="utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "pr")
    return repo


def _condition_holds(condition: str | None, outputs: dict[str, str]) -> bool:
    """The two conditions the workflow uses: none, or ``[always() &&] steps.changed.outputs.count != '0'``."""
    if not condition:
        return True
    match = re.fullmatch(r"(?:always\(\) && )?steps\.changed\.outputs\.count != '0'", condition.strip())
    assert match, f"the test does not know the condition {condition!r}; teach _condition_holds"
    return outputs.get("count") != "0"


def _run_workflow(repo: Path) -> tuple[dict[str, str], dict[str, subprocess.CompletedProcess[str]]]:
    """Run every ``run:`` step but the install one; return the step outputs and each step's result."""
    output_file = repo.parent / "github_output"
    output_file.write_text("")
    bin_dir = str(Path(sys.executable).parent)
    env = {
        **os.environ,
        "GITHUB_OUTPUT": str(output_file),
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
    }
    outputs: dict[str, str] = {}
    results: dict[str, subprocess.CompletedProcess[str]] = {}
    for step in _steps():
        if "run" not in step or step["name"].startswith("Install"):
            continue
        if not _condition_holds(step.get("if"), outputs):
            continue
        step_env = {key: str(value) for key, value in (step.get("env") or {}).items()}
        assert all("${{" not in value or "github.base_ref" in value for value in step_env.values())
        step_env = {key: "main" if "github.base_ref" in value else value for key, value in step_env.items()}
        assert "${{" not in step["run"], "expressions must reach the shell through env:"
        # GitHub runs `run:` with `bash -e {0}`.
        results[step["name"]] = subprocess.run(
            ["bash", "-e", "-c", step["run"]],
            cwd=repo,
            env={**env, **step_env},
            capture_output=True,
            text=True,
        )
        if step.get("id"):
            for line in output_file.read_text(encoding="utf-8").splitlines():
                key, _, value = line.partition("=")
                outputs[key] = value
    return outputs, results


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_workflow_validates_documents_with_vietnamese_names(tmp_path: Path) -> None:
    added = {
        "Kế hoạch số 12 năm 2026.txt": BAD_PLAN,
        "Phường Tương Mai/BÁO CÁO THÁNG 1.TXT": GOOD_PLAN,
        "ghi chú.md": "không phải văn bản\n",
    }
    repo = _pull_request(tmp_path, added)
    outputs, results = _run_workflow(repo)

    assert outputs["count"] == "2", results["Changed documents"].stderr
    listed = (repo / "changed.list").read_bytes().split(b"\0")[:-1]
    assert sorted(name.decode() for name in listed) == sorted(n for n in added if not n.endswith(".md"))

    annotate = results["Annotate the pull request"]
    assert annotate.returncode == 0, annotate.stderr
    assert "::error file=Kế hoạch số 12 năm 2026.txt" in annotate.stdout

    sarif_step = results["Validate (SARIF)"]
    assert sarif_step.returncode == 1, sarif_step.stderr  # an error-level finding fails the job
    sarif = json.loads((repo / "vanban.sarif").read_text(encoding="utf-8"))
    results_ = sarif["runs"][0]["results"]
    uris = {unquote(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for r in results_}
    assert "Kế hoạch số 12 năm 2026.txt" in uris
    assert any(r["ruleId"] == "VB201" for r in results_)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_workflow_passes_a_clean_pull_request_and_skips_other_files(tmp_path: Path) -> None:
    repo = _pull_request(tmp_path, {"Đề án/Kế hoạch sửa.docx.txt": GOOD_PLAN, "ảnh.png": "x"})
    outputs, results = _run_workflow(repo)
    assert outputs["count"] == "1"
    assert results["Validate (SARIF)"].returncode == 0, results["Validate (SARIF)"].stderr

    only_other = _pull_request(tmp_path / "other", {"ghi chú.md": "x"})
    outputs, results = _run_workflow(only_other)
    assert outputs["count"] == "0"
    assert "Validate (SARIF)" not in results


def test_workflow_trigger_and_hook_match_every_document_extension_in_any_case() -> None:
    names = ["a.txt", "B.TXT", "c.Docx", "d.doc", "e.DOC", "f.pdf", "g.PDF"]
    not_documents = ["h.md", "i.docm", "j.pdf.bak", "k.png"]

    hook = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))[0]
    pattern = re.compile(hook["files"])
    assert all(pattern.search(n) for n in names), hook["files"]
    assert not any(pattern.search(n) for n in not_documents)

    # GitHub path filters are case-sensitive globs; `[tT]` classes make them case-blind.
    globs = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))[True]["pull_request"]["paths"]
    from fnmatch import fnmatchcase

    assert all(any(fnmatchcase(f"dir/{n}", g.replace("**/", "*/")) for g in globs) for n in names)
    assert not any(fnmatchcase(f"dir/{n}", g.replace("**/", "*/")) for g in globs for n in not_documents)


def test_one_version_source() -> None:
    import tomllib

    import vanban

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "vanban.__version__"}
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    releases = re.findall(r"^## \[(\d+\.\d+\.\d+)\]", changelog, flags=re.M)
    assert releases and releases[0] == vanban.__version__, "CHANGELOG's newest release is not __version__"
    assert (ROOT / "LICENSE").is_file()
