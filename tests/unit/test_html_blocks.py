"""The HTML blocks kb writes into pages, set aside for MkDocs (hooks/html_blocks.py) and put back: the page
Markdown renders is the same with or without them set aside, and nothing else is ever taken out."""

from __future__ import annotations

import markdown

from kb.emit import put_back_html, set_aside_html
from kb.emit.answers import EXTENSIONS
from kb.model.marks import MARKDOWN_HEADER
from kb.pipeline import Build

MARK = "kb-html-test"


def render(text: str) -> str:
    return markdown.Markdown(extensions=[*EXTENSIONS, "toc"], extension_configs={"pymdownx.highlight": {"anchor_linenums": True}}).convert(text)


def test_every_generated_page_renders_the_same_with_its_html_blocks_set_aside(corpus: Build):
    pages = {path: text.split("\n---\n", 1)[1] for path, text in corpus.files.items() if path.endswith(".md")}
    set_aside = 0
    for path, page in pages.items():
        assert page.startswith(MARKDOWN_HEADER), path
        text, blocks = set_aside_html(page, MARK)
        assert put_back_html(text, MARK, blocks) == (page, len(blocks)), path  # only whole lines were taken out
        if blocks and not path.startswith("sources/"):  # (a listing is one block: rendering it is slow and proves nothing more)
            assert put_back_html(render(text), MARK, blocks) == (render(page), len(blocks)), path
        set_aside += len(blocks)
    assert set_aside > 500


def test_html_in_code_and_html_that_markdown_reads_stay_in_the_page():
    page = "\n".join([
        MARKDOWN_HEADER, "", "# Title", "", '<p class="kb-source">Asked in x</p>', "",
        "```html", "", '<p class="kb-source">in a fence</p>', "", "```", "",
        "    ~~~~", "", "<ul>", "<li>inside an indented fence</li>", "</ul>", "", "    ~~~~", "",
        '<h3 id="x_y" markdown="span">A *heading*</h3>', "",
        '<div class="kb-listing">', "<p>not closed before the blank line", "", "</div>", "",
        "<details class=\"success\">", "<summary>Answer</summary>", "<details><summary>inner</summary>", "</details>", "</details>", "",
    ])
    text, blocks = set_aside_html(page, MARK)
    assert blocks == ['<p class="kb-source">Asked in x</p>',
                      '<details class="success">\n<summary>Answer</summary>\n<details><summary>inner</summary>\n</details>\n</details>']
    assert "in a fence" in text and "inside an indented fence" in text and 'markdown="span"' in text and "not closed" in text
    assert put_back_html(text, MARK, blocks) == (page, 2)
