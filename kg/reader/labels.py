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
