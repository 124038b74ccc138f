"""docs/ is compared with what a run makes by digests (files.stale), and a file whose stat (size, times, inode) is what the
last run saw, when it had settled, is not read again: its digest is the one seen then (files.Seen, kept in the cache by
the workflow). A file changed since, even to the same size with its mtime put back, has another ctime: it is read, found
out and rewritten. The texts encoded for their digests are written as they are."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kb import files, workflow
from kb.cli import main
from kb.emit.digests import text_digest
from kb.model.marks import MARKDOWN_HEADER


def _docs(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    docs = tmp_path / "docs"
    texts = {"a.md": f"{MARKDOWN_HEADER}\n# A\n", "b/c.md": f"{MARKDOWN_HEADER}\n# C ünïcode\n"}
    for relative, text in texts.items():
        (docs / relative).parent.mkdir(parents=True, exist_ok=True)
        (docs / relative).write_text(text, encoding="utf-8")
    return docs, {relative: files.digest(text) for relative, text in texts.items()}


def test_the_digest_emit_remembers_is_the_one_docs_files_are_compared_by():
    for text in ("", "plain", "ünïcode — ✓"):
        assert text_digest(text) == files.digest(text) == files.digest_of(text.encode("utf-8"))


def test_a_file_seen_settled_is_not_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    docs, digests = _docs(tmp_path)
    monkeypatch.setattr(files, "SETTLED_NS", 0)
    stale, seen = files.stale(docs, digests)
    assert stale == [] and set(seen) == set(digests)
    assert files.stale(docs, digests, seen=seen) == ([], seen)
    # a digest seen before stands for the file while its stat is the same: the file is not read
    told = {**seen, "a.md": (*seen["a.md"][:4], files.digest("something else"))}
    assert files.stale(docs, digests, seen=told)[0] == ["a.md"]


def test_a_file_just_written_is_read_next_time(tmp_path: Path):
    docs, digests = _docs(tmp_path)
    stale, seen = files.stale(docs, digests)  # their ctime is now: a change in the same tick would leave their stat
    assert stale == [] and seen == {}


@pytest.mark.parametrize("seen", [None, "damaged", {"a.md": "damaged"}, {"a.md": (1, 2)}, {"a.md": (1, 2, 3, 4, None)}])
def test_a_damaged_record_of_what_was_seen_is_a_miss(tmp_path: Path, seen: object):
    docs, digests = _docs(tmp_path)
    assert files.stale(docs, digests, seen=seen)[0] == []  # type: ignore[arg-type]
    (docs / "a.md").write_text(f"{MARKDOWN_HEADER}\n# B\n", encoding="utf-8")
    assert files.stale(docs, digests, seen=seen)[0] == ["a.md"]  # type: ignore[arg-type]


def test_a_changed_file_with_its_size_and_mtime_kept_is_still_found_and_rewritten(project: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(files, "SETTLED_NS", 0)  # every file settled when seen (the test cannot wait for the clock)
    assert main(["--root", str(project), "normalize", "-q"]) == 0
    assert main(["--root", str(project), "normalize", "-q"]) == 0  # sees every file as it is, settled
    page = next(p for p in sorted((project / "docs").rglob("*.md")) if "sources" not in p.parts and p.parent != project / "docs")
    good = page.read_bytes()
    before = os.stat(page)
    damaged = good.replace(b"?", b"!", 1)
    assert damaged != good and len(damaged) == len(good)
    page.write_bytes(damaged)
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))  # size and mtime as they were: only the ctime moved
    stat = os.stat(page)
    assert (stat.st_size, stat.st_mtime_ns, stat.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)
    plan = workflow.plan(project)
    assert plan.to_write == {page.relative_to(project / "docs").as_posix(): good.decode("utf-8")}
    assert main(["--root", str(project), "normalize", "-q"]) == 0
    assert page.read_bytes() == good
    assert main(["--root", str(project), "normalize", "--check", "-q"]) == 0  # and nothing left to do


def test_apply_writes_the_bytes_already_encoded(tmp_path: Path):
    docs = tmp_path / "docs"
    docs.mkdir()
    files.apply(docs, {"a.md": "ünïcode", "b.md": "plain"}, [], encoded={"a.md": "ünïcode".encode()})
    assert (docs / "a.md").read_text(encoding="utf-8") == "ünïcode" and (docs / "b.md").read_text(encoding="utf-8") == "plain"
    files.apply(docs, {"a.md": "text"}, [], encoded={"a.md": b"bytes given"})  # what was given is what is written
    assert (docs / "a.md").read_bytes() == b"bytes given"


def test_the_plan_carries_the_texts_encoded_for_their_digests(project: Path):
    (project / "notes" / "new.txt").write_text("how does random forest reduce overfitting\n")
    plan = workflow.plan(project)
    assert plan.build is not None and "questions.json" in plan.to_write and "questions.json" not in plan.build.digests
    assert set(plan.encoded) <= set(plan.to_write) and plan.encoded["questions.json"] == plan.to_write["questions.json"].encode("utf-8")
