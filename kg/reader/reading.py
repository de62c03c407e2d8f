"""The state of one sentence being read, and how a value becomes a figure of a measure.

:mod:`kg.reader.frames` (a measure, then its values) and
:mod:`kg.reader.preceding` (a value, then its measure) share this: the
sentence's tokens and anchors, the figures found and the tokens they
claimed, and :meth:`SentenceState.make_figure`, which checks that a value's
unit fits its measure (a time for a median, a share for a rate, no unit for
a ratio), attaches its CI only where the grammar allows, and drops what
cannot be right (:func:`~kg.reader.figures.check_figure`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from kg.model.terms import Comparator, OutcomeMeasure, Unit
from kg.reader.anchors import Anchor
from kg.reader.figures import Dropped, Figure, check_figure
from kg.reader.measures import Family
from kg.reader.numbers import Interval
from kg.reader.tokens import Kind, Token
from kg.reader.values import ValueItem

__all__ = ["TIME_UNITS", "SentenceState", "integer_token", "measure_for"]

Tokens = Sequence[Token]

TIME_UNITS = frozenset({Unit.DAYS, Unit.WEEKS, Unit.MONTHS, Unit.YEARS})


@dataclass
class SentenceState:
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

    def free(self, i: int, j: int) -> bool:
        """Whether no token of ``i``–``j`` is claimed by a figure yet."""
        return not any(k in self.claimed for k in range(i, j))

    def last_token(self, figure: Figure) -> int | None:
        """Index of the figure's last token (the last one ending at or before its end), or None."""
        return max((m for m, token in enumerate(self.toks) if token.end <= figure.end), default=None)

    # -- reading ---------------------------------------------------------------------------------------------------

    def respectively(self, k: int, skip_words: bool = False) -> bool:
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

    def make_figure(
        self, anchor: Anchor, item: ValueItem, unit: Unit | None, start: int, end: int | None = None
    ) -> Figure | None:
        if _after_p(self.toks, item.i):
            return None  # "HR 0.32 ... with metformin, p = 0.02": a p-value is never the measure's value
        duration = self._lasting(item.i)
        if duration and self._threshold(item) and anchor.family is Family.RESPONSE_RATE:
            return None  # "partial response or stable disease for ≥16 weeks": a threshold that defines benefit
        resolved = measure_for(anchor, item, unit, duration=duration)
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
        spread = _spread(item, unit) if ci is None and "range_low" not in fields else None
        if spread is not None:
            fields["range_low"], fields["range_high"] = spread.lower.text, spread.upper.text
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
            label=anchor.qualifier
            or anchor.garbled
            or (self.text[anchor.start : anchor.end] + ", timepoint not stated" if measure is _SHARE else None),
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
        if k >= 3 and [t.lower for t in toks[k - 2 : k + 1]] == ["a", "median", "of"]:
            k -= 3
            k -= k >= 0 and toks[k].lower == "for"
            return k >= 0 and toks[k].lower in {"lasted", "lasting", "sustained", "maintained"}  # "lasted a median of"
        return k >= 0 and toks[k].lower in {"for", "lasted", "lasting", "maintained", "sustained"}

    def _threshold(self, item: ValueItem) -> bool:
        """ "for ≥16 weeks", "for at least 6 months": a time written as a lower bound after "for"."""
        toks = self.toks
        quantity = item.quantity
        if quantity is None or quantity.unit not in TIME_UNITS:
            return False
        if quantity.comparator is Comparator.GE:
            return item.i > 0 and toks[item.i - 1].lower == "for"
        return item.i > 2 and [t.lower for t in toks[item.i - 3 : item.i]] == ["for", "at", "least"]

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


#: An endpoint's share given without its timepoint is a proportion, labelled with the endpoint as written.
_SHARE = OutcomeMeasure.PROPORTION

_TIMES = frozenset({Unit.DAYS, Unit.WEEKS, Unit.MONTHS, Unit.YEARS})


def _spread(item: ValueItem, unit: Unit) -> Interval | None:
    """ "11 weeks (6-65 weeks)": whole-number bounds that repeat a time value's unit and hold it are its range.

    Only when the interval is no CI (no CI elsewhere in the sentence, whole
    numbers): a CI of a median is written with its level or in decimals.
    """
    bare, value = item.bare, item.value_token
    if bare is None or item.range_note or unit not in _TIMES or bare.unit is not unit or value is None:
        return None
    if not (integer_token(bare.lower) and integer_token(bare.upper)):
        return None
    low, high = bare.lower.value, bare.upper.value
    if low is None or high is None or value.value is None or not low <= value.value <= high:
        return None
    return bare


_P_SIGNS = frozenset({"=", "<", ">", "≤", "≥", "<=", ">=", ":"})


def _after_p(toks: Sequence[Token], i: int) -> bool:
    """Whether the number at ``i`` is written as a p-value ("p = 0.02", "P<0.001")."""
    k = i - 1
    if k >= 0 and toks[k].text in _P_SIGNS:
        k -= 1
    return k >= 0 and k < i - 1 and toks[k].lower in {"p", "p-value", "pvalue"}


def integer_token(token: Token) -> bool:
    return token.value is not None and token.value == token.value.to_integral_value() and "." not in token.text


def measure_for(
    anchor: Anchor, item: ValueItem, unit: Unit | None, duration: bool = False
) -> tuple[OutcomeMeasure, Unit] | None:
    """The measure a value is a figure of, given the anchor's term and the value's unit; None if it is not one.

    ``duration``: the value follows a word of lasting ("for", "lasted",
    "maintained at"), so a time after a response is how long it lasted.
    """
    term = anchor.term
    count_only = item.is_count and item.quantity is None
    if anchor.qualifier is not None:
        if anchor.state and unit in TIME_UNITS and duration and not item.is_count:
            return OutcomeMeasure.TIME_TO_EVENT, unit  # "stable disease for less than six months"
        if unit is Unit.PERCENT:
            return OutcomeMeasure.PROPORTION, Unit.PERCENT
        return (OutcomeMeasure.COUNT, Unit.PATIENTS) if count_only else None
    if term.family is Family.ENDPOINT:
        if unit in TIME_UNITS and not anchor.rate and term.median is not None and not item.is_count:
            return term.median, unit
        if unit is Unit.PERCENT and term.rate is not None and not anchor.median:
            if anchor.timepoint is None:
                return OutcomeMeasure.PROPORTION, Unit.PERCENT  # "overall survival (36% vs 31%)": no timepoint
            return term.rate, Unit.PERCENT
        return None
    if term.family is Family.RESPONSE_RATE and term.measure is not None:
        if unit in TIME_UNITS and not item.is_count and duration:
            if term.measure in {OutcomeMeasure.DCR, OutcomeMeasure.CBR}:
                return OutcomeMeasure.TIME_TO_EVENT, unit  # "disease control for 5 months": no response lasted
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
