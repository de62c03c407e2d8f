"""How a record's own rules report: every violation at once, each at the field it concerns.

Rules about one record (a CI that contains its value, a combination of
several drugs, events in date order) are pydantic model validators on the
record, so every way of building a record gets them: a data file, the CIViC
importer, a test. Pydantic's ``ValueError`` would blame the whole record
with one message; :class:`Violations` instead collects each broken rule
with its field path and raises them together as one ``ValidationError``
whose locations are those fields (``outcomes[2].ci_lower`` once nested). So
``kg validate`` still says file, record, field and what was expected, and
one run shows every problem of the record. Rules that need other records
(dangling references, arms of the item's study) stay in
:mod:`kg.curation.validate`.
"""

from __future__ import annotations

from pydantic import ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

__all__ = ["RULE_ERROR_TYPE", "Violations"]

#: The pydantic error type of a broken record rule (``error["type"]``).
RULE_ERROR_TYPE = "record_rule"

Location = tuple[str | int, ...]


class Violations:
    """Broken rules of one record, raised together by :meth:`raise_if_any`."""

    def __init__(self) -> None:
        self._details: list[InitErrorDetails] = []

    def add(self, field: str | Location, expected: str, got: object | None = None) -> None:
        """Record that ``field`` breaks a rule: ``expected`` says what a valid value is, ``got`` what it is."""
        location: Location = (field,) if isinstance(field, str) else field
        # No context is given, so pydantic never formats the message: braces in it are kept as they are.
        error = PydanticCustomError(RULE_ERROR_TYPE, expected)
        self._details.append(InitErrorDetails(type=error, loc=location, input=got))

    def raise_if_any(self, model: str) -> None:
        """Raise one ValidationError (titled ``model``) holding every violation added; nothing if none was."""
        if self._details:
            raise ValidationError.from_exception_data(model, self._details)
