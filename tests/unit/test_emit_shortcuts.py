"""The shortcuts emit takes for speed write what the plain ways write: term links (searched per line before
per piece), questions.json (encoded without json's Python encoder), the source listings (escaped a note at a time)."""

from __future__ import annotations

import html
import json
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kb.emit.questions_json import indented_json
from kb.model import Slug, Term, Topic

topic_page = sys.modules["kb.emit.topic_page"]  # the package exports a function of that name
source_pages = sys.modules["kb.emit.source_pages"]

HERE = Topic(Slug("web"), "Web", "Engineering", Slug("engineering"), ())
ASP = Term("ASP", Slug("asp"), "Active Server Pages")
NET = Term(".NET", Slug("dotnet"), "A platform")
LSTM = Term("LSTM", Slug("lstm"), 'Long "short-term" memory', aliases=("long short-term memory",))
REST = Term("REST", Slug("rest"), "", exact=True)


def _link(slug: str, text: str, title: str = "") -> str:
    return f'<a href="../glossary.html#{slug}"' + (f' title="{title}"' if title else "") + f">{text}</a>"


LSTM_TITLE = "Long 'short-term' memory"


@pytest.mark.parametrize(("lines", "terms", "expected"), [
    # right after a link, a term the line's own characters would not let start there is linked (as piece by piece)
    (["ASP.NET runs on .NET"], (ASP, NET), [_link("asp", "ASP", "Active Server Pages") + _link("dotnet", ".NET", "A platform") + " runs on .NET"]),
    (["`LSTM` and [LSTM](https://x.org) then LSTM"], (LSTM,), ["`LSTM` and [LSTM](https://x.org) then " + _link("lstm", "LSTM", LSTM_TITLE)]),
    (["only `LSTM` here", "", "an LSTM there, and REST"], (LSTM, REST),
     ["only `LSTM` here", "", "an " + _link("lstm", "LSTM", LSTM_TITLE) + " there, and " + _link("rest", "REST")]),
    (["the rest of REST", "# LSTM heading", "```", "LSTM", "```", "a long short-term memory"], (REST, LSTM),
     ["the rest of " + _link("rest", "REST"), "# LSTM heading", "```", "LSTM", "```", "a " + _link("lstm", "long short-term memory", LSTM_TITLE)]),
    (['<a href="x">LSTM</a>{ .LSTM } &LSTM; LSTM'], (LSTM,), ['<a href="x">LSTM</a>{ .LSTM } &LSTM; ' + _link("lstm", "LSTM", LSTM_TITLE)]),
    (["LSTMs and REST"], (REST, LSTM), [_link("lstm", "LSTMs", LSTM_TITLE) + " and " + _link("rest", "REST")]),
])
def test_the_first_free_mention_of_each_term_is_linked(lines: list[str], terms: tuple[Term, ...], expected: list[str]):
    assert topic_page._linked(lines, terms, HERE) == expected


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@given(_JSON)
def test_questions_json_is_written_as_json_writes_it(value: object):
    assert indented_json(value) == json.dumps(value, ensure_ascii=False, indent=1)


@given(st.lists(st.text(alphabet=st.sampled_from("a \t&<>\"'\r\x0b\u2028é"), max_size=12), max_size=6))
def test_a_listing_shows_each_line_as_escaping_it_alone_would(lines: list[str]):
    assert source_pages._shown(tuple(lines)) == [html.escape(line.expandtabs(4), quote=False) for line in lines]
