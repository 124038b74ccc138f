"""Markdown for every emitter: note text escaped, URLs made safe, note content as lines, and the
pieces every page has (front matter, headings with ids, anchors, links between pages, the final join)."""

from __future__ import annotations

import html
import json
import posixpath
import re
from functools import lru_cache

from ..model import Code, Content, Item, ItemList, Label, Link, Paragraph, Text, Topic
from ..model.names import PagePath, page_url

_URL = re.compile(r"https?://[^\s<>()\[\]\"'`]+[^\s<>()\[\]\"'`.,;:!?]")
_SAFE_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:", re.IGNORECASE)
_IGNORED_BY_BROWSERS = "".join(map(chr, range(0x21)))
"""Browsers strip C0 controls and spaces around a URL, and drop tabs and newlines inside it."""
_PLAIN = str.maketrans({"\t": "    ", "&": "&amp;", "<": "&lt;", ">": "&gt;", **{c: "\\" + c for c in "\\`*_{}[]|"}})
"""escape_plain's characters: tabs expanded, HTML's specials as entities, Markdown's backslash-escaped."""
_KEY = re.compile(r"\+(?=\+[\w-])")
_NUMBERED = re.compile(r"^(\s*\d+)([.)])(?=\s)")
_ATTRIBUTE = str.maketrans({'"': "&quot;", **{c: f"&#{ord(c)};" for c in "\\`*_[]{}|+"}})
_BLOCK_START = re.compile(r"^(\s*)(#|[-+*](?=\s)|\d+(?=[.)]\s)|=+\s*$|-+\s*$|!!!|\?\?\?|///|\[TOC\])", re.IGNORECASE)
_INLINE = re.compile(r"""
    (?P<link>!?\[(?P<text>[^\[\]\n]*)\]\(              # [text]( or ![alt](
        \s*(?P<url><[^<>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)   # target, maybe <wrapped>, maybe (parens)
        (?:\s+(?P<title>"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'))?  # optional "title"
    \s*\))
    | (?P<autolink><https?://[^<>\s]*>)                # <https://...>
    | (?P<html><)                                      # raw HTML and comments
    | (?P<open>\]\()                                   # a link target the pattern above did not take
    | (?P<definition>\[(?=[^\[\]\n]*\]:))              # [ref]: url and *[abbr]: text definitions
    | (?P<attrs>[{}])                                  # { #id .class } attribute lists
    | (?P<key>\+(?=\+[\w-]))                           # ++ctrl++ keys
""", re.VERBOSE)
_INLINE_START = re.compile(r"[\[\]<{}+]")
"""A character every match of _INLINE holds: text without any has nothing to sanitize (a quick test first)."""
_MAYBE_BLOCK_START = re.compile(r"^[^\S\n]*[#\-+*\d=!?/\[]", re.MULTILINE | re.IGNORECASE)
"""A line that _BLOCK_START could match starts (after spaces) with one of these: lines without any are left as
they are (a quick test of the whole text first)."""
_TRAILING_SPACE = re.compile(r"[^\S\n](?:\n|$)")
"""Whitespace at the end of a line (a quick test before stripping every line)."""
_BLANK_LINES = re.compile(r"\n{3,}")
_CODE_SPAN = re.compile(r"(`+[^`]*?`+)")


# --- text and URLs ---------------------------------------------------------------------------------


def escape(text: str) -> str:
    """Plain text as Markdown that renders exactly that text (URLs become links)."""
    if "://" in text:
        out = []
        position = 0
        for match in _URL.finditer(text):
            before = escape_plain(text[position:match.start()])
            out.append(before[:-1] + "\\!" if before.endswith("!") else before)  # "![" would make the link an image
            out.append(url_link(match.group(0)))
            position = match.end()
        out.append(escape_plain(text[position:]))
        text = "".join(out)
    else:
        text = escape_plain(text)
    if _NUMBERED.match(text):
        text = _NUMBERED.sub(r"\1\\\2", text)
    return _escape_line_start(text)


