"""kg.rdf.terms renders terms with str formatting only where that is exactly what pyoxigraph writes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyoxigraph import Literal, NamedNode

from kg.rdf.iris import namespaces, record_iri
from kg.rdf.literals import (
    XSD_ANY_URI,
    XSD_DECIMAL,
    XSD_G_YEAR,
    XSD_INTEGER,
    decimal_lexical,
    partial_date_datatype,
)
from kg.rdf.terms import curie_term, date_term, decimal_term, integer_term, text_term, typed_text, year_term
from kg.rdf.xmlchars import xml_forbidden

_ALL = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]


def test_every_code_point_is_a_literal_as_pyoxigraph_writes_it():
    """The fast path (nothing to escape) is taken only where pyoxigraph writes the text as it is."""
    for ch in _ALL:
        assert text_term(ch) == str(Literal(ch)), hex(ord(ch))
        assert text_term(f"a{ch}b") == str(Literal(f"a{ch}b")), hex(ord(ch))


def test_text_the_fast_path_takes_is_xml_text():
    """Printable text needs no RDF/XML check: XML 1.0 allows every printable character."""
    for ch in _ALL:
        if ch.isprintable():
            assert xml_forbidden(ch) is None, hex(ord(ch))


def test_lone_surrogates_are_refused_as_pyoxigraph_refuses_them():
    with pytest.raises(ValueError):
        text_term("a\ud800")


@given(st.text())
def test_any_text(text):
    try:
        expected = str(Literal(text))
    except ValueError:
        with pytest.raises(ValueError):
            text_term(text)
        return
    assert text_term(text) == expected
    assert typed_text(XSD_ANY_URI)(text) == str(Literal(text, datatype=NamedNode(XSD_ANY_URI)))


_LOCAL = st.text(alphabet="abcXYZ019._~:/()-%#?<> é", max_size=12)


@given(st.sampled_from(sorted(namespaces())), _LOCAL)
def test_curie_iris_are_what_pyoxigraph_writes(prefix, local):
    curie = f"{prefix}:{local}"
    try:
        expected = str(NamedNode(record_iri(curie)))
    except ValueError:
        with pytest.raises(ValueError):
            curie_term(curie)
        return
    assert curie_term(curie) == expected


def test_typed_literals():
    for value in (Decimal("30.0"), Decimal("1E-7"), Decimal("-2.50"), Decimal("0")):
        assert decimal_term(XSD_DECIMAL)(value) == str(Literal(decimal_lexical(value), datatype=NamedNode(XSD_DECIMAL)))
    with pytest.raises(ValueError):
        decimal_term(XSD_DECIMAL)(Decimal("NaN"))
    for number in (0, 7, -3, 12345678901234567890):
        assert integer_term(XSD_INTEGER)(number) == str(Literal(str(number), datatype=NamedNode(XSD_INTEGER)))
    assert year_term(XSD_G_YEAR)(987) == str(Literal("0987", datatype=NamedNode(XSD_G_YEAR)))
    for date in ("2020", "2020-05", "2020-05-17"):
        assert date_term(date) == str(Literal(date, datatype=NamedNode(partial_date_datatype(date))))
    with pytest.raises(ValueError):
        date_term("20201")
