"""`kb normalize` on the five real notes: the committed docs/ are fresh, and a second run changes nothing."""

from __future__ import annotations

from kb.cli import main
from tests.conftest import ROOT


def test_committed_docs_are_fresh():
    assert main(["--root", str(ROOT), "normalize", "--check", "--quiet"]) == 0


def test_second_run_changes_nothing_and_hand_written_pages_survive(project, capsys):
    home = (project / "docs" / "index.md").read_text()
    hand = project / "docs" / "my-page.md"
    hand.write_text("# Mine\n")
    assert main(["--root", str(project), "normalize"]) == 0
    before = {p: p.read_bytes() for p in (project / "docs").rglob("*") if p.is_file()}
    mtimes = {p: p.stat().st_mtime_ns for p in before}
    assert main(["--root", str(project), "normalize"]) == 0
    assert "already up to date" in capsys.readouterr().out
    after = {p: p.read_bytes() for p in (project / "docs").rglob("*") if p.is_file()}
    assert after == before and {p: p.stat().st_mtime_ns for p in after} == mtimes
    assert hand.read_text() == "# Mine\n"
    assert (project / "docs" / "index.md").read_text() == home  # stats already current