def escape_plain(text: str) -> str:
    text = text.translate(_PLAIN)
    return _KEY.sub(r"\\+", text) if "++" in text else text  # "++ctrl++" would be a key (pymdownx.keys); "C++" stays


def escape_html(text: str) -> str:
    """Plain text as HTML that shows exactly that text, URLs as links: what escape() renders to, for the
    parts of a page written as HTML (Markdown passes them through without parsing them)."""
    text = text.replace("\t", "    ")
    if "://" not in text:
        return html.escape(text, quote=False)
    out = []
    position = 0
    for match in _URL.finditer(text):
        out.append(html.escape(text[position:match.start()], quote=False))
        out.append(url_html(match.group(0)))
        position = match.end()
    out.append(html.escape(text[position:], quote=False))
    return "".join(out)


def attribute(text: str) -> str:
    """Text as an HTML attribute value (in double quotes) that also holds nothing Markdown's inline
    patterns read before they stash an inline tag (code spans, escapes, links): safe in a Markdown line."""
    return html.escape(text, quote=False).translate(_ATTRIBUTE)


def link_html(url: str, text: str, title: str = "") -> str:
    """An HTML link: url already a safe, escaped attribute value, text already HTML."""
    return f'<a href="{url}"' + (f' title="{attribute(title)}"' if title else "") + f">{text}</a>"


def safe_url(url: str) -> str | None:
    """The URL as a browser reads it (entities decoded, tabs and newlines dropped, outer spaces and
    controls stripped) if it is http, https, mailto or relative (one of our pages); else None."""
    url = re.sub(r"[\t\n\r]", "", html.unescape(url)).strip(_IGNORED_BY_BROWSERS)
    scheme = _SCHEME.match(url)
    if scheme and scheme.group(0)[:-1].lower() not in _SAFE_SCHEMES:
        return None
    return url


def url_link(url: str) -> str:
    """A URL from a note: a link showing the URL when it is safe, else the URL as plain text."""
    safe = safe_url(url)
    return f"[{escape_plain(url)}]({_url_markdown(safe)})" if safe else escape_plain(url)


def url_html(url: str) -> str:
    """url_link's HTML: the same href Python-Markdown writes for it, or the URL as plain text."""
    safe = safe_url(url)
    return link_html(_url_markdown(safe), html.escape(url, quote=False)) if safe else html.escape(url, quote=False)


def sanitize_markdown(text: str) -> str:
    """Inline Markdown from a Markdown note, with raw HTML, block syntax and unsafe links made harmless."""
    if "`" in text:
        out = []
        for index, piece in enumerate(_CODE_SPAN.split(text)):
            literal = index % 2 or not _INLINE_START.search(piece)  # code spans are literal already
            out.append(piece if literal else _INLINE.sub(_sanitize_inline, piece))
        text = "".join(out)
    elif _INLINE_START.search(text):
        text = _INLINE.sub(_sanitize_inline, text)
    if _TRAILING_SPACE.search(text):
        text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _escape_line_start(text)


# --- note content ----------------------------------------------------------------------------------


def content(pieces: tuple[Content, ...]) -> list[str]:
    """A note's content (paragraphs, labels, lists, code, links) as Markdown lines."""
    out: list[str] = []
    for piece in pieces:
        if out:
            out.append("")
        if isinstance(piece, Paragraph):
            out += _text(piece.text).split("\n")
        elif isinstance(piece, Label):
            out.append(f"**{_text(piece.text)}**")
        elif isinstance(piece, ItemList):
            out += _list(piece)
        elif isinstance(piece, Code):
            fence = "`" * max(3, _longest_run(piece.text, "`") + 1)
            out += [f"{fence}{piece.language}", *piece.text.split("\n"), fence]
        elif isinstance(piece, Link):
            out.append(url_link(piece.url))
    return out


def indent(lines: list[str]) -> list[str]:
    return [("    " + line) if line else "" for line in lines]


# --- page pieces -----------------------------------------------------------------------------------


