"""A citable answer: the question, how it was read, the data version, the time, the results, and content hashes.

``/evidence``, ``/ask`` and ``/synthesis`` answer with a bundle when asked
(``bundle=true``); ``kg verify-bundle FILE`` later says whether it still
holds. A bundle (:class:`Bundle`) carries

* ``question``: the parameters that recompute the answer with the functions
  of this package (names as asked, filters, page), so a bundle is checked
  against the data, not against a server;
* ``reading``: how the question was read then (the resolved names and
  filters; for a free-text question, what was recognised and ignored);
* ``data_version`` (:attr:`kg.runtime.knowledge_graph.KnowledgeGraph.version`),
  the software version and ``created`` (UTC, ISO 8601);
* ``results``: the answer exactly as it was returned;
* ``results_hash`` (SHA-256 of the results in canonical JSON: sorted keys,
  no spaces) and ``content_hash`` (the same over every other field), so a
  bundle altered after the fact is detected and two bundles with the same
  answer share a ``results_hash``.

:func:`verify_bundle` recomputes the answer from ``question`` on the
current data and, where the results differ, lists what changed
(:mod:`kg.query.bundle_diff`: items gone, new items, a number changed, a
rank changed).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from typing import TYPE_CHECKING, Annotated, Any, Literal, cast

import orjson
from pydantic import ConfigDict, Field, with_config
from typing_extensions import TypedDict

from kg.core.errors import BundleError, EvidenceKGError
from kg.model.terms import Direction, EvidenceLevel, EvidenceType, OutcomeMeasure, Significance, StudyDesign
from kg.query.answer import evidence_answer
from kg.query.ask import ask, read_and_find
from kg.query.bundle_diff import Change, changes
from kg.query.evidence_query import NAME_FACETS, EvidenceQuery
from kg.query.synthesis import synthesis_payload, synthesize
from kg.runtime.index import FILTERS

if TYPE_CHECKING:
    from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = [
    "BUNDLE_FORMAT",
    "BUNDLE_VERSION",
    "KINDS",
    "Bundle",
    "BundleKind",
    "Verification",
    "answer_for",
    "ask_question",
    "canonical_hash",
    "make_bundle",
    "query_question",
    "read_bundle",
    "verify_bundle",
]

BUNDLE_FORMAT = "evidence-kg answer bundle"
BUNDLE_VERSION = 1

BundleKind = Literal["evidence", "ask", "synthesis"]
KINDS: tuple[BundleKind, ...] = ("evidence", "ask", "synthesis")

_FORBID = ConfigDict(extra="forbid")
_ENUMS = {
    "evidence_type": EvidenceType,
    "direction": Direction,
    "significance": Significance,
    "level": EvidenceLevel,
    "design": StudyDesign,
    "measure": OutcomeMeasure,
}


@with_config(_FORBID)
class Bundle(TypedDict):
    """An answer with what it takes to cite it and to check it later."""

    format: Annotated[str, Field(examples=[BUNDLE_FORMAT])]
    version: Annotated[int, Field(examples=[BUNDLE_VERSION])]
    kind: Annotated[BundleKind, Field(description="Which answer: /evidence, /ask or /synthesis.")]
    request: Annotated[
        dict[str, str] | None, Field(description="The HTTP request answered (path and query string), when served.")
    ]
    question: Annotated[dict[str, Any], Field(description="The parameters that recompute the answer.")]
    reading: Annotated[dict[str, Any], Field(description="How the question was read: resolved names, filters.")]
    data_version: Annotated[str, Field(examples=["curated-213abf6f2440+civic-2024-08-01"])]
    software: Annotated[str, Field(examples=["evidence-kg 0.1.0"])]
    created: Annotated[str, Field(description="When the answer was computed (UTC, ISO 8601).")]
    results: Annotated[dict[str, Any], Field(description="The answer, exactly as returned without a bundle.")]
    results_hash: Annotated[str, Field(description="sha256 of the results in canonical JSON.")]
    content_hash: Annotated[str, Field(description="sha256 of every other field of the bundle in canonical JSON.")]


def _fallback(value: Any) -> Any:
    return str(value)  # Decimal, enums of other kinds: as text, the way the API serializes them


def canonical_hash(value: Any) -> str:
    """``sha256:<hex>`` of ``value`` as JSON with sorted keys (after one JSON round trip, so numbers are canonical)."""
    data = orjson.loads(orjson.dumps(value, default=_fallback, option=orjson.OPT_NON_STR_KEYS))
    return "sha256:" + hashlib.sha256(orjson.dumps(data, option=orjson.OPT_SORT_KEYS)).hexdigest()


def _software() -> str:
    try:
        return f"evidence-kg {metadata.version('evidence-kg')}"
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree without install
        return "evidence-kg (not installed)"


# -- questions -------------------------------------------------------------------------------------------


def query_question(query: EvidenceQuery, **options: Any) -> dict[str, Any]:
    """A structured question as bundle data: every name facet, filter and page field (plus ``options``)."""
    question: dict[str, Any] = {facet.field: list(query.names(facet)) for facet in NAME_FACETS}
    question["disease"] = query.disease
    question.update({spec.name: list(values) for spec in FILTERS if (values := query.filters().get(spec.name))})
    question.update(include_related=query.include_related, offset=query.offset, limit=query.limit, **options)
    return question


def ask_question(q: str, *, offset: int, limit: int, include_related: bool) -> dict[str, Any]:
    """A free-text question as bundle data."""
    return {"q": q, "include_related": include_related, "offset": offset, "limit": limit}


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _query_of(question: Mapping[str, Any], source: str) -> EvidenceQuery:
    """The structured question of a bundle, each field checked (a malformed one is a :class:`BundleError`)."""
    values: dict[str, Any] = {}
    for facet in NAME_FACETS:
        value = question.get(facet.field)
        if facet.field == "disease":
            if value is not None and not isinstance(value, str):
                raise BundleError(source, "question.disease", "a name or null")
            values["disease"] = value
        elif value:
            if not _strings(value):
                raise BundleError(source, f"question.{facet.field}", "a list of names")
            values[facet.field] = tuple(value)
    for name, enum in _ENUMS.items():
        try:
            values[name] = tuple(enum(v) for v in question.get(name, ()))
        except (TypeError, ValueError):
            raise BundleError(source, f"question.{name}", f"values of {', '.join(e.value for e in enum)}") from None
    for name, kind in (("include_related", bool), ("offset", int), ("limit", int)):
        if name in question:
            if not isinstance(question[name], kind) or (kind is int and isinstance(question[name], bool)):
                raise BundleError(source, f"question.{name}", f"a {kind.__name__}")
            values[name] = question[name]
    return EvidenceQuery(**values)


def answer_for(kg: KnowledgeGraph, kind: BundleKind, question: Mapping[str, Any], source: str = "bundle") -> Any:
    """The answer ``question`` gets from ``kg`` now, as the API would return it without a bundle."""
    if kind == "ask" or (kind == "synthesis" and "q" in question):
        page = {k: question[k] for k in ("offset", "limit", "include_related") if k in question}
        if not isinstance(question.get("q"), str) or not all(isinstance(v, int) for v in page.values()):
            raise BundleError(source, "question", "a question 'q' (text) with integer offset and limit")
        if kind == "ask":
            return ask(kg, str(question["q"]), **page)
        answer, reading = read_and_find(kg, str(question["q"]), **page)
        return synthesis_payload(answer, reading)
    query = _query_of(question, source)
    if kind == "synthesis":
        return synthesize(kg, query)
    return evidence_answer(kg, query, summary=bool(question.get("summary", True)))


# -- bundles ---------------------------------------------------------------------------------------------


def make_bundle(
    kg: KnowledgeGraph,
    kind: BundleKind,
    question: Mapping[str, Any],
    results: Mapping[str, Any],
    request: Mapping[str, str] | None = None,
    created: datetime | None = None,
) -> Bundle:
    """The bundle of ``results``, the answer to ``question`` on ``kg`` (see the module docstring)."""
    reading: dict[str, Any] = {"query": results.get("query")}
    if "interpretation" in results:  # a free-text question: what was recognised and ignored, in one sentence
        reading.update({k: results[k] for k in ("question", "interpretation", "recognised", "ignored")})
    elif "question" in results:
        reading.update(results["question"])
    bundle = {
        "format": BUNDLE_FORMAT,
        "version": BUNDLE_VERSION,
        "kind": kind,
        "request": dict(request) if request is not None else None,
        "question": dict(question),
        "reading": reading,
        "data_version": kg.version,
        "software": _software(),
        "created": (created or datetime.now(UTC)).isoformat(timespec="seconds"),
        "results": dict(results),
        "results_hash": canonical_hash(results),
    }
    bundle["content_hash"] = canonical_hash(bundle)
    return cast("Bundle", bundle)


_REQUIRED: dict[str, type | tuple[type, ...]] = {
    "format": str,
    "version": int,
    "kind": str,
    "question": dict,
    "reading": dict,
    "data_version": str,
    "created": str,
    "results": dict,
    "results_hash": str,
    "content_hash": str,
}


def read_bundle(data: bytes, source: str = "bundle") -> Bundle:
    """Parse and check a bundle's shape; :class:`~kg.core.errors.BundleError` names what is wrong, and where."""
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise BundleError(source, None, f"a JSON answer bundle ({error})") from None
    if not isinstance(value, dict):
        raise BundleError(source, None, f"a JSON object (an answer bundle), not {type(value).__name__}")
    if value.get("format") != BUNDLE_FORMAT:
        raise BundleError(source, "format", f"{BUNDLE_FORMAT!r} (this is not an evidence-kg answer bundle)")
    for name, kind in _REQUIRED.items():
        if name not in value:
            raise BundleError(source, name, "the field to be present")
        if not isinstance(value[name], kind) or (isinstance(value[name], bool) and kind is int):
            raise BundleError(source, name, f"a {getattr(kind, '__name__', kind)}")
    if value["version"] != BUNDLE_VERSION:
        raise BundleError(source, "version", f"bundle version {BUNDLE_VERSION} (this one is {value['version']})")
    if value["kind"] not in KINDS:
        raise BundleError(source, "kind", f"one of {', '.join(KINDS)}")
    return cast("Bundle", value)


