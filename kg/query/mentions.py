"""Which statements name something: the text side of ranking, computed once per graph and pattern.

Where CIViC has no record field for a site, an adverse event, a prior
therapy or the other arm of a comparison, the statement may still name it;
:func:`statement_mentions` finds the items whose statement does (as
present, or as absent: "wildtype KRAS", "T790M-negative"), and the items
that compare arms are found the same way. Each scan runs once per graph
and pattern (:data:`MENTIONS` in the graph's memo), and only over the items
whose statement has every word of a name (:data:`STATEMENT_WORDS`, an
inverted index of the statements' words built once per graph): a question
whose names are new costs a few set intersections and a regular expression
over the statements that can match, not over every statement of the graph.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from kg.runtime.memo import MemoSpec

if TYPE_CHECKING:
    from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = ["MENTIONS", "STATEMENT_WORDS", "comparative_items", "statement_mentions"]

#: Items whose statement names one of a set of names, per (pattern, case-sensitive pattern).
MENTIONS: MemoSpec[tuple[str, str], frozenset[int]] = MemoSpec("statement mentions", max_entries=4096)
#: Lower-case word → the items whose statement has it (one entry: the graph's statements).
STATEMENT_WORDS: MemoSpec[str, dict[str, frozenset[int]]] = MemoSpec("statement words", max_entries=1)
#: A word as the patterns see one: a run of ASCII letters and digits (anything else separates words).
_WORD = re.compile(r"[0-9a-z]+")

_WORD_EDGE = r"(?<![0-9A-Za-z])"
_WORD_END = r"(?:e?s)?(?![0-9A-Za-z])"
#: After a site's name, words that make it the primary tumour (a disease), not a site: "lung cancer".
_PRIMARY = r"(?![\s-]+(?:cancers?|carcinomas?|adenocarcinomas?|tumou?rs?|neoplasms?))"
#: Around a name, words saying it is absent: "wildtype KRAS", "T790M-negative", "without EGFR mutation".
_ABSENT_BEFORE = r"(?:wild[\s-]?type|wt|non-?mutated|without|lacking|negative\s+for|absence\s+of)[\s-]+(?:an?\s+)?"
_ABSENT_AFTER = r"[\s-]+(?:(?:mutation|status)[\s-]+)?(?:wild[\s-]?type|wt|negative|-negative|\(-\))"
_COMPARATIVE = (
    r"\b(?:vs\.?|versus|compared|comparison|randomi[sz]ed|than|superior|inferior|placebo|arm|differ(?:s|ed|ence|ences)?"
    r"|similar|between)\b"
)


def _pattern(name: str) -> str:
    """A name as a regular expression: whole words, space and hyphen alike, an optional plural."""
    parts = [re.escape(part) for part in re.split(r"[\s-]+", name.strip()) if part]
    return _WORD_EDGE + r"[\s-]?".join(parts) + _WORD_END


def statement_mentions(
    kg: KnowledgeGraph, names: Iterable[str], *, site: bool = False, stems: bool = False, absent: bool = False
) -> frozenset[int]:
    """Items whose statement names one of ``names`` (upper-case names of up to four letters in that case only).

    ``site=True`` leaves out a name followed by "cancer", "carcinoma" or
    "tumour" (the organ as the primary disease); ``stems=True`` reads each
    name as the start of a word ("detect" finds "detects", "detection");
    ``absent=True`` finds a name only where the statement says it is absent
    ("wildtype KRAS", "T790M-negative", "without ..."). Computed once per
    graph and set of names, over every item.
    """
    folded: list[str] = []
    exact: list[str] = []
    for name in dict.fromkeys(n for n in names if len(n.strip()) >= 3):
        if stems:
            pattern = _WORD_EDGE + re.escape(name) + "[a-z]*"
        elif absent:
            core = _pattern(name)
            pattern = f"(?:{_ABSENT_BEFORE}{core}|{core}{_ABSENT_AFTER})"
        else:
            pattern = _pattern(name) + (_PRIMARY if site else "")
        (exact if name.isupper() and len(name) <= 4 else folded).append(pattern)
    key = ("|".join(sorted(folded)), "|".join(sorted(exact)))
    if key == ("", ""):
        return frozenset()
    index = kg.index

    def scan() -> frozenset[int]:
        tests = [re.compile(part, flags).search for part, flags in ((key[0], re.I), (key[1], 0)) if part]
        candidates = _candidates(kg, names, stems=stems)
        items = index.items
        positions = range(len(items)) if candidates is None else sorted(candidates)
        return frozenset(i for i in positions if any(test(items[i].statement) for test in tests))

    return kg.memo.table(MENTIONS).compute_once(key, scan)


def _statement_words(kg: KnowledgeGraph) -> dict[str, frozenset[int]]:
    def build() -> dict[str, frozenset[int]]:
        postings: dict[str, set[int]] = {}
        for position, item in enumerate(kg.index.items):
            for word in set(_WORD.findall(item.statement.lower())):
                postings.setdefault(word, set()).add(position)
        return {word: frozenset(items) for word, items in postings.items()}

    return kg.memo.table(STATEMENT_WORDS).compute_once("statements", build)


def _candidates(kg: KnowledgeGraph, names: Iterable[str], *, stems: bool) -> set[int] | None:
    """Items whose statement can match one of ``names``: it has each of a name's words (the last one also with a
    plural ending, or as a word's start when ``stems``), or the name's words written as one. ``None``: every item
    (a name with no word, which only a full scan can match)."""
    words = _statement_words(kg)
    found: set[int] = set()
    for name in names:
        parts = _WORD.findall(name.lower())
        if len(name.strip()) < 3:
            continue
        if not parts:
            return None
        *head, last = parts
        endings = {word for word in words if word.startswith(last)} if stems else {last, last + "s", last + "es"}
        tail = set().union(*(words.get(word, frozenset()) for word in endings))
        whole = tail.intersection(*(words.get(word, frozenset()) for word in head)) if head else tail
        found |= whole
        if head:  # "PD-L1" is also written "PDL1": the pattern's separators are optional
            joined = "".join(parts)
            found |= set().union(*(words.get(word, frozenset()) for word in (joined, joined + "s", joined + "es")))
    return found


def comparative_items(kg: KnowledgeGraph) -> frozenset[int]:
    """Items that compare arms: their study has two arms or more, or their statement uses a comparison word."""
    index = kg.index

    def scan() -> frozenset[int]:
        test = re.compile(_COMPARATIVE, re.I).search
        studies = {s.id for s in kg.corpus.studies.values() if len(getattr(s, "arms", ())) >= 2}
        return frozenset(
            i for i, item in enumerate(index.items) if (item.study in studies) or test(item.statement) is not None
        )

    return kg.memo.table(MENTIONS).compute_once(("comparative", _COMPARATIVE), scan)
