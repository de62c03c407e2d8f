"""One reported value with everything written around it: its CI, p-value, k of n and the arm it belongs to.

``22.2% (95% CI 10.6-40.8%)``, ``31 (62%) of 50 patients``, ``9 patients
(35%; 95% CI, 17% to 56%)``, ``2.8 months (95% CI 2.8-3.6) in the
binimetinib group``, ``18% (4 PR in 22 patients) in KRAS wild-type``: the
figure grammar (:mod:`kg.reader.results`) decides which measure a value is
of; this module reads the value itself, from its first token to the end of
its last attachment, and keeps every number as its token.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from kg.model.terms import Unit
from kg.reader.groups import IDENTIFIER_WORDS, POPULATION_NOUNS, integer, population_phrase
from kg.reader.numbers import (
    Interval,
    PValue,
    Quantity,
    match_phrase,
    parse_bare_interval,
    parse_ci,
    parse_p_value,
    parse_quantity,
    parse_unit,
)
from kg.reader.tokens import Kind, Token

__all__ = ["ValueItem", "attachments", "is_citation", "parse_arm", "parse_value"]

Tokens = Sequence[Token]

_ARM_STARTS = frozenset({"in", "for", "among", "with", "on", "according"})
_ARM_STOPS = frozenset(
    {",", ";", ".", ")", "(", "[", "]", ":", "vs", "versus", "v", "compared", "whereas", "while", "but", "respectively",
     "than", "and", "or", "was", "were", "is", "are", "had", "has", "which", "who", "that", "p", "hr", "ci"}
)  # fmt: skip
#: Words after "and" in an arm phrase that start the list's next item, not more of the arm ("... and only 8%").
_NEW_ITEM_WORDS = frozenset({"the", "those", "a", "only", "just", "also", "even", "still", "then", "again"})
_INTERVAL_NOTES = frozenset({"range", "ranging", "iqr", "interquartile", "min", "max", "median", "sd", "se", "±"})


@dataclass
class ValueItem:
    """A value and its attachments, token indexes ``i``–``j`` (exclusive), characters ``start``–``end``.

    ``quantity`` is the main number (a percentage, a duration, a ratio);
    a count ("9 of 26", "3/12", "31 (62%) of 50 patients") has
    ``numerator`` and maybe ``denominator``, and its percentage, when
    written, is ``quantity``.
    """

    i: int
    j: int
    start: int
    end: int
    quantity: Quantity | None = None
    numerator: Token | None = None
    denominator: Token | None = None
    ci: Interval | None = None
    bare: Interval | None = None  # an unlabelled bracketed interval: a CI only where the grammar says so
    p: PValue | None = None
    arm: str | None = None
    counted_population: bool = False  # "9 patients", "5 out of 175 lung adenocarcinoma patients"
    range_note: bool = False  # "(range 3-169)", "(IQR 1.4-4.1)": a spread, never a CI
    range_low: Token | None = None  # "(range 21-84)": the spread's ends, kept as a published range
    range_high: Token | None = None
    n_equals: Token | None = None  # "(n=5)": a number of people written after the value, whose role the grammar decides

    @property
    def unit(self) -> Unit | None:
        return self.quantity.unit if self.quantity is not None else None

    @property
    def is_count(self) -> bool:
        return self.numerator is not None

    @property
    def value_token(self) -> Token | None:
        return self.quantity.number if self.quantity is not None else None


def is_citation(tokens: Tokens, i: int) -> int | None:
    """Index after a citation at ``i``: "(17)", "(8, 15)", "(23-25)", "(8-12)", "[3]"; else None."""
    if i >= len(tokens) or tokens[i].text not in {"(", "["}:
        return None
    close = ")" if tokens[i].text == "(" else "]"
    k = i + 1
    seen = False
    while k < len(tokens) and tokens[k].text != close:
        token = tokens[k]
        if token.kind is Kind.NUMBER and integer(token) and not token.is_word_number:
            seen = True
        elif token.text not in {",", "-", "–", "—"}:
            return None
        k += 1
    if not seen or k >= len(tokens):
        return None
    # "(17)" after a number is a citation only when nothing in it is a unit; the caller checks context
    return k + 1


def _count(tokens: Tokens, i: int) -> tuple[Token, Token | None, Quantity | None, int, bool] | None:
    """``k of n``, ``k out of n``, ``k/n``, ``k (x%) of n``, ``k (x%)`` at ``i``: numerator, denominator, %, end."""
    k_token = tokens[i] if i < len(tokens) else None
    if k_token is None or not integer(k_token):
        return None
    if i > 0 and tokens[i - 1].text in {"/", "-", "–", "."} and tokens[i - 1].end == k_token.start:
        return None
    j = i + 1
    percent: Quantity | None = None
    if match_phrase(tokens, j, ("(",)) is not None:
        inner = parse_quantity(tokens, j + 1, ranges=False)
        if inner is not None and inner.unit is Unit.PERCENT and inner.j < len(tokens) and tokens[inner.j].text == ")":
            percent = inner
            j = inner.j + 1
        elif inner is not None and inner.unit is Unit.PERCENT:
            group = _share_of_group(tokens, inner, k_token)
            if group is not None and tokens[group[1]].text == ")":
                return k_token, group[0], inner, group[1] + 1, False  # "19 (46% of 41) achieved clinical benefit"
    them = match_phrase(tokens, j, ("of",))
    if them is not None and them < len(tokens) and tokens[them].lower in {"them", "these", "those"}:
        return k_token, None, None, them + 1, True  # "two of them responded"
    the = them is not None and them + 1 < len(tokens) and tokens[them].lower == "the"
    if the and them is not None and tokens[them + 1].lower in POPULATION_NOUNS:
        return k_token, None, None, them + 2, True  # "one of the patients died"
    for link in (("out", "of"), ("of",), ("/",)):
        after = match_phrase(tokens, j, link)
        if after is None:
            continue
        if link == ("/",) and (tokens[j].start != k_token.end or percent is not None):
            continue
        if link != ("/",) and after < len(tokens) and tokens[after].lower in {"the", "these", "those", "all"}:
            after += 1  # "70 of the 106 patients"
        n_token = tokens[after] if after < len(tokens) else None
        if n_token is None or not integer(n_token) or n_token.value is None or k_token.value is None:
            return None
        if link == ("/",) and (n_token.start != tokens[j].end or n_token.is_word_number):
            return None
        if n_token.value < k_token.value or n_token.value == 0:
            return None
        if link == ("/",) and k_token.value <= 12 and Decimal(1900) <= n_token.value <= Decimal(2100):
            return None  # "08/2019" is a date
        end = after + 1
        if link == ("/",) and end < len(tokens) and tokens[end].text == "/" and tokens[end].start == n_token.end:
            return None  # "HER1/2/4", "3/4/5"
        populated = False
        phrase = population_phrase(tokens, end)
        if phrase is not None:
            populated, end = True, phrase
        return k_token, n_token, percent, end, populated
    if percent is not None:
        return k_token, None, percent, j, False
    phrase = population_phrase(tokens, j, limit=4)
    if phrase is not None:
        return k_token, None, None, phrase, True  # "9 patients", "Five patients"
    return None


def parse_arm(tokens: Tokens, i: int) -> tuple[str, int] | None:
    """An arm or subgroup phrase at ``i``: "in the binimetinib group", "in KRAS-mutant NSCLC", "with regorafenib"."""
    if i >= len(tokens) or tokens[i].lower not in _ARM_STARTS:
        return None
    k = i + 1
    if tokens[i].lower == "according":
        if k >= len(tokens) or tokens[k].lower != "to":
            return None
        k += 1
    first = k
    while k < len(tokens) and k - first < 10:
        token = tokens[k]
        if token.lower in _ARM_STOPS or token.kind is Kind.NUMBER:
            if token.lower in {"and", "or"} and k + 1 < len(tokens):
                following = tokens[k + 1]
                if following.kind is Kind.WORD and following.lower not in _ARM_STARTS | _NEW_ITEM_WORDS:
                    k += 1
                    continue
            break
        if token.text in {"%", "=", "<", ">", "≤", "≥"}:
            return None
        k += 1
    if k == first:
        return None
    words = [t for t in tokens[first:k] if t.kind is Kind.WORD]
    if not words:
        return None
    start = tokens[first].start
    if tokens[first].lower in {"the", "a", "an"}:
        if k == first + 1:
            return None
        start = tokens[first + 1].start
    end = tokens[k - 1].end
    return _text_of(tokens, start, end), k


def _text_of(tokens: Tokens, start: int, end: int) -> str:
    """The text between two offsets, rebuilt from tokens (single spaces where the source had any whitespace)."""
    parts: list[str] = []
    previous_end: int | None = None
    for token in tokens:
        if token.start < start or token.end > end:
            continue
        if previous_end is not None and token.start > previous_end:
            parts.append(" ")
        parts.append(token.text)
        previous_end = token.end
    return "".join(parts)


def _group_count(tokens: Tokens, k: int) -> tuple[Token, Token, int] | None:
    """A count inside a group: "10/47", "9 of 41", "4 PR in 22 patients"."""
    count = _count(tokens, k)
    if count is not None and count[1] is not None:
        return count[0], count[1], count[3]
    if not integer(tokens[k]) or k + 3 >= len(tokens):
        return None
    m = k + 1
    while m < len(tokens) and m - k <= 2 and tokens[m].kind is Kind.WORD and tokens[m].lower != "in":
        m += 1
    if m == k + 1 or match_phrase(tokens, m, ("in",)) is None:
        return None
    n_token = tokens[m + 1] if m + 1 < len(tokens) else None
    k_value = tokens[k].value
    if n_token is None or not integer(n_token) or n_token.value is None or k_value is None:
        return None
    if n_token.value < k_value:
        return None
    end = population_phrase(tokens, m + 2)
    return tokens[k], n_token, end if end is not None else m + 2


def _share_of_group(tokens: Tokens, share: Quantity, k_token: Token | None) -> tuple[Token, int] | None:
    """ "37% *of 41*", "10% *of 41 treated*": the group a count's bracketed percentage is out of, and where it ends.

    Only a whole number of which the count is that percentage (to within one point), then at most three words
    before the bracket closes or a semicolon or comma goes on to another share.
    """
    m = share.j
    if k_token is None or match_phrase(tokens, m, ("of",)) is None or m + 1 >= len(tokens):
        return None
    n_token = tokens[m + 1]
    if not integer(n_token) or n_token.is_word_number or not _agrees(k_token, n_token, share):
        return None
    end = m + 2
    while end < len(tokens) and end - m <= 4 and tokens[end].kind is Kind.WORD:
        end += 1
    if end >= len(tokens) or tokens[end].text not in {")", "]", ";", ","}:
        return None
    return n_token, end


def _group_items(tokens: Tokens, i: int, item: ValueItem) -> int | None:
    """Read a bracketed group of attachments at ``i`` into ``item``; the index after it, or None to leave it.

    A group is read when it opens with something this grammar knows (a
    CI, a p-value, a percentage of a count, a count of a percentage, "n =",
    a range note); a group that opens with anything else (a sub-figure
    "HR=0.41, ...", words) is left to the caller.
    """
    bare = parse_bare_interval(tokens, i)
    if bare is not None:
        item.bare = bare
        return bare.j
    end = _skip_group(tokens, i)
    closed = end <= len(tokens) and tokens[end - 1].text in {")", "]"}
    last = end - 1 if closed else len(tokens)  # the closing bracket
    k = i + 1
    took = False
    while k < last:
        token = tokens[k]
        if token.text in {",", ";"} or token.lower in {"and", "with"}:
            k += 1
            continue
        ci = parse_ci(tokens, k) if item.ci is None else None
        if ci is not None and ci.j <= last:
            item.ci, k, took = ci, ci.j, True
            continue
        p = parse_p_value(tokens, k) if item.p is None else None
        if p is not None and p.j <= last:
            item.p, k, took = p, p.j, True
            continue
        if token.lower in {"median", "mean"} and k + 2 < last and tokens[k + 1].text in {",", ";"}:
            k += 2  # "8.3 months (median; range 2-14)": the value's own name, then its range
            continue
        if token.lower in _INTERVAL_NOTES:
            item.range_note = True
            spread = _published_range(tokens, k, last)
            if spread is not None:
                item.range_low, item.range_high, _ = spread
            return end
        if token.lower == "n" and k + 2 < last and tokens[k + 1].text == "=" and tokens[k + 2].is_number:
            count = _count(tokens, k + 2)
            if count is not None and count[1] is not None and item.numerator is None and item.unit is Unit.PERCENT:
                item.numerator, item.denominator = count[0], count[1]  # "79% (n = 11/14 evaluable)"
                k, took = count[3], True
                while k < last and tokens[k].kind is Kind.WORD:
                    k += 1
                continue
            item.n_equals = tokens[k + 2]
            k, took = k + 3, True
            continue
        if item.is_count and item.quantity is None:
            quantity = parse_quantity(tokens, k, ranges=False)
            if quantity is not None and quantity.unit is Unit.PERCENT and quantity.j <= last:
                item.quantity, k, took = quantity, quantity.j, True
                group = _share_of_group(tokens, quantity, item.numerator) if item.denominator is None else None
                if group is not None and group[1] <= last:
                    item.denominator, k = group  # "15 patients (37% of 41)", "4 patients (10% of 41 treated; ..."
                continue
        if not item.is_count and item.unit is Unit.PERCENT:
            grouped = _group_count(tokens, k)
            if grouped is not None and grouped[2] <= last:
                item.numerator, item.denominator, k, took = grouped[0], grouped[1], grouped[2], True
                continue
        break
    if not took:
        return None
    if closed and k < last and _sub_figure(tokens, k, last):
        while tokens[k - 1].text in {",", ";"}:
            k -= 1
        return k  # "53% (95% CI, 44 to 62; 6% with a complete response ...)": the rest is figures of its own
    return end if closed else k


def _sub_figure(tokens: Tokens, k: int, last: int) -> bool:
    """Whether a bracket goes on, at ``k``, with a percentage of something named after it ("6% with a CR")."""
    quantity = parse_quantity(tokens, k, ranges=False)
    if quantity is None or quantity.unit is not Unit.PERCENT or quantity.j >= last:
        return False
    return tokens[quantity.j].lower in {"with", "had", "achieved", "experienced", "showed"}


def _skip_group(tokens: Tokens, i: int) -> int:
    """Index after the bracketed group that opens at ``i`` (balanced), or the end of the tokens."""
    depth = 0
    for k in range(i, len(tokens)):
        if tokens[k].text in {"(", "["}:
            depth += 1
        elif tokens[k].text in {")", "]"}:
            depth -= 1
            if depth == 0:
                return k + 1
    return len(tokens)


def _attachments(tokens: Tokens, k: int, item: ValueItem) -> int:
    """Read CI, p-value and count attachments after a value; the index after the last one read."""
    while k < len(tokens):
        token = tokens[k]
        if token.text in {"(", "["}:
            if is_citation(tokens, k) is not None and not _decimal_interval(tokens, k):
                return k
            after = _group_items(tokens, k, item)
            if after is None:
                return k
            k = after
            continue
        step = k + 1 if token.text in {",", ";"} else k
        if token.lower == "with" and match_phrase(tokens, k, ("with", "a")) is not None:
            step = k + 2
        ci = parse_ci(tokens, step) if item.ci is None else None
        if ci is not None:
            item.ci, k = ci, ci.j
            continue
        p = parse_p_value(tokens, step) if item.p is None else None
        if p is not None:
            item.p, k = p, p.j
            continue
        spread = _published_range(tokens, step, len(tokens)) if item.range_low is None and step > k else None
        if spread is not None:
            item.range_note, (item.range_low, item.range_high, k) = True, spread  # "5.6 months, range 1.2-14.0"
            continue
        return k
    return k


def _published_range(tokens: Tokens, k: int, last: int) -> tuple[Token, Token, int] | None:
    """ "range 1.2-14.0", "range: 3 to 40", "ranging from 3 to 25" at ``k``, ending by ``last``: a published range.

    Its ends, low first, and the index after it; ``None`` unless ``k`` is "range" or "ranging" and two numbers
    follow, joined by a dash or "to", low before high.
    """
    if k >= last or tokens[k].lower not in {"range", "ranging"}:
        return None
    m = k + 1
    while m < last and (tokens[m].text in {":", "=", ","} or tokens[m].lower == "from"):
        m += 1
    spread = parse_quantity(tokens, m)
    if spread is None:
        return None
    low, high, after = spread.number, spread.high, spread.j
    if high is None and spread.j + 1 < last and tokens[spread.j].lower == "to":
        high, after = tokens[spread.j + 1], spread.j + 2  # "(range, 2.1 to 25.0)": the ends joined by "to"
        if high.kind is not Kind.NUMBER or high.is_word_number:
            return None
    if high is None or after > last or low.value is None or high.value is None or low.value > high.value:
        return None
    return low, high, after


def attachments(tokens: Tokens, k: int, item: ValueItem) -> int:
    """Read the CI and p-value written at ``k`` into ``item`` (after its arm: "20% in group B (95% CI 13 to 29)")."""
    return _attachments(tokens, k, item)


def _decimal_interval(tokens: Tokens, i: int) -> bool:
    bare = parse_bare_interval(tokens, i)
    return bare is not None and any("." in t.text or "·" in t.text for t in (bare.lower, bare.upper))


def _agrees(k: Token, n: Token, share: Quantity | None) -> bool:
    """Whether a percentage written beside a count is that count's share (k of n to within one point)."""
    if share is None or k.value is None or n.value is None or n.value == 0 or share.number.value is None:
        return False
    return abs(k.value * 100 / n.value - share.number.value) <= 1


