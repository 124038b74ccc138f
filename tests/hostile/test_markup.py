"""Note text is data: the project's notes plus hostile ones (tests/hostile/notes/) through
kb normalize, `mkdocs build --strict`, `kb check-site` and a real headless Chromium.

Nothing a note says may become live markup or script, and every line of every note must be
readable, whole, in its source listing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kb import files
from kb.cli import main
from kb.model.names import note_pages
from kb.read import read_note
from tests.conftest import copy_project

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = Path(__file__).parent / "notes"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("hostile"))
    for note in HOSTILE.iterdir():
        shutil.copy(note, project / "notes" / note.name)
    assert main(["--root", str(project), "normalize", "--quiet"]) == 0
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture(scope="module")
def site(project: Path) -> Path:
    return project / "site"


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if not p.relative_to(site).as_posix().startswith("assets/"))


class _Rows(HTMLParser):
    """A built source listing's lines: line number -> its text as the page shows it (without the number)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: dict[int, str] = {}
        self.line: int | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        anchor = re.fullmatch(r"L(\d+)", dict(attrs).get("id") or "")
        if tag == "wbr" and anchor:
            self.line = int(anchor.group(1))
            self.rows[self.line] = ""
        elif self.line is not None:
            self.line = None  # nothing but text inside a listing

    def handle_endtag(self, tag: str) -> None:
        self.line = None

    def handle_data(self, data: str) -> None:
        if self.line is not None:
            self.rows[self.line] += data

    def text(self, number: int) -> str:
        return re.sub(rf"^ *{number}(  )?", "", self.rows[number].removesuffix("\n"), count=1)


def collapse(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.slow
def test_every_note_line_is_whole_in_its_built_source_listing(project: Path, site: Path):
    names = [name for name, _ in files.read_notes(project / "notes")[0]]
    listing = note_pages(names)
    assert listing["index.txt"] == "sources/index-2.md"  # never the coverage page
    checked = 0
    for name, data in files.read_notes(project / "notes")[0]:
        note, _ = read_note(name, data)
        assert note is not None
        parser = _Rows()
        parser.feed((site / listing[name].replace(".md", ".html")).read_text())
        for number, line in enumerate(note.lines, start=1):
            if line.strip():
                assert parser.text(number) == line.expandtabs(4).rstrip(), f"notes/{name}:{number}"
                assert collapse(parser.rows[number]) == collapse(f"{number} {line}"), f"notes/{name}:{number}"
                checked += 1
    assert checked > 900  # the project's notes and the hostile ones


@pytest.mark.slow
def test_a_note_named_index_keeps_the_coverage_page_and_is_named_in_a_warning(project: Path, site: Path, capsys: pytest.CaptureFixture[str]):
    assert "Sources and coverage" in (site / "sources" / "index.html").read_text()
    assert "it must not replace the coverage page" in (site / "sources" / "index-2.html").read_text()
    main(["--root", str(project), "normalize", "--check"])
    assert "notes/index.txt: warning: its name makes the page name of the generated page sources/index.md" in capsys.readouterr().err


@pytest.mark.slow
def test_nothing_from_the_notes_is_live_markup(site: Path):
    made = [p for p in pages(site) if p != site / "index.html"]  # the home page is hand-written (it shows keys)
    text = "\n".join(m for p in made for m in re.findall(r"<article.*?</article>", p.read_text(), re.DOTALL))
    for live in ("<script", "<img/src", "<img src=x", "<svg", "<iframe", "<form", "<meta", "<b ", "<kbd", "<mark", "<abbr", 'class="evil"'):
        assert live not in text, live
    hrefs = re.findall(r'<a\b[^>]*href="([^"]*)"', text)
    ours = r"https?:|mailto:|[\w./-]*(?:\?topic=[\w-]+)?(?:#[\w:-]*)?$"  # the web, and our own pages (Practice filtered to a topic)
    assert [h for h in hrefs if not re.match(ours, h)] == []
    assert 'id="what-is-_init_-in-python"' in (site / "engineering" / "python.html").read_text()


@pytest.mark.slow
def test_check_site_passes_on_the_build_and_fails_naming_the_page_with_a_script(site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["check-site", "--site", str(site)]) == 0
    bad = tmp_path / "site"
    shutil.copytree(site, bad)
    page = bad / "sources" / "hostile-2.html"
    text = page.read_text()
    line = text.index('id="L13">') + len('id="L13">')
    page.write_text(text[:line] + "<script>alert(1)</script>" + text[line:])
    capsys.readouterr()
    assert main(["check-site", "--site", str(bad)]) == 1
    assert f"{bad}/sources/hostile-2.html: <script> in the content (near notes/hostile.txt, line 13)" in capsys.readouterr().err


@pytest.mark.slow
def test_check_site_fails_naming_a_link_that_does_not_land(site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    """Topic pages write their links in HTML, which MkDocs does not check: check-site does."""
    bad = tmp_path / "site"
    shutil.copytree(site, bad)
    page = bad / "engineering" / "python.html"
    text = page.read_text()
    source = re.search(r'href="(\.\./sources/[\w-]+\.html)#L(\d+)"', text)
    term = re.search(r'href="\.\./glossary\.html#([\w-]+)"', text)
    assert source and term
    text = text.replace(source.group(0), f'href="{source.group(1)}#L99999"', 1).replace(term.group(0), 'href="../glossery.html"', 1)
    page.write_text(text)
    capsys.readouterr()
    assert main(["check-site", "--site", str(bad)]) == 1
    err = capsys.readouterr().err
    assert f'{bad}/engineering/python.html: link to a missing anchor: "{source.group(1)}#L99999"' in err
    assert f'{bad}/engineering/python.html: link to a missing file: "../glossery.html"' in err


@pytest.mark.slow
def test_no_page_runs_script_or_has_a_script_link_in_chromium(site: Path):
    """Every page from file:// (what a reader opening the site from disk gets): no dialog, no script
    link as the browser parses it, and no script of ours blocked by the Content-Security-Policy (after a
    Material upgrade, Chromium's message names the hash to add to extra.csp_script_hashes in mkdocs.yml)."""
    from kb.export.browser import chromium

    dialogs: list[str] = []
    script_links: list[str] = []
    blocked: list[str] = []
    with chromium() as browser:
        page = browser.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))
        page.on("console", lambda message: blocked.append(f"{page.url}: {message.text}") if "Content Security Policy" in message.text else None)
        for path in pages(site):
            page.goto(path.as_uri())
            page.wait_for_timeout(100)  # the search worker starts after load
            hrefs = page.eval_on_selector_all("article a[href]", "links => links.map(a => a.href)")  # as the browser parsed them
            script_links += [f"{path.name}: {h}" for h in hrefs if h.lower().startswith(("javascript:", "vbscript:", "data:"))]
            outside = page.eval_on_selector_all("a[href]:not(article a)", "links => links.map(a => a.href)")
            script_links += [f"{path.name}: {h}" for h in outside if h.lower().startswith("javascript:") and h != "javascript:void(0)"]
        page.close()
    assert dialogs == []
    assert script_links == []
    assert blocked == []


