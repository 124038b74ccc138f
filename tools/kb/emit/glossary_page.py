"""The glossary page: every glossary term the notes use, with its definition, other spellings, the page
that explains it and the pages that mention it."""

from __future__ import annotations

from ..model import Links, Slug, Term, Topic
from ..model.marks import MARKDOWN_HEADER
from .markdown import escape, front_matter, heading, join, page_link


def glossary_page(glossary: tuple[Term, ...], links: Links) -> str:
    here = Topic(Slug("glossary"), "Glossary", "", Slug("glossary"), ())
    out = [front_matter("Glossary", "The terms these notes use, each in one line, with the pages that explain and use it."),
           MARKDOWN_HEADER, "", "# Glossary", "",
           f"{len(glossary)} terms the notes use. Every page links the first mention of a term in each "
           "question or block of notes to its entry here; hover the link to read the definition. "
           "The definitions come from `config/glossary.yml`, not from the notes.", ""]
    for term in sorted(glossary, key=lambda t: t.name.lower()):
        out += [heading(2, escape(term.name), term.slug), "", escape(term.definition), ""]
        if term.aliases:
            out += ["Also written: " + ", ".join(escape(a) for a in term.aliases), "{ .kb-context }", ""]
        facts = []
        home = links.home.get(term.slug)
        if home:
            facts.append(f"Explained in [{escape(home.title)}]({page_link(here, home)})")
        others = [t for t in links.uses.get(term.slug, ()) if t != home]
        if others:
            facts.append("mentioned in " + ", ".join(f"[{escape(t.title)}]({page_link(here, t)})" for t in others))
        if facts:
            out += ["; ".join(facts), "{ .kb-source }", ""]
    return join(out)
