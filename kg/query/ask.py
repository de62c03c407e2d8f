"""Free-text questions: recognise the entities, say what was recognised, run the structured query.

``ask(kg, "what evidence supports pyrotinib in HER2-amplified NSCLC?")``
finds the longest spans of the question that are names in the graph (any
label or synonym, compared by :func:`kg.runtime.resolve.name_key`, so case, hyphens
and plurals do not matter), assigns drugs to the therapy facet, alterations
and genes to the alteration facet and diseases to the disease facet, reads
a few cue words ("adverse events", "prevalence", "prognosis", "resistance")
as filters, and answers with :func:`~kg.query.engine.find_evidence`. The
answer says exactly how the question was read, so a misreading is visible.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kg.core.errors import InvalidQueryError
from kg.core.text import is_blank
from kg.core.vocab import NodeType
from kg.model.terms import EvidenceType, Significance
from kg.query.engine import EvidenceQuery, find_evidence
from kg.runtime.resolve import name_tokens

if TYPE_CHECKING:
    from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = ["MAX_QUESTION_LENGTH", "Mention", "ask", "recognise"]

#: Longest question accepted (characters).
MAX_QUESTION_LENGTH = 1000
_MAX_SPAN = 8  # longest name, in tokens
_TOKEN = re.compile(r"[0-9A-Za-z]+")
# lower-case words that are also gene or drug names: only an upper-case spelling counts as the name
_COMMON_WORDS = frozenset(
    {"met", "kit", "ret", "all", "set", "cat", "can", "was", "has", "map", "arm", "not", "and", "the", "for",
     "her", "men", "car", "nor", "rest", "age", "sex", "aim", "impact", "large", "tube", "mice"}
)  # fmt: skip
_FACET_OF_TYPE = {
    NodeType.DRUG: "therapy",
    NodeType.DRUG_CLASS: "therapy",
    NodeType.ALTERATION: "alteration",
    NodeType.GENE: "alteration",
    NodeType.MOLECULAR_PROFILE: "alteration",
    NodeType.DISEASE: "disease",
}
_CUES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (
        re.compile(r"\b(adverse|safety|toxicit|side[- ]effect|tolerab)", re.I),
        "evidence_type",
        EvidenceType.SAFETY.value,
    ),
    (
        re.compile(r"\b(prevalen|how common|how often|frequency|proportion)", re.I),
        "evidence_type",
        EvidenceType.PREVALENCE.value,
    ),
    (re.compile(r"\bprognos", re.I), "evidence_type", EvidenceType.PROGNOSTIC.value),
    (re.compile(r"\bdiagnos", re.I), "evidence_type", EvidenceType.DIAGNOSTIC.value),
    (re.compile(r"\bresistan", re.I), "significance", Significance.RESISTANCE.value),
)


@dataclass(frozen=True)
class Mention:
    """A span of the question recognised as an entity."""

    text: str
    start: int
    end: int
    entity: str
    label: str
    node_type: NodeType

    @property
    def facet(self) -> str | None:
        return _FACET_OF_TYPE.get(self.node_type)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "id": self.entity,
            "label": self.label,
            "type": self.node_type.value,
            "facet": self.facet,
        }


def _ascii_same_length(text: str) -> str:
    """Fold accents to ASCII one character at a time, keeping offsets."""
    out = []
    for char in text:
        folded = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
        out.append(folded[:1] if folded else " ")
    return "".join(out)


def recognise(kg: KnowledgeGraph, question: str) -> list[Mention]:
    """Longest-first dictionary matching of the question's spans against every name in the graph."""
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(_ascii_same_length(question))]
    normal = [(name_tokens(text) or [""])[0] for _, _, text in tokens]
    resolver = kg.resolver
    mentions: list[Mention] = []
    i = 0
    while i < len(tokens):
        for j in range(min(len(tokens), i + _MAX_SPAN), i, -1):
            key = "".join(normal[i:j])
            entries = resolver.by_key(key)
            if not entries:
                continue
            span = question[tokens[i][0] : tokens[j - 1][1]]
            if j - i == 1 and key in _COMMON_WORDS and not span.isupper():
                continue
            entry = min(entries, key=lambda e: (e.node_type not in _FACET_OF_TYPE, not e.is_label))
            mentions.append(
                Mention(span, tokens[i][0], tokens[j - 1][1], entry.entity_id, entry.label, entry.node_type)
            )
            i = j
            break
        else:
            i += 1
    return mentions


