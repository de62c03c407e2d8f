"""CIViC variants → alteration kind and stable id slug.

CIViC names variants for people (``L858R``, ``Exon 19 Deletion``,
``Amplification``, ``EML4::ALK``, ``R200W (c.598C>T)``) and types them with
Sequence Ontology terms that are often missing. The kind is read from the
name first, because that is what CIViC curators choose with care, and from
``variant_types`` only when the name says nothing (an rs id, a splice site).
Names that fit no rule are ``other``: a wrong kind would put a variant under
a wrong parent, an ``other`` only leaves it without one.

``is_sequence_mutation`` tells whether the variant is a change of the DNA
sequence (point mutation, indel, frameshift, exon-level mutation), i.e. one
that belongs under the gene's generic "mutation" alteration; copy number,
expression, fusion and wild-type variants do not.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from kg.model.terms import AlterationKind

__all__ = ["VariantClass", "classify_variant", "is_generic_mutation_name", "variant_slug"]


@dataclass(frozen=True)
class VariantClass:
    """The kind of a variant and whether it is a sequence mutation."""

    kind: AlterationKind
    is_sequence_mutation: bool
    rule: str  # which rule decided, for the report and for debugging


_POINT = re.compile(r"^(?:P\.)?[A-Z*]\d+[A-Z*=?]$")
_OLD_DELINS = re.compile(r"^[A-Z]\d+_[A-Z]\d+>[A-Z]+$")
_POSITION_ONLY = re.compile(r"^(?:P\.)?[A-Z]\d+$")
_CDNA_SUBST = re.compile(r"(?:^|[\s(])(?:C\.|IVS)[-+*\d_?]*\d[-+\d]*[ACGT]>[ACGT]")
_RSID = re.compile(r"^RS\d+")
_DIGIT = re.compile(r"\d")
_GENERIC_MUTATION = {"MUTATION", "MUTATIONS"}

_SEQUENCE_KINDS = {
    AlterationKind.POINT_MUTATION,
    AlterationKind.FRAMESHIFT,
    AlterationKind.DELINS,
    AlterationKind.INSERTION,
    AlterationKind.DUPLICATION,
    AlterationKind.ACTIVATING_MUTATION,
    AlterationKind.MUTATION,
}

_TYPE_KINDS: tuple[tuple[str, AlterationKind], ...] = (
    ("transcript_fusion", AlterationKind.FUSION),
    ("gene_fusion", AlterationKind.FUSION),
    ("transcript_amplification", AlterationKind.AMPLIFICATION),
    ("frameshift", AlterationKind.FRAMESHIFT),
    ("inframe_deletion", AlterationKind.DELETION),
    ("inframe_insertion", AlterationKind.INSERTION),
    ("tandem_duplication", AlterationKind.DUPLICATION),
    ("delins", AlterationKind.DELINS),
    ("missense_variant", AlterationKind.POINT_MUTATION),
    ("stop_gained", AlterationKind.POINT_MUTATION),
    ("synonymous_variant", AlterationKind.POINT_MUTATION),
    ("splice_donor_variant", AlterationKind.MUTATION),
    ("splice_acceptor_variant", AlterationKind.MUTATION),
    ("transcript_ablation", AlterationKind.LOSS),
    ("wild_type", AlterationKind.WILD_TYPE),
)


def is_generic_mutation_name(variant: str) -> bool:
    """Whether a variant name means "any mutation of the gene" (CIViC's ``Mutation``)."""
    return " ".join(variant.upper().split()) in _GENERIC_MUTATION


def _protein_part(upper: str) -> tuple[str, str]:
    """``R200W (C.598C>T)`` → (``R200W``, ``C.598C>T``); names without brackets → (name, "")."""
    match = re.match(r"^(.*?)\s*\((.*)\)\s*$", upper)
    if match and match.group(1):
        return match.group(1).strip(), match.group(2).strip()
    return upper.strip(), ""


def classify_variant(variant: str, variant_types: str = "") -> VariantClass:
    """Kind of a CIViC variant from its name, falling back to its Sequence Ontology types."""
    upper = " ".join(variant.upper().split())
    words = set(re.split(r"[\s/-]+", upper))
    protein, bracket = _protein_part(upper)
    has_digit = bool(_DIGIT.search(protein))

    def named(kind: AlterationKind, rule: str, sequence: bool | None = None) -> VariantClass:
        seq = (kind in _SEQUENCE_KINDS) if sequence is None else sequence
        return VariantClass(kind, seq, rule)

    if upper in {"WILDTYPE", "WILD TYPE", "WILD-TYPE"}:
        return named(AlterationKind.WILD_TYPE, "name: wild type")
    if "METHYLATION" in words:  # "ZFTA::RELA Methylation Profile" is a methylation class, not the fusion
        return named(AlterationKind.OTHER, "name: methylation", sequence=False)
    if "::" in upper or "FUSION" in words or "REARRANGEMENT" in words:
        return named(AlterationKind.FUSION, "name: fusion/rearrangement")
    if "AMPLIFICATION" in words:
        return named(AlterationKind.AMPLIFICATION, "name: amplification")
    if "OVEREXPRESSION" in words:
        return named(AlterationKind.OVEREXPRESSION, "name: overexpression")
    if "EXPRESSION" in words or "UNDEREXPRESSION" in words:
        return named(AlterationKind.EXPRESSION, "name: expression")
    if upper in {"LOSS", "LOH", "NULL"} or upper.startswith(("LOSS-OF-FUNCTION", "LOSS OF FUNCTION")):
        return named(AlterationKind.LOSS, "name: loss")
    if "BIALLELIC INACTIVATION" in upper or "LOSS OF HETEROZYGOSITY" in upper or upper.startswith("NULL "):
        return named(AlterationKind.LOSS, "name: loss")
    if upper == "DELETION":
        return named(AlterationKind.DELETION, "name: gene deletion", sequence=False)
    if upper == "ALTERATION":
        return named(AlterationKind.ANY, "name: any alteration", sequence=False)
    if "ACTIVATING" in words and "MUTATION" in words and "INACTIVATING" not in words:
        return named(AlterationKind.ACTIVATING_MUTATION, "name: activating mutation")
    if "FRAMESHIFT" in words or "FRAME SHIFT" in upper:
        return named(AlterationKind.FRAMESHIFT, "name: frameshift")
    if words & {"MUTATION", "MUTATIONS", "MUT", "TRUNCATION", "TRUNCATING"} or protein in {"G12/G13", "NON-V600"}:
        return named(AlterationKind.MUTATION, "name: mutation")
    if "METHYLATION" in upper or "PHOSPHORYLATION" in words or "SERUM" in words or "MISLOCALIZATION" in words:
        return named(AlterationKind.OTHER, "name: epigenetic or protein-level change", sequence=False)
    # protein (or exon-level) change written in the name
    if has_digit:
        if "FS" in protein or "FS*" in protein:
            return named(AlterationKind.FRAMESHIFT, "name: protein frameshift")
        if "DELINS" in protein or ("DEL" in protein and "INS" in protein):
            return named(AlterationKind.DELINS, "name: delins")
        if "DUP" in protein or protein in {"ITD"}:
            return named(AlterationKind.DUPLICATION, "name: duplication")
        if "INS" in protein:
            return named(AlterationKind.INSERTION, "name: insertion")
        if "DEL" in protein:
            return named(AlterationKind.DELETION, "name: deletion", sequence=True)
        if _OLD_DELINS.match(protein):
            return named(AlterationKind.DELINS, "name: delins (X1_Y2>Z notation)")
        if _POINT.match(protein) and not (protein.endswith("?") and bracket):
            return named(AlterationKind.POINT_MUTATION, "name: amino-acid substitution")
        if _POSITION_ONLY.match(protein):
            return named(AlterationKind.MUTATION, "name: any change at one residue")
    if protein in {"ITD", "INTERNAL DUPLICATION"} or "TANDEM DUPLICATION" in upper:
        return named(AlterationKind.DUPLICATION, "name: internal tandem duplication")
    for text in (bracket, protein):
        if text and _CDNA_SUBST.search(" " + text):
            return named(AlterationKind.POINT_MUTATION, "name: cDNA substitution")
        if text.startswith(("C.", "IVS")):
            if "DEL" in text and "INS" in text:
                return named(AlterationKind.DELINS, "name: cDNA delins")
            if "DUP" in text:
                return named(AlterationKind.DUPLICATION, "name: cDNA duplication")
            if "INS" in text:
                return named(AlterationKind.INSERTION, "name: cDNA insertion")
            if "DEL" in text:
                return named(AlterationKind.DELETION, "name: cDNA deletion", sequence=True)
    types = variant_types.lower()
    if not _RSID.match(protein) or any(t in types for t in ("missense", "stop_gained", "synonymous")):
        for so_term, kind in _TYPE_KINDS:
            if so_term in types:
                return named(kind, f"variant_types: {so_term}")
    return named(AlterationKind.OTHER, "no rule", sequence=False)


_SLUG_REPLACEMENTS = (("::", "-"), ("*", "Ter"), (">", "to"), ("=", "eq"), ("?", "unk"), ("&", "and"), ("'", ""))
_SLUG_BAD = re.compile(r"[^A-Za-z0-9_.+-]+")


def variant_slug(variant: str) -> str:
    """A stable, IRI-safe slug of a variant name, in the style of the curated ids.

    Words made only of letters are lower-cased (``Exon 19 Deletion`` →
    ``exon-19-deletion``, ``Amplification`` → ``amplification``); words with a
    digit keep their case (``L858R``, ``E746_A750del``). Characters that are
    awkward in IRIs are spelled out (``*`` → ``Ter``, ``>`` → ``to``) so that
    different names stay different; the importer still checks for collisions.
    """
    text = unicodedata.normalize("NFKC", variant).strip()
    for old, new in _SLUG_REPLACEMENTS:
        text = text.replace(old, new)
    words = []
    for word in re.split(r"[\s()\[\],;/]+", text):
        if not word:
            continue
        words.append(word.lower() if word.isalpha() else word)
    slug = _SLUG_BAD.sub("-", "-".join(words))
    return re.sub(r"-{2,}", "-", slug).strip("-.") or "variant"
