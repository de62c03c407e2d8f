"""Find the curated record a CIViC entity is the same as: by identifier first, then by name.

Rules, in order, for genes, diseases, drugs, alterations, molecular
profiles and sources:

1. **identifier**: an external id CIViC gives (DOID, NCBIGene, PMID, civic
   ids, ClinVar, CAID) equals an xref of exactly one curated record;
2. **name**: the CIViC name's key (see :mod:`kg.civic.names`) equals the key
   of exactly one curated record's label or synonym (for alterations: within
   the same gene, with the gene name stripped from curated labels);
   a name match is refused when both sides carry an id of the same
   namespace that differ (CIViC DOID:3905 vs curated DOID:1324): a
   conflict, reported, never merged.

A key that points at several curated records is ambiguous and merges
nothing. Every outcome is returned as a :class:`Decision`, so the report can
list merges with their rule and what stayed apart and why.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from kg.civic.names import drug_key, name_key, strip_gene_prefix
from kg.core.identifiers import prefix_of
from kg.core.vocab import NodeType
from kg.model import Alteration, Corpus, Entity, Gene, Source

__all__ = ["CuratedIndex", "Decision"]

#: Record types the importer reconciles, with the key function for their names.
_KEYS: dict[NodeType, Callable[[str], str]] = {
    NodeType.GENE: name_key,
    NodeType.DISEASE: name_key,
    NodeType.DRUG: drug_key,
    NodeType.DRUG_CLASS: drug_key,  # CIViC lists classes among therapies ("Chemotherapy")
    NodeType.ALTERATION: name_key,
    NodeType.MOLECULAR_PROFILE: name_key,
    NodeType.SOURCE: name_key,
}


@dataclass(frozen=True)
class Decision:
    """How one CIViC entity was reconciled: merged into ``curated_id`` by ``rule``, or not (``curated_id`` None)."""

    node_type: NodeType
    civic_label: str
    curated_id: str | None
    rule: str  # "identifier", "name", or why not: "no match", "ambiguous", "conflicting identifier"
    detail: str = ""

    @property
    def merged(self) -> bool:
        return self.curated_id is not None


@dataclass
class CuratedIndex:
    """Curated records indexed by their external ids and their name keys."""

    corpus: Corpus
    by_xref: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    by_name: dict[tuple[NodeType, str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    xref_prefixes: dict[str, dict[str, set[str]]] = field(default_factory=dict)  # record id → prefix → ids

    @classmethod
    def build(cls, corpus: Corpus) -> CuratedIndex:
        """Index every gene, disease, drug, alteration, molecular profile and source of ``corpus``."""
        index = cls(corpus)
        for node_type, key in _KEYS.items():
            for record in corpus.table(node_type).values():
                xrefs = getattr(record, "xrefs", ())
                prefixes: dict[str, set[str]] = defaultdict(set)
                for xref in xrefs:
                    index.by_xref[xref.id].add(record.id)
                    prefixes[prefix_of(xref.id)].add(xref.id)
                index.xref_prefixes[record.id] = prefixes
                for scope, name in index._names(record):
                    if name_value := key(name):
                        index.by_name[(node_type, scope, name_value)].add(record.id)
        return index

    def _names(self, record: object) -> Iterable[tuple[str, str]]:
        """(scope, name) pairs a record can be matched by; scope is the gene id for alterations."""
        if isinstance(record, Alteration):
            gene = self.corpus.genes.get(record.gene)
            gene_names = gene.all_names() if isinstance(gene, Gene) else (record.gene.split(":", 1)[1],)
            if isinstance(gene, Gene):
                gene_names = (*gene_names, gene.symbol)
            if record.variant:
                yield record.gene, record.variant
            for name in record.all_names():
                stripped = strip_gene_prefix(name, gene_names)
                if stripped:
                    yield record.gene, stripped
            return
        if isinstance(record, Gene):
            yield "", record.symbol
        if isinstance(record, Entity):
            for name in record.all_names():
                yield "", name
        elif isinstance(record, Source):
            return  # sources are matched by identifier only: citations like "Yu et al., 2013" are not unique
        else:
            label = getattr(record, "label", None) or getattr(record, "expression", None)
            if label:
                yield "", label

    def reconcile(
        self,
        node_type: NodeType,
        civic_label: str,
        identifiers: Iterable[str] = (),
        names: Iterable[str] = (),
        scope: str = "",
    ) -> Decision:
        """Decide whether the CIViC entity named ``civic_label`` is a curated record."""
        identifiers = tuple(identifiers)
        by_id: set[str] = set()
        for identifier in identifiers:
            by_id |= {rid for rid in self.by_xref.get(identifier, ()) if self._type_of(rid) is node_type}
        if len(by_id) == 1:
            found = next(iter(by_id))
            hits = [i for i in identifiers if found in self.by_xref.get(i, ())]
            return Decision(node_type, civic_label, found, "identifier", ", ".join(hits))
        if len(by_id) > 1:
            return Decision(node_type, civic_label, None, "ambiguous", f"identifiers match {sorted(by_id)}")
        key = _KEYS[node_type]
        candidates: set[str] = set()
        matched_name = ""
        for name in names:
            found_ids = self.by_name.get((node_type, scope, key(name)), set())
            if found_ids and not candidates:
                matched_name = name
            candidates |= found_ids
        if not candidates:
            return Decision(node_type, civic_label, None, "no match")
        if len(candidates) > 1:
            return Decision(node_type, civic_label, None, "ambiguous", f"name matches {sorted(candidates)}")
        found = next(iter(candidates))
        ours = {prefix_of(i): i for i in identifiers}
        theirs = self.xref_prefixes.get(found, {})
        for prefix, value in ours.items():
            if theirs.get(prefix) and value not in theirs[prefix]:
                return Decision(
                    node_type,
                    civic_label,
                    None,
                    "conflicting identifier",
                    f"name matches {found}, but CIViC gives {value} and the curated record {sorted(theirs[prefix])}",
                )
        return Decision(node_type, civic_label, found, "name", f"{matched_name!r}")

    def _type_of(self, record_id: str) -> NodeType | None:
        record = self.corpus.get(record_id)
        return None if record is None else record.node_type
