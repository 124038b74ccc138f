"""Questions are the results: a reader's queries put the question in front of them, and open its answer.

Terms only inside answers, terms that are also page tags or glossary entries (which Material ranks
first by itself), and plurals: the expected question is among the first five visible results (no
"N more on this page" to unfold), it says where it is and shows a snippet, and clicking it shows the
query's word inside its opened answer. No request leaves the machine, over HTTP or from file://.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

RESULTS = ".md-search-result__list a.md-search-result__link"

# (query, id of the question expected among the first five results, is the word inside its answer)
QUERIES = [
    ("SMOTE", "explain-how-you-approach-the-problem-of-imbalanced-data-in-machine-learning", True),  # tag + glossary, answer only
    ("smote", "explain-how-you-approach-the-problem-of-imbalanced-data-in-machine-learning", True),
    ("TensorBoard", "what-are-your-preferred-deep-learning-frameworks-eg-tensorflow-pytorch", True),  # answer only
    ("attention", "what-is-attention-what-is-the-use-of-it-and-how-it-can-improve-and-specially-for-large-problem", False),  # tag + glossary
    ("attentions", "what-is-attention-what-is-the-use-of-it-and-how-it-can-improve-and-specially-for-large-problem", False),  # plural
    ("overfitting", "explain-the-concept-of-overfitting-and-regularization-in-machine-learning-what-techniques-are-used-to-address-overfitting", True),
    # plural, in the answer
    ("gradients", "compare-and-contrast-convolutional-neural-networks-cnns-and-recurrent-neural-networks-rnns-where-would-you-use-each", True),
]


def visible_results(page: Page, query: str) -> list[str]:
    page.wait_for_load_state("networkidle")  # the search worker has its index
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(query, delay=20)
    expect(page.locator(RESULTS).first).to_be_visible(timeout=10_000)
    page.wait_for_timeout(200)  # the last keystroke's results replace the earlier ones
    return [a.get_attribute("href") or "" for a in page.locator(RESULTS).all() if a.is_visible()]


@pytest.fixture(scope="module")
def records(site: Path) -> dict[str, dict]:
    return {r["id"]: r for r in json.loads((site / "questions.json").read_text())["questions"]}


@pytest.mark.parametrize(("query", "expected", "in_answer"), QUERIES)
def test_the_question_is_among_the_first_five_and_opens_on_the_word(
    browser: Browser, base_url: str, records: dict[str, dict], query: str, expected: str, in_answer: bool
):
    record = records[expected]
    assert (query.lower().rstrip("s")[:6] in record["answer"].lower()) == in_answer
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(base_url + "index.html")
    first = visible_results(page, query)[:5]
    assert any(h.endswith("#" + expected) for h in first), f"{query!r}: {record['question']!r} not in the first five: {first}"
    # the questions come before the Glossary and the Tags page
    questions = [i for i, h in enumerate(first) if "#" in h and not re.search(r"(glossary|tags)\.html", h)]
    assert questions and questions[0] == 0, first

    link = page.locator(f"{RESULTS}[href$='#{expected}']").first
    expect(link.locator(".kb-search-where")).to_have_text(f"{record['section']} › {record['topic']}")
    expect(link.locator("h2")).to_contain_text(record["question"][:20])
    if in_answer:
        expect(link.locator("p mark, mark").first).to_be_visible()  # the snippet shows the word
    link.click()
    page.wait_for_url(re.compile("#" + re.escape(expected)))
    heading = page.locator(f"[id='{expected}']")
    if in_answer:
        answer = page.locator(f"[id='{expected}'] ~ details").first
        expect(answer).to_have_attribute("open", "")
        mark = answer.locator("mark[data-md-highlight]").first
        expect(mark).to_be_in_viewport()
        assert query.lower()[:5] in mark.inner_text().lower()
    else:
        expect(heading).to_be_in_viewport()
        expect(heading.locator("mark[data-md-highlight]").first).to_be_visible()
    page.close()
    assert all(u.startswith(base_url) for u in requests), [u for u in requests if not u.startswith(base_url)]


def test_a_page_result_scrolls_to_the_word_inside_a_closed_answer(browser: Browser, base_url: str):
    page = browser.new_page()
    page.goto(base_url + "deep-learning-and-nlp/deep-learning.html?h=tensorboard")
    mark = page.locator("details mark[data-md-highlight]").first
    expect(mark).to_be_in_viewport()
    page.close()


def test_from_disk_the_question_comes_first_too(browser: Browser, site: Path):
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto((site / "index.html").as_uri())
    first = visible_results(page, "SMOTE")[:5]
    assert first[0].split("?")[0].endswith("foundations/classical-ml.html"), first
    assert first[0].endswith("#explain-how-you-approach-the-problem-of-imbalanced-data-in-machine-learning"), first
    page.locator(RESULTS).first.click()
    answer = page.locator("[id='explain-how-you-approach-the-problem-of-imbalanced-data-in-machine-learning'] ~ details").first
    expect(answer).to_have_attribute("open", "")
    expect(answer.locator("mark[data-md-highlight]").first).to_be_in_viewport()
    leaving = [u for u in requests if not u.startswith(("file://", "data:", "blob:"))]
    assert not leaving, leaving
    page.close()


@pytest.mark.parametrize(("query", "section"), [("overfitting", "Foundations"), ("gradient", "Deep learning and NLP")])
def test_the_section_filter_narrows_the_results_to_its_questions(
    browser: Browser, base_url: str, records: dict[str, dict], query: str, section: str
):
    page = browser.new_page()
    page.goto(base_url + "index.html")
    everything = visible_results(page, query)
    page.locator(".kb-search-filters select[name=section]").select_option(section)
    page.wait_for_timeout(200)
    hrefs = [a.get_attribute("href") or "" for a in page.locator(RESULTS).all() if a.is_visible()]
    assert hrefs and len(hrefs) < len(everything), (hrefs, everything)
    assert all(records[h.split("#")[1]]["section"] == section for h in hrefs), hrefs
    page.close()


@pytest.mark.parametrize("where", ["http", "file"])
def test_the_answer_filter_leaves_the_unanswered_or_the_answered_questions(
    browser: Browser, base_url: str, site: Path, records: dict[str, dict], where: str
):
    """A reader preparing for an interview narrows "model" to the questions the notes do not answer
    yet, then to those they answer: over HTTP (Pagefind) and from file:// (Material's search)."""
    page = browser.new_page()
    page.goto(base_url + "index.html" if where == "http" else (site / "index.html").as_uri())
    everything = [(h.partition("#")[2]) for h in visible_results(page, "model")]
    assert {records[i]["answered"] for i in everything if i in records} == {True, False}, everything  # something to filter out
    for choice in ("unanswered", "answered"):
        page.locator(".kb-search-filters select[name=answer]").select_option(choice)
        page.wait_for_timeout(200)
        ids = [(a.get_attribute("href") or "").partition("#")[2] for a in page.locator(RESULTS).all() if a.is_visible()]
        questions = [records[i] for i in ids if i in records]
        assert questions, (choice, ids, everything)
        assert all(r["answered"] == (choice == "answered") for r in questions), [(r["id"], r["answered"]) for r in questions]
        if choice == "unanswered":  # questions only: no pages, no blocks of notes
            assert len(questions) == len(ids), ids
    page.close()


def test_over_http_more_pages_results_come_when_scrolling_to_the_end(browser: Browser, base_url: str):
    """Pagefind's results are loaded for the first four pages, then four more when the reader
    scrolls to the end of the list (search-pagefind.js): the pages the results come from grow."""
    page = browser.new_page()
    page.goto(base_url + "index.html")

    def pages() -> set[str]:
        return {(a.get_attribute("href") or "").split("?")[0].split("#")[0] for a in page.locator(RESULTS).all()}

    visible_results(page, "model")
    first = pages()
    assert 0 < len(first) <= 4, first
    for _ in range(10):  # Material renders the results in batches as the list scrolls, too
        page.locator(".md-search__scrollwrap").evaluate("list => list.scrollTo(0, list.scrollHeight)")
        page.wait_for_timeout(300)
    assert len(pages()) > len(first), (first, pages())
    page.close()
