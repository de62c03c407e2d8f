"""State shared by the import steps: the release, errors, ids in use, new and enriched records.

Each step (genes, variants, profiles, diseases, drugs, sources, evidence)
reads the release tables and writes here; nothing reaches a Corpus until
every step has run without a data error. Ids are allocated here so that a
new CIViC id can never silently take over a curated one: a clash gets a
``-civic`` suffix and is reported.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from pydantic import ValidationError

from kg.civic.outcomes import StatementOutcomes
from kg.civic.reconcile import CuratedIndex, Decision
from kg.civic.release import Release
from kg.civic.report import CivicReport
from kg.civic.tsv import TsvRow, TsvTable
from kg.core.errors import DataError
from kg.curation.cache import KeptValues
from kg.model import Corpus, Node, Xref
from kg.model.terms import Verification

__all__ = ["ImportContext"]


@dataclass
class ImportContext:
    """Everything one import run knows, built up step by step."""

    release: Release
    curated: Corpus
    index: CuratedIndex
    report: CivicReport
    tables: dict[str, TsvTable]
    errors: list[DataError] = field(default_factory=list)
    records: dict[str, Node] = field(default_factory=dict)  # new records by id
    where: dict[str, tuple[str, str]] = field(default_factory=dict)  # new record id → (file, label) for messages
    enrich: dict[str, dict[str, list[object]]] = field(default_factory=dict)  # curated id → field → added values
    #: CIViC profile id → why the release leaves it unusable (a dangling reference inside CIViC's own files)
    profile_problems: dict[int, str] = field(default_factory=dict)
    #: What the grammar read per statement, kept between imports (:func:`kg.civic.outcomes.outcomes_by_statement`),
    #: saved on success.
    kept_outcomes: KeptValues[str, StatementOutcomes] | None = None

    # -- ids -----------------------------------------------------------------------
    def taken(self, record_id: str) -> bool:
        return record_id in self.records or record_id in self.curated

    def allocate(self, wanted: str, what: str) -> str:
        """``wanted`` if free, else ``wanted-civic`` (then ``-civic2``, ...), reporting the clash."""
        if not self.taken(wanted):
            return wanted
        candidate, n = f"{wanted}-civic", 1
        while self.taken(candidate):
            n += 1
            candidate = f"{wanted}-civic{n}"
        self.report.id_collisions.append(f"{what}: {wanted} already in use; given {candidate}")
        return candidate

    def add(self, record: Node, row: TsvRow | None = None, file: str | None = None) -> None:
        """Keep a new record, remembering the file row it came from."""
        record_id = record.id
        self.records[record_id] = record
        if row is not None:
            self.where[record_id] = (row.file, f"{record_id} ({row.record})")
        else:
            self.where[record_id] = (file or self.release.display("ClinicalEvidence"), record_id)

    @contextmanager
    def building(self, row: TsvRow | None, column: str | None = None) -> Iterator[None]:
        """Build records from ``row`` inside this block: a record that refuses itself becomes data errors.

        Records check their own rules when built (:mod:`kg.model.rules`: a CI
        that contains its value, a profile with an alteration); a row whose
        values break one is a data error of that row, naming the record's
        field (and ``column``, the cell it was read from, when one is given),
        never a traceback. Nothing is kept from a block that failed.
        """
        try:
            yield
        except ValidationError as error:
            file = row.file if row is not None else self.release.display("ClinicalEvidence")
            record = row.record if row is not None else "(release)"
            for problem in error.errors(include_url=False):
                path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in problem["loc"]).lstrip(".")
                where = f"{column} → {error.title}.{path}" if column else f"{error.title}.{path}".rstrip(".")
                expected = str(problem["msg"]).removeprefix("Value error, ")
                self.errors.append(DataError(file, record, where, expected, problem.get("input")))

    # -- curated records -----------------------------------------------------------------
    def decide(self, decision: Decision) -> None:
        self.report.decisions.append(decision)

    def enrich_curated(self, curated_id: str, field_name: str, values: list[object]) -> None:
        """Add values (xrefs, parents) to a curated record's tuple field when they are not there yet."""
        record = self.curated.get(curated_id)
        if record is None:
            return
        present = list(getattr(record, field_name, ()))
        pending = self.enrich.setdefault(curated_id, {}).setdefault(field_name, [])
        for value in values:
            if _key(value) not in {_key(v) for v in (*present, *pending)}:
                pending.append(value)

    # -- helpers -------------------------------------------------------------------
    def xref(
        self, curie: str, row: TsvRow, column: str, status: Verification = Verification.VERIFIED, url: str = ""
    ) -> Xref:
        """An xref seen in one cell of the release (with CIViC's URL for it, when the row gives one)."""
        where = f"CIViC {row.file} {row.record} column {column}"
        return Xref(id=curie, status=status, source=f"{where}; {url}" if url else where)


def _key(value: object) -> object:
    return value.id if isinstance(value, Xref) else value
