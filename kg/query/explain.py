"""Why a result matched: per facet, the term it matched and a sentence saying how.

A researcher should not have to guess why a breast-cancer trial appears in
an answer about NSCLC. Each result carries, for every asked term, the tier
(exact, narrower, broader, related, unmatched), the item's own term that
produced it, and a plain sentence: "lung adenocarcinoma is a subtype of
non-small cell lung carcinoma", "given in combination with almonertinib",
"same gene (ERBB2), another alteration: ERBB2 mutation".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from pydantic import ConfigDict, Field, with_config
from typing_extensions import TypedDict

from kg.model import EvidenceItem
from kg.query.engine import ResultRow
from kg.query.facets import Facet, MatchKind, Slot, related_drugs

if TYPE_CHECKING:
    from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = ["MatchExplanation", "Named", "explain_facet", "explain_row", "item_terms"]

_FORBID = ConfigDict(extra="forbid")


@with_config(_FORBID)
class Named(TypedDict):
    """An entity by id and label."""

    id: str
    label: str


@with_config(_FORBID)
class MatchExplanation(TypedDict):
    """Why a result matched one asked term: the tier and a sentence."""

    facet: Annotated[str, Field(examples=["disease"])]
    asked: Named
    match: Annotated[str, Field(description="exact, narrower, broader, related or unmatched", examples=["exact"])]
    matched: Named | None
    note: Annotated[str, Field(examples=["lung adenocarcinoma is a subtype of non-small cell lung carcinoma"])]


def item_terms(kg: KnowledgeGraph, item: EvidenceItem, slot: Slot) -> list[str]:
    """The item's own terms on one facet (including those reached through its resistance mechanism)."""
    mechanism = kg.corpus.resistance_mechanisms.get(item.mechanism) if item.mechanism else None
    if slot is Slot.THERAPY:
        return [*item.therapy, *item.therapy_classes, *(mechanism.confers_resistance_to if mechanism else ())]
    if slot is Slot.ALTERATION:
        extra = [mechanism.alteration] if mechanism and mechanism.alteration else []
        return [*item.alterations, *item.genes, *extra]
    return [item.disease] if item.disease else []


def _gene(kg: KnowledgeGraph, term: str) -> str | None:
    record = kg.corpus.alterations.get(term)
    if record is not None:
        return record.gene
    return term if term in kg.corpus.genes else None


def _best_term(kg: KnowledgeGraph, facet: Facet, terms: list[str], kind: MatchKind) -> str | None:
    hierarchy = kg.hierarchy
    asked = facet.asked
    for term in terms:
        relation = hierarchy.relation(asked, term)
        if kind is MatchKind.EXACT and relation is not None and relation.value == "exact":
            return term
        if kind is MatchKind.NARROWER and (
            (relation is not None and relation.value == "narrower") or _gene(kg, term) == asked
        ):
            return term
        if kind is MatchKind.BROADER and (
            (relation is not None and relation.value == "broader") or term == _gene(kg, asked)
        ):
            return term
    if kind is MatchKind.RELATED:
        if facet.slot is Slot.THERAPY:
            related = related_drugs(kg, asked)
            return next((term for term in terms if term in related), None)
        if facet.slot is Slot.ALTERATION:
            gene = _gene(kg, asked)
            return next((term for term in terms if _gene(kg, term) == gene), None)
        return terms[0] if terms else None
    return None


def _note(kg: KnowledgeGraph, item: EvidenceItem, facet: Facet, kind: MatchKind, matched: str | None) -> str:
    label = kg.resolver.label
    asked, found = label(facet.asked), label(matched) if matched else None
    if kind is MatchKind.UNMATCHED:
        return f"does not address {asked}"
    if facet.slot is Slot.THERAPY:
        given = (*item.therapy, *item.therapy_classes)
        if matched and matched not in given:
            return f"a resistance mechanism of {found} ({label(item.mechanism or '')})"
        partners = [label(drug) for drug in given if drug != matched]
        base = {
            MatchKind.EXACT: f"about {asked}",
            MatchKind.NARROWER: f"{found} is a {asked}",
            MatchKind.BROADER: f"about {found}, which includes {asked}",
            MatchKind.RELATED: f"{found} shares a target or drug class with {asked}",
        }[kind]
        if partners and item.is_combination():
            return f"{base}, given in combination with {', '.join(partners)}"
        if partners:
            interaction = item.therapy_interaction.value if item.therapy_interaction else "listed"
            return f"{base} ({interaction} with {', '.join(partners)})"
        return base
    if facet.slot is Slot.ALTERATION:
        others = [label(a) for a in item.alterations if a != matched]
        co = f"; co-occurring with {', '.join(others)}" if others and item.alteration_logic.value == "all" else ""
        return {
            MatchKind.EXACT: f"about {asked}{co}",
            MatchKind.NARROWER: f"{found} is a kind of {asked}{co}",
            MatchKind.BROADER: f"about {found}, broader than {asked}{co}",
            MatchKind.RELATED: f"same gene, another alteration: {found}{co}",
        }[kind]
    if kind is MatchKind.RELATED:
        return f"another disease: {found}" if found else "no disease stated"
    return {
        MatchKind.EXACT: f"about {asked}",
        MatchKind.NARROWER: f"{found} is a subtype of {asked}",
        MatchKind.BROADER: f"about {found}, which includes {asked}",
    }[kind]


def explain_facet(kg: KnowledgeGraph, item: EvidenceItem, slot: Slot, asked: str, kind: MatchKind) -> MatchExplanation:
    """How ``item`` matched one asked term: it depends on the item, the term's slot and id, and the tier only.

    So an answer can keep it per (item, term, tier) and reuse it in every
    question that asks that term (:mod:`kg.query.answer`).
    """
    terms = item_terms(kg, item, slot)
    facet = Facet(slot, asked, (), None)  # the explanation reads only the facet's slot and asked term
    matched = None if kind is MatchKind.UNMATCHED else _best_term(kg, facet, terms, kind)
    return {
        "facet": slot.value,
        "asked": {"id": asked, "label": kg.resolver.label(asked)},
        "match": kind.value,
        "matched": {"id": matched, "label": kg.resolver.label(matched)} if matched else None,
        "note": _note(kg, item, facet, kind, matched),
    }


def explain_row(kg: KnowledgeGraph, item: EvidenceItem, facets: list[Facet], row: ResultRow) -> list[MatchExplanation]:
    """Per facet: asked term, tier, matched term and a sentence."""
    return [
        explain_facet(kg, item, facet.slot, facet.asked, kind) for facet, kind in zip(facets, row.kinds, strict=True)
    ]
