"""Values before their measure: "a 57% response rate", "9 of 26 patients responded", "12/13 had a PR".

A count or a share followed (through a verb: "had", "achieved",
"experienced") by a measure word is a figure of that measure: "31 (62%) of
50 patients achieved a major response", "one of 23 patients (4%; 95% CI,
0% to 22%) with other BRAF mutations had a PR", and lists paired with
"respectively": "20, 29, and 56 achieved a CCyR, MCyR, and CHR,
respectively". The group size of a count comes from the count or from the
sentence's opener ("Of 60 patients with G250E mutations, ...").
"""

from __future__ import annotations

from kg.model.terms import Unit
from kg.reader.anchors import Anchor
from kg.reader.claims import bare_quantity
from kg.reader.groups import IDENTIFIER_WORDS, of_opener, population_phrase
from kg.reader.measures import Family
from kg.reader.numbers import parse_comparator
from kg.reader.reading import SentenceState, integer_token
from kg.reader.tokens import Kind
from kg.reader.values import ValueItem, parse_value

__all__ = ["PrecedingRules"]

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


class PrecedingRules(SentenceState):
    """The value-before-measure rules over one sentence."""

    def _comparator_start(self, k: int) -> bool:
        return parse_comparator(self.toks, k) is not None and parse_value(self.toks, k) is not None

    # -- frames: a measure, then its values --------------------------------------------------------------------------

    def _value_then_anchor(self, k: int) -> int | None:
        toks = self.toks
        elliptic = self._elliptic_count(k)
        item = parse_value(toks, k) if not elliptic else None
        if item is None and (elliptic or (toks[k].is_word_number and k + 1 < len(toks) and
                                          toks[k + 1].lower in _RESPONSE_VERBS)):  # fmt: skip
            item = ValueItem(k, k + 1, toks[k].start, toks[k].end, quantity=bare_quantity(toks[k], k))  # "nine had"
        if item is None or item.i in self.anchor_tokens:
            return None
        of_group = k > 0 and (toks[k - 1].lower == "of" or (toks[k - 1].lower == "the" and k > 1 and
                                                            toks[k - 2].lower == "of"))  # fmt: skip
        if of_group and item.denominator is None and item.unit is not Unit.PERCENT:
            return None  # "none of the 6 patients with wild-type HRAS responded": 6 is the group, not a count
        j = item.j
        if j < len(toks) and toks[j].lower == "of":
            phrase = population_phrase(toks, j + 1)
            if phrase is not None:
                j = phrase
        far_share: ValueItem | None = None
        if (item.is_count or item.counted_population) and j < len(toks) and toks[j].lower in _QUALIFYING:
            j, far_share = self._skip_qualifier(j, share=item.is_count and item.quantity is None)
            # "one of 23 patients (4%) *with other BRAF mutations* had a PR"
        bare = elliptic or (
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
            if anchor.family is Family.RATIO or not integer_token(item.quantity.number):
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
        if far_share is not None:
            if item.denominator is None:
                return None  # a share written apart is taken only where check_figure can hold it to k of n
            # "14/60 of the patients with wildtype KRAS (23%) responded"; "12 of 40 ... (55%)" fails check_figure
            item.quantity = far_share.quantity
        after, end = anchor.j, anchor.end
        share = self._share_after(anchor.j) if item.is_count and item.quantity is None else None
        if share is not None and item.denominator is not None:
            # "31/54 had objective response (57%; 95% CI 43·2–70·8)": the count's share and its CI
            item.quantity, item.ci, item.p = share.quantity, share.ci or item.ci, share.p or item.p
            after, end = share.j, share.end
        figure = self.make_figure(anchor, item, item.unit, item.start, end=end)
        if figure is None:
            return None
        self.figures.append(figure)
        self.claimed.update(range(item.i, item.j))
        self.claimed.update(range(anchor.j, after))
        if far_share is not None and item.quantity is far_share.quantity:
            self.claimed.update(range(far_share.i - 1, far_share.j))
        self.used_anchors.add(anchor.i)
        return after

    def _elliptic_count(self, k: int) -> bool:
        """ "three had a complete response *and four a partial response*": a count whose verb the list leaves out.

        Only a whole number right after "and" or a comma, followed by "a"/"an" or straight by a measure word, when
        the figure just before it (at most eight tokens back) is a count of responders read with its verb.
        """
        toks = self.toks
        if not integer_token(toks[k]) or k < 2 or toks[k - 1].lower not in {"and", ","}:
            return False
        j = k + 1
        if j < len(toks) and toks[j].lower in {"patients", "patient", "cases", "others"}:
            j += 1  # "and four patients a partial response"
        j += j < len(toks) and toks[j].lower in {"a", "an"}
        if j not in self.anchor_at or (k + 1 < len(toks) and toks[k + 1].text in {"%", "/", "("}):
            return False
        if not self.figures:
            return False
        last = self.figures[-1]
        end = self.last_token(last)
        if last.numerator is None or last.value is not None or end is None or k - end > 8:
            return False
        words = {token.lower for token in toks[:k] if token.start >= last.start}
        return bool(words & _RESPONSE_VERBS) and not any(toks[m].text in {";", "."} for m in range(end, k))

    def _share_after(self, j: int) -> ValueItem | None:
        """A bracketed percentage right after an anchor, with its CI or p-value: "(57%; 95% CI 43·2–70·8)"."""
        toks = self.toks
        if j + 1 >= len(toks) or toks[j].text not in {"(", "["}:
            return None
        inner = parse_value(toks, j + 1, counts=False)
        if inner is None or inner.unit is not Unit.PERCENT or inner.numerator is not None or inner.quantity is None:
            return None
        if inner.quantity.is_range:
            return None
        k = inner.j
        if k < len(toks) and toks[k].text in {")", "]"}:
            inner.j, inner.end = k + 1, toks[k].end
        return inner

    def _respective_counts(self, k: int) -> int | None:
        """ "20, 29, and 56 achieved a CCyR, MCyR, and CHR ..., respectively": counts paired with measures."""
        toks = self.toks
        numbers: list[int] = []
        m = k
        while m < len(toks) and toks[m].kind is Kind.NUMBER and integer_token(toks[m]) and m not in self.claimed:
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
        if len(anchors) != len(numbers) or not self.respectively(m, skip_words=True):
            return None
        opener = of_opener(toks, k)
        for index, anchor in zip(numbers, anchors, strict=True):
            token = toks[index]
            item = ValueItem(index, index + 1, token.start, token.end, numerator=token)
            group = opener[0].value if opener is not None else None
            if opener is not None and group is not None and token.value is not None and token.value <= group:
                item.denominator = opener[0]
            figure = self.make_figure(anchor, item, None, token.start, end=token.end)
            if figure is not None:
                self.figures.append(figure)
                self.claimed.add(index)
                self.used_anchors.add(anchor.i)
        return m

    def _skip_qualifier(self, j: int, share: bool = False) -> tuple[int, ValueItem | None]:
        """Index of the verb after a qualifying phrase ("with advanced bladder cancer and HER2 ..."), else ``j``.

        With ``share``, one bracketed percentage may close the phrase ("14/60 of the patients with wildtype KRAS
        *(23%)* responded"): the share of the count before it, returned with the index.
        """
        toks = self.toks
        found: ValueItem | None = None
        k = j + 1
        while k < min(len(toks), j + 14):
            token = toks[k]
            if share and found is None and token.text == "(":
                inner = self._share_after(k)
                if inner is not None and inner.j == k + 4 and inner.ci is None and inner.p is None:
                    found, k = inner, inner.j  # "(23%)" alone
                    continue
            if token.lower in {"who", "whose"} and toks[j].lower != "who":
                return j, None  # "387 men with mCRPC who had disease progression": who the sample is
            if token.text == "(":
                close = next((m for m in range(k + 1, min(len(toks), k + 6)) if toks[m].text in {"(", ")"}), None)
                if (
                    close is not None
                    and toks[close].text == ")"
                    and all(toks[m].kind is Kind.WORD for m in range(k + 1, close))
                ):
                    k = close + 1  # "with ERBB2 (HER2) and/or ERBB3 alterations achieved": a name's other name
                    continue
            numbered = token.kind is Kind.NUMBER and toks[k - 1].lower in IDENTIFIER_WORDS  # "exon 11"
            if token.text in {",", ";", ".", "(", ")"} or (token.kind is Kind.NUMBER and not numbered):
                return j, None
            if token.lower in _RESPONSE_VERBS:  # "had", "achieved"; "responded" is both the verb and the measure
                return k, (found if found is not None and found.j == k else None)
            if k in self.anchor_tokens:
                return j, None
            k += 1
        return j, None

    # -- one figure ---------------------------------------------------------------------------------------------------
