"""Build the real site with MkDocs and check the HTML that comes out."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kb.cli import main
from tests.conftest import copy_project

HOSTILE_TXT = """what does <script>alert("txt")</script> do in a note?
\t-> it is shown as text & never runs: <img src=x onerror=alert(1)>
!!! danger "not an admonition"
# not a heading
what is [a link](javascript:alert(1)) { .evil } in markdown?
"""
HOSTILE_MD = """# Hostile

## What about raw HTML?

A [bad link](javascript:alert(2)) and a [good one](https://example.org).

<script>alert("md")</script>

!!! warning
    not an admonition either

Text with <b>tags</b> and `<code>` { #id }
"""


def mkdocs_build(project: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, env=env, capture_output=True, text=True)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("site"))
    (project / "notes" / "hostile.txt").write_text(HOSTILE_TXT)
    (project / "notes" / "hostile.md").write_text(HOSTILE_MD)
    assert main(["--root", str(project), "normalize", "--quiet"]) == 0
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    return project / "site"


def all_html(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text() for p in site.rglob("*.html")}


def test_script_in_notes_is_text_never_live(site):
    pages = all_html(site)
    joined = "\n".join(pages.values())
    assert "&lt;script&gt;alert(&quot;txt&quot;)&lt;/script&gt;" in joined or "&lt;script&gt;alert(\"txt\")&lt;/script&gt;" in joined
    assert '<script>alert("txt")' not in joined and '<script>alert("md")' not in joined
    assert "<img src=x" not in joined and "onerror=alert" not in joined.replace("onerror=alert(1)&gt;", "")
    assert not re.search(r'href="javascript:(?!void\(0\))', joined)
    assert 'href="https://example.org"' in joined  # ordinary links in Markdown notes stay links
    assert 'class="admonition danger"' not in joined and "not an admonition either" in joined
    assert 'class="evil"' not in joined


def test_every_question_has_its_anchor_in_the_built_page(site):
    records = json.loads((site / "questions.json").read_text())["questions"]
    assert len(records) > 150
    pages = all_html(site)
    for record in records:
        page, anchor = record["url"].split("#")
        assert f'id="{anchor}"' in pages[page], record["url"]


def test_answers_are_collapsible_and_unanswered_questions_are_marked(site):
    page = (site / "deep-learning-and-nlp" / "deep-learning.html").read_text()
    assert '<details class="success">' in page and "<summary>Answer</summary>" in page
    assert "No answer in the notes yet" in page
    assert 'href="../sources/000-interview-prep-scratchpad.html#L134"' in page


def test_home_page_shows_current_counts(site):
    home = (site / "index.html").read_text()
    counts = re.search(r"<td[^>]*>(\d+)</td>\s*<td[^>]*>(\d+)</td>\s*<td[^>]*>(\d+) \((\d+)%\)</td>", home)
    records = json.loads((site / "questions.json").read_text())["questions"]
    assert counts and int(counts.group(2)) == len(records)
    assert int(counts.group(3)) == sum(r["answered"] for r in records)


def test_nothing_is_loaded_from_the_network(site):
    for path in [*site.rglob("*.html"), *site.rglob("*.css")]:
        text = path.read_text(errors="replace")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, path
        for tag in re.findall(r"<(?:script|link|img)\b[^>]*>", text):
            assert not re.search(r"(src|href)=\"(https?:)?//", tag) or 'rel="canonical"' in tag, (path, tag)


def test_strict_build_fails_on_a_broken_link(project):
    (project / "docs" / "broken.md").write_text("# Broken\n\n[gone](foundations/statistics.md#no-such-anchor)\n")
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert "does not contain an anchor '#no-such-anchor'" in result.stderr


def test_build_warns_when_docs_are_stale(project):
    (project / "notes" / "late.txt").write_text("what is a confusion matrix\n")
    result = mkdocs_build(project)
    assert result.returncode != 0 and "docs/ does not match notes/" in result.stderr
