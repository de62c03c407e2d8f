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

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from kg.model.terms import OutcomeMeasure, Unit
from kg.reader.anchors import Anchor, find_anchors
from kg.reader.claims import Claims, bare_quantity
from kg.reader.counts import read_counts
from kg.reader.durations import read_durations
from kg.reader.figures import Dropped, Extraction, Figure, check_figure
from kg.reader.measures import Family
from kg.reader.numbers import Interval, match_phrase, parse_comparator, parse_unit
from kg.reader.shares import read_shares
from kg.reader.tokens import Kind, Token, tokenize
from kg.reader.values import (
    IDENTIFIER_WORDS,
    ValueItem,
    is_citation,
    of_opener,
    parse_arm,
    parse_value,
    population_phrase,
)

__all__ = ["check_figure", "extract_figures", "sentence_bounds"]

Tokens = Sequence[Token]

_TIME_UNITS = frozenset({Unit.DAYS, Unit.WEEKS, Unit.MONTHS, Unit.YEARS})
#: Words between a measure and its value that link them ("median PFS was 7.2 months", "ORR of 30%").
_LINKS = frozenset(
    {"was", "were", "is", "are", "of", "at", ":", "=", "(", "reached", "to", "in", "lasted", "remained", "being",
     "been", "be", "for", "as", "achieved", "showed", "yielded", "attained", "reaching", "approximately", ","}
)  # fmt: skip
_CONNECTORS: tuple[tuple[str, ...], ...] = (
    (",", "compared", "with"), (",", "compared", "to"), ("compared", "with"), ("compared", "to"),
    (",", "versus"), (",", "vs"), (",", "vs", "."), ("versus",), ("vs", "."), ("vs",), ("v", "."), ("v",),
    (",", "and"), (",", "whereas"), (",", "while"), (",", "but"), ("whereas",), ("while",), ("and",), ("or",),
    ("to",), (",",),
)  # fmt: skip
#: A value followed by one of these starts a new clause ("..., and 71% showed a decrease"): not a comparison.
_CLAUSE_VERBS = frozenset(
    {"had", "has", "have", "showed", "show", "shows", "achieved", "achieve", "experienced", "were", "was", "is",
     "are", "developed", "exhibited", "exhibit", "demonstrated", "harbored", "harboured", "harbor", "carried",
     "did", "remained", "responded", "reached", "received", "died", "progressed", "relapsed", "obtained"}
)  # fmt: skip
#: Words between a value and the measure it precedes ("9 of 26 patients *achieved a* partial response").
_BEFORE_ANCHOR = frozenset(
    {"had", "has", "have", "achieved", "attained", "experienced", "showed", "exhibited", "demonstrated", "obtained",
     "a", "an", "the", "confirmed", "objective", "best", "their", "reached", "displayed", "with", "patients",
     "developed", "maintained", "were", "in", "of", "them", "durable", "sustained", "ongoing", "radiographic",
     "radiological", "clinical", "unconfirmed", "favorable", "favourable", "good", "marked", "excellent", "major"}
)  # fmt: skip
_RESPONSE_VERBS = frozenset(
    {"had", "achieved", "attained", "experienced", "showed", "exhibited", "demonstrated", "obtained", "developed",
     "reached", "displayed", "maintained", "responded"}
)  # fmt: skip
_QUALIFYING = frozenset({"with", "harboring", "harbouring", "carrying", "who", "that", "treated", "receiving"})
_CHANGE_NOUNS = frozenset(
    {"decrease", "reduction", "increase", "shrinkage", "change", "improvement", "regression", "decline", "drop"}
)
_COMPARATIVES = frozenset(
    {"lower", "higher", "longer", "shorter", "better", "worse", "greater", "smaller", "improved", "increased",
     "decreased", "prolonged", "similar", "superior", "inferior", "comparable", "reduced"}
)  # fmt: skip
_ADVERBS = frozenset(
    {"still", "only", "also", "just", "even", "then", "now", "significantly", "statistically", "overall", "further",
     "numerically", "markedly", "substantially", "slightly", "notably", "similarly", "consistently"}
)  # fmt: skip
_OBSERVED = frozenset({"observed", "seen", "achieved", "reported", "noted", "occurred", "documented", "recorded"})
_ABBREVIATIONS = frozenset(
    {"vs", "e.g", "i.e", "al", "approx", "fig", "figs", "no", "ca", "cf", "resp", "v", "dr", "ref"}
)
_MAX_FILLER = 30


