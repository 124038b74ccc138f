"""Which notes are private: the salary notes, filed on the one private topic (the sites are checked in site/ and pdf/)."""

from __future__ import annotations

from kb.model import Config


def test_the_salary_notes_are_private(private_lines: list[str], config: Config):
    assert [t.title for t in config.topics if t.private] == ["Salary and negotiation"]
    assert len(private_lines) >= 10
    for figure in ("25 lpa", "10 ctc", "150% hike"):
        assert any(figure in line for line in private_lines), figure
