"""Measure frames: a measure named in a sentence, then the values it owns.

A frame opens on an anchor (or a list of anchors of one family: "ORR and
DCR") and owns the values that follow it through a link ("was", "of", ":",
"=", an opening bracket right after the measure) — one value, a comparison
(one figure per value, with its arm: "2.8 months ... in the binimetinib
group and 1.5 months ... in the dacarbazine group", "A and B ..., 11.1 and
4.1 months, respectively"), values paired with a list of measures, or a
colon table ("Median PFS and OS (months) for the three groups: 5.0 and 15.0
uncommon, 8.5 and 19.6 common"). Measures and values that cannot be
paired are dropped and reported. Which arm each value belongs to is read by
the rules of :mod:`kg.reader.arms`, the base class of :class:`FrameRules`.
"""

from __future__ import annotations

from dataclasses import replace

from kg.model.terms import Unit
from kg.reader.anchors import Anchor
from kg.reader.arms import CLAUSE_VERBS, ArmRules
from kg.reader.claims import bare_quantity
from kg.reader.figures import Dropped
from kg.reader.groups import population_phrase
from kg.reader.labels import GroupLabels
from kg.reader.measures import Family
from kg.reader.numbers import match_phrase, parse_unit
from kg.reader.pairing import ci_header, listed_together, ratio_for, reference_ratio, shared_units
from kg.reader.reading import TIME_UNITS, Tokens
from kg.reader.tokens import Kind, Token
from kg.reader.values import ValueItem, is_citation, parse_value

__all__ = ["FrameRules"]

_LINKS = frozenset(
    {"was", "were", "is", "are", "of", "at", ":", "=", "(", "reached", "to", "in", "lasted", "remained", "being",
     "been", "be", "for", "as", "achieved", "showed", "yielded", "attained", "reaching", "approximately", ",",
     "median"}
)  # fmt: skip
_CONNECTORS: tuple[tuple[str, ...], ...] = (
    (",", "compared", "with"), (",", "compared", "to"), ("compared", "with"), ("compared", "to"),
    (",", "versus"), (",", "vs"), (",", "vs", "."), ("versus",), ("vs", "."), ("vs",), ("v", "."), ("v",),
    (",", "and"), (",", "whereas"), (",", "while"), (",", "but"), ("whereas",), ("while",), ("and",), ("or",),
    ("to",), (",",),
)  # fmt: skip
#: Words between a value and the measure it precedes ("9 of 26 patients *achieved a* partial response").
_CHANGE_NOUNS = frozenset(
    {"decrease", "reduction", "increase", "shrinkage", "change", "improvement", "regression", "decline", "drop"}
)
_COMPARATIVES = frozenset(
    {"lower", "higher", "longer", "shorter", "better", "worse", "greater", "smaller", "improved", "increased",
     "decreased", "prolonged", "similar", "superior", "inferior", "comparable", "reduced", "poorer", "different"}
)  # fmt: skip
_ADVERBS = frozenset(
    {"still", "only", "also", "just", "even", "then", "now", "significantly", "statistically", "overall", "further",
     "numerically", "markedly", "substantially", "slightly", "notably", "similarly", "consistently"}
)  # fmt: skip
_OBSERVED = frozenset({"observed", "seen", "achieved", "reported", "noted", "occurred", "documented", "recorded"})
_MAX_FILLER = 30
#: What a share of the laboratory counts: "~75% of transcripts", "80% of cells".
_SAMPLE_NOUNS = frozenset({"transcripts", "cells", "blasts", "reads", "alleles", "clones", "nuclei", "colonies"})
#: Words right before a number that describe the patients, not the measure: "a median age of 62 years".
_DESCRIBED_WORDS = frozenset({"age", "aged", "ages"})
#: Connectors that compare arms: "PFS and OS (median 26 vs 54 weeks)" is one measure in two arms, not one each.
_COMPARISON_WORDS = frozenset({"vs", "versus", "v", "compared"})


