"""Percentages that no measure word names: prevalence, shares of patients, adverse-event rates, tumour shrinkage.

"HER2 amplification was observed in 14.3% of lung adenocarcinoma
patients", "detected in 5 out of 175 patients (3%)", "accounting for
80-90% of cases", "only 10-20% exhibit EGFR-dependent resistance", "grade
≥3 diarrhea occurred in 12%", "(solid type 90%, micropapillary 5%)",
"(BRIM3, 31%; BRIM2, 49%)", "91% symptomatic, 54% with retinal angioma",
"with 30% tumor shrinkage". A percentage is a share here only in one of
these forms: *of* people or samples (a population noun or a counted
group), after a verb of finding or sharing ("observed in", "accounting
for"), as the subject of a verb ("10-20% exhibit"), in a list of labelled
percentages, or as a tumour's shrinkage. Never a criterion ("patients with
>50% size reduction"), a variant allele fraction, or a laboratory value (a
sentence about clones or concentrations is left alone).
"""

from __future__ import annotations

from kg.model.terms import Comparator, OutcomeMeasure, Unit
from kg.reader.claims import Claims, figure_of
from kg.reader.groups import of_opener, population_phrase
from kg.reader.numbers import match_phrase
from kg.reader.tokens import Kind, Token
from kg.reader.values import ValueItem, parse_value

__all__ = ["clause_grade", "read_shares", "toxicity_clause"]

_NOT_SHARES_AFTER = frozenset(
    {"identity", "homology", "similarity", "sensitivity", "specificity", "accuracy", "concordance", "power", "ci",
     "confidence", "probability", "chance", "vaf", "allele", "allelic", "purity", "cellularity", "content",
     "expression", "positivity", "staining", "dose", "increase", "increased", "higher", "more", "greater", "lower",
     "less", "fewer", "survival", "of", "reduced", "decreased", "inhibition", "blasts", "cutoff", "cut", "threshold"}
)  # fmt: skip
_NOT_SHARES_BEFORE = frozenset(
    {"fraction", "frequency", "purity", "vaf", "cellularity", "content", "expression", "threshold", "cutoff",
     "than", "to", "from", "at", "by"}
)  # fmt: skip
#: Words that end a bracketed share's label on the left ("were rash (12%)", "and fatigue (5%)").
_LABEL_STOPS = frozenset({"and", "or", "were", "was", "are", "is", "included", "including", "of", "with", "as"})
#: Labels of percentages that describe a sample, not a finding ("62% female"), or are laboratory fractions.
_NOT_SHARE_LABELS = frozenset(
    {"female", "male", "females", "males", "women", "men", "allelic", "allele", "vaf", "purity", "fraction", "age"}
)
_SHRINKAGE = frozenset({"shrinkage", "reduction", "decrease", "regression", "decline", "shrinkages"})
_FIND_VERBS = frozenset(
    {"observed", "detected", "found", "identified", "seen", "present", "occurred", "noted", "reported", "harbored",
     "harboured", "confirmed", "described", "documented", "occurs", "occur", "occurring", "evident", "prevalent"}
)  # fmt: skip
_SHARE_VERBS: tuple[tuple[str, ...], ...] = (
    ("accounting", "for"), ("accounts", "for"), ("accounted", "for"), ("account", "for"), ("representing",),
    ("represents",), ("represented",), ("represent",), ("comprising",), ("comprised",), ("constituting",),
    ("making", "up"), ("at",), ("was",), ("were",), ("is",), ("of",),
)  # fmt: skip
_SHARE_NOUNS = frozenset({"proportion", "prevalence", "frequency", "incidence", "percentage", "rate"})
_SUBJECT_VERBS = frozenset(
    {"exhibit", "exhibited", "have", "had", "harbor", "harbored", "harbour", "harboured", "carry", "carried",
     "show", "showed", "develop", "developed", "are", "were", "display", "displayed", "possess", "possessed",
     "experienced", "achieved", "remained", "required", "received", "died", "relapsed", "progressed"}
)  # fmt: skip
_SUBJECT_OPENERS = frozenset(
    {",", "only", "and", "while", "whereas", "but", ";", "about", "approximately", ":", "revealed", "showed", "found",
     "that", "demonstrated"}
)  # fmt: skip