def _most_specific(kg: KnowledgeGraph, diseases: list[str]) -> str:
    for disease in diseases:
        if not any(disease in kg.hierarchy.ancestors(other) for other in diseases if other != disease):
            return disease
    return diseases[0]


def ask(
    kg: KnowledgeGraph, question: str, *, offset: int = 0, limit: int = 20, include_related: bool = True
) -> dict[str, Any]:
    """Answer a free-text question: what was recognised, how it was read, and the ranked evidence."""
    if not question or is_blank(question):
        raise InvalidQueryError("q", question, "a non-empty question")
    if len(question) > MAX_QUESTION_LENGTH:
        raise InvalidQueryError("q", f"{question[:40]}…", f"a question of at most {MAX_QUESTION_LENGTH} characters")
    mentions = recognise(kg, question)
    used = [m for m in mentions if m.facet]
    if not used:
        words = [w for w in _TOKEN.findall(question) if len(w) >= 4]
        hints = sorted({s for w in words for s in kg.resolver.suggest(w, limit=1)})
        hint = f" (did you mean: {', '.join(hints[:5])}?)" if hints else ""
        raise InvalidQueryError(
            "q", question, f"a question naming a drug, gene, alteration or disease in the graph{hint}"
        )
    therapy = tuple(dict.fromkeys(m.entity for m in used if m.facet == "therapy"))
    alteration = tuple(dict.fromkeys(m.entity for m in used if m.facet == "alteration"))
    diseases = list(dict.fromkeys(m.entity for m in used if m.facet == "disease"))
    disease = _most_specific(kg, diseases) if diseases else None
    filters: dict[str, tuple[Any, ...]] = {}
    for pattern, name, value in _CUES:
        if pattern.search(question):
            filters.setdefault(name, ())
            filters[name] = (*filters[name], value)
    query = EvidenceQuery(
        therapy=therapy,
        alteration=alteration,
        disease=disease,
        evidence_type=tuple(EvidenceType(v) for v in filters.get("evidence_type", ())),
        significance=tuple(Significance(v) for v in filters.get("significance", ())),
        include_related=include_related,
        offset=offset,
        limit=limit,
    )
    answer = find_evidence(kg, query)
    dropped_filters = False
    if answer.total == 0 and filters:
        query = EvidenceQuery(
            therapy=therapy,
            alteration=alteration,
            disease=disease,
            include_related=include_related,
            offset=offset,
            limit=limit,
        )
        answer = find_evidence(kg, query)
        dropped_filters = True
    result = answer.to_dict()
    ignored = [m for m in mentions if not m.facet] + [m for m in used if m.facet == "disease" and m.entity != disease]
    reading = "; ".join(
        f"{facet}: {', '.join(kg.resolver.label(e) for e in entities)}"
        for facet, entities in (
            ("therapy", therapy),
            ("alteration", alteration),
            ("disease", (disease,) if disease else ()),
        )
        if entities
    )
    if filters:
        cue_text = ", ".join(f"{name} = {'/'.join(values)}" for name, values in filters.items())
        reading += f"; filters from wording: {cue_text}" + (
            " (dropped: nothing matched with them)" if dropped_filters else ""
        )
    return {
        "question": question,
        "recognised": [m.to_dict() for m in used if m not in ignored],
        "ignored": [
            {
                **m.to_dict(),
                "reason": "not a query facet"
                if not m.facet
                else "one disease per question: the most specific named one is used",
            }
            for m in ignored
        ],
        "interpretation": reading,
        **result,
    }
