"""Markdown for every emitter: note text escaped, URLs made safe, note content as lines, and the
pieces every page has (front matter, headings with ids, anchors, links between pages, the final join)."""

from __future__ import annotations

import html
import json
import posixpath
import re

from ..model import Code, Content, Item, ItemList, Label, Link, Paragraph, Text, Topic

_URL = re.compile(r"https?://[^\s<>()\[\]\"'`]+[^\s<>()\[\]\"'`.,;:!?]")
_SAFE_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:", re.IGNORECASE)
_IGNORED_BY_BROWSERS = "".join(map(chr, range(0x21)))
"""Browsers strip C0 controls and spaces around a URL, and drop tabs and newlines inside it."""
_SPECIAL = re.compile(r"([\\`*_{}\[\]|])")
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


# --- text and URLs ---------------------------------------------------------------------------------


def escape(text: str) -> str:
    """Plain text as Markdown that renders exactly that text (URLs become links)."""
    out = []
    position = 0
    for match in _URL.finditer(text):
        out.append(escape_plain(text[position:match.start()]))
        out.append(url_link(match.group(0)))
        position = match.end()
    out.append(escape_plain(text[position:]))
    return _escape_line_start(re.sub(r"^(\s*\d+)([.)])(?=\s)", r"\1\\\2", "".join(out)))


def escape_plain(text: str) -> str:
    text = text.replace("\t", "    ").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _SPECIAL.sub(r"\\\1", text)
    return re.sub(r"\+(?=\+[\w-])", r"\\+", text)  # "++ctrl++" would be a key (pymdownx.keys); "C++" stays


def escape_cell(line: str) -> str:
    """A note line inside a table cell: escaped, with its indentation kept visible."""
    expanded = line.replace("\t", "    ")
    depth = len(expanded) - len(expanded.lstrip(" "))
    body = escape_plain(expanded.strip())  # escapes '|' already: escaping it again would end the cell
    return "&nbsp;" * depth + body


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


def sanitize_markdown(text: str) -> str:
    """Inline Markdown from a Markdown note, with raw HTML, block syntax and unsafe links made harmless."""
    out = []
    for index, piece in enumerate(re.split(r"(`+[^`]*?`+)", text)):
        out.append(piece if index % 2 else _INLINE.sub(_sanitize_inline, piece))  # code spans are literal already
    return _escape_line_start("\n".join(line.rstrip() for line in "".join(out).split("\n")))


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


def anchor(anchor: str, label: str) -> str:
    """An empty element with this id, labelled for screen readers (in HTML when '_' could make emphasis)."""
    if "_" in anchor + label:
        return f'<div id="{anchor}" aria-label="{html.escape(label)}" markdown="1"></div>'
    label = re.sub(r"[^\w .,:()-]", "", label)  # nothing that ends the value or makes markup
    return f'[](){{ #{anchor} aria-label="{label}" }}'


def page_link(here: Topic, there: Topic | str) -> str:
    """The relative link from one page of docs/ to another (a topic, or a path inside docs/)."""
    path = there.path if isinstance(there, Topic) else there
    return posixpath.relpath(path, posixpath.dirname(here.path) or ".")


def join(lines: list[str]) -> str:
    """A page's lines as one file: at most one blank line in a row, one newline at the end."""
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).rstrip("\n") + "\n"


# --- helper functions ------------------------------------------------------------------------------


def _url_markdown(url: str) -> str:
    """A safe URL as a Markdown link target: characters that could end it or start markup percent-encoded."""
    encoded = re.sub(r"[\x00-\x20<>\"'()\\`\x7f]", lambda m: f"%{ord(m.group(0)):02X}", url)
    return encoded.replace("&", "&amp;")  # Python-Markdown passes entities through to the href


def _escape_line_start(text: str) -> str:
    """Lines that would start a heading, list, admonition or rule start with an entity instead."""
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
