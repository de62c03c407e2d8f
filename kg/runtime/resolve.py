"""Names → entities: the one place synonyms are resolved.

The query engine, the free-text ``ask``, the API's ``/entities`` search and
the graph view all resolve names here, so "aumolertinib", "HS-10296" and
"Almonertinib" land on one drug everywhere, and "HER-2", "HER2" and "ERBB2"
on one gene.

Names are compared by a *key*: Unicode-folded, lower-cased, punctuation
and hyphens dropped, plural and participle forms folded ("HER2-amplified"
and "HER2 amplification" share the key ``her2amplification``). Identifiers
resolve too: our own CURIEs and verified external ones (``DOID:3908``).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kg.core.errors import UnknownEntityError
from kg.core.vocab import NodeType
from kg.graph.internals import EvidenceGraph

__all__ = ["NAMED_TYPES", "WORD_FORMS", "EntityName", "Resolver", "name_key", "name_tokens"]

#: Node types that are looked up by name.
NAMED_TYPES: frozenset[NodeType] = frozenset(
    {
        NodeType.DRUG,
        NodeType.DRUG_CLASS,
        NodeType.GENE,
        NodeType.ALTERATION,
        NodeType.MOLECULAR_PROFILE,
        NodeType.DISEASE,
        NodeType.ANATOMICAL_SITE,
        NodeType.PATHWAY,
        NodeType.ADVERSE_EVENT,
        NodeType.RESISTANCE_MECHANISM,
        NodeType.STUDY,
    }
)

_NON_WORD = re.compile(r"[^0-9a-z]+")
#: Word forms that name the same concept in oncology questions (the graph view folds names with it too).
WORD_FORMS = {
    "amplified": "amplification",
    "amplificated": "amplification",
    "amplifications": "amplification",
    "amp": "amplification",
    "mutant": "mutation",
    "mutants": "mutation",
    "mutated": "mutation",
    "overexpressed": "overexpression",
    "overexpressing": "overexpression",
    "deleted": "deletion",
    "fused": "fusion",
    "rearranged": "rearrangement",
    "metastases": "metastasis",
    "metastatic": "metastasis",
    "tumour": "tumor",
    "tumours": "tumor",
}


#: Protein changes written as one token (G12S, I1171S, Gly12Cys, Tyr646Ser): their final "s" is serine or the
#: last letter of an amino acid, never a plural, so "KRAS G12S" keeps a key of its own apart from "KRAS G12".
_PROTEIN_CHANGE = re.compile(r"^(?:[a-z]\d+[a-z*]|[a-z]{3}\d+[a-z]{3})$")


def _singular(token: str) -> str:
    if _PROTEIN_CHANGE.match(token):
        return token
    if len(token) > 5 and token.endswith(("omas", "ias")):  # carcinomas, leukemias (but not KRAS)
        return token[:-1]
    if len(token) <= 3 or token[-1] != "s" or token.endswith(("ss", "us", "is", "as", "os")):
        return token
    if token.endswith("ies") and len(token) > 4:
        return token[:-3] + "y"
    return token[:-1]


def name_tokens(text: str) -> list[str]:
    """Normalised word tokens of a name or question."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    tokens = [token for token in _NON_WORD.split(folded) if token]
    return [WORD_FORMS.get(token, _singular(token)) for token in tokens]


def name_key(text: str) -> str:
    """The matching key of a name: tokens joined without spaces ("HER-2" and "HER2" → "her2")."""
    return "".join(name_tokens(text))


@dataclass(frozen=True)
class EntityName:
    """One name of one entity, as indexed for lookup."""

    entity_id: str
    node_type: NodeType
    name: str
    label: str
    is_label: bool


