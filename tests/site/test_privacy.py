"""Private topics stay out of the public site (pages, search index, questions.json) and in the local one."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from tests.conftest import fold


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


def _site_texts(site: Path) -> dict[str, str]:
    """Every text file of a built site, as a reader sees it: entities decoded, JSON strings unescaped, folded."""
    texts = {}
    for path in site.rglob("*"):
        if path.suffix not in (".html", ".json", ".js", ".xml", ".txt"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".json":
            text = json.dumps(json.loads(text), ensure_ascii=False)
        texts[path.relative_to(site).as_posix()] = fold(html.unescape(re.sub(r"<[^>]+>", " ", text)))
    return texts
