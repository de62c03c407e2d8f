"""The benchmark questions written in SPARQL, over the RDF export, to return the engine's rows.

The evidence engine's ranking (:mod:`kg.query.engine`) is expressed in
SPARQL 1.1 so that the comparison is like for like: per asked term a
sub-select takes the *smallest* match distance of each item (exact 0,
narrower 1, broader 2, related 4–6: the same numbers and the same
precedence as the engine's disjoint buckets), through the same
``is_a``/``in_drug_class`` closure (a property path) and the same links
(an item's therapy includes the drugs its resistance mechanism resists; its
alterations include the mechanism's alteration; its genes are those of its
alterations). Items are then ordered by summed distance and the index's
static rank (level, study design, CIViC rating, has outcomes, id).

Names are resolved to IRIs in Python beforehand: SPARQL has no synonym
lookup, so the SPARQL engines are spared that step (the in-process engine
is not).
"""

from __future__ import annotations

from kg.core.vocab import EKG_BASE, EKG_VOCAB
from kg.model.terms import DESIGN_RANK

__all__ = [
    "PREFIXES",
    "curie",
    "disease_counts_query",
    "iri",
    "neighbour_query",
    "ranked_count_query",
    "ranked_evidence_query",
]

PREFIXES = (
    f"PREFIX ekg: <{EKG_VOCAB}>\n"
    "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
    "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
)
_HIERARCHY = "(ekg:isA|ekg:inDrugClass)+"
_UNSPECIFIED = "unspecified"


def iri(curie_id: str) -> str:
    """``<https://w3id.org/evidence-kg/drug/pyrotinib>`` for ``drug:pyrotinib`` (our own ids only)."""
    prefix, _, local = curie_id.partition(":")
    return f"<{EKG_BASE}{prefix}/{local}>"


def curie(value: str) -> str:
    """The CURIE of one of our IRIs (the inverse of :func:`iri`); other values unchanged."""
    if value.startswith(EKG_BASE) and not value.startswith(EKG_VOCAB):
        prefix, _, local = value[len(EKG_BASE) :].partition("/")
        return f"{prefix}:{local}"
    return value


def _terms(term: str, var: str, dist: str, related: str | None = None) -> str:
    """Bindings of ``?var`` (the term, its descendants, its ancestors) with distance ``?dist`` 0, 1, 2."""
    node = iri(term)
    branches = [
        f"{{ BIND({node} AS ?{var}) BIND(0 AS ?{dist}) }}",
        f"{{ ?{var} {_HIERARCHY} {node} . BIND(1 AS ?{dist}) }}",
        f"{{ {node} {_HIERARCHY} ?{var} . BIND(2 AS ?{dist}) }}",
    ]
    if related:
        branches.append(related)
    return "\n      UNION ".join(branches)


def _therapy_block(term: str) -> str:
    return f"""  {{ SELECT ?ev (MIN(?dt) AS ?t) WHERE {{
      {_terms(term, "drug", "dt")}
      {{ ?ev ekg:aboutTherapy ?drug }} UNION {{ ?mech ekg:confersResistanceTo ?drug . ?ev ekg:aboutMechanism ?mech }}
    }} GROUP BY ?ev }}"""


def _alteration_block(term: str, gene: str | None, is_gene: bool, include_related: bool) -> str:
    item_alteration = (
        "{ ?ev ekg:aboutAlteration ?alt } UNION { ?mech ekg:involves ?alt . ?ev ekg:aboutMechanism ?mech }"
    )
    if is_gene:  # a gene asked: gene-level items exact, items about any alteration of it narrower
        node = iri(term)
        return f"""  {{ SELECT ?ev (MIN(?da) AS ?a) WHERE {{
      {{ ?ev ekg:aboutGene {node} . BIND(0 AS ?da) }}
      UNION {{ ?alt ekg:alterationOf {node} . {item_alteration} BIND(1 AS ?da) }}
    }} GROUP BY ?ev }}"""
    related = f"{{ ?alt ekg:alterationOf {iri(gene)} . BIND(4 AS ?da) }}" if gene and include_related else None
    gene_level = f"\n      UNION {{ ?ev ekg:aboutGene {iri(gene)} . BIND(2 AS ?da) }}" if gene else ""
    return f"""  {{ SELECT ?ev (MIN(?da) AS ?a) WHERE {{
      {{ {_terms(term, "alt", "da", related)}
        {item_alteration} }}{gene_level}
    }} GROUP BY ?ev }}"""


def _disease_distance(term: str, otherwise: int) -> str:
    """The disease distance of the item's (one) disease ``?dis``, or ``otherwise`` (unbound or unrelated).

    An evidence item has one disease at most, so no minimum is needed. The
    hierarchy is tested per item, with ``?dis`` bound (``EXISTS`` over the
    ``is_a`` path): joining every item of every disease near the asked one
    (85,000 at 100×) to the matched items cost pyoxigraph 5× more.
    """
    node = iri(term)
    return (
        f"IF(!BOUND(?dis), {otherwise}, IF(?dis = {node}, 0, IF(EXISTS {{ ?dis {_HIERARCHY} {node} }}, 1, "
        f"IF(EXISTS {{ {node} {_HIERARCHY} ?dis }}, 2, {otherwise}))))"
    )


