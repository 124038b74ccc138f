"""Zensical, Material for MkDocs' successor, builds the same handbook as MkDocs from the same docs/.

One copy of the project is built by both (Zensical through zensical.yml, MkDocs through mkdocs.yml), and
the two sites are compared: the same pages, the same navigation (order and section titles, as the home
page shows it), every question's anchor, answers in <details>, glossary tooltips and tags; then a real
Chromium searches each site for words that occur only inside an answer and for a plural the notes never
use (stemming), and searches the Zensical site from file://.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import json
import os
import posixpath
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
import yaml
from playwright.sync_api import Browser, Page, expect

from kb.export.browser import chromium
from kb.model.names import SOURCES_DIR

ROOT = Path(__file__).resolve().parents[2]
ENGINES = ("mkdocs", "zensical")


# --- the two builds ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def project_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # imported here: whether `tests` sorts as a first-party package depends on tests/__init__.py, which the
    # test layout being moved into folders adds
    from tests.conftest import copy_project

    project = copy_project(tmp_path_factory.mktemp("project"))
    (project / "zensical.yml").write_bytes((ROOT / "zensical.yml").read_bytes())  # copy_project copies what MkDocs needs
    return project


@pytest.fixture(scope="module")
def sites(project_copy: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each engine's build of the project's docs/, both strict."""
    assert importlib.util.find_spec("zensical"), "zensical is not installed: `make test` installs it (pyproject.toml, extra `zensical`)"
    env = {k: v for k, v in os.environ.items() if not k.startswith("KB_")} | {"NO_MKDOCS_2_WARNING": "1"}
    out = tmp_path_factory.mktemp("mkdocs") / "site"
    commands = {
        "mkdocs": [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        "zensical": [sys.executable, "-m", "zensical", "build", "--clean", "--strict", "--config-file", "zensical.yml"],
    }
    for engine, command in commands.items():
        result = subprocess.run(command, cwd=project_copy, env=env, capture_output=True, text=True)
        assert result.returncode == 0, f"{engine} build failed:\n{result.stdout}\n{result.stderr}"
    return {"mkdocs": out, "zensical": project_copy / "site"}


@pytest.fixture(scope="module")
def records(project_copy: Path) -> list[dict]:
    return json.loads((project_copy / "docs" / "questions.json").read_text(encoding="utf-8"))["questions"]


# --- what a built page shows -------------------------------------------------------------------


def _href(href: str) -> str:
    """A link as the site resolves it: Zensical writes "./foundations/statistics.html" where MkDocs writes "foundations/statistics.html"."""
    path, hash_, fragment = href.partition("#")
    return (posixpath.normpath(path) if path else "") + hash_ + fragment


@dataclass
class Facts:
    """The parts of a built page both engines must agree on."""

    nav: list[tuple[int, str, str]] = field(default_factory=list)
    """The primary navigation (without the page's table of contents): (depth, title, link) in order; "" links a section."""
    questions: dict[str, int] = field(default_factory=dict)
    """The anchor of every h3 heading of the content, with the number of <details> (answers) below it."""
    term_links: list[tuple[str, str, str]] = field(default_factory=list)
    """(text, link, title) of every glossary link in the content: the title is the tooltip."""
    tags: list[tuple[str, str]] = field(default_factory=list)
    """(text, link) of every tag chip in the content."""


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.facts = Facts()
        self._navs: list[str] = []  # the classes of the <nav> elements the parser is in
        self._article = 0  # how deep inside <article> (the page's content)
        self._question: str | None = None
        self._link: tuple[str, str, dict[str, str]] | None = None  # (kind, tag, attributes) of the link being read
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        classes = a.get("class", "").split()
        if tag == "nav":
            self._navs.append(a.get("class", ""))
        elif tag == "article":
            self._article += 1
        primary = any("md-nav--primary" in n for n in self._navs) and not any("md-nav--secondary" in n for n in self._navs)
        kind = None
        if tag in ("a", "label") and "md-nav__link" in classes and primary and not self._article and a.get("for") != "__toc":
            kind = "nav"  # (the label for="__toc" opens the page's table of contents)
        elif self._article and tag in ("h1", "h2", "h3"):
            self._question = a.get("id") if tag == "h3" else None
            if self._question is not None:
                self.facts.questions[self._question] = 0
        elif self._article and tag == "details" and self._question is not None:
            self.facts.questions[self._question] += 1
        elif self._article and tag == "a" and "md-tag" in classes:
            kind = "tag"
        elif self._article and tag == "a" and "glossary.html#" in a.get("href", "") and a.get("title"):
            kind = "term"
        if kind:
            self._link, self._text = (kind, tag, a), []

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self._navs:
            self._navs.pop()
        elif tag == "article":
            self._article -= 1
        if self._link and tag == self._link[1]:
            kind, _, a = self._link
            text, href = " ".join("".join(self._text).split()), _href(a.get("href", ""))
            if kind == "nav":
                if text or href:  # (a section with an index page has an empty label beside its link)
                    self.facts.nav.append((len(self._navs), text, href))
            elif kind == "tag":
                self.facts.tags.append((text, href))
            else:
                self.facts.term_links.append((text, href, a["title"]))
            self._link = None

    def handle_data(self, data: str) -> None:
        if self._link:
            self._text.append(data)


def facts(site: Path, page: str) -> Facts:
    reader = _Reader()
    reader.feed((site / page).read_text(encoding="utf-8"))
    return reader.facts


def html_pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


# --- 1. the same site ----------------------------------------------------------------------


def test_both_engines_build_the_same_pages(sites: dict[str, Path], project_copy: Path):
    pages = {engine: html_pages(site) for engine, site in sites.items()}
    assert pages["zensical"] == pages["mkdocs"]
    written = {p.relative_to(project_copy / "docs").with_suffix(".html").as_posix() for p in (project_copy / "docs").rglob("*.md")}
    assert written <= pages["zensical"]


def test_navigation_has_the_same_sections_order_and_titles(sites: dict[str, Path], project_copy: Path):
    navs = {engine: facts(site, "index.html").nav for engine, site in sites.items()}
    assert navs["zensical"] == navs["mkdocs"]
    # ... and it is kb's (the .pages files), not the alphabetical order a builder falls back to
    docs = project_copy / "docs"
    folders = [e for e in yaml.safe_load((docs / ".pages").read_text())["nav"] if (docs / e / ".pages").is_file() and e != SOURCES_DIR]
    sections = {yaml.safe_load((docs / f / ".pages").read_text())["title"]: f for f in folders}
    shown = [title for depth, title, link in navs["zensical"] if depth == 1 and not link]
    assert shown == list(sections)
    assert shown != sorted(shown)
    for title, folder in sections.items():
        topics = [f"{folder}/{name.removesuffix('.md')}.html" for name in yaml.safe_load((docs / folder / ".pages").read_text())["nav"]]
        assert [link for _, _, link in navs["zensical"] if link.startswith(f"{folder}/")] == topics, title


def test_every_question_has_its_anchor_and_its_answer_on_both(sites: dict[str, Path], project_copy: Path, records: list[dict]):
    anchors = {}
    for markdown in (project_copy / "docs").rglob("*.md"):
        ids = re.findall(r"^### .*\{ #([^\s}]+)[^}]*\}$", markdown.read_text(encoding="utf-8"), re.MULTILINE)
        if ids:
            anchors[markdown.relative_to(project_copy / "docs").with_suffix(".html").as_posix()] = ids
    assert sum(map(len, anchors.values())) >= len(records)
    for engine, site in sites.items():
        for page, ids in anchors.items():
            questions = facts(site, page).questions
            assert [i for i in ids if i not in questions] == [], f"{engine}: {page} lacks these question anchors"
        for record in records:
            page, _, anchor = record["url"].partition("#")
            answers = facts(site, page).questions[anchor]
            assert answers == (1 if record["answered"] else 0), f"{engine}: {record['url']} has {answers} <details> answers"


def test_every_page_has_the_same_questions_tooltips_and_tags(sites: dict[str, Path]):
    totals = {"term_links": 0, "tags": 0}
    for page in sorted(html_pages(sites["mkdocs"])):
        mkdocs, zensical = facts(sites["mkdocs"], page), facts(sites["zensical"], page)
        assert zensical.questions == mkdocs.questions, page
        assert zensical.term_links == mkdocs.term_links, page
        assert zensical.tags == mkdocs.tags, page
        assert all(title.strip() for _, _, title in zensical.term_links), page
        totals["term_links"] += len(zensical.term_links)
        totals["tags"] += len(zensical.tags)
    assert totals["term_links"] > 100 and totals["tags"] > 100, totals


def test_the_tags_index_lists_the_same_pages_under_each_tag(sites: dict[str, Path]):
    def index(site: Path) -> dict[str, list[str]]:
        html = (site / "tags.html").read_text(encoding="utf-8")
        article = html[html.index("<article") : html.index("</article>")]
        parts = re.split(r'<h2 id="(tag:[^"]+)"', article)[1:]
        return {tag: [_href(h) for h in re.findall(r'<a href="([^"#]+)"', body)] for tag, body in zip(parts[::2], parts[1::2], strict=True)}

    tags = {engine: index(site) for engine, site in sites.items()}
    assert len(tags["mkdocs"]) > 20
    assert tags["zensical"] == tags["mkdocs"]


# --- 2. search in a real browser ------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:  # Debian's Chromium (KB_CHROMIUM), as kb pdf and tests/browser use
        yield browser


@pytest.fixture(scope="module")
def base_urls(sites: dict[str, Path]) -> Iterator[dict[str, str]]:
    """Each site served over HTTP on the loopback address, as tests/browser serves the MkDocs build."""
    servers = {}
    for engine, site in sites.items():
        handler = functools.partial(_QuietHandler, directory=str(site))
        servers[engine] = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=servers[engine].serve_forever, daemon=True).start()
    yield {engine: f"http://127.0.0.1:{server.server_address[1]}/" for engine, server in servers.items()}
    for server in servers.values():
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def search(page: Page, engine: str, query: str) -> list[str]:
    """Type a query into the site's search box as a reader does; the result links, best first."""
    page.wait_for_load_state("networkidle")  # the search worker has its index
    if engine == "mkdocs":  # Material: a search field in the header, results in a list below it
        box = page.locator("input.md-search__input")
        box.click()
        results = page.locator(".md-search-result__list a.md-search-result__link")
    else:  # Zensical: a button opens a search dialog (in a shadow root; Playwright's locators reach inside)
        page.locator(".md-search__button").click()
        box = page.get_by_role("combobox", name="Search")
        results = page.get_by_role("listbox", name="Search results").get_by_role("option")
    box.press_sequentially(query, delay=20)
    if engine == "mkdocs":
        expect(results.first).to_be_visible(timeout=10_000)
    else:  # results come as the reader types: wait for those of the whole query (each links to its page with ?h=query)
        expect(results.first).to_have_attribute("href", re.compile(r"[?&]h=" + re.escape(quote(query)) + "(&|#|$)"), timeout=10_000)
    hrefs: list[str] = []
    for _ in range(20):  # ... and until the list stops changing (the last keystroke's results may still be on their way)
        hrefs, before = results.evaluate_all("links => links.map((a) => a.getAttribute('href'))"), hrefs
        if hrefs == before:
            break
        page.wait_for_timeout(250)
    return hrefs


