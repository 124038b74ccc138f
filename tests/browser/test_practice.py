"""The Practice page in headless Chromium, from file:// and over HTTP: flashcards scheduled by FSRS that
remember their ratings, progress export and import, filters, the interview drill, no request leaving the
machine, accessibility, and phone and dark screenshots."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from .conftest import ARTIFACTS, assert_no_serious_violations


@pytest.fixture(scope="module")
def cards(site: Path) -> list[dict]:
    text = (site / "assets" / "javascripts" / "practice-data.js").read_text(encoding="utf-8")
    return json.loads(re.search(r"window\.kbPracticeData = (.*);\s*$", text, re.DOTALL).group(1).replace("<\\/", "</"))["cards"]


@pytest.fixture(params=["file", "http"])
def practice_url(request: pytest.FixtureRequest, site: Path) -> str:
    if request.param == "file":
        return (site / "practice.html").as_uri()
    return request.getfixturevalue("base_url") + "practice.html"


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(accept_downloads=True)
    yield context
    context.close()


def open_practice(page: Page, url: str) -> str:
    """Open the Practice page; the id of the card it shows first."""
    page.goto(url)
    card = page.locator(".kb-practice-card")
    expect(card.locator("h2")).to_be_visible()
    return card.get_attribute("data-id") or ""


def stored(page: Page) -> dict:
    return json.loads(page.evaluate("localStorage.getItem('kb-practice-v1') || 'null'") or "null") or {}


def outside_requests(requests: list[str], allowed: str) -> list[str]:
    return [u for u in requests if not u.startswith((allowed, "data:", "blob:"))]


def test_flip_rate_reload_remembers_the_rating(context: BrowserContext, practice_url: str, cards: list[dict]):
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    first = open_practice(page, practice_url)
    record = next(c for c in cards if c["id"] == first)
    expect(page.locator(".kb-practice-card h2")).to_have_text(record["q"])
    expect(page.locator(".kb-practice-meta")).to_contain_text(f"{record['topic']} · {record['section']}")
    page.keyboard.press("Space")  # flips
    expect(page.locator(".kb-practice-answer")).to_be_visible()
    expect(page.locator(".kb-practice-rate")).to_have_count(4)
    page.keyboard.press("3")  # Good
    expect(page.locator(".kb-practice-status")).to_contain_text("Rated Good")
    page.reload()
    expect(page.locator(".kb-practice-card h2")).to_be_visible()
    assert page.locator(".kb-practice-card").get_attribute("data-id") != first  # no longer due: another card comes
    saved = stored(page)["cards"][first]
    assert saved["rating"] == "Good" and saved["reps"] == 1
    assert datetime.fromisoformat(saved["due"].replace("Z", "+00:00")) > datetime.now(UTC)
    expect(page.locator('[data-count="due"]')).to_have_text("0")
    allowed = "file://" if practice_url.startswith("file:") else practice_url.rsplit("/", 1)[0]
    assert not outside_requests(requests, allowed), outside_requests(requests, allowed)
    assert any(u.endswith("ts-fsrs.umd.js") for u in requests) and any(u.endswith("practice-data.js") for u in requests)


def test_export_clear_import_brings_progress_back(context: BrowserContext, practice_url: str, tmp_path: Path):
    page = context.new_page()
    rated = []
    open_practice(page, practice_url)
    for key in ("4", "2"):  # Easy, then Hard on the next card
        rated.append(page.locator(".kb-practice-card").get_attribute("data-id"))
        page.locator(".kb-practice-show").click()
        page.keyboard.press(key)
        expect(page.locator(".kb-practice-status")).to_contain_text("Rated")
    before = stored(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Export progress").click()
    exported = tmp_path / "progress.json"
    download.value.save_as(exported)
    assert set(json.loads(exported.read_text())["cards"]) == set(rated)
    page.evaluate("localStorage.clear()")
    page.reload()
    expect(page.locator('[data-count="learned"]')).to_be_visible()
    assert stored(page) == {}
    assert page.locator(".kb-practice-card").get_attribute("data-id") == rated[0]  # new again
    page.locator("#kb-practice-import").set_input_files(str(exported))
    expect(page.locator(".kb-practice-status")).to_contain_text("Progress imported (2 cards)")
    assert stored(page)["cards"] == before["cards"]
    page.reload()
    assert page.locator(".kb-practice-card").get_attribute("data-id") not in rated
    page.get_by_role("button", name="Reset progress").click()  # and a reset forgets it
    page.get_by_role("button", name="Yes, reset").click()
    assert stored(page)["cards"] == {}


def test_filter_by_section_shows_only_its_questions(context: BrowserContext, practice_url: str, cards: list[dict]):
    page = context.new_page()
    open_practice(page, practice_url)
    page.locator(".kb-practice-filters summary").click()
    for box in page.locator('input[name="section"]').all():
        if box.get_attribute("value") != "Engineering":
            box.uncheck()
    engineering = {c["id"] for c in cards if c["section"] == "Engineering"}
    expect(page.get_by_text(f"{len(engineering)} questions chosen")).to_be_visible()
    for _ in range(6):
        assert page.locator(".kb-practice-card").get_attribute("data-id") in engineering
        expect(page.locator(".kb-practice-meta")).to_contain_text("· Engineering")
        page.keyboard.press("Space")
        page.keyboard.press("4")
    # a topic page's "Practise this page" link opens Practice on that topic
    topic = next(c for c in cards if c["section"] == "Engineering")
    page.goto(practice_url.replace("practice.html", topic["url"].split("#")[0]))
    page.get_by_role("link", name="Practise this page").click()
    expect(page.locator(".kb-practice-card h2")).to_be_visible()
    for _ in range(3):
        expect(page.locator(".kb-practice-meta")).to_contain_text(f"{topic['topic']} · Engineering")
        if page.locator(".kb-practice-show").count() == 0:
            break
        page.keyboard.press("Space")
        page.keyboard.press("4")
        if page.locator(".kb-practice-done").count():
            break


def test_answer_shows_rendered_html_and_unanswered_asks_to_answer_aloud(context: BrowserContext, practice_url: str, cards: list[dict]):
    page = context.new_page()
    listed = next(c for c in cards if "<li>" in c["a"])
    url = practice_url + "?topic=" + listed["topicSlug"] + "&answered=1"
    open_practice(page, url)
    for _ in range(40):  # rate Easy until the card with a list comes up
        if page.locator(".kb-practice-card").get_attribute("data-id") == listed["id"]:
            break
        page.keyboard.press("Space")
        page.keyboard.press("4")
    page.keyboard.press("Space")
    expect(page.locator(".kb-practice-answer li").first).to_be_visible()
    unanswered = next(c for c in cards if not c["a"])
    page.goto(practice_url + "?topic=" + unanswered["topicSlug"])
    for _ in range(60):
        expect(page.locator(".kb-practice-card h2")).to_be_visible()
        if page.locator(".kb-practice-card").get_attribute("data-id") == unanswered["id"]:
            break
        page.keyboard.press("Space")
        page.keyboard.press("4")
    page.keyboard.press("Space")
    expect(page.locator(".kb-practice-unanswered")).to_contain_text("Answer it aloud")


def test_drill_runs_n_questions_and_shows_the_summary(context: BrowserContext, practice_url: str):
    page = context.new_page()
    open_practice(page, practice_url)
    page.get_by_label("Interview drill:").fill("3")
    page.get_by_role("button", name="Start drill").click()
    seen = []
    for n in range(1, 4):
        expect(page.locator(".kb-practice-label")).to_have_text(f"Drill: question {n} of 3")
        expect(page.locator(".kb-practice-timer")).to_have_text(re.compile(r"^\d+:\d\d$"))
        seen.append(page.locator(".kb-practice-card").get_attribute("data-id"))
        page.keyboard.press("Space")
        expect(page.locator(".kb-practice-timer")).to_have_text(re.compile(r"^Time: \d+:\d\d$"))
        page.keyboard.press("3" if n != 2 else "1")
    expect(page.locator("#kb-practice-summary")).to_have_text("Drill summary")
    expect(page.locator("table.kb-practice-summary tbody tr")).to_have_count(3)
    expect(page.locator(".kb-practice-summary-line")).to_contain_text("You knew 2 of 3")
    assert len(set(seen)) == 3
    assert stored(page) == {}  # a drill leaves the schedule alone


def test_no_serious_accessibility_violations_on_practice(browser: Browser, base_url: str):
    page = browser.new_page()
    open_practice(page, base_url + "practice.html?section=Engineering")
    page.keyboard.press("Space")
    page.locator(".kb-practice-filters summary").click()
    assert_no_serious_violations(page)
    page.close()


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("phone", {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}),
        ("dark", {"viewport": {"width": 1280, "height": 900}, "color_scheme": "dark"}),
    ],
)
def test_practice_screenshots(browser: Browser, site: Path, name: str, options: dict):
    context = browser.new_context(**options)
    page = context.new_page()
    open_practice(page, (site / "practice.html").as_uri() + "?answered=1")
    page.locator(".kb-practice-show").click()
    box = page.locator(".kb-practice-card").bounding_box()
    assert box and box["width"] <= options["viewport"]["width"]  # fits the screen
    if name == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= options["viewport"]["width"]
    else:
        background = page.evaluate("getComputedStyle(document.querySelector('.kb-practice-card')).backgroundColor")
        channels = [int(x) for x in re.findall(r"\d+", background)[:3]]
        assert sum(channels) < 3 * 100, background  # the card follows the dark scheme
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"practice-{name}.png"), full_page=True)
    context.close()
