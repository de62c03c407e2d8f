"""Which files make a CIViC release, which columns we read, and the release's name.

CIViC names its TSV files ``<DD-Mon-YYYY>-<Kind>Summaries.tsv``. A release
directory must hold exactly one file of each kind we read, all with the same
date prefix; the date becomes the release id (``civic-2024-08-01``) used in
the corpus version and in the id of the release's Source record. Optional
files of ours may sit beside them (see ``data/civic/README.md``): the
disease hierarchy, per-item curator notes, the therapy-name table and the
variant decisions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kg.core.errors import DataError

__all__ = [
    "CLASS_MEMBERS_FILE",
    "COLUMNS",
    "CURATOR_NOTES_FILE",
    "HIERARCHY_FILE",
    "KINDS",
    "THERAPY_NAMES_FILE",
    "VARIANT_DECISIONS_FILE",
    "Release",
    "find_release",
]

#: File kinds we read, in the order they are loaded.
KINDS = ("Gene", "Variant", "MolecularProfile", "ClinicalEvidence", "Assertion")

#: Columns the importer reads, per file kind (CIViC's own names).
COLUMNS: dict[str, tuple[str, ...]] = {
    "Gene": ("gene_id", "name", "entrez_id", "is_flagged"),
    "Variant": (
        "variant_id",
        "gene",
        "entrez_id",
        "variant",
        "chromosome",
        "start",
        "stop",
        "reference_build",
        "variant_types",
        "hgvs_descriptions",
        "allele_registry_id",
        "clinvar_ids",
        "variant_aliases",
        "is_flagged",
    ),
    "MolecularProfile": ("name", "molecular_profile_id", "variant_ids", "aliases", "is_flagged"),
    "ClinicalEvidence": (
        "molecular_profile",
        "molecular_profile_id",
        "disease",
        "doid",
        "phenotypes",
        "therapies",
        "therapy_interaction_type",
        "evidence_type",
        "evidence_direction",
        "evidence_level",
        "significance",
        "evidence_statement",
        "citation_id",
        "source_type",
        "asco_abstract_id",
        "citation",
        "nct_ids",
        "rating",
        "evidence_status",
        "evidence_id",
        "variant_origin",
        "evidence_civic_url",
        "is_flagged",
    ),
    "Assertion": (
        "molecular_profile",
        "molecular_profile_id",
        "disease",
        "doid",
        "therapies",
        "assertion_type",
        "assertion_direction",
        "significance",
        "amp_category",
        "assertion_summary",
        "assertion_description",
        "assertion_id",
        "evidence_item_ids",
        "assertion_civic_url",
        "is_flagged",
    ),
}

#: Our curated disease hierarchy for the diseases CIViC uses (optional file).
HIERARCHY_FILE = "disease_hierarchy.tsv"
#: Curator notes on individual CIViC items, e.g. a discrepancy with the cited paper (optional file).
CURATOR_NOTES_FILE = "curator_notes.tsv"
#: How CIViC therapy names map onto drugs and drug classes, a reason per row (optional file).
THERAPY_NAMES_FILE = "therapy_names.tsv"
#: Decisions about variants whose names collide or whose hierarchy the rules cannot derive (optional file).
VARIANT_DECISIONS_FILE = "variant_decisions.tsv"
#: Drugs that belong to a drug class, each with the CIViC statement that says so (optional file).
CLASS_MEMBERS_FILE = "class_members.tsv"

_NAME = re.compile(r"^(\d{2}-[A-Z][a-z]{2}-\d{4})-([A-Za-z]+)Summaries\.tsv$")


@dataclass(frozen=True)
class Release:
    """A located release: its date, its id and the path of each file kind."""

    directory: Path
    date_prefix: str  # as in the file names: 01-Aug-2024
    date: str  # ISO: 2024-08-01
    files: dict[str, Path]

    @property
    def id(self) -> str:
        """Release id used in versions and record ids: ``civic-2024-08-01``."""
        return f"civic-{self.date}"

    @property
    def source_id(self) -> str:
        """Id of the Source record that stands for the release."""
        return f"src:{self.id}"

    def display(self, kind: str) -> str:
        """How messages name a file: ``data/civic/01-Aug-2024-GeneSummaries.tsv`` style."""
        path = self.files[kind]
        return f"{path.parent.name or path.parent.resolve().name}/{path.name}"


def find_release(directory: Path, errors: list[DataError]) -> Release | None:
    """Locate the release files in ``directory``; append problems to ``errors`` and return ``None`` on any."""
    shown = str(directory)
    if not directory.is_dir():
        errors.append(DataError(shown, "(directory)", "(directory)", "a directory holding CIViC *Summaries.tsv files"))
        return None
    found: dict[str, list[Path]] = {}
    prefixes: set[str] = set()
    for path in sorted(directory.glob("*Summaries.tsv")):
        match = _NAME.match(path.name)
        if match is None:
            continue
        prefixes.add(match.group(1))
        found.setdefault(match.group(2), []).append(path)
    start = len(errors)
    for kind in KINDS:
        paths = found.get(kind, [])
        if not paths:
            errors.append(
                DataError(
                    shown, "(directory)", f"{kind}Summaries.tsv", f"one file named DD-Mon-YYYY-{kind}Summaries.tsv"
                )
            )
        elif len(paths) > 1:
            errors.append(
                DataError(
                    shown,
                    "(directory)",
                    f"{kind}Summaries.tsv",
                    "exactly one file of this kind (one release per directory)",
                    [p.name for p in paths],
                )
            )
    if len(prefixes) > 1:
        errors.append(
            DataError(shown, "(directory)", "(file names)", "one release date prefix for all files", sorted(prefixes))
        )
    if len(errors) > start:
        return None
    prefix = prefixes.pop()
    try:
        date = datetime.strptime(prefix, "%d-%b-%Y").date().isoformat()
    except ValueError:
        errors.append(DataError(shown, "(directory)", "(file names)", "a date prefix like 01-Aug-2024", prefix))
        return None
    return Release(directory, prefix, date, {kind: found[kind][0] for kind in KINDS})