def _grade(claims: Claims, lo: int, hi: int) -> str | None:
    """ "grade ≥3", "grade 3 or higher", "grade 3/4": the grade as written, between token ``lo`` and ``hi``."""
    toks = claims.toks
    for k in range(max(0, lo), min(len(toks), hi)):
        if toks[k].lower != "grade" and toks[k].lower != "grades":
            continue
        parts: list[Token] = []
        m = k + 1
        while m < len(toks) and len(parts) < 5:
            token = toks[m]
            if (
                token.kind is Kind.NUMBER
                or token.text in {"≥", ">=", "≤", "<", ">", "/", "-", "–", "+"}
                or (
                    token.lower
                    in {"or", "and", "to", "i", "ii", "iii", "iv", "v", "higher", "more", "above", "greater"}
                )
            ):
                parts.append(token)
                m += 1
                continue
            break
        while parts and parts[-1].lower in {"or", "and", "to", "/", "-", "–"}:
            parts.pop()
        if parts:
            return claims.span_text(parts[0].start, parts[-1].end)
    return None


#: Graded events of the CTCAE that statements name without the word "adverse" ("grade 3 diarrhea occurred in 14%").
_AE_EVENTS = frozenset(
    {"diarrhea", "diarrhoea", "rash", "neutropenia", "thrombocytopenia", "anemia", "anaemia", "fatigue", "nausea",
     "vomiting", "hypertension", "hepatotoxicity", "pneumonitis", "neuropathy", "mucositis", "stomatitis",
     "leukopenia", "lymphopenia", "hyperglycemia", "hyperglycaemia", "transaminases", "transaminase", "proteinuria",
     "edema", "oedema", "pyrexia", "colitis", "hepatitis", "dermatitis", "paronychia", "cardiotoxicity",
     "hemorrhage", "haemorrhage", "sepsis", "arthralgia", "myalgia", "anorexia", "dehydration", "hypokalemia",
     "hyponatremia", "hypophosphatemia", "neutropenic", "asthenia", "toxicity", "toxicities", "events"}
)  # fmt: skip
#: Words that make a grade a tumour's ("grade 3 follicular lymphoma", "grade 2 gliomas"): never an adverse event.
_TUMOUR_GRADE = frozenset(
    {"tumor", "tumors", "tumour", "tumours", "lymphoma", "disease", "histology", "cancer", "cancers", "serous",
     "differentiation", "dysplasia", "neoplasia", "lesions", "malignancy", "glioma", "gliomas", "carcinoma",
     "carcinomas", "sarcoma", "sarcomas", "fl", "nets", "net", "neuroendocrine", "astrocytoma", "astrocytomas"}
)  # fmt: skip


def _graded_event(claims: Claims, lo: int, hi: int) -> bool:
    """Whether the clause's grade is of a named toxicity ("grade 3 diarrhea", "Grade 4 thrombocytopenia").

    The event word must follow the grade within four words, with no word of a
    tumour's grade before it (a tumour is graded too: "grade 3 follicular
    lymphoma"); the clause's other words are not read, so a graded tumour
    with an unrelated toxicity word further on is not taken for an event.
    """
    toks = claims.toks
    for k in range(max(0, lo), min(len(toks), hi)):
        if toks[k].lower not in {"grade", "grades"}:
            continue
        m = k + 1
        while m < hi and (toks[m].kind is Kind.NUMBER or toks[m].lower in _GRADE_PARTS):
            m += 1
        for n in range(m, min(hi, m + 4)):
            word = toks[n].lower
            if word in _TUMOUR_GRADE or word.endswith(("omas", "oma")):
                return False
            if word in _AE_EVENTS:
                return True
            if toks[n].kind is not Kind.WORD and toks[n].text != "-":
                break
    return False


