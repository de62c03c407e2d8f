"""What RDF/XML cannot carry: the characters XML 1.0 forbids, even as character references.

RDF/XML is XML 1.0, whose ``Char`` production excludes most C0 control
characters (U+0000–U+0008, U+000B, U+000C, U+000E–U+001F) and U+FFFE/U+FFFF:
a file holding one is not well-formed and no conforming parser reads it
(``&#1;`` is not allowed either). rdflib's and pyoxigraph's RDF/XML writers
both write such characters as they are, so the export checks every text
before writing RDF/XML and refuses with an error naming the record and the
field (:mod:`kg.rdf.triples`); it never alters the text. Turtle, N-Triples
and JSON-LD carry it exactly.

CR is allowed, but XML parsers normalise a raw CR to LF: pyoxigraph writes
CR raw, so :func:`protect_carriage_returns` turns each into ``&#13;``.
"""

from __future__ import annotations

import re

__all__ = ["protect_carriage_returns", "xml_forbidden"]

# XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
_XML_FORBIDDEN = re.compile("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\ud800-\\udfff\\ufffe\\uffff]")


def xml_forbidden(text: str) -> str | None:
    """Description of the first character XML 1.0 cannot represent in ``text``, or ``None``."""
    bad = _XML_FORBIDDEN.search(text)
    if bad is None:
        return None
    return f"contains U+{ord(bad.group()):04X}, which XML 1.0 (RDF/XML) cannot represent"


def protect_carriage_returns(rdfxml: bytes) -> bytes:
    """pyoxigraph's RDF/XML with every raw CR written ``&#13;``, so a parser reads back CR, not LF.

    Safe on that output: a CR byte can only be text content there (IRIs,
    datatypes and language tags cannot hold one, and UTF-8 never uses the
    byte inside another character), where ``&#13;`` stands for exactly CR.
    """
    return rdfxml.replace(b"\r", b"&#13;") if b"\r" in rdfxml else rdfxml