@pytest.mark.slow
@pytest.mark.parametrize("policy", [True, False], ids=["with-csp", "without-csp"])
def test_the_content_security_policy_stops_a_script_that_got_into_a_page(site: Path, policy: bool):
    """A script injected into a page's content does not run; without the policy it would (so the
    dialog check above would see it)."""
    from kb.export.browser import chromium

    text = (site / "sources" / "hostile-2.html").read_text()
    if not policy:
        text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", text)
    page_file = site.parent / f"injected-{policy}.html"  # beside the site, so its relative links resolve as in sources/
    article = '<article class="md-content__inner md-typeset">'
    page_file.write_text(text.replace(article, article + "<script>alert(1)</script>", 1))
    dialogs: list[str] = []
    with chromium() as browser:
        page = browser.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(page_file.as_uri())
        page.close()
    assert dialogs == ([] if policy else ["1"])


@pytest.mark.parametrize("url", ["javascript:alert(1)", "java&#115;cript:alert(1)", "&#106;avascript:alert(1)", "javascript&colon;alert(1)",
                                 " \tjava\nscript:alert(1)", "\x01javascript:alert(1)", "JavaScript:alert(1)", "vbscript:x", "data:text/html,x"])
def test_script_urls_are_never_link_targets(url: str):
    from kb.emit import safe_url, sanitize_markdown

    assert safe_url(url) is None
    assert not re.search(r"(?<!\\)\](?=\()", sanitize_markdown(f"[x]({url})"))  # every "](" escaped: shown as text, never a link


@pytest.mark.parametrize("url", ["https://example.org/a?b=1&c=2", "http://x.org", "mailto:me@example.org", "page.html#part", "#part"])
def test_web_and_relative_urls_stay_links(url: str):
    from kb.emit import safe_url, sanitize_markdown

    assert safe_url(url) == url
    assert sanitize_markdown(f"[x]({url})").startswith("[x](")
