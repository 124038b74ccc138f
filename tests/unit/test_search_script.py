"""The search script reads what the emitters write: the two must agree on the words."""

from __future__ import annotations

import re
from pathlib import Path

from kb.emit.topic_page import UNANSWERED

SCRIPT = Path(__file__).resolve().parents[2] / "docs" / "assets" / "javascripts" / "search-results.js"


def test_the_unanswered_filter_looks_for_the_box_topic_pages_write():
    found = re.search(r"var UNANSWERED = /(.+?)/;", SCRIPT.read_text(encoding="utf-8"))
    assert found, "search-results.js no longer defines UNANSWERED"
    assert re.search(found.group(1), f"!!! warning {UNANSWERED}")
    assert re.fullmatch(found.group(1), UNANSWERED)
