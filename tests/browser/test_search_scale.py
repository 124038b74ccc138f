"""A light index at scale: over HTTP, search fetches little and answers quickly on a large corpus.

The notes are copied COPIES times (tests/benchmark.py's copies), built with `mkdocs build --strict`
and indexed with Pagefind, as `make site` does, in a temporary folder, then served over HTTP. For a
fresh browser: every byte the server sends to open the home page and show the first results is
counted (page, assets and index, as sent, without HTTP compression), and the time from the last
keystroke to the results is taken in the page (performance.now). The goal is for 100 times the
notes: at most 1 MB and 300 ms. Building 100x takes minutes, so the test builds COPIES and checks
that the bytes, grown from our notes' as they grow with the corpus, stay under the budget at 100x
too. Time is a benchmark figure, not a test: `make bench` serves each corpus it builds and prints
the bytes and milliseconds of these queries (README, "Speed").
"""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.benchmark import _project
from tests.browser.conftest import pagefind

COPIES = int(os.environ.get("KB_SEARCH_COPIES", "10"))
TARGET = 100  # the corpus size the budget is for
BUDGET = 1_000_000  # bytes, to open the home page and show the first results
QUERIES = ["smote", "attention", "gradients", "overfitting"]
RESULTS = ".md-search-result__list a.md-search-result__link"

# In the page: the time of the last keystroke in the search box, and of the last change to the results
WATCH = """() => {
  window.__kb = { key: 0, shown: 0 };
  document.querySelector("input.md-search__input").addEventListener("keydown", () => { window.__kb.key = performance.now(); }, true);
  new MutationObserver(() => { window.__kb.shown = performance.now(); })
    .observe(document.querySelector(".md-search-result__list"), { childList: true });
}"""


class _CountingHandler(http.server.SimpleHTTPRequestHandler):
    sent: list[tuple[str, int]]

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def send_header(self, keyword: str, value: str) -> None:
        if keyword.lower() == "content-length":
            self.sent.append((self.path, int(value)))
        super().send_header(keyword, value)


class Server:
    """Serves a folder over HTTP and counts the bytes of every response body it sends."""

    def __init__(self, folder: Path) -> None:
        self.sent: list[tuple[str, int]] = []
        handler = type("Handler", (_CountingHandler,), {"sent": self.sent})
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def large_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """COPIES times the notes, through `kb normalize`, `mkdocs build --strict` and Pagefind."""
    project = tmp_path_factory.mktemp("scale")
    _project(project, COPIES)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    for command in ([sys.executable, "-m", "kb", "normalize", "--quiet"], [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"]):
        result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
    pagefind(project / "site")
    return project / "site"


@pytest.fixture(scope="module")
def servers(site: Path, large_site: Path) -> Iterator[tuple[Server, Server]]:
    small, large = Server(site), Server(large_site)
    yield small, large
    small.close()
    large.close()


def search(browser: Browser, server: Server, query: str) -> tuple[int, float, list[str], list[str]]:
    """Bytes sent to open the home page and show the results for the query, milliseconds from its
    last keystroke to its results, the results' links and every URL the page asked for."""
    context = browser.new_context()  # nothing cached
    page: Page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    server.sent.clear()
    page.goto(server.url + "index.html")
    page.wait_for_load_state("networkidle")  # loaded: search is ready
    page.evaluate(WATCH)
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(query, delay=60)
    page.locator(RESULTS).first.wait_for(timeout=10_000)
    page.wait_for_timeout(1000)  # every answer is in
    timing = page.evaluate("window.__kb")
    links = [a.get_attribute("href") or "" for a in page.locator(RESULTS).all()[:5]]
    context.close()
    return list(server.sent), timing["shown"] - timing["key"], links, requests


def grown(large: list[tuple[str, int]], small: list[tuple[str, int]]) -> float:
    """The bytes at TARGET times the notes, from those at COPIES and at 1: the pages' results
    (Pagefind's fragments, a few a query) do not grow with the corpus; the rest (the page with its
    navigation, the index chunks and metadata) is taken to grow in proportion."""
    def scaling(sent: list[tuple[str, int]]) -> int:
        return sum(size for path, size in sent if "/fragment/" not in path)

    return sum(size for _, size in large) + (scaling(large) - scaling(small)) * (TARGET - COPIES) / (COPIES - 1)


@pytest.mark.parametrize("query", QUERIES)
def test_search_over_http_is_light_and_quick_at_scale(browser: Browser, servers: tuple[Server, Server], query: str):
    small, large = servers
    responses, ms, links, requests = search(browser, large, query)
    sent = sum(size for _, size in responses)
    at_target = grown(responses, search(browser, small, query)[0]) if COPIES < TARGET else sent
    print(f"\n{query!r}: {COPIES}x {sent / 1e3:.0f} kB, {ms:.0f} ms; {TARGET}x {at_target / 1e3:.0f} kB")
    assert links and any("#" in link for link in links), links  # questions, answered from Pagefind
    assert any("/pagefind/" in url for url in requests), requests
    assert not any("search_index.json" in url for url in requests)  # Material's whole index stays on the server
    assert all(url.startswith(large.url) for url in requests), [u for u in requests if not u.startswith(large.url)]
    assert sent <= BUDGET, sent
    assert at_target <= BUDGET, at_target
    assert ms > 0  # the results came after the last keystroke, not from an earlier query
