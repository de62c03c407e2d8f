"""What a sentence says about its study: trial registry ids, design words and the sample size, as written.

Registry ids are matched by each registry's documented id format and kept
exactly as written ("ChiCTR1800020262", "NCT02675829", "EudraCT
2015-001234-56", "jRCT2031200116"): an id is never completed or
corrected. Design words ("phase III", "randomized", "single-arm",
"retrospective", "case report") are listed as written with the study
design they suggest (:class:`~kg.model.terms.StudyDesign`), strongest
first, for the curator to confirm. The sample size is the number of
people a sentence says were studied ("in 27 NSCLC patients", "n = 49",
"a total of 387 men", "402 patients ... were randomised").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from kg.model.terms import StudyDesign

__all__ = ["DesignWord", "RegistryId", "SampleSize", "design_words", "registry_ids", "sample_size"]

#: Trial registries and the format of their ids (WHO ICTRP primary registries and the common others).
_REGISTRIES: tuple[tuple[str, str], ...] = (
    ("ClinicalTrials.gov", r"NCT\d{8}"),
    ("ChiCTR", r"ChiCTR(?:-[A-Z]{2,4}-)?\d{8,10}"),
    ("EudraCT", r"(?:EudraCT(?:\s+(?:No\.?|number))?[\s:]*)\d{4}-\d{6}-\d{2}"),
    ("EU CTR", r"\b20\d{2}-5\d{5}-\d{2}-00\b"),
    ("ISRCTN", r"ISRCTN\d{8}"),
    ("jRCT", r"jRCT[sa]?\d{10}"),
    ("JapicCTI", r"JapicCTI-\d{6}"),
    ("UMIN", r"UMIN\d{9}"),
    ("ANZCTR", r"ACTRN\d{14}"),
    ("CTRI", r"CTRI/\d{4}/\d{2,3}/\d{6}"),
    ("CRIS", r"KCT\d{7}"),
    ("DRKS", r"DRKS\d{8}"),
    ("NTR", r"\bNTR\d{3,5}\b"),
    ("PACTR", r"PACTR\d{15}"),
    ("IRCT", r"IRCT\d{8,14}N\d{1,3}"),
    ("TCTR", r"TCTR\d{11}"),
    ("SLCTR", r"SLCTR/\d{4}/\d{3}"),
    ("ReBEC", r"RBR-[0-9a-z]{6,8}"),
    ("RPCEC", r"RPCEC\d{8}"),
    ("CTR (China NMPA)", r"\bCTR20\d{6}\b"),
    ("LBCTR", r"LBCTR\d{10}"),
    ("ITMCTR", r"ITMCTR\d{10}"),
)
_REGISTRY = re.compile("|".join(f"(?P<r{i}>(?<![A-Za-z0-9]){pattern})" for i, (_, pattern) in enumerate(_REGISTRIES)))

#: Design words, as a regex each, with the design they suggest; a sentence lists every word it uses.
_DESIGNS: tuple[tuple[str, StudyDesign | None], ...] = (
    (r"meta-?analys[ie]s|pooled analys[ie]s|systematic review", StudyDesign.META_ANALYSIS),
    (r"randomi[sz]ed(?:[\s,-]+(?:controlled|double-blind|open-label|placebo-controlled))*(?:\s+(?:trial|study))?",
     StudyDesign.RANDOMIZED_CONTROLLED_TRIAL),
    (r"single[\s-]arm", StudyDesign.SINGLE_ARM_TRIAL),
    (r"basket (?:trial|study)", StudyDesign.SINGLE_ARM_TRIAL),
    (r"prospective(?:ly)?", StudyDesign.PROSPECTIVE_COHORT),
    (r"retrospective(?:ly)?", StudyDesign.RETROSPECTIVE_COHORT),
    (r"case series", StudyDesign.CASE_SERIES),
    (r"case (?:report|study|presentation)|a (?:\d+|[a-z]+)[- ]year[- ]old (?:man|woman|male|female|boy|girl|patient)",
     StudyDesign.CASE_REPORT),
    (r"in vivo|xenografts?|mouse models?", StudyDesign.IN_VIVO_STUDY),
    (r"in vitro|cell lines?", StudyDesign.IN_VITRO_STUDY),
    (r"guidelines?", StudyDesign.GUIDELINE),
    (r"double[\s-]blind|open[\s-]label|placebo[\s-]controlled|multi-?cent(?:er|re)", None),
)  # fmt: skip
_DESIGN = re.compile("|".join(f"(?P<d{i}>\\b(?:{pattern})\\b)" for i, (pattern, _) in enumerate(_DESIGNS)), re.I)
_PHASE = re.compile(
    r"\bphase[\s-]*(?P<phase>(?:I{1,3}V?|IV|[1-4])[ab]?(?:\s*(?:/|-|and|or)\s*(?:I{1,3}V?|IV|[1-4])[ab]?)?)(?![\w])",
    re.I,
)

_PEOPLE = r"(?:patients?|pts|participants|subjects|individuals|cases|men|women|children|adults|people)"
_SAMPLE = re.compile(
    rf"\b(?:n\s*=\s*(?P<n>\d[\d,]*)(?![\d.%/])"
    rf"|(?:in|of|included|enrolled|recruited|involving)\s+(?:a\s+total\s+of\s+)?(?P<k>\d[\d,]*)\s+(?:[\w-]+\s+){{0,5}}?{_PEOPLE}\b"
    rf"|a\s+total\s+of\s+(?P<t>\d[\d,]*)\s+(?:[\w-]+\s+){{0,4}}?{_PEOPLE}\b"
    rf"|(?P<s>\d[\d,]*)\s+(?:[\w-]+\s+){{0,5}}?{_PEOPLE}\s+(?:were|was)\s+(?:enrolled|treated|included|randomi[sz]ed|recruited|analy[sz]ed))",
    re.I,
)  # fmt: skip


@dataclass(frozen=True)
class RegistryId:
    """A trial registry id as written, with its registry and span."""

    id: str
    registry: str
    start: int
    end: int

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "registry": self.registry, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class DesignWord:
    """A design word as written ("phase III", "single-arm") and the design it suggests, if any."""

    text: str
    design: StudyDesign | None
    start: int
    end: int


@dataclass(frozen=True)
class SampleSize:
    """The number of people a sentence says were studied, as written, with the words it rests on."""

    value: str
    text: str
    start: int
    end: int

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value, "text": self.text, "start": self.start, "end": self.end}


def registry_ids(text: str, offset: int = 0) -> list[RegistryId]:
    """Every trial registry id in ``text``, as written, left to right."""
    found: list[RegistryId] = []
    for match in _REGISTRY.finditer(text):
        group = match.lastgroup
        assert group is not None
        registry = _REGISTRIES[int(group[1:])][0]
        written = match.group()
        if registry == "EudraCT":
            number = re.search(r"\d{4}-\d{6}-\d{2}", written)
            assert number is not None
            start = match.start() + number.start()
            found.append(RegistryId(number.group(), registry, offset + start, offset + start + len(number.group())))
            continue
        found.append(RegistryId(written, registry, offset + match.start(), offset + match.end()))
    return found


def design_words(text: str, offset: int = 0) -> list[DesignWord]:
    """Design words of ``text``: phases and designs, as written, left to right."""
    words = [
        DesignWord(
            match.group(), _DESIGNS[int(str(match.lastgroup)[1:])][1], offset + match.start(), offset + match.end()
        )
        for match in _DESIGN.finditer(text)
    ]
    words += [
        DesignWord(match.group(), None, offset + match.start(), offset + match.end()) for match in _PHASE.finditer(text)
    ]
    return sorted(words, key=lambda word: word.start)


def design_json(words: list[DesignWord]) -> dict[str, Any] | None:
    """The design of a proposal: the words as written, the phase, and the strongest design they suggest."""
    if not words:
        return None
    from kg.model.terms import DESIGN_RANK

    designs = [word.design for word in words if word.design is not None]
    phases = [match.group("phase") for word in words if (match := _PHASE.fullmatch(word.text))]
    design = min(designs, key=lambda d: DESIGN_RANK[d]) if designs else None
    if design is None and phases:
        design = StudyDesign.UNSPECIFIED
    return {
        "words": [{"text": word.text, "start": word.start, "end": word.end} for word in words],
        "phase": phases[0] if phases else None,
        "study_design": design.value if design is not None else None,
    }


def sample_size(text: str, offset: int = 0) -> SampleSize | None:
    """The first sample size ``text`` states ("in 27 NSCLC patients", "n = 49"), or None."""
    for match in _SAMPLE.finditer(text):
        value = next(group for group in (match.group(name) for name in ("n", "k", "t", "s")) if group is not None)
        if value.replace(",", "").isdigit() and int(value.replace(",", "")) > 0:
            return SampleSize(value, match.group(), offset + match.start(), offset + match.end())
    return None
