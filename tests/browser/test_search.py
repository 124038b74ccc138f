"""Search finds words hidden in collapsed answers, opens them, and works offline from file://."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import ARTIFACTS, assert_no_serious_violations


def search(page: Page, query: str) -> list[str]:
    """Type a query into Material's search box; the result links, best first."""
    page.wait_for_load_state("networkidle")  # the search worker has its index
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(query, delay=20)  # Material reacts to keystrokes, as a reader types
    results = page.locator(".md-search-result__list a.md-search-result__link")
    expect(results.first).to_be_visible(timeout=10_000)
    return [a.get_attribute("href") or "" for a in results.all()]


def answer_only_words(records: list[dict]) -> list[tuple[dict, str]]:
    """Answered questions with a word that occurs only in that question's answer (nowhere else in any title)."""
    titles = " ".join(r["question"] for r in records).lower()
    others = {r["id"]: " ".join(o["answer"] for o in records if o is not r).lower() for r in records}
    samples = []
    for record in records:
        if not record["answered"]:
            continue
        for word in re.findall(r"[A-Za-z]{7,}", record["answer"]):
            if word.lower() not in titles and word.lower() not in others[record["id"]]:
                samples.append((record, word))
                break
    return samples


@pytest.fixture(scope="module")
def records(site: Path) -> list[dict]:
    return json.loads((site / "questions.json").read_text())["questions"]


def test_words_only_inside_collapsed_answers_find_their_question(browser: Browser, base_url: str, records):
    samples = answer_only_words(records)
    assert len(samples) >= 5
    page = browser.new_page()
    for record, word in samples[:6]:
        page.goto(base_url + "index.html")
        hrefs = search(page, word)
        hit = next((h for h in hrefs[:5] if h.endswith("#" + record["id"])), None)
        assert hit, f"searching {word!r} did not list {record['question']!r} in the first results: {hrefs[:5]}"
        page.locator(f".md-search-result__list a.md-search-result__link[href$='#{record['id']}']").first.click()
        page.wait_for_url(re.compile("#" + re.escape(record["id"])))
        answer = page.locator(f"#{record['id']} ~ details").first
        expect(answer).to_have_attribute("open", "")
        highlighted = answer.locator("mark[data-md-highlight]").first
        expect(highlighted).to_be_visible()
        assert word.lower().startswith(highlighted.inner_text().lower()[:5])  # the word, or its stem
    page.close()


def test_link_to_a_question_opens_its_answer(browser: Browser, base_url: str, records):
    record = next(r for r in records if r["answered"])
    page = browser.new_page()
    page.goto(base_url + record["url"])
    answer = page.locator(f"#{record['id']} ~ details").first
    expect(answer).to_have_attribute("open", "")
    expect(answer.locator(".admonition-title, summary").first).to_be_in_viewport()
    page.close()


def test_stemming_finds_plural_and_singular(browser: Browser, base_url: str):
    page = browser.new_page()
    page.goto(base_url + "index.html")
    hrefs = search(page, "attentions")  # the notes only say "attention"
    assert any("transformers.html" in h for h in hrefs), hrefs
    page.close()


def test_site_from_disk_searches_and_navigates_without_network(browser: Browser, site: Path):
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto((site / "index.html").as_uri())
    hrefs = search(page, "gradient")
    assert any("deep-learning.html" in h for h in hrefs), hrefs
    page.locator(".md-search-result__list a.md-search-result__link").first.click()
    page.wait_for_load_state()
    assert page.url.startswith("file://") and ".html" in page.url
    page.goto((site / "deep-learning-and-nlp" / "deep-learning.html").as_uri())
    page.locator("nav a[href$='time-series.html']:visible").first.click()
    expect(page.locator("h1")).to_have_text(re.compile(r"^Time series"))
    leaving = [u for u in requests if not u.startswith(("file://", "data:", "blob:"))]
    assert not leaving, f"requests left the machine: {leaving}"
    assert any(u.endswith("search_index.js") for u in requests)  # offline index, not a fetch of the JSON
    page.close()


@pytest.mark.parametrize("where", ["index.html", "deep-learning-and-nlp/deep-learning.html", "search"])
def test_no_serious_accessibility_violations(browser: Browser, base_url: str, where: str):
    page = browser.new_page()
    page.goto(base_url + ("index.html" if where == "search" else where))
    if where == "search":
        search(page, "drift")
    assert_no_serious_violations(page)
    page.close()


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("desktop", {"viewport": {"width": 1280, "height": 900}}),
        ("phone", {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}),
        ("dark", {"viewport": {"width": 1280, "height": 900}, "color_scheme": "dark"}),
    ],
)
def test_topic_page_screenshots(browser: Browser, base_url: str, name: str, options: dict):
    context = browser.new_context(**options)
    page = context.new_page()
    page.goto(base_url + "deep-learning-and-nlp/deep-learning.html")
    scheme = page.locator("body").get_attribute("data-md-color-scheme")
    assert scheme == ("slate" if name == "dark" else "default")
    if name == "phone":  # nothing wider than the screen: no sideways scrolling on a phone
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / f"topic-{name}.png"
    page.screenshot(path=str(target), full_page=False)
    assert target.stat().st_size > 10_000
    context.close()
