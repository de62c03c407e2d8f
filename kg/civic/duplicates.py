"""The duplicate audit: every pair of entities that a name or a verified id still joins after the import, decided.

Two nodes that share a name (as the resolver folds names: case, hyphens,
plurals, :func:`kg.runtime.resolve.name_key`) or a verified external id are
either one thing imported twice or two things a name confuses. The importer
merges what it knows to be one (curated reconciliation, therapy names,
salts, one allele under two names); this audit lists what is left, over the
final records, so nothing is merged or kept apart silently. Each pair gets
a decision from the first rule that applies:

- ``hierarchy``: one is a kind of the other (KRAS G12 lists the ClinVar id
  of G12C; a codon and its change);
- ``distinct``: a curated table row says so, with its reason
  (``therapy_names.tsv``, ``variant_decisions.tsv``), or the data do:
  different DOIDs, different ClinGen alleles, different genes, a dbSNP id
  (which names a position, not a change), the same protein change from
  different DNA changes, or a molecular-profile alias CIViC gives without
  its gene;
- ``undecided``: none applies. The report lists these first; the test suite
  requires there are none in the bundled release.

Drug names are also compared without salt words, without NCIt's
``Compound`` suffix, and by a trailing code (``ALK Inhibitor TAE684`` vs
``TAE684``), because those are the ways CIViC names one drug twice.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from kg.civic.names import SALT_WORDS, drug_key, resolver_key
from kg.civic.therapies import TherapyRule
from kg.core.identifiers import prefix_of
from kg.core.vocab import NodeType
from kg.model import Alteration, Entity, MolecularProfile, Node
from kg.model.terms import Verification

__all__ = ["Collision", "audit_duplicates"]

#: Node types compared with each other (a drug and a drug class can be one thing).
_GROUPS: dict[NodeType, str] = {
    NodeType.DRUG: "therapy",
    NodeType.DRUG_CLASS: "therapy",
    NodeType.GENE: "gene",
    NodeType.DISEASE: "disease",
    NodeType.ALTERATION: "alteration",
    NodeType.MOLECULAR_PROFILE: "molecular profile",
}
_CODE = re.compile(r"^(?=.*\d)[a-z0-9]{4,}$")
_BRACKET = re.compile(r"^(.*?)\s*\((.*)\)\s*$")


@dataclass(frozen=True)
class Collision:
    """Two entities joined by ``shared`` (a name key or an identifier), and what was decided."""

    group: str
    a: str
    b: str
    shared: str
    decision: str  # hierarchy, distinct, undecided
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {
            "type": self.group,
            "a": self.a,
            "b": self.b,
            "shared": self.shared,
            "decision": self.decision,
            "reason": self.reason,
        }


def _therapy_keys(name: str) -> Iterator[tuple[str, str]]:
    """Extra keys of a therapy name: without salt words, without 'Compound', its trailing code."""
    words = name.split()
    while len(words) > 1 and words[-1].casefold() in SALT_WORDS | {"acetate"}:
        words = words[:-1]
    if len(words) < len(name.split()):
        yield f"salt form of {' '.join(words)!r}", resolver_key(" ".join(words))
    if len(words) > 1 and words[-1].casefold() == "compound":
        yield f"{' '.join(words[:-1])!r} with NCIt's 'Compound'", resolver_key(" ".join(words[:-1]))
    last = re.sub(r"[^a-z0-9]", "", words[-1].casefold()) if len(words) > 1 else ""
    if _CODE.match(last):
        yield f"the code {words[-1]!r}", last


def _keys(record: Entity, group: str) -> Iterator[tuple[tuple[str, str], str]]:
    """((scope, key), what is shared) for every name and verified id of ``record``."""
    scope = record.gene if isinstance(record, Alteration) else ""
    for name in record.all_names():
        if name.startswith(("drug:", "alt:", "mp:")) and ":" in name:
            continue  # a former id kept as a synonym
        yield (scope, resolver_key(name)), f"the name {name!r}"
        if group == "therapy":
            for what, key in _therapy_keys(name):
                yield (scope, key), what
    for xref in record.xrefs:
        if xref.status is not Verification.UNVERIFIED:
            yield ("xref", xref.id), xref.id


def _ancestors(records: dict[str, Entity]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}

    def visit(node: str, path: frozenset[str]) -> set[str]:
        if node in found:
            return found[node]
        result: set[str] = set()
        for parent in getattr(records.get(node), "parents", ()):
            if parent not in path:
                result |= {parent} | visit(parent, path | {parent})
        found[node] = result
        return result

    for node in records:
        visit(node, frozenset({node}))
    return found


def _prefixed(record: Entity, prefix: str) -> set[str]:
    return {x.id for x in record.xrefs if prefix_of(x.id) == prefix and x.status is not Verification.UNVERIFIED}


def _protein_and_dna(label: str) -> tuple[str, str]:
    match = _BRACKET.match(label)
    return (match.group(1).strip(), match.group(2).strip()) if match else (label, "")


def _genes(record: Entity, records: dict[str, Entity]) -> set[str]:
    if isinstance(record, MolecularProfile):
        return {getattr(records.get(a), "gene", "") for a in (*record.alterations, *record.negated)} - {""}
    return {record.gene} if isinstance(record, Alteration) else set()


def _decide(
    a: Entity,
    b: Entity,
    shared: str,
    records: dict[str, Entity],
    ancestors: dict[str, set[str]],
    therapy_rules: dict[str, TherapyRule],
    variant_distinct: dict[frozenset[str], str],
) -> tuple[str, str]:
    if b.id in ancestors.get(a.id, set()) or a.id in ancestors.get(b.id, set()):
        narrow, broad = (a, b) if b.id in ancestors.get(a.id, set()) else (b, a)
        return "hierarchy", f"{narrow.id} is a kind of {broad.id}"
    if isinstance(a, MolecularProfile) and isinstance(b, MolecularProfile):
        single = (a.alterations, b.alterations)
        if all(len(x) == 1 and not p.negated for x, p in zip(single, (a, b), strict=True)):
            (first,), (second,) = single
            if second in ancestors.get(first, set()) or first in ancestors.get(second, set()):
                narrow_mp, broad_mp = (a, b) if second in ancestors.get(first, set()) else (b, a)
                return "hierarchy", f"{narrow_mp.id} is the profile of a kind of {broad_mp.id}'s variant"
    pair = frozenset({a.id, b.id})
    if pair in variant_distinct:
        return "distinct", f"variant_decisions.tsv: {variant_distinct[pair]}"
    for one, other in ((a, b), (b, a)):
        for name in one.all_names():
            rule = therapy_rules.get(drug_key(name))
            if (
                rule is not None
                and rule.decision == "distinct"
                and (not rule.target or drug_key(rule.target) in {drug_key(n) for n in other.all_names()})
            ):
                return "distinct", f"therapy_names.tsv: {rule.reason}"
    for prefix, why in (("DOID", "different DOIDs"), ("CAID", "different ClinGen alleles (CAIDs differ)")):
        ours, theirs = _prefixed(a, prefix), _prefixed(b, prefix)
        if ours and theirs and not ours & theirs:
            return "distinct", why
    genes_a, genes_b = _genes(a, records), _genes(b, records)
    if genes_a and genes_b and not genes_a & genes_b:
        if isinstance(a, MolecularProfile):
            return "distinct", "profiles of different genes: an alias CIViC gives without its gene"
        return "distinct", "different genes (CIViC lists the one identifier under both)"
    if prefix_of(shared) == "DBSNP":
        return "distinct", "a dbSNP id names a position: these are different changes at it"
    (protein_a, dna_a), (protein_b, dna_b) = _protein_and_dna(a.label), _protein_and_dna(b.label)
    if protein_a == protein_b and dna_a and dna_b and dna_a != dna_b:
        return "distinct", "the same protein change from different DNA changes (CIViC keeps both)"
    if isinstance(a, MolecularProfile) and isinstance(b, MolecularProfile) and set(a.alterations) != set(b.alterations):
        return "distinct", "profiles of different variants sharing a CIViC alias"
    return "undecided", "no rule or table row decides it"


def audit_duplicates(
    records: Iterable[Node],
    therapy_rules: dict[str, TherapyRule],
    variant_distinct: dict[frozenset[str], str],
) -> list[Collision]:
    """Every pair of entities of compatible types that share a name key or a verified id, decided."""
    entities: dict[str, Entity] = {r.id: r for r in records if isinstance(r, Entity) and r.node_type in _GROUPS}
    buckets: dict[tuple[str, str, str], dict[str, str]] = defaultdict(dict)
    for record in entities.values():
        group = _GROUPS[record.node_type]
        for (scope, key), what in _keys(record, group):
            if key:
                buckets[(group, scope, key)].setdefault(record.id, what)
    ancestors = _ancestors(entities)
    found: dict[tuple[str, str], Collision] = {}
    for (group, _, _), members in sorted(item for item in buckets.items() if len(item[1]) > 1):
        ids = sorted(members)
        for i, first in enumerate(ids):
            for second in ids[i + 1 :]:
                if (first, second) in found:
                    continue
                shared = (
                    members[first] if members[first] == members[second] else f"{members[first]} / {members[second]}"
                )
                decision, reason = _decide(
                    entities[first], entities[second], shared, entities, ancestors, therapy_rules, variant_distinct
                )
                found[(first, second)] = Collision(group, first, second, shared, decision, reason)
    order = {"undecided": 0, "distinct": 1, "hierarchy": 2}
    return sorted(found.values(), key=lambda c: (order[c.decision], c.group, c.a, c.b))