def _design_values() -> str:
    rows = " ".join(f'("{design.value}" {rank})' for design, rank in DESIGN_RANK.items())
    return f"VALUES (?design ?designRank) {{ {rows} }}"


def _match_blocks(
    therapy: str | None, alteration: str | None, gene: str | None, alteration_is_gene: bool, include_related: bool
) -> list[str]:
    blocks = []
    if therapy:
        blocks.append(_therapy_block(therapy))
    if alteration:
        blocks.append(_alteration_block(alteration, gene, alteration_is_gene, include_related))
    return blocks


def ranked_evidence_query(
    *,
    therapy: str | None,
    alteration: str | None,
    disease: str | None,
    gene: str | None = None,
    alteration_is_gene: bool = False,
    include_related: bool = True,
    offset: int = 0,
    limit: int = 20,
) -> str:
    """Top ``limit`` items for one therapy × alteration × disease question, ranked as the engine ranks.

    ``gene`` is the asked alteration's gene (for the gene-level and
    same-gene tiers). A disease facet needs another facet (as in the engine,
    where "another disease" is a tier only next to a therapy or alteration).
    """
    blocks = _match_blocks(therapy, alteration, gene, alteration_is_gene, include_related)
    if not blocks:
        raise ValueError("a ranked question needs a therapy or an alteration")
    parts = [*blocks]
    distance = " + ".join(v for v, present in (("?t", therapy), ("?a", alteration)) if present)
    if disease:
        parts.append("  OPTIONAL { ?ev ekg:aboutDisease ?dis }")
        if include_related:
            distance += f" + {_disease_distance(disease, 6)}"  # "another disease" (or none): the related tier
        else:
            parts.append(f"  BIND({_disease_distance(disease, -1)} AS ?d) FILTER(?d >= 0)")
            distance += " + ?d"
    body = "\n".join(parts)
    # Ranking keys are OPTIONAL even where always present (every item has a level): pyoxigraph then
    # looks them up per matched item instead of joining the whole ekg:level column.
    return f"""{PREFIXES}SELECT ?ev ?dist WHERE {{
  {{ SELECT ?ev ?dist WHERE {{
{body}
  BIND({distance} AS ?dist)
  }} }}
  OPTIONAL {{ ?ev ekg:level ?level }}
  OPTIONAL {{ ?ev ekg:fromStudy ?study . ?study ekg:studyDesign ?studyDesign }}
  BIND(COALESCE(?studyDesign, "{_UNSPECIFIED}") AS ?design)
  {_design_values()}
  OPTIONAL {{ ?ev ekg:rating ?rating }}
  BIND(IF(EXISTS {{ ?ev ekg:hasOutcome ?outcome }}, 0, 1) AS ?noOutcomes)
}}
ORDER BY ?dist ?level ?designRank DESC(COALESCE(?rating, 0)) ?noOutcomes STR(?ev)
OFFSET {offset} LIMIT {limit}
"""


def ranked_count_query(
    *,
    therapy: str | None,
    alteration: str | None,
    gene: str | None = None,
    alteration_is_gene: bool = False,
    include_related: bool = True,
) -> str:
    """How many items the ranked question matches (the engine's ``total``; the disease facet ranks, never filters)."""
    blocks = _match_blocks(therapy, alteration, gene, alteration_is_gene, include_related)
    body = "\n".join(blocks)
    return f"{PREFIXES}SELECT (COUNT(?ev) AS ?n) WHERE {{\n{body}\n}}\n"


def neighbour_query(center: str) -> str:
    """Every node one hop from ``center`` along a graph edge, in either direction.

    The graph's edges are the links between our own nodes (IRIs under the
    base, not the vocabulary): ``rdf:type`` objects and external ids are
    not graph nodes. ``ekg:negativeGene`` (a case event's gene tested
    negative) is in the RDF but is not an edge of the graph
    (``kg/graph/build.py`` draws no edge for ``CaseEvent.negative_genes``),
    so it is left out here to ask the same question.
    """
    node = iri(center)
    return f"""{PREFIXES}SELECT DISTINCT ?n WHERE {{
  {{ {node} ?p ?n . FILTER(?p != rdf:type) }}
  UNION {{ ?n ?p {node} . FILTER(?p != ekg:negativeGene) }}
  FILTER(isIRI(?n) && STRSTARTS(STR(?n), "{EKG_BASE}") && !STRSTARTS(STR(?n), "{EKG_VOCAB}"))
}}
"""


def disease_counts_query(drug: str) -> str:
    """Diseases of the evidence items about ``drug`` (directly, or through a resistance mechanism), with counts.

    Assertions are about therapies and diseases too: only evidence items count. Each UNION branch
    holds its whole pattern: pyoxigraph evaluates a pattern after a UNION on its own (every
    ``ekg:aboutDisease`` triple) and joins afterwards, 70× slower at 10×.
    """
    node = iri(drug)
    return f"""{PREFIXES}SELECT ?disease (COUNT(DISTINCT ?ev) AS ?n) WHERE {{
  {{ ?ev ekg:aboutTherapy {node} ; ekg:aboutDisease ?disease ; a ekg:EvidenceItem }}
  UNION {{ ?mech ekg:confersResistanceTo {node} . ?ev ekg:aboutMechanism ?mech ; ekg:aboutDisease ?disease ; a ekg:EvidenceItem }}
}}
GROUP BY ?disease
ORDER BY DESC(?n) ?disease
"""
