"""The results grammar: read the figures a clinical text reports, every number exactly as written.

One extractor for CIViC statements (the importer) and for new papers
(``kg propose``). A text is tokenized (:mod:`kg.reader.tokens`), cut into
sentences, and each sentence is read as *frames*: a measure named by an
anchor (:mod:`kg.reader.anchors`: "the median PFS", "ORR and DCR", "HR")
owns the values that follow it through a link ("was", "of", ":", "=") —

* one value: ``ORR was 22.2% (95% CI 10.6-40.8)``;
* a comparison, one figure per value and arm: ``14.2 versus 8.1 months``,
  ``2.8 months (95% CI 2.8-3.6) in the binimetinib group and 1.5 months
  (1.5-1.7) in the dacarbazine group``, ``in the A group and the B group is
  11.1 months and 4.1 months, respectively``;
* a list of measures paired with a list of values: ``ORR and DCR were
  31.5% and 77.0%``;

or a value precedes its measure: ``a 57% response rate``, ``9 of 26
patients responded``, ``31 (62%) of 50 patients achieved a major
response``, ``14% (6/42) had a PR``. Shares that no measure word names
(prevalence, adverse events, counts) are read by :mod:`kg.reader.shares`.

Precision comes first: a value is only a figure of a measure when its unit
fits the measure (a time for a median, a share for a rate, no unit for a
ratio), a CI must contain its value, a percentage is at most 100, and a
place where values cannot be paired with measures without guessing is
dropped and reported (:class:`~kg.reader.figures.Dropped`), never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from kg.model.terms import OutcomeMeasure, Unit
from kg.reader.anchors import find_anchors, response_abbreviations
from kg.reader.claims import Claims
from kg.reader.counts import read_counts
from kg.reader.durations import read_durations
from kg.reader.figures import Dropped, Extraction, Figure, check_figure
from kg.reader.frames import FrameRules
from kg.reader.measures import RESPONSE_MEASURES
from kg.reader.preceding import PrecedingRules
from kg.reader.shares import read_shares
from kg.reader.tokens import NUMBER_WORDS, Kind, Token, tokenize
from kg.reader.values import ValueItem, parse_value

__all__ = ["check_figure", "extract_figures", "sentence_bounds"]

Tokens = Sequence[Token]

#: A digit or a number word: the cheap test that lets a text without any number skip the grammar.
_ANY_NUMBER = re.compile(r"\d|\b(?:" + "|".join(NUMBER_WORDS) + r")\b", re.IGNORECASE)

_ABBREVIATIONS = frozenset(
    {"vs", "e.g", "i.e", "al", "approx", "fig", "figs", "no", "ca", "cf", "resp", "v", "dr", "ref"}
)


def _glued_sentence(tokens: Tokens, k: int) -> bool:
    """ "chemotherapy.35.9% (14/39)": a full stop glued between a word and a number still ends a sentence."""
    previous, nxt = tokens[k - 1], tokens[k + 1]
    return (
        k > 0
        and previous.kind is Kind.WORD
        and len(previous.text) >= 4
        and previous.end == tokens[k].start
        and nxt.kind is Kind.NUMBER
        and not nxt.is_word_number
    )


def sentence_bounds(tokens: Tokens) -> list[tuple[int, int]]:
    """Token ranges of sentences: a split after ".", "?" or "!" before a capital or a digit."""
    bounds: list[tuple[int, int]] = []
    lo = 0
    for k, token in enumerate(tokens):
        if token.text not in {".", "?", "!"} or k + 1 >= len(tokens):
            continue
        previous = tokens[k - 1].lower if k else ""
        nxt = tokens[k + 1]
        if previous in _ABBREVIATIONS:
            continue
        if nxt.start == token.end:
            if not _glued_sentence(tokens, k):
                continue
            bounds.append((lo, k + 1))
            lo = k + 1
            continue
        starts_sentence = nxt.text[:1].isupper() or (
            token.text == "." and (nxt.text[:1].isdigit() or nxt.text in {"(", "["})
        )
        if starts_sentence:
            bounds.append((lo, k + 1))
            lo = k + 1
    if lo < len(tokens):
        bounds.append((lo, len(tokens)))
    return bounds


class _Sentence(FrameRules, PrecedingRules):
    """One sentence read by every rule: measure frames first, values before their measure second."""

    def read(self) -> None:
        k = 0
        while k < len(self.toks):
            if k in self.anchor_at and k not in self.used_anchors:
                self._frame(self.anchor_at[k])
                k += 1
                continue
            if k not in self.claimed and self.toks[k].kind is Kind.NUMBER:
                after = self._respective_counts(k)
                if after is not None:
                    k = after
                    continue
            if k not in self.claimed and (self.toks[k].kind is Kind.NUMBER or self._comparator_start(k)):
                after = self._value_then_anchor(k)
                if after is not None:
                    k = after
                    continue
            k += 1
        self.other_arms()
        self._late_shares()
        self.other_arm_counts()  # after the first count took its share: "... group (59.9%; ...) and in 19 of 66"
        self.repeated_comparisons()
        self._late_shares()

    def _late_shares(self, counts: frozenset[OutcomeMeasure] = frozenset()) -> None:
        """ "Responses were seen in 11 of 20 patients treated with dabrafenib (55%)": a count's share written later.

        A response count with its k of n and no percentage takes a bracketed percentage that closes its clause
        (no number, comma or other figure between) when the percentage is k of n to within one point; any other
        percentage is left to the share rules. With ``counts``, a count of those measures does too, after the count
        rules, and becomes a proportion ("23 of 90 patients who did not use aspirin after diagnosis (26%) died").
        """
        toks = self.toks
        for index, figure in enumerate(self.figures):
            if (
                figure.measure not in RESPONSE_MEASURES | counts
                or figure.value is not None
                or figure.denominator is None
            ):
                continue
            last = self.last_token(figure)
            if last is None:
                continue
            m = last + 1
            while m < len(toks) and m - last <= 10 and toks[m].kind is Kind.WORD and m not in self.claimed:
                if m in self.anchor_tokens or toks[m].lower in {"and", "or", "but", "while", "whereas", "vs"}:
                    break
                m += 1
            share = self._bracketed_share(m)
            if share is None:
                continue
            item, close = share
            quantity = item.quantity
            assert quantity is not None
            end = toks[close].end
            measure = OutcomeMeasure.PROPORTION if figure.measure in counts else figure.measure
            late = replace(
                figure, measure=measure, value=quantity.number.text, unit=Unit.PERCENT, end=end,
                text=self.text[figure.start : end],
                ci_level=item.ci.level.text if item.ci is not None and item.ci.level is not None else figure.ci_level,
                ci_lower=item.ci.lower.text if item.ci is not None else figure.ci_lower,
                ci_upper=item.ci.upper.text if item.ci is not None else figure.ci_upper,
                p_value=item.p.number.text if item.p is not None else figure.p_value,
                p_comparator=item.p.comparator if item.p is not None else figure.p_comparator,
            )  # fmt: skip
            if check_figure(late) is None:
                self.figures[index] = late
                self.claimed.update(range(m, close + 1))

    def _bracketed_share(self, m: int) -> tuple[ValueItem, int] | None:
        """ "(55%)", "(59.9%; 95% CI, 52.0 to 67.4)" at ``m``: a percentage alone in its bracket, with its CI or p."""
        toks = self.toks
        if m + 3 >= len(toks) or toks[m].text != "(" or toks[m + 1].kind is not Kind.NUMBER:
            return None
        item = parse_value(toks, m + 1, counts=False)
        if item is None or item.unit is not Unit.PERCENT or item.quantity is None or item.quantity.high is not None:
            return None
        close = item.j
        if close >= len(toks) or toks[close].text != ")" or not self.free(m, close + 1):
            return None
        return item, close


def extract_figures(text: str) -> Extraction:
    """Every figure ``text`` reports, left to right, and the places dropped as ambiguous."""
    if not _ANY_NUMBER.search(text):
        return Extraction((), ())  # every figure has a number: a text without one has none (most CIViC statements)
    tokens = tokenize(text)
    figures: list[Figure] = []
    dropped: list[Dropped] = []
    as_response = response_abbreviations(text)  # "objective response (OR)", "response rate (RR)" anywhere: no ratio
    for lo, hi in sentence_bounds(tokens):
        toks = tokens[lo:hi]
        if not any(token.kind is Kind.NUMBER for token in toks):
            continue  # every figure has a number: a sentence without one has none (a third of CIViC's sentences)
        start, end = toks[0].start, toks[-1].end
        sentence = _Sentence(text, toks, find_anchors(text[start:end], toks, offset=start, as_response=as_response))
        sentence.read()
        claims = Claims(text, toks, sentence.claimed, sentence.figures)
        read_shares(claims)
        read_durations(claims)
        read_counts(claims)
        sentence._late_shares(counts=frozenset({OutcomeMeasure.COUNT}))  # "23 of 90 patients who ... (26%) died"
        sentence.figures.sort(key=lambda figure: figure.start)
        figures.extend(sentence.figures)
        dropped.extend(sentence.dropped)
    return Extraction(tuple(figures), tuple(dropped))
