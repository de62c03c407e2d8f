"""Where a sentence names a measure: the anchors that figures hang from.

An anchor is a measure word found by :func:`kg.reader.measures.find_measure_terms`
("median PFS", "ORR", "hazard ratio"), placed on the token list, with what
the words around it add:

* a definition in brackets is one anchor: "median progression-free survival
  (mPFS)", "objective effective rate (ORR)";
* a timepoint makes an endpoint a rate: "3-year OS", "the 6-month incidence
  of PFS", "PFS at 12 months", "5-year overall survival (OS) rate";
* "rate" after an endpoint asks for a share ("OS rate"), "median" for a time;
* response words that are not measure names ("responded", "responses",
  "major response") are anchors of the response rate; a qualifier that
  makes the response something other than RECIST's objective response
  ("hematologic", "cytogenetic", "molecular") is kept, and such a figure is
  a proportion with the response as its label.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from kg.reader.measures import Family, MeasureTerm, find_measure_terms, measure_terms
from kg.reader.numbers import match_phrase, parse_unit
from kg.reader.tokens import Kind, Token

__all__ = ["Anchor", "find_anchors", "response_abbreviations"]

_TIMEPOINT_FILLERS = frozenset(
    {"incidence", "rate", "rates", "probability", "probabilities", "estimate", "estimated", "landmark", "of", "the"}
)
_RESPONSE_WORDS = frozenset({"responded", "response", "responses", "responders", "remission", "remissions"})
#: Qualifiers of a response that is not RECIST's objective response: read as a proportion with a label.
_OTHER_RESPONSES = frozenset(
    {"major", "hematologic", "haematologic", "cytogenetic", "molecular", "metabolic", "biochemical", "serologic",
     "psa", "histologic", "histological", "pathologic", "pathological", "radiographic", "radiologic",
     "mmr", "ccyr", "mcyr", "chr"}
)  # fmt: skip
#: Responses named by an abbreviation that is not RECIST's: counted with the response as the label.
_OTHER_RESPONSE_WORDS = frozenset({"MCyR", "MCyRs", "MMR", "MMRs", "MaHR", "MaHRs", "MHR", "PCyR", "mCyR"})
#: Disease states a count of patients can be in ("2 had stable disease"); not a response rate.
_STATES = (("stable", "disease"), ("progressive", "disease"), ("disease", "progression"), ("sd",), ("pd",))
_STATE_FIRSTS = frozenset(state[0] for state in _STATES)
_NO_RESPONSE = frozenset({"no", "not", "without", "never", "none", "lack", "absence", "poor", "reduced", "lower"})


@dataclass(frozen=True)
class Anchor:
    """A measure named in the text, on tokens ``i``–``j`` (exclusive), characters ``start``–``end``.

    ``term`` is the measure term; ``median`` that the text said median
    ("median PFS", "mPFS"); ``rate`` that it said rate of an endpoint
    ("OS rate"); ``timepoint`` the timepoint of a rate ("3 years");
    ``response`` that the anchor is a plain response word ("responded"),
    whose measure is the objective response rate unless ``qualifier``
    names another kind of response.
    """

    term: MeasureTerm
    i: int
    j: int
    start: int
    end: int
    median: bool = False
    rate: bool = False
    timepoint: str | None = None
    response: bool = False
    qualifier: str | None = None
    garbled: str | None = None  # "mPES": a median abbreviation one letter from a known one (text-extraction noise)
    state: bool = False  # "stable disease", "SD": a state patients are counted in, or last in for a time
    glued: str | None = None  # "HROS": the endpoint of a hazard ratio written onto it

    @property
    def family(self) -> Family:
        return self.term.family


def _orr() -> MeasureTerm:
    return next(term for term in measure_terms() if term.key == "orr")


def _hr() -> MeasureTerm:
    return next(term for term in measure_terms() if term.key == "hr")


_ENDPOINT_ABBREVIATIONS = frozenset(
    abbreviation for term in measure_terms() if term.family is Family.ENDPOINT for abbreviation in term.abbreviations
)


def _os() -> MeasureTerm:
    return next(term for term in measure_terms() if term.key == "os")


def _token_range(starts: Sequence[int], tokens: Sequence[Token], start: int, end: int) -> tuple[int, int] | None:
    i = bisect.bisect_left(starts, start)
    if i >= len(tokens) or tokens[i].start != start:
        return None
    j = i
    while j < len(tokens) and tokens[j].end <= end:
        j += 1
    return (i, j) if j > i else None


def _plural(unit_word: str, number: str) -> str:
    base = unit_word.lower().rstrip("s")
    base = {"yr": "year", "mo": "month", "wk": "week", "mth": "month"}.get(base, base)
    return f"{number} {base}" if number in {"1", "one"} else f"{number} {base}s"


def _timepoint_before(tokens: Sequence[Token], i: int) -> tuple[str, int] | None:
    """ "3-year OS", "the 6-month incidence of PFS", "5 year overall survival": the timepoint, its first token."""
    k = i - 1
    skipped = 0
    while k >= 0 and tokens[k].lower in _TIMEPOINT_FILLERS and skipped < 3:
        k -= 1
        skipped += 1
    if k < 1:
        return None
    unit = parse_unit(tokens, k)
    if unit is None or tokens[k].lower in {"%", "percent"}:
        return None
    number_at = k - 2 if tokens[k - 1].text in {"-", "‐", "–"} and k >= 2 else k - 1
    number = tokens[number_at]
    if number.kind is not Kind.NUMBER or number.value is None:
        return None
    return _plural(tokens[k].text, number.text), number_at


def _timepoint_after(tokens: Sequence[Token], j: int) -> tuple[str, int] | None:
    """ "PFS at 12 months", "OS rate at 2 years": the timepoint and the index after it."""
    k = j
    if k < len(tokens) and tokens[k].is_("rate", "rates"):
        k += 1
    after = match_phrase(tokens, k, ("at",))
    if after is None or after >= len(tokens):
        return None
    number = tokens[after]
    if number.kind is not Kind.NUMBER or number.value is None:
        return None
    unit = parse_unit(tokens, after + 1)
    if unit is None or tokens[after + 1].lower in {"%", "percent"}:
        return None
    return _plural(tokens[after + 1].text, number.text), unit[1]


def _response_anchor(tokens: Sequence[Token], k: int) -> Anchor | None:
    """A plain response word at ``k`` ("responded", "responses"), with a qualifier before it if any."""
    token = tokens[k]
    if token.text in _OTHER_RESPONSE_WORDS:
        return Anchor(_orr(), k, k + 1, token.start, token.end, response=True, qualifier=token.text)
    for state in _STATES if token.lower in _STATE_FIRSTS else ():
        j = match_phrase(tokens, k, state)
        if j is not None and (len(state) > 1 or token.text in {"SD", "PD"}):
            state_label = " ".join(t.text for t in tokens[k:j])
            return Anchor(
                _orr(), k, j, token.start, tokens[j - 1].end, response=True, qualifier=state_label, state=True
            )
    if token.lower not in _RESPONSE_WORDS:
        return None
    qualifier: str | None = None
    first = k
    back = k - 1
    while back >= 0 and k - back <= 2 and tokens[back].kind is Kind.WORD:
        if tokens[back].lower in _OTHER_RESPONSES:
            qualifier = tokens[back].text if qualifier is None else f"{tokens[back].text} {qualifier}"
            first = back
        elif tokens[back].lower in _NO_RESPONSE:
            return None
        else:
            break
        back -= 1
    label = " ".join(t.text for t in tokens[first : k + 1]) if qualifier is not None else None
    return Anchor(_orr(), first, k + 1, tokens[first].start, token.end, response=True, qualifier=label)


def _one_edit(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by exactly one substituted, inserted or deleted letter."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:k] + long[k + 1 :] == short for k in range(len(long)))


def _garbled_median(token: Token) -> MeasureTerm | None:
    """ "mPES", "mPEFS": PDF text noise for "mPFS" — an "m" and capitals one letter from a 3-letter endpoint.

    PDF extraction garbles letters ("F" read as "E"); a curator corrects
    the quote, and the figure's label says how the word was read. Only
    median abbreviations of three-letter endpoints count, and only words
    that are not themselves an abbreviation we know; where two readings
    are one letter away ("PEFS": PFS or EFS), the one that keeps the first
    letter is taken, and if that does not decide, none is.
    """
    text = token.text
    if token.kind is not Kind.WORD or not 4 <= len(text) <= 6 or text[0] != "m" or not text[1:].isupper():
        return None
    candidates = [
        term
        for term in measure_terms()
        if term.family is Family.ENDPOINT
        for abbreviation in term.abbreviations
        if len(abbreviation) == 3
        and abbreviation.isupper()
        and (text[1:] == abbreviation or _one_edit(text[1:], abbreviation))
    ]
    if any(text[1:] in term.abbreviations for term in candidates):
        return None
    # "PEFS" is one letter from PFS and from EFS: the reading that keeps the first letter wins, else none
    keeps_first = [term for term in candidates if term.abbreviations[0][0] == text[1]]
    if len(candidates) == 1:
        return candidates[0]
    return keeps_first[0] if len(keeps_first) == 1 else None


#: "objective response (OR)", "overall responses (OR)": a text that defines "OR" as a response, not an odds ratio.
#: A list headed by response rates: "Response rates by gene/mutation: BRCA1/2 germline (n=88, OR 53.4); ...".
_RESPONSE_HEADING = re.compile(r"(?i:\bresponse\s+rates?\b)[^.;:()]{0,40}:")
OR_AS_RESPONSE = re.compile(r"(?i:objective|overall)\s+(?i:response)s?(?:\s+(?i:rate)s?)?\s*\(\s*ORs?\s*\)")
#: "response rate (RR)", "overall response rate (RR)": the text names the response rate "RR", never a relative risk.
RR_AS_RESPONSE = re.compile(r"(?i:response)\s+(?i:rate)s?\s*\(\s*RRs?\s*\)")


def response_abbreviations(text: str) -> frozenset[str]:
    """The ratio abbreviations ("or", "rr") that ``text`` defines as the response rate: no ratio is named by them."""
    return frozenset(key for key, pattern in (("or", OR_AS_RESPONSE), ("rr", RR_AS_RESPONSE)) if pattern.search(text))


def find_anchors(
    text: str, tokens: Sequence[Token], offset: int = 0, as_response: frozenset[str] = frozenset()
) -> list[Anchor]:
    """Every anchor of ``text``, whose tokens are ``tokens`` (spans ``offset`` on), left to right.

    ``as_response``: the ratio abbreviations the whole text defines as the
    response rate (:func:`response_abbreviations`: "objective response (OR)",
    "response rate (RR)"), so each of them names the response rate, never an
    odds ratio or a relative risk (a sentence's own definition counts too).
    """
    as_response = as_response | response_abbreviations(text)
    if _RESPONSE_HEADING.search(text):  # "Response rates by arm: OR 45% ..." (in this sentence only)
        as_response |= {"or"}
    starts = [token.start for token in tokens]
    anchors: list[Anchor] = []
    covered: set[int] = set()
    for mention in find_measure_terms(text):
        span = _token_range(starts, tokens, mention.start + offset, mention.end + offset)
        if span is None:
            continue
        i, j = span
        anchors.append(Anchor(mention.term, i, j, tokens[i].start, tokens[j - 1].end, median=mention.median))
        covered.update(range(i, j))
    for k, token in enumerate(tokens):
        if k in covered:
            continue
        response = _response_anchor(tokens, k)
        if response is not None:
            anchors.append(response)
            covered.update(range(response.i, response.j))
        elif token.kind is Kind.WORD and token.text[:2] == "HR" and token.text[2:] in _ENDPOINT_ABBREVIATIONS:
            anchors.append(Anchor(_hr(), k, k + 1, token.start, token.end, qualifier=None, glued=token.text[2:]))
        elif (garbled := _garbled_median(token)) is not None:
            anchors.append(
                Anchor(
                    garbled,
                    k,
                    k + 1,
                    token.start,
                    token.end,
                    median=True,
                    garbled=f"{token.text} read as m{garbled.abbreviations[0]}",
                )
            )
        elif token.lower == "survival" and _timepoint_before(tokens, k) is not None:
            anchors.append(Anchor(_os(), k, k + 1, token.start, token.end))  # "5-year survival": overall survival
        elif token.lower == "survival" and k > 0 and tokens[k - 1].is_("median"):
            anchors.append(Anchor(_os(), k - 1, k + 1, tokens[k - 1].start, token.end, median=True))
    anchors.sort(key=lambda anchor: anchor.i)
    if as_response:
        anchors = [replace(anchor, term=_orr()) if anchor.term.key in as_response else anchor for anchor in anchors]
    merged = _combined_responses(tokens, _merge_definitions(tokens, anchors))
    return [_with_context(tokens, anchor) for anchor in merged]


#: The adjective of the other half of an objective response: "complete or partial response", "partial or complete".
_OTHER_HALF = {"pr": "complete", "cr": "partial"}
#: What joins two responses into one ("CR or PR", "CR/PR", "CR + PR", "complete or partial response").
_EITHER = (("or",), ("/",), ("+",), ("and", "/", "or"))


def _joined(tokens: Sequence[Token], lo: int, hi: int) -> bool:
    return tuple(token.lower for token in tokens[lo:hi]) in _EITHER


def _other_half(tokens: Sequence[Token], anchor: Anchor) -> int | None:
    """Where "complete or" before a partial response ("partial and/or" before a complete one) starts, else None."""
    for joint in _EITHER:
        adjective = anchor.i - len(joint) - 1
        if (
            adjective >= 0
            and tokens[adjective].lower == _OTHER_HALF[anchor.term.key]
            and _joined(tokens, adjective + 1, anchor.i)
        ):
            return adjective
    return None


def _combined_responses(tokens: Sequence[Token], anchors: list[Anchor]) -> list[Anchor]:
    """ "CR or PR", "CR/PR", "complete or partial response", "partial response or better": one objective response.

    A complete and a partial response joined by "or", "/", "+" or "and/or" (either order), "complete or" before a
    partial response or "partial or" before a complete one ("partial or complete responses"), and "or better"
    after a partial response are the objective response (responses -> ORR); a list that goes
    on to stable disease ("CR, PR or SD", "CR + PR + SD") is disease control and is left as it is, and "CR and
    PR" stays two measures.
    """
    keys = {"cr", "pr"}
    merged: list[Anchor] = []
    index = 0
    while index < len(anchors):
        anchor = anchors[index]
        nxt = anchors[index + 1] if index + 1 < len(anchors) else None
        combined: Anchor | None = None
        if (
            nxt is not None
            and {anchor.term.key, nxt.term.key} == keys
            and not anchor.response
            and not nxt.response
            and _joined(tokens, anchor.j, nxt.i)
        ):
            combined = replace(anchor, term=_orr(), j=nxt.j, end=nxt.end, qualifier=None)
            index += 1
        elif anchor.term.key in keys and not anchor.response and (half := _other_half(tokens, anchor)) is not None:
            combined = replace(anchor, term=_orr(), i=half, start=tokens[half].start)  # "partial or complete response"
        elif anchor.term.key == "pr" and [t.lower for t in tokens[anchor.j : anchor.j + 2]] == ["or", "better"]:
            combined = replace(anchor, term=_orr(), j=anchor.j + 2, end=tokens[anchor.j + 1].end)
        if combined is not None and not _goes_on_to_a_state(tokens, combined.j, anchors):
            merged.append(combined)
        else:
            merged.append(anchor)
            if combined is not None and combined.j != anchor.j and nxt is not None and nxt.j == combined.j:
                merged.append(nxt)  # "CR or PR or SD": both kept as they were
        index += 1
    return merged


def _goes_on_to_a_state(tokens: Sequence[Token], j: int, anchors: list[Anchor]) -> bool:
    """Whether a state follows the list at ``j`` ("CR, PR or SD"; "CR/PR/SD")."""
    k = j
    while k < len(tokens) and k - j < 3 and (tokens[k].text in {",", "/", "+"} or tokens[k].lower in {"or", "and"}):
        k += 1
    return any(anchor.i == k and anchor.state for anchor in anchors) or (
        k < len(tokens) and tokens[k].lower in {"sd", "stable"}
    )


def _merge_definitions(tokens: Sequence[Token], anchors: list[Anchor]) -> list[Anchor]:
    """ "median progression-free survival (mPFS)", "hazard ratio [HR]" and "(ORR)" after its name are one anchor."""
    merged: list[Anchor] = []
    skip: set[int] = set()
    for index, found in enumerate(anchors):
        if index in skip:
            continue
        anchor = found
        nxt = anchors[index + 1] if index + 1 < len(anchors) else None
        if (
            nxt is not None
            and nxt.term.key == anchor.term.key
            and nxt.i == anchor.j + 1
            and tokens[anchor.j].text in {"(", "["}
            and nxt.j < len(tokens)
            and tokens[nxt.j].text == {"(": ")", "[": "]"}[tokens[anchor.j].text]
        ):
            anchor = replace(anchor, j=nxt.j + 1, end=tokens[nxt.j].end, median=anchor.median or nxt.median)
            skip.add(index + 1)
        elif (
            anchor.response
            and nxt is not None
            and not nxt.response
            and nxt.i == anchor.j + 1
            and tokens[anchor.j].text == "("
            and nxt.j < len(tokens)
            and tokens[nxt.j].text == ")"
        ):
            # "objective effective rate (ORR)": the abbreviation names the measure
            skip.add(index)
            continue
        merged.append(anchor)
    return merged


def _with_context(tokens: Sequence[Token], anchor: Anchor) -> Anchor:
    """Add the timepoint and the words "rate"/"median" around an endpoint anchor."""
    if anchor.family is not Family.ENDPOINT:
        return anchor
    median = anchor.median or (anchor.i > 0 and tokens[anchor.i - 1].is_("median"))
    before = _timepoint_before(tokens, anchor.i)
    timepoint: str | None = None
    first = anchor.i
    if before is not None and not median:
        timepoint, first = before
    j = anchor.j
    rate = False
    if j < len(tokens) and tokens[j].is_("rate", "rates"):
        rate, j = True, j + 1
    after = _timepoint_after(tokens, anchor.j) if timepoint is None else None
    if after is not None:
        timepoint, j = after
    return replace(
        anchor,
        i=first,
        j=j,
        start=tokens[first].start,
        end=tokens[j - 1].end,
        median=median,
        rate=rate or timepoint is not None,
        timepoint=timepoint,
    )
