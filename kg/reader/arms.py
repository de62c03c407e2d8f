"""Arms: which arm or group of a trial each value of a measure was reported for.

A measure frame (:mod:`kg.reader.frames`) finds a measure and the values it
owns; this module names the arm of each value and reads the values of other
arms set against a figure. It is its own concept because the same questions
come back in every layout: an arm phrase right after a value ("20% in the
doublet-therapy group"), arms listed with "respectively" before or after the
values ("in the A and B groups ... 77% and 66%, respectively"), an arm named
between the measure and its value ("the mPFS of the pyHT treatment group
lasted ..."), another arm's value set against a figure by a word of
contrast ("ORR was 45% ..., while the control group had 10%"), and a
comparison of arms repeated for another subgroup ("21.0 vs. 5.5 months in
the gBRCA cohort ... and 9.3 months vs. 3.9 months in the non-gBRCA
cohort"), whose values are the same measure again.
"""

from __future__ import annotations

import re
from dataclasses import replace

from kg.model.terms import Unit
from kg.reader.figures import Figure, check_figure
from kg.reader.groups import population_phrase
from kg.reader.measures import RESPONSE_MEASURES
from kg.reader.reading import TIME_UNITS, SentenceState
from kg.reader.tokens import Kind, Token
from kg.reader.values import ValueItem, attachments, parse_arm, parse_value

__all__ = ["CLAUSE_VERBS", "ArmRules", "respective_arm_list"]


#: A value followed by one of these starts a new clause ("..., and 71% showed a decrease"): not a comparison.
CLAUSE_VERBS = frozenset(
    {"had", "has", "have", "showed", "show", "shows", "achieved", "achieve", "experienced", "were", "was", "is",
     "are", "developed", "exhibited", "exhibit", "demonstrated", "harbored", "harboured", "harbor", "carried",
     "did", "remained", "responded", "reached", "received", "died", "progressed", "relapsed", "obtained"}
)  # fmt: skip
_ARM_LIST_SPLIT = re.compile(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or|versus|vs\.?)\s+", re.IGNORECASE)
_LEVEL_WORDS = frozenset({"high", "low", "intermediate", "medium", "moderate", "positive", "negative", "early", "late"})
_PLURAL_ARM_HEADS = {"arms": "arm", "groups": "group", "cohorts": "cohort"}


#: Words that set a later value against a figure ("while", "as opposed to", "compared with"): another arm's value.
_CONTRAST_WORDS = frozenset(
    {"while", "whereas", "versus", "vs", "compared", "opposed", "against", "relative", ";", "than"}
)
#: Words that name an arm of a trial.
_ARM_WORDS = frozenset({"arm", "arms", "group", "groups", "placebo", "control", "controls", "cohort", "alone"})


