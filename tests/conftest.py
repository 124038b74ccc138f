"""Shared by every test folder: the project's root, its config, copies of it, and its built sites.

Tests are grouped by kind (README, "Tests"). unit/ and golden/ are pure and quick; cli/ runs kb on a
copy of the project; site/, browser/ and pdf/ build the real site with MkDocs, drive Chromium or print
PDFs. Every test of cli/, site/, browser/ and pdf/ is marked `slow`, and so are the slow ones of
hostile/ (by hand): `make test-fast` runs unit/, golden/ and hostile/ without them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

from kb import files
from kb.cli import main
from kb.config import load_config
from kb.model import Config
from kb.pipeline import Build, build

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
SLOW_FOLDERS = ("cli", "site", "browser", "pdf")
"""Test folders whose every test runs kb on a copy of the project, builds the site, drives Chromium or prints a PDF."""

settings.register_profile("full", max_examples=150)
settings.register_profile("fast", max_examples=15)  # `make test-fast` passes --hypothesis-profile=fast
settings.load_profile("full")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite the expected outputs of the golden tests")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark `slow` every test of SLOW_FOLDERS (the slow tests of hostile/ are marked by hand)."""
    for item in items:
        if item.path.is_relative_to(TESTS) and item.path.relative_to(TESTS).parts[0] in SLOW_FOLDERS:
            item.add_marker(pytest.mark.slow)


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


@pytest.fixture(scope="session")
def corpus(config_texts: dict[str, str]) -> Build:
    """The project's notes through the whole pipeline, in memory (no files written)."""
    notes, _ = files.read_notes(ROOT / "notes")
    return build(notes, config_texts)


@pytest.fixture(scope="session")
def private_lines(corpus: Build) -> list[str]:
    """The note lines that the full build files on a private topic, as they read without list markers, folded."""
    result = corpus
    by_name = {p.note.name: p.note.lines for p in result.handbook.notes}
    sources = [a.source for q in result.handbook.questions if q.placement and q.placement.topic.private for a in q.asked]
    sources += [b.block.source for b in result.handbook.blocks if b.placement.topic.private]
    lines = {fold(re.sub(r"^[\s>*+-]*(\d+[.)]\s*)?", "", by_name[s.note][n - 1])) for s in sources for n in s.lines}
    return sorted(line for line in lines if len(line) >= 12)


@pytest.fixture(scope="session")
def public_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This project's public site (`kb normalize --public` and a strict build), in a temporary folder."""
    project = copy_project(tmp_path_factory.mktemp("public"))
    assert main(["--root", str(project), "normalize", "--quiet", "--public", str(project / "public-docs")]) == 0
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "KB_DOCS_DIR": "public-docs"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", "public-site"],
                            cwd=project, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return project / "public-site"


def fold(text: str) -> str:
    """Text lower-cased with its white space folded, so lines compare however a page wraps them."""
    return " ".join(text.lower().split())


_WENT = re.compile(r'^<p class="kb-went">(.*)</p>$')
_LINE = re.compile(r'^(?:<div class="kb-lines">)?<wbr id="L(\d+)"> *\1(?:  (.*?))?(?:</div>)?$')


def listing_lines(page: str) -> dict[int, tuple[str, str]]:
    """A source listing page's Markdown (emit/source_pages.py): line number -> (the line as HTML-escaped
    text, where its run went or why it was left out, as HTML; empty for blank lines before any run)."""
    lines: dict[int, tuple[str, str]] = {}
    went = ""
    for row in page.split("\n"):
        if heading := _WENT.match(row):
            went = heading.group(1)
        elif line := _LINE.match(row):
            lines[int(line.group(1))] = (line.group(2) or "", went)
    return lines
