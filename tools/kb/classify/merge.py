"""Merge repeated questions (the first part of the classify stage): askings with the same meaning become one question.

Merging goes by meaning, not spelling: each asking is reduced to its content words (`words.meaning`),
and two askings are one question when their words are the same set, when they share most of them, or
when all the words of one recur in the other and it adds only a few, provided they want the same kind
of answer (how / why / when / where / a comparison). Askings are found again through an index (the
exact key, then the asking's rarest words), so merging stays near-linear in the number of questions.
After an edit, the last run's merge is carried (`kb.memory.carry`) and merged again only where the edit
touched it (`_merge_again`); `_merge_all` merges everything, as the first run does.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress
from operator import and_, not_
from typing import TypeVar

from ..memory import carried, carry
from ..model import (
    Block,
    Config,
    Entry,
    Item,
    ItemList,
    Link,
    Paragraph,
    ParsedNote,
    Question,
    Source,
    Text,
)
from ..sharing import RunAll, one_by_one, remember_all
from ..words import Meaning, meaning, plain_text
from .private import private_placement

SAME_SHARE = 0.85
"""Share of content words (Dice: 2 x shared / (words of one + words of the other)) from which two askings are one question."""
MAX_EXTRA = 3

_T = TypeVar("_T")
_ITEM_ANSWER = re.compile(r"\s+-+\s+|\s*[-=]+>\s*|:\s+|\s+(?=https?://)")


# --- merging repeated questions ---------------------------------------------------------------


@dataclass(slots=True)
class _Asking:
    question: Question
    meaning: Meaning
    slot: tuple[int, int]
    """(note, entry) position in the notes as parsed: askings in neighbouring slots are never merged unless identical."""
    asked: bool = True
    """Written as a question; False for a block or list item taken to repeat one."""
    why: str = ""


@dataclass(slots=True)
class _Group:
    askings: list[_Asking]

    @property
    def title(self) -> str:
        return next(a.question.title for a in self.askings if a.asked)


@dataclass(slots=True)
class _Offer:
    """A block, or one item of a list block, whose words may repeat a question asked elsewhere."""

    slot: tuple[int, int]
    block: Block | None
    question: Question | None
    """The block, and the asking it would be; None while not needed (an offer carried from the run before: `_made`)."""
    meanings: tuple[tuple[str, Meaning], ...]
    """The block's title; or the item's lead, then each of its '/' alternatives ('avoid hallucination/bad results'): with their meaning."""
    item: int | None = None
    """The item's index in the block's list; None when the whole block is the asking."""


def _merge(notes: tuple[ParsedNote, ...], config: Config, whys: bool = False) -> tuple[tuple[ParsedNote, ...], list[_Group]]:
    """The repeated questions merged, and the notes with blocks that repeat a question turned into askings of it
    (`_merge_notes`)."""
    merged_notes, groups, _, _ = _merge_notes(notes, config, whys)
    return merged_notes, groups


_NoteKey = tuple[str, bytes, tuple[tuple[int, int], ...]]
"""What a note's entries after the merge are made from: its name, the digest of its lines (`_note_digest`), and the
blocks taken as askings, as (entry, item or -1 for the whole block), in order."""


def _merge_notes(notes: tuple[ParsedNote, ...], config: Config,
                 whys: bool = False, run_all: RunAll = one_by_one) -> tuple[tuple[ParsedNote, ...], list[_Group], list[_NoteKey], list[int]]:
    """The repeated questions merged, and the notes with blocks that repeat a question turned into askings of it.

    An asking that is the same question as askings of several questions so far joins them into one
    (so 'drift - model,feature,data' and 'concept drift vs data drift vs model drift' meet through
    'data(feature) drift/model drift/concept drift'). Blocks only ever join questions, never start one.

    The merge of the last run is carried to the next (kb.memory's `carry`), which merges again only what an edit
    touched (`_merge_again`); with whys, or when that is too much, all is merged anew (`_merge_all`), which alone
    says why each asking joined its question (`_Asking.why`: `kb normalize --explain`).

    Also what each note's entries are made from (`_NoteKey`), in the notes' order; and each question's number in the
    carried merge when it is that question, with the same askings and offers, known again (else -1; all -1 when all
    was merged anew)."""
    last = carried(_CARRIED, config)
    if not _whole(last):  # nothing carried: every asking's meaning is new (~0.05 ms each), worked out all at once
        remember_all(meaning, (entry.title for parsed in notes for entry in parsed.entries if isinstance(entry, Question)), config, run_all)
    askings = [
        _Asking(entry, meaning(entry.title, config), (n, i))
        for n, parsed in enumerate(notes)
        for i, entry in enumerate(parsed.entries)
        if isinstance(entry, Question)
    ]
    before = last[1] if _whole(last) else {}  # type: ignore[index]  # checked
    known = _Known(notes, askings, before, config)
    offers = known.offers
    merged = None if whys or not before else _merge_again(askings, known, before, lambda number: _made(offers, number, notes, config), REMERGE_UP_TO)
    groups, chosen, was = merged or (*_merge_all(askings, offers, notes, config), None)
    if was is None:
        was = [-1] * len(groups)
    carry(_CARRIED, config, known.to_carry(groups, chosen))
    taken: dict[tuple[int, int], tuple[Block, list[Question], set[int]]] = {}
    """Slot of a block -> the block, the askings it became, and the items these were (none: the whole block)."""
    for number in sorted(chosen):
        offer = _made(offers, number, notes, config)
        assert offer.block is not None
        block, questions, items = taken.setdefault(offer.slot, (offer.block, [], set()))
        questions.append(chosen[number][1].question)
        if offer.item is not None:
            items.add(offer.item)
    if taken:
        touched = {n for n, _ in taken}
        notes = tuple(_replaced(parsed, n, taken) if n in touched else parsed for n, parsed in enumerate(notes))
    for group in groups:
        if len(group.askings) > 1:
            group.askings.sort(key=lambda a: (a.slot[0], a.question.source.first))
    changes: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for (n, i), (_, _, items) in sorted(taken.items()):
        changes[n].extend((i, item) for item in sorted(items)) if items else changes[n].append((i, -1))
    keys: list[_NoteKey] = [(name, digest, tuple(changes.get(n, ()))) for n, (name, digest) in enumerate(zip(known.names, known.digests, strict=True))]
    return notes, groups, keys, was


_Chosen = dict[int, tuple[int, _Asking]]
"""Offer number -> the part of it (its number in `_Offer.meanings`) that repeats a question, and the asking it became."""


def _merge_all(askings: list[_Asking], offers: list[_Offer], notes: tuple[ParsedNote, ...], config: Config) -> tuple[list[_Group], _Chosen]:
    """The askings and offers merged, all of them, in order, through an `_Index`; with why each asking joined."""
    counts: Counter[str] = Counter()
    for m in (*(a.meaning for a in askings), *(m for o in offers for _, m in o.meanings)):
        counts.update(m.words | m.optional)
    index = _Index(counts)
    groups: list[_Group] = []
    home: list[int] = []
    """Group number -> the group it was joined into (itself while it stands alone)."""

    def found(number: int) -> int:
        while home[number] != number:
            number = home[number]
        return number

    def join(asking: _Asking, matches: dict[int, tuple[float, _Asking, str]]) -> None:
        by_group: dict[int, tuple[float, _Asking, str]] = {}
        for number, match in matches.items():
            root = found(number)
            if root not in by_group or match[0] > by_group[root][0]:
                by_group[root] = match
        asking.why = "; ".join(f"{reason} {_where(other.question)}" for _, (_, other, reason) in sorted(by_group.items()))
        target = min(by_group)
        for number in sorted(by_group):
            if number != target:
                founder = groups[number].askings[0]
                founder.why = founder.why or f"same question as {_where(groups[target].askings[0].question)}, through {_where(asking.question)}"
                groups[target].askings.extend(groups[number].askings)
                groups[number].askings = []
                home[number] = target
        groups[target].askings.append(asking)
        index.add(target, asking)

    for asking in askings:
        matches = index.matches(asking.meaning, asking.slot, containment=True)
        if matches:
            join(asking, matches)
        else:
            index.add(len(groups), asking)
            home.append(len(groups))
            groups.append(_Group([asking]))
    chosen: _Chosen = {}
    whole: set[tuple[int, int]] = set()
    """The slots of blocks that are an asking as a whole."""
    for number, offer in enumerate(offers):
        if offer.slot in whole:
            continue
        tried = ((k, part, m, index.matches(m, offer.slot, containment=False)) for k, (part, m) in enumerate(offer.meanings))
        k, part, m, matches = next((t for t in tried if t[3]), (-1, "", offer.meanings[0][1], {}))
        if not matches:
            continue
        offer = _made(offers, number, notes, config)
        assert offer.question is not None
        asking = _Asking(offer.question, m, offer.slot, asked=False)
        join(asking, matches)
        if part != offer.question.title:
            asking.why = f"its part “{part.strip()}”: {asking.why}"
        chosen[number] = (k, asking)
        if offer.item is None:
            whole.add(offer.slot)
    return [g for g in groups if g.askings], chosen


_CARRIED = f"{__name__}._merge"
_FORMAT = "merge 2"
REMERGE_UP_TO = 8
"""The askings are merged again one edit's worth at a time while those to work on again are at most 1/REMERGE_UP_TO of
them; else all are merged anew."""


def _digest(text: str) -> int:
    """A text's digest, as a whole number (of 64 bits): what the carried merge knows an asking's wording by."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "big")


_Note = tuple[bytes, tuple[int, ...], tuple[int, ...], tuple[str, ...]]
"""What a merge carries of a note: a digest of its lines; its askings as (entry, digest of the wording, question);
its offers as (entry, item or -1, how many parts, the part taken or -1, question or -1), one after another in two
tuples of whole numbers; and the offers' parts, one after another. A question is its number in the merge's order."""
_Carried = tuple[str, dict[str, _Note]]
"""What a merge carries to the next run: its format, and each note's (`_Note`) by name, in the notes' order."""
_ASKING_FIELDS, _OFFER_FIELDS = 3, 5


def _whole(value: object) -> bool:
    """Whether value is what a merge carries (`_Carried`): it comes from the cache."""
    if not (type(value) is tuple and len(value) == 2 and value[0] == _FORMAT and type(value[1]) is dict):
        return False
    for name, note in value[1].items():
        if not (type(name) is str and type(note) is tuple and len(note) == 4):
            return False
        digest, askings, offers, parts = note
        if not (type(digest) is bytes and type(askings) is tuple and type(offers) is tuple and type(parts) is tuple
                and len(askings) % _ASKING_FIELDS == 0 and len(offers) % _OFFER_FIELDS == 0
                and all(type(x) is int for x in askings) and all(type(x) is int for x in offers) and all(type(x) is str for x in parts)
                and sum(offers[2::_OFFER_FIELDS]) == len(parts) and all(x > 0 for x in offers[2::_OFFER_FIELDS])):
            return False
    return True


def _note_digest(parsed: ParsedNote) -> bytes:
    """A digest of what a note's askings and offers are made from (its lines; its name is known apart)."""
    note = parsed.note
    digest = hashlib.sha256(b"md\n" if note.markdown else b"txt\n")  # (sha256: twice as fast as blake2b here, with the CPU's help)
    digest.update("\n".join(note.lines).encode("utf-8", "surrogatepass"))
    return digest.digest()[:16]


class _Known:
    """The askings and offers of this run as a carried merge knows them: by note, entry, and their wording (a digest of
    it for askings); the offers of the notes whose lines did not change are taken from what was carried."""

    def __init__(self, notes: tuple[ParsedNote, ...], askings: list[_Asking], before: dict[str, _Note], config: Config) -> None:
        self.names = tuple(parsed.note.name for parsed in notes)
        self.names_set = frozenset(self.names)
        self.digests = [_note_digest(parsed) for parsed in notes]
        self._askings = askings
        self.same: list[_Note | None] = []
        """Each note's, as carried, when its lines are the same (None: changed or new)."""
        self.asking_rows: list[tuple[int, int]] = []
        self.offers: list[_Offer] = []
        self.offer_rows: list[tuple[int, int, tuple[str, ...]]] = []
        by_note: list[list[_Asking]] = [[] for _ in notes]
        for asking in askings:
            by_note[asking.slot[0]].append(asking)
        self.asking_notes = [a.slot[0] for a in askings]
        self.offer_notes: list[int] = []
        for n, parsed in enumerate(notes):
            was = before.get(self.names[n])
            if was is not None and (was[0] != self.digests[n] or len(was[1]) != _ASKING_FIELDS * len(by_note[n])
                                    or not all(j < len(parsed.entries) and isinstance(parsed.entries[j], Block) for j in was[2][0::_OFFER_FIELDS])):
                was = None  # changed (or carried damaged)
            self.same.append(was)
            if was is not None:
                self.asking_rows.extend(zip(was[1][0::_ASKING_FIELDS], was[1][1::_ASKING_FIELDS], strict=True))
            else:
                self.asking_rows.extend((a.slot[1], _digest(a.question.title)) for a in by_note[n])
            if was is not None:
                offers, rows = _carried_offers(n, was, config)
            else:
                offers = _note_offers(n, parsed, config)
                rows = [(o.slot[1], -1 if o.item is None else o.item, tuple(part for part, _ in o.meanings)) for o in offers]
            self.offers.extend(offers)
            self.offer_notes.extend([n] * len(offers))
            self.offer_rows.extend(rows)

    def to_carry(self, groups: list[_Group], chosen: _Chosen) -> _Carried:
        number = {id(a): g for g, group in enumerate(groups) for a in group.askings}
        by_note: list[tuple[list[int], list[int], list[str]]] = [([], [], []) for _ in self.names]
        for (entry, digest), n, asking in zip(self.asking_rows, self.asking_notes, self._askings, strict=True):
            by_note[n][0].extend((entry, digest, number[id(asking)]))
        for o, ((entry, item, parts), n) in enumerate(zip(self.offer_rows, self.offer_notes, strict=True)):
            part, question = (chosen[o][0], number[id(chosen[o][1])]) if o in chosen else (-1, -1)
            by_note[n][1].extend((entry, item, len(parts), part, question))
            by_note[n][2].extend(parts)
        return _FORMAT, {name: (digest, tuple(a), tuple(o), tuple(p)) for name, digest, (a, o, p) in zip(self.names, self.digests, by_note, strict=True)}


def _carried_offers(n: int, note: _Note, config: Config) -> tuple[list[_Offer], list[tuple[int, int, tuple[str, ...]]]]:
    """The offers of note number n as carried (for a note whose lines did not change): without their blocks (`_made`);
    and their rows (`_Known.offer_rows`)."""
    flat, texts = note[2], note[3]
    offers, rows = [], []
    start = 0
    for j in range(0, len(flat), _OFFER_FIELDS):
        entry, item, count = flat[j:j + 3]
        parts = texts[start:start + count]
        start += count
        offers.append(_Offer((n, entry), None, None, tuple([(part, meaning(part, config)) for part in parts]), None if item < 0 else item))
        rows.append((entry, item, parts))
    return offers, rows


def _made(offers: list[_Offer], number: int, notes: tuple[ParsedNote, ...], config: Config) -> _Offer:
    """Offer number, with its block and the asking it would be (made again for an offer carried without them)."""
    offer = offers[number]
    if offer.block is None:
        n, i = offer.slot
        block = notes[n].entries[i]
        assert isinstance(block, Block)
        offer = offers[number] = next(o for o in _block_offers(n, i, block, notes[n].note.lines, config) if o.item == offer.item)
    return offer


def _merge_again(askings: list[_Asking], known: _Known, before: dict[str, _Note], made: Callable[[int], _Offer],
                 up_to: int = REMERGE_UP_TO) -> tuple[list[_Group], _Chosen, list[int]] | None:
    """The merge `_merge_all` makes (but for the whys), made again from last's (as carried) for what changed since;
    None when too much did (more than 1/up_to of the askings to merge again), or when an offer is taken otherwise.
    Also each question's number last time when it is that question (none of its nodes dirty: see below), else -1.

    Merged questions are the connected parts of a graph: askings (and offers taken) are its nodes, and two are
    joined when they are the same question (`same_question`, with containment only between two askings). Which
    offers are taken depends on the order: an offer is taken, as its first part with a match, when that part is
    the same question as an asking or an offer taken before it. An asking or offer is known again by its note's
    name, its entry and a digest of its wording; what decides whether two are the same question (their meanings,
    and whether they are next to each other) is then the same as last time. So the nodes known again keep their
    edges among themselves, and a question of last time none of whose askings is gone or changed is still a
    connected part, which only a new node can join to another. The new nodes, and those of a question that lost
    one, are merged again: their edges are looked for among all nodes (`_Postings`), and joined. An offer known
    again keeps its part when no new node matches one of its parts before it, and its part still matches when its
    question lost nothing (the nodes it matched were of it); else the part is looked at again, and when an
    offer would be taken otherwise, all is merged anew."""
    names, offers = known.names, known.offers
    order = {name: n for n, name in enumerate(before)}
    again = [order[name] for name in names if name in order]
    if any(b <= a for a, b in zip(again, again[1:], strict=False)):
        return None  # the notes are in another order (they are read in name order)
    touched: set[int] = set()
    """The questions of last time that lost an asking or an offer."""
    asking_was = [-1] * len(askings)
    """Each asking's question last time (-1: new)."""
    offer_was: list[tuple[int, int] | None] = [None] * len(offers)
    """Each offer's part and question last time ((-1, -1): not taken; None: new)."""
    start = [0, 0]
    for n, name in enumerate(names):
        a_end, o_end = start[0], start[1]
        while a_end < len(askings) and known.asking_notes[a_end] == n:
            a_end += 1
        while o_end < len(offers) and known.offer_notes[o_end] == n:
            o_end += 1
        same = known.same[n]
        if same is not None:  # the same lines: the same askings and offers
            asking_was[start[0]:a_end] = same[1][2::_ASKING_FIELDS]
            offer_was[start[1]:o_end] = zip(same[2][3::_OFFER_FIELDS], same[2][4::_OFFER_FIELDS], strict=True)
        elif name in before:
            _, flat, offered, texts = before[name]
            _known_again(known.asking_rows, start[0], a_end, _rows(flat, _ASKING_FIELDS, 2), asking_was, touched)
            _known_again(known.offer_rows, start[1], o_end, _offer_rows(offered, texts), offer_was, touched)
        start = [a_end, o_end]
    for gone, (_, flat, offered, _) in before.items():
        if gone not in known.names_set:
            touched.update(flat[2::_ASKING_FIELDS])
            touched.update(q for q in offered[4::_OFFER_FIELDS] if q >= 0)
    by_words = _Postings()
    by_words.items = [(number, asking.meaning) for number, asking in enumerate(askings) if asking.meaning.words]  # (as `add` files them)
    parts = _Postings()
    """The offers' parts, by number in part_of: made at the first new node."""
    part_of: list[tuple[int, int]] = []
    taken = _Postings()
    """The offers taken so far, by number."""
    chosen: dict[int, int] = {}
    for number, was in enumerate(offer_was):
        if was is not None and was[0] >= 0:
            if was[0] >= len(offers[number].meanings):
                return None
            chosen[number] = was[0]
            taken.add(number, offers[number].meanings[was[0]][1])
    flags: dict[int, int] = {}
    """Offer -> its first part found the same question as a new node."""

    def flag(m: Meaning, slot: tuple[int, int], after: int) -> None:
        if not part_of:
            for number, offer in enumerate(offers):
                for k, (_, part) in enumerate(offer.meanings):
                    parts.add(len(part_of), part)
                    part_of.append((number, k))
        for x in parts.near(m):
            number, k = part_of[x]
            if number > after and k < flags.get(number, len(offers[number].meanings)):
                other = offers[number]
                if same_question(m, other.meanings[k][1], _next_to(slot, other.slot), False) is not None:
                    flags[number] = k

    def matched(m: Meaning, slot: tuple[int, int], number: int) -> bool:
        """Whether an asking, or an offer taken before this one, is the same question as m."""
        return any(same_question(m, askings[x].meaning, _next_to(slot, askings[x].slot), False) is not None for x in by_words.near(m)) or any(
            x < number and same_question(m, offers[x].meanings[chosen[x]][1], _next_to(slot, offers[x].slot), False) is not None
            for x in taken.near(m) if x in chosen)

    for number, asking in enumerate(askings):
        if asking_was[number] < 0:
            flag(asking.meaning, asking.slot, -1)
    for number, (offer, was) in enumerate(zip(offers, offer_was, strict=True)):
        if was is None:
            k = next((k for k, (_, m) in enumerate(offer.meanings) if matched(m, offer.slot, number)), -1)
            if k >= 0:
                chosen[number] = k
                taken.add(number, offer.meanings[k][1])
                flag(offer.meanings[k][1], offer.slot, number)
            continue
        part, question = was
        if number in flags and (part < 0 or flags[number] < part):
            return None  # taken now, or as another part
        if part >= 0 and question in touched and not matched(offer.meanings[part][1], offer.slot, number):
            return None  # no longer taken
    # the graph: askings, then the offers taken
    taken_numbers = sorted(chosen)
    nodes: list[tuple[Meaning, tuple[int, int], int]] = [(a.meaning, a.slot, q) for a, q in zip(askings, asking_was, strict=True)]
    node_of: dict[int, int] = {}
    for number in taken_numbers:
        offer, was = offers[number], offer_was[number]
        node_of[number] = len(nodes)
        nodes.append((offer.meanings[chosen[number]][1], offer.slot, -1 if was is None else was[1]))
    dirty = [x for x, (_, _, q) in enumerate(nodes) if q < 0 or q in touched]
    if len(dirty) * up_to > len(nodes):
        return None
    home = list(range(len(nodes)))
    first: dict[int, int] = {}
    for x, (_, _, q) in enumerate(nodes):
        if q >= 0 and q not in touched:
            home[x] = first.setdefault(q, x)

    def found(x: int) -> int:
        while home[x] != x:
            home[x] = home[home[x]]
            x = home[x]
        return x

    count = len(askings)
    for x in dirty:
        m, slot, _ = nodes[x]
        if not m.words:
            continue
        candidates = [*by_words.near(m), *(node_of[o] for o in taken.near(m) if o in node_of)]
        for y in candidates:
            if y == x:
                continue
            root, other = found(x), found(y)
            if root == other:
                continue
            if same_question(m, nodes[y][0], _next_to(slot, nodes[y][1]), x < count and y < count) is not None:
                home[max(root, other)] = min(root, other)
    groups: dict[int, _Group] = {}
    for x, asking in enumerate(askings):
        asking.why = ""
        root = home[x]
        if home[root] != root:
            root = found(x)
        group = groups.get(root)
        if group is None:
            groups[root] = _Group([asking])
        else:
            group.askings.append(asking)
    taken_as: _Chosen = {}
    for number in taken_numbers:
        offer = made(number)
        assert offer.question is not None
        asking = _Asking(offer.question, offer.meanings[chosen[number]][1], offer.slot, asked=False)
        taken_as[number] = (chosen[number], asking)
        group = groups.get(found(node_of[number]))
        if group is None:
            return None  # (an offer only ever joins a question)
        group.askings.append(asking)
    dirty_roots = {found(x) for x in dirty}
    return list(groups.values()), taken_as, [-1 if root in dirty_roots else nodes[root][2] for root in groups]


def _rows(flat: tuple[int, ...], size: int, key: int) -> list[tuple[tuple[int, ...], int]]:
    """The carried askings (flat, size fields each) as (the first key fields, the question)."""
    return [(flat[j:j + key], flat[j + size - 1]) for j in range(0, len(flat), size)]


def _offer_rows(flat: tuple[int, ...], texts: tuple[str, ...]) -> list[tuple[tuple[int, int, tuple[str, ...]], tuple[int, int]]]:
    """The carried offers as ((entry, item, parts), (the part taken, question))."""
    rows = []
    start = 0
    for j in range(0, len(flat), _OFFER_FIELDS):
        entry, item, count, part, question = flat[j:j + _OFFER_FIELDS]
        rows.append(((entry, item, texts[start:start + count]), (part, question)))
        start += count
    return rows


def _known_again(rows: Sequence[Hashable], start: int, end: int, olds: Sequence[tuple[Hashable, _T]], was: list[_T], touched: set[int]) -> None:
    """For rows[start:end] (a changed note's askings or offers), what they were last time (olds: that note's, as
    carried, with what each was), found by the row; the questions of those gone, in touched."""
    by_key = dict(olds)
    for j in range(start, end):
        row = rows[j]
        if row in by_key:
            was[j] = by_key.pop(row)
    for old in by_key.values():
        question = old if isinstance(old, int) else old[1]  # type: ignore[index]  # an offer's (part, question)
        if question >= 0:
            touched.add(question)


def _next_to(slot: tuple[int, int], other: tuple[int, int]) -> bool:
    return slot[0] == other[0] and -1 <= slot[1] - other[1] <= 1


class _Postings:
    """Numbered askings, found again by their words: those that may be the same question as a meaning are found through
    its rarest words. Two askings that are the same question share at least half the words outside parentheses of
    either (see `_Index`), so any such asking has one of the first words of the meaning, in any order: all but
    fewer than half of its words outside parentheses. The first few look through all askings for those sharing a word
    (most edits look for a few); the index of words is made for more."""

    SCANS = 8

    def __init__(self) -> None:
        self.items: list[tuple[int, Meaning]] = []
        self.by_word: dict[str, list[int]] | None = None
        self.scans = 0

    def add(self, number: int, m: Meaning) -> None:
        if not m.words:
            return
        self.items.append((number, m))
        if self.by_word is not None:
            self._file(number, m)

    def _file(self, number: int, m: Meaning) -> None:
        assert self.by_word is not None
        by_word = self.by_word
        for word in (*m.words, *m.optional):
            found = by_word.get(word)
            if found is None:
                by_word[word] = [number]
            else:
                found.append(number)

    def near(self, m: Meaning) -> Iterator[int]:
        """The askings that have one of the first words of m (the fewest askings have first), each once; or, while
        the index of words is not made, those having any word of m."""
        if not m.words:
            return
        if self.by_word is None:
            self.scans += 1
            if self.scans <= self.SCANS:
                every = m.words | m.optional
                for number, other in self.items:
                    if not (every.isdisjoint(other.words) and every.isdisjoint(other.optional)):
                        yield number
                return
            self.by_word = {}
            for number, other in self.items:
                self._file(number, other)
        by_word = self.by_word
        words = sorted((*m.words, *m.optional), key=lambda w: (len(by_word.get(w, ())), w))
        seen: set[int] = set()
        for word in words[: len(words) - (len(m.words) + 1) // 2 + 1]:
            for number in by_word.get(word, ()):
                if number not in seen:
                    seen.add(number)
                    yield number


def _where(entry: Entry) -> str:
    return f"{entry.source.note}:{entry.source.first}"


class _Index:
    """The askings merged so far, found again by exact meaning key, else by their rarest words.

    Prefix filtering: words are ordered rarest first; each asking is filed under so many of its first
    words that any two askings the rules could merge (which share at least half the words of either) share
    a filed word. A new asking is compared only with askings filed under its own first words, and only when
    the words both have from the first one they share on could be enough for a merge (the positional filter).

    Then, before `same_question`, a cheap count of bits: each word has one of BITS bits (the commonest words one
    to themselves), so when no two words of the new asking have the same bit, it shares at least as many bits as
    words with any other, and when d of its words have a bit another of its words has too, at least as many bits as
    words less d; too few shared bits (`_need`), and the two cannot be the same question. Most near misses
    end there: a shelf at once when all its askings together share too few, else one by one, without Python work.
    """

    BITS = 240
    OWN_BITS = 64
    """How many bits the words are spread over (a short integer, so cheap to compare), and how many of the
    commonest words have one of them to themselves."""

    def __init__(self, counts: Counter[str]) -> None:
        common = sorted(counts, key=lambda w: (-counts[w], w))
        rest = self.BITS - self.OWN_BITS
        self.bits = {w: 1 << (n if n < self.OWN_BITS else self.OWN_BITS + (n - self.OWN_BITS) % rest) for n, w in enumerate(common)}
        """Word -> its bit."""
        self.rank = {w: n for n, w in enumerate(sorted(counts, key=lambda w: (counts[w], w)))}
        """Word -> its place, rarest first."""
        self.exact: dict[str, _Shelf] = {}
        self.filed: dict[str, list[tuple[tuple[int, int, int], _Shelf]]] = defaultdict(list)
        """Word -> its shelves in the order made: (an asking's words from this one on outside parentheses, inside
        them, all its words outside them) and the askings alike in these, which are let in or left out together."""
        self._shelves: dict[tuple[str, int, int, int], _Shelf] = {}
        self._admitted: dict[tuple[str, int, int, int, bool], tuple[list[int], list[tuple[int, _Shelf]]]] = {}
        """What `_may_merge` let in: (word, words, from the word on outside and inside parentheses, containment)
        -> (how many of the word's shelves were looked at, those let in with their askings' sizes)."""
        self.askings: list[tuple[int, _Asking, int, int, int, int, int, str]] = []
        """In the order filed: group number, asking, the bits of all its words, how many words it has outside
        parentheses, the bits of its intents, its slot, its key."""
        self._known: dict[int, tuple[Meaning, list[tuple[str, int, int]], int, int, int]] = {}
        """id(meaning) -> the meaning, its prefix, the bits of its words, how many fewer bits than words they have,
        the bits of its intents."""
        self.compared = 0
        """How many askings were let through the filters (to the checks in Python, then `same_question`)."""

    def _prefix(self, m: Meaning) -> list[tuple[str, int, int]]:
        """The words to file the asking under, each with how many of its words (outside, inside parentheses) come from it on."""
        words = sorted(m.words | m.optional, key=self.rank.__getitem__)
        outside, inside = len(m.words), len(m.optional)
        if not inside:
            return [(word, outside - n, 0) for n, word in enumerate(words[: outside - (outside + 1) // 2 + 1])]
        prefix = []
        for word in words[: len(words) - (len(m.words) + 1) // 2 + 1]:
            prefix.append((word, outside, inside))
            outside, inside = (outside - 1, inside) if word in m.words else (outside, inside - 1)
        return prefix

    def _known_of(self, m: Meaning) -> tuple[Meaning, list[tuple[str, int, int]], int, int, int]:
        """The meaning, its prefix, the bits of its words, how many fewer bits than words it has, the bits of its
        intents; worked out once for each meaning (the same wording has the same one)."""
        known = self._known.get(id(m))
        if known is None or known[0] is not m:
            every = m.words | m.optional
            bits = {self.bits[w] for w in every}
            known = self._known[id(m)] = (m, self._prefix(m), sum(bits), len(every) - len(bits), _intents(m.intents))
        return known

    def add(self, number: int, asking: _Asking) -> None:
        m = asking.meaning
        if not m.words:
            return
        serial = len(self.askings)
        _, prefix, every, _, intents = self._known_of(m)
        size = len(m.words)
        self.askings.append((number, asking, every, size, intents, *asking.slot, m.key))
        shelf = self.exact.get(m.key)
        if shelf is None:
            shelf = self.exact[m.key] = _Shelf()
        shelf.put(number, serial, every)
        for word, outside, inside in prefix:
            shelf = self._shelves.get((word, outside, inside, size))
            if shelf is None:
                shelf = self._shelves[(word, outside, inside, size)] = _Shelf()
                self.filed[word].append(((outside, inside, size), shelf))
            shelf.put(number, serial, every)

    def matches(self, m: Meaning, slot: tuple[int, int], containment: bool) -> dict[int, tuple[float, _Asking, str]]:
        """Group number (as filed) -> an asking of it this meaning is the same question as: score, asking, why."""
        found: dict[int, tuple[float, _Asking, str]] = {}
        if not m.words:
            return found
        _, prefix, every, missing, intents = self._known_of(m)  # missing: how many fewer bits than words it has
        size = len(m.words)
        exact = self.exact.get(m.key)
        candidates = [(exact, max(0, size - missing))] if exact else []
        filed, known_kinds = self.filed, self._admitted
        for word, outside, inside in prefix:
            shelves = filed.get(word)
            if not shelves:
                continue
            kind = (word, size, outside, inside, containment)
            seen = known_kinds.get(kind)
            looked, admitted = seen if seen is not None else known_kinds.setdefault(kind, ([0], []))
            if looked[0] < len(shelves):  # shelves made since this kind of asking last looked
                for (other_outside, other_inside, other_size), shelf in shelves[looked[0]:]:
                    if _may_merge((size, outside, inside), (other_size, other_outside, other_inside), containment):
                        admitted.append((other_size, shelf))
                looked[0] = len(shelves)
            for other_size, shelf in admitted:
                need = max(0, _need(size, other_size, containment) - missing)
                if not need or (every & shelf.bits).bit_count() >= need:
                    candidates.append((shelf, need))
        key, (note, entry) = m.key, slot
        askings = self.askings
        done: set[int] = set()
        for shelf, need in candidates:
            # one asking of a question is enough to join it (the same key first, then rarest words first): the others
            # of a question found are passed over, as are those sharing too few bits, without a step in Python
            left: Iterator[bool] = map(not_, map(found.__contains__, shelf.numbers))  # read as found grows
            if need:
                left = map(and_, map(need.__le__, map(int.bit_count, map(every.__and__, shelf.each))), left)
            for number, serial in compress(zip(shelf.numbers, shelf.serials, strict=True), left):
                if serial in done:
                    continue
                done.add(serial)
                _, other, other_every, other_size, other_intents, other_note, other_entry, other_key = askings[serial]
                if intents and other_intents and not intents & other_intents:
                    continue
                next_to = other_note == note and -1 <= other_entry - entry <= 1
                if other_key != key:
                    if next_to:
                        continue
                    if (need and containment and (intents | other_intents) & _COMPARE_BIT
                            and (every & other_every).bit_count() < _need(size, other_size, False) - missing):
                        continue  # a comparison must share enough words for the share alone
                self.compared += 1
                verdict = same_question(m, other.meaning, next_to, containment)
                if verdict is not None:
                    found[number] = (verdict[0], other, verdict[1])
        return found


@dataclass(slots=True)
class _Shelf:
    """Askings filed together: the group number of each, its place in `_Index.askings`, the bits of its words; the bits of all."""

    numbers: list[int] = dataclasses.field(default_factory=list)
    serials: list[int] = dataclasses.field(default_factory=list)
    each: list[int] = dataclasses.field(default_factory=list)
    bits: int = 0

    def put(self, number: int, serial: int, bits: int) -> None:
        self.numbers.append(number)
        self.serials.append(serial)
        self.each.append(bits)
        self.bits |= bits


@lru_cache(maxsize=4096)
def _need(size: int, other_size: int, containment: bool) -> int:
    """The fewest words two askings with so many words outside parentheses must share to be the same question by
    the rules of `same_question` (other than having the same words, which share all of them).

    Words in parentheses they share count in both their sizes, so the share can only be smaller than with none;
    with containment, all the smaller one's words must recur, and the larger one add at most MAX_EXTRA."""
    shared = 0
    while 2 * shared / (size + other_size) < SAME_SHARE and (
            not containment or shared < min(size, other_size) or max(size, other_size) - shared > min(MAX_EXTRA, shared)):
        shared += 1
    return shared


_INTENT_BITS = {"compare": 1, "how": 2, "why": 4, "when": 8, "where": 16}
_COMPARE_BIT = _INTENT_BITS["compare"]


def _intents(intents: frozenset[str]) -> int:
    """The kinds of answer as bits (any other kind gets a bit of its own)."""
    return sum(_INTENT_BITS.setdefault(i, 1 << len(_INTENT_BITS)) for i in intents)


@lru_cache(maxsize=65536)
def _may_merge(a: tuple[int, int, int], b: tuple[int, int, int], containment: bool) -> bool:
    """Whether two askings, where they first share a word, could still be one question by the rules of
    `same_question` (other than having the same words, which the exact key finds).

    Each is (its words outside parentheses, how many of them come from the first shared word on, how many of its
    words in parentheses do). They share `o` words, at most the words both have from there on. The words shared
    beyond those one has outside parentheses are words it says in parentheses, which count in its size too. They
    must share SAME_SHARE of both sizes; or (with containment) all the words of one, whose words outside
    parentheses all come from the first shared one on, while the other adds at most MAX_EXTRA, and no more than o.
    """
    (size, left, inside), (other_size, other_left, other_inside) = a, b
    for o in range(1, min(left + inside, other_left + other_inside) + 1):
        mine, theirs = size + max(0, o - left), other_size + max(0, o - other_left)  # the least each can count
        if o >= SAME_SHARE / 2 * (mine + theirs) - 1e-9:
            return True
        if containment and ((left == size and o >= size and theirs - o <= min(MAX_EXTRA, o))
                            or (other_left == other_size and o >= other_size and mine - o <= min(MAX_EXTRA, o))):
            return True
    return False


def same_question(a: Meaning, b: Meaning, next_to: bool = False, containment: bool = True) -> tuple[float, str] | None:
    """(score, why) when two askings are one question, else None. They must want the same kind of answer (or
    either says nothing of it), and then: have the same words; or share SAME_SHARE of them; or (with containment)
    all words of one recur in the other, which adds at most MAX_EXTRA and no more than it shares, neither is a
    comparison (whose items must all match) and a bare prompt recurs as the phrase it is. Askings next to each
    other in a note are two questions unless their words are the same: a variant on the next line is on purpose."""
    if a.intents and b.intents and not a.intents & b.intents:
        return None
    if a.key == b.key:
        return (1.0, f"same meaning key [{a.key}] as") if a.key else None
    if next_to or not a.words or not b.words:
        return None
    mine = a.words | (a.optional & (b.words | b.optional)) if a.optional else a.words
    theirs = b.words | (b.optional & (a.words | a.optional)) if b.optional else b.words
    shared = len(mine & theirs)
    share = 2 * shared / (len(mine) + len(theirs))
    if share >= SAME_SHARE:
        return share, f"shares {shared} of its {len(mine)} words [{' '.join(sorted(mine & theirs))}] (score {share:.2f}) with"
    if not containment or "compare" in a.intents or "compare" in b.intents:
        return None
    (small, short), (large, long_) = ((theirs, b), (mine, a)) if len(theirs) < len(mine) else ((mine, a), (theirs, b))
    if shared == len(small) and len(large) - shared <= min(MAX_EXTRA, shared) and (not short.bare or _in_order(short.order, long_.order)):
        return share, f"all of [{' '.join(sorted(small))}] recur, with only [{' '.join(sorted(large - small))}] added (score {share:.2f}), in"
    return None


def _in_order(phrase: tuple[str, ...], words: tuple[str, ...]) -> bool:
    """Whether the phrase's words come in this order among the words (others may come between)."""
    rest = iter(words)
    return all(word in rest for word in phrase)


def _note_offers(n: int, parsed: ParsedNote, config: Config) -> list[_Offer]:
    """The blocks of note number n next to a question that may repeat a question asked elsewhere: a titled or one-line
    block ('data drift / model drift / concept drift'), or one line of a list of prompts ('zip - https://...').
    Blocks mentioning a private topic are left alone."""
    offers: list[_Offer] = []
    entries = parsed.entries
    for i, block in enumerate(entries):
        if not isinstance(block, Block) or block.kind not in ("outline", "list", "prose"):
            continue
        if not any(0 <= j < len(entries) and isinstance(entries[j], Question) for j in (i - 1, i + 1)):
            continue
        if private_placement("\n".join((block.title, block.context, plain_text(block.body))), config):
            continue
        offers.extend(_block_offers(n, i, block, parsed.note.lines, config))
    return offers


def _block_offers(n: int, i: int, block: Block, lines: tuple[str, ...], config: Config) -> list[_Offer]:
    """The offers of block i of note number n: the whole block when titled, else each line of a list of prompts."""
    if block.title:
        original = block.source.original or lines[block.source.first - 1].strip()
        question = Question(block.title, block.body, dataclasses.replace(block.source, original=original), block.context)
        return [_Offer((n, i), block, question, ((block.title, meaning(block.title, config)),))]
    offers = []
    for k, (item, line) in enumerate(_line_items(block, lines)):
        text = item.text.value
        lead, rest = (_ITEM_ANSWER.split(text, maxsplit=1) + [""])[:2]
        if not lead.strip():
            continue
        answer: tuple[Paragraph | Link, ...] = ()
        if re.fullmatch(r"https?://\S+", rest.strip()):
            answer = (Link(rest.strip()),)
        elif rest.strip():
            answer = (Paragraph(Text(rest.strip(), item.text.markdown)),)
        source = Source(block.source.note, (line,), lines[line - 1].strip())
        question = Question(lead.strip(), answer, source, block.context)
        offers.append(_Offer((n, i), block, question, _alternatives(lead.strip(), config), k))
    return offers


def _alternatives(lead: str, config: Config) -> tuple[tuple[str, Meaning], ...]:
    """The lead and its meaning, then each of its '/' alternatives outside parentheses and theirs."""
    pieces = [p.strip() for p in re.split(r"/(?![^(]*\))", lead) if p.strip()]
    return tuple((text, meaning(text, config)) for text in ([lead, *pieces] if len(pieces) > 1 else [lead]))


def _line_items(block: Block, lines: tuple[str, ...]) -> list[tuple[Item, int]]:
    """(item, line number) of an untitled bullet list whose items are one line each, else nothing."""
    if block.title or len(block.body) != 1 or not isinstance(block.body[0], ItemList) or block.body[0].ordered:
        return []
    items = block.body[0].items
    numbers = block.source.lines
    if len(items) != len(numbers) or any(item.children or item.label for item in items):
        return []
    pairs = list(zip(items, numbers, strict=True))
    if not all(" ".join(item.text.value.split()) in " ".join(lines[n - 1].split()) for item, n in pairs):
        return []
    return pairs


def _replaced(parsed: ParsedNote, n: int, taken: dict[tuple[int, int], tuple[Block, list[Question], set[int]]]) -> ParsedNote:
    """The note's entries with the blocks that repeat questions replaced by those askings (and what is left of a list)."""
    entries: list[Entry] = []
    for i, entry in enumerate(parsed.entries):
        if (n, i) not in taken:
            entries.append(entry)
            continue
        block, askings, items = taken[(n, i)]
        pieces: list[Entry] = list(askings)
        if items and len(items) < len(block.source.lines):  # a list that lost some of its lines
            body = block.body[0]
            assert isinstance(body, ItemList)
            kept = [k for k in range(len(body.items)) if k not in items]
            rest = dataclasses.replace(body, items=tuple(body.items[k] for k in kept))
            source = dataclasses.replace(block.source, lines=tuple(block.source.lines[k] for k in kept))
            pieces.append(dataclasses.replace(block, body=(rest,), source=source))
        entries.extend(sorted(pieces, key=lambda e: e.source.first))
    return dataclasses.replace(parsed, entries=tuple(entries))

