"""Privacy goes by line: no line that mentions a private topic reaches the public build, by any path."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kb.cli import main
from kb.pipeline import build
from tests.conftest import copy_project, listing_lines

ROOT = Path(__file__).resolve().parents[2]

FIRST = """\
what is your notice period?
why do you want to change jobs?
what are your expectations?
"""
"""The same questions are asked again in SECOND, where only the second asking carries the private answer."""

SECOND = """\
Interview with Acme

what are your expectations?
\tmy number is 1337 thousand, non negotiable
why do you want to change jobs?
\tgrowth

current pay 13LPA, asked for 9911lpa
current pay 13LPA, asked for 9911lpa

Salary round:
\twhat is the budget for this role
\twho decides the offer

Initech call 5150
\twhat is your expected ctc
\tcan you join with a 20% hike

Notes on the call ctc:4242 and more
"""

MARKDOWN = """\
# Offer call

## Salary talk with Globex 7777

- what did they offer?
    - 6543 per year
- when do they decide?

Caf\u00c3\u00a9 budget hike 8642 mentioned in passing
"""

SECRETS = ("5150", "1337 thousand", "13LPA", "9911lpa", "4242", "Globex", "7777", "6543", "8642")


@pytest.fixture(scope="module")
def public_files(config_texts: dict[str, str]) -> dict[str, str]:
    notes = [("a.txt", FIRST.encode()), ("b.txt", SECOND.encode()), ("c.md", MARKDOWN.encode())]
    result = build(notes, config_texts, public=True)
    texts = dict(result.files)
    texts["problems"] = "\n".join(str(p) for p in result.problems)
    return texts


@pytest.fixture(scope="module")
def local_files(config_texts: dict[str, str]) -> dict[str, str]:
    notes = [("a.txt", FIRST.encode()), ("b.txt", SECOND.encode()), ("c.md", MARKDOWN.encode())]
    return build(notes, config_texts).files


@pytest.mark.parametrize("secret", SECRETS)
def test_no_private_figure_in_the_public_files(public_files: dict[str, str], secret: str):
    leaks = [path for path, text in public_files.items() if secret.lower() in text.lower()]
    assert not leaks, f"{secret!r} is in {leaks}"


@pytest.mark.parametrize("secret", SECRETS)
def test_the_local_build_keeps_every_private_line(local_files: dict[str, str], secret: str):
    assert any(secret.lower() in text.lower() for text in local_files.values())


def test_a_question_is_private_when_any_asking_is(public_files: dict[str, str], local_files: dict[str, str]):
    salary = local_files["career/salary-and-negotiation.md"]
    assert "What are your expectations?" in salary and "1337 thousand" in salary
    assert not any("What are your expectations?" in text for text in public_files.values())


def test_public_questions_stay(public_files: dict[str, str]):
    """Masking by line does not take public questions with it."""
    assert any("What is your notice period?" in text for path, text in public_files.items() if path.endswith(".md") and "sources/" not in path)


def test_the_public_listing_accounts_for_hidden_lines(public_files: dict[str, str]):
    listing = public_files["sources/b.md"]
    lines = listing_lines(listing)
    assert len(lines) == len(SECOND.splitlines())
    hidden = [went for text, went in lines.values() if text == "(private)"]
    assert len(hidden) >= 8 and all("private topic" in went for went in hidden)
    assert "private topic, kept out of the public site" in public_files["sources/index.md"]


@pytest.mark.slow
def test_public_site_has_no_private_figure(tmp_path: Path):
    """The whole way: `kb normalize --public` and a strict build; every text file of the site is searched."""
    project = copy_project(tmp_path / "project", {"a.txt": FIRST, "b.txt": SECOND, "c.md": MARKDOWN})
    assert main(["--root", str(project), "normalize", "--quiet"]) == 0
    assert main(["--root", str(project), "normalize", "--quiet", "--public", str(project / "public-docs")]) == 0
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "KB_DOCS_DIR": "public-docs"}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", "public-site"],
                          cwd=project, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    texts = {p.relative_to(project / "public-site").as_posix(): p.read_text(encoding="utf-8", errors="replace")
             for p in (project / "public-site").rglob("*") if p.suffix in (".html", ".json", ".js", ".xml", ".txt")}
    assert "search/search_index.json" in texts
    leaks = [(secret, path) for secret in SECRETS for path, text in texts.items() if secret.lower() in text.lower()]
    assert not leaks
