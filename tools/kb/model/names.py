"""The one place that makes names: slugs, page paths and URLs.

Slugs come from pymdownx.slugs, the function MkDocs and Material use for heading anchors, so every
link kb writes matches the anchor the site generates.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import NewType

from pymdownx.slugs import slugify

NoteName = NewType("NoteName", str)
"""A note's file name inside notes/, e.g. ``000-scratchpad.txt``."""

Slug = NewType("Slug", str)
"""A URL-safe identifier made by pymdownx.slugs (page names, anchors)."""

PagePath = NewType("PagePath", str)
"""A page's path inside docs/, e.g. ``foundations/statistics.md``."""

Url = NewType("Url", str)
"""A link as written into a page: relative to the page, or a built page's URL inside the site."""

SOURCES_DIR = "sources"
"""Where the line-by-line listings of the notes live in docs/."""

QUESTIONS_FILE = "questions.json"
"""Every question with its answer, page URL, topic and sources, in docs/ and at the site root."""

GLOSSARY_PAGE = "glossary.md"
"""The glossary page: every term the notes use, with its definition and the pages that use it."""

TAGS_PAGE = "tags.md"
"""Material's tags index: topic pages by the glossary terms they mention most."""

PRACTICE_PAGE = "practice.md"
"""The Practice page: flashcards with spaced repetition over every question."""

PRACTICE_DATA = "assets/javascripts/practice-data.js"
"""The questions with their answers as HTML, as a script the Practice page loads (works from file://)."""

DECK_FILE = "handbook.apkg"
"""The Anki deck `kb anki` writes at the site root."""

RESERVED_SOURCE_PAGES = frozenset({"index"})
"""Page names in sources/ that kb writes itself (the coverage page): a note never gets one."""

_slug = slugify(case="lower")


def make_slug(text: str) -> Slug:
    """The slug MkDocs/Material would make for a heading with this text."""
    return Slug(_slug(text, "-"))


def unique_slug(slug: Slug, taken: set[str], fallback: str = "entry") -> Slug:
    """slug, or slug-2, slug-3... when taken; the result is added to taken."""
    base = slug or Slug(fallback)
    candidate, number = base, 2
    while candidate in taken:
        candidate = Slug(f"{base}-{number}")
        number += 1
    taken.add(candidate)
    return candidate


def wording_hash(wording: str) -> str:
    """Six hex digits that depend only on a question's wording (its cleaned title)."""
    return hashlib.sha256(wording.encode("utf-8")).hexdigest()[:6]


def question_ids(titles: list[str], taken: set[str], slugs: list[Slug] | None = None) -> list[Slug]:
    """Stable ids for questions with these titles (in any order): each id depends only on the wording.

    A question's id is the slug of its title. When that slug is already taken (a page heading, a block
    of notes) or shared with another question, the question whose wording hashes lowest among those
    sharing it keeps the bare slug only if nothing else took it; every other one gets `-` and six hex
    digits of a hash of its wording. So the order of the notes, or moving a question to another note or
    page, never changes an id. The results are added to taken. slugs: the titles' (`make_slug`), when known.
    """
    slugs = [slug or Slug("entry") for slug in (map(make_slug, titles) if slugs is None else slugs)]
    by_slug: dict[Slug, list[int]] = {}
    for index, slug in enumerate(slugs):
        by_slug.setdefault(slug, []).append(index)
    ids: list[Slug] = [Slug("")] * len(titles)
    for slug, indexes in sorted(by_slug.items()):
        if len(indexes) == 1:  # (most: ranked alone, it keeps the bare slug unless that is taken)
            index = indexes[0]
            ids[index] = unique_slug(slug if slug not in taken else Slug(f"{slug}-{wording_hash(titles[index])}"), taken)
            continue
        ranked = sorted(indexes, key=lambda i: (wording_hash(titles[i]), titles[i], i))
        for rank, index in enumerate(ranked):
            wanted = slug if rank == 0 and slug not in taken else Slug(f"{slug}-{wording_hash(titles[index])}")
            ids[index] = unique_slug(wanted, taken)  # -2 only if two identical wordings were not merged
    return ids


def note_pages(names: Iterable[str]) -> dict[str, PagePath]:
    """Each note's listing page in docs/; notes whose names slug alike, or like a page kb writes in
    sources/ (index), get -2, -3... in name order."""
    taken: set[str] = set(RESERVED_SOURCE_PAGES)
    return {
        name: PagePath(f"{SOURCES_DIR}/{unique_slug(make_slug(name.rsplit('.', 1)[0]), taken, 'note')}.md")
        for name in sorted(names)
    }


def page_url(path: PagePath) -> Url:
    """The built page's URL inside the site (`use_directory_urls: false`)."""
    return Url(path[: -len(".md")] + ".html" if path.endswith(".md") else path)