#: Words of a clause about response, progression or survival: its shares are not adverse events, whatever else
#: the clause says ("30% had stable disease and toxicity was mild").
_OUTCOME_WORDS = frozenset(
    {"response", "responses", "responded", "responders", "remission", "stable", "control", "benefit", "survival",
     "progression", "progressed", "relapse", "recurrence", "died", "death", "mutation", "mutations", "mutated",
     "harbored", "harboured", "carried", "positive", "negative", "amplification", "fusion", "fusions", "expression"}
)  # fmt: skip


def _ungraded_event(claims: Claims, lo: int, hi: int) -> bool:
    """Whether a clause with no grade stated is about toxicity: it says "adverse events", "toxicity" or "side
    effects", or names a CTCAE event ("diarrhea (30%)"), and says nothing of response, survival or a finding."""
    words = [claims.toks[k].lower for k in range(lo, hi)]
    if any(word in _OUTCOME_WORDS for word in words):
        return False
    joined = " ".join(words)
    named = "adverse" in words or "toxicit" in joined or "side effect" in joined or {"ae", "aes", "traes"} & set(words)
    return bool(named) or any(word in _AE_EVENTS - {"events", "toxicity", "toxicities"} for word in words)


_GRADE_PARTS = frozenset(
    {"≥", ">=", "≤", "<", ">", "/", "-", "–", "+", "or", "and", "to", "i", "ii", "iii", "iv", "v", "higher", "more",
     "above", "greater"}
)  # fmt: skip


def toxicity_clause(claims: Claims, i: int) -> bool:
    """Whether the clause around token ``i`` reports toxicity: a graded event ("grade 3 rash"), or, with no grade
    stated, adverse events, toxicity or a CTCAE event named and nothing of response or survival."""
    lo, hi = _clause(claims, i)
    if _grade(claims, lo, hi) is not None:
        words = " ".join(claims.text[claims.toks[lo].start : claims.toks[hi - 1].end].lower().split())
        named = "adverse" in words or "toxicit" in words or " ae" in f" {words}" or "side effect" in words
        return named or _graded_event(claims, lo, hi)
    return _ungraded_event(claims, lo, hi)


def clause_grade(claims: Claims, i: int) -> str | None:
    """The grade stated in the clause around token ``i`` ("3 or higher"), as written, or None."""
    lo, hi = _clause(claims, i)
    return _grade(claims, lo, hi)


def _clause(claims: Claims, i: int) -> tuple[int, int]:
    """Token range of the clause around ``i`` (bounded by ";", "." and the sentence)."""
    toks = claims.toks
    lo = i
    while lo > 0 and toks[lo - 1].text not in {";", "."}:
        lo -= 1
    hi = i
    while hi < len(toks) and toks[hi].text not in {";", "."}:
        hi += 1
    return lo, hi


