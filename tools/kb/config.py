"""Turn the user-editable YAML files in config/ into a Config, with errors that name file and line."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from .model import Config, Term, Topic
from .model.names import Slug, make_slug

TOPICS_FILE = "topics.yml"
CORRECTIONS_FILE = "corrections.yml"
CLEANUP_FILE = "cleanup.yml"
GLOSSARY_FILE = "glossary.yml"

if TYPE_CHECKING:
    import yaml

class ConfigError(Exception):
    """A config file that cannot be used; the message names the file and, when known, the line."""


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
            raise ConfigError(
                f"config/{TOPICS_FILE}: topics '{seen[topic.path]}' and '{topic.title}' both make the page {topic.path}; give one a different slug"
            )
        seen[topic.path] = topic.title
    inbox = _topic(_get(topics_doc, "inbox", dict, TOPICS_FILE), "", f"{TOPICS_FILE}: inbox", keywords_required=False)

    corrections = tuple(
        (_scalar(k, f"{CORRECTIONS_FILE}: corrections").lower(), _scalar(v, f"{CORRECTIONS_FILE}: corrections: {k}"))
        for k, v in _get(corrections_doc, "corrections", dict, CORRECTIONS_FILE).items()
    )
    spellings = _strings(corrections_doc, "spellings", CORRECTIONS_FILE, required=True)
    drops = []
    for index, rule in enumerate(_get(cleanup_doc, "drop", list, CLEANUP_FILE)):
        pattern = _get(rule, "pattern", str, f"{CLEANUP_FILE}: drop[{index}]")
        try:
            re.compile(pattern)
        except re.error as error:
            raise ConfigError(f"config/{CLEANUP_FILE}: drop[{index}]: pattern {pattern!r} is not a valid regular expression: {error}") from None
        drops.append((pattern, _get(rule, "reason", str, f"{CLEANUP_FILE}: drop[{index}]")))
    labels = _strings(cleanup_doc, "field_labels", CLEANUP_FILE, required=True)
    resources = _strings(cleanup_doc, "resource_labels", CLEANUP_FILE, required=True)
    max_bytes = _optional(cleanup_doc, "max_note_bytes", int, CLEANUP_FILE, None)
    if max_bytes is not None and max_bytes < 1:
        raise ConfigError(f"config/{CLEANUP_FILE}: max_note_bytes: expected a whole number above 0, got {max_bytes}")
    glossary, ignore = _glossary(texts, {t.slug for t in topics})
    return Config(tuple(topics), inbox, corrections, spellings, tuple(drops), labels, resources, glossary, ignore, max_bytes)


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
        aliases = _strings(data, "aliases", where)
        topic = _optional(data, "topic", str, where, None)
        if topic is not None and topic not in topic_slugs:
            raise ConfigError(f"config/{where}: term '{name}' names topic '{topic}', which is not a topic slug in {TOPICS_FILE}")
        term = Term(name, make_slug(name), _get(data, "definition", str, where).strip(), aliases,
                    Slug(topic) if topic else None, _optional(data, "exact", bool, where, False))
        for spelling in (name, *term.aliases):
            key = spelling.lower()
            if key in seen:
                raise ConfigError(f"config/{where}: '{spelling}' is already used by the term '{seen[key]}'")
            seen[key] = name
        terms.append(term)
    return tuple(terms), _strings(doc, "ignore", GLOSSARY_FILE)


def _topic(data: Any, section: str, where: str, keywords_required: bool = True) -> Topic:
    title = _get(data, "title", str, where)
    slug = make_slug(_optional(data, "slug", str, where, None) or title)
    keywords = _strings(data, "keywords", where)
    if keywords_required and not keywords:
        raise ConfigError(f"config/{where}: topic '{title}' has no keywords, so nothing can ever land on it")
    private = _optional(data, "private", bool, where, False)
    section_slug = make_slug(section) if section else slug
    description = _optional(data, "description", str, where, "")
    return Topic(slug, title, section, section_slug, tuple(k.lower() for k in keywords), description, private)


@cache
def _loader() -> type[yaml.SafeLoader]:
    """PyYAML's safe loader, in C (libyaml) where the wheel has it (5x faster). PyYAML is imported here, not with this
    module: a run whose config is as the last run read it takes the Config from the cache (pipeline)."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse(name: str, texts: Mapping[str, str]) -> Any:
    if name not in texts:
        raise ConfigError(f"config/{name} is missing")
    import yaml

    try:
        data = yaml.load(texts[name], Loader=_loader())
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise ConfigError(f"config/{name}{line}: not valid YAML: {problem}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"config/{name}: expected a mapping at the top level, got {_describe(data)}")
    return data


_KINDS = {str: "text", list: "a list", dict: "a mapping", bool: "true or false", int: "a whole number"}


def _get(data: Any, key: str, kind: type, where: str) -> Any:
    """data[key], which must be there and be of this kind."""
    if not isinstance(data, dict):
        raise ConfigError(f"config/{where}: expected a mapping with '{key}', got {_describe(data)}")
    if key not in data:
        raise ConfigError(f"config/{where}: missing '{key}'")
    return _check(data[key], kind, f"{where}: {key}")


def _optional(data: dict[str, Any], key: str, kind: type, where: str, default: Any) -> Any:
    """data[key] if it is there and not empty, which must then be of this kind; otherwise default."""
    value = data.get(key)
    return default if value is None else _check(value, kind, f"{where}: {key}")


def _check(value: Any, kind: type, where: str) -> Any:
    if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
        raise ConfigError(f"config/{where}: expected {_KINDS[kind]}, got {_describe(value)}")
    return value


def _strings(data: dict[str, Any], key: str, where: str, required: bool = False) -> tuple[str, ...]:
    """The list of words at data[key] (numbers are taken as their text); () when it is absent and not required."""
    if required and key not in data:
        raise ConfigError(f"config/{where}: missing '{key}'")
    value = data.get(key)
    if value is None and not required:
        return ()
    if not isinstance(value, list):
        raise ConfigError(f"config/{where}: {key}: expected a list of strings, got {_describe(value)}")
    return tuple(_scalar(item, f"{where}: {key}[{index}]") for index, item in enumerate(value))


def _scalar(value: Any, where: str) -> str:
    """A word or number of a config list, as text."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ConfigError(f"config/{where}: expected a string, got {_describe(value)}")
    return str(value)


def _describe(value: Any) -> str:
    """A YAML value as a message shows it: 5, 'text', a list, a mapping, nothing."""
    if value is None:
        return "nothing"
    if isinstance(value, dict | list):
        return "a mapping" if isinstance(value, dict) else "a list"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
