"""Load the curated data directory into a validated :class:`~kg.model.Corpus`, or nothing.

Loading is all-or-nothing: every file is parsed, every record validated
against its model, then every cross-record rule of :mod:`kg.curation.validate` runs;
if anything is wrong a :class:`~kg.core.errors.CorpusError` lists *all* the
problems (file, record, field, expected) and no corpus is returned.

Layout of a data directory (see ``data/README.md``)::

    data/registry/*.yaml   entity registries (drugs, genes, diseases, ...)
    data/papers/*.yaml     one file per source publication
    data/texts/*.txt       plain texts that quotes are checked against
    data/civic/            CIViC release files (imported by kg.civic)
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from kg.core.errors import CorpusError, DataError
from kg.curation.datafiles import DataFileError, RawRecord, read_data_file
from kg.curation.validate import Located, ValidationContext, validate_records
from kg.model import SECTIONS, Corpus, EvidenceItem, PatientCase, Record, Source, Study

__all__ = [
    "CURATED_DIRS",
    "DATA_ENV_VAR",
    "curated_files",
    "data_version",
    "default_data_dir",
    "load_corpus",
    "load_curated",
    "parse_raw_records",
]

#: Environment variable that points evidence-kg at another data directory.
DATA_ENV_VAR = "EVIDENCE_KG_DATA"
#: Sub-directories of the data directory that hold curated YAML files.
CURATED_DIRS = ("registry", "papers")


def default_data_dir() -> Path:
    """The data directory: ``$EVIDENCE_KG_DATA``, else the checkout's ``data/``, else the installed copy."""
    configured = os.environ.get(DATA_ENV_VAR)
    if configured:
        return Path(configured)
    checkout = Path(__file__).resolve().parents[2] / "data"
    if (checkout / "registry").is_dir():
        return checkout
    return Path(str(resources.files("kg") / "_data"))


def curated_files(data_dir: Path) -> list[Path]:
    """Curated YAML files of a data directory, in load order."""
    files: list[Path] = []
    for sub in CURATED_DIRS:
        files += sorted((data_dir / sub).glob("*.yaml"))
    return files


def data_version(data_dir: Path) -> str:
    """A short content hash of the curated files and texts: changes whenever the data does."""
    digest = hashlib.sha256()
    for path in [*curated_files(data_dir), *sorted((data_dir / "texts").glob("*.txt"))]:
        digest.update(path.relative_to(data_dir).as_posix().encode())
        digest.update(path.read_bytes())
    return f"curated-{digest.hexdigest()[:12]}"


def _pydantic_errors(raw: RawRecord, error: ValidationError) -> Iterable[DataError]:
    model = SECTIONS[raw.section]
    for problem in error.errors(include_url=False):
        location = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in problem["loc"]).lstrip(".")
        message = problem["msg"].removeprefix("Value error, ")
        if problem["type"] == "extra_forbidden":
            known = ", ".join(model.model_fields) if "." not in location and "[" not in location else "see the model"
            message = f"no such field (known fields: {known})"
        elif problem["type"] == "missing":
            message = "this required field"
        yield DataError(
            raw.file,
            raw.label,
            location or "(record)",
            message,
            problem.get("input") if problem["type"] != "missing" else None,
        )


def parse_raw_records(raw_records: Iterable[RawRecord]) -> tuple[list[Located], list[DataError]]:
    """Validate raw records against their section's model; return the valid ones and every error."""
    located: list[Located] = []
    errors: list[DataError] = []
    for raw in raw_records:
        model = SECTIONS.get(raw.section)
        if model is None:
            errors.append(DataError(raw.file, raw.label, raw.section, f"a known section, one of {', '.join(SECTIONS)}"))
            continue
        if not isinstance(raw.data, dict):
            errors.append(DataError(raw.file, raw.label, "(record)", "a mapping of field name to value", raw.data))
            continue
        try:
            record = model.model_validate(raw.data)
        except ValidationError as error:
            errors.extend(_pydantic_errors(raw, error))
            continue
        located.append(Located(record, raw.file, raw.label))
    return located, errors


