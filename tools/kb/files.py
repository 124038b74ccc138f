"""The one module that touches the filesystem: reads notes and config, writes docs/.

Writing is all-or-nothing in intent: every conflict is found before the first file is
written, files are replaced atomically, and only files whose content changed are written.
Generated files carry emit.GENERATED_MARK; anything without it is hand-written and never
overwritten or deleted.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .emit import GENERATED_MARK, STATS_START, Stats, splice_stats

NOTE_SUFFIXES = (".txt", ".md", ".markdown")
HOME_PAGE = "index.md"
_GENERATED_SUFFIXES = (".md", ".pages", ".json")


@dataclass
class Changes:
    written: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: int = 0


class HandWrittenFileError(Exception):
    """A generated page would replace a file somebody wrote by hand."""


def read_notes(notes_dir: Path) -> tuple[list[tuple[str, bytes]], list[str]]:
    """(name, bytes) of every note, in name order, and the names of files that are not notes."""
    if not notes_dir.is_dir():
        raise FileNotFoundError(f"{notes_dir}: no notes folder here (make it and put .txt or .md notes in it)")
    notes, ignored = [], []
    for path in sorted(notes_dir.iterdir(), key=lambda p: p.name):
        if path.name.startswith(".") or not path.is_file():
            continue
        if path.suffix.lower() in NOTE_SUFFIXES:
            notes.append((path.name, path.read_bytes()))
        else:
            ignored.append(path.name)
    return notes, ignored


def read_config(config_dir: Path) -> dict[str, str]:
    if not config_dir.is_dir():
        raise FileNotFoundError(f"{config_dir}: no config folder here")
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(config_dir.glob("*.yml"))}


def plan(docs_dir: Path, files: dict[str, str], stats: Stats) -> tuple[dict[str, str], list[str]]:
    """What must change in docs/: {path: new text} to write and [path] to delete.

    Raises HandWrittenFileError, before anything is written, if a generated file would
    replace a hand-written one.
    """
    wanted = dict(files)
    home = docs_dir / HOME_PAGE
    if home.is_file():
        text = home.read_text(encoding="utf-8")
        if STATS_START in text:
            wanted[HOME_PAGE] = splice_stats(text, stats)
    to_write: dict[str, str] = {}
    conflicts = []
    for relative, text in sorted(wanted.items()):
        path = docs_dir / relative
        if path.is_file():
            current = path.read_text(encoding="utf-8", errors="replace")
            if current == text:
                continue
            if relative != HOME_PAGE and not _generated(current):
                conflicts.append(relative)
                continue
        to_write[relative] = text
    if conflicts:
        raise HandWrittenFileError(
            "kb will not overwrite hand-written files: "
            + ", ".join(f"docs/{c}" for c in conflicts)
            + ". Move them, or change the slug of the topic that wants that name in config/topics.yml."
        )
    to_delete = [
        relative for relative in _generated_files(docs_dir)
        if relative not in wanted
    ]
    return to_write, sorted(to_delete)


def apply(docs_dir: Path, to_write: dict[str, str], to_delete: list[str]) -> Changes:
    changes = Changes()
    for relative, text in to_write.items():
        write_bytes(docs_dir / relative, text.encode("utf-8"))
        changes.written.append(relative)
    for relative in to_delete:
        (docs_dir / relative).unlink()
        changes.deleted.append(relative)
        _remove_empty_parents(docs_dir / relative, docs_dir)
    return changes


PUBLIC_MARK = ".kb-public-docs"


def copy_docs(docs_dir: Path, target: Path) -> None:
    """target made anew as a copy of docs_dir; refuses a target that an earlier copy did not make."""
    if target.exists() and any(target.iterdir()) and not (target / PUBLIC_MARK).is_file():
        raise HandWrittenFileError(f"{target} exists and was not made by `kb normalize --public`; choose an empty or new folder")
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(docs_dir, target)
    (target / PUBLIC_MARK).write_text("made by kb normalize --public; replaced on every run\n", encoding="utf-8")


def read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def write_bytes(path: Path, data: bytes) -> None:
    """Replace path atomically with data (a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".kb-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@contextmanager
def temporary_file(folder: Path, prefix: str, suffix: str, text: str) -> Iterator[Path]:
    """A file holding text in folder, removed on exit."""
    handle, name = tempfile.mkstemp(dir=folder, prefix=prefix, suffix=suffix)
    path = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        yield path
    finally:
        path.unlink(missing_ok=True)


def _generated(text: str) -> bool:
    return GENERATED_MARK in text[:400]


def _generated_files(docs_dir: Path) -> list[str]:
    if not docs_dir.is_dir():
        return []
    found = []
    for path in docs_dir.rglob("*"):
        if path.is_file() and (path.suffix in _GENERATED_SUFFIXES or path.name == ".pages"):
            with path.open("r", encoding="utf-8", errors="replace") as handle:
                if _generated(handle.read(400)):
                    found.append(path.relative_to(docs_dir).as_posix())
    return found


def _remove_empty_parents(path: Path, stop: Path) -> None:
    parent = path.parent
    while parent != stop and parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent
