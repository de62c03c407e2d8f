"""The content words of a question that no name, measure or cue accounts for ("oncogenic driver", "detected").

"Is HER2 amplification an oncogenic driver in lung cancer?" names an
alteration and a disease; "oncogenic driver" is what it asks *about* them.
Such words are not facets (they name nothing in the graph), but a statement
that uses them answers the question better than one that does not, so the
reading keeps them and the answer ranks statements sharing them first
(:func:`kg.query.ranking.keyword_preferences`, which also leaves out words
too common in the statements to tell them apart). Words inside a recognised
name or cue, function words and question words are not content words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["STOPWORDS", "keywords", "stem"]

#: Function words, question words and words every clinical question uses: never content words.
_STOPWORD_TEXT = """
    about above after again against also among an and another answer any anything are around as ask asked at
    available based be been before being best between both but by can cause causes could data did do does doing
    done during each either else ever evidence every for found from get gets give given gives giving good had has
    have having her here hers him his how however if in into is it its just know known like likely made make many
    may me might more most much must my near need no nor not now of off often on once one only or other others our
    out over own patient patients per please rather really reported same say says see seen shall she should show
    shown shows since so some such support supported supporting supports than that the their them then there these they this those through thus to too
    under until up upon use used using very was way we were what when where whether which while who whom whose why
    will with within without would yes yet you your
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*[A-Za-z]")
_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "ed", "es", "s", "ly")


def stem(word: str) -> str:
    """A light stem for matching word forms: 'detected' → 'detect', 'activation' → 'activ', 'differ' → 'differ'."""
    lowered = word.lower()
    for suffix in _SUFFIXES:
        if lowered.endswith(suffix) and len(lowered) - len(suffix) >= 4:
            return lowered[: -len(suffix)]
    return lowered


def keywords(text: str, spans: Iterable[tuple[int, int]]) -> tuple[str, ...]:
    """Content words of ``text`` outside ``spans`` (names, measures, cues), lower-cased, in order, once each."""
    taken = sorted(spans)
    found: list[str] = []
    for match in _WORD.finditer(text):
        start, end = match.span()
        if any(a < end and start < b for a, b in taken):
            continue
        for part in match.group().split("-"):
            word = part.strip("'").lower()
            if len(word) >= 4 and word not in STOPWORDS and word not in found:
                found.append(word)
    return tuple(found)
