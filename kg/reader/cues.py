"""The grammar around names: negation, setting, comparison, combination, case and definition phrases, and cue words.

:mod:`kg.reader.names` says *what* a span names; this module says what
the words around it do to it. "T790M-negative" and "without an EGFR
mutation" make an alteration absent; "after EGFR-TKI failure" and
"previously treated with platinum" make a therapy a prior therapy (a
setting, never a co-drug); "X vs Y" and "X compared with Y" make two
therapies the arms of a comparison (never a combination); "the patient",
"this case" make the question about a patient case; "how is … defined"
asks for a biomarker definition. Each finder returns what it read and the
spans of its cue words, so the interpretation can quote them.

The patterns are regular expressions over the text next to a mention (a
few words either side), because the phrases are short and fixed; a
parser would add a dependency and a model, and still need these lists.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from kg.model.terms import Direction, EvidenceType, Significance
from kg.reader.names import Mention

__all__ = [
    "CLINICAL_TERMS",
    "Cue",
    "case_cues",
    "case_topics",
    "clinical_terms",
    "combinations",
    "comparison",
    "defining",
    "definition_cue",
    "filter_spans",
    "filters",
    "lines",
    "negated",
    "prior_therapies",
    "resistance_context",
]


@dataclass(frozen=True)
class Cue:
    """Words of the question that changed how a mention (or the question) is read."""

    text: str
    start: int
    end: int
    meaning: str  # "negation", "prior therapy", "comparison", "line", "case", "definition", ...


_FILLER = r"(?:(?:an?|any|the|known|detectable|concurrent|co-?occurring|prior|previous|detected|activating)\s+)*"
_NEG_BEFORE = re.compile(
    r"(?:\b(?:without|lacking|lack of|absence of|absent|negative for|not harbou?ring|not carrying|free of|no)\s+"
    + _FILLER
    + r"|\bwild[- ]?type\s+|\bnon-?)$",
    re.I,
)
_WITH_OR_WITHOUT = re.compile(r"\bwith\s+or\s+without\s+" + _FILLER + r"$", re.I)
_NEG_AFTER = re.compile(r"^(?:-|\s+)?(?:negative|neg\b|wild[- ]?type|wt\b|\(\s*-\s*\))", re.I)
_NAIVE_AFTER = re.compile(r"^[\s-]*(?:naive|naïve)\b", re.I)
_NOT_TREATED_BEFORE = re.compile(
    r"\b(?:without|no|never received|not (?:previously )?treated with|naive to|naïve to)\s+" + _FILLER + r"$", re.I
)
_PRIOR_BEFORE = re.compile(
    r"\b(?:after|following|post-?|previously treated with|pre-?treated with|treated with prior|progress(?:ed|ing|ion)"
    r" (?:on|after|during)|refractory to|failed|failure of|failing|relapsed? after|beyond|prior|previous|"
    r"who (?:had )?(?:received|failed))\s*"
    r"(?:(?:an?|the|prior|previous|one or more|at least one|\w+-line|first|second)\s+)*$",
    re.I,
)
_PRIOR_AFTER = re.compile(
    r"^[\s-]*(?:failure|failed|progression|refractory|pre-?treated|treated|exposed|experienced)\b", re.I
)
_RESISTANCE_BEFORE = re.compile(r"\b(?:resist(?:ance|ant) to|resistant after)\s+" + _FILLER + r"$", re.I)
_RESISTANCE_AFTER = re.compile(r"^[\s-]*(?:resistan(?:ce|t))\b", re.I)
_LINE = re.compile(
    r"\b(?P<ord>first|second|third|fourth|later|front|1st|2nd|3rd|4th)[- ]line\b|\b(?P<short>[1-4])L\b|"
    r"\b(?P<word>maintenance|adjuvant|neoadjuvant|treatment[- ]na[iï]ve|previously untreated|untreated)\b",
    re.I,
)
_ORDINAL = {"1st": "first", "2nd": "second", "3rd": "third", "4th": "fourth", "front": "first"}
_CONNECTIVE = re.compile(
    r"\b(?:vs\.?|versus|compared? (?:with|to)|in comparison (?:with|to)|head[- ]to[- ]head (?:with|against)|against)(?=\s)",
    re.I,
)
_OR = re.compile(r"\b(?:or|than)\b", re.I)
_COMPARE_WORDS = re.compile(r"\b(?:compar\w*|better|superior|inferior|differ\w*|which|outperform\w*)\b", re.I)
_SIDE_GAP = re.compile(
    r"^[\s,+/()]*(?:(?:plus|and|with|combined with|in combination with|placebo|the|a|an|single[- ]agent|alone|"
    r"monotherapy|is|are|was|were|more|less|better|worse|superior|inferior|effective|active|efficacious|"
    r"safer|longer|standard|conventional|salvage|physician's choice|investigator's choice)[\s,+/()]*)*$",
    re.I,
)
_COMBINATION_GAP = re.compile(r"^\s*(?:\+|plus|and|with|combined with|in combination with|/|-)\s*$", re.I)
_TOGETHER = re.compile(r"\b(?:combination|combined|together|dual|doublet)\b", re.I)
_CASE = re.compile(
    r"\b(?:(?:the|this|our|that|index|case)\s+(?:patient|woman|lady|case)|case\s+report|(?:she|her)\b)(?!\w)", re.I
)
_DEFINITION = re.compile(
    r"\b(?:defin\w*|threshold|cut-?off|criteri\w*|what counts as|(?<!hazard )(?<!hazards )(?<!odds )(?<!risk )ratio|ASCO/CAP|how (?:is|are)\b[^?]{0,60}?\b(?:assessed|measured|"
    r"determined|detected|tested|called|diagnosed))\b",
    re.I,
)
_TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("timeline", re.compile(r"\b(?:time ?line|course|history|sequence|chronolog\w*|treatment process|journey)\b", re.I)),
    ("dates", re.compile(r"\b(?:when|dates?|dated|what time|which (?:month|year)|how long|duration|months? (?:after|later)|interval)\b", re.I)),
    ("therapy", re.compile(r"\b(?:treat\w*|therap\w*|regimens?|lines?|drugs?|medications?|receiv\w*|given|administ\w*)\b", re.I)),
    ("response", re.compile(r"\b(?:respon\w*|efficacy|effect\w*|benefit\w*|outcomes?|progress\w*|stable|remission)\b", re.I)),
    ("adverse_event", re.compile(r"\b(?:adverse|side[- ]effects?|toxicit\w*|tolera\w*)\b", re.I)),
    ("test", re.compile(r"\b(?:tests?|tested|testing|genetic|sequenc\w*|biops\w*|detect\w*|molecular|NGS|blood|plasma|re-?puncture)\b", re.I)),
    ("metastasis", re.compile(r"\b(?:metasta\w*|spread|progress\w*)\b", re.I)),
    ("radiotherapy", re.compile(r"\b(?:radiother\w*|radiation|IMRT|Gy|fractions?)\b", re.I)),
    ("surgery", re.compile(r"\b(?:surgery|surgical|lobectomy|resect\w*|operat\w*)\b", re.I)),
    ("pathology", re.compile(r"\b(?:patholog\w*|histolog\w*|stag(?:e|ing)|TNM|adenocarcinoma subtype)\b", re.I)),
    ("presentation", re.compile(r"\b(?:age|old|sex|female|male|present\w*|symptoms?|diagnos\w*)\b", re.I)),
)  # fmt: skip

#: Upper-case words of clinical writing that are not records of the graph, and what they tell the reader.
CLINICAL_TERMS: dict[str, str] = {
    "IMRT": "radiotherapy",
    "SBRT": "radiotherapy",
    "WBRT": "radiotherapy",
    "Gy": "radiotherapy",
    "CT": "imaging",
    "MRI": "imaging",
    "PET": "imaging",
    "FISH": "test",
    "ISH": "test",
    "IHC": "test",
    "NGS": "test",
    "WGS": "test",
    "ctDNA": "test",
    "cfDNA": "test",
    "RECIST": "response",
    "CTCAE": "adverse_event",
    "AE": "adverse_event",
    "AEs": "adverse_event",
    "TRAE": "adverse_event",
    "TRAEs": "adverse_event",
    "TNM": "pathology",
    "ECOG": "presentation",
    "ASCO": "definition",
    "CAP": "definition",
    "NCCN": "guideline",
    "ESMO": "guideline",
}
_CLINICAL = re.compile(r"(?<![\w-])(" + "|".join(re.escape(term) for term in CLINICAL_TERMS) + r")(?![\w-])")

_CUE_FILTERS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"\b(?:adverse|safety|toxicit|side[- ]effect|tolerab)", re.I), "evidence_type", EvidenceType.SAFETY.value),
    (re.compile(r"\b(?:prevalen|how common|how often|frequency|proportion|incidence|(?:what|which) (?:share|fraction)|(?:share|fraction)s? of)", re.I), "evidence_type", EvidenceType.PREVALENCE.value),
    (re.compile(r"\bprognos", re.I), "evidence_type", EvidenceType.PROGNOSTIC.value),
    (re.compile(r"\bdiagnostic", re.I), "evidence_type", EvidenceType.DIAGNOSTIC.value),
    (re.compile(r"\b(?:detect(?:ed|ion|s)?|assay|assays|methods?|methodolog\w*|how (?:is|are) \S+(?: \S+)? (?:assessed|measured|tested))\b", re.I), "evidence_type", EvidenceType.METHODOLOGICAL.value),
    (re.compile(r"\b(?:mechanisms? of action|mode of action|how (?:does|do) (?:it|they|\S+) work|what kind of drug|how (?:it|they) works?)\b", re.I), "evidence_type", EvidenceType.MECHANISTIC.value),
    (re.compile(r"\b(?:germline|hereditary|inherited|predispos|familial)", re.I), "evidence_type", EvidenceType.PREDISPOSING.value),
    (re.compile(r"\bresistan", re.I), "significance", Significance.RESISTANCE.value),
    (re.compile(r"\b(?:evidence against|does not support|no (?:significant )?benefit|not effective|ineffective)\b", re.I), "direction", Direction.DOES_NOT_SUPPORT.value),
)  # fmt: skip


def _before(text: str, mention: Mention, width: int = 60) -> str:
    return text[max(0, mention.start - width) : mention.start]


def _after(text: str, mention: Mention, width: int = 30) -> str:
    return text[mention.end : mention.end + width]


def negated(text: str, mentions: Sequence[Mention]) -> tuple[set[int], list[Cue]]:
    """Indices of alteration or therapy mentions read as absent ("T790M-negative", "without", "wild-type", "no")."""
    found: set[int] = set()
    cues: list[Cue] = []
    for index, mention in enumerate(mentions):
        if mention.facet == "alteration":
            before = _NEG_BEFORE.search(_before(text, mention))
            after = _NEG_AFTER.match(_after(text, mention))
        elif mention.facet == "therapy":
            before = _NOT_TREATED_BEFORE.search(_before(text, mention))
            after = _NAIVE_AFTER.match(_after(text, mention))
        else:
            continue
        if before and _WITH_OR_WITHOUT.search(_before(text, mention)):
            continue  # "with or without a concurrent HER2 mutation": asked either way, not absent
        if before:
            start = mention.start - len(_before(text, mention)) + before.start()
            cues.append(Cue(text[start : mention.start].strip(), start, mention.start, "negation"))
            found.add(index)
        elif after:
            cues.append(Cue(after.group().strip(), mention.end, mention.end + after.end(), "negation"))
            found.add(index)
    return found, cues


def prior_therapies(text: str, mentions: Sequence[Mention], skip: set[int]) -> tuple[set[int], list[Cue]]:
    """Indices of therapy mentions that name a setting ("after EGFR-TKI failure", "platinum-pretreated")."""
    found: set[int] = set()
    cues: list[Cue] = []
    for index, mention in enumerate(mentions):
        if mention.facet != "therapy" or index in skip:
            continue
        before = _PRIOR_BEFORE.search(_before(text, mention))
        after = _PRIOR_AFTER.match(_after(text, mention))
        if before:
            start = mention.start - len(_before(text, mention)) + before.start()
            cues.append(Cue(text[start : mention.start].strip(), start, mention.start, "prior therapy"))
            found.add(index)
        elif after:
            cues.append(Cue(after.group().strip(" -"), mention.end, mention.end + after.end(), "prior therapy"))
            found.add(index)
    # a list of prior therapies: "after osimertinib or afatinib", "previously treated with platinum and docetaxel"
    for index in sorted(found):
        nxt = index + 1
        while nxt < len(mentions) and mentions[nxt].facet == "therapy" and nxt not in skip:
            gap = text[mentions[nxt - 1].end : mentions[nxt].start]
            if not re.fullmatch(r"\s*(?:,|or|and|/|,\s*or|,\s*and)\s*", gap, re.I):
                break
            found.add(nxt)
            nxt += 1
    return found, cues


def resistance_context(text: str, mentions: Sequence[Mention]) -> set[int]:
    """Indices of therapy mentions the question asks resistance to ("resistance to EGFR-TKIs", "osimertinib-resistant")."""
    return {
        index
        for index, mention in enumerate(mentions)
        if mention.facet == "therapy"
        and (_RESISTANCE_BEFORE.search(_before(text, mention)) or _RESISTANCE_AFTER.match(_after(text, mention)))
    }


def lines(text: str) -> tuple[list[str], list[Cue]]:
    """Lines of therapy or settings named ("second-line", "2L", "adjuvant", "treatment-naive" → first-line)."""
    found: list[str] = []
    cues: list[Cue] = []
    for match in _LINE.finditer(text):
        if match.group("ord"):
            word = match.group("ord").lower()
            line = f"{_ORDINAL.get(word, word)}-line"
        elif match.group("short"):
            line = f"{['first', 'second', 'third', 'fourth'][int(match.group('short')) - 1]}-line"
        else:
            word = match.group("word").lower().replace("ï", "i").replace(" ", "-")
            line = "first-line" if word in ("treatment-naive", "previously-untreated", "untreated") else word
        if line not in found:
            found.append(line)
        cues.append(Cue(match.group(), match.start(), match.end(), "line"))
    return found, cues


def _side(text: str, mentions: Sequence[Mention], indices: list[int], edge: int, leftwards: bool) -> list[int]:
    """Therapy mentions next to a connective, joined by combination words ("pyrotinib plus capecitabine")."""
    side: list[int] = []
    cursor = edge
    for index in indices:
        mention = mentions[index]
        gap = text[mention.end : cursor] if leftwards else text[cursor : mention.start]
        if not _SIDE_GAP.match(gap):
            break
        side.append(index)
        cursor = mention.start if leftwards else mention.end
    return side


def comparison(
    text: str, mentions: Sequence[Mention], candidates: set[int], facet: str = "therapy"
) -> tuple[list[list[int]], list[Cue]]:
    """The two sides of "X vs Y" (indices of mentions of ``facet``), or ``[]``; "X or Y" only with a comparing word."""
    therapy = [i for i in sorted(candidates) if mentions[i].facet == facet]
    connectives = list(_CONNECTIVE.finditer(text))
    if not connectives and _COMPARE_WORDS.search(text):
        connectives = list(_OR.finditer(text))
        between = re.search(r"\bbetween\b", text, re.I)
        if between and not connectives:
            connectives = [m for m in re.finditer(r"\band\b", text, re.I) if m.start() > between.end()][:1]
    for connective in connectives:
        left = [i for i in reversed(therapy) if mentions[i].end <= connective.start()]
        right = [i for i in therapy if mentions[i].start >= connective.end()]
        left_side = _side(text, mentions, left, connective.start(), leftwards=True)
        right_side = _side(text, mentions, right, connective.end(), leftwards=False)
        if left_side and right_side:
            cue = Cue(connective.group(), connective.start(), connective.end(), "comparison")
            return [sorted(left_side), sorted(right_side)], [cue]
        if (left_side or right_side) and connective.group().lower() not in ("or", "than", "and"):
            cue = Cue(connective.group(), connective.start(), connective.end(), "comparison (one arm not in the graph)")
            return [sorted(left_side or right_side)], [cue]
    return [], []


def combinations(text: str, mentions: Sequence[Mention], candidates: set[int]) -> list[list[int]]:
    """Groups of therapy mentions given together ("almonertinib plus pyrotinib", "X + Y", "X combined with Y").

    "X and Y" is a combination only when the question says so ("combination", "combined", "together", "dual").
    """
    therapy = [i for i in sorted(candidates) if mentions[i].facet == "therapy"]
    together = bool(_TOGETHER.search(text))
    groups: list[list[int]] = []
    for previous, current in itertools.pairwise(therapy):
        gap = text[mentions[previous].end : mentions[current].start]
        if not _COMBINATION_GAP.match(gap) or (re.fullmatch(r"\s*and\s*", gap, re.I) and not together):
            continue
        if groups and groups[-1][-1] == previous:
            groups[-1].append(current)
        else:
            groups.append([previous, current])
    return groups


def case_cues(text: str) -> list[Cue]:
    """Phrases that make a question about a patient case ("the patient", "this case", "she")."""
    return [Cue(m.group(), m.start(), m.end(), "case") for m in _CASE.finditer(text)]


def case_topics(text: str) -> list[str]:
    """What a case question asks about (timeline, dates, therapy, response, tests, ...), in a fixed order."""
    topics = [name for name, pattern in _TOPICS if pattern.search(text)]
    topics += [
        meaning for term, meaning in CLINICAL_TERMS.items() if re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", text)
    ]
    order = [name for name, _ in _TOPICS]
    return sorted(set(topics) & set(order), key=order.index)


def clinical_terms(text: str) -> list[Cue]:
    """Clinical abbreviations that are not graph records (IMRT, FISH, RECIST): read as topics, never as unknown names."""
    return [Cue(m.group(), m.start(), m.end(), CLINICAL_TERMS[m.group()]) for m in _CLINICAL.finditer(text)]


_WHAT_IS = re.compile(r"^\s*(?:what|which) (?:is|are) (?:an?\s+|the\s+)?(?=\S)", re.I)


def defining(text: str) -> bool:
    """Whether the question asks what something is ("what is the L858R mutation", "how is X defined")."""
    return bool(_WHAT_IS.match(text) or _DEFINITION.search(text))


def definition_cue(text: str) -> Cue | None:
    """The words that ask for a definition or threshold ("how is HER2 amplification defined", "cut-off")."""
    match = _DEFINITION.search(text)
    return Cue(match.group(), match.start(), match.end(), "definition") if match else None


def filters(text: str) -> dict[str, tuple[str, ...]]:
    """Evidence type, significance and direction filters from cue words ("adverse events", "prognosis", "resistance")."""
    found: dict[str, tuple[str, ...]] = {}
    for pattern, name, value in _CUE_FILTERS:
        if pattern.search(text) and value not in found.get(name, ()):
            found[name] = (*found.get(name, ()), value)
    return found


def filter_spans(text: str) -> list[tuple[int, int]]:
    """Where the cue words of :func:`filters` are: spent on a filter, they are not also content words."""
    return [m.span() for pattern, _, _ in _CUE_FILTERS for m in pattern.finditer(text)]