def sentence_bounds(tokens: Tokens) -> list[tuple[int, int]]:
    """Token ranges of sentences: a split after ".", "?" or "!" before a capital or a digit."""
    bounds: list[tuple[int, int]] = []
    lo = 0
    for k, token in enumerate(tokens):
        if token.text not in {".", "?", "!"} or k + 1 >= len(tokens):
            continue
        previous = tokens[k - 1].lower if k else ""
        nxt = tokens[k + 1]
        if previous in _ABBREVIATIONS or nxt.start == token.end:
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


@dataclass
class _Sentence:
    """One sentence being read: its tokens, anchors, and what has been claimed by a figure."""

    text: str  # the whole text (spans are offsets into it)
    toks: list[Token]
    anchors: list[Anchor]
    figures: list[Figure] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    claimed: set[int] = field(default_factory=set)  # token indexes of values already read
    used_anchors: set[int] = field(default_factory=set)  # anchor start indexes whose value was read

    def __post_init__(self) -> None:
        self.anchor_at = {anchor.i: anchor for anchor in self.anchors}
        self.anchor_tokens = {k for anchor in self.anchors for k in range(anchor.i, anchor.j)}

    # -- reading ---------------------------------------------------------------------------------------------------

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

    def _comparator_start(self, k: int) -> bool:
        return parse_comparator(self.toks, k) is not None and parse_value(self.toks, k) is not None

    # -- frames: a measure, then its values --------------------------------------------------------------------------

    def _measure_list(self, first: Anchor) -> tuple[list[Anchor], int]:
        measures = [first]
        m = first.j
        while m < len(self.toks):
            n = m
            if self.toks[n].text == ",":
                n += 1
            if n < len(self.toks) and self.toks[n].lower in {"and", "or", "/", "&"}:
                n += 1
            if n == m or n not in self.anchor_at or self.anchor_at[n].family is not first.family:
                break
            following = self.anchor_at[n]
            measures.append(following)
            m = following.j
        return measures, m

    def _frame(self, first: Anchor) -> None:
        toks = self.toks
        measures, m = self._measure_list(first)
        k = m
        unit_hint: Unit | None = None
        while k < len(toks) and k - m <= _MAX_FILLER:
            token = toks[k]
            if token.text == ";":
                return
            hint = parse_unit(toks, k) if token.kind is Kind.WORD or token.text == "(" else None
            if hint is None and token.text == "(":
                hint = parse_unit(toks, k + 1)
            if hint is not None and hint[0] in _TIME_UNITS and toks[k - 1].kind is not Kind.NUMBER:
                unit_hint = hint[0]  # "Median PFS and OS (months) for the three groups:", "median survival yrs:"
            if token.text == ":" and self._colon_table(measures, k + 1, unit_hint):
                return
            if k in self.anchor_at and k >= m:
                inner = self.anchor_at[k]
                if inner.state or (first.family is Family.RATIO and inner.family is Family.ENDPOINT):
                    k = inner.j  # "hazard ratio for OS benefit ... was 1.06", "... or death at 3 years was 69%"
                    continue
                return
            if k in self.anchor_tokens:
                return
            timepoint = self._timepoint_at(k)
            if timepoint is not None and first.term.rate is not None and not first.median and len(measures) == 1:
                text, after = timepoint
                measures = [replace(measures[0], timepoint=text, rate=True)]  # "... or death at 3 years was 69%"
                k = after
                continue
            citation = is_citation(toks, k)
            if citation is not None:
                k = citation
                continue
            if token.lower == "n" and k + 2 < len(toks) and toks[k + 1].text == "=":
                k += 3
                continue
            item = parse_value(toks, k) if k not in self.claimed else None
            if item is None:
                k += 1
                continue
            back = k - 1
            while back >= m and toks[back].lower in _ADVERBS:
                back -= 1
            linked = back < m or (
                toks[back].lower in _LINKS
                and (toks[back].text != "(" or _opens_on_link(toks, back, m) or self._bracketed_comparison(back))
            )
            observed_in = linked and back >= m and toks[back].lower == "in" and _observed(toks, m, back)
            if item.is_count and item.quantity is None and item.denominator is None and not observed_in:
                k = item.j  # a sample size in passing ("for 49 lung cancer patients")
                continue
            if not linked or (toks[back].lower == "of" and self._changed(back)):
                k = item.j
                continue
            self._value_group(measures, item, m, k)
            return

    def _colon_table(self, measures: list[Anchor], k: int, unit: Unit | None) -> bool:
        """ "...: 5.0 and 15.0 uncommon, 8.5 and 19.6 common", "...: CALR 15.9, JAK2 5.9": values by group.

        Each comma-separated item holds one value per measure (joined by
        "and") and the group's name before or after them; the unit is the one
        written before the colon. All items must read, or none is taken.
        """
        toks = self.toks
        if unit is None and measures[0].family is not Family.RATIO:
            return False
        rows: list[tuple[list[int], str]] = []
        m = k
        while m < len(toks):
            values: list[int] = []
            words: list[int] = []
            while m < len(toks) and toks[m].text not in {",", ";", ".", "(", ")"}:
                token = toks[m]
                if token.kind is Kind.NUMBER and token.value is not None and not token.is_word_number:
                    values.append(m)
                elif token.lower != "and":
                    if token.kind is not Kind.WORD and token.text not in {"-", "/"}:
                        return False
                    words.append(m)
                m += 1
            if len(values) != len(measures) or not words or len(words) > 4:
                return False
            if not (all(w < values[0] for w in words) or all(w > values[-1] for w in words)):
                return False
            rows.append((values, self._phrase([toks[w] for w in words]) or ""))
            if m >= len(toks) or toks[m].text != ",":
                break
            m += 1
            if m < len(toks) and toks[m].lower == "and":
                m += 1
        if len(rows) < 2:
            return False
        for values, label in rows:
            for anchor, index in zip(measures, values, strict=True):
                token = toks[index]
                quantity = bare_quantity(token, index)
                item = ValueItem(index, index + 1, token.start, token.end, quantity=replace(quantity, unit=unit))
                item.arm = label
                figure = self._figure(anchor, item, unit, token.start)
                if figure is not None:
                    self.figures.append(figure)
                    self.claimed.add(index)
        self.used_anchors.update(anchor.i for anchor in measures)
        return True

    def _changed(self, k: int) -> bool:
        """ "a decrease of 58%": the value after "of" is a change in size, not the measure's value."""
        return self.toks[k - 1].lower in _CHANGE_NOUNS if k > 0 else False

    def _timepoint_at(self, k: int) -> tuple[str, int] | None:
        """ "at 3 years": a timepoint in the words between an endpoint and its value, never its value."""
        toks = self.toks
        if toks[k].lower != "at" or k + 2 >= len(toks) or toks[k + 1].kind is not Kind.NUMBER:
            return None
        unit = parse_unit(toks, k + 2)
        if unit is None or unit[0] not in _TIME_UNITS:
            return None
        number = toks[k + 1].text
        word = {Unit.DAYS: "day", Unit.WEEKS: "week", Unit.MONTHS: "month", Unit.YEARS: "year"}[unit[0]]
        return (f"{number} {word}" if number in {"1", "one"} else f"{number} {word}s"), unit[1]

    def _bracketed_comparison(self, k: int) -> bool:
        """ "(54.5% versus 19.7%; P=0.022)": a bracket that opens on a comparison of two values."""
        toks = self.toks
        first = parse_value(toks, k + 1)
        if first is None:
            return False
        step = self._connector(first.j)
        if step is None:
            return False
        words = {token.lower for token in toks[first.j : step]}
        return bool(words & {"versus", "vs", "v", "compared"}) and parse_value(toks, step) is not None

    def _value_group(self, measures: list[Anchor], item: ValueItem, filler_from: int, filler_to: int) -> None:
        toks = self.toks
        items = [item]
        k = self._arm_after(item)
        while True:
            step = self._connector(k)
            if step is None:
                break
            step = self._labelled(step)  # "vs. ECSCR low = 92.5 days", "and for Robo4 high = 387 days"
            nxt = parse_value(toks, step)
            if nxt is None or nxt.i in self.anchor_tokens or self._new_clause(nxt):
                break
            items.append(nxt)
            k = self._arm_after(nxt)
        respectively = self._respectively(k)
        units = _shared_units(items, measures[0].family)
        if len(measures) == 1:
            pairs = [(measures[0], it, unit) for it, unit in zip(items, units, strict=True)]
        elif len(items) == len(measures):
            pairs = [(anchor, it, unit) for anchor, it, unit in zip(measures, items, units, strict=True)]
        else:
            start, end = measures[0].start, items[-1].end
            self.dropped.append(
                Dropped(
                    f"{len(measures)} measures and {len(items)} values: cannot pair them",
                    self.text[start:end],
                    start,
                    end,
                )
            )
            self.used_anchors.update(anchor.i for anchor in measures)
            return
        arms = self._respective_arms(filler_from, filler_to, len(items)) if respectively else None
        if len(items) == 1 and items[0].arm is None:
            items[0].arm = self._arm_in_filler(filler_from, filler_to)
        for index, (anchor, value, unit) in enumerate(pairs):
            if arms is not None:
                value.arm = arms[index]
            start = anchor.start if index == 0 or len(measures) > 1 else value.start
            figure = self._figure(anchor, value, unit, start)
            if figure is None:
                if index == 0:
                    return
                break
            self.figures.append(figure)
            self.claimed.update(range(value.i, value.j))
            self.used_anchors.add(anchor.i)

    def _labelled(self, k: int) -> int:
        """Past "for Robo4 high =" / "ECSCR low =" before a value in a list, else ``k``."""
        toks = self.toks
        m = k + 1 if k < len(toks) and toks[k].lower == "for" else k
        words = 0
        while m < len(toks) and toks[m].kind is Kind.WORD and words < 3 and m not in self.anchor_tokens:
            m += 1
            words += 1
        if words and m < len(toks) and toks[m].text in {"=", ":"}:
            return m + 1
        return k

    def _arm_after(self, item: ValueItem) -> int:
        arm = parse_arm(self.toks, item.j)
        if arm is None:
            return item.j
        item.arm = arm[0]
        item.end = self.toks[arm[1] - 1].end
        return arm[1]

    def _connector(self, k: int) -> int | None:
        for phrase in sorted(_CONNECTORS, key=len, reverse=True):
            after = match_phrase(self.toks, k, phrase)
            if after is not None:
                return after
        return None

    def _new_clause(self, item: ValueItem) -> bool:
        """Whether the value after a connector begins a clause of its own ("and 71% showed ...")."""
        toks = self.toks
        k = item.j
        if k < len(toks) and toks[k].lower == "of" and population_phrase(toks, k + 1) is not None:
            return True
        return k < len(toks) and toks[k].lower in _CLAUSE_VERBS

    def _respectively(self, k: int, skip_words: bool = False) -> bool:
        """Whether "respectively" follows (past brackets and commas; past any words when ``skip_words``)."""
        toks = self.toks
        steps = 0
        while k < len(toks) and steps < 40:
            token = toks[k]
            if token.lower == "respectively":
                return True
            if skip_words and token.kind is Kind.WORD:
                k += 1
                steps += 1
                continue
            if token.text in {"(", "["}:
                depth = 0
                while k < len(toks):
                    depth += toks[k].text in {"(", "["}
                    depth -= toks[k].text in {")", "]"}
                    k += 1
                    if depth == 0:
                        break
                continue
            if token.text != ",":
                return False
            k += 1
            steps += 1
        return False

    def _respective_arms(self, lo: int, hi: int, count: int) -> list[str | None] | None:
        """Arms listed before the values of a "respectively" ("in the A group and the B group is X and Y")."""
        toks = self.toks
        for k in range(hi - 1, lo - 1, -1):
            if toks[k].lower not in {"in", "for", "among", "between", "with"}:
                continue
            parts: list[list[Token]] = [[]]
            for token in toks[k + 1 : hi]:
                if token.lower in {"and", "versus", "vs", "or"} or token.text == ",":
                    if parts[-1]:
                        parts.append([])
                    continue
                if token.lower in {"was", "were", "is", "are", "of"}:
                    break
                parts[-1].append(token)
            parts = [part for part in parts if part]
            if len(parts) == count:
                return [self._phrase(part) for part in parts]
            return None
        return None

    def _arm_in_filler(self, lo: int, hi: int) -> str | None:
        """ "The mPFS of the pyHT treatment group lasted for ...": an arm named between measure and value."""
        toks = self.toks
        for k in range(lo, hi):
            if toks[k].lower in {"group", "arm", "cohort"} and k > lo:
                back = k - 1
                while (
                    back > lo
                    and toks[back - 1].kind is Kind.WORD
                    and toks[back - 1].lower
                    not in {
                        "the",
                        "in",
                        "of",
                        "for",
                    }
                ):
                    back -= 1
                return self._phrase(list(toks[back : k + 1]))
        return None

    def _phrase(self, tokens: list[Token]) -> str | None:
        while tokens and tokens[0].lower in {"the", "a", "an"}:
            tokens = tokens[1:]
        if not tokens:
            return None
        return " ".join(self.text[tokens[0].start : tokens[-1].end].split())

    # -- a value before its measure -----------------------------------------------------------------------------------

    def _value_then_anchor(self, k: int) -> int | None:
        toks = self.toks
        item = parse_value(toks, k)
        if item is None and toks[k].is_word_number and k + 1 < len(toks) and toks[k + 1].lower in _RESPONSE_VERBS:
            item = ValueItem(k, k + 1, toks[k].start, toks[k].end, quantity=bare_quantity(toks[k], k))  # "nine had"
        if item is None or item.i in self.anchor_tokens:
            return None
        j = item.j
        if j < len(toks) and toks[j].lower == "of":
            phrase = population_phrase(toks, j + 1)
            if phrase is not None:
                j = phrase
        if (item.is_count or item.counted_population) and j < len(toks) and toks[j].lower in _QUALIFYING:
            j = self._skip_qualifier(j)  # "one of 23 patients (4%) *with other BRAF mutations* had a PR"
        bare = (
            item.quantity is not None
            and item.quantity.unit is None
            and not item.is_count
            and j < len(toks)
            and toks[j].lower in _RESPONSE_VERBS
        )
        skipped = 0
        while j < len(toks) and toks[j].lower in _BEFORE_ANCHOR and j not in self.anchor_at and skipped < 4:
            j += 1
            skipped += 1
        anchor = self.anchor_at.get(j)
        if anchor is None or anchor.i in self.used_anchors:
            return None
        if skipped and not (item.is_count or item.counted_population or item.unit is Unit.PERCENT or bare):
            return None
        if item.quantity is not None and item.quantity.unit is None and not item.is_count:
            if anchor.family is Family.RATIO or not _integer_token(item.quantity.number):
                return None
            item.numerator, item.quantity = item.quantity.number, None
        opener = of_opener(toks, item.i)
        if item.is_count and item.denominator is None and opener is not None:
            n_token, n_index = opener
            numerator = item.numerator
            between = toks[n_index + 1 : item.i]
            grouped = any(t.text == "," for t in between) and not any(t.text in {";", "."} for t in between)
            known = numerator is not None and numerator.value is not None and n_token.value is not None
            if grouped and known and numerator.value <= n_token.value:  # type: ignore[union-attr,operator]
                item.denominator = n_token
        figure = self._figure(anchor, item, item.unit, item.start, end=anchor.end)
        if figure is None:
            return None
        self.figures.append(figure)
        self.claimed.update(range(item.i, item.j))
        self.used_anchors.add(anchor.i)
        return anchor.j

    def _respective_counts(self, k: int) -> int | None:
        """ "20, 29, and 56 achieved a CCyR, MCyR, and CHR ..., respectively": counts paired with measures."""
        toks = self.toks
        numbers: list[int] = []
        m = k
        while m < len(toks) and toks[m].kind is Kind.NUMBER and _integer_token(toks[m]) and m not in self.claimed:
            numbers.append(m)
            m += 1
            if toks[m].text == "," if m < len(toks) else False:
                m += 1
            if m < len(toks) and toks[m].lower == "and":
                m += 1
        if len(numbers) < 2 or m >= len(toks) or toks[m].lower not in _RESPONSE_VERBS:
            return None
        m += 1
        if m < len(toks) and toks[m].lower in {"a", "an"}:
            m += 1
        anchors: list[Anchor] = []
        while m in self.anchor_at and len(anchors) < len(numbers):
            anchors.append(self.anchor_at[m])
            m = self.anchor_at[m].j
            if m < len(toks) and toks[m].text == ",":
                m += 1
            if m < len(toks) and toks[m].lower == "and":
                m += 1
        if len(anchors) != len(numbers) or not self._respectively(m, skip_words=True):
            return None
        opener = of_opener(toks, k)
        for index, anchor in zip(numbers, anchors, strict=True):
            token = toks[index]
            item = ValueItem(index, index + 1, token.start, token.end, numerator=token)
            group = opener[0].value if opener is not None else None
            if opener is not None and group is not None and token.value is not None and token.value <= group:
                item.denominator = opener[0]
            figure = self._figure(anchor, item, None, token.start, end=token.end)
            if figure is not None:
                self.figures.append(figure)
                self.claimed.add(index)
                self.used_anchors.add(anchor.i)
        return m

    def _skip_qualifier(self, j: int) -> int:
        """Index of the verb after a qualifying phrase ("with advanced bladder cancer and HER2 ..."), else ``j``."""
        toks = self.toks
        for k in range(j + 1, min(len(toks), j + 14)):
            token = toks[k]
            numbered = token.kind is Kind.NUMBER and toks[k - 1].lower in IDENTIFIER_WORDS  # "exon 11"
            if token.text in {",", ";", ".", "(", ")"} or (token.kind is Kind.NUMBER and not numbered):
                return j
            if k in self.anchor_tokens:
                return j
            if token.lower in _RESPONSE_VERBS:
                return k
        return j

    # -- one figure ---------------------------------------------------------------------------------------------------

    def _figure(
        self, anchor: Anchor, item: ValueItem, unit: Unit | None, start: int, end: int | None = None
    ) -> Figure | None:
        resolved = _measure_for(anchor, item, unit, duration=self._lasting(item.i))
        if resolved is None:
            return None
        measure, unit = resolved
        end = max(item.end, end or item.end)
        quantity = item.quantity
        fields: dict[str, object] = {}
        if quantity is not None:
            if quantity.is_range and quantity.high is not None:
                fields["range_low"], fields["range_high"] = quantity.number.text, quantity.high.text
            else:
                fields["value"] = quantity.number.text
            fields["value_comparator"] = quantity.comparator
        if item.numerator is not None:
            fields["numerator"] = item.numerator.text
        if item.denominator is not None:
            fields["denominator"] = item.denominator.text
        if item.range_low is not None and item.range_high is not None and "range_low" not in fields:
            fields["range_low"], fields["range_high"] = item.range_low.text, item.range_high.text
        ci = self._ci_for(anchor, item, unit)
        if ci is not None:
            fields["ci_lower"], fields["ci_upper"] = ci.lower.text, ci.upper.text
            if ci.level is not None:
                fields["ci_level"] = ci.level.text
        if item.p is not None:
            fields["p_value"], fields["p_comparator"] = item.p.number.text, item.p.comparator
        figure = Figure(
            measure=measure,
            text=self.text[start:end],
            start=start,
            end=end,
            unit=unit,
            timepoint=anchor.timepoint
            if measure.value.endswith("_rate") and anchor.family is Family.ENDPOINT
            else None,
            arm=item.arm,
            label=anchor.qualifier or anchor.garbled,
            **fields,  # type: ignore[arg-type]
        )
        problem = check_figure(figure)
        if problem is not None:
            self.dropped.append(Dropped(problem, figure.text, start, end))
            return None
        return figure

    def _lasting(self, i: int) -> bool:
        """Whether the value at ``i`` says how long something lasted ("for 9 months", "lasted >3 months")."""
        toks = self.toks
        k = i - 1
        while k >= 0 and toks[k].lower in {"additional", "a", "further", "another", "approximately", "about"}:
            k -= 1
        if k >= 1 and toks[k].lower == "at" and toks[k - 1].lower == "maintained":
            return True  # "(maintained at 14 months)"
        return k >= 0 and toks[k].lower in {"for", "lasted", "lasting", "maintained", "sustained"}

    def _ci_for(self, anchor: Anchor, item: ValueItem, unit: Unit) -> Interval | None:
        if item.ci is not None:
            return item.ci if item.ci.unit in {None, unit} else None
        if item.bare is None or item.range_note:
            return None
        if anchor.family is Family.RATIO and unit is Unit.RATIO:
            return item.bare  # "HR 0.49 [0.38, 0.63]": an interval after a ratio is its CI
        if any(figure.ci_lower is not None for figure in self.figures) and item.bare.unit in {None, unit}:
            return item.bare  # "... (95% CI 2.8-3.6) ... and 1.5 months (1.5-1.7)": the same form, the same kind
        decimals = all(any(c in t.text for c in ".·") for t in (item.bare.lower, item.bare.upper))
        if decimals and item.bare.unit in {None, unit}:
            return item.bare  # "was 68.6% (54.5-86.3)": decimal bounds around a value are its CI, not a range
        return None


