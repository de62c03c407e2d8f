"""How a frame's values pair with its measures: which measures list together, a CI's level written once before
the values, a ratio's own value and its reference group, and the unit a list of values shares.

Token-level tests the measure frames (:mod:`kg.reader.frames`) ask of a sentence; they read no state of it.
"""

from __future__ import annotations

from kg.model.terms import Unit
from kg.reader.anchors import Anchor
from kg.reader.measures import Family
from kg.reader.reading import Tokens
from kg.reader.tokens import Kind, Token
from kg.reader.values import ValueItem

__all__ = ["ci_header", "listed_together", "ratio_for", "reference_ratio", "shared_units"]


def ci_header(tokens: Tokens, k: int) -> tuple[Token, int] | None:
    """ "(95% CI)", "[95% CI]", "(95% confidence interval)" at ``k``: the level the values' bare intervals share.

    A bracket holding only a CI's level and name, written after a measure and before its values; its level and
    the index after it, else None.
    """
    if k + 4 >= len(tokens) or tokens[k].text not in {"(", "["} or tokens[k + 1].kind is not Kind.NUMBER:
        return None
    if tokens[k + 2].text != "%":
        return None
    m = k + 3
    if tokens[m].lower == "ci":
        m += 1
    elif tokens[m].lower == "confidence" and m + 1 < len(tokens) and tokens[m + 1].lower in {"interval", "intervals"}:
        m += 2
    else:
        return None
    if m >= len(tokens) or tokens[m].text not in {")", "]"}:
        return None
    return tokens[k + 1], m + 1


def listed_together(first: Anchor, following: Anchor) -> bool:
    """Whether ``following`` continues the list of measures ``first`` opens: the same family, or response rates and
    medians or rates of endpoints listed together ("ORR, DCR and mPFS were ..."); never a ratio or a state."""
    if following.family is first.family:
        return True
    families = {first.family, following.family}
    return families == {Family.RESPONSE_RATE, Family.ENDPOINT} and not (first.state or following.state)


def reference_ratio(item: ValueItem) -> bool:
    """A ratio of exactly one without a CI ("vs 1", "versus 1.00"): the reference group, not a figure."""
    quantity = item.quantity
    if quantity is None or quantity.number.value != 1 or item.ci is not None or item.bare is not None:
        return False
    return quantity.high is None and quantity.unit is None and not item.is_count


def ratio_for(tokens: Tokens, lo: int, hi: int, item: ValueItem) -> bool:
    """ "HR for OS 1.72", "HR for progression 0·58": a ratio, what it is for in a few words, then its value.

    A ratio's value is a decimal without a unit, so a decimal right after "for" and at most three words (no
    number, article, bracket or clause mark between) that closes its clause is the ratio's own; "HR for patients
    aged 65 years" has a unit, "HR for the 2 groups" an article and a whole number, and neither is one.
    """
    quantity = item.quantity
    if quantity is None or not any(mark in quantity.number.text for mark in ".·"):
        return False
    if quantity.j < len(tokens) and tokens[quantity.j].kind is Kind.WORD:
        return False  # "HR for stage 2.5 cm tumours"
    if lo >= hi or tokens[lo].lower != "for":
        return False
    words = tokens[lo + 1 : hi]
    return 1 <= len(words) <= 3 and all(
        token.kind is Kind.WORD and token.text.isalpha() and token.lower not in {"the", "a", "an", "all"}
        for token in words
    )


def shared_units(items: list[ValueItem], family: Family) -> list[Unit | None]:
    """Units of a value list, the unit written once at the end applying to all ("14.2 versus 8.1 months")."""
    units = [item.unit for item in items]
    if family is Family.RATIO:
        return units
    for index in range(len(units) - 2, -1, -1):
        if units[index] is None and not items[index].is_count and units[index + 1] is not None:
            units[index] = units[index + 1]
    for index in range(1, len(units)):
        if units[index] is None and not items[index].is_count and units[index - 1] is not None:
            units[index] = units[index - 1]  # "8.1 weeks for lapatinib and 12.0 for combination therapy"
    return units
