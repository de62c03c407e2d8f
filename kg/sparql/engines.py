"""What differs between SPARQL engines behind one protocol: their names, time limits and half-answers.

Oxigraph's server, Virtuoso and QLever all speak the SPARQL 1.1 Protocol,
but each has its own way of stopping early, and two of them do it with an
HTTP 200 whose body looks like an answer (measured here, see ``NOTES.md``):

* **Oxigraph** (``--timeout-s``) has already sent ``200`` and the start of
  the results when it gives up; it then writes "The SPARQL operation has been
  cancelled" into the body. The body no longer parses, and a sort is not
  cancelled at all (the cancel token is only read by storage operations).
  A query cancelled while skipping an ``OFFSET`` is worse: a well-formed
  answer with no rows (a ``COUNT`` over it says 0), and no sign at all; only
  its timing tells, so an endpoint can declare the engine's limit
  (:attr:`~kg.sparql.endpoint.EndpointSpec.engine_timeout_s`).
* **Virtuoso** (per-request ``timeout`` in milliseconds, or
  ``MaxQueryExecutionTime``) answers an "anytime query" with what it found so
  far: ``200``, a well-formed body, and ``X-SQL-State: S1TAT``. A ``COUNT``
  answered that way is a plausible, wrong number. Other time-outs come as
  ``500`` with ``S1TAT``, ``SR171`` or (on a loaded machine) ``SR203`` "killed by
  SQLCancel" in the text, and a query whose cost
  estimate exceeds ``MaxQueryCostEstimationTime`` is refused with ``500`` and
  "The estimated execution time ... exceeds the limit". Its row cap
  (``ResultSetMaxRows``) cuts a SELECT with ``X-SPARQL-MaxRows`` and a
  CONSTRUCT silently, and it answers ASK with a result set (one
  ``__ASK_RETVAL`` row when true, none when false) instead of a boolean. It also gives ``xsd:boolean``
  literals back as ``"1"``/``"0"``, not as loaded (``"true"``/``"false"``, which
  pyoxigraph keeps): :func:`canonical_term` puts the canonical form back. Its
  JSON names blank nodes ``nodeID://b10000``, which no strict parser takes for
  a blank node label: :func:`body_rewrites` says what to strip from the stream.
* **QLever** could not be run here; it is reached through the standard
  protocol, and the engine-independent rules below apply to it. Its server
  (``src/engine/Server.cpp``) computes a JSON answer whole before sending it
  and answers a failure, a time-out included, with an error status and a JSON
  error body; a server error that speaks of a time-out becomes a 504.

Engine-independent rules (:mod:`kg.sparql.remote` applies them): a non-2xx
answer is never an answer; a 200 body must parse to its end; a body that
ends after the engine's declared own limit is refused; the client has its own
deadline. This module only knows the engines' signals and quirks; it does no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pyoxigraph

from kg.sparql.errors import (
    EngineCancelledError,
    EngineError,
    QuerySyntaxError,
    QueryTimeoutError,
    QueryTooCostlyError,
    SparqlError,
)

__all__ = [
    "OXIGRAPH_CANCELLED",
    "VIRTUOSO_ASK_VARIABLE",
    "EngineInfo",
    "body_rewrites",
    "cancelled_by_headers",
    "canonical_rows",
    "canonical_term",
    "canonical_triples",
    "engine_row_cap",
    "error_for_status",
    "error_for_unreadable_body",
    "identify",
    "timeout_parameters",
]

#: What Oxigraph's server writes into a 200 body when its ``--timeout-s`` cancels a query.
OXIGRAPH_CANCELLED = "The SPARQL operation has been cancelled"
#: The variable of Virtuoso's one-row result set that answers an ASK query.
VIRTUOSO_ASK_VARIABLE = "__ASK_RETVAL"
#: Virtuoso's SQL states of a query stopped by a time limit (partial results, transaction timeout).
#: SR203 ("Async statement killed by SQLCancel", SQL state HY008) is a statement Virtuoso cancelled at
#: the time limit we sent: seen on a loaded machine in place of S1TAT, as HTTP 500.
_VIRTUOSO_TIMEOUT_STATES = ("S1TAT", "SR171", "S1T00", "SR203")
_VIRTUOSO_ESTIMATE = re.compile(r"estimated execution time .{0,40}exceeds the limit", re.IGNORECASE | re.DOTALL)
#: A server error whose message says it ran out of time (QLever's error JSON, proxies): a 504, not a 502.
_SPEAKS_OF_TIMEOUT = re.compile(r"\btime[ -]?out\b|\btimed out\b|\btime limit\b", re.IGNORECASE)
_SERVER = re.compile(r"^\s*(?P<name>[A-Za-z][\w.-]*)(?:/(?P<version>[^\s(]+))?")
#: Time a Virtuoso needs past its own ``timeout`` before it answers (measured: 1.0–2.1 s over).
_VIRTUOSO_OVERSHOOT_S = 2.0
_MIN_ENGINE_TIMEOUT_S = 0.5
_XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_BOOLEAN_FORMS = {"1": "true", "0": "false"}
#: Engines that give back other lexical forms than were loaded (and that :func:`canonical_term` undoes).
_REWRITING_ENGINES = frozenset({"virtuoso"})


@dataclass(frozen=True, slots=True)
class EngineInfo:
    """Which engine answers at an endpoint: ``name`` is oxigraph, virtuoso, qlever or sparql (not recognised)."""

    name: str
    version: str | None = None
    server: str | None = None


def identify(server_header: str | None) -> EngineInfo:
    """The engine behind an HTTP ``Server`` header (``Oxigraph/0.5.13``, ``Virtuoso/07.20.3229 (Linux) ...``)."""
    match = _SERVER.match(server_header or "")
    if not match:
        return EngineInfo("sparql", None, server_header)
    product = match.group("name").lower()
    for known in ("oxigraph", "virtuoso", "qlever"):
        if product.startswith(known):
            return EngineInfo(known, match.group("version"), server_header)
    return EngineInfo("sparql", None, server_header)


def timeout_parameters(engine: str, timeout_s: float) -> dict[str, str]:
    """Request parameters that ask ``engine`` itself to stop near our time limit.

    Only Virtuoso takes a per-request limit (``timeout``, milliseconds); it is
    set early enough that Virtuoso's own flagged answer (``S1TAT``) comes back
    before our deadline. Oxigraph's limit is a server option (``--timeout-s``);
    a QLever limit is configured on its server (see ``docs/deploy.md``).
    """
    if engine != "virtuoso":
        return {}
    engine_s = max(_MIN_ENGINE_TIMEOUT_S, timeout_s - _VIRTUOSO_OVERSHOOT_S)
    return {"timeout": str(int(engine_s * 1000))}


def body_rewrites(engine: str, media_type: str) -> tuple[tuple[bytes, bytes], ...]:
    """Byte replacements that make an engine's body parse strictly (applied to the stream as it arrives).

    Virtuoso's JSON blank nodes ``"value": "nodeID://b1"`` become ``"value": "b1"``:
    the replaced sequence holds unescaped quotes, so it cannot occur inside a
    JSON string, only as the structure of a blank node binding.
    """
    if engine == "virtuoso" and media_type == "application/sparql-results+json":
        return ((b'"type": "bnode", "value": "nodeID://', b'"type": "bnode", "value": "'),)
    return ()


def cancelled_by_headers(headers: Mapping[str, str]) -> str | None:
    """The header that marks a 200 answer as cut short by the engine's time limit, or ``None``."""
    state = (headers.get("x-sql-state") or "").strip()
    if state.upper().startswith(_VIRTUOSO_TIMEOUT_STATES):
        message = (headers.get("x-sql-message") or "").strip()
        return f"X-SQL-State: {state}" + (f" ({message[:120]})" if message else "")
    return None


