"""The words that make a number of patients a finding: "4 *had* R1275Q mutations", "19 *were reported sensitive*".

A count is a figure only when a verb after it says what the counted patients or samples had, showed or were found
with; "were treated", "were enrolled" and other design words make it a sample size. :mod:`kg.reader.counts` asks
these questions of each number it reads.
"""

from __future__ import annotations

from kg.reader.claims import Claims
from kg.reader.tokens import Kind

__all__ = ["DESIGN_WORDS", "FINDING_VERBS", "clause_end", "finding_after"]

#: Verbs after a count that make it a finding ("4 had R1275Q mutations").
FINDING_VERBS = frozenset(
    {"had", "has", "have", "harbored", "harboured", "harbor", "carried", "carry", "showed", "show", "displayed",
     "exhibited", "achieved", "experienced", "developed", "demonstrated", "died", "relapsed", "progressed",
     "possessed", "presented", "acquired", "lacked", "remained", "obtained", "attained", "also"}
)  # fmt: skip

#: After "were"/"was": a finding ("were sporadic", "were found with", "were positive"), unless a design word.
DESIGN_WORDS = frozenset(
    {"treated", "enrolled", "randomized", "randomised", "included", "analyzed", "analysed", "tested", "sequenced",
     "genotyped", "screened", "evaluated", "assessed", "recruited", "given", "administered", "assigned", "allocated",
     "followed", "selected", "studied", "examined", "investigated", "available", "eligible", "evaluable", "used",
     "excluded", "accrued", "collected", "obtained", "performed", "done", "stratified", "classified", "grouped",
     "registered"}
)  # fmt: skip


def finding_after(claims: Claims, k: int) -> int | None:
    """Index after the verb that makes a count a finding, starting at ``k`` (possibly after "with ..."), else None."""
    toks = claims.toks
    word = claims.word(k)
    if word in FINDING_VERBS:
        return k + 1
    if word in {"were", "was", "are", "is"}:
        nxt = claims.word(k + 1)
        if nxt in DESIGN_WORDS or nxt in {"treated", "then", "not"} or toks[k + 1].kind is Kind.NUMBER:
            return None
        if nxt in {"found", "detected", "observed", "seen", "reported", "noted", "positive", "negative", "identified",
                   "discovered", "diagnosed", "considered"}:  # fmt: skip
            return k + 2
        if nxt in {"sporadic", "sensitive", "resistant", "germline", "somatic", "male", "female", "alive", "dead"}:
            return k + 2
        for m in range(k + 1, min(len(toks), k + 5)):
            if toks[m].lower in {"positive", "negative"}:
                return m + 1  # "were kinase-fusion positive"
            if toks[m].text in {",", ";", "."}:
                break
        return None
    return None


def clause_end(claims: Claims, k: int, limit: int = 12) -> int:
    """End offset of the words after a count's verb, up to the next comma, bracket or sentence end."""
    toks = claims.toks
    m = k
    while m < len(toks) and m - k < limit and toks[m].text not in {",", ";", ".", "(", ")", ":"}:
        if toks[m].lower in {"and", "but", "while", "whereas", "which"} and m > k:
            break
        m += 1
    return toks[max(k, m) - 1].end if m > k else toks[k - 1].end
