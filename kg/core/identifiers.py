"""CURIEs: the frozen prefix map of evidence-kg and helpers around it.

Our own records use one short prefix per node type (``drug:pyrotinib``,
``ev:pan-zhou-2024-chictr-orr``), all under :data:`kg.core.vocab.EKG_BASE`.
External identifiers use Biolink-style prefixes (``DOID:3908``,
``HGNC:3430``, ``PMID:14679114``). The map is frozen here, not fetched:
``curies.get_obo_converter()`` and Bioregistry downloads would break the
offline promise. Each external prefix carries a regular expression for its
local part, so a typo such as ``DOID:39O8`` is caught at load time.
"""

from __future__ import annotations

import re
from functools import cache

import curies

from kg.core.vocab import EKG_BASE, NodeType

__all__ = [
    "CURIE_PATTERN",
    "EXTERNAL_PREFIXES",
    "compress",
    "converter",
    "expand",
    "explain_curie_problem",
    "is_known_curie",
    "local_id",
    "node_type_of",
    "own_prefixes",
    "prefix_of",
]

#: Syntax of a CURIE as we accept it: ``prefix:local``.
CURIE_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_.]*:[^\s:<>\"{}|\\^`][^\s<>\"{}|\\^`]*$")

# prefix, URI prefix, synonyms accepted on input, pattern of the local part
EXTERNAL_PREFIXES: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("DOID", "http://purl.obolibrary.org/obo/DOID_", ("doid",), r"^\d+$"),
    ("NCIT", "http://purl.obolibrary.org/obo/NCIT_", ("ncit", "NCIt"), r"^C\d+$"),
    ("MONDO", "http://purl.obolibrary.org/obo/MONDO_", ("mondo",), r"^\d{7}$"),
    ("HP", "http://purl.obolibrary.org/obo/HP_", ("hp",), r"^\d{7}$"),
    ("GO", "http://purl.obolibrary.org/obo/GO_", ("go",), r"^\d{7}$"),
    ("SO", "http://purl.obolibrary.org/obo/SO_", ("so",), r"^\d{7}$"),
    ("CHEBI", "http://purl.obolibrary.org/obo/CHEBI_", ("chebi",), r"^\d+$"),
    ("UBERON", "http://purl.obolibrary.org/obo/UBERON_", ("uberon",), r"^\d{7}$"),
    ("HGNC", "http://identifiers.org/hgnc/", ("hgnc",), r"^\d+$"),
    ("NCBIGene", "http://identifiers.org/ncbigene/", ("ncbigene", "entrez"), r"^\d+$"),
    ("DRUGBANK", "http://identifiers.org/drugbank/", ("drugbank",), r"^DB\d{5}$"),
    ("CHEMBL.COMPOUND", "http://identifiers.org/chembl.compound/", ("chembl.compound", "chembl"), r"^CHEMBL\d+$"),
    ("UMLS", "http://identifiers.org/umls/", ("umls",), r"^C\d{7}$"),
    ("RXCUI", "http://purl.bioontology.org/ontology/RXNORM/", ("rxnorm", "RxNorm"), r"^\d+$"),
    ("UNII", "http://identifiers.org/unii/", ("unii", "FDA_UNII"), r"^[0-9A-Z]{10}$"),
    ("REACT", "http://identifiers.org/reactome/", ("reactome",), r"^R-[A-Z]{3}-\d+$"),
    (
        "CAID",
        "http://reg.clinicalgenome.org/redmine/projects/registry/genboree_registry/by_caid?caid=",
        ("caid",),
        r"^CA\d+$",
    ),
    ("ClinVarVariant", "http://www.ncbi.nlm.nih.gov/clinvar/variation/", ("clinvar",), r"^\d+$"),
    ("DBSNP", "http://identifiers.org/dbsnp/", ("dbsnp",), r"^rs\d+$"),
    ("PMID", "http://www.ncbi.nlm.nih.gov/pubmed/", ("pubmed", "pmid"), r"^\d+$"),
    ("doi", "https://doi.org/", ("DOI",), r"^10\.\d{2,9}/.+$"),
    ("clinicaltrials", "https://clinicaltrials.gov/study/", ("NCT", "nct"), r"^NCT\d{8}$"),
    ("civic.eid", "https://civicdb.org/links/evidence_items/", (), r"^\d+$"),
    ("civic.aid", "https://civicdb.org/links/assertions/", (), r"^\d+$"),
    ("civic.mpid", "https://civicdb.org/links/molecular_profiles/", (), r"^\d+$"),
    ("civic.vid", "https://civicdb.org/links/variants/", (), r"^\d+$"),
    ("civic.gid", "https://civicdb.org/links/genes/", (), r"^\d+$"),
    ("civic.sid", "https://civicdb.org/links/sources/", (), r"^\d+$"),
)


