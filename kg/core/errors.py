"""The exception tree of evidence-kg.

Every error a user can cause carries the bad value and what was expected,
so the CLI and the API can turn it into a message that tells the user how
to fix their input, never a traceback::

    EvidenceKGError
    ├── DataError            one problem in one record of one data file
    ├── CorpusError          all DataErrors found while loading; nothing was loaded
    ├── UnknownEntityError   a name or id that resolves to nothing (with suggestions)
    ├── InvalidQueryError    a query parameter with a bad value (names the parameter)
    ├── ExportError          an export that could not be written
    └── BundleError          an answer bundle that cannot be read or verified (names the file and field)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = [
    "BundleError",
    "CorpusError",
    "DataError",
    "EvidenceKGError",
    "ExportError",
    "InvalidQueryError",
    "UnknownEntityError",
]


class EvidenceKGError(Exception):
    """Base class of every error raised on purpose by evidence-kg."""


class DataError(EvidenceKGError):
    """One problem in one record of one data file.

    ``file`` is the path as the user knows it, ``record`` the record's id (or
    its position when it has none, e.g. ``"row 17"``), ``field`` a dotted path
    into the record (``outcomes[0].ci_lower``) and ``expected`` says what a
    valid value looks like.
    """

    def __init__(
        self,
        file: str,
        record: str,
        field: str,
        expected: str,
        got: object | None = None,
    ) -> None:
        self.file = file
        self.record = record
        self.field = field
        self.expected = expected
        self.got = got
        super().__init__(self.describe())

    def describe(self) -> str:
        got = "" if self.got is None else f"; got {_short_repr(self.got)}"
        return f"{self.file}: record {self.record}: field {self.field}: expected {self.expected}{got}"

    def as_dict(self) -> dict[str, str]:
        return {
            "file": self.file,
            "record": self.record,
            "field": self.field,
            "expected": self.expected,
            "got": "" if self.got is None else _short_repr(self.got),
        }


class CorpusError(EvidenceKGError):
    """Loading stopped because the data has errors; nothing was loaded."""

    def __init__(self, errors: Iterable[DataError]) -> None:
        self.errors: list[DataError] = list(errors)
        lines = [f"{len(self.errors)} data error(s); nothing was loaded:"]
        lines += [f"  - {error.describe()}" for error in self.errors]
        super().__init__("\n".join(lines))


class UnknownEntityError(EvidenceKGError, LookupError):
    """A name or id that does not resolve to any entity of the graph."""

    def __init__(self, value: str, kind: str = "entity", suggestions: Sequence[str] = ()) -> None:
        self.value = value
        self.kind = kind
        self.suggestions = list(suggestions)
        hint = f"; did you mean: {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"unknown {kind} {value!r}{hint}")


class InvalidQueryError(EvidenceKGError, ValueError):
    """A query parameter whose value cannot be used; names the parameter."""

    def __init__(self, parameter: str, value: object, expected: str) -> None:
        self.parameter = parameter
        self.value = value
        self.expected = expected
        super().__init__(f"parameter {parameter!r}: expected {expected}; got {_short_repr(value)}")


class ExportError(EvidenceKGError):
    """An export that could not be produced or written."""


class BundleError(EvidenceKGError):
    """An answer bundle that cannot be read or verified: not JSON, not a bundle, a field missing or malformed."""

    def __init__(self, source: str, field: str | None, expected: str) -> None:
        self.source = source
        self.field = field
        self.expected = expected
        where = f"{source}, field {field!r}" if field else source
        super().__init__(f"{where}: expected {expected}")


def _short_repr(value: object, limit: int = 120) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
