"""One sentence as the share, count and duration rules see it: its tokens, what is claimed, what is found.

The measure frames of :mod:`kg.reader.results` read first; the rules that
follow (:mod:`kg.reader.shares`, :mod:`kg.reader.counts`,
:mod:`kg.reader.durations`) only read tokens no figure has claimed, so a
number is never two figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from kg.model.terms import Comparator, OutcomeMeasure, Unit
from kg.reader.figures import Figure, check_figure
from kg.reader.groups import of_opener
from kg.reader.numbers import Quantity
from kg.reader.tokens import Token
from kg.reader.values import ValueItem

__all__ = ["LAB_WORDS", "Claims", "bare_quantity", "figure_of"]

#: Words of a laboratory sentence, whose percentages are not shares of patients ("3 clones recovered, ~2%").
LAB_WORDS = frozenset(
    {"clone", "clones", "concentration", "concentrations", "ic50", "viability", "inhibition", "transfected",
     "transduced", "nm", "μm", "um", "colonies", "luciferase", "phosphorylation"}
)  # fmt: skip
_AE_CUES = frozenset({"adverse", "aes", "ae", "traes", "toxicity", "toxicities", "side", "grade", "irae", "iraes"})


@dataclass
class Claims:
    """A sentence's tokens, the token indexes figures have claimed, and the figures found so far."""

    text: str
    toks: Sequence[Token]
    claimed: set[int]
    figures: list[Figure]
    lab: bool = field(init=False)
    ae: bool = field(init=False)
    opener: tuple[Token, int] | None = field(init=False)

    def __post_init__(self) -> None:
        span = self.text[self.toks[0].start : self.toks[-1].end].lower() if self.toks else ""
        self.lab = any(token.lower in LAB_WORDS for token in self.toks) or "in vitro" in span
        self.ae = any(token.lower in _AE_CUES for token in self.toks)
        self.opener = of_opener(self.toks)

    def free(self, i: int, j: int) -> bool:
        """Whether no token of ``i``–``j`` is claimed yet."""
        return not any(k in self.claimed for k in range(i, j))

    def add(self, figure: Figure, i: int, j: int) -> bool:
        """Keep ``figure`` (tokens ``i``–``j``) unless it cannot be right; whether it was kept."""
        if check_figure(figure) is not None or not self.free(i, j):
            return False
        self.figures.append(figure)
        self.claimed.update(range(i, j))
        return True

    def word(self, k: int) -> str:
        """The lower-case text of token ``k``, or "" outside the sentence."""
        return self.toks[k].lower if 0 <= k < len(self.toks) else ""

    def before(self, i: int, words: int = 6) -> list[str]:
        return [token.lower for token in self.toks[max(0, i - words) : i]]

    def span_text(self, start: int, end: int) -> str:
        return " ".join(self.text[start:end].split())


def bare_quantity(token: Token, k: int) -> Quantity:
    """A number without unit ("six", "19") as a quantity, for counts."""
    return Quantity(token, None, Comparator.EQ, None, k, k + 1, token.start, token.end)


def figure_of(
    claims: Claims, measure: OutcomeMeasure, unit: Unit, item: ValueItem, end: int | None = None, **extra: str | None
) -> Figure:
    """A figure of ``measure`` from a value item, its span from the item's start to ``end`` (default: its end)."""
    fields: dict[str, object] = {}
    quantity = item.quantity
    if quantity is not None:
        if quantity.high is not None:
            fields["range_low"], fields["range_high"] = quantity.number.text, quantity.high.text
        else:
            fields["value"] = quantity.number.text
        fields["value_comparator"] = quantity.comparator
    if item.range_low is not None and item.range_high is not None and "range_low" not in fields:
        fields["range_low"], fields["range_high"] = item.range_low.text, item.range_high.text
    if item.numerator is not None:
        fields["numerator"] = item.numerator.text
    if item.denominator is not None:
        fields["denominator"] = item.denominator.text
    if item.ci is not None and item.ci.unit in {None, unit}:
        fields["ci_lower"], fields["ci_upper"] = item.ci.lower.text, item.ci.upper.text
        if item.ci.level is not None:
            fields["ci_level"] = item.ci.level.text
    if item.p is not None:
        fields["p_value"], fields["p_comparator"] = item.p.number.text, item.p.comparator
    fields.update({key: value for key, value in extra.items() if value is not None})
    stop = max(item.end, end or item.end)
    return Figure(
        measure=measure,
        text=claims.text[item.start : stop],
        start=item.start,
        end=stop,
        unit=unit,
        **fields,  # type: ignore[arg-type]
    )
