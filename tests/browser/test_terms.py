"""Term links in a real browser: hovering shows the definition, a click lands on the glossary entry."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, expect

from kb import files
from kb.config import load_config

from .conftest import ROOT


def test_hovering_a_term_shows_its_definition_and_a_click_explains_it(browser: Browser, base_url: str):
    glossary = {t.slug: t for t in load_config(files.read_config(ROOT / "config")).glossary}
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(base_url + "large-language-models/fine-tuning.html")
    link = page.locator(".kb-tags a[href$='glossary.html#lora']").first
    link.hover()
    tooltip = page.locator(".md-tooltip2--active")
    expect(tooltip).to_be_visible()
    expect(tooltip).to_have_text(glossary["lora"].definition.replace('"', "'"))
    link.click()
    page.wait_for_url(re.compile(r"glossary\.html#lora$"))
    entry = page.locator("#lora")
    expect(entry).to_be_in_viewport()
    expect(page.locator("#lora + p")).to_have_text(glossary["lora"].definition)
    page.close()


def test_a_term_inside_an_open_answer_is_linked_in_the_text(browser: Browser, base_url: str):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(base_url + "large-language-models/generative-models.html")
    answer = page.locator("details:has(a[href*='glossary.html#'])").first
    expect(answer).not_to_have_attribute("open", "")  # collapsed until the reader opens it
    answer.locator("summary").click()
    linked = answer.locator("a[href*='glossary.html#']")
    expect(linked.first).to_be_visible()
    linked.first.hover()
    expect(page.locator(".md-tooltip2--active")).to_be_visible()
    page.close()
