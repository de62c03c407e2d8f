"""Propose evidence records from a paper's text: one proposal per sentence that states a result or a claim.

Each sentence of the text (:mod:`kg.reader.sentences`) is read for

* the entities it names, with the same recognition as ``/ask``
  (:func:`kg.reader.names.recognise`): therapies, alterations and genes,
  the disease;
* trial registry ids, design words and a sample size
  (:mod:`kg.reader.studies`);
* its figures (:func:`kg.reader.results.extract_figures`), every number as
  written, with spans in the file's text.

A sentence becomes a proposal when it states at least one figure, or names
a therapy together with an alteration or a disease. Words that look like
names of drugs, genes or variants but are not in the graph are listed as
*unrecognised*, for the curator to add to the registries. Nothing is
guessed across sentences: a proposal rests on its own sentence, which is
its verbatim quote.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from kg.model.terms import Section
from kg.reader.figures import Dropped, Figure
from kg.reader.names import Mention
from kg.reader.results import extract_figures
from kg.reader.sentences import Sentence
from kg.reader.studies import DesignWord, RegistryId, SampleSize, design_json, design_words, registry_ids, sample_size

__all__ = ["MAX_UNRECOGNISED", "Proposal", "Unrecognised", "propose"]

#: At most this many distinct unrecognised names are kept (a long text must not grow memory without bound).
MAX_UNRECOGNISED = 5_000

_HEADINGS: tuple[tuple[re.Pattern[str], Section | None], ...] = (
    (re.compile(r"^(abstract|summary)\b", re.I), Section.ABSTRACT),
    (re.compile(r"^(introduction|background)\b", re.I), Section.INTRODUCTION),
    (re.compile(r"^case (presentation|report|description|history)\b", re.I), Section.CASE_PRESENTATION),
    (re.compile(r"^(literature review|review of the literature)\b", re.I), Section.LITERATURE_REVIEW),
    (re.compile(r"^(discussion|conclusions?)\b", re.I), Section.DISCUSSION),
    (re.compile(r"^(figure|fig\.?|table)\s+\d+", re.I), Section.FIGURE_LEGEND),
    (re.compile(r"^(references|bibliography|acknowledge?ments?|funding|author contributions|conflicts? of interest)\b",
                re.I), None),
)  # fmt: skip
_DRUG_LIKE = re.compile(
    r"^[A-Za-z][a-z-]{2,}(?:tinib|rafenib|fenib|ciclib|lisib|parib|zomib|degib|metinib|sertib|nib|zumab|ximab|mumab|"
    r"tuzumab|mab|platin|taxel|rubicin|citabine|trexate|mustine|lutamide|relix|fosfamide)$"
)
_GENE_LIKE = re.compile(r"^[A-Z][A-Z0-9]{1,6}\d[A-Z0-9]*$|^[A-Z]{2,}[0-9]+[A-Z]?$")
_VARIANT_LIKE = re.compile(r"^[ACDEFGHIKLMNPQRSTVWY]\d{2,4}(?:[ACDEFGHIKLMNPQRSTVWY*]|fs|del|dup|ins)$")
_NOT_NAMES = frozenset(
    {"CI", "HR", "OR", "RR", "ORR", "DCR", "PFS", "OS", "CT", "MRI", "PET", "FISH", "NGS", "IHC", "TKI", "TKIs",
     "RECIST", "CTCAE", "WHO", "ECOG", "AJCC", "TNM", "UICC", "DNA", "RNA", "PCR", "COVID", "SD", "PD", "PR", "CR",
     "IQR", "MR", "IMRT", "CTV", "ADC", "ADCs", "NSCLC", "SCLC", "LUAD", "CEP17", "T1", "T2", "T3", "T4", "N0", "N1",
     "N2", "N3", "M0", "M1", "PS", "G1", "G2", "G3"}
)  # fmt: skip
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9*]|[A-Za-z]")


@dataclass(frozen=True)
class Proposal:
    """One proposed evidence record: its quote (a sentence) and what the sentence states."""

    quote: Sentence
    section: Section
    therapy: tuple[Mention, ...]
    alterations: tuple[Mention, ...]
    diseases: tuple[Mention, ...]
    registry_ids: tuple[RegistryId, ...]
    design: tuple[DesignWord, ...]
    sample_size: SampleSize | None
    outcomes: tuple[Figure, ...]
    dropped: tuple[Dropped, ...] = ()

    @property
    def disease(self) -> Mention | None:
        return self.diseases[0] if self.diseases else None

    def to_json(self) -> dict[str, Any]:
        """The proposal as ``kg propose --json`` prints it."""
        return {
            "quote": {"text": self.quote.text, "start": self.quote.start, "end": self.quote.end},
            "therapy": [mention.to_dict() for mention in self.therapy],
            "alterations": [mention.to_dict() for mention in self.alterations],
            "disease": self.disease.to_dict() if self.disease is not None else None,
            "registry_ids": [found.to_json() for found in self.registry_ids],
            "design": design_json(list(self.design)),
            "sample_size": self.sample_size.to_json() if self.sample_size is not None else None,
            "outcomes": [figure.to_outcome_json() for figure in self.outcomes],
        }


@dataclass
class Unrecognised:
    """Words that look like names of drugs, genes or variants but resolve to nothing, first occurrence each."""

    names: dict[str, dict[str, Any]] = field(default_factory=dict)
    more: int = 0  # distinct names seen after the first MAX_UNRECOGNISED

    def add(self, text: str, start: int, looks_like: str) -> None:
        if text in self.names:
            return
        if len(self.names) >= MAX_UNRECOGNISED:
            self.more += 1
            return
        self.names[text] = {"text": text, "start": start, "end": start + len(text), "looks_like": looks_like}

    def to_json(self) -> list[dict[str, Any]]:
        return list(self.names.values())

    def scan(self, sentence: Sentence, mentions: Iterable[Mention]) -> None:
        """Record the name-like words of ``sentence`` that no mention covers."""
        covered = [(mention.start, mention.end) for mention in mentions]
        for match in _WORD.finditer(sentence.text):
            word = match.group()
            start = sentence.start + match.start()
            if any(lo <= start < hi for lo, hi in covered) or word in _NOT_NAMES or registry_ids(word):
                continue
            kind = (
                "drug"
                if _DRUG_LIKE.match(word)
                else "variant"
                if _VARIANT_LIKE.match(word)
                else "gene"
                if _GENE_LIKE.match(word)
                else None
            )
            if kind is not None:
                self.add(word, start, kind)


def _shifted(figure: Figure, offset: int) -> Figure:
    return replace(figure, start=figure.start + offset, end=figure.end + offset)


def _section_of(text: str, current: Section | None) -> tuple[Section | None, bool]:
    """The section a paragraph opens (a heading line), and whether the paragraph is only that heading."""
    first = text.strip().split("\n", 1)[0].strip()
    for pattern, section in _HEADINGS:
        if pattern.match(first) and (len(first.split()) <= 6 or section is Section.FIGURE_LEGEND):
            heading_only = len(text.split()) <= 6 and not first.endswith(".")
            return section, heading_only
    return current, False


def propose(
    sentences: Iterable[Sentence],
    recognise: Callable[[str], list[Mention]],
    unrecognised: Unrecognised,
) -> Iterator[Proposal]:
    """Proposals for the sentences of a text, in text order; unrecognised names are added to ``unrecognised``.

    ``recognise`` finds the entity mentions of a sentence (offsets in the
    sentence), usually ``lambda s: names.recognise(kg, s)``.
    """
    section: Section | None = Section.ABSTRACT
    body_section: Section = Section.ABSTRACT
    last_paragraph: int | None = None
    for sentence in sentences:
        if sentence.paragraph.start != last_paragraph:
            last_paragraph = sentence.paragraph.start
            opened, heading_only = _section_of(sentence.paragraph.text, section)
            if opened is not Section.FIGURE_LEGEND:
                section = opened
                if section is not None:
                    body_section = section
            paragraph_section = opened if opened is Section.FIGURE_LEGEND else section
            if heading_only:
                continue
        if paragraph_section is None:
            continue  # references, acknowledgements: no evidence there
        mentions = [
            replace(m, start=m.start + sentence.start, end=m.end + sentence.start) for m in recognise(sentence.text)
        ]
        unrecognised.scan(sentence, mentions)
        extraction = extract_figures(sentence.text)
        outcomes = tuple(_shifted(figure, sentence.start) for figure in extraction.figures)
        therapy = tuple(m for m in mentions if m.facet == "therapy")
        alterations = tuple(m for m in mentions if m.facet == "alteration")
        diseases = tuple(m for m in mentions if m.facet == "disease")
        if not outcomes and not (therapy and (alterations or diseases)):
            continue
        yield Proposal(
            quote=sentence,
            section=paragraph_section or body_section,
            therapy=therapy,
            alterations=alterations,
            diseases=diseases,
            registry_ids=tuple(registry_ids(sentence.text, sentence.start)),
            design=tuple(design_words(sentence.text, sentence.start)),
            sample_size=sample_size(sentence.text, sentence.start),
            outcomes=outcomes,
            dropped=tuple(
                replace(d, start=d.start + sentence.start, end=d.end + sentence.start) for d in extraction.dropped
            ),
        )
