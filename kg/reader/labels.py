"""Values named by the group they belong to: "ECSCR low = 92.5 days", "; KRAS wild-type (WT): 10.8 months".

A list of one measure's values by group often names each group right before
its value, with "=" or ":" ("vs. ECSCR low = 92.5 days and for Robo4 high =
387 days", "median PFS: KRAS mutant: 17.7 months; KRAS wild-type (WT): 10.8
months"). Reading those names is its own question (how many words, which
words name no group: "follow-up: 30 months"), apart from the frames that pair
values with measures, so it lives here as a base of
:class:`~kg.reader.frames.FrameRules`.
"""

from __future__ import annotations

from kg.reader.reading import SentenceState
from kg.reader.tokens import Kind
from kg.reader.values import ValueItem, parse_value

__all__ = ["GroupLabels"]

#: Words that name what a value is, not a group it belongs to ("; follow-up: 30 months").
_NOT_GROUP_NAMES = frozenset(
    {"follow", "follow-up", "followup", "up", "age", "aged", "median", "mean", "range", "dose", "doses", "duration"}
)


class GroupLabels(SentenceState):
    """The group-name rules over one sentence."""

    def labelled(self, k: int) -> int:
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

    def semicolon_label(self, k: int, last: ValueItem) -> tuple[ValueItem, str] | None:
        """ "; KRAS wild-type (WT): 10.8 months": a group's name and a colon, then a value in the last value's unit.

        A list of values by group after a median, each written "name: value" and the items parted by semicolons;
        the name is at most six words (brackets and hyphens between them, as in "KRAS wild-type (WT)") and the value
        must carry the same unit as the value before it, with no range.
        """
        toks = self.toks
        if k >= len(toks) or toks[k].text != ";" or last.unit is None:
            return None
        m = k + 1
        words: list[int] = []
        while m < len(toks) and len(words) < 6:
            if toks[m].kind is Kind.WORD and m not in self.anchor_tokens:
                words.append(m)
                m += 1
            elif toks[m].text in {"(", ")", "-"}:
                m += 1
            else:
                break
        if not words or m >= len(toks) or toks[m].text != ":":
            return None
        if {toks[w].lower for w in words} & _NOT_GROUP_NAMES:
            return None  # "; follow-up: 30 months", "; age: 61 years": not a group's value
        nxt = parse_value(toks, m + 1, counts=False)
        if nxt is None or nxt.unit is not last.unit or nxt.quantity is None or nxt.quantity.high is not None:
            return None
        return nxt, " ".join(self.text[toks[words[0]].start : toks[m - 1].end].split())

    def bracket_labels(self, k: int) -> list[ValueItem] | None:
        """ "(TT 130 months; TC 100 months; CC 31 months; P = 0.0066)": a bracket of values each after its group's name.

        At the bracket ``k``: at least two items parted by semicolons or commas, each one or two words that are no
        measure (the group: a genotype, an arm's short name) and a value with a unit, every value in the same unit;
        a p-value may close the list and goes to the last value. Each item is returned with its group as its arm,
        or None when any part does not read so.
        """
        toks = self.toks
        if k >= len(toks) or toks[k].text != "(":
            return None
        items: list[ValueItem] = []
        m = k + 1
        while m < len(toks):
            words = 0
            while m + words < len(toks) and toks[m + words].kind is Kind.WORD and words < 3:
                if m + words in self.anchor_tokens or toks[m + words].lower in _NOT_GROUP_NAMES | {"p", "vs"}:
                    break
                words += 1
            if not 1 <= words <= 2 or toks[m + words].kind is not Kind.NUMBER:
                break
            item = parse_value(toks, m + words, counts=False)
            if item is None or item.unit is None or item.quantity is None or item.quantity.high is not None:
                return None
            item.arm = " ".join(self.text[toks[m].start : toks[m + words - 1].end].split())
            items.append(item)
            m = item.j
            if m < len(toks) and toks[m].text in {";", ","}:
                m += 1
                continue
            break
        if len(items) < 2 or len({item.unit for item in items}) > 1:
            return None
        if m >= len(toks) or toks[m].text != ")":
            return None  # the bracket holds more than the list ("(TT 130 months; HR 2.7)"): not read so
        return items