class ArmRules(SentenceState):
    """The arm rules over one sentence: a base of :class:`~kg.reader.frames.FrameRules`."""

    def other_arms(self) -> None:
        """ "ORR was 45% ..., while the control group had 10%", "... as opposed to 10% with docetaxel alone".

        A rate or median read from its measure, then a value of the same unit set against it (a word of contrast
        between: "while", "whereas", "versus", "compared", "as opposed to", ";") for an arm the sentence names
        (an arm phrase after the value, or "control", "placebo", "group", "arm" before it): the other arm's value
        of the same measure. No other number, measure or sentence end may stand between, and the value must not
        start a clause of its own ("10% had grade 3 rash").
        """
        toks = self.toks
        for figure in list(self.figures):
            if figure.unit is not Unit.PERCENT and figure.unit not in TIME_UNITS:
                continue
            if figure.measure.value.endswith("_ratio") or figure.numerator is not None:
                continue
            last = self.last_token(figure)
            if last is None:
                continue
            k = self._next_number(last, 14, frozenset({"."}))
            if k is None:
                continue
            between = {token.lower for token in toks[last + 1 : k]}
            if not between & _CONTRAST_WORDS:
                continue
            item = parse_value(toks, k, counts=False)
            if item is None or item.unit is not figure.unit or item.is_count or not self.free(item.i, item.j):
                continue
            after = item.j
            if after < len(toks) and (toks[after].lower in CLAUSE_VERBS or after in self.anchor_tokens):
                continue  # "10% had grade 3 rash"
            if after < len(toks) and toks[after].lower == "of" and population_phrase(toks, after + 1) is not None:
                continue  # "whereas in the control arm 62% of patients had progressive disease": another share
            arm = parse_arm(toks, after)
            than = self._than_group(last, k)
            if than is not None and arm is None:
                arm = (than, after)  # "worse 5-year DFS (71.1%) than low levels (88.5 %; P = 0.020)"
            if arm is None and not between & _ARM_WORDS:
                continue
            end = after
            if arm is not None:
                end = arm[1]
                if item.ci is None and end < len(toks) and toks[end].text in {"(", "["}:
                    end = attachments(toks, end, item)
            if item.quantity is not None and item.quantity.high is not None:
                continue  # a range is no other arm's value
            other = self._value_again(figure, item, toks[end - 1].end, arm[0] if arm is not None else None)
            if check_figure(other) is not None:
                continue
            self.figures.append(other)
            self.claimed.update(range(item.i, end))

    def _than_group(self, last: int, k: int) -> str | None:
        """ "(71.1%) *than low levels* (88.5 %": the group named between "than" and the bracket of its value at ``k``.

        Only "than" right after the figure's bracket closes, then one to four words, then the bracket that opens
        on the value; "higher than 30%" (no bracket) names no group.
        """
        toks = self.toks
        if k < 2 or toks[k - 1].text != "(" or (toks[last].text != ")" and toks[last + 1].text != ")"):
            return None
        m = last + 1 if toks[last].text == ")" else last + 2
        if m >= k or toks[m].lower != "than":
            return None
        words = toks[m + 1 : k - 1]
        if words and words[0].lower in {"with", "in", "for"}:
            words = words[1:]  # "than with chemotherapy (31%", "than in wild-type patients (12 months)"
        if not 1 <= len(words) <= 5 or any(token.kind is not Kind.WORD and token.text != "-" for token in words):
            return None
        return self.text[words[0].start : words[-1].end]

    def _value_again(self, figure: Figure, item: ValueItem, stop: int, arm: str | None) -> Figure:
        """``figure``'s measure and unit again, for ``item``'s single value with its own CI and p-value, for ``arm``:
        another arm's or subgroup's figure, its span from the value to ``stop``."""
        quantity = item.quantity
        assert quantity is not None
        ci, p = item.ci, item.p
        return replace(
            figure, text=self.text[item.start : stop], start=item.start, end=stop, value=quantity.number.text,
            value_comparator=quantity.comparator, range_low=None, range_high=None,
            ci_level=ci.level.text if ci is not None and ci.level is not None else None,
            ci_lower=ci.lower.text if ci is not None else None, ci_upper=ci.upper.text if ci is not None else None,
            p_value=p.number.text if p is not None else None, p_comparator=p.comparator if p is not None else None,
            arm=arm,
        )  # fmt: skip

    def _next_number(self, last: int, reach: int, stops: frozenset[str]) -> int | None:
        """The first number within ``reach`` tokens after ``last``, unclaimed, with no mark of ``stops``, measure
        word or claimed token before it: where another arm's value set against a figure would start."""
        toks = self.toks
        k = last + 1
        while k < len(toks) and k - last <= reach and toks[k].kind is not Kind.NUMBER:
            if toks[k].text in stops or k in self.anchor_tokens or k in self.claimed:
                return None
            k += 1
        if k >= len(toks) or k - last > reach or k in self.claimed:
            return None
        return k

    def other_arm_counts(self) -> None:
        """ "responses occurred in 100 of the 167 patients in the olaparib group ... and in 19 of the 66 patients in the
        standard-therapy group": a count of responders, then another arm's count set against it.

        A response count (k of n) read from its measure, then within a few words a word of contrast or "and" with
        a preposition ("and in", "and among"), then another k of n that starts no clause of its own: the same
        measure in the other arm, with the arm phrase after it. Its share, when bracketed after it, is read later
        as the first count's was.
        """
        toks = self.toks
        for figure in list(self.figures):
            if figure.measure not in RESPONSE_MEASURES or figure.numerator is None or figure.denominator is None:
                continue
            last = self.last_token(figure)
            if last is None:
                continue
            k = self._next_number(last, 16, frozenset({".", ";"}))
            if k is None:
                continue
            between = [token.lower for token in toks[last + 1 : k]]
            paired = any(
                word == "and" and index + 1 < len(between) and between[index + 1] in {"in", "among", "for", "with"}
                for index, word in enumerate(between)
            )
            if not (paired or set(between) & _CONTRAST_WORDS):
                continue
            item = parse_value(toks, k)
            if item is None or item.numerator is None or item.denominator is None or item.quantity is not None:
                continue
            after = item.j
            if after < len(toks) and (toks[after].lower in CLAUSE_VERBS or after in self.anchor_tokens):
                continue  # "and in 3 of 10 patients had grade 3 rash": a clause of its own
            arm = parse_arm(toks, after)
            end = arm[1] if arm is not None else after
            stop = toks[end - 1].end
            other = replace(
                figure, text=self.text[item.start : stop], start=item.start, end=stop, value=None,
                numerator=item.numerator.text, denominator=item.denominator.text, unit=Unit.PATIENTS,
                ci_level=None, ci_lower=None, ci_upper=None, p_value=None, p_comparator=None,
                arm=arm[0] if arm is not None else None,
            )  # fmt: skip
            if check_figure(other) is not None:
                continue
            self.figures.append(other)
            self.claimed.update(range(item.i, end))

    def repeated_comparisons(self) -> None:
        """ "21.0 vs. 5.5 months in the gBRCA cohort (HR ...) and 9.3 months vs. 3.9 months in the non-gBRCA cohort".

        A comparison of one measure read by its frame, then another comparison of two values in the same unit for
        another subgroup, joined by "and", "or" or a semicolon ("(60.0mo vs. 38.4mo, P=0.011) or wildtype KIT
        (60mo vs. 49.0mo, P=0.049)"): the same measure again, one figure per value. Between them only words,
        brackets and what other frames already read (the first comparison's HR) may stand; no measure word of its
        own, no other number. The second value takes the arm phrase written after it.
        """
        toks = self.toks
        index = 0
        while index < len(self.figures):
            figure = self.figures[index]
            index += 1
            if figure.unit not in TIME_UNITS and figure.unit is not Unit.PERCENT:
                continue
            if figure.measure.value.endswith("_ratio") or figure.numerator is not None:
                continue
            same = [f for f in self.figures if f.measure is figure.measure and f.unit is figure.unit]
            if len(same) < 2 or same[-1] is not figure:
                continue  # only after the last value of a comparison already read
            last = self.last_token(figure)
            if last is None:
                continue
            k, joined = last + 1, False
            while k < len(toks) and k - last <= 30 and (k in self.claimed or toks[k].kind is not Kind.NUMBER):
                if k in self.claimed or self._read_anchor(k):
                    k += 1
                    continue  # what other frames read: the first comparison's HR and its CI
                if toks[k].text in {".", ":"} or k in self.anchor_tokens:
                    break
                joined = joined or toks[k].lower in {"and", "or", ";"}
                k += 1
            if not joined or k >= len(toks) or toks[k].kind is not Kind.NUMBER or k in self.claimed:
                continue
            pair = self._compared_pair(k, figure.unit)
            if pair is None:
                continue
            for item in pair:
                other = self._value_again(figure, item, item.end, item.arm)
                if check_figure(other) is not None:
                    break
                self.figures.append(other)
                self.claimed.update(range(item.i, item.j))

    def _read_anchor(self, k: int) -> bool:
        """Whether the anchor over token ``k`` had its value read (a ratio of the first comparison)."""
        return any(anchor.i <= k < anchor.j and anchor.i in self.used_anchors for anchor in self.anchors)

    def _compared_pair(self, k: int, unit: Unit | None) -> tuple[ValueItem, ValueItem] | None:
        """ "9.3 months vs. 3.9 months in the non-gBRCA cohort", "60mo vs. 49.0mo": two values compared, one unit."""
        toks = self.toks
        first = parse_value(toks, k, counts=False)
        if first is None or first.quantity is None or first.quantity.high is not None:
            return None
        m = first.j
        words = 0
        while m < len(toks) and toks[m].lower in {"vs", "versus", "v", ".", "compared", "with", "to"} and words < 3:
            m += 1
            words += 1
        if not words or not {toks[x].lower for x in range(first.j, m)} & {"vs", "versus", "v", "compared"}:
            return None
        second = parse_value(toks, m, counts=False)
        if second is None or second.quantity is None or second.quantity.high is not None or second.unit is not unit:
            return None
        if first.unit is not unit and first.unit is not None:
            return None
        if first.unit is None:
            first.quantity = replace(first.quantity, unit=unit)
        arm = parse_arm(toks, second.j)
        if arm is not None:
            second.arm, second.end = arm[0], toks[arm[1] - 1].end
            second.j = arm[1]
        return first, second

    def _arms_before_respectively(self, last: ValueItem, count: int) -> list[str | None] | None:
        """The arms of a list of values named after the last one and closed by "respectively".

        None when no "respectively" closes the words after ``last``; a list of Nones when it does but the arms
        cannot be split one per value (the caller then attaches none).
        """
        toks = self.toks
        k = last.j
        if k >= len(toks) or toks[k].lower not in {"in", "for", "among", "with", "on"}:
            return None
        for r in range(k + 1, min(len(toks), k + 16)):
            if toks[r].text in {".", ";"}:
                return None
            if toks[r].lower == "respectively":
                end = r - 1
                while end > k and toks[end].text in {",", ")"}:
                    end -= 1
                arms = respective_arm_list(self.text[toks[k + 1].start : toks[end].end], count)
                return arms if arms is not None else [None] * count
        return None

    def _arms_after_respectively(self, k: int, count: int) -> list[str | None] | None:
        """The arms named after a "respectively" that closes a list of values ("..., respectively, for A and B")."""
        toks = self.toks
        r = k
        while r < len(toks) and r - k < 3 and toks[r].text in {",", ")"}:
            r += 1
        if r >= len(toks) or toks[r].lower != "respectively":
            return None
        m = r + 1
        if m < len(toks) and toks[m].text == ",":
            m += 1
        if m >= len(toks) or toks[m].lower not in {"for", "in", "among", "with", "on"}:
            return None
        end = m + 1
        while end < len(toks) and end - m < 16 and toks[end].text not in {".", ";", ")", "("}:
            end += 1
        if end == m + 1:
            return None
        arms = respective_arm_list(self.text[toks[m + 1].start : toks[end - 1].end], count)
        return arms if arms is not None else [None] * count

    def _arm_after(self, item: ValueItem) -> int:
        arm = parse_arm(self.toks, item.j)
        if arm is None:
            return item.j
        item.arm = arm[0]
        end = arm[1]
        if item.ci is None and not item.is_count and end < len(self.toks) and self.toks[end].text in {"(", "["}:
            end = attachments(self.toks, end, item)  # "20% in the doublet-therapy group (95% CI 13 to 29)"
        item.end = self.toks[end - 1].end
        return end

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


