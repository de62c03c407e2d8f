"""Groups of people or samples named in a sentence: "27 NSCLC patients", "Of the 49 patients ...,".

The count rules (:mod:`kg.reader.counts`, :mod:`kg.reader.preceding`)
and the share rules (:mod:`kg.reader.shares`) need to know when words name
people or samples (a noun phrase whose head is a population noun), which
numbers are names rather than values ("exon 21", "grade 3"), and which
group a later count of a sentence is out of (its *opener*).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from kg.reader.tokens import Kind, Token

__all__ = ["IDENTIFIER_WORDS", "POPULATION_NOUNS", "integer", "of_opener", "openers", "population_phrase"]

Tokens = Sequence[Token]

#: Heads of a noun phrase that counts people or samples ("lung adenocarcinoma patients", "RMS cases").
POPULATION_NOUNS = frozenset(
    {"patients", "patient", "pts", "cases", "case", "subjects", "individuals", "tumors", "tumours", "tumor",
     "tumour", "samples", "sample", "specimens", "participants", "people", "persons", "men", "women", "children",
     "adults", "carriers", "probands", "families", "lesions", "cancers", "responders", "cohort", "population",
     "mutations", "alterations", "carcinomas", "adenocarcinomas", "gists", "biopsies", "isolates", "kindreds",
     "controls", "survivors", "nsclcs", "melanomas", "gliomas", "evaluable", "assessable", "lines", "members",
     "tissues", "specimen", "participant", "subject", "individual", "child", "adult", "man", "woman"}
)  # fmt: skip
#: A plural tumour name is a population too: "27 histologically defined astroblastomas", "12 liposarcomas".
_TUMOUR_PLURAL = re.compile(r"[a-z]{3,}omas$")

#: Words that make the number after them a name, not a value: "exon 21", "grade 3", "phase 2", "day 15".
IDENTIFIER_WORDS = frozenset(
    {"exon", "exons", "codon", "codons", "station", "stations", "grade", "grades", "stage", "stages", "cycle",
     "cycles", "day", "version", "phase", "chromosome", "chromosomes", "figure", "figures", "fig", "table", "tables",
     "line", "level", "type", "class", "position", "residue", "tier", "part", "step", "visit", "category", "trial",
     "study", "intron", "domain", "allele", "patient", "case", "no", "number", "isoform", "ctcae", "recist", "who",
     "ecog", "iii", "ii", "sample", "tumor", "tumour", "cohort", "arm", "group", "dose", "cell", "lane", "ref",
     "reference", "references", "ps", "score", "scores", "variant", "generation", "gleason", "nottingham", "kps", "t", "n", "m"}
)  # fmt: skip


def integer(token: Token | None) -> bool:
    """A whole number written without a decimal point ("9", "1,170", "eleven")."""
    if token is None or token.kind is not Kind.NUMBER or token.value is None:
        return False
    if token.is_word_number:
        return True
    return token.value == token.value.to_integral_value() and not any(c in token.text for c in ".·e×x")


def population_phrase(tokens: Tokens, i: int, limit: int = 6) -> int | None:
    """Index after a noun phrase at ``i`` whose head is a population noun ("FOXO1 fusion-negative RMS cases")."""
    k = i
    while k < len(tokens) and k - i < limit:
        token = tokens[k]
        if token.text == "(" and k + 2 < len(tokens) and tokens[k + 2].text == ")" and tokens[k + 1].text.isupper():
            k += 3  # "(MTC)"
            continue
        if token.kind is Kind.NUMBER or token.text in {",", ";", ".", "(", ")", "[", "]", ":", "%"}:
            return None
        if token.lower in POPULATION_NOUNS or _TUMOUR_PLURAL.search(token.lower):
            # take a trailing "with X" no further: the phrase ends at its head
            return k + 1
        if token.lower in {"had", "have", "has", "were", "was", "achieved", "showed", "and", "or", "of", "in"}:
            return None
        k += 1
    return None


#: Verbs that make a number with its population noun a count ("803 patients had"): a group size is never that.
_STATED_VERBS = frozenset({"had", "has", "have", "harbored", "harboured", "showed", "achieved", "experienced"})

_OPENER_CUES = frozenset(
    {"of", "in", "among", "involving", "including", "included", "contained", "containing", "from", "enrolled", "total"}
)


def openers(tokens: Tokens) -> list[tuple[Token, int]]:
    """Group sizes a sentence states before a comma: "Of the 49 patients ...,", "In a study of 468 samples,".

    Later counts of the sentence share such a group ("..., six had both";
    "..., and of those, 25 were sporadic"). A group is a whole number
    followed by a population noun, after "of", "in", "among", "involving",
    "including" or "contained" (at most six words before it), and followed
    by a comma in the same clause.
    """
    last = _last_openers[0]
    if last[0] is tokens:
        return list(last[1])  # the rules of one sentence ask again and again: read its groups once
    found: list[tuple[Token, int]] = []
    for k, token in enumerate(tokens):
        if not integer(token) or (k > 0 and tokens[k - 1].lower in IDENTIFIER_WORDS):
            continue
        phrase = population_phrase(tokens, k + 1, 8)
        if phrase is None:
            continue
        cue = False
        for back in range(k - 1, max(-1, k - 7), -1):
            if tokens[back].text in {";", ".", ","} and back < k - 1:
                break
            if tokens[back].lower in _OPENER_CUES:
                cue = True
                break
        if not cue:
            continue
        counted = k > 0 and tokens[k - 1].lower in {"of", "the", "these", "those", "other"}  # "Nine of 12 patients had"
        if phrase < len(tokens) and tokens[phrase].lower in _STATED_VERBS and not counted:
            continue  # "Of 964 patients, 803 patients had wildtype PIK3CA (...), and 161 had ...": a count, not a group
        for m in range(phrase, min(len(tokens), phrase + 16)):
            if tokens[m].text == ",":
                found.append((token, k))
                break
            if tokens[m].text in {";", "."}:
                break
    _last_openers[0] = (tokens, tuple(found))  # one store: a reader in another thread sees a whole pair
    return found


#: The last sentence :func:`openers` read (held, so its identity cannot be reused) and its groups. Token lists are
#: never changed once a sentence is cut, so the same list has the same groups.
_last_openers: list[tuple[Any, tuple[tuple[Token, int], ...]]] = [(None, ())]


def of_opener(tokens: Tokens, before: int | None = None) -> tuple[Token, int] | None:
    """The group size nearest before token ``before`` (or the first of the sentence), see :func:`openers`."""
    groups = openers(tokens)
    if before is None:
        return groups[0] if groups else None
    earlier = [group for group in groups if group[1] < before]
    return earlier[-1] if earlier else None
