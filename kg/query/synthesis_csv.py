"""A synthesis's rows as CSV, and back: the spreadsheet form of ``/synthesis``.

One line per outcome row, the columns of :data:`~kg.query.synthesis.ROW_COLUMNS`
in order. The file reads back into exactly the JSON rows
(:func:`read_synthesis_csv`), column types taken from
:class:`~kg.query.synthesis.SynthesisRow` itself: an empty cell is null,
``true``/``false`` are booleans, numbers are written as the JSON answer
carries them (``30.0`` stays ``30.0``; the ``published`` column keeps the
outcome's text exactly as published).

UTF-8 with a byte-order mark (spreadsheet programs need it to read UTF-8),
and, against CSV injection, a text cell that begins with ``=``, ``+``,
``-``, ``@``, tab, CR or ``'`` gets one ``'`` in front so a spreadsheet
shows it as text rather than running it as a formula; reading strips it
again. Number cells are never altered.
"""

from __future__ import annotations

import csv
import io
import types
import typing
from collections.abc import Callable, Iterable
from typing import Any, Literal, cast

from kg.core.errors import InvalidQueryError
from kg.query.synthesis import ROW_COLUMNS, SynthesisRow

__all__ = ["CSV_MEDIA_TYPE", "read_synthesis_csv", "synthesis_csv"]

CSV_MEDIA_TYPE = "text/csv"

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")

Kind = Literal["text", "int", "number", "bool"]


def _kind(annotation: Any) -> Kind:
    """The cell kind of a row key, from its annotation (``Annotated`` and ``None`` stripped)."""
    if typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        parts = [part for part in typing.get_args(annotation) if part is not type(None)]
        if set(parts) <= {int, float}:
            return "int" if parts == [int] else "number"
        annotation = parts[0]
    if annotation is bool:
        return "bool"
    if annotation is int:
        return "int"
    if annotation is float:
        return "number"
    return "text"


_KINDS: dict[str, Kind] = {
    name: _kind(annotation) for name, annotation in typing.get_type_hints(SynthesisRow, include_extras=True).items()
}


def _cell(kind: Kind, value: Any) -> str:
    if value is None:
        return ""
    if kind == "bool":
        return "true" if value else "false"
    if kind in ("int", "number"):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def synthesis_csv(rows: Iterable[SynthesisRow]) -> bytes:
    """The rows as a CSV file (UTF-8 with BOM, CRLF line ends)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(ROW_COLUMNS)
    for row in rows:
        writer.writerow([_cell(_KINDS[column], row[column]) for column in ROW_COLUMNS])  # type: ignore[literal-required]
    return buffer.getvalue().encode("utf-8-sig")


def _number(text: str) -> float | int:
    return float(text) if any(mark in text for mark in ".eEn") else int(text)


_READERS: dict[Kind, Callable[[str], Any]] = {
    "bool": lambda text: {"true": True, "false": False}[text],
    "int": int,
    "number": _number,
    "text": lambda text: text[1:] if text.startswith("'") else text,
}


def read_synthesis_csv(data: bytes) -> list[SynthesisRow]:
    """The rows of a file written by :func:`synthesis_csv`.

    Raises :class:`~kg.core.errors.InvalidQueryError` naming the line and
    column of a cell that is not what its column holds, or a header that is
    not the synthesis header.
    """
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    header = next(reader, None)
    if header is None or tuple(header) != ROW_COLUMNS:
        raise InvalidQueryError("csv", header, f"a synthesis CSV header: {','.join(ROW_COLUMNS)}")
    rows: list[SynthesisRow] = []
    for line, cells in enumerate(reader, start=2):
        if len(cells) != len(ROW_COLUMNS):
            raise InvalidQueryError("csv", f"line {line}", f"{len(ROW_COLUMNS)} cells, not {len(cells)}")
        row: dict[str, Any] = {}
        for column, text in zip(ROW_COLUMNS, cells, strict=True):
            kind = _KINDS[column]
            try:
                row[column] = None if text == "" else _READERS[kind](text)
            except (KeyError, ValueError):
                raise InvalidQueryError("csv", f"line {line}, column {column}: {text!r}", f"a {kind} cell") from None
        rows.append(cast("SynthesisRow", row))
    return rows
