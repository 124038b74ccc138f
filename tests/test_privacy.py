"""Private topics stay out of the public site (pages, search index, questions.json, PDF) and in the local one."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import copy_project

from kb import files
from kb.cli import main
from kb.model import Config
from kb.pipeline import build

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def private_lines() -> list[str]:
    """The note lines that the full build files on a private topic, as they read without list markers."""
    notes, _ = files.read_notes(ROOT / "notes")
    result = build(notes, files.read_config(ROOT / "config"))
    by_name = {p.note.name: p.note.lines for p in result.handbook.notes}
    sources = [a.source for q in result.handbook.questions if q.placement and q.placement.topic.private for a in q.asked]
    sources += [b.block.source for b in result.handbook.blocks if b.placement.topic.private]
    lines = {_fold(re.sub(r"^[\s>*+-]*(\d+[.)]\s*)?", "", by_name[s.note][n - 1])) for s in sources for n in s.lines}
    return sorted(line for line in lines if len(line) >= 12)


@pytest.fixture(scope="module")
def public_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("public"))
    assert main(["--root", str(project), "normalize", "--quiet", "--public", str(project / "public-docs")]) == 0
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "KB_DOCS_DIR": "public-docs"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", "public-site"],
                            cwd=project, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return project / "public-site"


def test_the_salary_notes_are_private(private_lines: list[str], config: Config):
    assert [t.title for t in config.topics if t.private] == ["Salary and negotiation"]
    assert len(private_lines) >= 10
    for figure in ("25 lpa", "10 ctc", "150% hike"):
        assert any(figure in line for line in private_lines), figure


def test_public_site_shows_no_private_line(public_site: Path, private_lines: list[str]):
    texts = _site_texts(public_site)
    assert any(name.endswith("search_index.json") for name in texts) and "questions.json" in texts
    leaks = [(line, name) for line in private_lines for name, text in texts.items() if line in text]
    assert not leaks, f"{len(leaks)} private lines in the public site, e.g. {leaks[:3]}"
    assert not (public_site / "career" / "salary-and-negotiation.html").exists()


def test_local_site_keeps_every_private_line(built_site: Path, private_lines: list[str]):
    texts = _site_texts(built_site)
    missing = [line for line in private_lines if not any(line in text for text in texts.values())]
    assert not missing
    salary = texts["career/salary-and-negotiation.html"]
    assert "25 lpa" in salary and "10 ctc" in salary


def test_public_questions_json_has_no_private_question(public_site: Path, built_site: Path):
    public = json.loads((public_site / "questions.json").read_text())["questions"]
    local = json.loads((built_site / "questions.json").read_text())["questions"]
    assert not [q for q in public if q["topic"] == "Salary and negotiation"]
    assert [q for q in local if q["topic"] == "Salary and negotiation"]
    assert len(public) < len(local)


def test_public_pdf_has_no_private_line(public_site: Path, private_lines: list[str]):
    from kb.export.pdf import export

    export(public_site)
    text = _fold(subprocess.run(["pdftotext", str(public_site / "handbook.pdf"), "-"], capture_output=True, text=True, check=True).stdout)
    assert "kubernetes" in text
    assert not [line for line in private_lines if line in text]


def test_public_refuses_a_folder_it_did_not_make(project: Path):
    (project / "mine").mkdir()
    (project / "mine" / "precious.md").write_text("keep me")
    assert main(["--root", str(project), "normalize", "--public", str(project / "mine")]) == 2
    assert (project / "mine" / "precious.md").read_text() == "keep me"


def _site_texts(site: Path) -> dict[str, str]:
    """Every text file of a built site, as a reader sees it: entities decoded, JSON strings unescaped, folded."""
    texts = {}
    for path in site.rglob("*"):
        if path.suffix not in (".html", ".json", ".js", ".xml", ".txt"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".json":
            text = json.dumps(json.loads(text), ensure_ascii=False)
        texts[path.relative_to(site).as_posix()] = _fold(html.unescape(re.sub(r"<[^>]+>", " ", text)))
    return texts


def _fold(text: str) -> str:
    return " ".join(text.lower().split())