def parse_value(tokens: Tokens, i: int, *, counts: bool = True) -> ValueItem | None:
    """A value with its attachments at ``i`` (a count when ``counts``), or None when no value starts there.

    A number after a word that names things by number ("exon 21", "grade 3",
    "phase 2") is a name, not a value, unless a unit follows it ("type 90%").
    """
    if i >= len(tokens):
        return None
    named = i > 0 and tokens[i - 1].lower in IDENTIFIER_WORDS and tokens[i].kind is Kind.NUMBER
    if named and parse_unit(tokens, i + 1) is None:
        return None
    if (
        i > 1
        and tokens[i - 1].text in {"-", "–", "—", "/"}
        and tokens[i - 1].start == tokens[i - 2].end
        and (tokens[i - 2].kind is Kind.NUMBER or (tokens[i - 1].text == "/" and tokens[i - 2].text[-1:].isdigit()))
    ):
        return None  # the second end of "18-21" or "3/4", or a name: "BRCA1/2", "HER1/2/4"
    if (
        i > 1
        and tokens[i - 1].text in {"-", "–"}
        and tokens[i - 1].start == tokens[i - 2].end
        and tokens[i].start == tokens[i - 1].end
        and tokens[i - 2].kind is Kind.WORD
    ):
        return None  # a name: "BT-474", "PD-1", "CD-20"
    count = _count(tokens, i) if counts else None
    if count is not None:
        numerator, denominator, percent, end, populated = count
        item = ValueItem(i, end, tokens[i].start, tokens[end - 1].end, quantity=percent, numerator=numerator)
        item.denominator = denominator
        item.counted_population = populated
    else:
        quantity = parse_quantity(tokens, i)
        if quantity is None or (quantity.number.is_word_number and quantity.unit is None):
            return None
        item = ValueItem(i, quantity.j, quantity.start, tokens[quantity.j - 1].end, quantity=quantity)
        if quantity.j < len(tokens):
            # "22% of patients (9 of 41)": a share of a counted population
            after_of = match_phrase(tokens, quantity.j, ("of",))
            if after_of is not None and population_phrase(tokens, after_of) is not None:
                item.counted_population = True
    end = _attachments(tokens, item.j, item)
    if item.quantity is not None and item.quantity.unit is None and end > item.quantity.j:
        late = parse_unit(tokens, end)
        if late is not None and late[0] is not Unit.PERCENT:
            item.quantity = replace(item.quantity, unit=late[0])  # "after 27 (range 21-84) days"
            end = late[1]
    if item.unit is Unit.PERCENT and item.numerator is None and end + 1 < len(tokens) and tokens[end].text == ",":
        at = end + 2 if tokens[end + 1].lower == "or" else end + 1  # "79%, or 31 out of the 39 patients"
        count = _count(tokens, at)
        written = count is not None and (tokens[at + 1].text == "/" or at == end + 2)
        if count is not None and count[1] is not None and written and _agrees(count[0], count[1], item.quantity):
            item.numerator, item.denominator = count[0], count[1]  # "84.6%, 22/26"
            end = count[3]
            end = _attachments(tokens, end, item)
    elif (
        item.denominator is not None
        and item.quantity is None
        and end + 1 < len(tokens)
        and tokens[end].text in {",", ";"}
    ):
        share = parse_quantity(tokens, end + 1, ranges=False)  # "(17/253; 6.7%)", "70 of 96 cases, 73%"
        closes = share is not None and (share.j >= len(tokens) or tokens[share.j].text in {")", "]", ";", ",", "."})
        if share is not None and share.unit is Unit.PERCENT and closes and item.numerator is not None:
            agrees = _agrees(item.numerator, item.denominator, share)
            item.quantity = share if agrees else None
            end = _attachments(tokens, share.j, item) if agrees else end
    item.j = end
    item.end = tokens[end - 1].end
    return item