class Resolver:
    """Resolve names and identifiers to entity ids; suggest and autocomplete."""

    def __init__(self, names: Iterable[EntityName], identifiers: dict[str, str] | None = None) -> None:
        self._names: list[EntityName] = list(names)
        self._by_key: dict[str, list[EntityName]] = {}
        for entry in self._names:
            bucket = self._by_key.setdefault(name_key(entry.name), [])
            if all(other.entity_id != entry.entity_id for other in bucket):
                bucket.append(entry)
        for bucket in self._by_key.values():  # labels before synonyms
            bucket.sort(key=lambda e: (not e.is_label, e.entity_id))
        self._types: dict[str, NodeType] = {e.entity_id: e.node_type for e in self._names}
        self._labels: dict[str, str] = {e.entity_id: e.label for e in self._names}
        self._identifiers: dict[str, str] = dict(identifiers or {})
        self._spaced = sorted({(" ".join(name_tokens(e.name)), e.entity_id) for e in self._names})

    @classmethod
    def from_graph(cls, graph: EvidenceGraph) -> Resolver:
        """Index the label, synonyms and verified external ids of every named node."""
        names: list[EntityName] = []
        identifiers: dict[str, str] = {}
        named = {t.value for t in NAMED_TYPES}
        for node, data in graph.nodes(data=True):
            if data.get("type") not in named:
                continue
            node_type = NodeType(data["type"])
            record = data["record"]
            label = data["label"]
            names.append(EntityName(node, node_type, label, label, True))
            for synonym in getattr(record, "synonyms", ()):
                names.append(EntityName(node, node_type, synonym, label, False))
            for xref in getattr(record, "xrefs", ()):
                if xref.status.value != "unverified":
                    identifiers.setdefault(xref.id.lower(), node)
        return cls(names, identifiers)

    # -- lookups -----------------------------------------------------------------
    def node_type(self, entity_id: str) -> NodeType | None:
        """Type of a known entity id."""
        return self._types.get(entity_id)

    def label(self, entity_id: str) -> str:
        """Preferred label of a known entity id (the id itself when unknown)."""
        return self._labels.get(entity_id, entity_id)

    def reference(self, entity_id: str) -> dict[str, str]:
        """``{"id", "label", "type"}`` of an entity: what an API answer shows so a client can follow it."""
        node_type = self._types.get(entity_id)
        return {"id": entity_id, "label": self.label(entity_id), "type": node_type.value if node_type else ""}

    def references(self, names: Iterable[str]) -> list[dict[str, str]]:
        """:meth:`reference` of the first entity not yet listed that each name resolves to; unknown names are left out."""
        refs: dict[str, dict[str, str]] = {}
        for name in names:
            entity = next((found for found in self.resolve(name) if found not in refs), None)
            if entity is not None:
                refs[entity] = self.reference(entity)
        return list(refs.values())

    def by_key(self, key: str) -> Sequence[EntityName]:
        """Names whose key equals ``key`` (labels first)."""
        return self._by_key.get(key, ())

    def keys(self) -> Iterable[str]:
        """Every indexed name key (for dictionary-based entity recognition)."""
        return self._by_key.keys()

    def resolve(self, text: str, types: Iterable[NodeType] | None = None) -> list[str]:
        """Every entity id the text names (an id, a verified external id, a label or synonym)."""
        allowed = set(types) if types is not None else None
        candidate = text.strip()
        found: list[str] = []
        if candidate in self._types:
            found.append(candidate)
        elif candidate.lower() in self._identifiers:
            found.append(self._identifiers[candidate.lower()])
        else:
            found = [entry.entity_id for entry in self.by_key(name_key(candidate))]
        return [entity for entity in found if allowed is None or self._types.get(entity) in allowed]

    def resolve_one(self, text: str, types: Sequence[NodeType], kind: str) -> str:
        """The single best entity for ``text`` among ``types`` (first type preferred).

        Raises :class:`UnknownEntityError` with "did you mean" suggestions.
        """
        found = self.resolve(text, types)
        if not found:
            raise UnknownEntityError(text, kind, self.suggest(text, types))
        order = {node_type: rank for rank, node_type in enumerate(types)}
        return min(found, key=lambda entity: order.get(self._types[entity], len(order)))

    def suggest(self, text: str, types: Iterable[NodeType] | None = None, limit: int = 5) -> list[str]:
        """Labels of the entities whose names are closest to ``text``."""
        return [self.label(entity) for entity, _ in self.search(text, types, limit)]

    def search(self, text: str, types: Iterable[NodeType] | None = None, limit: int = 10) -> list[tuple[str, str]]:
        """Autocomplete: (entity id, how it matched) for exact, prefix, word-prefix, then fuzzy matches."""
        allowed = set(types) if types is not None else None
        query = " ".join(name_tokens(text))
        if not query:
            return []
        results: dict[str, str] = {}

        def add(entity: str, how: str) -> None:
            if entity not in results and (allowed is None or self._types.get(entity) in allowed):
                results[entity] = how

        for entity in self.resolve(text, allowed):
            add(entity, "exact")
        for spaced, entity in self._spaced:
            if spaced.startswith(query):
                add(entity, "prefix")
        for spaced, entity in self._spaced:
            if f" {query}" in f" {spaced}":
                add(entity, "word prefix")
        if len(results) < limit:
            choices = [spaced for spaced, _ in self._spaced]
            for close in difflib.get_close_matches(query, choices, n=limit * 2, cutoff=0.6):
                for spaced, entity in self._spaced:
                    if spaced == close:
                        add(entity, "fuzzy")
        return list(results.items())[:limit]
