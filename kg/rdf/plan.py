"""The mapping of one model turned, once, into what the triple builder's loop needs: rendered pieces and codes.

:mod:`kg.rdf.triples` writes a node as its subject followed by *pieces*,
``" <property> object"`` each: the statement is subject + piece + ``" .\\n"``.
Everything that does not depend on the value is rendered here, once per
model, from :func:`kg.rdf.mapping.field_maps` (plain tuples and dicts, no
generated source): every property IRI, the ``rdf:type`` and
``biolink:category`` pieces, and for enums and booleans the whole piece per
possible value, so writing one is a dict lookup. Each field gets a *code*
that picks its branch in the builder's loop; codes are split by cardinality
and by how the value is rendered so the loop asks one question per field.

IRIs and literals are rendered by :mod:`kg.rdf.terms`, as pyoxigraph writes them.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from pydantic import BaseModel
from pyoxigraph import Literal, NamedNode

from kg.model.walk import is_node_model
from kg.rdf.literals import XSD_ANY_URI, XSD_BOOLEAN, XSD_DECIMAL, XSD_G_YEAR, XSD_INTEGER, decimal_lexical
from kg.rdf.mapping import FieldMap, Kind, class_of, field_maps
from kg.rdf.namespace import BIOLINK, EKG_NS, RDF
from kg.rdf.terms import (
    curie_term,
    date_term,
    decimal_term,
    integer_term,
    iri_term,
    text_term,
    typed_text,
    year_term,
)

__all__ = ["CODES", "Plan", "Step", "as_published_piece", "plan_of", "position_piece"]

#: The builder's branches, most frequent first (the loop asks "is it TEXT?" first). TEXT: one string literal
#: (quoted in place when there is nothing to escape); CONST: one enum
#: or boolean (the piece by value); REF: one reference; NUMBER: one integer/year; DECIMAL: one decimal (typed,
#: and its digits as a string); STRING: one date or anyURI (checked for RDF/XML); REFS, ENUMS, LITERALS: sets of
#: those (and, with several values, their rdf:List in order); PART: blank-node parts; LIST: an rdf:List of
#: literals; INVERSE: a reference written from its target; CHILD: nested nodes with IRIs.
CODES = (
    "TEXT", "CONST", "REF", "NUMBER", "DECIMAL", "STRING", "REFS", "ENUMS", "LITERALS", "PART", "LIST", "INVERSE",
    "CHILD",
)  # fmt: skip
(TEXT, CONST, REF, NUMBER, DECIMAL, STRING, REFS, ENUMS, LITERALS, PART, LIST, INVERSE, CHILD) = range(len(CODES))
_SIMPLE = frozenset({TEXT, CONST, REF, NUMBER})

_TRUE = str(Literal("true", datatype=NamedNode(XSD_BOOLEAN)))
_FALSE = str(Literal("false", datatype=NamedNode(XSD_BOOLEAN)))
_ORDER_PROP = " " + iri_term(EKG_NS.order) + " "


def _renderer(kind: Kind) -> Callable[[Any], str]:
    """Value → rendered literal for a literal kind."""
    if kind is Kind.TEXT:
        return text_term
    if kind is Kind.PARTIAL_DATE:
        return date_term
    if kind is Kind.DECIMAL:
        return decimal_term(XSD_DECIMAL)
    if kind is Kind.INTEGER:
        return integer_term(XSD_INTEGER)
    if kind is Kind.YEAR:
        return year_term(XSD_G_YEAR)
    if kind is Kind.ANY_URI:
        return typed_text(XSD_ANY_URI)
    raise AssertionError(kind)


@dataclass(frozen=True)
class Step:
    """One field of a model: its code, its property as a piece prefix and what renders its values."""

    code: int
    field: FieldMap
    prop: str  # " <property> ", ready to sit between subject and object
    many: bool
    render: Callable[[Any], str] | None = None  # literal kinds: value → rendered literal
    pieces: dict[Any, str] | None = None  # CONST, ENUMS: value → the whole piece
    text: bool = False  # the values are strings (checked for RDF/XML)
    sequence: str | None = None  # CHILD: " <followedBy> "
    lifts: tuple[tuple[str, bool, str], ...] = ()  # PART: (reference field, many, " <property> ")
    #: The argument the builder's branch takes: ``render``, ``pieces`` or ``None``.
    arg: Any = None
    #: REFS, ENUMS, LITERALS: " <ekg:xList> " and each value's rendered term, for the rdf:List of the values in
    #: order (written when there are several); DECIMAL: " <ekg:xAsPublished> ".
    list_prop: str | None = None
    item: Callable[[Any], str] | None = None
    as_published: str | None = None


@dataclass(frozen=True)
class Plan:
    """A model's steps, its type pieces and one C call that reads every field."""

    type_pieces: tuple[str, ...]  # " <rdf:type> <Class>" (and biolink:category)
    steps: tuple[Step, ...]
    is_source: bool  # a source also states its verified ids as dcterms:identifier
    #: The steps as plain tuples for the builder's loop: (code, prop, arg, step).
    hot: tuple[tuple[int, str, Any, Step], ...]
    getter: Callable[[Any], tuple[Any, ...]]  # every field's value, in step order

    @property
    def leaf(self) -> bool:
        """Only simple fields: a node of this model has no parts, children or lists (written without recursion)."""
        return all(step.code in _SIMPLE for step in self.steps)


