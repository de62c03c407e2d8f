"""The structured evidence question: its facets, its bounds, and the one check that makes it.

An :class:`EvidenceQuery` is what every way of asking builds (``/evidence``'s parameters, ``/ask``'s reading, the
CLI, the benchmarks) and what :func:`kg.query.engine.find_evidence` answers. It lives apart from the engine so the
question's shape (a new facet is a field here plus a row of :data:`NAME_FACETS` or of
:data:`kg.runtime.index.FILTERS`) can be read without the matching and ranking code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields

from kg.core.errors import InvalidQueryError
from kg.core.text import BLANK
from kg.core.vocab import NodeType
from kg.model.terms import Direction, EvidenceLevel, EvidenceType, OutcomeMeasure, Significance, StudyDesign
from kg.query.facets import Slot
from kg.query.ranking import RECORD_FACETS
from kg.runtime.index import FILTERS

__all__ = [
    "ALTERATION_TYPES",
    "DEFAULT_LIMITS",
    "DISEASE_TYPES",
    "MAX_LIMIT",
    "MAX_OFFSET",
    "MAX_TERMS",
    "MAX_TERM_LENGTH",
    "NAME_FACETS",
    "RECORD_FIELDS",
    "THERAPY_TYPES",
    "EvidenceQuery",
    "NameFacet",
    "QueryLimits",
    "Wording",
]

#: Largest page a single query may ask for.
MAX_LIMIT = 500
#: Deepest offset a query may ask for.
MAX_OFFSET = 100_000
#: Most names one facet of a query may carry.
MAX_TERMS = 10
#: Longest single name or id.
MAX_TERM_LENGTH = 200

THERAPY_TYPES = (NodeType.DRUG, NodeType.DRUG_CLASS)
ALTERATION_TYPES = (NodeType.ALTERATION, NodeType.GENE, NodeType.MOLECULAR_PROFILE)
DISEASE_TYPES = (NodeType.DISEASE,)


@dataclass(frozen=True)
class NameFacet:
    """A field of :class:`EvidenceQuery` that holds names: the slot it asks and the types its names may have.

    The one place a name facet is declared: resolution, the check of its
    values and the answer's ``query.resolved`` all follow this table.
    """

    field: str
    slot: Slot
    types: tuple[NodeType, ...]


#: The name facets in the order their terms are resolved (and shown).
NAME_FACETS: tuple[NameFacet, ...] = (
    NameFacet("therapy", Slot.THERAPY, THERAPY_TYPES),
    NameFacet("alteration", Slot.ALTERATION, ALTERATION_TYPES),
    NameFacet("gene", Slot.ALTERATION, (NodeType.GENE,)),  # any alteration of the gene
    NameFacet("molecular_profile", Slot.ALTERATION, (NodeType.MOLECULAR_PROFILE,)),  # each of its alterations
    NameFacet("disease", Slot.DISEASE, DISEASE_TYPES),
)


@dataclass(frozen=True)
class QueryLimits:
    """The bounds a question must keep; an app may tighten the engine's own (:class:`~api.settings.ApiSettings`)."""

    max_limit: int = MAX_LIMIT
    max_offset: int = MAX_OFFSET
    max_terms: int = MAX_TERMS
    max_term_length: int = MAX_TERM_LENGTH

    def check_page(self, offset: int, limit: int) -> None:
        """Refuse a page outside these bounds, naming the parameter."""
        if not 1 <= limit <= self.max_limit:
            raise InvalidQueryError("limit", limit, f"an integer from 1 to {self.max_limit}")
        if not 0 <= offset <= self.max_offset:
            raise InvalidQueryError("offset", offset, f"an integer from 0 to {self.max_offset}")

    def clean_names(self, parameter: str, values: Sequence[str]) -> tuple[str, ...]:
        """The names of one facet, stripped and without repeats; refuse blank, too long or too many."""
        if len(values) > self.max_terms:
            raise InvalidQueryError(parameter, list(values), f"at most {self.max_terms} values")
        cleaned: list[str] = []
        for value in values:
            text = value.strip(BLANK)
            if not text:
                raise InvalidQueryError(parameter, value, "a non-blank name or id")
            if len(text) > self.max_term_length:
                raise InvalidQueryError(parameter, value, f"a name or id of at most {self.max_term_length} characters")
            cleaned.append(text)
        return tuple(dict.fromkeys(cleaned))


DEFAULT_LIMITS = QueryLimits()