class FrameRules(ArmRules, GroupLabels):
    """The frame rules over one sentence."""

    def _measure_list(self, first: Anchor) -> tuple[list[Anchor], int]:
        measures = [first]
        ends = [first.j]
        joined = False  # whether the last member came after "and" (a mixed list must close so: "ORR, DCR and mPFS")
        m = first.j
        while m < len(self.toks):
            n = m
            if self.toks[n].text == ",":
                n += 1
            conjunction = n < len(self.toks) and self.toks[n].lower in {"and", "&"}
            if n < len(self.toks) and self.toks[n].lower in {"and", "or", "/", "&"}:
                n += 1
            if n == m or n not in self.anchor_at or not listed_together(first, self.anchor_at[n]):
                break
            following = self.anchor_at[n]
            measures.append(following)
            ends.append(following.j)
            joined = conjunction
            m = following.j
        mixed = [index for index, anchor in enumerate(measures) if anchor.family is not first.family]
        if mixed and not (joined and len(measures) <= 4):
            return measures[: mixed[0]], ends[mixed[0] - 1]  # "response, progression free survival (PFS) of 3.3"
        return measures, m

    def _frame(self, first: Anchor) -> None:
        toks = self.toks
        measures, m = self._measure_list(first)
        k = m
        passed = -1  # the index after the last value passed over as not the measure's
        unit_hint: Unit | None = None
        level: Token | None = None  # the level of a "(95% CI)" written once before the values
        header_at = -1
        definition = self._definition_after(m) if first.family is Family.RESPONSE_RATE else None
        if definition is not None:
            k = definition  # "clinical benefit rate (complete response, SD or PR for ≥ 6 months) was 36%"
        while k < len(toks) and k - m <= _MAX_FILLER:
            token = toks[k]
            if token.text == ";":
                return
            hint = parse_unit(toks, k) if token.kind is Kind.WORD or token.text == "(" else None
            if hint is None and token.text == "(":
                hint = parse_unit(toks, k + 1)
            if hint is not None and hint[0] in TIME_UNITS and toks[k - 1].kind is not Kind.NUMBER:
                unit_hint = hint[0]  # "Median PFS and OS (months) for the three groups:", "median survival yrs:"
            if token.text == ":" and self._colon_table(measures, k + 1, unit_hint):
                return
            if k in self.anchor_at and k >= m:
                inner = self.anchor_at[k]
                if inner.state or (first.family is Family.RATIO and inner.family is not Family.RATIO):
                    # "hazard ratio for OS benefit ... was 1.06", "odds ratio for objective response, 5.39", "... or
                    # death at 3 years was 69%"
                    k = inner.j
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
            if token.lower == "not" and self._not_reached(k):
                return  # "Median OS was not reached at a median follow-up of 18.5 months": no value to read
            follow_up = self._follow_up_value(k)
            if follow_up is not None:
                k = follow_up  # "median PFS, after a median follow-up of 30 months, was 14.2 months"
                continue
            if token.lower == "n" and k + 2 < len(toks) and toks[k + 1].text == "=":
                k += 3
                continue
            labelled = self.bracket_labels(k) if len(measures) == 1 and k not in self.claimed else None
            if labelled is not None:
                self._labelled_values(measures[0], labelled)  # "(TT 130 months; TC 100 months; CC 31 months)"
                return
            header = ci_header(toks, k)
            if header is not None:
                header_at = k
                level, k = header  # "Median PFS (95% CI) was 4.9 (2.9-8.1) months", "(median [95% CI] 4.9 [2.9 - 8.1]"
                continue
            item = parse_value(toks, k) if k not in self.claimed else None
            if item is None:
                k += 1
                continue
            if self._laboratory_share(k, item):
                k = item.j  # "a complete response with the variant present in ~25% of transcripts", "MRD of 0.059%"
                continue
            if toks[k - 1].lower in _DESCRIBED_WORDS or (
                toks[k - 1].lower == "of" and toks[k - 2].lower in _DESCRIBED_WORDS
            ):
                k = item.j  # "PFS was assessed in patients with a median age of 62 years": a description
                continue
            back = k - 1
            if level is not None and toks[back].text in {")", "]"} and back > header_at:
                back = header_at - 1  # "(median [95% CI] 4.9": the value links through the words before the header
            while back >= m and toks[back].lower in _ADVERBS:
                back -= 1
            linked = back < m or (
                toks[back].lower in _LINKS
                and (toks[back].text != "(" or _opens_on_link(toks, back, m) or self._bracketed_comparison(back, m))
            )
            if not linked and toks[back].text == "(" and item.arm is None and not item.is_count:
                arm = _compared_arm(toks, back, m)
                if arm is not None:
                    linked, item.arm = True, arm  # "ORR was significantly better with osimertinib (71%; ..."
            if not linked and first.family is Family.RATIO and item.unit is None and not item.is_count:
                linked = ratio_for(toks, m, k, item)  # "HR for OS 1.72", "hazard ratio [HR] for death 0·80"
            if not linked and toks[back].text == "(" and item.is_count and item.denominator is not None:
                # "Partial responses were seen in GIST (5/10; 50%)": a count bracketed after what it was observed in
                linked = _observed(toks, m, back) and any(toks[b].lower == "in" for b in range(m, back))
            observed_in = linked and back >= m and toks[back].lower == "in" and _observed(toks, m, back)
            if item.is_count and item.quantity is None and item.denominator is None and not observed_in:
                k = item.j  # a sample size in passing ("for 49 lung cancer patients")
                continue
            if linked and toks[back].text == "," and back == passed:
                linked = False  # "poorer (63.8%, 87.9%; p<0.0001)": a comma after a value not taken links nothing
            if not linked or (toks[back].lower == "of" and self._changed(back)):
                k = passed = item.j
                continue
            self._value_group(measures, item, m, k, level)
            return

    def _labelled_values(self, anchor: Anchor, items: list[ValueItem]) -> None:
        """One figure per value of a bracket of named groups, all of ``anchor``'s measure, or none if one fails."""
        figures = [self.make_figure(anchor, item, item.unit, item.start) for item in items]
        if any(figure is None for figure in figures):
            return
        for figure, item in zip(figures, items, strict=True):
            assert figure is not None
            self.figures.append(figure)
            self.claimed.update(range(item.i, item.j))
        self.used_anchors.add(anchor.i)

    def _definition_after(self, m: int) -> int | None:
        """The index after a bracket right after a response measure that defines it by other responses, else None.

        "clinical benefit rate (complete response, SD or PR for ≥ 6 months) was 36%", "disease control rate (CR,
        PR or SD) was 62%": the responses in the bracket say what the measure counts; its value follows the
        bracket through a link, and the bracket's own numbers (a threshold) are not values.
        """
        toks = self.toks
        if m >= len(toks) or toks[m].text != "(":
            return None
        close = next((x for x in range(m + 1, min(len(toks), m + 16)) if toks[x].text in {")", "("}), None)
        if close is None or toks[close].text != ")" or close + 1 >= len(toks):
            return None
        inner = [self.anchor_at[x] for x in range(m + 1, close) if x in self.anchor_at]
        if len(inner) < 2 or any(anchor.family is not Family.RESPONSE_RATE for anchor in inner):
            return None
        if any(toks[x].text == "%" for x in range(m + 1, close)):
            return None  # "The ORR (CR 10%, PR 20%) was 30%": the bracket holds figures, not a definition
        if toks[close + 1].lower not in {"was", "were", "is", "of", ":", "="}:
            return None
        self.used_anchors.update(anchor.i for anchor in inner)
        return close + 1

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
                figure = self.make_figure(anchor, item, unit, token.start)
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
        if any(mark in toks[k + 1].text for mark in ".·"):
            return None  # "PFS was significantly different at 5.6 months for ...": a median's value, no timepoint
        unit = parse_unit(toks, k + 2)
        if unit is None or unit[0] not in TIME_UNITS:
            return None
        number = toks[k + 1].text
        word = {Unit.DAYS: "day", Unit.WEEKS: "week", Unit.MONTHS: "month", Unit.YEARS: "year"}[unit[0]]
        return (f"{number} {word}" if number in {"1", "one"} else f"{number} {word}s"), unit[1]

    def _bracketed_comparison(self, k: int, lo: int) -> bool:
        """ "(54.5% versus 19.7%; P=0.022)": a bracket that opens on a comparison of two values.

        Two values of one unit joined by a comma only ("(63.8%, 87.9%; p<0.0001)") are a comparison when the words
        since the measure (from ``lo``) set two groups against each other ("... when compared to the wild type group").
        """
        toks = self.toks
        first = parse_value(toks, k + 1)
        if first is None:
            return False
        step = self._connector(first.j)
        if step is None:
            return False
        words = {token.lower for token in toks[first.j : step]}
        second = parse_value(toks, step)
        if second is None:
            return False
        if words & {"versus", "vs", "v", "compared"}:
            return True
        compared = {token.lower for token in toks[lo:k]} & {"compared", "versus", "vs", "than"}
        shared = second.unit is not None and first.unit in {None, second.unit}  # "(4.1, 9.3 months"
        return bool(compared) and words == {","} and shared

    def _laboratory_share(self, k: int, item: ValueItem) -> bool:
        """Whether the value at ``k`` measures a sample, not patients: of transcripts or cells, an MRD, an exon.

        "present in ~25 to ~75% of transcripts", "bone marrow MRD of 0.059%", "(69% exon 7, 15% exon 9)".
        """
        toks = self.toks
        after = [toks[m].lower for m in range(item.j, min(len(toks), item.j + 2))]
        if after[:1] == ["of"] and after[1:] and after[1] in _SAMPLE_NOUNS:
            return True
        if after[:1] and after[0] in {"exon", "exons", "codon", "intron"}:
            return True
        before = {toks[m].lower for m in range(max(0, k - 3), k)}
        return bool(before & {"mrd", "present", "vaf", "burden", "transcripts", "blasts"})

    def _not_reached(self, k: int) -> bool:
        """ "not reached", "not been reached", "not yet reached" at ``k``: a measure stated without a value."""
        words = [self.toks[m].lower for m in range(k + 1, min(len(self.toks), k + 4))]
        return bool(words) and (
            words[0] == "reached" or (len(words) > 1 and words[0] in {"been", "yet"} and words[1] == "reached")
        )

    def _follow_up_value(self, k: int) -> int | None:
        """The index after the duration of a follow-up named at ``k`` ("follow-up of 24 months"), else None.

        A follow-up time is how long patients were watched, never the value of the measure around it.
        """
        toks = self.toks
        if toks[k].lower in {"follow-up", "followup"}:
            after = k + 1
        elif toks[k].lower == "follow" and k + 1 < len(toks) and toks[k + 1].lower in {"-", "up"}:
            after = k + (3 if toks[k + 1].text == "-" else 2)
        else:
            return None
        for m in range(after, min(len(toks), after + 5)):
            item = parse_value(toks, m)
            if item is not None:
                return item.j
        return after

    def _value_group(
        self, measures: list[Anchor], item: ValueItem, filler_from: int, filler_to: int, level: Token | None = None
    ) -> None:
        toks = self.toks
        items = [item]
        k = self._arm_after(item)
        compared = False
        while True:
            step = self._connector(k)
            if step is None and len(measures) == 1:
                labelled = self.semicolon_label(k, items[-1])
                if labelled is not None:
                    grouped, label = labelled  # "KRAS mutant: 17.7 months; KRAS wild-type (WT): 10.8 months"
                    grouped.arm = label
                    items.append(grouped)
                    compared = True
                    k = grouped.j
                    continue
            if step is None:
                break
            compared = compared or any(toks[m].lower in _COMPARISON_WORDS for m in range(k, step))
            while step < len(toks) and toks[step].lower in _ADVERBS:
                step += 1  # "40% for carriers and only 8% for wild-type patients"
            step = self.labelled(step)  # "vs. ECSCR low = 92.5 days", "and for Robo4 high = 387 days"
            nxt = parse_value(toks, step)
            if nxt is None or nxt.i in self.anchor_tokens or self._new_clause(nxt):
                break
            if measures[0].family is Family.RATIO and reference_ratio(nxt):
                if items[-1].p is None and nxt.p is not None:
                    # "HR = 1.08 vs 1, P = 0.6": the ratio's p-value; its tokens are the figure's, as its text is
                    items[-1].p, items[-1].end, items[-1].j = nxt.p, nxt.end, nxt.j
                break  # "HR = 1.15 vs 1": the reference group's ratio, 1 by definition, is not a figure
            items.append(nxt)
            k = self._arm_after(nxt)
        respectively = self.respectively(k)
        if len({anchor.family for anchor in measures}) > 1 and not self._mixed_list_fits(measures, items, compared):
            return
        units = shared_units(items, measures[0].family)
        if level is not None:
            for it in items:
                if it.ci is None and it.bare is not None and not it.range_note:
                    it.ci, it.bare = replace(it.bare, level=level, labelled=True), None  # under "(95% CI)": CIs
        if len(measures) == 1:
            pairs = [(measures[0], it, unit) for it, unit in zip(items, units, strict=True)]
        elif len(items) == len(measures) and not (compared and not respectively):
            pairs = [(anchor, it, unit) for anchor, it, unit in zip(measures, items, units, strict=True)]
        else:
            start, end = measures[0].start, items[-1].end
            self.dropped.append(
                Dropped(
                    f"{len(measures)} measures and {len(items)} values"
                    + (" compared between arms" if compared else "")
                    + ": cannot pair them",
                    self.text[start:end],
                    start,
                    end,
                )
            )
            self.used_anchors.update(anchor.i for anchor in measures)
            return
        arms = self._respective_arms(filler_from, filler_to, len(items)) if respectively else None
        if arms is None and len(items) > 1 and all(it.arm is None for it in items[:-1]):
            # "20.1, 14.3 and 9.8 months in A, B and C, respectively"; "77% and 66%, respectively, for A and B"
            listed = self._arms_before_respectively(items[-1], len(items))
            if listed is None and items[-1].arm is None:
                listed = self._arms_after_respectively(k, len(items))
            if listed is not None:
                arms = listed if any(listed) else None
                if arms is None:
                    items[-1].arm = None  # a list we cannot split: no value gets another value's arm
        if len(items) == 1 and items[0].arm is None:
            items[0].arm = self._arm_in_filler(filler_from, filler_to)
        for index, (anchor, value, unit) in enumerate(pairs):
            if arms is not None:
                value.arm = arms[index]
            start = anchor.start if index == 0 or len(measures) > 1 else value.start
            figure = self.make_figure(anchor, value, unit, start)
            if figure is None:
                if index == 0:
                    return
                break
            self.figures.append(figure)
            self.claimed.update(range(value.i, value.j))
            self.used_anchors.add(anchor.i)

    def _mixed_list_fits(self, measures: list[Anchor], items: list[ValueItem], compared: bool) -> bool:
        """Whether a list of rates and medians pairs one to one with its values ("ORR, DCR and mPFS were 30%, 70%
        and 5.1 months"): as many values as measures, not compared between arms, each with its own unit, a share for
        a response rate and a time for a median. Otherwise the list reads nothing, and each measure its own frame."""
        fits = len(items) == len(measures) and not compared
        for anchor, item in zip(measures, items, strict=False):
            share, time = item.unit is Unit.PERCENT, item.unit in TIME_UNITS
            if anchor.family is Family.RESPONSE_RATE or anchor.rate:
                time = False
            if anchor.median:
                share = False
            if item.is_count or not (share or time):
                fits = False
        return fits

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
        return k < len(toks) and toks[k].lower in CLAUSE_VERBS


def _opens_on_link(tokens: Tokens, k: int, lo: int) -> bool:
    """A bracket links a measure to its value right after the measure, a link or a comparison: "was lower (25.9%"."""
    return k == lo or tokens[k - 1].lower in (_LINKS - {"("}) | _COMPARATIVES


def _observed(tokens: Tokens, lo: int, hi: int) -> bool:
    """ "responses were observed in 9 patients": a verb of observing between the measure and "in"."""
    return any(token.lower in _OBSERVED for token in tokens[lo:hi])


def _compared_arm(tokens: Tokens, k: int, lo: int) -> str | None:
    """ "better *with osimertinib* (71%": the arm between a comparative and the bracket ``k`` that opens on a value.

    Only "with", "in" or "for" right after a comparative (after ``lo``, the measure's end), then one to three
    words, then the bracket; the arm is those words.
    """
    for m in range(k - 2, max(lo, k - 5) - 1, -1):
        if tokens[m].lower in {"with", "in", "for"} and m > lo and tokens[m - 1].lower in _COMPARATIVES:
            words = tokens[m + 1 : k]
            if all(token.kind is Kind.WORD for token in words):
                return " ".join(token.text for token in words)
            return None
    return None