def respective_arm_list(arm: str | None, count: int) -> list[str | None] | None:
    """The ``count`` arms of a "respectively" named after its values, in order, else None.

    "for the combination and monotherapy, respectively" gives ["combination", "monotherapy"]; a shared plural
    head goes to each arm ("the combination and control arms" gives ["combination arm", "control arm"]), so
    each value carries the arm it was reported for, never the whole list.
    """
    if arm is None or count < 2:
        return None
    parts = [part.strip() for part in _ARM_LIST_SPLIT.split(arm) if part.strip()]
    if len(parts) != count:
        return None
    parts = [part[4:] if part.lower().startswith("the ") else part for part in parts]
    for index in range(len(parts) - 1):  # "high- and low-dose arms": "high-" takes the "-dose" of the next arm
        following = parts[index + 1].split()[0]
        if parts[index].endswith("-") and "-" in following:
            parts[index] += following.split("-", 1)[1]
    last = parts[-1].split()
    if len(last) >= 2 and last[-1].lower() in _PLURAL_ARM_HEADS:
        # "high, intermediate and low expression groups": one-word arms share all of the last arm's head
        # the whole modifier is shared only by numbers and levels ("165 and 280 mg/m2 dose groups"): "osimertinib
        # and standard EGFR-TKI groups" shares "group" alone
        levels = all(
            part.lower().split("-")[0] in _LEVEL_WORDS or part.replace(".", "").isdigit() for part in parts[:-1]
        )
        shared_from = 1 if levels else len(last) - 1
        shared = " ".join([*last[shared_from:-1], _PLURAL_ARM_HEADS[last[-1].lower()]])
        parts = [f"{part} {shared}" for part in parts[:-1]] + [" ".join([*last[:shared_from], shared])]
    return list(parts)
