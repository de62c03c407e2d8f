"""Building blocks shared by every record: the base class, ids, references, quotes.

Records are frozen pydantic models that forbid unknown keys, so a typo in a
data file (``ci_lowr``) is an error, not a silently dropped value. A
reference to another record is typed: ``Annotated[str, Ref(NodeType.DISEASE)]`` only accepts
``disease:…`` ids, so a drug id in a disease field fails at parse time with
a message naming the expected prefix.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, GetCoreSchemaHandler
from pydantic_core import core_schema

from kg.core.identifiers import explain_curie_problem, prefix_of
from kg.core.vocab import NodeType, Predicate
from kg.model.terms import Section, Verification

__all__ = ["Entity", "ExternalId", "Node", "OwnId", "Quote", "Record", "Ref", "Xref"]


class Record(BaseModel):
    """Base of every record: immutable, strict about keys, documented fields."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False, validate_default=True)


class Node(Record):
    """A record that is a node of the graph: it has an ``id`` and a :class:`~kg.core.vocab.NodeType`.

    Every top-level record, and the study arms and case events nested in
    them, is a Node; parts that are never referenced on their own (quotes,
    cross-references, adverse-event occurrences) are plain Records.
    """

    node_type: ClassVar[NodeType]
    id: str = Field(description="Stable CURIE of this record.")


def _check_own_id(value: str, allowed: tuple[NodeType, ...]) -> str:
    prefixes = tuple(node_type.info.id_prefix for node_type in allowed)
    if ":" not in value or prefix_of(value) not in prefixes:
        names = " or ".join(f"{p}:…" for p in prefixes)
        raise ValueError(f"an id of a {' or '.join(t.info.label for t in allowed)} ({names})")
    problem = explain_curie_problem(value)
    if problem:
        raise ValueError(problem)
    return value


@dataclass(frozen=True, init=False)
class OwnId:
    """``Annotated[str, OwnId(NodeType.DRUG)]``: a record's own id, with the id syntax of its node type.

    Annotation metadata that pydantic applies as a validator (and a type
    checker reads as plain ``str``): the id must carry the type's prefix
    (``drug:…``) and be a well-formed CURIE.
    """

    node_types: tuple[NodeType, ...]

    def __init__(self, *node_types: NodeType) -> None:
        object.__setattr__(self, "node_types", node_types)

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        allowed = self.node_types
        return core_schema.no_info_after_validator_function(
            lambda value: _check_own_id(value, allowed), handler(source)
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(t.value for t in self.node_types)})"


@dataclass(frozen=True, init=False, repr=False)
class Ref(OwnId):
    """``Annotated[str, Ref(NodeType.DISEASE)]``: the id of another record, of one of the given node types.

    Same syntax check as :class:`OwnId`; the marker is what makes the field a
    reference: :mod:`kg.model.walk` finds every reference of a record by it
    (validation, graph edges, RDF), so no list of reference fields is kept by hand.

    The edge a reference stands for comes from the one table
    :data:`kg.core.vocab.FIELD_PREDICATES`, or from the marker itself:
    ``Ref(NodeType.SOURCE, predicate=Predicate.DESCRIBED_IN)`` (``inverse=True``
    when the edge runs from the referenced record to this one), so a new
    reference field is declared, and linked, in one place.
    """

    predicate: Predicate | None
    inverse: bool

    def __init__(self, *node_types: NodeType, predicate: Predicate | None = None, inverse: bool = False) -> None:
        super().__init__(*node_types)
        object.__setattr__(self, "predicate", predicate)
        object.__setattr__(self, "inverse", inverse)

    def __repr__(self) -> str:
        extra = f", predicate={self.predicate.value}" if self.predicate is not None else ""
        extra += ", inverse=True" if self.inverse else ""
        return f"{type(self).__name__}({', '.join(t.value for t in self.node_types)}{extra})"


def _check_external(value: str) -> str:
    problem = explain_curie_problem(value)
    if problem:
        raise ValueError(problem)
    return value


#: An external identifier as a CURIE with a standard, known prefix (``DOID:3908``).
ExternalId = Annotated[str, AfterValidator(_check_external)]


class Xref(Record):
    """A link from a record to the same thing in an external resource."""

    id: ExternalId = Field(description="The external identifier, as a CURIE with a standard prefix.")
    status: Verification = Field(
        description="How the identifier was checked; unverified ids are never exported as facts."
    )
    source: str = Field(min_length=1, description="Where the identifier was seen (file, row, page).")


class Quote(Record):
    """A verbatim span of a source text that a fact rests on.

    PDF text interleaves figure legends and page headers with the body, so
    one sentence can be split by unrelated text; ``continuation`` carries the
    sentence's later spans instead of a quote that would not be verbatim.
    """

    def spans(self) -> tuple[str, ...]:
        """The quote's verbatim spans in reading order: ``text`` then each continuation."""
        return (self.text, *self.continuation)

    def full_text(self) -> str:
        """The spans joined with ' … ', for display and for finding the numbers the quote states."""
        return " … ".join(self.spans())

    text: str = Field(min_length=1, description="Verbatim text, exactly as in the source, noise included.")
    continuation: tuple[str, ...] = Field(
        default=(),
        description="Further verbatim spans of the same sentence, in reading order, when the source text "
        "interrupts it (a figure legend or page header between its halves); each must follow the previous span.",
    )
    source: Annotated[str, Ref(NodeType.SOURCE)] = Field(description="The source whose text contains the quote.")
    section: Section = Field(description="Section of the source the quote comes from.")
    corrected: str | None = Field(
        default=None,
        description="The quote with text-extraction noise corrected (e.g. 'mPES' read as 'mPFS'), "
        "when the noise matters for reading it.",
    )
    locator: str | None = Field(
        default=None, description="Where in the source, when not a text file (e.g. 'CIViC EID 1041')."
    )


class Entity(Node):
    """Base of named things (drugs, genes, diseases, ...): a label, synonyms and external ids."""

    id: str = Field(description="Stable CURIE of this entity, e.g. drug:pyrotinib.")
    label: str = Field(min_length=1, description="Preferred name.")
    synonyms: tuple[str, ...] = Field(default=(), description="Other names, abbreviations and spellings.")
    description: str | None = Field(default=None, description="One-sentence description for display.")
    xrefs: tuple[Xref, ...] = Field(default=(), description="Identifiers of this entity in external resources.")
    provenance: tuple[Quote, ...] = Field(
        default=(), description="Quotes that state this entity's attributes (class, targets, definition)."
    )
    curator_note: str | None = Field(default=None, description="Note for readers: caveats, disagreements.")

    def all_names(self) -> tuple[str, ...]:
        """The label followed by every synonym."""
        return (self.label, *self.synonyms)

    def verified_xrefs(self) -> tuple[Xref, ...]:
        """External ids that may be presented as fact (verified or verified-secondary)."""
        return tuple(x for x in self.xrefs if x.status is not Verification.UNVERIFIED)