def front_matter(title: str, description: str, search: bool = True, tags: tuple[str, ...] = ()) -> str:
    lines = ["---", f"title: {json.dumps(title, ensure_ascii=False)}"]
    if description:
        lines.append(f"description: {json.dumps(description, ensure_ascii=False)}")
    if tags:
        lines += ["tags:", *(f"  - {json.dumps(tag, ensure_ascii=False)}" for tag in tags)]
    if not search:
        lines += ["search:", "  exclude: true"]
    return "\n".join(lines + ["---"])


def heading(level: int, text: str, anchor: str) -> str:
    """A heading (text: Markdown) with its id. Python-Markdown reads a heading's text, attribute list
    included, for emphasis before it sets the id, so '{ #what-is-_init_ }' would lose its underscores
    (and an escaped '\\_' leaves a placeholder where MkDocs checks anchors): such ids are given in HTML."""
    if "_" in anchor:
        return f'<h{level} id="{anchor}" markdown="span">{text}</h{level}>'
    return f"{'#' * level} {text} {{ #{anchor} }}"


def anchor_html(anchor: str, label: str) -> str:
    """An empty element with this id, labelled for screen readers, as HTML (what `[](){ #id aria-label=… }`
    rendered to; a <div> where '_' could have made emphasis of the attribute list)."""
    if "_" in anchor + label:
        return f'<div aria-label="{html.escape(label)}" id="{anchor}"></div>'
    return f'<p><a aria-label="{html.escape(label)}" href="" id="{anchor}"></a></p>'


def page_link(here: Topic, there: Topic | str) -> str:
    """The relative link from one page of docs/ to another (a topic, or a path inside docs/)."""
    return _relative(here.path, there.path if isinstance(there, Topic) else there)


def page_href(here: Topic | str, there: Topic | str) -> str:
    """The relative URL from one page to the built page of another (.html, as the site's URLs are), for
    links written in HTML, which MkDocs neither rewrites nor checks (`kb check-site` does)."""
    return _href(here.path if isinstance(here, Topic) else here, there.path if isinstance(there, Topic) else there)


@lru_cache(maxsize=1 << 16)
def _href(here: str, there: str) -> str:
    return _relative(here, page_url(PagePath(there)))


@lru_cache(maxsize=1 << 16)
def _relative(here: str, there: str) -> str:
    return posixpath.relpath(there, posixpath.dirname(here) or ".")


def join(lines: list[str]) -> str:
    """A page's lines as one file: at most one blank line in a row, one newline at the end."""
    text = "\n".join(lines)
    if "\n\n\n" in text:
        text = _BLANK_LINES.sub("\n\n", text)
    return text.rstrip("\n") + "\n"


# --- helper functions ------------------------------------------------------------------------------


def _url_markdown(url: str) -> str:
    """A safe URL as a Markdown link target: characters that could end it or start markup percent-encoded."""
    encoded = re.sub(r"[\x00-\x20<>\"'()\\`\x7f]", lambda m: f"%{ord(m.group(0)):02X}", url)
    return encoded.replace("&", "&amp;")  # Python-Markdown passes entities through to the href


def _escape_line_start(text: str) -> str:
    """Lines that would start a heading, list, admonition or rule start with an entity instead."""
    if not _MAYBE_BLOCK_START.search(text):
        return text
    return "\n".join(_BLOCK_START.sub(_entity_first, line) for line in text.split("\n"))


def _entity_first(match: re.Match[str]) -> str:
    marker = match.group(2)
    if marker[0].isdigit():  # numbered lines are escaped by the caller ('1\\. ')
        return match.group(0)
    return f"{match.group(1)}&#{ord(marker[0])};{marker[1:]}"


def _sanitize_inline(match: re.Match[str]) -> str:
    if match.group("link"):
        url = safe_url(match.group("url").removeprefix("<").removesuffix(">"))
        if url is None:
            return escape_plain(match.group(0))
        title = re.sub(r"\\(.)", r"\1", (match.group("title") or "")[1:-1])  # without quotes and backslash escapes
        title = f' "{html.escape(title)}"' if title else ""
        bang = "!" if match.group(0).startswith("!") else ""
        return f"{bang}[{_INLINE.sub(_sanitize_inline, match.group('text'))}]({_url_markdown(url)}{title})"
    if match.group("autolink"):
        return url_link(match.group("autolink")[1:-1])
    return {"<": "&lt;", "](": "]\\(", "[": "\\[", "{": "\\{", "}": "\\}", "+": "\\+"}[match.group(0)]


