"""N-Triples terms as pyoxigraph writes them, rendered with str formatting where that is provably the same.

The export states every triple as its N-Triples statement, byte for byte
what ``pyoxigraph.serialize`` writes (``tests/test_rdf_roundtrip.py``
compares the bytes on the curated export and on awkward text). Building a
``pyoxigraph.Literal`` or ``NamedNode`` per value costs about 1 µs, which
made term rendering a fifth of the export's time, so the common cases are
formatted here and everything else still goes through pyoxigraph:

* a string literal is ``"`` + the text + ``"`` when the text holds no ``"``
  or ``\\`` and ``str.isprintable()`` holds: pyoxigraph escapes only
  ``"``, ``\\``, the C0 controls, U+007F, U+FFFE and U+FFFF (all of them
  not printable), and refuses lone surrogates (not printable either).
  ``tests/test_rdf_terms.py`` checks every code point. Any other text is
  rendered by ``pyoxigraph.Literal``, which escapes it or refuses it.
* the IRI of a CURIE is ``<`` + namespace + local part + ``>`` when the
  namespace is one of :mod:`kg.rdf.iris` (checked once with pyoxigraph, and
  ending inside the path, so the local part cannot land in the authority)
  and the local part only holds characters every IRI path, query and
  fragment allows as they are (letters, digits, ``-._~:/()``). Anything else
  is validated by ``pyoxigraph.NamedNode``, which raises ``ValueError`` for
  what is no IRI.
* typed literals of numbers are their lexical form (digits, ``-``, ``.``:
  nothing to escape) with the datatype IRI.

Where pyoxigraph raises, these raise the same ``ValueError``, so the
builder's error messages (record and field) are unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from typing import Any

from pyoxigraph import Literal, NamedNode

from kg.rdf.iris import namespaces, record_iri
from kg.rdf.literals import decimal_lexical, partial_date_datatype

__all__ = [
    "curie_term",
    "date_term",
    "decimal_term",
    "integer_term",
    "iri_term",
    "text_term",
    "typed_text",
    "year_term",
]

#: Characters that any IRI path, query or fragment takes as they are (unreserved, and ``:/()``).
_SAFE_LOCAL = re.compile(r"[A-Za-z0-9._~:/()\-]*").fullmatch
#: scheme://authority/ : a namespace whose local parts are appended after the authority.
_HAS_PATH = re.compile(r"[a-z][a-z0-9+.\-]*://[^/?#]+/").match


def iri_term(iri: object) -> str:
    """An IRI as pyoxigraph writes it (``<...>``); ``ValueError`` when it is no valid IRI."""
    return str(NamedNode(str(iri)))


def _safe_bases() -> dict[str, str]:
    """The CURIE namespaces a safe local part can be appended to, as ``<namespace`` (checked by pyoxigraph)."""
    safe: dict[str, str] = {}
    for prefix, base in namespaces().items():
        if _HAS_PATH(base) and iri_term(base) == f"<{base}>":
            safe[prefix] = "<" + base
    return safe


_SAFE_BASES = _safe_bases()


def curie_term(curie: str) -> str:
    """The IRI of our id (or a verified external CURIE) as pyoxigraph writes it; ``ValueError`` if it is none."""
    prefix, _, local = curie.partition(":")
    base = _SAFE_BASES.get(prefix)
    if base is not None and _SAFE_LOCAL(local) is not None:
        return f"{base}{local}>"
    return iri_term(record_iri(curie))


def text_term(value: str) -> str:
    """A plain string literal as pyoxigraph writes it; ``ValueError`` for what it refuses (a lone surrogate)."""
    if '"' in value or "\\" in value or not value.isprintable():
        return str(Literal(value))
    return f'"{value}"'


def typed_text(datatype: str) -> Callable[[str], str]:
    """Renderer of a string literal of ``datatype`` (an IRI), as ``pyoxigraph.Literal(value, datatype=...)``."""
    node = NamedNode(datatype)
    suffix = "^^" + str(node)

    def render(value: str) -> str:
        if '"' in value or "\\" in value or not value.isprintable():
            return str(Literal(value, datatype=node))
        return f'"{value}"{suffix}'

    return render


def _lexical(datatype: str, lexical: Callable[[Any], str]) -> Callable[[Any], str]:
    """Renderer of a typed value whose lexical form needs no escape (digits, ``-``, ``.``)."""
    suffix = "^^" + iri_term(datatype)
    return lambda value: f'"{lexical(value)}"{suffix}'


def decimal_term(datatype: str) -> Callable[[Decimal], str]:
    """``xsd:decimal`` as published (:func:`~kg.rdf.literals.decimal_lexical`; ``ValueError`` for NaN, ∞)."""
    return _lexical(datatype, decimal_lexical)


def integer_term(datatype: str) -> Callable[[int], str]:
    """``xsd:integer``: the integer in decimal digits."""
    return _lexical(datatype, lambda value: str(int(value)))


def year_term(datatype: str) -> Callable[[int], str]:
    """``xsd:gYear`` from an int: at least four digits."""
    return _lexical(datatype, lambda value: f"{int(value):04d}")


@cache
def _date_renderer(length: int) -> Callable[[str], str]:
    return typed_text(partial_date_datatype("2000-01-01"[:length]))


def date_term(value: str) -> str:
    """A partial date as ``xsd:gYear``/``gYearMonth``/``date`` by its length; ``ValueError`` for another length."""
    return _date_renderer(len(value))(value)
