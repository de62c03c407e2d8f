"""Measurement 6: the CIViC import, next to merely reading the same TSV files with ``csv``.

``kg import civic`` (:func:`kg.civic.import_civic`) reads the release's five
TSVs, checks every row, maps evidence items, molecular profiles, variants,
diseases and therapies into the model, reads outcomes with the results grammar,
reconciles entities with the curated corpus and runs the corpus rules. Its
floor is reading the same files: Python's ``csv.DictReader`` over the same
bytes, with none of that work. The ratio says what the import adds. The
results grammar alone over every evidence statement
(:func:`kg.civic.outcomes.read_outcomes`) is timed beside it: its share of
the import. The import is timed cold (``$EVIDENCE_KG_CACHE=off``: the
grammar reads every statement) and warm (the outcomes an earlier import of
the same statements kept, :func:`kg.civic.outcomes.outcomes_by_statement`).
"""

from __future__ import annotations

import contextlib
import csv
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmarks.config import Config
from benchmarks.stats import ratio, sample, summarize

__all__ = ["measure_civic_import"]


@contextlib.contextmanager
def _cache(value: str) -> Iterator[None]:
    """``$EVIDENCE_KG_CACHE`` set to ``value`` meanwhile: ``off`` for a cold import, a directory for a warm one."""
    from kg.curation.cache import CACHE_ENV_VAR

    before = os.environ.get(CACHE_ENV_VAR)
    os.environ[CACHE_ENV_VAR] = value
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(CACHE_ENV_VAR, None)
        else:
            os.environ[CACHE_ENV_VAR] = before


def _read_raw(files: list[Path]) -> int:
    rows = 0
    for path in files:
        with path.open(encoding="utf-8", newline="") as handle:
            rows += sum(1 for _ in csv.DictReader(handle, delimiter="\t"))
    return rows


def _statements(files: list[Path]) -> list[str]:
    """Every evidence statement of the release, as the import reads it."""
    path = next(path for path in files if "ClinicalEvidence" in path.name)
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [row["evidence_statement"].strip() for row in reader]


def _extract(statements: list[str]) -> int:
    """The results grammar over every statement, as the import runs it (figures → outcomes)."""
    from kg.civic.outcomes import read_outcomes

    return sum(len(read_outcomes(statement).outcomes) for statement in statements)


def measure_civic_import(config: Config) -> dict[str, Any]:
    """Median import time of the bundled CIViC release and of the csv baseline, in one process."""
    from kg.civic import import_civic
    from kg.curation.load import default_data_dir, load_curated

    data_dir = default_data_dir()
    civic_dir = Path(config.civic_release) if config.civic_release else data_dir / "civic"
    files = sorted(civic_dir.glob("*Summaries.tsv"))
    if not files:
        return {"skipped": f"no CIViC release in {civic_dir}"}
    curated = load_curated(data_dir)
    with tempfile.TemporaryDirectory(prefix="kg-bench-civic-cache-") as directory:
        if config.civic_warmup:
            with _cache("off"):  # cold: no outcomes kept from an earlier import, the grammar reads every statement
                result = import_civic(civic_dir, curated)  # also the warm-up; its counts go in the report
                imports = sample(lambda: import_civic(civic_dir, curated), runs=config.civic_runs, warmup=0)
            with _cache(directory):
                import_civic(civic_dir, curated)  # keeps the outcomes the next imports read
        else:
            with _cache(directory):  # an empty cache: as cold as "off", and it keeps the outcomes for the warm runs
                started = time.perf_counter()
                result = import_civic(civic_dir, curated)
                imports = [time.perf_counter() - started]
        with _cache(directory):
            warm = sample(lambda: import_civic(civic_dir, curated), runs=config.civic_runs, warmup=0)
    rows = _read_raw(files)  # also the warm-up of the baseline
    statements = _statements(files)
    reads = sample(lambda: _read_raw(files), runs=config.civic_runs, warmup=0)
    extracts = sample(lambda: _extract(statements), runs=config.civic_runs, warmup=0)
    items = result.report.rows_read
    evidence = sum(count for name, count in items.items() if "ClinicalEvidence" in name)
    import_s, read_s = summarize(imports), summarize(reads)
    return {
        "release": result.report.release,
        "rows_read": items,
        "rows": rows,
        "evidence_items": evidence,
        "merges": len(result.report.merges),
        "outcomes_extracted": result.report.outcomes_extracted,
        "import_s": import_s.as_dict(),
        "import_warm_s": summarize(warm).as_dict(),
        "csv_read_s": read_s.as_dict(),
        "statements": len(statements),
        "extract_s": summarize(extracts).as_dict(),
        "import_over_csv": ratio(import_s.median, read_s.median),
        "evidence_items_per_s": round(evidence / import_s.median) if import_s.median else None,
    }
