"""Canonical form of curated data files: check it, and rewrite files into it.

Curators edit YAML by hand, so the same record can be spelled many ways
(flow or block lists, field order, a default written out). Committed data
files are kept in one canonical form, the text :func:`kg.curation.datafiles.dump_canonical`
writes: sections in :data:`kg.model.SECTIONS` order, records in file order
(reading order of the paper), fields in model order, defaults left out.
Then a diff shows only what changed in substance, and two curators' edits
merge cleanly.

Canonicalisation goes through the models, so a file with schema errors
cannot be rewritten: those errors are reported (file, record, field,
expected) and the file is left untouched. Comments do not survive: notes
for readers belong in ``curator_note`` fields, where they are data.

``kg lint`` (wired by :mod:`kg.cli`) calls :func:`lint_data`; ``--fix``
rewrites the files that are not canonical.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.core.errors import DataError
from kg.curation.datafiles import DataFileError, dump_canonical, read_data_file
from kg.curation.load import curated_files, default_data_dir, parse_raw_records
from kg.model import SECTIONS, Record
from kg.model.curation import DRAFT_SECTIONS

__all__ = ["LintResult", "canonical_text", "lint_data", "record_to_data"]


def record_to_data(record: Record) -> dict[str, Any]:
    """A record as the plain mapping a data file holds: model field order, defaults left out."""
    return record.model_dump(mode="python", exclude_defaults=True)


def canonical_text(path: Path, display_name: str | None = None) -> tuple[str | None, list[DataError]]:
    """The canonical text of one data file, or ``None`` with the errors that prevent computing it."""
    display = display_name or path.as_posix()
    try:
        raw_records = read_data_file(path, display)
    except DataFileError as error:
        where = f"line {error.line}" if error.line else "(whole file)"
        return None, [DataError(display, where, error.field, error.expected, error.reason)]
    located, errors = parse_raw_records(raw_records)
    if errors:
        return None, errors
    models = {**SECTIONS, **DRAFT_SECTIONS}  # drafts (kg propose) keep their section, after the curated ones
    sections: dict[str, list[dict[str, Any]]] = {name: [] for name in models}
    section_of = {cls: name for name, cls in models.items()}
    for entry in located:
        sections[section_of[type(entry.record)]].append(record_to_data(entry.record))
    return dump_canonical(sections), []


@dataclass(frozen=True)
class LintResult:
    """Outcome of a lint run: files checked, files not canonical (and fixed, with ``fix``), and errors."""

    checked: tuple[str, ...]
    not_canonical: tuple[str, ...]
    fixed: tuple[str, ...]
    errors: tuple[DataError, ...]

    @property
    def ok(self) -> bool:
        """True when every file was canonical (or has been fixed) and none had errors."""
        return not self.errors and set(self.not_canonical) <= set(self.fixed)

    def report(self) -> str:
        """Human-readable summary, one line per problem."""
        lines = [f"{len(self.checked)} data file(s) checked"]
        for name in self.not_canonical:
            state = (
                "rewritten in canonical form" if name in self.fixed else "not in canonical form (run: kg lint --fix)"
            )
            lines.append(f"  - {name}: {state}")
        lines += [f"  - {error.describe()}" for error in self.errors]
        return "\n".join(lines)


def lint_data(data_dir: Path | None = None, *, fix: bool = False) -> LintResult:
    """Check every curated file of ``data_dir`` for canonical form; with ``fix``, rewrite those that are not."""
    data_dir = data_dir or default_data_dir()
    checked: list[str] = []
    not_canonical: list[str] = []
    fixed: list[str] = []
    errors: list[DataError] = []
    for path in curated_files(data_dir):
        display = path.relative_to(data_dir.parent).as_posix()
        checked.append(display)
        text, problems = canonical_text(path, display)
        if text is None:
            errors += problems
            continue
        if path.read_text(encoding="utf-8") != text:
            not_canonical.append(display)
            if fix:
                path.write_text(text, encoding="utf-8")
                fixed.append(display)
    return LintResult(tuple(checked), tuple(not_canonical), tuple(fixed), tuple(errors))
