"""Counts of patients or samples: "k of n had X", "Of the 49 patients, six had both ...", "81 patients had X".

A count is a figure when it says how many of a group *had*, *showed* or
*were found with* something: "13/31 tested patients had the EML4-ALK
variant", "In 11 patients with ALK mutations, 4 had R1275Q mutations",
"19 were reported sensitive, and 9 resistant", "found in 106 out of 145
specimens", "including 16 with a ZMIZ1-ABL1 fusion", "N=30/61". The group
size ``n`` comes from the count itself or from the sentence's opener ("Of
the 102 cases tested, ..."; "In a study of 468 samples, ..."). A number
of patients who *were treated*, *enrolled*, *randomised* or *tested* is a
sample size, never a count figure; so are ages, doses and numbered names.
Counts of responders are read by the measure frames (:mod:`kg.reader.results`)
as response rates; this module reads the counts of everything else.
"""

from __future__ import annotations

import re
from dataclasses import replace

from kg.model.terms import OutcomeMeasure, Unit
from kg.reader.claims import Claims, bare_quantity, figure_of
from kg.reader.findings import DESIGN_WORDS, clause_end, finding_after
from kg.reader.groups import IDENTIFIER_WORDS, POPULATION_NOUNS, integer, of_opener, population_phrase
from kg.reader.shares import clause_grade, toxicity_clause
from kg.reader.tokens import Kind, Token
from kg.reader.values import ValueItem, parse_arm, parse_value

__all__ = ["read_counts"]

_FIND_VERBS = frozenset(
    {"observed", "detected", "found", "identified", "seen", "present", "occurred", "noted", "reported", "confirmed"}
)
_NOT_COUNTED = frozenset({"mutations", "alterations", "variants", "mutation", "variant", "genes", "families"})
#: What a k/n of the laboratory counts: "the T315I variant in 7/10 clones" is a lab value, never a patient figure.
_LABORATORY_UNITS = frozenset(
    {"clones", "clone", "colonies", "cells", "wells", "replicates", "experiments", "reads", "alleles", "passages"}
)
#: Verbs after a k/n that make it an allocation, not a finding: "30/60 received the combination".
_RESPONSE_WORDS = frozenset({"response", "responses", "responded", "respond", "responders", "orr", "rate", "rates"})
#: Tumours are patients' samples: "Six GISTs harbored PDGFRA mutations" counts patients' tumours with a finding.
_TUMOUR_HEADS = frozenset({"tumors", "tumours", "gists", "carcinomas", "adenocarcinomas", "melanomas", "gliomas"})
_ONE_VARIANT = frozenset({"mutation", "variant", "substitution", "allele"})
_ANIMALS = frozenset({"mice", "rats", "animals", "xenografts", "dogs"})
_MEASURED_WORDS = frozenset(
    {"measured", "quantified", "sequenced", "genotyped", "tested", "screened", "analyzed", "analysed", "profiled"}
)
#: A gene, variant or fusion name as written: capitals and digits, maybe joined ("MYBL1", "FGFR1/3", "ETV6-NTRK3",
#: "G245S"), or one residue letter ("R248Q or W").
_GENE_SHAPED = re.compile(r"[A-Z][A-Z0-9]*(?:[-/][A-Z0-9]+)*")
#: Words that make a list of capitalised names a list of genes, variants or fusions ("fusions were ETV6-NTRK3 (25)").
_ALTERATION_WORDS = frozenset(
    {"mutation", "mutations", "alteration", "alterations", "fusion", "fusions", "rearrangement", "rearrangements",
     "variant", "variants", "partners", "partner", "hotspots", "hotspot", "codons", "codon", "amplification",
     "amplifications", "deletion", "deletions", "mutated", "altered", "genes", "involving", "substitutions"}
)  # fmt: skip
_STUDY_WORDS = frozenset({"trial", "trials", "study", "studies", "cohort", "cohorts", "arm", "arms", "groups"})
_AGE_WORDS = frozenset({"year", "years", "yr", "yrs", "month", "months", "week", "weeks", "day", "days", "old"})
_ALLOCATION_VERBS = frozenset({"received", "receiving", "underwent", "enrolled", "randomized", "randomised", "took"})


