"""Reading CIViC's TSV release files with errors that name file, row and column.

CIViC's nightly and monthly TSVs are plain tab-separated text: one record
per line, no quoting (a ``"`` inside a statement is just a character), the
first line names the columns. ``csv`` with its default dialect would treat
quotes specially and silently merge lines, so this reader splits on tabs
itself and checks every row against the header: a row with the wrong number
of fields is an error, never padded or truncated.

Text a release cannot sensibly hold is refused with the cell that holds it:
bytes that are not UTF-8, and control characters (U+0000, U+0007, U+001B…,
:data:`kg.curation.datafiles.CONTROL_CHARACTERS`), which no statement
contains and which XML 1.0 cannot carry at all.

Rows are numbered as a user counts them in a spreadsheet: the header is line
1 and data row 1 is line 2. Every problem is a :class:`~kg.core.errors.DataError`
whose ``record`` is ``"row 17 (line 18)"`` and whose ``field`` is the CIViC
column name, so the message says exactly which cell to fix.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.core.errors import DataError
from kg.curation.datafiles import CONTROL_CHARACTERS, control_character

__all__ = ["TsvRow", "TsvTable", "read_tsv"]


@dataclass(frozen=True, slots=True)
class TsvRow:
    """One data row: its position, its cells by column name, and how to blame a cell."""

    file: str
    number: int  # 1-based data row number; the line in the file is number + 1
    cells: dict[str, str]

    @property
    def record(self) -> str:
        """How error messages name this row."""
        return f"row {self.number} (line {self.number + 1})"

    def __getitem__(self, column: str) -> str:
        return self.cells[column]

    def get(self, column: str, default: str = "") -> str:
        return self.cells.get(column, default)

    def error(self, column: str, expected: str, got: object | None = None) -> DataError:
        """A DataError about one cell of this row."""
        return DataError(self.file, self.record, column, expected, got)


@dataclass
class TsvTable:
    """A whole TSV file: display name, header and rows (only when every row was well-formed)."""

    file: str
    header: tuple[str, ...]
    rows: list[TsvRow] = field(default_factory=list)

    def __iter__(self) -> Iterator[TsvRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def read_tsv(path: Path, display: str, required: Sequence[str], errors: list[DataError]) -> TsvTable | None:
    """Read ``path``; append every structural problem to ``errors`` and return ``None`` if there was one.

    ``required`` lists the columns the importer reads; extra columns are
    allowed (CIViC adds columns between releases) but a missing one is an
    error naming the column. Cell values are kept verbatim except for a
    trailing carriage return (files saved on Windows).
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        errors.append(DataError(display, "(file)", "(file)", "an existing CIViC TSV file"))
        return None
    except IsADirectoryError:
        errors.append(DataError(display, "(file)", "(file)", "a CIViC TSV file, not a directory"))
        return None
    except OSError as error:
        errors.append(DataError(display, "(file)", "(file)", "a readable CIViC TSV file", error.strerror))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        at = raw.count(b"\n", 0, error.start) + 1
        where = "header (line 1)" if at == 1 else f"row {at - 1} (line {at})"
        errors.append(
            DataError(
                display,
                where,
                "(encoding)",
                "UTF-8 text",
                f"byte {error.start} (0x{raw[error.start]:02x}) is not valid UTF-8",
            )
        )
        return None
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines or not lines[0].strip():
        errors.append(DataError(display, "header (line 1)", "(header)", "a header line naming the columns", ""))
        return None
    header = tuple(name.rstrip("\r") for name in lines[0].split("\t"))
    found = len(errors)
    seen: set[str] = set()
    for name in header:
        if name in seen:
            errors.append(DataError(display, "header (line 1)", name, "each column name once", name))
        seen.add(name)
    for name in required:
        if name not in seen:
            errors.append(
                DataError(
                    display,
                    "header (line 1)",
                    name,
                    f"a column named {name!r} (the header has {len(header)} columns: {', '.join(header)})",
                )
            )
    if len(errors) > found:
        return None
    if CONTROL_CHARACTERS.search(text) is not None:
        _control_character_errors(display, header, lines, errors)
        return None
    table = TsvTable(display, header)
    width = len(header)
    for number, line in enumerate(lines[1:], start=1):
        values = line.rstrip("\r").split("\t")
        if len(values) != width:
            if line.strip() == "":
                errors.append(DataError(display, f"row {number} (line {number + 1})", "(row)", "no blank lines", ""))
            else:
                errors.append(
                    DataError(
                        display,
                        f"row {number} (line {number + 1})",
                        header[len(values)] if len(values) < width else f"(after {header[-1]})",
                        f"{width} tab-separated fields, as in the header (a missing or extra tab?)",
                        f"{len(values)} fields",
                    )
                )
            continue
        table.rows.append(TsvRow(display, number, dict(zip(header, values, strict=True))))
    if len(errors) > found:
        return None
    return table


def _control_character_errors(display: str, header: tuple[str, ...], lines: list[str], errors: list[DataError]) -> None:
    """One error per cell holding a control character (row and column), for a file known to hold one."""
    for number, line in enumerate(lines[1:], start=1):
        if CONTROL_CHARACTERS.search(line) is None:
            continue
        for column, value in zip(header, line.rstrip("\r").split("\t"), strict=False):
            problem = control_character(value)
            if problem is not None:
                errors.append(
                    DataError(
                        display,
                        f"row {number} (line {number + 1})",
                        column,
                        f"text without control characters (found {problem}; XML 1.0 cannot carry it, so no "
                        "RDF/XML export or SPARQL XML answer could)",
                        value,
                    )
                )