def engine_row_cap(headers: Mapping[str, str]) -> int | None:
    """The engine's own row cap when it says it applied one (Virtuoso's ``X-SPARQL-MaxRows``)."""
    value = (headers.get("x-sparql-maxrows") or "").strip()
    return int(value) if value.isdigit() else None


def _first_line(text: str) -> str:
    """The line of an error body worth quoting: the first that names an error, else the first one."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in lines:
        if "error" in line.lower() or "exception" in line.lower():
            return line[:300]
    return lines[0][:300] if lines else "(empty body)"


def error_for_status(status: int, body: str, timeout_s: float, endpoint: str) -> SparqlError:
    """The error for a non-2xx answer: a time-out, a query the engine rejected, or an engine failure."""
    if OXIGRAPH_CANCELLED in body:
        return EngineCancelledError(timeout_s, f"HTTP {status}: {OXIGRAPH_CANCELLED}")
    upper = body.upper()
    for state in _VIRTUOSO_TIMEOUT_STATES:
        if state in upper:
            return EngineCancelledError(timeout_s, f"HTTP {status}: {state} ({_first_line(body)})")
    if _VIRTUOSO_ESTIMATE.search(body):
        return QueryTooCostlyError(timeout_s, _first_line(body))
    if status in (408, 504) or (status >= 500 and _SPEAKS_OF_TIMEOUT.search(body)):
        return QueryTimeoutError(timeout_s)
    if status == 400:
        return QuerySyntaxError(f"{_first_line(body)} (rejected by the query engine)")
    return EngineError(endpoint, f"HTTP {status}: {_first_line(body)}", status)


def error_for_unreadable_body(detail: str, tail: bytes, timeout_s: float, endpoint: str) -> SparqlError:
    """The error for a 200 body that does not parse to its end: the engine's cancel, or a broken answer."""
    text = tail.decode("utf-8", errors="replace")
    if OXIGRAPH_CANCELLED in text:
        return EngineCancelledError(timeout_s, f"HTTP 200 body ends with {OXIGRAPH_CANCELLED!r}")
    for state in _VIRTUOSO_TIMEOUT_STATES:
        if state in text.upper():
            return EngineCancelledError(timeout_s, f"HTTP 200 body ends with a {state} error")
    return EngineError(endpoint, f"its answer was cut off or malformed, so none of it was used ({detail})", 200)


def canonical_term(term: Any) -> Any:
    """``term`` with an ``xsd:boolean`` of lexical form ``1``/``0`` as ``true``/``false`` (the same value)."""
    if isinstance(term, pyoxigraph.Literal) and term.value in _BOOLEAN_FORMS and term.datatype.value == _XSD_BOOLEAN:
        return pyoxigraph.Literal(_BOOLEAN_FORMS[term.value], datatype=term.datatype)
    return term


def canonical_rows(engine: str, rows: Iterable[Iterable[Any]]) -> Iterable[Iterable[Any]]:
    """Solution rows with the engine's rewritten lexical forms put back (unchanged for most engines)."""
    if engine not in _REWRITING_ENGINES:
        return rows
    return ([canonical_term(value) for value in row] for row in rows)


def canonical_triples(engine: str, triples: Iterable[pyoxigraph.Triple]) -> Iterator[pyoxigraph.Triple]:
    """Triples with the engine's rewritten lexical forms put back."""
    if engine not in _REWRITING_ENGINES:
        yield from triples
        return
    for triple in triples:
        yield pyoxigraph.Triple(triple.subject, triple.predicate, canonical_term(triple.object))