def _step(fm: FieldMap) -> Step:
    prop = " " + iri_term(fm.prop) + " "
    many, kind = fm.many, fm.kind
    if kind is Kind.NESTED:
        assert fm.target is not None
        if is_node_model(fm.target):
            sequence = " " + iri_term(fm.sequence) + " " if fm.sequence else None
            return Step(CHILD, fm, prop, many, sequence=sequence)
        lifts = tuple((name, multi, " " + iri_term(p) + " ") for name, multi, p in fm.lifts)
        return Step(PART, fm, prop, many, lifts=lifts)
    list_prop = " " + iri_term(fm.list_prop) + " " if fm.list_prop is not None else None
    if kind is Kind.REF:
        return Step(
            INVERSE if fm.inverse else REFS if many else REF, fm, prop, many, list_prop=list_prop, item=curie_term
        )
    if kind is Kind.BOOLEAN:
        flags: dict[Any, str] = {True: prop + _TRUE, False: prop + _FALSE}
        return Step(CONST, fm, prop, many, pieces=flags, arg=flags)
    if kind is Kind.ENUM:
        assert fm.enum is not None
        terms = {member: text_term(member.value) for member in fm.enum}
        if many and fm.ordered:
            return Step(LIST, fm, prop, many, render=terms.__getitem__, arg=terms.__getitem__)
        pieces: dict[Any, str] = {member: prop + term for member, term in terms.items()}
        code = ENUMS if many else CONST
        return Step(code, fm, prop, many, pieces=pieces, arg=pieces, list_prop=list_prop, item=terms.__getitem__)
    render = _renderer(kind)
    text = kind in (Kind.TEXT, Kind.PARTIAL_DATE, Kind.ANY_URI)
    if kind is Kind.DECIMAL and not many:
        assert fm.as_published is not None
        as_published = " " + iri_term(fm.as_published) + " "
        return Step(DECIMAL, fm, prop, many, render=render, arg=render, as_published=as_published)
    many_code = LIST if fm.ordered else LITERALS
    code = many_code if many else TEXT if kind is Kind.TEXT else STRING if text else NUMBER
    return Step(code, fm, prop, many, render=render, text=text, arg=render, list_prop=list_prop, item=render)


def _getter(steps: tuple[Step, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """``operator.attrgetter`` of the fields (one C call per node), always giving a tuple."""
    names = [step.field.name for step in steps]
    if not names:
        return lambda _: ()
    if len(names) == 1:
        name = names[0]
        return lambda value: (getattr(value, name),)
    return operator.attrgetter(*names)


@cache
def plan_of(model: type[BaseModel]) -> Plan:
    """The plan of ``model``; ``TypeError`` for a field with no RDF form (:func:`~kg.rdf.mapping.mapping_problems`)."""
    node_type = getattr(model, "node_type", None)
    type_pieces = [" " + iri_term(RDF.type) + " " + iri_term(class_of(model))]
    if node_type is not None:
        category = BIOLINK[node_type.info.biolink.split(":", 1)[1]]
        type_pieces.append(" " + iri_term(BIOLINK.category) + " " + iri_term(category))
    steps = tuple(_step(fm) for fm in field_maps(model))
    hot = tuple((step.code, step.prop, step.arg, step) for step in steps)
    return Plan(tuple(type_pieces), steps, model.__name__ == "Source", hot, _getter(steps))


@cache
def position_piece(number: int) -> str:
    """``ekg:order`` piece of the ``number``-th child (positions repeat in every record: rendered once each)."""
    return _ORDER_PROP + integer_term(XSD_INTEGER)(number)


def as_published_piece(step: Step, value: Decimal) -> str:
    """The ``ekg:<field>AsPublished`` piece of a decimal: its published digits as a plain string."""
    assert step.as_published is not None
    return step.as_published + '"' + decimal_lexical(value) + '"'
