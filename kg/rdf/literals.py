"""Lexical forms of typed values: decimals exactly as published, partial dates by precision."""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from rdflib.namespace import XSD

__all__ = [
    "XSD_ANY_URI",
    "XSD_BOOLEAN",
    "XSD_DATE",
    "XSD_DECIMAL",
    "XSD_G_YEAR",
    "XSD_G_YEAR_MONTH",
    "XSD_INTEGER",
    "decimal_lexical",
    "partial_date_datatype",
]

XSD_DECIMAL: Final = str(XSD.decimal)
XSD_INTEGER: Final = str(XSD.integer)
XSD_BOOLEAN: Final = str(XSD.boolean)
XSD_G_YEAR: Final = str(XSD.gYear)
XSD_G_YEAR_MONTH: Final = str(XSD.gYearMonth)
XSD_DATE: Final = str(XSD.date)
XSD_ANY_URI: Final = str(XSD.anyURI)

_DATE_TYPES = {4: XSD_G_YEAR, 7: XSD_G_YEAR_MONTH, 10: XSD_DATE}


def decimal_lexical(value: Decimal) -> str:
    """The ``xsd:decimal`` lexical form of ``value``, keeping the published digits.

    ``Decimal("30.0")`` stays ``"30.0"``: trailing zeros are part of what was
    published. xsd:decimal has no exponent, so a value Python prints as
    ``1E-7`` is written positionally (``0.0000001``): same value, no digit
    lost. Infinities and NaN have no xsd:decimal form: ``ValueError``.
    """
    if not value.is_finite():
        raise ValueError(f"{value} has no xsd:decimal form")
    text = str(value)
    if "E" in text or "e" in text:
        text = format(value, "f")
    return text


def partial_date_datatype(date: str) -> str:
    """xsd datatype of a partial date by its precision: gYear, gYearMonth or date."""
    try:
        return _DATE_TYPES[len(date)]
    except KeyError:
        raise ValueError(f"not a partial date (YYYY, YYYY-MM or YYYY-MM-DD): {date!r}") from None