@dataclass(frozen=True)
class Verification:
    """Whether a bundle still holds against the current data, and if not, what changed."""

    #: ``holds`` (same results), ``changed`` (the data now gives another answer) or ``altered``
    #: (the bundle does not match its own content hash: edited or corrupted after it was made).
    status: Literal["holds", "changed", "altered"]
    kind: str
    bundle_data_version: str
    current_data_version: str
    changes: list[Change] = field(default_factory=list)
    message: str = ""

    @property
    def exit_code(self) -> int:
        """0 holds, 1 changed, 3 altered (2 is left to unreadable bundles and bad arguments)."""
        return {"holds": 0, "changed": 1, "altered": 3}[self.status]

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "kind": self.kind,
            "bundle_data_version": self.bundle_data_version,
            "current_data_version": self.current_data_version,
            "message": self.message,
            "changes": list(self.changes),
        }


def verify_bundle(kg: KnowledgeGraph, bundle: Bundle, source: str = "bundle") -> Verification:
    """Check ``bundle``'s hashes, recompute its answer on ``kg`` and compare (see the module docstring)."""

    def verdict(
        status: Literal["holds", "changed", "altered"], message: str, found: list[Change] | None = None
    ) -> Verification:
        return Verification(status, bundle["kind"], bundle["data_version"], kg.version, found or [], message)

    body = {k: v for k, v in bundle.items() if k != "content_hash"}
    if canonical_hash(body) != bundle["content_hash"] or canonical_hash(bundle["results"]) != bundle["results_hash"]:
        return verdict(
            "altered", "the bundle does not match its content hash: it was edited or corrupted after it was made"
        )
    try:
        now = answer_for(kg, bundle["kind"], bundle["question"], source)
    except BundleError:
        raise
    except EvidenceKGError as error:
        change: Change = {"change": "unanswerable", "item": None, "field": None, "was": None, "now": str(error)}
        return verdict("changed", f"the question no longer reads: {error}", [change])
    if canonical_hash(now) == bundle["results_hash"]:
        same = "" if kg.version == bundle["data_version"] else " (the data version changed; this answer did not)"
        return verdict("holds", "the answer still holds" + same)
    found = changes(bundle["kind"], bundle["results"], orjson.loads(orjson.dumps(now, default=_fallback)))
    return verdict("changed", f"the answer changed: {len(found)} change(s)", found)
