from __future__ import annotations

import shutil
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


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of this project (notes, config, docs, mkdocs.yml, hooks) to run the tool in."""
    for folder in ("notes", "config", "docs", "hooks"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return tmp_path
