"""Import of CIViC releases (CC0 1.0) into evidence-kg, reconciled with the curated corpus.

Entry points::

    from kg.civic import import_civic
    result = import_civic(Path("data/civic"), curated_corpus)   # the caller loads the curated corpus
    result.corpus   # curated + CIViC records, one node per shared entity
    result.report   # counts, merges by rule, what stayed apart (print it or .as_dict())

Modules, one concept each: :mod:`~kg.civic.release` (which files),
:mod:`~kg.civic.tsv` (reading with row/column-precise errors),
:mod:`~kg.civic.values` (CIViC vocabularies), :mod:`~kg.civic.profiles`
(AND/OR/NOT profiles), :mod:`~kg.civic.variants` (alteration kinds and ids),
:mod:`~kg.civic.names` and :mod:`~kg.civic.reconcile` (matching curated
records), :mod:`~kg.civic.entities`, :mod:`~kg.civic.therapies` (one node
per therapy name: drugs, salts, classes), :mod:`~kg.civic.hierarchy`
(alteration ``is_a`` from CIViC's names and coordinates),
:mod:`~kg.civic.diseases`, :mod:`~kg.civic.sources`,
:mod:`~kg.civic.evidence` (mapping), :mod:`~kg.civic.duplicates` (the audit
of names and ids that still collide),
:mod:`~kg.civic.outcomes` (conservative outcome extraction),
:mod:`~kg.civic.report` and :mod:`~kg.civic.importer` (the whole run).
The importer takes a corpus and never loads one: loading the curated data,
running the import and installing a release is :mod:`kg.curation.assemble`.
"""

from kg.civic.importer import CivicImport, import_civic
from kg.civic.report import CivicReport

__all__ = ["CivicImport", "CivicReport", "import_civic"]
