"""Emit stage: the only package that knows Markdown. Handbook in, {docs path: file text} out.

One module per output: topic_page (with answers, the answers rendered to HTML), glossary_page, tags_page, source_pages, coverage_page (sources/index.md),
nav_files (.pages and .nav.yml), questions_json, practice_data (practice.md and its data script) and
home_stats (the home page's stats region); markdown holds the Markdown they share and layout what goes on
which page. Everything written here carries GENERATED_MARK,
so the writer can tell generated files (which it may replace or delete) from hand-written ones (which it
never touches).
"""

from __future__ import annotations

from functools import partial
from typing import NamedTuple

from ..model import Handbook, Links
from ..model.names import GLOSSARY_PAGE, PRACTICE_DATA, PRACTICE_PAGE, QUESTIONS_FILE, SOURCES_DIR, TAGS_PAGE, note_pages
from ..sharing import RunAll, one_by_one
from .coverage_page import coverage_page
from .digests import Digests, StandIns
from .glossary_page import glossary_page
from .home_stats import splice_stats, stats, stats_markdown
from .layout import page_entries
from .markdown import put_back_html, safe_url, sanitize_markdown, set_aside_html
from .nav_files import nav_files
from .pieces import Pieces, add_notes, add_page, page_pieces, plan_page
from .practice_data import practice_data, practice_page
from .questions_json import questions_json
from .tags_page import tags_page

__all__ = ["Emitted", "StandIns", "emit", "put_back_html", "safe_url", "sanitize_markdown", "set_aside_html", "splice_stats", "stats", "stats_markdown"]


class Emitted(NamedTuple):
    files: dict[str, str]
    """Every generated file of docs/, by path relative to docs/."""
    digests: dict[str, str]
    """`text_digest` of the files remembered with theirs (topic pages, source listings), by path."""


def emit(handbook: Handbook, links: Links, stand_ins: StandIns | None = None, run_all: RunAll = one_by_one) -> Emitted:
    """Every generated file of docs/, and the digests of those it remembered. Each entry's and each note's pieces are
    remembered from one run to the next (pieces.py), so after an edit only what it touched is worked out again; a page
    or listing made again is digested with it (`text_digest`), so an unchanged one is not digested again. stand_ins: what
    stands for the pieces of the notes' parses in the digests of what is remembered (digests.StandIns). The pages that
    changed are put together again by run_all (most of a first run's work is rendering their answers)."""
    config = handbook.config
    sources: dict[str, str] = dict(note_pages(p.note.name for p in handbook.notes))
    pages = page_entries(handbook)
    digests = Digests(config.glossary, sources, links, stand_ins)
    pieces = Pieces()
    files: dict[str, str] = {}
    plans = [plan_page(topic, questions, blocks, config, digests) for topic, (questions, blocks) in pages.items()]
    changed = sorted((plan for plan in plans if plan.answers is not None), key=lambda plan: -plan.size)  # the longest first
    made = dict(zip(map(id, changed), run_all([partial(page_pieces, plan, sources, links, config, digests) for plan in changed],
                                               sum(plan.size for plan in changed)), strict=True))
    for plan in plans:
        files[plan.topic.path] = add_page(pieces, plan, config, made.get(id(plan)))
    used = tuple(t for t in config.glossary if t.slug in links.uses)
    files[GLOSSARY_PAGE] = glossary_page(used, links)  # always there: the home page links both
    files[TAGS_PAGE] = tags_page()
    files.update(nav_files(handbook, pages))
    add_notes(pieces, handbook.notes, pages, sources, config, digests)
    files.update(pieces.listings)
    files[f"{SOURCES_DIR}/index.md"] = coverage_page(handbook, pieces.coverage, links)
    files[QUESTIONS_FILE] = questions_json(pieces.records)
    files[PRACTICE_PAGE] = practice_page()
    files[PRACTICE_DATA] = practice_data(pages, pieces.cards)
    return Emitted(files, pieces.digests)