def _list(items: ItemList) -> list[str]:
    out: list[str] = []
    for number, item in enumerate(items.items, start=items.start):
        marker = f"{number}. " if items.ordered else "- "
        head = _item_head(item)
        lines = head.split("\n") if head else [""]
        out.append(marker + lines[0])
        out += indent(lines[1:])
        if item.children:
            children = content(item.children)
            if any(not isinstance(c, ItemList) for c in item.children):
                out.append("")
            out += indent(children)
    return out


def _item_head(item: Item) -> str:
    text = _text(item.text)
    if item.label:
        return f"**{escape(item.label)}:** {text}".rstrip()
    return text if text else "&nbsp;"


def _text(text: Text) -> str:
    return sanitize_markdown(text.value) if text.markdown else escape(text.value)


def _longest_run(text: str, char: str) -> int:
    runs = re.findall(f"{re.escape(char)}+", text)
    return max((len(r) for r in runs), default=0)


# --- HTML blocks -----------------------------------------------------------------------------------

_HTML_OPENER = re.compile(r"<(p|div|details|ul)[ >]")
"""How the HTML blocks kb writes into pages open (at the start of a line, after a blank line)."""
_FENCE_LINE = re.compile(r"^\s*(`{3,}|~{3,})")


def set_aside_html(page: str, mark: str) -> tuple[str, list[str]]:
    """A generated page with each HTML block kb wrote replaced by the comment `<!-- mark:N -->`, and the
    blocks (put_back_html restores them in the rendered page). For a site builder in a hurry: Python-
    Markdown reads every tag of raw HTML (twice under MkDocs) only to pass the block through unchanged.

    A block opens at the start of a line after a blank line, outside code fences (where note text could
    look like anything), with one of the elements kb writes, and ends on the line where that element
    closes, before a blank line. Note text can hold no '<' of its own (emit escapes it), so counting the
    element's tags finds its end. A block that asks Markdown to read its content (markdown="…"), or
    that holds a blank line, stays: Markdown decides what it is."""
    lines = page.split("\n")
    out: list[str] = []
    blocks: list[str] = []
    fence = ""
    index = 0
    while index < len(lines):
        line = lines[index]
        opener = _FENCE_LINE.match(line)
        if fence:
            if opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence) and not line.strip().strip(fence[0]):
                fence = ""
        elif opener:
            fence = opener.group(1)
        elif (element := _HTML_OPENER.match(line)) and (not out or not out[-1]) and "markdown=" not in line:
            end = _block_end(lines, index, element.group(1))
            if end is not None:
                blocks.append("\n".join(lines[index:end + 1]))
                out.append(f"<!-- {mark}:{len(blocks) - 1} -->")
                index = end + 1
                continue
        out.append(line)
        index += 1
    return "\n".join(out), blocks


def put_back_html(html_text: str, mark: str, blocks: list[str]) -> tuple[str, int]:
    """The rendered page with the blocks set_aside_html took out back in place, and how many it put back."""
    put: list[int] = []

    def block(match: re.Match[str]) -> str:
        put.append(int(match.group(1)))
        return blocks[int(match.group(1))]

    text = re.sub(rf"<!-- {re.escape(mark)}:(\d+) -->", block, html_text)
    return text, len(set(put))


def _block_end(lines: list[str], start: int, element: str) -> int | None:
    """The index of the line where the element opened on lines[start] closes, if a blank line (or the
    end) follows it and no blank line or anything asking Markdown to read it comes before; else None."""
    opening, closing = re.compile(rf"<{element}[ >]"), f"</{element}>"
    depth = 0
    for index in range(start, len(lines)):
        line = lines[index]
        if index > start and ("markdown=" in line or not line):
            return None
        depth += len(opening.findall(line)) - line.count(closing)
        if depth <= 0:
            return index if index + 1 == len(lines) or not lines[index + 1] else None
    return None
