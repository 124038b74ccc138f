"""The one module that touches the filesystem: reads notes and config, writes docs/.

Reading trusts nothing in notes/: every file that is not read gets a Problem saying why, symlinks
are followed only inside notes/, and nothing but a regular file is ever opened.

Writing is all-or-nothing: every conflict is found before the first file is written, and only
files whose content changed are written. New files go to temporary files first, then a journal
lists the renames and deletes, then they are applied; a run that finds a journal finishes it
(recover), so after a kill at any point the next run leaves docs/ wholly new. Generated files
start with emit's header line; anything else is hand-written and never overwritten or deleted.

Paths reach the OS as UTF-8 bytes whatever the locale, so a C locale reads and writes the same names.
"""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import importlib
import io
import json
import os
import pickle
import shutil
import signal
import stat
import tempfile
import time
import types
from collections.abc import Callable, Container, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TypedDict

from .collector import paused
from .model import Problem
from .model.marks import NAV_FILES, is_generated

if TYPE_CHECKING:
    import pikepdf

NOTE_SUFFIXES = (".txt", ".md", ".markdown")
JOURNAL = ".kb-journal"
"""The journal in docs/ of a write in progress: {"replace": [[temporary, target], ...], "delete": [target, ...]}."""
_GENERATED_SUFFIXES = (".md", ".json", ".js", *NAV_FILES)
_TEMPORARY = (b".kb-", b".tmp")
_HEAD_BYTES = 8192
_KINDS = {stat.S_IFIFO: "a FIFO", stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device"}


class Journal(TypedDict):
    """What the journal holds (paths relative to docs/); read back from JSON, the pairs are lists."""

    replace: Sequence[Sequence[str]]
    """[temporary, target] pairs: each temporary file replaces its target."""
    delete: Sequence[str]


@dataclass
class Changes:
    written: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: int = 0


class HandWrittenFileError(Exception):
    """A generated page would replace a file somebody wrote by hand."""


class InputError(Exception):
    """notes/, config/ or a config file that cannot be read; the message names it."""


# --- reading ------------------------------------------------------------------------------------


def read_notes(notes_dir: Path) -> tuple[list[tuple[str, bytes]], list[Problem]]:
    """(name, bytes) of every note, in name order, and a Problem for every other file saying why it is not read."""
    notes: list[tuple[str, bytes]] = []
    problems: list[Problem] = []
    inside = os.path.realpath(_fs(notes_dir)) + b"/"
    for raw in _list(notes_dir, f"{notes_dir}: no notes folder here (make it and put .txt or .md notes in it)"):
        try:
            name = raw.decode("utf-8")
        except UnicodeDecodeError:
            shown = raw.decode("utf-8", "backslashreplace")
            problems.append(Problem(shown, None, "file name is not valid UTF-8; skipped (rename it)", fatal=True))
            continue
        found = _read_note(_fs(notes_dir) + b"/" + raw, name, inside)
        if isinstance(found, Problem):
            problems.append(found)
        else:
            notes.append((name, found))
    return notes, problems


def read_config(config_dir: Path) -> dict[str, str]:
    """The text of every config/*.yml by file name; InputError naming the file if one cannot be read."""
    texts = {}
    for raw in _list(config_dir, f"{config_dir}: no config folder here"):
        name = raw.decode("utf-8", "backslashreplace")
        if raw.startswith(b".") or not raw.endswith(b".yml"):
            continue
        try:
            data = _read_regular(_fs(config_dir) + b"/" + raw)
        except OSError as error:
            raise InputError(f"config/{name}: cannot read it ({error.strerror or error})") from None
        try:
            texts[name] = data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            raise InputError(f"config/{name}:{line}: not valid UTF-8 (byte 0x{data[error.start]:02x}); save it as UTF-8") from None
    return texts


def read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def read_text_if_file(path: Path) -> str | None:
    """The text of a regular file at path (undecodable bytes replaced), or None when there is none."""
    data = _read_existing(path)
    return None if data is None else data.decode("utf-8", errors="replace")


def _read_note(path: bytes, name: str, inside: bytes) -> bytes | Problem:
    """The bytes of one entry of notes/, or a Problem saying why it is not read."""
    if name.startswith("."):
        return Problem(name, None, "hidden file; ignored")
    if os.path.islink(path):
        try:
            path = os.path.realpath(path, strict=True)
        except OSError as error:
            why = "symlink loop" if error.errno == errno.ELOOP else "symlink to nothing (dangling)"
            return Problem(name, None, f"{why}; ignored")
        if not path.startswith(inside):
            return Problem(name, None, "symlink to a file outside notes/; ignored, never published")
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        return Problem(name, None, f"cannot read it ({error.strerror or error}); skipped", fatal=True)
    if stat.S_ISDIR(mode):
        return Problem(name, None, "a folder, not a note; ignored (notes in subfolders are not read)")
    if not stat.S_ISREG(mode):
        return Problem(name, None, f"not a regular file ({_KINDS.get(stat.S_IFMT(mode), 'special file')}); ignored")
    if not name.lower().endswith(NOTE_SUFFIXES):
        return Problem(name, None, "not a .txt or .md note; ignored")
    try:
        return _read_regular(path)
    except OSError as error:
        return Problem(name, None, f"cannot read it ({error.strerror or error}); skipped", fatal=True)


def _read_regular(path: bytes, size: int = -1) -> bytes:
    """The bytes (the first size bytes) of a regular file; OSError for anything else (never blocks on a FIFO)."""
    handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    with os.fdopen(handle, "rb") as stream:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        return stream.read(size)


def _list(folder: Path, missing: str) -> list[bytes]:
    """The entry names of folder, sorted; InputError saying `missing` if it is not there."""
    try:
        return sorted(os.listdir(_fs(folder)))
    except (FileNotFoundError, NotADirectoryError):
        raise InputError(missing) from None
    except OSError as error:
        raise InputError(f"{folder}: cannot read the folder ({error.strerror or error})") from None


def _fs(path: Path | str) -> bytes:
    """path as bytes for the OS: UTF-8 whatever the locale (undecodable names come back as they were)."""
    return str(path).encode("utf-8", "surrogateescape")


# --- planning -----------------------------------------------------------------------------------


def digest(text: str) -> str:
    """What `stale` compares a file's bytes with: the SHA-256 of the text in UTF-8 (`digest_of` its bytes)."""
    return digest_of(text.encode("utf-8"))


def digest_of(data: bytes) -> str:
    """`digest` of the text whose UTF-8 bytes are data."""
    return hashlib.sha256(data).hexdigest()


Seen = dict[str, tuple[int, int, int, int, str]]
"""What `stale` saw of docs/ files, by path relative to docs/: (size, mtime_ns, ctime_ns, inode) and the `digest_of` the
bytes the file held then. Kept between runs (workflow), so that a file whose stat is still that is not read again."""
SETTLED_NS = 2_000_000_000
"""How long before `stale` saw it a file must have last changed (its mtime and ctime) for its stat to stand for its
bytes from then on: a change in the same tick of the file system's clock (2 s on FAT) as the last one may leave the
stat as it was; a later one never does (it moves the ctime, which no program sets)."""


def stale(docs_dir: Path, digests: dict[str, str], may_replace: frozenset[str] = frozenset(),
          seen: Mapping[str, object] | None = None) -> tuple[list[str], Seen]:
    """What must change in docs/ for it to hold the files with these digests (`digest`, by path relative to docs/): the
    paths of those whose file is missing or differs, to write, and of the generated files not among them, to delete;
    and what it saw of the files (`Seen`), to give back as seen next time.

    Files kb did not write are replaced only when named in may_replace (the home page, whose marked region kb keeps up
    to date). Raises HandWrittenFileError, before anything is written, if a generated file would replace a hand-written
    one (or something that is not a file). Comparing digests costs less than comparing texts: a file's bytes are hashed
    rather than decoded (60 MB at 100x), and a file whose size, times and inode are those seen last time (when it had
    settled, SETTLED_NS) is not read at all: its digest is the one seen then. Any write to a file changes its ctime, so a
    file damaged or edited by hand since is read and found out."""
    seen = seen if isinstance(seen, dict) else {}
    now = time.time_ns()
    found: Seen = {}
    differing: list[str] = []
    conflicts: list[str] = []
    for relative, wanted in sorted(digests.items()):
        path = _fs(docs_dir / relative)
        try:
            info = os.stat(path)
        except OSError:
            (conflicts if os.path.lexists(path) else differing).append(relative)  # a dangling symlink is in the way
            continue
        if not stat.S_ISREG(info.st_mode):
            conflicts.append(relative)
            continue
        stamp = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
        known = seen.get(relative)
        if type(known) is tuple and len(known) == 5 and known[:4] == stamp and type(known[4]) is str:
            held: str = known[4]
        else:  # stat before reading: a change after it leaves another stat, which the next run will not trust
            data = _read_existing(docs_dir / relative)
            if data is None:
                differing.append(relative)
                continue
            held = digest_of(data)
        if now - max(info.st_mtime_ns, info.st_ctime_ns) > SETTLED_NS:
            found[relative] = (*stamp, held)
        if held == wanted:
            continue
        if relative not in may_replace and not is_generated(relative, _head(path)):
            conflicts.append(relative)
            continue
        differing.append(relative)
    if conflicts:
        raise HandWrittenFileError(
            "kb will not overwrite hand-written files: "
            + ", ".join(f"docs/{c}" for c in conflicts)
            + ". Move them, or change the slug of the topic that wants that name in config/topics.yml."
        )
    return sorted([*differing, *_generated_files(docs_dir, besides=digests)]), found


def _head(path: bytes) -> str:
    """The start of the file at path, enough for `is_generated` ("" when it cannot be read)."""
    try:
        return _read_regular(path, _HEAD_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return ""


def _generated_files(docs_dir: Path, besides: Container[str]) -> list[str]:
    """The files under docs_dir that kb wrote, besides those named in besides (whose files `stale` read already), as
    paths relative to it."""
    found = []
    for folder, _, names in os.walk(_fs(docs_dir)):
        for raw in names:
            relative = os.path.relpath(folder + b"/" + raw, _fs(docs_dir)).decode("utf-8", "surrogateescape")
            if relative in besides or not relative.endswith(_GENERATED_SUFFIXES):
                continue
            head = _head(folder + b"/" + raw)
            if head and is_generated(relative, head):
                found.append(relative)
    return found


def _read_existing(path: Path) -> bytes | None:
    """The bytes of a regular file at path, or None when there is none."""
    try:
        return _read_regular(_fs(path))
    except OSError:
        return None


# --- writing ------------------------------------------------------------------------------------


def apply(docs_dir: Path, to_write: dict[str, str], to_delete: list[str], encoded: Mapping[str, bytes] | None = None) -> Changes:
    """Make the planned changes crash-safely: temporary files, then the journal, then the renames and deletes. encoded: the
    UTF-8 bytes of texts to write that the caller has already (encoding 25 MB costs ~0.06 s)."""
    recover(docs_dir)
    encoded = encoded or {}
    replace = []
    for relative, text in to_write.items():
        data = encoded.get(relative)
        replace.append((_write_temporary(docs_dir, relative, text.encode("utf-8") if data is None else data), relative))
        _crash_point()
    if replace or to_delete:
        journal: Journal = {"replace": replace, "delete": list(to_delete)}
        write_bytes(docs_dir / JOURNAL, json.dumps(journal, ensure_ascii=False).encode("utf-8"))
        _crash_point()
        _finish(docs_dir, journal)
    return Changes(written=list(to_write), deleted=list(to_delete))


def recover(docs_dir: Path) -> bool:
    """Finish a write that a crash interrupted and remove stray temporary files; whether there was one to finish."""
    journal = _read_existing(docs_dir / JOURNAL)
    if journal is not None:
        try:
            steps = json.loads(journal.decode("utf-8"))
            for temporary, target in steps["replace"]:
                _check_inside(temporary)
                _check_inside(target)
            for target in steps["delete"]:
                _check_inside(target)
        except (ValueError, KeyError, TypeError) as error:
            raise InputError(f"docs/{JOURNAL}: not a journal kb wrote ({error}); delete it and run again") from None
        _finish(docs_dir, steps)
    for folder, _, names in os.walk(_fs(docs_dir)):
        for raw in names:
            if raw.startswith(_TEMPORARY[0]) and raw.endswith(_TEMPORARY[1]):
                os.unlink(folder + b"/" + raw)
    return journal is not None


def _finish(docs_dir: Path, journal: Journal) -> None:
    """Apply a journal; safe to repeat, so a crash half-way is finished by the next run."""
    for temporary, target in journal["replace"]:
        if os.path.lexists(_fs(docs_dir / temporary)):
            os.replace(_fs(docs_dir / temporary), _fs(docs_dir / target))
        _crash_point()
    for target in journal["delete"]:
        path = _fs(docs_dir / target)
        if os.path.lexists(path):
            os.unlink(path)
        _remove_empty_parents(path, _fs(docs_dir))
        _crash_point()
    os.unlink(_fs(docs_dir / JOURNAL))


def _check_inside(relative: str) -> None:
    """Refuse a journal path that is not a plain relative path under docs/."""
    if not isinstance(relative, str) or relative.startswith("/") or ".." in relative.split("/"):
        raise ValueError(f"path {relative!r} is not inside docs/")


def _write_temporary(docs_dir: Path, relative: str, data: bytes) -> str:
    """A new temporary file holding data in the folder of docs_dir/relative; its path relative to docs_dir."""
    folder = _fs((docs_dir / relative).parent)
    os.makedirs(folder, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=_TEMPORARY[0], suffix=_TEMPORARY[1])
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
    return Path(relative).parent.joinpath(os.path.basename(temporary).decode("ascii")).as_posix()


_steps_taken = 0


def _crash_point() -> None:
    """Test hook: with KB_TEST_CRASH_AFTER=N in the environment, the Nth step of a write kills this process."""
    global _steps_taken
    limit = os.environ.get("KB_TEST_CRASH_AFTER")
    _steps_taken += 1
    if limit and _steps_taken == int(limit):
        os.kill(os.getpid(), signal.SIGKILL)


PUBLIC_MARK = ".kb-public-docs"


def copy_docs(docs_dir: Path, target: Path) -> None:
    """target made anew as a copy of docs_dir; refuses a target that an earlier copy did not make."""
    if target.exists() and any(target.iterdir()) and not (target / PUBLIC_MARK).is_file():
        raise HandWrittenFileError(f"{target} exists and was not made by `kb normalize --public`; choose an empty or new folder")
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(docs_dir, target)
    (target / PUBLIC_MARK).write_text("made by kb normalize --public; replaced on every run\n", encoding="utf-8")


def open_pdf(path: Path) -> pikepdf.Pdf | None:
    """The PDF at path, read by qpdf itself (through no Python file object, which made copying pages twice as slow, nor
    a memory map, whose pages count in the process's memory: 100 MB for the handbook at 100x); None when there is no
    such file. Open until closed: the data of pages copied from it is read from the file when their PDF is saved."""
    import pikepdf  # only the PDF export needs it

    try:
        return pikepdf.open(os.fsdecode(_fs(path)))
    except FileNotFoundError:
        return None


def copy_file(source: Path, target: Path) -> tuple[str, int]:
    """Replace target atomically with a copy of source, streamed (a large PDF is not held in memory); the sha256 and size
    of what was copied."""
    digest = hashlib.sha256()

    def copy(stream: BinaryIO) -> None:
        with open(_fs(source), "rb") as read:
            while block := read.read(1 << 20):
                digest.update(block)
                stream.write(block)

    size = write_with(target, copy)
    return digest.hexdigest(), size


def write_bytes(path: Path, data: bytes) -> None:
    """Replace path atomically with data (a reader never sees half a file)."""
    write_with(path, lambda stream: stream.write(data))


def write_with(path: Path, write: Callable[[BinaryIO], object]) -> int:
    """Replace path atomically with what write writes to the stream it is given (a reader never sees half a file; a
    writer that streams, as pikepdf's save does, holds no copy of the file in memory); the file's size."""
    os.makedirs(_fs(path.parent), exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=_fs(path.parent), prefix=_TEMPORARY[0], suffix=_TEMPORARY[1])
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
            size = stream.tell()
        os.replace(temporary, _fs(path))
    except BaseException:
        if os.path.lexists(temporary):
            os.unlink(temporary)
        raise
    return size


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


# --- caches: kb normalize's parses, kb pdf's printed sections ------------------------------------


CACHE_DIR = Path(".cache") / "kb"
"""Where, under the project root, `kb normalize` keeps each note's parse (ignored by git)."""


def code_version() -> str:
    """A digest of kb's own source: a change to the code makes every cached parse stale."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


class NoteCache:
    """What kb normalize keeps between runs, by keys made from what it depends on: each note's read and parse
    (the note's bytes, the config, the code), what the text functions worked out (kb.memory) and what the
    run made (workflow.check).

    A file per key in the cache folder, written atomically. A file that cannot be read or unpickled is a miss,
    never an error; the cache is only ever a shortcut. `prune` removes the files this run did not use.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[str] = set()

    def get(self, key: str) -> object | None:
        self.used.add(key)
        try:
            handle = os.open(_fs(self.folder / f"{key}.pickle"), os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError:
            return None
        try:
            with os.fdopen(handle, "rb") as stream, paused():
                if not stat.S_ISREG(os.fstat(handle).st_mode):
                    return None
                value: object = pickle.load(stream)  # from the file as it is read: the memory tables (85 MB at 100x) are never whole in memory as bytes
        except Exception:  # an unreadable, damaged or foreign file is a miss, whatever reading or unpickling raised
            return None
        return value

    def put(self, key: str, value: object) -> None:
        self.used.add(key)
        with suppress(OSError):  # a read-only or full disk costs the next run time, nothing else
            write_bytes(self.folder / f"{key}.pickle", cache_bytes(value))

    def prune(self) -> None:
        """Remove what this run did not use (parses of notes gone or changed, results of an older config or code)."""
        with suppress(OSError):
            remove_files_except(self.folder, {f"{key}.pickle" for key in self.used})


class _Pickler(pickle.Pickler):
    """Pickles a slots dataclass as a call of its maker (`_maker`) with its fields, and any other dataclass as a call of
    its class with them: either unpickles faster than the state that dataclasses give slots classes (whose
    `__setstate__` looks up the fields again for each object). The 500 notes' parses at 100x load in ~0.14 s of CPU with
    makers, ~0.28 s with calls of their classes, ~0.55 s from their state."""

    def __init__(self, stream: BinaryIO) -> None:
        super().__init__(stream, protocol=pickle.HIGHEST_PROTOCOL)
        self.how: dict[type, tuple[Callable[..., object], tuple[str, ...]] | None] = {}

    def reducer_override(self, obj: Any) -> Any:  # not called for str, int, tuple and the other built-in types
        cls = type(obj)
        if cls not in self.how:
            names = _field_names(cls)
            self.how[cls] = None if names is None else (_maker(cls, names) or cls, names)
        how = self.how[cls]
        return (how[0], tuple([getattr(obj, name) for name in how[1]])) if how is not None else NotImplemented


def _field_names(cls: type) -> tuple[str, ...] | None:
    """The fields a dataclass is made from, in order, when it can be made from them alone; else None."""
    if not dataclasses.is_dataclass(cls):
        return None
    fields = dataclasses.fields(cls)
    return tuple(f.name for f in fields) if all(f.init for f in fields) and len(fields) == len(cls.__dataclass_fields__) else None


_MAKER = "_make:"
"""The start of a maker's name in this module: `_make:<module, with / for .>:<class>` (no dot: pickle would read a dot as
an attribute of an attribute)."""
_new = object.__new__


def _maker(cls: type, names: tuple[str, ...]) -> Callable[..., object] | None:
    """A function that makes an object of the slots dataclass cls from its fields' values as its `__init__` would, but
    setting each slot through its descriptor: ~0.5 µs an object rather than ~1 µs through the `__init__` of a frozen
    dataclass (which calls object.__setattr__ per field). None when cls is not such a class (the class itself is
    called then). Kept in this module, under a name that says the class (`_MAKER`), where pickle finds it (or
    `__getattr__` makes it, in a new process); the model has no `__post_init__` to miss."""
    if cls.__module__.split(".", 1)[0] != __name__.split(".", 1)[0] or "." in cls.__qualname__ or "<" in cls.__qualname__:
        return None  # only kb's own module-level classes: __getattr__ imports nothing else
    setters = [getattr(cls, name, None) for name in names]
    if not all(isinstance(setter, types.MemberDescriptorType) for setter in setters):
        return None
    name = f"{_MAKER}{cls.__module__.replace('.', '/')}:{cls.__qualname__}"
    made = globals().get(name)
    if made is None:
        values = ", ".join(f"v{i}" for i in range(len(names)))
        sets = "".join(f"    s{i}(o, v{i})\n" for i in range(len(names)))
        scope: dict[str, Any] = {"_new": _new, "_cls": cls, **{f"s{i}": setter.__set__ for i, setter in enumerate(setters)}}  # type: ignore[union-attr]
        exec(f"def make({values}):\n    o = _new(_cls)\n{sets}    return o\n", scope)  # noqa: S102  # code made here, from field counts
        made = scope["make"]
        made.__module__, made.__name__, made.__qualname__ = __name__, name, name
        globals()[name] = made
    return made  # type: ignore[no-any-return]  # a function made just above


def __getattr__(name: str) -> object:
    """A maker (`_maker`) that this process has not made yet, as pickle asks for it by name."""
    if name.startswith(_MAKER):
        module, _, qualname = name[len(_MAKER):].replace("/", ".").partition(":")
        if module.split(".", 1)[0] == __name__.split(".", 1)[0]:
            cls = getattr(importlib.import_module(module), qualname, None)
            names = _field_names(cls) if isinstance(cls, type) else None
            made = _maker(cls, names) if isinstance(cls, type) and names is not None else None
            if made is not None and made.__name__ == name:
                return made
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def cache_bytes(value: object) -> bytes:
    """value as the cache pickles it (`NoteCache.put`): parse workers hand the main process these very bytes."""
    stream = io.BytesIO()
    _Pickler(stream).dump(value)
    return stream.getvalue()


def _remove_empty_parents(path: bytes, stop: bytes) -> None:
    parent = os.path.dirname(path)
    while parent != stop and os.path.isdir(parent) and not os.listdir(parent):
        os.rmdir(parent)
        parent = os.path.dirname(parent)


def read_bytes_if_file(path: Path) -> bytes | None:
    """The bytes of a regular file at path, or None when there is none."""
    return _read_existing(path)


def open_binary_if_file(path: Path) -> BinaryIO | None:
    """A regular file at path opened for reading (the caller closes it), or None when there is none: for a reader that
    maps the file (pikepdf) rather than copy it."""
    try:
        stream = open(_fs(path), "rb")  # noqa: SIM115 (the caller closes it)
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None
    if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
        stream.close()
        return None
    return stream


def remove_files_except(folder: Path, keep: set[str]) -> list[str]:
    """Delete the regular files directly in folder whose names are not in keep; the names deleted."""
    try:
        names = sorted(os.listdir(_fs(folder)))
    except (FileNotFoundError, NotADirectoryError):
        return []
    removed = []
    for raw in names:
        name = raw.decode("utf-8", "surrogateescape")
        path = _fs(folder) + b"/" + raw
        if name not in keep and os.path.isfile(path) and not os.path.islink(path):
            os.unlink(path)
            removed.append(name)
    return removed
