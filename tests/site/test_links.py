"""Cross-links, glossary, backlinks and tags, checked in the built HTML (the Markdown side is in unit/test_links.py)."""

from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from kb.link import term_pattern
from kb.model import Config
from kb.pipeline import Build
from tests.conftest import ROOT


class Page(HTMLParser):
    """The ids, links and article text of one built page."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[dict[str, str]] = []
        self.article: list[str] = []
        self._in_article = 0
        self._skip = 0
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "href" in values:
            self.links.append({**values, "in_article": str(bool(self._in_article))})
        if tag == "article":
            self._in_article += 1
        if self._in_article and tag in ("a", "code", "pre", "script", "style"):
            self._skip += 1  # text that cannot hold a term link: links, code

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self._in_article -= 1
        if self._in_article and tag in ("a", "code", "pre", "script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if self._in_article and not self._skip:
            self.article.append(data)


@pytest.fixture(scope="module")
def pages(built_site: Path) -> dict[str, Page]:
    return {p.relative_to(built_site).as_posix(): Page(p.read_text(encoding="utf-8")) for p in built_site.rglob("*.html")}


def topic_pages(corpus: Build) -> dict[str, object]:
    return {t.path.removesuffix(".md") + ".html": t for t in corpus.handbook.config.topics if (ROOT / "docs" / t.path).exists()}


def test_every_internal_link_of_the_built_site_resolves(pages: dict[str, Page]):
    checked = 0
    for name, page in pages.items():
        if name == "404.html":  # Material's error page links from the site root, wherever it is served
            continue
        for link in page.links:
            url = urlsplit(link["href"])
            if url.scheme or link["href"].startswith(("mailto:", "//")):
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), unquote(url.path))) if url.path else name
            if not target.endswith(".html"):
                continue
            assert target in pages, f"{name}: link to missing page {link['href']}"
            if url.fragment:
                assert unquote(url.fragment) in pages[target].ids, f"{name}: link to missing anchor {link['href']}"
            checked += 1
    assert checked > 3000


def test_term_links_show_the_definition_and_never_point_to_their_own_page(pages: dict[str, Page], config: Config):
    definitions = {t.slug: t.definition.replace('"', "'") for t in config.glossary}
    term_links = 0
    for name, page in pages.items():
        for link in page.links:
            url = urlsplit(link["href"])
            if url.path.endswith("glossary.html") and url.fragment in definitions and link["in_article"] == "True":
                assert link.get("title") == definitions[url.fragment], f"{name}: {link['href']} has title {link.get('title')!r}"
                assert name != "glossary.html", "the glossary links to itself"
                term_links += 1
    assert term_links > 300
    lstm = next(t for t in config.glossary if t.name == "LSTM")
    assert lstm.definition.startswith("Long short-term memory")


def test_every_term_on_a_topic_page_is_one_click_from_its_definition(pages: dict[str, Page], corpus: Build, config: Config):
    for name in topic_pages(corpus):
        page = pages[name]
        text = " ".join(page.article)
        linked = {urlsplit(link["href"]).fragment for link in page.links if urlsplit(link["href"]).path.endswith("glossary.html")}
        unlinked = [t.name for t in config.glossary if term_pattern(t).search(text) and t.slug not in linked]
        assert not unlinked, f"{name} mentions {unlinked} without a link to their glossary entries"


def test_mentioned_in_backlinks_list_every_entry_that_uses_a_pages_terms(corpus: Build, pages: dict[str, Page]):
    links = corpus.links
    assert links is not None
    entries = {q.id: q.placement.topic for q in corpus.handbook.questions} | {b.id: b.placement.topic for b in corpus.handbook.blocks}
    expected: dict[str, set[str]] = {}
    for entry_id, topic in entries.items():
        for term in links.terms[entry_id]:
            home = links.home.get(term.slug)
            if home and home != topic:
                expected.setdefault(home.path.removesuffix(".md") + ".html", set()).add(f"{topic.path.removesuffix('.md')}.html#{entry_id}")
    assert len(expected) > 10
    for name, targets in expected.items():
        page = pages[name]
        assert "mentioned-in" in page.ids, f"{name} has no 'Mentioned in' section"
        found = {posixpath.normpath(posixpath.join(posixpath.dirname(name), link["href"])) for link in page.links}
        assert targets <= found, f"{name} misses backlinks to {sorted(targets - found)[:3]}"


def test_topic_pages_carry_tags_and_the_tags_index_lists_them(corpus: Build, pages: dict[str, Page]):
    index = pages["tags.html"]
    index_links = {posixpath.normpath(link["href"]) for link in index.links}
    for name in topic_pages(corpus):
        markdown = (ROOT / "docs" / name.replace(".html", ".md")).read_text()
        tags = re.search(r"^tags:\n((?:  - .*\n)+)", markdown, re.MULTILINE)
        assert tags, f"{name} has no tags"
        assert name in index_links, f"the tags index does not list {name}"
        assert any("tags.html#" in link["href"] for link in pages[name].links), f"{name} does not show its tags"
