"""The grammar of published numbers: quantities, ranges, confidence intervals and p-values.

Each parser reads a list of :class:`~kg.reader.tokens.Token` from an index
and returns what it read (with the index after it) or ``None``; nothing is
guessed, and every number keeps the token it was written as. The forms
read, as clinical papers and CIViC statements write them:

* quantities: ``22.2%``, ``below 20%``, ``≥ 80%``, ``approximately 50-60%``,
  ``7.4 weeks``, ``3%-19%``, ``5-6 months``, ``0·62``, ``eleven``;
* confidence intervals with their level: ``(95% CI 10.6-40.8)``,
  ``(confidence interval: 0.31-0.72)``, ``95% CI 1.8, 14.2``,
  ``95% CI; 4.1-9.9``, ``95% CI [0.41; 0.88]``, ``90% CI``, ``CI 95%:``,
  ``95% CI, 17% to 56%``, ``95% confidence interval [CI], 0.30 to 0.55``;
  and a bare ``(0.38-0.69)`` / ``[0.38, 0.63]``, which is a CI only where
  the figure grammar says so (after a ratio);
* p-values with their comparator: ``p = 0.004``, ``P<0.001``, ``P = .0006``,
  ``p-value of 0.03``, ``log-rank P < 0.0001``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from kg.model.terms import Comparator, Unit
from kg.reader.tokens import Kind, Token

__all__ = [
    "Interval",
    "PValue",
    "Quantity",
    "match_phrase",
    "parse_bare_interval",
    "parse_ci",
    "parse_comparator",
    "parse_p_value",
    "parse_quantity",
    "parse_unit",
]

Tokens = Sequence[Token]

#: Words and signs that qualify a number, longest first; "up to 10%" is ``<=``, "about 50%" is ``~``.
_COMPARATORS: tuple[tuple[tuple[str, ...], Comparator], ...] = tuple(
    sorted(
        (
            (("<",), Comparator.LT), (("≤",), Comparator.LE), (("<=",), Comparator.LE), (("=<",), Comparator.LE),
            ((">",), Comparator.GT), (("≥",), Comparator.GE), ((">=",), Comparator.GE), (("=>",), Comparator.GE),
            (("~",), Comparator.APPROX), (("≈",), Comparator.APPROX), (("∼",), Comparator.APPROX),
            (("approximately",), Comparator.APPROX), (("approx",), Comparator.APPROX),
            (("approx", "."), Comparator.APPROX), (("about",), Comparator.APPROX), (("around",), Comparator.APPROX),
            (("nearly",), Comparator.APPROX), (("roughly",), Comparator.APPROX), (("almost",), Comparator.APPROX),
            (("up", "to"), Comparator.LE), (("at", "most"), Comparator.LE), (("no", "more", "than"), Comparator.LE),
            (("not", "more", "than"), Comparator.LE),
            (("below",), Comparator.LT), (("under",), Comparator.LT), (("less", "than"), Comparator.LT),
            (("fewer", "than"), Comparator.LT), (("lower", "than"), Comparator.LT),
            (("more", "than"), Comparator.GT), (("greater", "than"), Comparator.GT), (("higher", "than"), Comparator.GT),
            (("over",), Comparator.GT), (("above",), Comparator.GT), (("exceeding",), Comparator.GT),
            (("in", "excess", "of"), Comparator.GT),
            (("at", "least"), Comparator.GE), (("no", "less", "than"), Comparator.GE),
            (("not", "less", "than"), Comparator.GE),
        ),
        key=lambda pair: -len(pair[0]),
    )
)  # fmt: skip

_UNITS: dict[str, Unit] = {
    "%": Unit.PERCENT, "percent": Unit.PERCENT, "pct": Unit.PERCENT,
    "day": Unit.DAYS, "days": Unit.DAYS,
    "week": Unit.WEEKS, "weeks": Unit.WEEKS, "wk": Unit.WEEKS, "wks": Unit.WEEKS,
    "month": Unit.MONTHS, "months": Unit.MONTHS, "mo": Unit.MONTHS, "mos": Unit.MONTHS, "mth": Unit.MONTHS,
    "mths": Unit.MONTHS,
    "year": Unit.YEARS, "years": Unit.YEARS, "yr": Unit.YEARS, "yrs": Unit.YEARS,
}  # fmt: skip
_DASHES = frozenset({"-", "–", "—", "−", "‐", "‑"})
_OPEN = frozenset({"(", "["})
_CLOSE = {"(": ")", "[": "]"}


def match_phrase(tokens: Tokens, i: int, phrase: Sequence[str]) -> int | None:
    """Index after ``phrase`` (lower-case token texts) if it starts at ``i``, else None."""
    if i + len(phrase) > len(tokens):
        return None
    for k, word in enumerate(phrase):
        if tokens[i + k].lower != word:
            return None
    return i + len(phrase)


#: The comparator phrases by their first word, longest first: most tokens start none, and are refused at once.
_COMPARATORS_BY_FIRST: dict[str, tuple[tuple[tuple[str, ...], Comparator], ...]] = {
    first: tuple(pair for pair in _COMPARATORS if pair[0][0] == first) for first in {p[0][0] for p in _COMPARATORS}
}


def parse_comparator(tokens: Tokens, i: int) -> tuple[Comparator, int] | None:
    """A comparator word or sign at ``i`` ("≥", "up to", "approximately"), and the index after it."""
    if i < 0 or i >= len(tokens):
        return None
    for phrase, comparator in _COMPARATORS_BY_FIRST.get(tokens[i].lower, ()):
        j = match_phrase(tokens, i, phrase)
        if j is not None:
            return comparator, j
    return None


def parse_unit(tokens: Tokens, i: int) -> tuple[Unit, int] | None:
    """A unit at ``i`` ("%", "percent", "per cent", "months", "wks"), and the index after it."""
    if i >= len(tokens):
        return None
    token = tokens[i]
    if token.lower == "per" and match_phrase(tokens, i, ("per", "cent")):
        return Unit.PERCENT, i + 2
    unit = _UNITS.get(token.lower) if token.kind is not Kind.NUMBER else None
    if unit is None and token.text == "m" and _month_m(tokens, i):
        unit = Unit.MONTHS  # "mPFS was 5.6 m": survival papers abbreviate months to a bare lower-case m
    if unit is None:
        return None
    j = i + 1
    if token.lower == "mo" and j < len(tokens) and tokens[j].text == "." and tokens[j].start == token.end:
        j += 1  # "mo."
    return unit, j


def _month_m(tokens: Tokens, i: int) -> bool:
    """Whether the "m" at ``i`` abbreviates months: right after a number, not part of "m2", "m/s" or a word."""
    if i == 0 or tokens[i - 1].kind is not Kind.NUMBER or tokens[i].start - tokens[i - 1].end not in {0, 1}:
        return False
    following = tokens[i + 1] if i + 1 < len(tokens) else None
    return following is None or (following.start > tokens[i].end or following.text in {",", ".", ";", ")", "("})


def _is_dash(token: Token) -> bool:
    return token.text in _DASHES


@dataclass(frozen=True)
class Quantity:
    """A number as published: comparator, value, unit, and the upper end when it is a range ("80-90%").

    ``i``/``j`` are the token indexes it spans; ``start``/``end`` its
    character offsets. ``high`` is set for a published range; then
    ``number`` is its lower end.
    """

    number: Token
    unit: Unit | None
    comparator: Comparator
    high: Token | None
    i: int
    j: int
    start: int
    end: int
    unit_before_dash: bool = False  # "3%-19%": the unit was written on both ends

    @property
    def is_range(self) -> bool:
        return self.high is not None


def _plain_number(tokens: Tokens, i: int) -> Token | None:
    if i < len(tokens) and tokens[i].kind is Kind.NUMBER and tokens[i].value is not None:
        return tokens[i]
    return None


def parse_quantity(tokens: Tokens, i: int, *, ranges: bool = True) -> Quantity | None:
    """A quantity at ``i``: ``[comparator] number [unit] [dash|to number [unit]]``.

    A range needs two digit numbers, the low end not above the high end,
    and one unit (written on the second end or on both: "80-90%",
    "3%-19%", "5-6 months"); "2019-2020" is a unitless range (the figure
    grammar decides whether a range is a figure).
    """
    start_i = i
    comparator = Comparator.EQ
    found = parse_comparator(tokens, i)
    if found is not None:
        comparator, i = found
    number = _plain_number(tokens, i)
    if number is None:
        return None
    j = i + 1
    unit: Unit | None = None
    found_unit = parse_unit(tokens, j)
    if found_unit is not None:
        unit, j = found_unit
    if unit is None and j < len(tokens) and tokens[j].text == "+" and tokens[j].start == number.end:
        comparator, j = Comparator.GE, j + 1  # "21+ months": still alive, still responding
        found_unit = parse_unit(tokens, j)
        if found_unit is not None:
            unit, j = found_unit
    single = Quantity(number, unit, comparator, None, start_i, j, tokens[start_i].start, tokens[j - 1].end)
    if not ranges or number.is_word_number or j + 1 >= len(tokens):
        return single
    link = tokens[j]
    if not (_is_dash(link) or link.lower == "to"):
        return single
    high = _plain_number(tokens, j + 1)
    if high is None or high.is_word_number or high.value is None or number.value is None:
        return single
    k = j + 2
    both_units = False
    high_unit = parse_unit(tokens, k)
    if high_unit is not None:
        if unit is not None and high_unit[0] is not unit:
            return single
        both_units = unit is not None
        unit, k = high_unit
    elif unit is not None or not _is_dash(link):
        return single
    if high.value < number.value:
        return single
    return Quantity(number, unit, comparator, high, start_i, k, tokens[start_i].start, tokens[k - 1].end, both_units)


@dataclass(frozen=True)
class Interval:
    """A confidence interval: its level when stated ("95"), its bounds as written, and its span."""

    level: Token | None
    lower: Token
    upper: Token
    unit: Unit | None
    i: int
    j: int
    start: int
    end: int
    labelled: bool  # written with "CI" or "confidence interval" (a bare "(0.38-0.69)" is not)


_CI_WORDS: tuple[tuple[str, ...], ...] = (
    ("confidence", "intervals"),
    ("confidence", "interval"),
    ("c", ".", "i", "."),
    ("cis",),
    ("ci",),
)
_CI_SEPARATORS = frozenset({":", ",", ";", "=", "of", "was", "is", "from", "between", "ranging", "range"})


#: The first words of the CI phrases: a token that starts none is refused at once (most tokens).
_CI_FIRST = frozenset(phrase[0] for phrase in _CI_WORDS)


def _ci_word(tokens: Tokens, i: int) -> int | None:
    if i >= len(tokens) or (i >= 0 and tokens[i].lower not in _CI_FIRST):
        return None
    for phrase in _CI_WORDS:
        j = match_phrase(tokens, i, phrase)
        if j is not None:
            if phrase == ("ci",) and tokens[i].text not in {"CI", "Ci"}:
                return None
            if phrase == ("cis",) and tokens[i].text != "CIs":
                return None
            # "confidence interval [CI]" / "confidence interval (CI)"
            for close in ("]", ")"):
                opener = "[" if close == "]" else "("
                k = match_phrase(tokens, j, (opener, "ci", close))
                if k is not None:
                    return k
            return j
    return None


def _level(tokens: Tokens, i: int) -> tuple[Token, int] | None:
    """A confidence level "95%" / "95 %" / "95-percent" at ``i``."""
    number = _plain_number(tokens, i)
    if number is None or number.value is None or not Decimal(50) <= number.value < Decimal(100):
        return None
    j = i + 1
    if j < len(tokens) and _is_dash(tokens[j]) and j + 1 < len(tokens) and tokens[j + 1].lower == "percent":
        return number, j + 2
    found = parse_unit(tokens, j)
    if found is None or found[0] is not Unit.PERCENT:
        return None
    return number, found[1]


def _bounds(tokens: Tokens, i: int) -> tuple[Token, Token, Unit | None, int] | None:
    """``lower (dash|to|,|;|and) upper``, each end possibly with its unit, possibly in brackets."""
    opener = tokens[i].text if i < len(tokens) and tokens[i].text in _OPEN else None
    k = i + 1 if opener else i
    comparator = parse_comparator(tokens, k)
    if comparator is not None and comparator[0] is not Comparator.EQ:
        return None
    lower = _plain_number(tokens, k)
    if lower is None or lower.is_word_number:
        return None
    k += 1
    unit: Unit | None = None
    found = parse_unit(tokens, k)
    if found is not None:
        unit, k = found
    if k >= len(tokens):
        return None
    link = tokens[k]
    if not (_is_dash(link) or link.lower in {"to", ",", ";", "and"}):
        return None
    k += 1
    upper = _plain_number(tokens, k)
    if upper is None or upper.is_word_number:
        return None
    k += 1
    found = parse_unit(tokens, k)
    if found is not None:
        if unit is not None and found[0] is not unit:
            return None
        unit, k = found[0], found[1]
    if lower.value is None or upper.value is None or lower.value > upper.value:
        return None
    if opener:
        if k >= len(tokens) or tokens[k].text != _CLOSE[opener]:
            return None
        k += 1
    return lower, upper, unit, k


def parse_ci(tokens: Tokens, i: int) -> Interval | None:
    """A labelled confidence interval at ``i`` (not counting an opening bracket before it).

    Heads: "95% CI", "95%CI", "CI 95%", "95% confidence interval [CI]",
    "confidence interval", "CI"; then an optional separator (":", ",", ";",
    "=", "of", "from", "between"), then the bounds.
    """
    start = i
    level: Token | None = None
    found = _level(tokens, i)
    if found is not None:
        level, i = found
        if i < len(tokens) and _is_dash(tokens[i]):
            i += 1  # "95%-CI"
    j = _ci_word(tokens, i)
    if j is None:
        return None
    if level is None:
        found = _level(tokens, j)  # "CI 95%"
        if found is not None:
            level, j = found
    while j < len(tokens) and tokens[j].lower in _CI_SEPARATORS:
        j += 1
    bounds = _bounds(tokens, j)
    if bounds is None:
        return None
    lower, upper, unit, end = bounds
    return Interval(level, lower, upper, unit, start, end, tokens[start].start, tokens[end - 1].end, labelled=True)


def parse_bare_interval(tokens: Tokens, i: int) -> Interval | None:
    """An unlabelled bracketed interval at ``i``: "(0.38-0.69)", "[0.38, 0.63]", "(1.5 to 1.7)"."""
    if i >= len(tokens) or tokens[i].text not in _OPEN:
        return None
    bounds = _bounds(tokens, i)
    if bounds is None:
        return None
    lower, upper, unit, end = bounds
    return Interval(None, lower, upper, unit, i, end, tokens[i].start, tokens[end - 1].end, labelled=False)


@dataclass(frozen=True)
class PValue:
    """A p-value as written: comparator and number ("P<0.0001" is ``<`` and ``0.0001``)."""

    comparator: Comparator
    number: Token
    i: int
    j: int
    start: int
    end: int


_P_HEADS: tuple[tuple[str, ...], ...] = (
    ("log", "-", "rank", "p", "-", "value"),
    ("log", "-", "rank", "p"),
    ("log", "-", "rank", "test", "p"),
    ("p", "-", "values"),
    ("p", "-", "value"),
    ("p", "values"),
    ("p", "value"),
    ("p",),
)
_P_LINKS = frozenset({"of", "was", "is", "were", ":", "="})
_P_FIRST = frozenset(head[0] for head in _P_HEADS)


def parse_p_value(tokens: Tokens, i: int) -> PValue | None:
    """A p-value at ``i``: a head ("P", "p-value", "log-rank P"), a comparator or "of"/"was", a number ≤ 1."""
    if i >= len(tokens) or (i >= 0 and tokens[i].lower not in _P_FIRST):
        return None  # no head starts here (most tokens): refused at once
    for head in _P_HEADS:
        j = match_phrase(tokens, i, head)
        if j is None:
            continue
        comparator = Comparator.EQ
        linked = False
        while j < len(tokens) and tokens[j].lower in _P_LINKS:
            linked = True
            j += 1
        found = parse_comparator(tokens, j)
        if found is not None and found[0] is not Comparator.APPROX:
            comparator, j = found
            linked = True
        number = _plain_number(tokens, j)
        if not linked or number is None or number.is_word_number or number.value is None:
            return None
        if not Decimal(0) <= number.value <= Decimal(1):
            return None
        return PValue(comparator, number, i, j + 1, tokens[i].start, number.end)
    return None
