"""Times to an event in one patient or a cohort: "14 and 42 months after radical surgery", "within two months".

Case reports state when things happened: "developed bone and brain
metastases 14 and 42 months after radical surgery, respectively",
"showed marked response 4 months after imatinib treatment", "after 27
(range 21-84) days", "continued for 9 months", "stable disease for less
than six months", "emerged 4 weeks upon initiation of treatment",
"Within two months, she experienced near complete resolution". A duration
is one of these when a word ties it to an event ("after", "later",
"post", "upon", "within", "for" after a verb of lasting); never an age
("a 50-year-old"), a follow-up ("median follow-up of 31 months"), a
schedule ("four weeks on/two weeks off", "every 6 months") or a timepoint
("at 6 months", "5-year OS"), nor when a sample was taken or a response assessed ("plasma was drawn 8 weeks
after ...", "assessed 8 weeks after the first dose"), nor a time that
defines a subgroup ("patients who relapsed within 6 months after ...") or
dates a share ("survival 5 years after diagnosis was 60%"). The time to a patient's death ("died 46
months after diagnosis") is that patient's overall survival.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from kg.model.terms import Comparator, OutcomeMeasure, Unit
from kg.reader.claims import Claims, bare_quantity, figure_of
from kg.reader.numbers import parse_comparator, parse_unit
from kg.reader.tokens import Kind, Token
from kg.reader.values import ValueItem, parse_value

__all__ = ["read_durations"]

_TIME_UNITS = frozenset({Unit.DAYS, Unit.WEEKS, Unit.MONTHS, Unit.YEARS})
_AFTER = frozenset({"after", "post", "upon", "following", "since", "postoperatively"})
#: Before "for": the state or therapy that lasted ("continued for 9 months", "stable disease for ..."); not
#: "received ... for one year", which is how long a drug was given.
_LASTING = frozenset(
    {"continued", "maintained", "lasted", "lasting", "remained", "persisted", "sustained", "disease", "sd", "stable",
     "duration", "additional", "further", "another", "free"}
)  # fmt: skip
_NOT_EVENTS = frozenset(
    {"follow", "followed", "follow-up", "followup", "aged", "age", "ages", "every", "per", "old", "mean", "median",
     "schedule", "cycle", "cycles", "dose", "daily", "interval", "intervals", "past", "last", "over", "least"}
)  # fmt: skip


#: Words of taking a sample: a time after them says when it was taken, not when an event happened.
_SAMPLING_WORDS = frozenset(
    {"collected", "obtained", "drawn", "taken", "sampled", "samples", "sample", "specimens", "plasma", "serum",
     "baseline", "assessed", "evaluated", "measured", "scheduled", "planned"}
)  # fmt: skip
#: Groups a relative clause can define ("patients who relapsed within 6 months ..."): a subgroup, not a case's time.
_GROUP_WORDS = frozenset(
    {"patients", "cases", "those", "subjects", "individuals", "children", "adults", "women", "men"}
)
#: Verbs of a patient's death: the time from diagnosis or treatment to it is that patient's overall survival.
_DEATH_WORDS = frozenset({"died", "dies", "succumbed", "deceased", "expired"})

#: Events that a time "later" dates ("relapsed 17 months later", "regrowth occurring 2 months later").
_LATER_EVENTS = frozenset(
    {"achieved", "occurring", "occurred", "developed", "regrowth", "progressing", "recurring", "relapsing", "died"}
)
#: Events a case report dates with "at" or "in": "progressed at 8 weeks", "partial response at 8 weeks".
_EVENTS = frozenset(
    {"progressed", "progression", "response", "regression", "remission", "relapse", "relapsed", "recurrence",
     "recurred", "shrinkage"}
)  # fmt: skip


class _Durations:
    def __init__(self, claims: Claims) -> None:
        self.c = claims

    def read(self) -> None:
        c = self.c
        k = 0
        while k < len(c.toks):
            token = c.toks[k]
            if k in c.claimed or token.kind is not Kind.NUMBER:
                k += 1
                continue
            if self.numbered_day_at(k):
                k += 1
                continue
            end = self.duration_at(k)
            k = end if end is not None else k + 1

    def _values(self, k: int) -> list[ValueItem] | None:
        """ "14 and 42 months", "27 (range 21-84) days", "six months": the durations at ``k``."""
        c = self.c
        toks = c.toks
        item = parse_value(toks, k, counts=False)
        unit = parse_unit(toks, k + 1)
        if item is None and toks[k].is_word_number and unit is not None:
            quantity = replace(bare_quantity(toks[k], k), unit=unit[0], j=unit[1], end=toks[unit[1] - 1].end)
            item = ValueItem(k, unit[1], toks[k].start, toks[unit[1] - 1].end, quantity=quantity)
        if item is None or item.quantity is None or item.quantity.is_range:
            return None
        values = [item]
        m = item.j
        while item.unit is None and m + 1 < len(toks) and toks[m].lower in {"and", ","}:
            nxt = parse_value(toks, m + 1, counts=False)
            if nxt is None or nxt.quantity is None or nxt.quantity.is_range:
                return None
            values.append(nxt)
            m = nxt.j
            if nxt.unit is not None:
                break
        if values[-1].unit not in _TIME_UNITS:
            return None
        return values

    def _list_start(self, i: int) -> int:
        """Where a list of numbers that ends at ``i`` starts ("8, 24 and 32 weeks": the 8), else ``i``."""
        toks = self.c.toks
        m = i
        while m >= 2:
            step = 3 if m >= 3 and toks[m - 1].lower == "and" and toks[m - 2].text == "," else 2  # "6, 12, and 18"
            if toks[m - 1].text not in {",", "and"} or toks[m - step].kind is not Kind.NUMBER:
                break
            m -= step
        return m

    def duration_at(self, k: int) -> int | None:
        c = self.c
        toks = c.toks
        values = self._values(k)
        if values is None:
            return None
        first, last = values[0], values[-1]
        unit = last.unit
        assert unit is not None
        later = self._later(values)
        if later is not None:
            return self._add(values, later[1], toks[later[0]].start, toks[last.j].end)
        dated = self._dated_at(first) if len(values) == 1 else None
        if dated is not None:
            at_most = toks[0].lower == "within"
            return self._add(values, dated, toks[0].start, last.end, Comparator.LE if at_most else None)
        after_of = c.word(first.i - 1) == "after" and c.word(last.j) in {"of", "on"}  # "after 4.5 months of X"
        event_at = c.word(first.i - 1) in {"at", "in"} and c.word(first.i - 2) in _EVENTS
        if any(word in _NOT_EVENTS for word in c.before(first.i, 4)):
            return None
        clause = self._clause_before(first.i, 8)
        if _SAMPLING_WORDS & set(clause):
            return None  # "Biopsies were collected 2 weeks after the start of treatment": when a sample was taken
        relative = next((m for m, word in enumerate(clause) if word in {"who", "whose"}), None)
        if relative is not None and relative + 1 < len(clause) and clause[relative + 1] in _GROUP_WORDS:
            return None  # "Patients who relapsed within 6 months after adjuvant therapy had ...": a subgroup
        if self._share_in_clause(last.j):
            return None  # "Survival 5 years after diagnosis was 60%": the timepoint of a share
        if "%" in c.before(first.i, 8):
            return None  # "~20% probability of survival after 10 years": the timepoint of a share
        if "%" in [token.text for token in toks[last.j : last.j + 5]] and c.word(last.j) in {"was", "were", "of", ":"}:
            return None  # "Major molecular response at 12 months was 45%": the timepoint of a rate
        if after_of and self._in_brackets(first.i):
            return None  # "(>5% blasts in the bone marrow after 9 weeks of treatment)": a definition
        if c.word(last.j) in {"old", "of", "on"} and not after_of and not (c.word(last.j) == "of" and event_at):
            return None
        if c.word(first.i - 1) in {"-", "at", "by", "the", "a", "first", "every"} and not event_at:
            return None
        start = self._list_start(first.i)
        if start != first.i and c.word(start - 1) in {"at", "by", "every"} and c.word(start - 2) not in _EVENTS:
            return None  # "a partial response at 8, 24 and 32 weeks": the later times of a list of timepoints
        if c.word(last.j) in {"-", "+"}:
            return None
        comparator: Comparator | None = None
        at = first.quantity.i if first.quantity is not None else first.i
        if first.quantity is not None and first.quantity.comparator is not Comparator.EQ:
            comparator = first.quantity.comparator
        else:
            for width in (1, 2, 3):  # ">3 months", "less than six months", "no more than 4 weeks"
                found = parse_comparator(toks, at - width) if at - width >= 0 else None
                if found is not None and found[1] == at:
                    comparator, at = found[0], at - width
                    break
        while c.word(at - 1) in {"additional", "further", "another", "approximately", "about", "subsequent", "next"}:
            at -= 1
            if c.word(at - 1) == "the" and c.word(at) in {"subsequent", "next"}:
                at -= 1  # "remained stable for the subsequent 15 months"
        prefix = c.word(at - 1)
        measure = OutcomeMeasure.TIME_TO_EVENT
        start = first.start
        end = last.end
        responses = {"response", "responses", "remission", "remissions", "responded"}
        if {"defined", "definition", "criteria", "criterion"} & set(c.before(first.i, 14)):
            return None  # "clinical benefit (defined as ... stable disease lasting >16 weeks)": a definition
        if prefix in {"lasted", "lasting"} and responses & set(c.before(first.i, 10)):
            measure = OutcomeMeasure.DOR_MEDIAN  # "favorable responses ... that lasted >3 months"
            start = toks[at - 1].start
        elif c.word(last.j) in _AFTER:
            end = self._event_end(last.j + 1)
        elif event_at:
            start = self._lasting_start(at - 1)  # "progressed at 8 weeks", "molecular remission in 66 days"
        elif prefix in {"after", "within", "post"}:
            start = toks[at - 1].start
            if prefix == "within":
                comparator = Comparator.LE
        elif prefix == "for" and comparator is Comparator.GE:
            return None  # "stable disease for ≥16 weeks", "SD or PR for ≥ 6 months": a threshold that defines benefit
        elif prefix == "for" and any(word in _LASTING for word in c.before(at - 1, 6)):
            start = self._lasting_start(at - 1)
        else:
            return None
        if measure is OutcomeMeasure.TIME_TO_EVENT and self._death_before(at):
            measure = OutcomeMeasure.OS_MEDIAN  # "died 46 months after diagnosis": one patient's overall survival
        for value in values:
            figure = figure_of(c, measure, unit, value, end=end if value is last else None)
            if comparator is not None and value is first:
                figure = replace(figure, value_comparator=comparator)
            if value is first and start < figure.start:
                figure = replace(figure, start=start, text=c.text[start : figure.end])
            c.add(figure, value.i, value.j)
        return last.j

    def _add(
        self,
        values: list[ValueItem],
        measure: OutcomeMeasure,
        start: int,
        end: int,
        comparator: Comparator | None = None,
    ) -> int:
        """Add one figure per value of ``values``, the first from ``start`` (with ``comparator``), the last to ``end``."""
        c = self.c
        first, last = values[0], values[-1]
        unit = last.unit
        assert unit is not None
        for value in values:
            figure = figure_of(c, measure, unit, value)
            if value is last:
                figure = replace(figure, end=end, text=c.text[figure.start : end])
            if value is first:
                figure = replace(figure, start=start, text=c.text[start : figure.end])
                if comparator is not None:
                    figure = replace(figure, value_comparator=comparator)
            c.add(figure, value.i, value.j)
        return last.j

    def _share_in_clause(self, k: int) -> bool:
        """Whether a percentage follows token ``k`` in its clause (up to a comma, semicolon or bracket)."""
        toks = self.c.toks
        for m in range(k, min(len(toks), k + 10)):
            if toks[m].text in {",", ";", ".", "(", ")"} or toks[m].lower in {"with", "and", "but"}:
                return False  # "achieved a PR within one month with 34% tumour shrinkage": the share is another's
            if toks[m].text == "%" or toks[m].lower == "percent":
                return True
        return False

    def _clause_before(self, k: int, words: int) -> list[str]:
        """The words before token ``k`` back to the clause's start (a comma, semicolon or bracket), at most ``words``."""
        toks = self.c.toks
        found: list[str] = []
        for m in range(k - 1, max(-1, k - 1 - words), -1):
            if toks[m].text in {",", ";", "(", ")", ":"}:
                break
            found.append(toks[m].lower)
        return found

    def _death_before(self, k: int) -> bool:
        """Whether the time at ``k`` is when a patient died: "died 46 months after diagnosis", "succumbed after 2 years".

        The verb of dying is at most four words before the time, in the same clause, and no other time or share
        stands between ("died of sepsis 3 weeks after surgery" is one; "died, and 3 months later ..." is not).
        """
        toks = self.c.toks
        for m in range(k - 1, max(-1, k - 5), -1):
            token = toks[m]
            if token.text == "(" and m == k - 1 and m > 0 and _died(toks, m - 1):
                return True  # "passed away (14 months after diagnosis)"
            if token.text in {",", ";", ".", "(", ")"} or token.kind is Kind.NUMBER or token.lower in {"and", "but"}:
                return False
            if _died(toks, m):
                return True
        return False

    def numbered_day_at(self, k: int) -> bool:
        """ "By day 106 of Larotrectinib treatment, disease progression was evident", "died in myeloid blast crisis at
        month 14": a time written as a numbered day, week or month, in the clause of one event; whether it was read.

        The event (a death, or a progression, relapse or recurrence) is before the time back to a comma, or after it
        to the sentence's end, with no other number between, and no follow-up, schedule or dose word is.
        """
        c = self.c
        toks = c.toks
        unit = _NUMBERED_UNITS.get(c.word(k - 1))
        if unit is None or c.word(k - 2) not in {"at", "by", "on"} or not toks[k].text.isdigit():
            return False
        lo, hi = k - 2, k + 1  # the words before the time back to a comma, and after it to the sentence's end
        while lo > 0 and toks[lo - 1].text not in {",", ";", ".", "(", ")"} and toks[lo - 1].kind is not Kind.NUMBER:
            lo -= 1
        while hi < len(toks) and toks[hi].text not in {";", ".", "(", ")"} and toks[hi].kind is not Kind.NUMBER:
            hi += 1
        words = range(lo, hi)
        measure: OutcomeMeasure | None = None
        if any(_died(toks, m) for m in words):
            measure = OutcomeMeasure.OS_MEDIAN
        elif any(toks[m].lower in {"progression", "progressed", "relapse", "relapsed", "recurrence"} for m in words):
            measure = OutcomeMeasure.TIME_TO_EVENT
        if measure is None or _NOT_EVENTS & {toks[m].lower for m in words}:
            return False
        quantity = replace(bare_quantity(toks[k], k), unit=unit)
        item = ValueItem(k, k + 1, toks[k].start, toks[k].end, quantity=quantity)
        figure = figure_of(c, measure, unit, item)
        start = toks[k - 1].start
        return c.add(replace(figure, start=start, text=c.text[start : figure.end]), k - 1, k + 1)

    def _later(self, values: list[ValueItem]) -> tuple[int, OutcomeMeasure] | None:
        """ "relapsed 17 months later", "a partial response was achieved 5 months later": an event, then its time.

        The event word (or a verb of dying) is at most three words before the time, in the same clause; the
        figure starts at it. A time "later" with no event before it ("and 3 months later ...") is not read.
        """
        c = self.c
        toks = c.toks
        first, last = values[0], values[-1]
        if c.word(last.j) != "later":
            return None
        for m in range(first.i - 1, max(-1, first.i - 4), -1):
            token = toks[m]
            if token.kind is not Kind.WORD or token.lower in {"and", "but", "then"}:
                return None
            if _died(toks, m):
                return m, OutcomeMeasure.OS_MEDIAN
            if token.lower in _EVENTS or token.lower in _LATER_EVENTS:
                return m, OutcomeMeasure.TIME_TO_EVENT
        return None

    def _dated_at(self, first: ValueItem) -> OutcomeMeasure | None:
        """ "At 10 months, the patient died.", "At 40 weeks CT imaging revealed unequivocal disease progression",
        "Within 5 weeks of crizotinib therapy, a partial response was observed": a sentence that opens on a time,
        then one patient's death, progression or relapse, or "a" response.

        Only "At" or "Within" first in its sentence, the event among the next nine words, and no other number or
        share after the time in the sentence (a cohort's timepoint comes with its share: "At 6 months, 80% ...").
        """
        c = self.c
        toks = c.toks
        if first.i != 1 or toks[0].lower not in {"at", "within"}:
            return None
        rest = toks[first.j :]
        if any(token.kind is Kind.NUMBER or token.text == "%" for token in rest):
            return None
        for m in range(first.j, min(len(toks), first.j + 9)):
            if toks[m].text in {";", ":", "("} or toks[m].lower in _NOT_EVENTS:
                return None  # "At 21 months of followup a complete remission was observed": a follow-up
            if _died(toks, m):
                return OutcomeMeasure.OS_MEDIAN
            if toks[m].lower in {"progressed", "relapsed", "recurred", "progression", "relapse", "recurrence"}:
                return OutcomeMeasure.TIME_TO_EVENT
            if toks[m].lower in {"response", "remission"} and {"a", "an"} & set(c.before(m, 3)):
                return OutcomeMeasure.TIME_TO_EVENT
        return None

    def _in_brackets(self, k: int) -> bool:
        """Whether token ``k`` lies inside an open bracket of its sentence."""
        depth = 0
        for token in self.c.toks[:k]:
            depth += token.text in {"(", "["}
            depth -= token.text in {")", "]"}
        return depth > 0

    def _event_end(self, k: int) -> int:
        toks = self.c.toks
        m = k
        while m < len(toks) and m - k < 6 and toks[m].text not in {",", ";", ".", "(", ")"}:
            if toks[m].lower in {"and", "but", "with", "which", "when", "while"}:
                break
            m += 1
        return toks[max(k, m) - 1].end if m > k else toks[k - 1].end

    def _lasting_start(self, k: int) -> int:
        toks = self.c.toks
        m = k
        found = toks[k].start
        while m > 0 and k - m < 5 and toks[m - 1].kind is Kind.WORD and toks[m - 1].lower not in {"and", "the"}:
            m -= 1
            if toks[m].lower in _LASTING:
                found = toks[m].start  # the first of them: "remained disease free for 36 months"
        return found


#: Times written as a numbered unit ("day 106", "month 14").
_NUMBERED_UNITS = {"day": Unit.DAYS, "week": Unit.WEEKS, "month": Unit.MONTHS}


def _died(toks: Sequence[Token], m: int) -> bool:
    """Whether token ``m`` says a patient died: "died", "succumbed", or "away" of "passed away"."""
    if toks[m].lower in _DEATH_WORDS:
        return True
    return toks[m].lower == "away" and m > 0 and toks[m - 1].lower == "passed"


def read_durations(claims: Claims) -> None:
    """Add the times to events of one sentence to ``claims.figures``."""
    if claims.toks:
        _Durations(claims).read()
