"""CIViC diseases → Disease records, with a curated is_a hierarchy.

CIViC names a disease and its DOID but not its place in the Disease
Ontology. No package on PyPI ships DOID's hierarchy for offline use (see
``data/civic/README.md``), so ``disease_hierarchy.tsv`` beside the release
files gives each CIViC disease its parents: another CIViC disease (by the
DOID CIViC gives it, or by name when CIViC gives none) or a broader group of
ours (``disease:kidney-cancer``), which never carries a DOID. The file is
checked against the release: a DOID or name the release does not use, or a
label that differs from CIViC's, is an error, so no DOID can be invented or
mistyped there.

One node per DOID (CIViC spells DOID:2152 both "Ovary Epithelial Cancer"
and "Epithelial Ovarian Cancer": the more frequent name is the label, the
other a synonym); one node per name for diseases without a DOID.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from kg.civic.context import ImportContext
from kg.civic.names import name_key
from kg.civic.release import HIERARCHY_FILE
from kg.civic.tsv import TsvRow, read_tsv
from kg.core.vocab import NodeType
from kg.model import Disease, Xref

__all__ = ["DiseaseUse", "import_diseases"]

_DOID = re.compile(r"^DOID:(\d+)$")
_OWN = re.compile(r"^disease:[a-z0-9][a-z0-9-]*$")


@dataclass
class DiseaseUse:
    """How the release names one disease: its DOID (or none), names with counts, the first row using it."""

    doid: str | None
    names: Counter[str]
    row: TsvRow
    column: str

    @property
    def label(self) -> str:
        return self.names.most_common(1)[0][0]


def disease_key(doid: str, name: str) -> str:
    """Key of a CIViC disease: its DOID when it has one, else its name."""
    return f"DOID:{doid}" if doid else f"name:{name}"


def _slug(name: str) -> str:
    return re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9]+", "-", name.casefold())).strip("-")


def _read_hierarchy(
    ctx: ImportContext, uses: dict[str, DiseaseUse]
) -> tuple[dict[str, list[str]], dict[str, str], dict[str, TsvRow]]:
    """Parents by disease key, labels of our own groups, and the row that defines each group."""
    path = ctx.release.directory / HIERARCHY_FILE
    parents: dict[str, list[str]] = {}
    groups: dict[str, str] = {}
    group_rows: dict[str, TsvRow] = {}
    if not path.is_file():
        ctx.report.notes.append(f"no {HIERARCHY_FILE} in the release directory: CIViC diseases get no parents")
        return parents, groups, group_rows
    display = f"{path.parent.name}/{path.name}"
    ctx.report.hierarchy_file = display
    table = read_tsv(path, display, ("child", "child_label", "parent", "parent_label"), ctx.errors)
    if table is None:
        return parents, groups, group_rows
    by_name = {use.label: key for key, use in uses.items() if use.doid is None}

    def resolve(row: TsvRow, id_column: str, label_column: str) -> str | None:
        value, label = row[id_column].strip(), row[label_column].strip()
        if match := _DOID.match(value):
            use = uses.get(f"DOID:{match.group(1)}")
            if use is None:
                ctx.errors.append(row.error(id_column, "a DOID that the release's evidence or assertions use", value))
                return None
            if label not in use.names:
                expected = " or ".join(repr(n) for n in use.names)
                ctx.errors.append(row.error(label_column, f"CIViC's name for {value}: {expected}", label))
                return None
            return f"DOID:{match.group(1)}"
        if value == "-":
            if label not in by_name:
                ctx.errors.append(
                    row.error(label_column, "the name of a disease the release uses without a DOID", label)
                )
                return None
            return by_name[label]
        if _OWN.match(value):
            if groups.setdefault(value, label) != label:
                ctx.errors.append(row.error(label_column, f"the same label as before for {value}: {groups[value]!r}"))
                return None
            group_rows.setdefault(value, row)
            return value
        ctx.errors.append(
            row.error(
                id_column, "DOID:<n> (seen in CIViC), '-' (a CIViC disease without DOID) or disease:<slug>", value
            )
        )
        return None

    for row in table:
        child = resolve(row, "child", "child_label")
        parent = resolve(row, "parent", "parent_label")
        if child is not None and parent is not None:
            parents.setdefault(child, []).append(parent)
    return parents, groups, group_rows


def import_diseases(ctx: ImportContext, uses: dict[str, DiseaseUse]) -> dict[str, str]:
    """Disease key (see :func:`disease_key`) → our disease id, hierarchy applied."""
    parents, groups, group_rows = _read_hierarchy(ctx, uses)
    resolved: dict[str, str] = {}
    new: set[str] = set()
    for key, use in sorted(uses.items(), key=lambda item: item[1].label):
        xrefs: tuple[Xref, ...] = ()
        if use.doid:
            xrefs = (ctx.xref(f"DOID:{use.doid}", use.row, use.column),)
        decision = ctx.index.reconcile(NodeType.DISEASE, use.label, [x.id for x in xrefs], list(use.names))
        ctx.decide(decision)
        if decision.curated_id:
            ctx.enrich_curated(decision.curated_id, "xrefs", list(xrefs))
            resolved[key] = decision.curated_id
            continue
        wanted = f"disease:doid-{use.doid}" if use.doid else f"disease:{_slug(use.label)}"
        disease_id = ctx.allocate(wanted, f"disease {use.label}")
        synonyms = tuple(name for name in use.names if name != use.label)
        with ctx.building(use.row):
            ctx.add(Disease(id=disease_id, label=use.label, synonyms=synonyms, xrefs=xrefs), use.row)
        resolved[key] = disease_id
        new.add(disease_id)
    for group, label in groups.items():
        decision = ctx.index.reconcile(NodeType.DISEASE, label, (), [label])
        ctx.decide(decision)
        if decision.curated_id:
            resolved[group] = decision.curated_id
            continue
        group_id = ctx.allocate(group, f"disease group {label}")
        with ctx.building(group_rows[group]):
            ctx.add(
                Disease(
                    id=group_id,
                    label=label,
                    curator_note="A grouping of evidence-kg's CIViC import (data/civic/disease_hierarchy.tsv), "
                    "not a Disease Ontology term.",
                ),
                group_rows[group],
            )
        resolved[group] = group_id
        new.add(group_id)
    for child_key, parent_keys in parents.items():
        child = resolved[child_key]
        parent_ids = tuple(dict.fromkeys(resolved[p] for p in parent_keys if resolved[p] != child))
        if not parent_ids:
            continue
        if child in new:
            record = ctx.records[child]
            ctx.records[child] = record.model_copy(update={"parents": parent_ids})
        elif not getattr(ctx.curated.get(child), "parents", ()):
            ctx.enrich_curated(child, "parents", list(parent_ids))
    ctx.report.diseases_without_parent = sorted(
        ctx.records[d].label  # type: ignore[attr-defined]
        for d in new
        if not ctx.records[d].parents  # type: ignore[attr-defined]
    )
    return resolved


def collect_uses(ctx: ImportContext) -> dict[str, DiseaseUse]:
    """Every disease the evidence items and assertions name, keyed by :func:`disease_key`."""
    uses: dict[str, DiseaseUse] = {}
    by_name_key: dict[str, str] = {}
    for kind in ("ClinicalEvidence", "Assertion"):
        for row in ctx.tables[kind]:
            name, doid = " ".join(row["disease"].split()), row["doid"].strip()
            if not name and not doid:
                continue
            if doid and not doid.isdigit():
                ctx.errors.append(row.error("doid", "the digits of a DOID (3908 for DOID:3908), or empty", doid))
                continue
            if not name:
                ctx.errors.append(row.error("disease", f"the disease name CIViC gives with DOID {doid}", ""))
                continue
            key = disease_key(doid, name)
            if not doid:  # one node per spelling-insensitive name
                key = by_name_key.setdefault(name_key(name), key)
            use = uses.get(key)
            if use is None:
                uses[key] = DiseaseUse(doid or None, Counter({name: 1}), row, "doid" if doid else "disease")
            else:
                use.names[name] += 1
    return uses


__all__ += ["collect_uses", "disease_key"]
