"""Property tests: notes made of random mixes of the constructs people write never stop the build, lose
no line, and never carry live markup into the pages.

The pure ones take their number of examples from the Hypothesis profile (tests/conftest.py): 150 in a
full run, fewer under `make test-fast`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from kb.pipeline import build
from tests.conftest import copy_project

ROOT = Path(__file__).resolve().parents[2]

_words = st.text(st.sampled_from("abcdefghij klmnopqrstuvwxyz ABCXYZ 0123456789 .,:;!?'\"()[]{}*_`#|<>&$%-+=~^/\\é中"), min_size=1, max_size=60)
_hostile = st.sampled_from([
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))", "[x](java&#115;cript:alert(1))",
    "[r]: javascript:alert(2)", "[this][r]", "https://example.com/\"><script>alert(1)</script>--> a good read",
    "<svg/onload=alert(1)>", "<iframe src=//evil>", "*[HTML]: Hyper", "++ctrl+alt++", "{: onclick=alert(1) }",
    "<!-- open comment", "```", "~~~python", "$$", "$x^2$", "![img](https://example.com/a.png)", "a | b | c", "|---|---|",
    "\x00", "\x1b[31m", "\u202e", "\ufeff",
])
_line = st.one_of(
    _words,
    _hostile,
    st.builds(lambda n, w: "#" * n + " " + w, st.integers(1, 7), _words),
    st.builds(lambda n, w: "  " * n + st_marker(n) + w, st.integers(0, 12), _words),
    st.builds(lambda w: f"Q: {w}?", _words),
    st.builds(lambda w: f"A: {w}", _words),
    st.builds(lambda w: f"<details><summary>{w}</summary>", _words),
    st.just("</details>"),
    st.builds(lambda w: f"> [!question]- {w}", _words),
    st.builds(lambda n, w: ">" * n + " " + w, st.integers(1, 25), _words),
    st.builds(lambda n, w: "\t" * n + w, st.integers(0, 50), _words),
    st.builds(lambda w: f"**{w}**", _words),
    st.builds(lambda w: f"what is {w}?", _words),
    st.builds(lambda n, w: f"**{n})** {w}", st.integers(1, 12), _words),
    st.builds(lambda w, a: f"| {w} | {a} |", _words, _words),
    st.sampled_from(["| # | Question | Answer |", "|---|---|---|", "Python -", "SQL :", "$$x^2$$", "![x](img/x.png)",
                     "> [!answer]-", "<details>", "<summary>Show answer</summary>", "Ans:", "(?)", "why do we need above"]),
    st.sampled_from(["====", "-----", "", "", "   ", "***", "= Title", "== Part"]),
)


def st_marker(depth: int) -> str:
    return ("- ", "* ", "1. ", "2) ")[depth % 4]


_note = st.tuples(st.sampled_from(["note.md", "note.txt"]), st.lists(_line, min_size=1, max_size=40).map("\n".join))


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(note=_note)
def test_any_note_builds_with_every_line_accounted_for(note: tuple[str, str], config_texts: dict[str, str]):
    name, text = note
    result = build([(name, text.encode("utf-8"))], config_texts)
    assert not [p for p in result.problems if "could not be read" in p.message], result.problems
    for parsed in result.handbook.notes:
        accounted = {n for e in parsed.entries for n in e.source.lines} | {d.line for d in parsed.drops} | {c.line for c in parsed.contexts}
        missing = [n for n, line in enumerate(parsed.note.lines, start=1) if line.strip() and n not in accounted]
        assert not missing


@settings(deadline=None)
@given(data=st.binary(max_size=400))
def test_any_bytes_build(data: bytes, config_texts: dict[str, str]):
    result = build([("note.txt", data)], config_texts)
    assert not [p for p in result.problems if "could not be read" in p.message]


@pytest.mark.slow
@settings(max_examples=3, deadline=None, phases=[Phase.explicit, Phase.generate],  # shrinking a site build takes too long
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(notes=st.lists(_note, min_size=8, max_size=8))
def test_random_notes_build_strict(notes: list[tuple[str, str]], tmp_path: Path):
    project = tmp_path / f"project-{len(list(tmp_path.iterdir()))}"
    copy_project(project, {f"{number}-{name}": text for number, (name, text) in enumerate(notes)})
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([sys.executable, "-m", "kb", "--root", str(project), "normalize", "--quiet"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    done = subprocess.run([sys.executable, "-m", "kb", "check-site", "--site", str(project / "site")], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr  # no live script or markup from a note
