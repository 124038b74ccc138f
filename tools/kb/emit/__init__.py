"""Emit stage: the only package that knows Markdown. Handbook in, {docs path: file text} out.

One module per output: topic_page (with answers, the answers rendered to HTML), glossary_page, tags_page, source_pages, coverage_page (sources/index.md),
nav_files (.pages and .nav.yml), questions_json, practice_data (practice.md and its data script) and
home_stats (the home page's stats region); markdown holds the Markdown they share and layout what goes on
which page. Everything written here carries GENERATED_MARK,
so the writer can tell generated files (which it may replace or delete) from hand-written ones (which it
never touches).
"""

from __future__ import annotations

from ..model import Handbook, Links
from ..model.names import GLOSSARY_PAGE, PRACTICE_DATA, PRACTICE_PAGE, QUESTIONS_FILE, SOURCES_DIR, TAGS_PAGE, note_pages
from .answers import from_root, render_answers
from .coverage_page import coverage_page
from .glossary_page import glossary_page
from .home_stats import splice_stats, stats, stats_markdown
from .layout import line_locations, page_entries
from .markdown import put_back_html, safe_url, sanitize_markdown, set_aside_html
from .nav_files import nav_files
from .practice_data import practice_data, practice_page
from .questions_json import questions_json
from .source_pages import source_page
from .tags_page import tags_page
from .topic_page import topic_page

__all__ = ["emit", "put_back_html", "safe_url", "sanitize_markdown", "set_aside_html", "splice_stats", "stats", "stats_markdown"]


def emit(handbook: Handbook, links: Links) -> dict[str, str]:
    """Every generated file of docs/, by path relative to docs/."""
    sources: dict[str, str] = dict(note_pages(p.note.name for p in handbook.notes))
    pages = page_entries(handbook)
    where = line_locations(pages)
    answers = render_answers(pages, sources, links, handbook.config)
    files: dict[str, str] = {}
    for topic, (questions, blocks) in pages.items():
        files[topic.path] = topic_page(topic, questions, blocks, sources, links, handbook.config.glossary, answers.html)
    used = tuple(t for t in handbook.config.glossary if t.slug in links.uses)
    files[GLOSSARY_PAGE] = glossary_page(used, links)  # always there: the home page links both
    files[TAGS_PAGE] = tags_page()
    files.update(nav_files(handbook, pages))
    for parsed in handbook.notes:
        files[sources[parsed.note.name]] = source_page(parsed, where)
    files[f"{SOURCES_DIR}/index.md"] = coverage_page(handbook, where, sources, links)
    rooted = from_root(pages, answers.html)
    files[QUESTIONS_FILE] = questions_json(pages, links, answers.markdown, rooted)
    files[PRACTICE_PAGE] = practice_page()
    files[PRACTICE_DATA] = practice_data(handbook, pages, links, rooted)
    return files
