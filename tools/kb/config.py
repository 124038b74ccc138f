"""Turn the user-editable YAML files in config/ into a Config, with errors that name file and line."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import yaml
from pymdownx.slugs import slugify

from .model import Config, Slug, Term, Topic

TOPICS_FILE = "topics.yml"
CORRECTIONS_FILE = "corrections.yml"
CLEANUP_FILE = "cleanup.yml"
GLOSSARY_FILE = "glossary.yml"

_slug = slugify(case="lower")


class ConfigError(Exception):
    """A config file that cannot be used; the message names the file and, when known, the line."""


def make_slug(text: str) -> Slug:
    """The slug MkDocs/Material would make for a heading with this text."""
    return Slug(_slug(text, "-"))


def load_config(texts: Mapping[str, str]) -> Config:
    """Build the Config from the texts of config/topics.yml, corrections.yml and cleanup.yml."""
    topics_doc = _parse(TOPICS_FILE, texts)
    corrections_doc = _parse(CORRECTIONS_FILE, texts)
    cleanup_doc = _parse(CLEANUP_FILE, texts)

    topics: list[Topic] = []
    for s_index, section in enumerate(_get(topics_doc, "sections", list, TOPICS_FILE)):
        where = f"{TOPICS_FILE}: sections[{s_index}]"
        section_title = _get(section, "title", str, where)
        for t_index, topic in enumerate(_get(section, "topics", list, where)):
            t_where = f"{where}.topics[{t_index}]"
            topics.append(_topic(topic, section_title, t_where))
    seen: dict[str, str] = {}
    for topic in topics:
        if topic.path in seen:
            raise ConfigError(f"{TOPICS_FILE}: topics '{seen[topic.path]}' and '{topic.title}' both make the page {topic.path}; give one a different slug")
        seen[topic.path] = topic.title
    inbox = _topic(_get(topics_doc, "inbox", dict, TOPICS_FILE), "", f"{TOPICS_FILE}: inbox", keywords_required=False)

    corrections = tuple((str(k).lower(), str(v)) for k, v in (_get(corrections_doc, "corrections", dict, CORRECTIONS_FILE)).items())
    spellings = tuple(str(s) for s in _get(corrections_doc, "spellings", list, CORRECTIONS_FILE))
    drops = []
    for index, rule in enumerate(_get(cleanup_doc, "drop", list, CLEANUP_FILE)):
        pattern = _get(rule, "pattern", str, f"{CLEANUP_FILE}: drop[{index}]")
        try:
            re.compile(pattern)
        except re.error as error:
            raise ConfigError(f"{CLEANUP_FILE}: drop[{index}]: pattern {pattern!r} is not a valid regular expression: {error}") from None
        drops.append((pattern, _get(rule, "reason", str, f"{CLEANUP_FILE}: drop[{index}]")))
    labels = tuple(str(s) for s in _get(cleanup_doc, "field_labels", list, CLEANUP_FILE))
    resources = tuple(str(s) for s in _get(cleanup_doc, "resource_labels", list, CLEANUP_FILE))
    glossary, ignore = _glossary(texts, {t.slug for t in topics})
    return Config(tuple(topics), inbox, corrections, spellings, tuple(drops), labels, resources, glossary, ignore)


def _glossary(texts: Mapping[str, str], topic_slugs: set[str]) -> tuple[tuple[Term, ...], tuple[str, ...]]:
    """The terms of config/glossary.yml (optional: without it the handbook has no glossary)."""
    if GLOSSARY_FILE not in texts:
        return (), ()
    doc = _parse(GLOSSARY_FILE, texts)
    terms: list[Term] = []
    seen: dict[str, str] = {}
    for index, data in enumerate(_get(doc, "terms", list, GLOSSARY_FILE)):
        where = f"{GLOSSARY_FILE}: terms[{index}]"
        name = _get(data, "term", str, where)
        aliases = data.get("aliases", [])
        if not isinstance(aliases, list):
            raise ConfigError(f"config/{where}: 'aliases' must be a list")
        topic = data.get("topic")
        if topic is not None and topic not in topic_slugs:
            raise ConfigError(f"config/{where}: term '{name}' names topic '{topic}', which is not a topic slug in {TOPICS_FILE}")
        term = Term(name, make_slug(name), _get(data, "definition", str, where).strip(), tuple(str(a) for a in aliases),
                    Slug(topic) if topic else None, bool(data.get("exact", False)))
        for spelling in (name, *term.aliases):
            key = spelling.lower()
            if key in seen:
                raise ConfigError(f"config/{where}: '{spelling}' is already used by the term '{seen[key]}'")
            seen[key] = name
        terms.append(term)
    ignore = tuple(str(word) for word in doc.get("ignore", []) or [])
    return tuple(terms), ignore


def _topic(data: Any, section: str, where: str, keywords_required: bool = True) -> Topic:
    title = _get(data, "title", str, where)
    slug = make_slug(str(data.get("slug") or title))
    keywords = data.get("keywords", [])
    if keywords_required and not keywords:
        raise ConfigError(f"{where}: topic '{title}' has no keywords, so nothing can ever land on it")
    if not isinstance(keywords, list):
        raise ConfigError(f"{where}: 'keywords' must be a list")
    private = data.get("private", False)
    if not isinstance(private, bool):
        raise ConfigError(f"{where}: 'private' must be true or false")
    section_slug = make_slug(section) if section else slug
    return Topic(slug, title, section, section_slug, tuple(str(k).lower() for k in keywords), str(data.get("description", "")), private)


def _parse(name: str, texts: Mapping[str, str]) -> Any:
    if name not in texts:
        raise ConfigError(f"config/{name} is missing")
    try:
        data = yaml.safe_load(texts[name])
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise ConfigError(f"config/{name}{line}: not valid YAML: {problem}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"config/{name}: expected a mapping at the top level")
    return data


def _get(data: Any, key: str, kind: type, where: str) -> Any:
    if not isinstance(data, dict) or key not in data:
        raise ConfigError(f"config/{where}: missing '{key}'")
    value = data[key]
    if not isinstance(value, kind):
        raise ConfigError(f"config/{where}: '{key}' must be a {kind.__name__}")
    return value