def answer_only_words(records: list[dict]) -> list[tuple[dict, str]]:
    """Answered questions with a word that occurs only in that question's answer (in no title, no other answer)."""
    titles = " ".join(r["question"] for r in records).lower()
    samples = []
    for record in records:
        others = " ".join(o["answer"] for o in records if o is not record).lower()
        word = next((w for w in re.findall(r"[A-Za-z]{7,}", record["answer"]) if w.lower() not in titles and w.lower() not in others), None)
        if record["answered"] and word:
            samples.append((record, word))
    return samples


@pytest.mark.parametrize("engine", ENGINES)
def test_search_finds_a_word_that_only_an_answer_holds(browser: Browser, base_urls: dict[str, str], records: list[dict], engine: str):
    samples = answer_only_words(records)
    assert len(samples) >= 3
    page = browser.new_page()
    for record, word in samples[:3]:
        page.goto(base_urls[engine] + "index.html")
        hrefs = search(page, engine, word)
        found = [h for h in hrefs[:5] if urlsplit(h).fragment == record["id"] and urlsplit(h).path.endswith(record["url"].partition("#")[0])]
        assert found, f"{engine}: searching {word!r} did not list {record['question']!r} in the first results: {hrefs[:5]}"
    page.close()


@pytest.mark.parametrize("engine", ENGINES)
def test_search_stems_a_plural(browser: Browser, base_urls: dict[str, str], engine: str):
    """search-stemming.js stems the query for either engine's search worker (their query messages differ)."""
    page = browser.new_page()
    page.goto(base_urls[engine] + "index.html")
    hrefs = search(page, engine, "attentions")  # nowhere in the notes, which say "attention"
    assert any(urlsplit(h).path.endswith("deep-learning-and-nlp/transformers.html") for h in hrefs), f"{engine}: {hrefs}"
    page.close()