class _Shares:
    def __init__(self, claims: Claims) -> None:
        self.c = claims
        self.last_share: int | None = None

    def read(self) -> None:
        c = self.c
        if c.lab:
            return
        self.groups()
        self.lists()
        for k, token in enumerate(c.toks):
            if k in c.claimed or (token.kind is not Kind.NUMBER and not _comparator_start(c, k)):
                continue
            item = parse_value(c.toks, k)
            if item is None or item.unit is not Unit.PERCENT or not c.free(item.i, item.j):
                continue
            if item.quantity is None:
                continue
            self.share(item)

    def _proportion(self, item: ValueItem, end: int | None = None, label: str | None = None) -> None:
        c = self.c
        if c.word(item.j) in {"ci", "confidence"}:
            return  # "Median PFS (95% CI) was ...": the level of the CIs that follow, never a share
        opener = of_opener(c.toks, item.i)
        if item.numerator is not None and item.denominator is None and opener is not None:
            n_token, n_index = opener
            known = n_token.value is not None and item.numerator.value is not None
            if n_index < item.i and known and item.numerator.value <= n_token.value:  # type: ignore[operator]
                item.denominator = n_token
        elif item.numerator is None and item.denominator is None and opener is not None and opener[1] < item.i:
            between = c.toks[opener[1] + 1 : item.i]
            if any(t.text == "," for t in between) and not any(t.text in {";", "."} for t in between):
                item.denominator = opener[0]  # "In a study of 30 patients with WM, 87% had MYD88 L265P": 87% of 30
        if label is None and c.word(item.i - 1) == "(" and c.word(item.j) == ")":
            label = self._bracket_label(item.i - 1)  # "rash (12%), diarrhea (9%)": what each share is of
        if label is not None and any(word in label.lower().split() for word in _NOT_SHARE_LABELS):
            return
        lo, hi = _clause(c, item.i)
        if c.ae or any(c.toks[k].lower in _AE_EVENTS for k in range(lo, hi)):
            grade = _grade(c, lo, hi)
            changed = c.word(item.j) in _SHRINKAGE | {"increase", "change"}  # "69.7% decrease in disease burden"
            if grade is None and not changed and _ungraded_event(c, lo, hi):
                any_grade = "any grade" in " ".join(c.text[c.toks[lo].start : c.toks[hi - 1].end].lower().split())
                c.add(figure_of(c, OutcomeMeasure.ADVERSE_EVENT_RATE, Unit.PERCENT, item, end,
                                grade="any" if any_grade else None, label=label), item.i, item.j)  # fmt: skip
                return
            if grade is not None:
                words = " ".join(c.text[c.toks[lo].start : c.toks[hi - 1].end].lower().split())
                named = "adverse" in words or "toxicit" in words or " ae" in f" {words}" or "side effect" in words
                if named or (not changed and _graded_event(c, lo, hi)):
                    c.add(figure_of(c, OutcomeMeasure.ADVERSE_EVENT_RATE, Unit.PERCENT, item, end, grade=grade,
                                    label=label), item.i, item.j)  # fmt: skip
                    return
        if c.add(figure_of(c, OutcomeMeasure.PROPORTION, Unit.PERCENT, item, end, label=label), item.i, item.j):
            self.last_share = item.j

    def share(self, item: ValueItem) -> None:
        c = self.c
        toks = c.toks
        after = c.word(item.j)
        before = c.word(item.i - 1)
        quantity = item.quantity
        if quantity is None or before in _NOT_SHARES_BEFORE - {"at", "by"}:
            return
        if before in {"fraction", "frequency"} or {"allele", "allelic", "variant", "af", "vaf", "maf"} & set(
            c.before(item.i, 4)
        ):
            return
        if before in {";", ","} and self._count_before(item):
            self._proportion(item)  # "predominance in Sertoli-Leydig cell tumors (26/43; 60%)"
            return
        if self.last_share is not None and 0 < item.i - self.last_share <= 3 and before in {"and", ","}:
            self._proportion(item)  # "was 64.3% (27/42) and 36.4% (16/42), respectively"
            return
        if after in _SHRINKAGE or (after in {"tumor", "tumour"} and c.word(item.j + 1) in _SHRINKAGE):
            if quantity.comparator is Comparator.EQ and before not in {"≥", ">", ">=", "<", "≤", "than"}:
                self._proportion(item, end=toks[item.j + (0 if after in _SHRINKAGE else 1)].end)
            return
        if before in {"of", "by"} and c.word(item.i - 2) in _SHRINKAGE | {"decreased", "reduced", "shrank"}:
            if quantity.comparator is Comparator.EQ or c.word(item.i - 2) == "decreased":
                self._proportion(item)
            return
        if item.numerator is not None and item.denominator is not None and before not in {"than", "to", "from"}:
            self._proportion(item)  # "79% (n = 11/14) of MTCs had ...": a counted share
            return
        if after in _NOT_SHARES_AFTER or before in {"than", "to", "from", "by"}:
            if after == "of":
                if item.n_equals is not None and item.numerator is None:
                    item.numerator = item.n_equals  # "25% (n=5) of the patients experienced ..."
                self._of_phrase(item)
            return
        if item.is_count or item.counted_population:
            self._proportion(item)
            return
        if before == "at" and not self._named_share(item.i):
            return
        if self._named_share(item.i) or self._share_verb_before(item.i):
            self._proportion(item)
            return
        words = c.before(item.i)
        if words and words[-1] == "in" and any(word in _FIND_VERBS for word in words[:-1]):
            self._proportion(item)
            return
        if after in _SUBJECT_VERBS and (item.i == 0 or before in _SUBJECT_OPENERS):
            self._proportion(item, end=toks[item.j].end)
            return
        if before == "(" and after == ")" and c.word(item.i - 2) in {"patients", "cases", "controls", "samples"}:
            self._proportion(item)
            return
        if before == "(" and after == ")" and self._listed_share(item.i):
            self._proportion(item)  # "more common in glioblastomas (69%), oligodendrogliomas (72%)"

    def _bracket_label(self, k: int) -> str | None:
        """The words right before the bracket at ``k`` in a list ("were *rash* (12%), *grade 3 diarrhea* (9%)").

        Only a short phrase closed on the left by a list separator or a linking verb is a label; otherwise the
        words are a sentence's subject and the share keeps no label.
        """
        c = self.c
        toks = c.toks
        m = k
        while m > 0 and k - m < 4 and toks[m - 1].lower not in _LABEL_STOPS:
            graded = toks[m - 1].kind is Kind.NUMBER and c.word(m - 2) in {"grade", "grades"}  # "grade 3 rash"
            if toks[m - 1].kind is not Kind.WORD and not graded:
                break
            m -= 1
        if m == k or (m > 0 and toks[m - 1].text not in {",", ";", ":"} and toks[m - 1].lower not in _LABEL_STOPS):
            return None
        return c.span_text(toks[m].start, toks[k - 1].end)

    def _count_before(self, item: ValueItem) -> bool:
        """Whether the percentage closes "(k/n; P%)" after the words it counts; if so, k/n become its count.

        Not when the clause speaks of responses: a response rate written so is left unread rather than called a
        proportion.
        """
        c = self.c
        toks = c.toks
        i = item.i
        if i < 6 or c.word(item.j) != ")" or toks[i - 3].text != "/" or toks[i - 5].text != "(":
            return False
        numerator, denominator = toks[i - 4], toks[i - 2]
        if (
            numerator.kind is not Kind.NUMBER
            or denominator.kind is not Kind.NUMBER
            or toks[i - 6].kind is not Kind.WORD
        ):
            return False
        if {"response", "responses", "responded", "orr", "responders"} & set(c.before(i, 16)):
            return False
        if numerator.value is None or denominator.value is None or numerator.value > denominator.value:
            return False
        item.numerator, item.denominator = numerator, denominator
        item.i, item.start = i - 4, numerator.start
        return True

    def _listed_share(self, i: int) -> bool:
        """ "were identified: T41A (59%), S45F (33%)": a named share in a list of findings, no endpoint named."""
        c = self.c
        if i < 2 or c.toks[i - 2].kind is not Kind.WORD:
            return False
        words = [token.lower for token in c.toks[:i]]
        if any(word in {"survival", "response", "rate", "mortality", "risk", "os", "pfs"} for word in words):
            return False
        return any(word in _FIND_VERBS or word == "common" for word in words[-25:])

    def _of_phrase(self, item: ValueItem) -> None:
        """ "14.3% of lung adenocarcinoma patients", "33% of patients (40/122) that harbored ...", "40% of all"."""
        c = self.c
        toks = c.toks
        k = item.j + 1
        if c.word(k) in {"the", "all", "these", "those", "our", "their"}:
            k += 1
        phrase = population_phrase(toks, k, 9)
        named = self._share_verb_before(item.i) or self._named_share(item.i)
        if phrase is None and not named and c.word(k + 1) not in {"of", "with", "in"}:
            return
        end = phrase if phrase is not None else k
        if c.word(end) == "with":
            after_with = next((m for m in range(end + 1, min(len(toks), end + 6)) if toks[m].text == "("), None)
            end = after_with if after_with is not None else end  # "... patients with RET mutations (n = 11/14)"
        if end < len(toks) and toks[end].text == "(":
            inner = end + 3 if c.word(end + 1) == "n" and c.word(end + 2) == "=" else end + 1
            counted = parse_value(toks, inner)
            closed = counted is not None and (c.word(counted.j) == ")" or toks[counted.j].kind is Kind.WORD)
            if closed and counted is not None and counted.numerator is not None and counted.denominator is not None:
                item.numerator, item.denominator = counted.numerator, counted.denominator
                item.j = counted.j + 1
                item.end = toks[counted.j].end
        self._proportion(item)

    def _named_share(self, i: int) -> bool:
        """A share noun shortly before: "the proportion of HER2 amplification is relatively high, at 10%"."""
        return any(word in _SHARE_NOUNS for word in self.c.before(i, 10))

    def _share_verb_before(self, i: int) -> bool:
        toks = self.c.toks
        k = i
        while k > 0 and toks[k - 1].lower in {"only", "approximately", "about", "nearly", "roughly", "up", "to"}:
            k -= 1
        for phrase in _SHARE_VERBS:
            start = k - len(phrase)
            if start >= 0 and match_phrase(toks, start, phrase) == k:
                if phrase in {("was",), ("were",), ("is",), ("of",), ("at",)}:
                    return self._named_share(i)
                return True
        return False

    def groups(self) -> None:
        """Bracketed lists of labelled percentages: "(solid type 90%, micropapillary 5%)", "(BRIM3, 31%; BRIM2, 49%)"."""
        c = self.c
        toks = c.toks
        for k, token in enumerate(toks):
            if token.text != "(" or k == 0 or toks[k - 1].kind is not Kind.WORD:
                continue
            close = next((m for m in range(k + 1, min(len(toks), k + 40)) if toks[m].text in {")", "("}), None)
            if close is None or toks[close].text != ")":
                continue
            separator = ";" if any(toks[m].text == ";" for m in range(k + 1, close)) else ","
            self._labelled_list(k + 1, close, separator)

    def lists(self) -> None:
        """A run of "N% words" items after a colon: "... as follows: 91% symptomatic, 54% with retinal angioma"."""
        c = self.c
        toks = c.toks
        for k, token in enumerate(toks):
            if token.text != ":":
                continue
            hi = k + 1
            while hi < len(toks) and toks[hi].text not in {".", ";", "("}:
                hi += 1
            self._labelled_list(k + 1, hi, ",", loose=True)

    def _labelled_list(self, lo: int, hi: int, separator: str, loose: bool = False) -> None:
        """Items "words N%", "words, N%" or "N% words" between ``lo`` and ``hi``; all of them, or (``loose``) those."""
        c = self.c
        toks = c.toks
        parts: list[list[int]] = [[]]
        for m in range(lo, hi):
            if toks[m].text == separator or (separator == "," and toks[m].lower == "and" and parts[-1]):
                parts.append([])
            else:
                parts[-1].append(m)
        found: list[tuple[ValueItem, str]] = []
        for raw in parts:
            part = [m for m in raw if toks[m].text != "," and toks[m].lower != "and"]
            numbers = [m for m in part if toks[m].kind is Kind.NUMBER]
            item = parse_value(toks, numbers[0], counts=False) if len(numbers) == 1 else None
            ok = (
                item is not None
                and item.unit is Unit.PERCENT
                and item.quantity is not None
                and not item.quantity.is_range
                and c.free(item.i, item.j)
            )
            words = [m for m in part if item is not None and not item.i <= m < item.j]
            ok = ok and bool(words) and (all(m < numbers[0] for m in words) or all(m > numbers[0] for m in words))
            ok = ok and all(toks[m].kind is Kind.WORD or toks[m].text in {"-", "≥", "+", "/"} for m in words)
            if not ok or item is None:
                if loose:
                    continue
                return
            label = c.span_text(toks[words[0]].start, toks[words[-1]].end)
            found.append((item, label))
        if loose and len(found) < 2:
            return
        for item, label in found:
            self._proportion(item, label=label)


def _comparator_start(claims: Claims, k: int) -> bool:
    return claims.word(k) in {"about", "approximately", "up", "at", "only", "below", "over", "nearly", "<", ">"}


def read_shares(claims: Claims) -> None:
    """Add the shares of one sentence to ``claims.figures``."""
    if claims.toks:
        _Shares(claims).read()