def _opens_on_link(tokens: Tokens, k: int, lo: int) -> bool:
    """A bracket links a measure to its value right after the measure, a link or a comparison: "was lower (25.9%"."""
    return k == lo or tokens[k - 1].lower in (_LINKS - {"("}) | _COMPARATIVES


def _observed(tokens: Tokens, lo: int, hi: int) -> bool:
    """ "responses were observed in 9 patients": a verb of observing between the measure and "in"."""
    return any(token.lower in _OBSERVED for token in tokens[lo:hi])


def _integer_token(token: Token) -> bool:
    return token.value is not None and token.value == token.value.to_integral_value() and "." not in token.text


def _shared_units(items: list[ValueItem], family: Family) -> list[Unit | None]:
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


def _measure_for(
    anchor: Anchor, item: ValueItem, unit: Unit | None, duration: bool = False
) -> tuple[OutcomeMeasure, Unit] | None:
    """The measure a value is a figure of, given the anchor's term and the value's unit; None if it is not one.

    ``duration``: the value follows a word of lasting ("for", "lasted",
    "maintained at"), so a time after a response is how long it lasted.
    """
    term = anchor.term
    count_only = item.is_count and item.quantity is None
    if anchor.qualifier is not None:
        if anchor.state and unit in _TIME_UNITS and duration and not item.is_count:
            return OutcomeMeasure.TIME_TO_EVENT, unit  # "stable disease for less than six months"
        if unit is Unit.PERCENT:
            return OutcomeMeasure.PROPORTION, Unit.PERCENT
        return (OutcomeMeasure.COUNT, Unit.PATIENTS) if count_only else None
    if term.family is Family.ENDPOINT:
        if unit in _TIME_UNITS and not anchor.rate and term.median is not None and not item.is_count:
            return term.median, unit
        if unit is Unit.PERCENT and term.rate is not None and not anchor.median:
            return term.rate, Unit.PERCENT
        return None
    if term.family is Family.RESPONSE_RATE and term.measure is not None:
        if unit in _TIME_UNITS and not item.is_count and duration:
            return OutcomeMeasure.DOR_MEDIAN, unit  # "partial response for 9 months", "response lasted 4 months"
        if unit is Unit.PERCENT:
            return term.measure, Unit.PERCENT
        if count_only:
            return term.measure, Unit.PATIENTS
        return None
    if term.measure is not None and unit is None and not item.is_count and item.quantity is not None:
        if item.quantity.is_range:
            return None
        return term.measure, Unit.RATIO
    return None


def extract_figures(text: str) -> Extraction:
    """Every figure ``text`` reports, left to right, and the places dropped as ambiguous."""
    tokens = tokenize(text)
    figures: list[Figure] = []
    dropped: list[Dropped] = []
    for lo, hi in sentence_bounds(tokens):
        toks = tokens[lo:hi]
        start, end = toks[0].start, toks[-1].end
        sentence = _Sentence(text, toks, find_anchors(text[start:end], toks, offset=start))
        sentence.read()
        claims = Claims(text, toks, sentence.claimed, sentence.figures)
        read_shares(claims)
        read_durations(claims)
        read_counts(claims)
        sentence.figures.sort(key=lambda figure: figure.start)
        figures.extend(sentence.figures)
        dropped.extend(sentence.dropped)
    return Extraction(tuple(figures), tuple(dropped))
