"""Which CIViC variant is a kind of which: ``is_a`` links derived only where the names or CIViC's own data make them certain.

A question about ``BRAF V600`` must reach the V600E evidence, one about ALK
fusions the EML4::ALK evidence. CIViC states none of these links; its
variant names and coordinates imply them. Each rule below is certain on its
own terms, and a name it cannot read is left alone (an alteration without a
parent is a missed link; a wrong parent is a wrong answer):

``codon``
    a substitution ``X<n>Y`` (``V600E``, ``Q22*``, ``R200W (c.598C>T)``) is
    a kind of the release's variant ``X<n>`` of the same gene; so is the
    alternatives variant ``X<n>Y/Z``, whose members ``X<n>Y`` and ``X<n>Z``
    are kinds of it (``alternatives``); a codon is a kind of a codon group
    naming it (``G12`` of ``G12/G13``, ``codons``); a cDNA-specific variant
    is a kind of the protein change it names, when the release has that
    (``protein change``).
``fusion``
    a fusion form ``A::B e20-e20`` or ``A::B A216V`` is a kind of ``A::B``
    (``fusion form``); a named fusion ``A::B`` is a kind of the ``Fusion``
    variant of A and of B, where the release has one, else of their
    ``Rearrangement`` variant (``fusion partner``); a gene's ``Fusion`` is a
    kind of its ``Rearrangement`` (``fusion in rearrangement``: CIViC types
    both as transcript fusions; every fusion is a rearrangement, not every
    rearrangement a fusion). Any other suffix (``ZFTA::RELA Methylation
    Profile``) is not read.
``exon``
    a sequence change whose CIViC coordinates lie inside those of the
    gene's ``Exon <n> Mutation`` (or ``Deletion``, ``Insertion``,
    ``Frameshift``, of a matching kind) is a kind of it (``in exon``). A
    single exon only, and only when CIViC types the exon variant as a region
    of changes (an in-frame deletion or insertion), never as the loss of the
    exon (``exon_loss_variant``): ``VHL Exon 1 Deletion`` is the exon's
    loss, not every deletion in it; ranges such as ``Exon 1-2`` span
    introns. By name: ``Exon 10 or Exon 21 Mutation`` contains both,
    ``Exon 10 and Exon 21 Mutation`` is a kind of both, and an exon's
    deletion, insertion or frameshift is a kind of its mutation
    (``exon names``).
``generic``
    (the earlier rule) a sequence mutation is a kind of the gene's
    ``Mutation``; anything else of the gene's "any alteration" node.
``table``
    ``narrower`` rows of ``variant_decisions.tsv``, each with its reason.

Parents are then reduced: a candidate that is already an ancestor of
another candidate is dropped, so V600E sits under V600, not also under
BRAF Mutation. Curated records keep their curated parents and gain only
parents that add something. Finally a CIViC alias of a variant that is the
name of one of its own narrower variants (``ASP835HIS`` on FLT3 D835H/Y) is
dropped from it, reported, so the name resolves to the narrower variant.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.civic.context import ImportContext
from kg.civic.names import resolver_key, strip_gene_prefix
from kg.civic.release import VARIANT_DECISIONS_FILE
from kg.civic.tsv import TsvRow, read_tsv
from kg.civic.variants import VariantClass, classify_variant, is_generic_mutation_name
from kg.model import Alteration, Gene, MolecularProfile
from kg.model.terms import AlterationKind

__all__ = ["Link", "VariantFacts", "derive_links", "link_alterations", "read_variant_decisions", "variant_facts"]

_POINT = re.compile(r"^([A-Z])(\d+)([A-Z*])$")
_ALTERNATIVES = re.compile(r"^([A-Z])(\d+)([A-Z*](?:/[A-Z*])+)$")
_CODON = re.compile(r"^([A-Z])(\d+)$")
_CODON_GROUP = re.compile(r"^[A-Z]\d+(?:/[A-Z]\d+)+$")
_BRACKET = re.compile(r"^(.*?)\s*\((.*)\)\s*$")
_FUSION = re.compile(r"^([A-Z0-9][A-Z0-9.-]*)::([A-Z0-9][A-Z0-9.-]*)(?:\s+(.+))?$")
_FUSION_FORM = re.compile(r"^(?:E\d+-E\d+|[A-Z]\d+[A-Z*](?:\s+AND\s+[A-Z]\d+[A-Z*])*)$")
_EXON = re.compile(r"^EXON (\d+) (MUTATION|DELETION|INSERTION|FRAMESHIFT)S?$")
_EXON_OR = re.compile(r"^EXON (\d+) (OR|AND) EXON (\d+) (MUTATION|DELETION|INSERTION|FRAMESHIFT)S?$")
#: Which kinds of change an exon-level variant contains, and the CIViC type that marks it as a region of changes.
_CONTAINER = {
    "MUTATION": (None, None),
    "DELETION": ("inframe_deletion", {AlterationKind.DELETION}),
    "INSERTION": ("inframe_insertion", {AlterationKind.INSERTION, AlterationKind.DUPLICATION}),
    "FRAMESHIFT": (None, {AlterationKind.FRAMESHIFT}),
}
_DECISION_COLUMNS = ("variant", "other", "decision", "reason")


@dataclass(frozen=True)
class VariantFacts:
    """What the rules read from one variant row."""

    alt_id: str
    symbol: str
    name: str  # CIViC's variant name, upper case, spaces squashed
    klass: VariantClass
    types: frozenset[str]
    location: tuple[str, str, int, int] | None  # build, chromosome, start, stop


@dataclass(frozen=True)
class Link:
    """``child`` is a kind of ``parent``, by ``rule``."""

    child: str
    parent: str
    rule: str


@dataclass
class _Index:
    """Variants by (gene symbol, name) and by name."""

    facts: list[VariantFacts]
    by_gene: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    by_name: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    of_gene: dict[str, list[VariantFacts]] = field(default_factory=lambda: defaultdict(list))

    #: (gene, codon) → alternatives variants at it (D835H/Y) with their letters; codon groups naming it (G12/G13)
    alternatives: dict[tuple[str, str], list[tuple[str, set[str]]]] = field(default_factory=lambda: defaultdict(list))
    groups: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))

    def __post_init__(self) -> None:
        for fact in self.facts:
            self.by_gene[(fact.symbol, fact.name)].add(fact.alt_id)
            self.by_name[fact.name].add(fact.alt_id)
            self.of_gene[fact.symbol].append(fact)
            if match := _ALTERNATIVES.match(fact.name):
                codon = f"{match.group(1)}{match.group(2)}"
                self.alternatives[(fact.symbol, codon)].append((fact.alt_id, set(match.group(3).split("/"))))
            elif _CODON_GROUP.match(fact.name):
                for codon in fact.name.split("/"):
                    self.groups[(fact.symbol, codon)].append(fact.alt_id)

    def one(self, symbol: str, name: str) -> str | None:
        """The one variant of ``symbol`` named ``name`` (None when absent or ambiguous)."""
        found = self.by_gene.get((symbol, name), set())
        return next(iter(found)) if len(found) == 1 else None


def _location(ctx: ImportContext, row: TsvRow) -> tuple[str, str, int, int] | None:
    cells = {column: row[column].strip() for column in ("reference_build", "chromosome", "start", "stop")}
    if not (cells["chromosome"] and cells["start"] and cells["stop"]):
        return None
    for column in ("start", "stop"):
        if not cells[column].isdigit():
            ctx.errors.append(row.error(column, "a chromosome position (digits), or empty", cells[column]))
            return None
    return cells["reference_build"], cells["chromosome"], int(cells["start"]), int(cells["stop"])


def variant_facts(ctx: ImportContext, variants: dict[int, str]) -> list[VariantFacts]:
    """Facts of every imported variant row (``variants``: CIViC variant id → alteration id)."""
    facts: list[VariantFacts] = []
    for row in ctx.tables["Variant"]:
        value = row["variant_id"].strip()
        if not value.isdigit() or int(value) not in variants:
            continue
        symbol, name = row["gene"].strip(), " ".join(row["variant"].split())
        types = frozenset(t.strip() for t in row["variant_types"].split(",") if t.strip())
        facts.append(
            VariantFacts(
                alt_id=variants[int(value)],
                symbol=symbol,
                name=name.upper(),
                klass=classify_variant(name, row["variant_types"]),
                types=types,
                location=_location(ctx, row),
            )
        )
    return facts


# -- the rules ------------------------------------------------------------------------------
def _codon_links(fact: VariantFacts, index: _Index) -> Iterable[Link]:
    bracket = _BRACKET.match(fact.name)
    protein = bracket.group(1).strip() if bracket and bracket.group(1) else fact.name
    if bracket and protein != fact.name and (parent := index.one(fact.symbol, protein)):
        yield Link(fact.alt_id, parent, "protein change")
    if point := _POINT.match(protein):
        ref, position, alt = point.groups()
        for other_id, letters in index.alternatives.get((fact.symbol, f"{ref}{position}"), ()):
            if alt in letters:
                yield Link(fact.alt_id, other_id, "alternatives")
        if parent := index.one(fact.symbol, f"{ref}{position}"):
            yield Link(fact.alt_id, parent, "codon")
        yield from _codon_groups(fact, f"{ref}{position}", index)
    elif group := _ALTERNATIVES.match(fact.name):
        if parent := index.one(fact.symbol, f"{group.group(1)}{group.group(2)}"):
            yield Link(fact.alt_id, parent, "codon")
    elif _CODON.match(fact.name):
        yield from _codon_groups(fact, fact.name, index)


def _codon_groups(fact: VariantFacts, codon: str, index: _Index) -> Iterable[Link]:
    """A change at a codon is a kind of each codon group of the gene that names the codon (G13D of G12/G13)."""
    for group_id in index.groups.get((fact.symbol, codon), ()):
        yield Link(fact.alt_id, group_id, "codons")


def _fusion_links(fact: VariantFacts, index: _Index, skipped: list[str]) -> Iterable[Link]:
    if fact.name == "FUSION":
        if parent := index.one(fact.symbol, "REARRANGEMENT"):
            yield Link(fact.alt_id, parent, "fusion in rearrangement")
        return
    match = _FUSION.match(fact.name)
    if match is None:
        return
    five, three, suffix = match.groups()
    if suffix is not None:
        if not _FUSION_FORM.match(suffix):
            skipped.append(f"{fact.alt_id}: {suffix.lower()!r} after the fusion name is not a breakpoint or a mutation")
            return
        base = index.by_name.get(f"{five}::{three}", set()) - {fact.alt_id}
        if len(base) == 1:
            yield Link(fact.alt_id, next(iter(base)), "fusion form")
    partners = [p for p in (index.one(g, "FUSION") for g in (five, three)) if p]
    if not partners:
        partners = [p for p in (index.one(g, "REARRANGEMENT") for g in (five, three)) if p]
    for parent in partners:
        if parent != fact.alt_id:
            yield Link(fact.alt_id, parent, "fusion partner")


def _contains(container: VariantFacts, fact: VariantFacts, what: str) -> bool:
    if fact.location is None or container.location is None or "EXON" in fact.name:
        return False
    build, chromosome, start, stop = container.location
    fbuild, fchromosome, fstart, fstop = fact.location
    if (fbuild, fchromosome) != (build, chromosome) or not (start <= fstart <= fstop <= stop):
        return False
    kinds = _CONTAINER[what][1]
    if kinds is None:
        return fact.klass.is_sequence_mutation
    if fact.klass.kind in kinds:
        return True
    return what == "DELETION" and fact.klass.kind is AlterationKind.DELINS and "inframe_deletion" in fact.types


def _exon_links(fact: VariantFacts, index: _Index) -> Iterable[Link]:
    """Links where ``fact`` is the exon-level container (children inside it) or an exon-named child."""
    if match := _EXON.match(fact.name):
        number, what = match.groups()
        marker = _CONTAINER[what][0]
        region = "exon_loss_variant" not in fact.types and (marker is None or marker in fact.types)
        if region and fact.location is not None:
            for other in index.of_gene[fact.symbol]:
                if other.alt_id != fact.alt_id and _contains(fact, other, what):
                    yield Link(other.alt_id, fact.alt_id, "in exon")
        if what != "MUTATION" and (parent := index.one(fact.symbol, f"EXON {number} MUTATION")):
            yield Link(fact.alt_id, parent, "exon names")
    elif match := _EXON_OR.match(fact.name):
        first, operator, second, what = match.groups()
        for number in (first, second):
            single = index.one(fact.symbol, f"EXON {number} {what}")
            if single is not None and operator == "OR":
                yield Link(single, fact.alt_id, "exon names")
            elif single is not None:
                yield Link(fact.alt_id, single, "exon names")


def derive_links(facts: list[VariantFacts]) -> tuple[list[Link], list[str]]:
    """Every link the name and coordinate rules give, and the names they would not read (why)."""
    index = _Index(facts)
    links: list[Link] = []
    skipped: list[str] = []
    for fact in facts:
        links += _codon_links(fact, index)
        links += _fusion_links(fact, index, skipped)
        links += _exon_links(fact, index)
    unique = list(dict.fromkeys(link for link in links if link.child != link.parent))
    return unique, skipped


# -- curated decisions ----------------------------------------------------------------------
def read_variant_decisions(
    ctx: ImportContext, facts: list[VariantFacts]
) -> tuple[list[Link], dict[frozenset[str], str]]:
    """``narrower`` rows as links, ``distinct`` rows as {pair of alteration ids: reason}."""
    path = ctx.release.directory / VARIANT_DECISIONS_FILE
    links: list[Link] = []
    distinct: dict[frozenset[str], str] = {}
    if not path.is_file():
        return links, distinct
    display = f"{path.parent.name}/{path.name}"
    table = read_tsv(path, display, _DECISION_COLUMNS, ctx.errors)
    if table is None:
        return links, distinct
    by_label: dict[str, set[str]] = defaultdict(set)
    for fact in facts:
        by_label[f"{fact.symbol} {fact.name}"].add(fact.alt_id)
    for row in table:
        decision, reason = row["decision"].strip(), row["reason"].strip()
        if decision not in ("narrower", "distinct"):
            ctx.errors.append(row.error("decision", "narrower or distinct", decision))
            continue
        if not reason:
            ctx.errors.append(row.error("reason", "why: the evidence for the decision", reason))
            continue
        ids: list[str] = []
        bad = missing = False
        for column in ("variant", "other"):
            label = " ".join(row[column].split())
            found = by_label.get(label.upper(), set())
            if not label or len(found) > 1:
                ctx.errors.append(row.error(column, "one variant of the release, written 'GENE VARIANT'", label))
                bad = True
            elif not found:
                missing = True
            else:
                ids.append(next(iter(found)))
        if bad:
            continue
        if missing:
            ctx.report.notes.append(
                f"{display} {row.record}: a variant is not in this release (row kept for later ones)"
            )
            continue
        if decision == "narrower":
            links.append(Link(ids[0], ids[1], "table"))
        else:
            distinct[frozenset(ids)] = reason
    return links, distinct


# -- parents --------------------------------------------------------------------------------
def _generic(ctx: ImportContext, kind: AlterationKind) -> dict[str, str]:
    """Gene id → the one alteration of that gene that stands for 'any alteration' / 'any mutation'."""
    found: dict[str, set[str]] = defaultdict(set)
    curated_found: dict[str, set[str]] = defaultdict(set)
    for table, target in ((ctx.curated.alterations, curated_found), (ctx.records, found)):
        for record in table.values():
            if not isinstance(record, Alteration):
                continue
            if kind is AlterationKind.ANY and record.kind is AlterationKind.ANY:
                target[record.gene].add(record.id)
            elif kind is AlterationKind.MUTATION and record.kind is AlterationKind.MUTATION:
                gene = ctx.curated.get(record.gene) or ctx.records.get(record.gene)
                gene_names = (*gene.all_names(), gene.symbol) if isinstance(gene, Gene) else ()
                names = [record.variant or "", *(strip_gene_prefix(n, gene_names) or "" for n in record.all_names())]
                if any(is_generic_mutation_name(n) for n in names if n):
                    target[record.gene].add(record.id)
    result: dict[str, str] = {}
    for gene_id in set(found) | set(curated_found):
        ids = curated_found.get(gene_id) or found.get(gene_id, set())
        if len(ids) == 1:
            result[gene_id] = next(iter(ids))
    return result


def _generic_links(ctx: ImportContext, facts: list[VariantFacts]) -> list[Link]:
    """The earlier rule, for new records: sequence mutation ⊂ gene mutation; anything else ⊂ any gene alteration."""
    any_node = _generic(ctx, AlterationKind.ANY)
    mutation_node = _generic(ctx, AlterationKind.MUTATION)
    sequence = {fact.alt_id: fact.klass.is_sequence_mutation for fact in facts}
    links: list[Link] = []
    for alt_id, record in ctx.records.items():
        if not isinstance(record, Alteration):
            continue
        mutation, broad = mutation_node.get(record.gene), any_node.get(record.gene)
        if sequence.get(alt_id) and mutation and mutation != alt_id:
            links.append(Link(alt_id, mutation, "generic"))
        elif broad and broad != alt_id:
            links.append(Link(alt_id, broad, "generic"))
    return links


def _ancestors(parents: dict[str, set[str]]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}

    def visit(node: str, path: frozenset[str]) -> set[str]:
        if node in found:
            return found[node]
        result: set[str] = set()
        for parent in parents.get(node, ()):
            if parent in path:
                continue  # a cycle: validation reports it
            result |= {parent} | visit(parent, path | {parent})
        found[node] = result
        return result

    for node in list(parents):
        visit(node, frozenset({node}))
    return found


def link_alterations(ctx: ImportContext, facts: list[VariantFacts]) -> dict[frozenset[str], str]:
    """Set the parents of new alterations and enrich curated ones, from every rule; report what was linked.

    Returns the ``distinct`` decisions of ``variant_decisions.tsv`` (pairs of
    alteration ids and why they are not one), for the duplicate audit.
    """
    derived, skipped = derive_links(facts)
    table_links, distinct = read_variant_decisions(ctx, facts)
    derived += table_links
    generic = _generic_links(ctx, facts)
    curated = {a.id: set(a.parents) for a in ctx.curated.alterations.values() if isinstance(a, Alteration)}
    candidates: dict[str, set[str]] = defaultdict(set)
    rules: dict[tuple[str, str], str] = {}
    for link in (*derived, *generic):
        candidates[link.child].add(link.parent)
        rules.setdefault((link.child, link.parent), link.rule)
    every: dict[str, set[str]] = defaultdict(set)
    for node, ps in (*curated.items(), *candidates.items()):
        every[node] |= ps
    ancestors = _ancestors(every)
    counts: Counter[str] = Counter()
    gained = 0
    refined: set[str] = set()
    for child, wanted in candidates.items():
        fixed = curated.get(child, set())
        kept = {
            p
            for p in wanted
            if child not in ancestors.get(p, set())
            and not any(p in ancestors.get(q, set()) for q in wanted | fixed if q != p)
        }
        new = sorted(kept - fixed, key=lambda p: rules[(child, p)] == "generic")
        if not new:
            continue
        specific = [p for p in new if rules[(child, p)] != "generic"]
        if specific:
            refined.add(child)
        for parent in specific:
            counts[rules[(child, parent)]] += 1
            ctx.report.hierarchy_links.append(f"{child} is a kind of {parent} ({rules[(child, parent)]})")
        record = ctx.records.get(child)
        if isinstance(record, Alteration):
            had_generic = any(rules[(child, p)] == "generic" for p in wanted)
            gained += bool(specific) and not had_generic
            ctx.records[child] = record.model_copy(update={"parents": tuple(new)})
        elif specific:
            ctx.enrich_curated(child, "parents", list(specific))
    ctx.report.hierarchy_counts = dict(sorted(counts.items()))
    ctx.report.hierarchy_gained = gained
    ctx.report.hierarchy_specific = len(refined)
    ctx.report.hierarchy_skipped += skipped
    _drop_aliases_of_narrower(ctx)
    return distinct


def _drop_aliases_of_narrower(ctx: ImportContext) -> None:
    """A CIViC alias of a variant that names one of its own narrower variants goes (reported)."""
    alterations = {
        a.id: a for a in (*ctx.curated.alterations.values(), *ctx.records.values()) if isinstance(a, Alteration)
    }
    children: dict[str, set[str]] = defaultdict(set)
    for alteration in alterations.values():
        for parent in alteration.parents:
            children[parent].add(alteration.id)

    def below(node: str, seen: set[str]) -> set[str]:
        for child in children.get(node, ()):
            if child not in seen:
                seen.add(child)
                below(child, seen)
        return seen

    gone: dict[str, dict[str, str]] = {}  # alteration id → dropped alias key → the narrower variant it names
    for alt_id, record in list(ctx.records.items()):
        if not isinstance(record, Alteration) or not record.synonyms:
            continue
        narrower = {
            resolver_key(name): child
            for child in below(alt_id, set())
            for name in alterations[child].all_names()
            if alterations[child].gene == record.gene
        }
        dropped = [s for s in record.synonyms if resolver_key(s) in narrower]
        if dropped:
            ctx.records[alt_id] = record.model_copy(
                update={"synonyms": tuple(s for s in record.synonyms if s not in dropped)}
            )
            for alias in dropped:
                ctx.report.aliases_dropped.append(
                    f"{alt_id}: CIViC alias {alias!r} names its narrower variant {narrower[resolver_key(alias)]}"
                )
            gone[alt_id] = {resolver_key(alias): narrower[resolver_key(alias)] for alias in dropped}
    for mp_id, profile in list(ctx.records.items()):  # a one-variant profile repeats its variant's aliases
        if not isinstance(profile, MolecularProfile) or len(profile.alterations) != 1 or profile.negated:
            continue
        keys = gone.get(profile.alterations[0], {})
        dropped = [s for s in profile.synonyms if resolver_key(s) in keys]
        if dropped:
            ctx.records[mp_id] = profile.model_copy(
                update={"synonyms": tuple(s for s in profile.synonyms if s not in dropped)}
            )
            ctx.report.aliases_dropped += [
                f"{mp_id}: CIViC alias {alias!r} names the narrower variant {keys[resolver_key(alias)]}"
                for alias in dropped
            ]
