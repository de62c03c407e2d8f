"""Escaping for the text formats, and the checks that keep every export readable by every parser.

N-Triples and Turtle share one literal escape (N-Triples is a subset of
Turtle): backslash, quote, CR, LF and tab get their short escapes; every
other C0 control character, DEL, U+0085, U+2028 and U+2029 is written as
``\\uXXXX``, because some line-oriented readers split lines on them
(Python's ``str.splitlines`` does). Everything else is written as UTF-8.

IRIs cannot be escaped that way by every reader (rdflib does not decode
``\\u`` in IRIs), so an IRI with a character that N-Triples forbids in an
IRI is refused instead (:class:`UnwritableError`).

RDF/XML is XML 1.0, which cannot carry most C0 control characters *at
all*, not even as character references (``&#1;`` is not well-formed). The
RDF/XML writer therefore refuses such text with an error naming the record
and the field (:func:`xml_forbidden`); it never writes a file that a
conforming parser rejects, and it never alters the text. CR is written as
``&#13;`` so XML's line-end normalisation cannot turn it into LF.
"""

from __future__ import annotations

import re

__all__ = [
    "UnwritableError",
    "escape_literal",
    "escape_xml_attribute",
    "escape_xml_text",
    "iri_problem",
    "xml_forbidden",
]


class UnwritableError(ValueError):
    """A string that a format cannot carry faithfully (the writer turns it into an ExportError)."""


_SHORT = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_ESCAPES: dict[int, str] = {
    code: _SHORT.get(chr(code), f"\\u{code:04X}") for code in [*range(0x20), 0x22, 0x5C, 0x7F, 0x85, 0x2028, 0x2029]
}
_NEEDS_ESCAPE = re.compile('[\\x00-\\x1f"\\\\\\x7f\\x85\\u2028\\u2029\\ud800-\\udfff]')
_SURROGATE = re.compile("[\\ud800-\\udfff]")


def escape_literal(text: str) -> str:
    """Body of an N-Triples/Turtle ``"..."`` literal; lone surrogates raise :class:`UnwritableError`."""
    if _NEEDS_ESCAPE.search(text) is None:
        return text
    surrogate = _SURROGATE.search(text)
    if surrogate is not None:
        raise UnwritableError(f"contains a lone surrogate U+{ord(surrogate.group()):04X} (not encodable as UTF-8)")
    return text.translate(_ESCAPES)


_IRI_FORBIDDEN = re.compile('[\\x00-\\x20<>"{}|^`\\\\\\ud800-\\udfff]')


def iri_problem(iri: str) -> str | None:
    """Why ``iri`` cannot be written in N-Triples/Turtle/RDF/XML, or ``None``."""
    bad = _IRI_FORBIDDEN.search(iri)
    if bad is None:
        return None
    return f"IRI {iri!r} contains U+{ord(bad.group()):04X}, which no RDF syntax allows in an IRI"


# XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
_XML_FORBIDDEN = re.compile("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\ud800-\\udfff\\ufffe\\uffff]")
_XML_TEXT = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord("\r"): "&#13;"}
_XML_ATTR = {**_XML_TEXT, ord('"'): "&quot;", ord("\n"): "&#10;", ord("\t"): "&#9;"}
_XML_TEXT_NEEDS = re.compile("[&<>\\r]")


def xml_forbidden(text: str) -> str | None:
    """Description of the first character XML 1.0 cannot represent in ``text``, or ``None``."""
    bad = _XML_FORBIDDEN.search(text)
    if bad is None:
        return None
    return f"contains U+{ord(bad.group()):04X}, which XML 1.0 (RDF/XML) cannot represent"


def escape_xml_text(text: str) -> str:
    """Element content: ``& < >`` and CR escaped (the caller has checked :func:`xml_forbidden`)."""
    return text.translate(_XML_TEXT) if _XML_TEXT_NEEDS.search(text) else text


def escape_xml_attribute(text: str) -> str:
    """A double-quoted attribute value (IRIs, datatypes)."""
    return text.translate(_XML_ATTR)