@dataclass(frozen=True)
class Wording:
    """What a free-text question's wording adds to its facets; it only orders the answer.

    ``comparison``: the therapies of each arm of "X vs Y" (evidence comparing
    them head to head first); ``words``: words that name nothing in the graph
    ("BRIM-3"), looked for in the statements; ``prefer``: filter values read
    from cue words ("adverse events" → evidence type safety), preferred rather
    than required; ``keywords``: content words no name or cue accounts for
    ("oncogenic driver"), statements using them first; ``contrast``: the
    alterations of "X versus Y" (either, evidence comparing them first);
    ``defining``: a "what is X" question (statements about X alone first).
    """

    comparison: tuple[tuple[str, ...], ...] = ()
    contrast: tuple[tuple[str, ...], ...] = ()
    words: tuple[str, ...] = ()
    prefer: tuple[tuple[str, tuple[str, ...]], ...] = ()
    keywords: tuple[str, ...] = ()
    defining: bool = False


#: Fields of :class:`EvidenceQuery` that are record facets (:data:`kg.query.ranking.RECORD_FACETS`).
RECORD_FIELDS = tuple(facet.name for facet in RECORD_FACETS)


@dataclass(frozen=True)
class EvidenceQuery:
    """A structured evidence question. Names may be labels, synonyms or ids.

    Constructing one is the one way to make a question, and checks it
    (:meth:`__post_init__`): names are stripped and deduplicated, and the
    page and names must keep ``limits``. A new facet is a field here plus a
    row of :data:`NAME_FACETS` (names) or of :data:`kg.runtime.index.FILTERS`
    (values of an item's field).
    """

    therapy: tuple[str, ...] = ()
    alteration: tuple[str, ...] = ()
    gene: tuple[str, ...] = ()
    molecular_profile: tuple[str, ...] = ()
    disease: str | None = None
    evidence_type: tuple[EvidenceType, ...] = ()
    direction: tuple[Direction, ...] = ()
    significance: tuple[Significance, ...] = ()
    level: tuple[EvidenceLevel, ...] = ()
    design: tuple[StudyDesign, ...] = ()
    measure: tuple[OutcomeMeasure, ...] = ()
    study: tuple[str, ...] = ()
    case: tuple[str, ...] = ()
    biomarker: tuple[str, ...] = ()
    mechanism: tuple[str, ...] = ()
    site: tuple[str, ...] = ()
    adverse_event: tuple[str, ...] = ()
    pathway: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    negated: tuple[str, ...] = ()
    prior_therapy: tuple[str, ...] = ()
    line: tuple[str, ...] = ()
    order_by: tuple[OutcomeMeasure, ...] = ()
    wording: Wording = Wording()
    records_rank: bool = False
    include_related: bool = True
    offset: int = 0
    limit: int = 20
    limits: QueryLimits = field(default=DEFAULT_LIMITS, compare=False, repr=False)

    def __post_init__(self) -> None:
        """The one check of a question: its page and every name facet (cleaned in place).

        Fields are checked in :data:`_CLEANED` order (the name facets, then the
        record facets, the prior therapies and the lines), so the first bad
        one is the one reported. Read and written through the instance's
        ``__dict__`` (what ``object.__setattr__`` on a frozen dataclass does),
        since every first-time question is built once.
        """
        limits = self.limits
        limits.check_page(self.offset, self.limit)
        values = self.__dict__
        for name in _CLEANED:
            value = values[name]
            if name == "disease":
                if value is not None:
                    names = limits.clean_names("disease", (value,))
                    values["disease"] = names[0] if names else None
            elif value:
                values[name] = limits.clean_names(name, tuple(value))

    def names(self, facet: NameFacet) -> tuple[str, ...]:
        """The names asked on one facet."""
        value = getattr(self, facet.field)
        return (value,) if isinstance(value, str) else tuple(value or ())

    def filters(self) -> dict[str, tuple[str, ...]]:
        """The non-empty filters, by name (in :data:`~kg.runtime.index.FILTERS` order)."""
        kept: dict[str, tuple[str, ...]] | None = self.__dict__.get("_filters")
        if kept is None:
            chosen = ((spec.name, getattr(self, spec.name)) for spec in FILTERS)
            kept = {name: tuple(v.value for v in values) for name, values in chosen if values}
            object.__setattr__(self, "_filters", kept)  # a frozen question's filters never change
        return dict(kept)


#: The fields :meth:`EvidenceQuery.__post_init__` cleans, in the order it checks them.
_CLEANED = (*(facet.field for facet in NAME_FACETS), *RECORD_FIELDS, "prior_therapy", "line")

_QUERY_FIELDS = {f.name for f in fields(EvidenceQuery)}
if missing := [spec.name for spec in FILTERS if spec.name not in _QUERY_FIELDS]:
    raise TypeError(f"EvidenceQuery has no field for the filters {missing} of kg.runtime.index.FILTERS")
