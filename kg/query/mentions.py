"""Which statements name something: the text side of ranking, computed once per graph and pattern.

Where CIViC has no record field for a site, an adverse event, a prior
therapy or the other arm of a comparison, the statement may still name it;
:func:`statement_mentions` finds the items whose statement does (as
present, or as absent: "wildtype KRAS", "T790M-negative"), and the items
that compare arms are found the same way. Each scan runs once per graph
and pattern, over every item (:data:`MENTIONS` in the graph's memo), so a
question costs set lookups.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from kg.runtime.memo import MemoSpec

if TYPE_CHECKING:
    from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = ["MENTIONS", "comparative_items", "statement_mentions"]

#: Items whose statement names one of a set of names, per (pattern, case-sensitive pattern).
MENTIONS: MemoSpec[tuple[str, str], frozenset[int]] = MemoSpec("statement mentions", max_entries=4096)

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
        return frozenset(i for i, item in enumerate(index.items) if any(test(item.statement) for test in tests))

    return kg.memo.table(MENTIONS).compute_once(key, scan)


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
