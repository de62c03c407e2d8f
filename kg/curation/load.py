"""Load the curated data directory into a validated :class:`~kg.model.Corpus`, or nothing.

This module reads curated files only; putting the whole knowledge base
together (curated data, the CIViC release, the disk cache) is
:mod:`kg.curation.assemble`'s job, so the CIViC importer can use the curated
loader without the loader depending on the importer.

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
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from kg.core.errors import CorpusError, DataError
from kg.curation.datafiles import (
    WELL_FORMED,
    DataFileError,
    RawRecord,
    control_character,
    read_data_file,
    read_text_file,
)
from kg.curation.validate import Located, ValidationContext, validate_records
from kg.model import SECTIONS, Corpus, Node, PatientCase, Source, Study
from kg.model.curation import DRAFT_SECTIONS, served

__all__ = [
    "CURATED_DIRS",
    "DATA_ENV_VAR",
    "curated_files",
    "data_version",
    "default_data_dir",
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
        digest.update(path.read_bytes() if path.is_file() else b"(not a file)")
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


#: What a text value must be, as the error says it.
NO_CONTROL_CHARACTERS = (
    "text without control characters (XML 1.0 cannot carry them, so no RDF/XML or SPARQL XML answer could; "
    "YAML escapes such as \\x07 included)"
)


def _control_characters(value: object, field: str = "") -> Iterator[tuple[str, str]]:
    """(field path, where) of every string in a raw record that holds a control character."""
    if isinstance(value, str):
        problem = control_character(value)
        if problem is not None:
            yield field or "(record)", problem
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _control_characters(item, f"{field}.{key}" if field else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _control_characters(item, f"{field}[{index}]")


def parse_raw_records(raw_records: Iterable[RawRecord]) -> tuple[list[Located], list[DataError]]:
    """Validate raw records against their section's model; return the valid ones and every error."""
    located: list[Located] = []
    errors: list[DataError] = []
    for raw in raw_records:
        model = SECTIONS.get(raw.section) or DRAFT_SECTIONS.get(raw.section)
        if model is None:
            known = ", ".join([*SECTIONS, *DRAFT_SECTIONS])
            errors.append(DataError(raw.file, raw.label, raw.section, f"a known section, one of {known}"))
            continue
        if not isinstance(raw.data, dict):
            errors.append(DataError(raw.file, raw.label, "(record)", "a mapping of field name to value", raw.data))
            continue
        controls = list(_control_characters(raw.data))
        if controls:
            errors += [
                DataError(raw.file, raw.label, field, f"{NO_CONTROL_CHARACTERS}; found {where}")
                for field, where in controls
            ]
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
        claim(record.id, entry, "id")
        nested: tuple[tuple[str, Node], ...] = ()
        if isinstance(record, Study):
            nested = tuple((f"arms[{i}].id", arm) for i, arm in enumerate(record.arms))
        elif isinstance(record, PatientCase):
            nested = tuple((f"events[{i}].id", event) for i, event in enumerate(record.events))
        for field, child in nested:
            claim(child.id, Located(child, entry.file, entry.label), field)
    return by_id, errors


def _read_texts(data_dir: Path, located: list[Located]) -> tuple[dict[str, str], dict[str, str], list[DataError]]:
    """Texts of the sources that name a text file, their display names, and errors reading them."""
    texts: dict[str, str] = {}
    names: dict[str, str] = {}
    errors: list[DataError] = []
    for entry in located:
        source = entry.record
        if isinstance(source, Source) and source.text_file:
            path = data_dir / source.text_file
            names[source.id] = f"data/{source.text_file}"
            if path.exists():  # a missing file is check_source_links' error, with the record that names it
                try:
                    texts[source.id] = read_text_file(path)
                except DataFileError as error:
                    where = f"line {error.line}" if error.line else "(whole file)"
                    errors.append(DataError(names[source.id], where, error.field, error.expected, error.reason))
    return texts, names, errors


def _file_error(display: str, error: DataFileError) -> DataError:
    expected = error.expected
    if error.field == "(file)" and expected == WELL_FORMED:
        expected += CASCADE_NOTE
    return DataError(
        display, f"line {error.line}" if error.line else "(whole file)", error.field, expected, error.reason
    )


#: Appended to a file's error: the cross-record checks wait, so one typo does not bring dozens of "unknown id"s.
CASCADE_NOTE = " (checks across files wait until every file parses: ids defined here are not reported as unknown)"


def load_curated(data_dir: Path | None = None) -> Corpus:
    """Load and validate every curated file of ``data_dir``; raise CorpusError listing all problems.

    When a file (or a source's text) cannot be read or parsed, its error is
    reported with every schema error of the other files, and the
    cross-record rules do not run: references into the unreadable file
    would all look dangling, and quotes of an unreadable text all look
    unquoted, burying the one real error under dozens of consequences.
    """
    data_dir = data_dir or default_data_dir()
    files = curated_files(data_dir)
    errors: list[DataError] = []
    if not files:
        raise CorpusError(
            [DataError(str(data_dir), "-", "registry/, papers/", "a data directory with curated *.yaml files")]
        )
    raw_records: list[RawRecord] = []
    unreadable = False
    for path in files:
        display = path.relative_to(data_dir.parent).as_posix() if data_dir.parent in path.parents else str(path)
        try:
            raw_records += read_data_file(path, display)
        except DataFileError as error:
            errors.append(_file_error(display, error))
            unreadable = True
    located, schema_errors = parse_raw_records(raw_records)
    errors += schema_errors
    by_id, id_errors = _index_ids(located)
    errors += id_errors
    texts, text_names, text_errors = _read_texts(data_dir, located)
    errors += text_errors
    if not unreadable and not text_errors:
        refused = frozenset(
            raw.data["id"]
            for raw in raw_records
            if isinstance(raw.data, dict) and isinstance(raw.data.get("id"), str) and raw.data["id"] not in by_id
        )
        context = ValidationContext(by_id=by_id, texts=texts, text_files=text_names, refused=refused)
        errors += validate_records(located, context)
    if errors:
        raise CorpusError(errors)
    # drafts (kg propose) are validated above, but served only once accepted (kg.model.curation)
    records = (record for entry in located if (record := served(entry.record)) is not None)
    return Corpus.from_records(records, texts=texts, version=data_version(data_dir))