def _unit_of(claims: Claims, phrase_head: str | None) -> Unit:
    """Patients when people are counted, none for samples, tumours and cell lines (as the curated data does)."""
    if phrase_head in {"patients", "patient", "pts", "cases", "individuals", "subjects", "participants", "people",
                       "men", "women", "children", "adults", "members", "carriers", "probands", "case"}:  # fmt: skip
        return Unit.PATIENTS
    opener = of_opener(claims.toks)
    if phrase_head is None and opener is not None:
        head = _head_after(claims, opener[1] + 1)
        return _unit_of(claims, head) if head is not None else Unit.PATIENTS
    return Unit.NONE if phrase_head is not None else Unit.PATIENTS


def _head_after(claims: Claims, k: int) -> str | None:
    end = population_phrase(claims.toks, k, 8)
    return claims.toks[end - 1].lower if end is not None else None


class _Counts:
    def __init__(self, claims: Claims) -> None:
        self.c = claims

    def groups(self) -> None:
        """ "station 6 lymph nodes (1/7)": a k/n in brackets right after the words it counts."""
        c = self.c
        toks = c.toks
        for k in range(1, len(toks) - 4):
            if toks[k].text != "(" or toks[k - 1].kind is not Kind.WORD or toks[k + 2].text != "/":
                continue
            if toks[k + 4].text != ")" or not c.free(k + 1, k + 4):
                continue
            item = parse_value(toks, k + 1)
            if item is None or item.denominator is None or item.j != k + 4 or not self._plausible_fraction(item):
                continue
            m = k
            while m > 0 and k - m < 5 and toks[m - 1].kind is Kind.WORD and toks[m - 1].lower not in {"no", "and"}:
                m -= 1
            label = c.span_text(toks[m].start, toks[k - 1].end) if m < k else None
            unit = Unit.PATIENTS if {toks[k - 1].lower, toks[m].lower} & {"patients", "cases"} else Unit.NONE
            figure = figure_of(c, OutcomeMeasure.COUNT, unit, item, label=label)
            said = toks[m - 1] if m > 0 else None
            numerator = item.numerator
            if (
                said is not None
                and said.kind is Kind.NUMBER
                and numerator is not None
                and said.value == numerator.value
            ):
                # "detected in nine patients with cholangiocarcinoma (9/102)": the count written twice is one figure
                figure = replace(figure, start=said.start, text=c.text[said.start : figure.end])
                c.add(figure, m - 1, item.j)
                continue
            c.add(figure, item.i, item.j)

    def _named_group_at(self, k: int) -> tuple[int, int, int, int, str] | None:
        """ "MYB (n=44)", "G245S (6 cases)", "ETV6-NTRK3 (25)" at the bracket ``k``: name start, bracket, count, end,
        form."""
        c = self.c
        toks = c.toks
        if k == 0 or toks[k].text != "(" or toks[k - 1].end == toks[k].start:
            return None
        m = k - 1
        while m > 0 and toks[m - 1].end == toks[m].start and toks[m - 1].text not in {"(", ")", ",", ";"}:
            m -= 1  # the name as one glued chunk: "FGFR1/3", "ETV6-NTRK3"
        if toks[k + 1 : k + 4] and c.word(k + 1) == "n" and c.word(k + 2) == "=" and c.word(k + 4) == ")":
            n, form, end = k + 3, "n", k + 5
        elif c.word(k + 2) in {"cases", "patients", "tumors", "tumours", "samples"} and c.word(k + 3) == ")":
            n, form, end = k + 1, "cases", k + 4
        elif c.word(k + 2) == ")":
            n, form, end = k + 1, "bare", k + 3
        else:
            return None
        if n >= len(toks) or not integer(toks[n]) or toks[n].is_word_number or not c.free(k, end):
            return None
        return m, k, n, end, form

    def named_groups(self) -> None:
        """ "GNAQ (n=5) or GNA11 (n=4)", "G245S (6 cases), R175H (4 cases)": a list of names, each with its count.

        How many of the group carry each gene, variant or fusion, written as a list of at least two names each with
        its count in brackets. A single "DNMT3A (n=12)" or "KRAS mutations (n=11)" is a subgroup's size, and a list
        whose names are not all gene-like ("immunohistochemistry (n=46), FISH (n=24)", "high (n=105) or low
        (n=50)", "cetuximab (n=287)") or names studies ("enrolled in the BRIM2 (n = 59) and BRIM3 (n = 150) trials")
        is how a cohort divides; neither is a count. A bare "(25)" counts only after
        names with digits ("ETV6-NTRK3 (25), TPM3-NTRK1 (4)"), never a citation after a word. The names must be
        said to be alterations ("mutations at codons G245S (6 cases)", "MYB (n=44) or MYBL1 (n=2) alterations"):
        capitalised names alone may be tumour types or regimens ("NSCLC (n=20), CRC (n=10)").
        """
        c = self.c
        toks = c.toks
        found = [group for k in range(1, len(toks) - 2) if (group := self._named_group_at(k)) is not None]
        lists: list[list[tuple[int, int, int, int, str]]] = []
        for group in found:
            gap = range(lists[-1][-1][3], group[0]) if lists else range(0)
            joined = all(c.word(m) in {",", "and", "or"} or _GENE_SHAPED.fullmatch(toks[m].text) for m in gap)
            if lists and joined and len(gap) <= 4 and c.word(gap.start) in {",", "and", "or"}:
                lists[-1].append(group)  # "G245S (6 cases), R248Q or W (6 cases)"
                continue
            lists.append([group])
        for members in lists:
            names = [c.text[toks[m].start : toks[k - 1].end] for m, k, _, _, _ in members]
            forms = {form for *_, form in members}
            if len(members) < 2 or len(forms) > 1:
                continue
            shaped = [_GENE_SHAPED.fullmatch(name) is not None for name in names]
            if not all(shaped[:1]) or not all(ok or name.lower() in {"others", "other"} for ok, name in
                                              zip(shaped, names, strict=True)):  # fmt: skip
                continue
            if forms == {"bare"} and not all(any(ch.isdigit() for ch in name) for name in names):
                continue
            if c.word(members[-1][3]) in _STUDY_WORDS or (DESIGN_WORDS | _ALLOCATION_VERBS) & set(
                c.before(members[0][0], 6)
            ):
                continue  # "patients enrolled in the BRIM2 (n = 59) and BRIM3 (n = 150) trials": studies' sizes
            context = set(c.before(members[0][0], 4)) | {c.word(members[-1][3]), c.word(members[-1][3] + 1)}
            if not context & _ALTERATION_WORDS:
                continue  # "NSCLC (n=20), CRC (n=10)", "FOLFOX (n=30) or FOLFIRI (n=28)": tumour types, regimens
            for (m, _, n, end, form), name in zip(members, names, strict=True):
                item = ValueItem(n, n + 1, toks[n].start, toks[n].end, numerator=toks[n])
                unit = Unit.PATIENTS if form == "cases" and c.word(n + 1) in {"cases", "patients"} else Unit.NONE
                figure = figure_of(c, OutcomeMeasure.COUNT, unit, item, label=name)
                figure = replace(figure, start=toks[m].start, end=toks[end - 1].end,
                                 text=c.text[toks[m].start : toks[end - 1].end])  # fmt: skip
                c.add(figure, m, end)

    def read(self) -> None:
        c = self.c
        self.groups()
        self.named_groups()
        last_count: int | None = None
        for k, token in enumerate(c.toks):
            if k in c.claimed or token.kind is not Kind.NUMBER:
                continue
            if c.word(k - 1) in IDENTIFIER_WORDS or c.word(k + 1) in {
                "year",
                "years",
                "old",
                "months",
                "weeks",
                "days",
            }:
                continue
            found = self.count_at(k, after_list=last_count is not None and k - last_count < 12)
            if found:
                last_count = k

    def count_at(self, k: int, after_list: bool) -> bool:
        c = self.c
        toks = c.toks
        item = parse_value(toks, k)
        token = toks[k]
        if item is None:
            if not token.is_word_number:
                return False
            item = ValueItem(k, k + 1, token.start, token.end, quantity=bare_quantity(token, k))
        if item.unit is not None or (item.quantity is not None and item.quantity.is_range):
            return False
        if item.denominator is not None and not self._plausible_fraction(item):
            return False
        if not c.free(item.i, item.j) or c.word(k - 1) == "of" or (c.word(k - 1) == "the" and c.word(k - 2) == "of"):
            return False  # "one of the seven patients": seven is the group, not a count
        numerator, denominator = self._numbers(item)
        if numerator is None or not _integer(numerator):
            return False
        if numerator.value is not None and 1900 <= numerator.value <= 2100 and not numerator.is_word_number:
            return False  # "Data published ... in 2016 showed that ...": a year
        head = None
        j = item.j
        if item.counted_population or j > item.i + 1:
            head = toks[j - 1].lower if toks[j - 1].lower in POPULATION_NOUNS else None
        if head in _NOT_COUNTED:
            return False
        if head is None and j < len(toks):
            phrase = population_phrase(toks, j, 6)
            if phrase is not None:
                head, j = toks[phrase - 1].lower, phrase
        group: Token | None = None  # "20 patients, five of whom had ...", "373 patients of which 29 demonstrated ..."
        if c.word(j) == "of" and c.word(j + 1) in {"which", "whom"}:
            group, j = self._group_before(item.i), j + 2
        elif c.word(item.i - 1) in {"which", "whom"} and c.word(item.i - 2) == "of":
            group = self._group_before(item.i - 2)
        before = c.before(item.i, 14)
        found_in = (
            bool(before)
            and before[-1] in {"in", "including"}
            and (any(word in _FIND_VERBS for word in before) or before[-1] == "including")
        )
        j = self._skip_aside(j)
        verb = finding_after(c, j)
        found_with = c.word(item.i - 1) in {"including", "identified", "found", "detected"}
        if verb is None and found_with and c.word(j) in {"with", "harboring", "harbouring", "carrying"}:
            verb = j + 1  # "including 16 with a ZMIZ1-ABL1 fusion", "identified 5 with mutations in ACVR1"
        if verb is None and c.word(j) in {"with", "who", "that"} and not _one(numerator):
            verb = self._verb_after_qualifier(j)  # never for "one ... patient with ... had": a case, not a count
        opener = of_opener(toks, item.i)
        if denominator is None and opener is not None and self._shares_group(opener[1], item.i):
            n_token = opener[0]
            known = n_token.value is not None and numerator.value is not None
            if known and numerator.value <= n_token.value and n_token is not numerator:  # type: ignore[operator]
                denominator = n_token
        if group is not None and _one(numerator):
            return False  # "9 samples ..., one of which was a novel fusion": one case described, not a count
        known = group is not None and group.value is not None and numerator.value is not None
        if denominator is None and known and numerator.value <= group.value:  # type: ignore[operator,union-attr]
            denominator = group
        if c.word(item.i - 1) == "all" or (c.word(item.i - 1) == "of" and c.word(item.i - 2) == "total"):
            return False  # "All 3 individuals carried ...", "A total of 8 patients had ...": the whole group
        if denominator is None and head is not None and _unit_of(c, head) is Unit.NONE and head not in _TUMOUR_HEADS:
            return False  # "Three cell lines harbored ...": samples described, not counted out of a group
        named_next = c.word(j) in IDENTIFIER_WORDS or any(t.kind is Kind.NUMBER for t in toks[j : j + 2])
        elliptic = (
            after_list and c.word(item.i - 1) in {",", "and"} and c.word(j) not in {"of", "in", "/"} and not named_next
        )  # "19 were reported sensitive, and 9 resistant"; not "3 codon 559 cases, ..."
        if verb is None and not found_in and not (elliptic and c.word(j) not in {"", ".", ","}):
            if c.word(item.i - 1) == "=" and c.word(item.i - 2) == "n" and item.denominator is not None:
                return self._add(item, numerator, item.denominator, head, item.end)  # "N=30/61"
            if item.denominator is not None and self._stated_fraction(item, j):
                if head is None and c.word(j) in _ANIMALS:
                    head, j = c.word(j), j + 1  # "regressed in 5/5 mice": animals, not patients
                end = toks[j - 1].end if head is not None else item.end
                return self._add(item, numerator, item.denominator, head, end)
            return False
        if (
            verb is None
            and found_in
            and denominator is None
            and item.denominator is None
            and not self._carriers_found(item, numerator, before, j)
        ):
            return False  # "This variant was found in 3 family members": where a variant was seen, not a count
        if {"unclear", "whether", "if"} & set(c.before(item.i, 4)):
            return False  # "it is unclear if only one of the seven patients had ...": not a finding
        end = clause_end(c, verb) if verb is not None else item.end
        if elliptic and verb is None:
            end = clause_end(c, j + 1, 6) if j < len(toks) else item.end
        return self._add(item, numerator, denominator, head, end)

    def _group_before(self, k: int) -> Token | None:
        """The group a relative count is out of: the nearest whole number before ``k`` that counts people or samples
        ("20 patients, five of whom ..."), in the same clause (no semicolon or full stop between), else None."""
        toks = self.c.toks
        for m in range(k - 1, max(-1, k - 12), -1):
            if toks[m].text in {";", "."}:
                return None
            if integer(toks[m]) and population_phrase(toks, m + 1, 6) is not None:
                return toks[m]
        return None

    def _plausible_fraction(self, item: ValueItem) -> bool:
        """Whether a written k/n can count patients or samples at all: not a date, a name or a lab value.

        "(06/16)" is a month and year, "JAK 1/2/3" and "IRAK 1/4" name proteins, "7/10 clones" count the
        laboratory's clones, and k cannot exceed n.
        """
        c = self.c
        numerator, denominator = item.numerator, item.denominator
        assert numerator is not None and denominator is not None
        if numerator.value is None or denominator.value is None or numerator.value > denominator.value:
            return False
        if numerator.text.startswith("0") and len(numerator.text) > 1:
            return False  # "06/16": a date
        if c.word(item.i - 1) == "/" or c.word(item.j) == "/":
            return False  # "1/2/3"
        if (item.i > 0 and c.toks[item.i - 1].kind is Kind.NUMBER) or c.word(item.j) in _AGE_WORDS:
            return False  # "The 10 1/2 year old patient": a mixed number, an age
        before = c.toks[item.i - 1] if item.i > 0 else None
        if before is not None and before.kind is Kind.WORD and before.text.isupper() and c.word(item.i + 1) == "/":
            return False  # "JAK 1/2", "IRAK 1/4": a protein family's members
        if c.word(item.i - 1) == "(" and c.word(item.i - 2) == "%":
            return False  # "36.4% (16/42)": the k/n of the percentage before it, which the share rules read
        return not (_LABORATORY_UNITS & set(self._counted_words(item.i)))

    def _counted_words(self, j: int) -> list[str]:
        """The three words after the k/n at ``j`` and any list of further k/n: "8/10 and 1/10 bacterial *clones*"."""
        toks = self.c.toks
        while j < len(toks) and (
            toks[j].kind is Kind.NUMBER or toks[j].text in {"/", ","} or toks[j].lower in {"and", "or", "of", "out"}
        ):
            j += 1
        return [token.lower for token in toks[j : j + 3]]

    def _stated_fraction(self, item: ValueItem, j: int) -> bool:
        """Whether a k/n written out ("3 of 7 patients", "11/19", "(12 of 30 vs. 4 of 41)") reports a finding.

        A fraction states how many of a group something happened to, so it is a figure even with no finding verb
        ("tumor shrinkage in 3 of 7 patients"), unless it allocates patients ("30/60 were randomised to ...",
        "aspirin use: 337/803") or is counted out of samples of a measurement ("measured in samples of 64/87").
        """
        c = self.c
        after = c.word(j)
        if after in _ALLOCATION_VERBS or after == "to" or (after in {"were", "was"} and c.word(j + 1) in DESIGN_WORDS):
            return False  # "30/60 were randomised", "and 30/60 to placebo"
        if c.word(item.i - 1) == ":":
            return False  # "aspirin use: 337/803": how the cohort divides
        if _MEASURED_WORDS & set(c.before(item.i, 16)):
            return False  # "measured in plasma samples of 64/87 patients and 46/66 controls": who was measured
        if _RESPONSE_WORDS & set(c.before(item.i, 12)):
            return False  # "response rates (0/9 vs 121/329)": a response rate the frames could not place; no guess
        toks = c.toks
        return not any(  # "(26/43; 60%)", "13/22 NTRK1 fusions [59%]": a share with its percentage, not a bare count
            toks[m].kind is Kind.NUMBER and c.word(m + 1) == "%" for m in range(j, min(len(toks), j + 4))
        )

    def _carriers_found(self, item: ValueItem, numerator: Token, before: list[str], j: int) -> bool:
        """ "PIK3CA mutations were identified in 19 cases": how many of the patients studied carried it.

        Only right after the finding verb ("detected in", "identified in"), more than one, never controls or
        relatives, and never one variant's sightings: "This missense mutation was found in 3 family members" and
        "found in one patient" say where a variant was seen (a case, a pedigree), "found in 200 unaffected control
        individuals" names a reference group.
        """
        c = self.c
        if len(before) < 2 or before[-2] not in {"identified", "detected", "observed", "found", "seen"}:
            return False
        subject = set(c.before(item.i, item.i))  # the sentence so far
        if numerator.value is None or numerator.value <= 1 or "this" in subject or _ONE_VARIANT & subject:
            return False  # "the missense mutation (c.481C>T) was found in 8 patients": one variant's sightings
        words = {token.lower for token in c.toks[item.i : max(j, item.j)]}
        return not (words & {"control", "controls", "unaffected", "healthy", "family", "families", "relatives"})

    def _skip_aside(self, j: int) -> int:
        """Past "in this study", "(Patient E2)", "also" between a count and its verb."""
        toks = self.c.toks
        for phrase in (("in", "this", "study"), ("in", "the", "study"), ("in", "this", "cohort"), ("in", "total")):
            if tuple(self.c.word(j + m) for m in range(len(phrase))) == phrase:
                return j + len(phrase)
        if j < len(toks) and toks[j].text == "(":
            close = next((m for m in range(j + 1, min(len(toks), j + 8)) if toks[m].text == ")"), None)
            if close is not None and not any(toks[m].kind is Kind.NUMBER and toks[m].value is not None
                                             and "%" in self.c.word(m + 1) for m in range(j + 1, close)):  # fmt: skip
                return close + 1
        return j

    def _shares_group(self, opener: int, i: int) -> bool:
        """Whether the count at ``i`` counts out of the group at ``opener``: a comma between, no other group."""
        toks = self.c.toks
        between = toks[opener + 1 : i]
        return any(token.text == "," for token in between) and not any(token.text in {";", "."} for token in between)

    def _numbers(self, item: ValueItem) -> tuple[Token | None, Token | None]:
        if item.numerator is not None:
            return item.numerator, item.denominator
        if item.quantity is not None and item.quantity.unit is None:
            return item.quantity.number, None
        return None, None

    def _verb_after_qualifier(self, j: int) -> int | None:
        """ "15/19 patients *with exon 11 mutant GISTs* experienced ...": the verb after a short qualifier."""
        toks = self.c.toks
        if self.c.word(j) in {"who", "that"}:
            return None  # "7 patients who had shown a partial response": who the sample is
        for k in range(j + 1, min(len(toks), j + 4)):
            if toks[k].text in {",", ";", ".", "("} or toks[k].kind is Kind.NUMBER:
                return None
            if toks[k].lower in {"had", "has", "have", "showed", "displayed", "exhibited", "achieved", "experienced",
                                 "developed", "harbored", "harboured", "carried"}:  # fmt: skip
                return k + 1
        return None

    def _group_arm(self, j: int) -> tuple[str, int] | None:
        """The arm named right after a k/n ("159 of 221 patients *in the ramucirumab plus erlotinib group*")."""
        c = self.c
        k = population_phrase(c.toks, j, 6) or j
        arm = parse_arm(c.toks, k)
        if arm is None or c.word(arm[1] - 1) not in {"group", "arm", "cohort"}:
            return None
        return arm

    def _add(self, item: ValueItem, numerator: Token, denominator: Token | None, head: str | None, end: int) -> bool:
        c = self.c
        counted = ValueItem(item.i, item.j, item.start, item.end, numerator=numerator, denominator=denominator)
        if denominator is not None and toxicity_clause(c, item.i):
            # "Dose-limiting toxicities were observed in 3 of 18 patients": k of n with an adverse event
            grade = clause_grade(c, item.i)
            arm = self._group_arm(item.j)
            if arm is not None:
                end = max(end, c.toks[arm[1] - 1].end)
            figure = figure_of(c, OutcomeMeasure.ADVERSE_EVENT_RATE, Unit.PATIENTS, counted, end=end, grade=grade,
                               arm=arm[0] if arm is not None else None)  # fmt: skip
        else:
            figure = figure_of(c, OutcomeMeasure.COUNT, _unit_of(c, head), counted, end=end)
        return c.add(figure, item.i, item.j)


def _one(token: Token) -> bool:
    return token.value == 1


def _integer(token: Token) -> bool:
    return token.value is not None and token.value == token.value.to_integral_value() and "." not in token.text


def read_counts(claims: Claims) -> None:
    """Add the counts of one sentence to ``claims.figures``."""
    if claims.toks:
        _Counts(claims).read()
