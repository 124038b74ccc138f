from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kb import files
from kb.config import load_config
from kb.model import Config

ROOT = Path(__file__).resolve().parent.parent


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite the expected outputs of the golden tests")


@pytest.fixture(scope="session")
def config_texts() -> dict[str, str]:
    return files.read_config(ROOT / "config")


@pytest.fixture(scope="session")
def config(config_texts: dict[str, str]) -> Config:
    return load_config(config_texts)


PROJECT_FILES = ("notes", "config", "docs", "hooks", "overrides", "mkdocs.yml")
"""What a copy of this project needs to normalize and build."""


def copy_project(target: Path, notes: dict[str, str] | None = None) -> Path:
    """This project copied into target; with notes, those notes (name -> text) instead of ours."""
    for name in PROJECT_FILES:
        if name == "notes" and notes is not None:
            (target / "notes").mkdir(parents=True)
            for note, text in notes.items():
                (target / "notes" / note).write_text(text, encoding="utf-8")
        elif (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, target / name)
        else:
            shutil.copy(ROOT / name, target / name)
    return target


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of this project (notes, config, docs, mkdocs.yml, hooks, theme overrides) to run the tool in."""
    return copy_project(tmp_path)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This project's site as `mkdocs build --strict` makes it, in a temporary folder."""
    out = tmp_path_factory.mktemp("built") / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return out
