"""The naive site the benchmark compares our build with: the notes copied in as plain Markdown pages
(docs/<note>.md, one page each), built by MkDocs Material with the project's own mkdocs.yml (theme,
plugins, Markdown extensions) minus what is ours: no hooks, no template overrides, no extra scripts or
styles. `mkdocs build` in the folder naive_project prepares builds it; our build should take at most
1.5 times as long. tests/benchmark.py (`make bench`) builds and times both.
"""

from __future__ import annotations

import shutil
from pathlib import Path

NAIVE_CONFIG = """\
# The project's mkdocs.yml (base.yml) without our hooks, template overrides, scripts and styles
INHERIT: base.yml
docs_dir: docs
hooks: []
extra_javascript: []
extra_css: []
extra:
  polyfills: []
theme:
  custom_dir: overrides   # empty: Material's own templates
validation:
  anchors: info   # the notes' own links to their headings (hand-written tables of contents) need not resolve
"""


def naive_project(notes_dir: Path, target_dir: Path, config_file: Path | None = None) -> Path:
    """Prepare target_dir as a MkDocs project whose pages are the notes of notes_dir as written (a
    .txt note becomes a .md page), with the settings of config_file (the mkdocs.yml next to notes_dir
    unless given) minus our hooks and overrides. Returns target_dir."""
    config_file = config_file or notes_dir.parent / "mkdocs.yml"
    docs = target_dir / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    (target_dir / "overrides").mkdir(exist_ok=True)
    for note in sorted(notes_dir.iterdir()):
        if note.is_file() and not note.name.startswith("."):
            shutil.copyfile(note, docs / f"{note.stem}.md")
    (docs / "index.md").write_text("# Notes\n\nThe notes as written, one page each.\n", encoding="utf-8")
    shutil.copyfile(config_file, target_dir / "base.yml")
    (target_dir / "mkdocs.yml").write_text(NAIVE_CONFIG, encoding="utf-8")
    return target_dir