@cache
def own_prefixes() -> dict[str, NodeType]:
    """Our own CURIE prefixes, each naming the node type it identifies."""
    return {node_type.info.id_prefix: node_type for node_type in NodeType}


@cache
def converter() -> curies.Converter:
    """The frozen converter: our prefixes plus the external ones above."""
    records = [{"prefix": prefix, "uri_prefix": f"{EKG_BASE}{prefix}/"} for prefix in own_prefixes()] + [
        {"prefix": prefix, "uri_prefix": uri, "prefix_synonyms": list(synonyms), "pattern": pattern}
        for prefix, uri, synonyms, pattern in EXTERNAL_PREFIXES
    ]
    return curies.Converter.from_extended_prefix_map(records)


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    return {prefix: re.compile(pattern) for prefix, _, _, pattern in EXTERNAL_PREFIXES}


def prefix_of(curie: str) -> str:
    """The prefix of a CURIE (``"DOID:3908"`` → ``"DOID"``)."""
    return curie.split(":", 1)[0]


def local_id(curie: str) -> str:
    """The local part of a CURIE (``"DOID:3908"`` → ``"3908"``)."""
    return curie.split(":", 1)[1]


def node_type_of(curie: str) -> NodeType | None:
    """The node type an own-prefix CURIE identifies, or ``None`` for external ids."""
    return own_prefixes().get(prefix_of(curie))


def explain_curie_problem(curie: str) -> str | None:
    """Why ``curie`` is not acceptable, or ``None`` when it is.

    Checks syntax, that the prefix is in the frozen map (synonyms such as
    ``doid`` must be written in their standard form ``DOID``) and, for
    external prefixes, the pattern of the local part.
    """
    if not isinstance(curie, str) or not CURIE_PATTERN.match(curie):
        return "a CURIE of the form prefix:local_id with no spaces"
    prefix = prefix_of(curie)
    standard = converter().standardize_prefix(prefix)
    if standard is None:
        known = sorted(converter().get_prefixes())
        return f"a known CURIE prefix, one of {', '.join(known)}"
    if standard != prefix:
        return f"the standard prefix {standard!r} instead of {prefix!r}"
    pattern = _patterns().get(prefix)
    if pattern is not None and not pattern.match(local_id(curie)):
        return f"a {prefix} local id matching {pattern.pattern}"
    return None


def is_known_curie(curie: str) -> bool:
    """Whether ``curie`` is syntactically valid and uses a known, standard prefix."""
    return explain_curie_problem(curie) is None


@cache
def _uri_prefixes() -> dict[str, str]:
    """Prefix (and prefix synonym) → URI prefix, read once: ``Converter.expand`` rebuilds this map on every call."""
    return dict(converter().prefix_map)


def expand(curie: str) -> str:
    """The IRI of a CURIE; raises ``ValueError`` for an unknown prefix."""
    prefix, colon, local = curie.partition(":")
    uri_prefix = _uri_prefixes().get(prefix) if colon else None
    if uri_prefix is None:
        raise ValueError(f"cannot expand CURIE {curie!r}: unknown prefix")
    return uri_prefix + local


def compress(iri: str) -> str | None:
    """The CURIE of an IRI, or ``None`` when no prefix covers it."""
    return converter().compress(iri)
