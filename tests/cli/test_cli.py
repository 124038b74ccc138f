"""Bad input: a clear message naming the file (and line), or a safe page; never a crash."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kb.cli import main
from tests.conftest import ROOT, copy_project


def run(project: Path, *args: str) -> int:
    return main(["--root", str(project), *args])


def test_check_names_stale_files_and_writes_nothing(project, capsys):
    (project / "notes" / "new.txt").write_text("how does random forest reduce overfitting\n")
    assert run(project, "normalize", "--check") == 1
    out = capsys.readouterr()
    assert "docs/foundations/classical-ml.md: stale" in out.out and "docs/sources/new.md: stale" in out.out
    assert not (project / "docs" / "sources" / "new.md").exists()


def test_new_note_is_picked_up(project):
    (project / "notes" / "new.txt").write_text("what is bias variance tradeoff in machine learning\n")
    assert run(project, "normalize") == 0
    page = (project / "docs" / "foundations" / "classical-ml.md").read_text()
    assert "### What is bias variance tradeoff in machine learning? { #" in page


def test_removed_note_removes_its_pages(project):
    (project / "notes" / "004-interview-preparation-topics.txt").unlink()
    assert run(project, "normalize") == 0
    assert not (project / "docs" / "sources" / "004-interview-preparation-topics.md").exists()
    assert run(project, "normalize", "--check") == 0


@pytest.mark.parametrize(
    ("name", "data", "message", "code"),
    [
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00IHDR", "notes/binary.txt:3: error: binary file (NUL byte at offset 8); skipped", 1),
        ("empty.md", b"", "notes/empty.md: warning: empty note, nothing to import", 0),
        ("legacy.txt", "what is na\u00efve bayes\n".encode("cp1252"), "notes/legacy.txt:1: warning: not valid UTF-8 (byte 0xef); read as cp1252", 0),
        ("huge.txt", b"what is x\n" * 2_100_000, "notes/huge.txt: error: file is 21,000,000 bytes, over the 5,242,880-byte limit", 1),
    ],
)
def test_bad_notes_get_a_clear_message(project, capsys, name, data, message, code):
    (project / "notes" / name).write_bytes(data)
    assert run(project, "normalize") == code
    assert message in capsys.readouterr().err
    assert run(project, "normalize", "--check", "--quiet") == code  # docs/ is complete for the readable notes


def test_non_note_files_are_named_and_ignored(project, capsys):
    (project / "notes" / "photo.png").write_bytes(b"\x89PNG")
    assert run(project, "normalize") == 0
    assert "notes/photo.png: warning: not a .txt or .md note; ignored" in capsys.readouterr().err


def test_names_that_slug_alike_get_separate_pages(project, capsys):
    (project / "notes" / "My Notes.txt").write_text("what is a p-value\n")
    (project / "notes" / "my-notes.txt").write_text("what is a t test\n")
    assert run(project, "normalize") == 0
    assert "notes/my-notes.txt: warning: its name makes the same page name as My Notes.txt" in capsys.readouterr().err
    assert (project / "docs" / "sources" / "my-notes.md").exists() and (project / "docs" / "sources" / "my-notes-2.md").exists()


def test_hand_written_page_in_the_way_is_never_overwritten(project, capsys):
    target = project / "docs" / "foundations" / "statistics.md"
    target.write_text("# My own statistics page\n")
    assert run(project, "normalize") == 2
    assert "kb will not overwrite hand-written files: docs/foundations/statistics.md" in capsys.readouterr().err
    assert target.read_text() == "# My own statistics page\n"


def test_broken_config_names_file_and_line(project, capsys):
    (project / "config" / "topics.yml").write_text("sections:\n  - title: A\n    topics: [\n")
    assert run(project, "normalize") == 2
    assert "kb: error: config/topics.yml:4: not valid YAML" in capsys.readouterr().err


def test_coverage_command_lists_every_line(project, capsys):
    assert run(project, "coverage") == 0
    out = capsys.readouterr().out
    assert "notes/000-interview-prep-scratchpad.txt:10\tleft out: separator line" in out
    assert "UNACCOUNTED" not in out


def test_public_refuses_a_folder_it_did_not_make(project, capsys):
    (project / "mine").mkdir()
    (project / "mine" / "precious.md").write_text("keep me")
    assert run(project, "normalize", "--public", str(project / "mine")) == 2
    assert (project / "mine" / "precious.md").read_text() == "keep me"


def _command(project: Path, *args: str, code: str = "from kb.cli import run; run()") -> subprocess.CompletedProcess[str]:
    """The kb command in a process of its own, as the command line runs it, with an exit hook that says it ran; its
    output buffered, as it is into a pipe (so that what is not flushed before leaving would be lost)."""
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    hook = "import atexit, sys; atexit.register(lambda: print('exit hooks ran', file=sys.stderr)); sys.argv[1:] = "
    return subprocess.run([sys.executable, "-c", f"{hook}{[*args]!r}; {code}"], capture_output=True, text=True, cwd=project,
                          env={**environment, "PYTHONPATH": str(ROOT / "tools")}, timeout=600)


def test_the_command_leaves_at_once_after_normalize_with_its_output_and_exit_code(tmp_path, monkeypatch, capsys):
    """After normalize or coverage, `kb` flushes its output and leaves with os._exit (no exit hooks, no freeing of the
    run's objects one by one); what it prints, what it writes and its exit code are those of `main`, which library
    callers use. Each is run in a copy of its own, from the copy's folder (the output names docs/ by its path)."""
    for args in (["coverage"], ["normalize", "--check"], ["normalize"], ["normalize", "--explain"]):
        here, there = (copy_project(tmp_path / "-".join([*args, side])) for side in ("here", "there"))
        for project in (here, there):  # a fatal problem: exit code 1
            (project / "notes" / "bad.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
        monkeypatch.chdir(here)
        expected = main(args)
        printed = capsys.readouterr()
        ran = _command(there, *args)
        assert (ran.returncode, ran.stdout, ran.stderr) == (expected, printed.out, printed.err)
        assert expected == 1 and ran.stdout and "exit hooks ran" not in ran.stderr
        assert _tree(here / "docs") == _tree(there / "docs")
    again = _command(there, "normalize", code="import runpy; runpy.run_module('kb', run_name='__main__')")  # python -m kb
    assert again.returncode == 1 and again.stdout.endswith("docs/ already up to date\n") and "exit hooks ran" not in again.stderr
    other = _command(there, "check-site")  # no site: an error, after which exit hooks run as usual
    assert other.returncode == 2 and other.stderr.endswith("exit hooks ran\n")


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