def test_zensical_site_searches_from_disk_without_network(browser: Browser, sites: dict[str, Path]):
    """Opened from file://, search works (iframe-worker-shim.js runs the worker; zensical.yml lists the hashes of the
    scripts it writes for Zensical's worker) and no request leaves the machine."""
    page = browser.new_page()
    requests: list[str] = []
    blocked: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None)
    for start in ("index.html", "deep-learning-and-nlp/deep-learning.html"):  # the worker's URL differs one folder down
        page.goto((sites["zensical"] / start).as_uri())
        hrefs = search(page, "zensical", "gradient")
        assert any("deep-learning.html" in h and h.startswith("file://") for h in hrefs), hrefs
    assert blocked == []
    assert [u for u in requests if not u.startswith(("file://", "data:", "blob:"))] == []
    page.close()


def test_practice_works_on_the_zensical_build(browser: Browser, sites: dict[str, Path]):
    """The Practice page is kb's own page and script, so it works the same on a Zensical build: from disk,
    flip a card, rate it, reload; the rating is kept and the card is no longer due, with no request leaving
    the machine and no script blocked."""
    from tests.browser.test_practice import open_practice, stored

    page = browser.new_page()
    requests: list[str] = []
    blocked: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None)
    first = open_practice(page, (sites["zensical"] / "practice.html").as_uri())
    page.keyboard.press("Space")
    expect(page.locator(".kb-practice-answer")).to_be_visible()
    page.keyboard.press("3")
    expect(page.locator(".kb-practice-status")).to_contain_text("Rated Good")
    page.reload()
    expect(page.locator(".kb-practice-card h2")).to_be_visible()
    assert page.locator(".kb-practice-card").get_attribute("data-id") != first
    assert stored(page)["cards"][first]["reps"] == 1
    assert blocked == []
    assert [u for u in requests if not u.startswith(("file://", "data:", "blob:"))] == []
    page.close()