def _index_ids(located: list[Located]) -> tuple[dict[str, Located], list[DataError]]:
    """Every id (records, study arms, case events) → where it is defined; duplicates are errors."""
    by_id: dict[str, Located] = {}
    errors: list[DataError] = []

    def claim(record_id: str, entry: Located, field: str) -> None:
        first = by_id.get(record_id)
        if first is not None:
            errors.append(
                entry.error(
                    field, f"a unique id; {record_id} is already defined in {first.file} by {first.label}", record_id
                )
            )
        else:
            by_id[record_id] = entry

    for entry in located:
        record = entry.record
        claim(record.id, entry, "id")  # type: ignore[attr-defined]
        nested: tuple[tuple[str, Record], ...] = ()
        if isinstance(record, Study):
            nested = tuple((f"arms[{i}].id", arm) for i, arm in enumerate(record.arms))
        elif isinstance(record, PatientCase):
            nested = tuple((f"events[{i}].id", event) for i, event in enumerate(record.events))
        for field, child in nested:
            claim(child.id, Located(child, entry.file, entry.label), field)  # type: ignore[attr-defined]
    return by_id, errors


def _read_texts(data_dir: Path, located: list[Located]) -> tuple[dict[str, str], dict[str, str]]:
    texts: dict[str, str] = {}
    names: dict[str, str] = {}
    for entry in located:
        source = entry.record
        if isinstance(source, Source) and source.text_file:
            path = data_dir / source.text_file
            names[source.id] = f"data/{source.text_file}"
            if path.is_file():
                texts[source.id] = path.read_text(encoding="utf-8")
    return texts, names


def load_curated(data_dir: Path | None = None) -> Corpus:
    """Load and validate every curated file of ``data_dir``; raise CorpusError listing all problems."""
    data_dir = data_dir or default_data_dir()
    files = curated_files(data_dir)
    errors: list[DataError] = []
    if not files:
        raise CorpusError(
            [DataError(str(data_dir), "-", "registry/, papers/", "a data directory with curated *.yaml files")]
        )
    raw_records: list[RawRecord] = []
    for path in files:
        display = path.relative_to(data_dir.parent).as_posix() if data_dir.parent in path.parents else str(path)
        try:
            raw_records += read_data_file(path, display)
        except DataFileError as error:
            errors.append(
                DataError(
                    display, "-", "(file)", "well-formed YAML: a mapping of section name to list of records", str(error)
                )
            )
    located, schema_errors = parse_raw_records(raw_records)
    errors += schema_errors
    by_id, id_errors = _index_ids(located)
    errors += id_errors
    texts, text_names = _read_texts(data_dir, located)
    context = ValidationContext(by_id=by_id, texts=texts, text_files=text_names)
    errors += validate_records(located, context)
    if errors:
        raise CorpusError(errors)
    # proposed items (kg propose drafts) are validated above but not served until a curator accepts them
    served = (e.record for e in located if not (isinstance(e.record, EvidenceItem) and e.record.is_proposed()))
    return Corpus.from_records(served, texts=texts, version=data_version(data_dir))


def load_corpus(data_dir: Path | None = None, *, include_civic: bool = True, use_cache: bool = True) -> Corpus:
    """The whole knowledge base: the curated corpus, plus the CIViC release in ``data/civic/`` when present.

    The validated result is cached on disk under a hash of every input file
    and of the code (see :mod:`kg.curation.cache`), so a second start skips validation
    and import; any change to data or code validates afresh.
    """
    data_dir = (data_dir or default_data_dir()).resolve()
    civic_dir = data_dir / "civic"
    with_civic = include_civic and civic_dir.is_dir()

    def build() -> Corpus:
        curated = load_curated(data_dir)
        if not with_civic:
            return curated
        from kg.civic import import_civic

        return import_civic(civic_dir, curated).corpus

    if not use_cache:
        return build()
    from kg.curation.cache import cached, fingerprint

    inputs = [*curated_files(data_dir), *sorted((data_dir / "texts").glob("*"))]
    if with_civic:
        inputs += sorted(path for path in civic_dir.iterdir() if path.is_file())
    return cached("corpus", fingerprint(inputs, salt=f"{data_dir}|civic={with_civic}"), build)
