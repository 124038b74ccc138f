import ftfy
from hypothesis import given
from hypothesis import strategies as st

from kb.read import read_note, repair_only


def test_utf8_note_is_read_as_is():
    note, problems = read_note("a.txt", "naïve — “quotes” stay\n".encode())
    assert note is not None and note.lines == ("naïve — “quotes” stay",)
    assert problems == []


def test_mojibake_is_repaired_and_reported_with_its_line():
    note, problems = read_note("a.md", "# T\n\nFr√©chet Inception Distance\n".encode())
    assert note is not None and note.lines[2] == "Fréchet Inception Distance"
    assert [p.line for p in problems] == [3]
    assert "notes/a.md:3: warning: repaired text encoding" in str(problems[0])


def test_legacy_encoding_is_decoded_and_reported():
    note, problems = read_note("old.txt", "first line\ncaf\u00e9 \u2013 na\u00efve\n".encode("cp1252"))
    assert note is not None and note.lines[1] == "café – naïve"
    assert len(problems) == 1 and problems[0].line == 2 and "read as cp1252" in problems[0].message
    assert not problems[0].fatal


def test_binary_file_is_refused_with_the_offset():
    note, problems = read_note("img.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert note is None
    assert problems[0].fatal and "binary file (NUL byte at offset 8)" in str(problems[0])


def test_empty_file_is_a_warning_not_a_failure():
    note, problems = read_note("empty.md", b"  \n\n")
    assert note is None and not problems[0].fatal and "empty note" in problems[0].message


def test_huge_file_is_refused():
    note, problems = read_note("dump.txt", b"x" * 2048, max_bytes=1024)
    assert note is None and problems[0].fatal and "over the 1,024-byte limit" in problems[0].message


def test_markdown_is_recognised_by_content_as_well_as_name():
    assert read_note("n.txt", b"# Title\n\n- item\n")[0].markdown
    assert not read_note("n.txt", b"plain line\n\tindented\n")[0].markdown


@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E) | st.just("\t"), max_size=80))
def test_printable_ascii_lines_are_kept_as_ftfy_keeps_them(line: str):
    """read.py leaves such lines out of ftfy (which is slow): it would not change them either."""
    note, _ = read_note("a.txt", (line + "\nx\n").encode())
    assert note is not None and note.lines[0] == ftfy.fix_text(line, repair_only()) == line
