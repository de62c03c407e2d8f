"""The errors of the SPARQL service, each carrying the HTTP status it maps to.

Every error a SPARQL client can cause (or suffer) is a subclass of
:class:`SparqlError`, itself a :class:`kg.core.errors.EvidenceKGError`. Each class
names its HTTP status and a stable machine-readable ``code`` so the HTTP
router needs one ``except SparqlError`` clause, not one per class::

    SparqlError
    ├── BadQueryError          400  the query text cannot or may not run
    │   ├── QuerySyntaxError   400  not SPARQL 1.1 (line/column when known)
    │   ├── ForbiddenQueryError 400 updates, LOAD, SERVICE, FROM / FROM NAMED
    │   └── QueryTooLargeError 400  text over the size limit, or nested too deeply
    ├── NotAcceptableError     406  no supported result format in Accept
    ├── QueryTimeoutError      504  stopped at the time limit; nothing returned
    │   ├── EngineCancelledError 504 an external engine said it cut the query short
    │   └── QueryTooCostlyError 504 an external engine refused it: estimated past its time limit
    ├── ServiceBusyError       503  every worker busy for too long; retry later
    ├── ServiceClosedError     503  the service was shut down
    ├── StoreError             503  the store is missing or cannot be opened
    │   └── DataVersionMismatchError 503 the store holds another data version
    ├── EngineError            502  an external engine failed, or sent an unreadable answer
    ├── WorkerCrashedError     500  the worker process died while running the query
    └── QueryExecutionError    500  the engine failed while running the query

Errors cross the worker/parent process boundary by pickling, so every class
keeps its state in keyword fields and rebuilds without calling ``__init__``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from kg.core.errors import EvidenceKGError

__all__ = [
    "BadQueryError",
    "DataVersionMismatchError",
    "EngineCancelledError",
    "EngineError",
    "ForbiddenQueryError",
    "NotAcceptableError",
    "QueryExecutionError",
    "QuerySyntaxError",
    "QueryTimeoutError",
    "QueryTooCostlyError",
    "QueryTooLargeError",
    "ServiceBusyError",
    "ServiceClosedError",
    "SparqlError",
    "StoreError",
    "WorkerCrashedError",
]


def _rebuild(cls: type[SparqlError], message: str, state: dict[str, Any]) -> SparqlError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


class SparqlError(EvidenceKGError):
    """Base class of the SPARQL service's errors.

    ``http_status`` and ``code`` are class attributes; ``as_dict()`` gives the
    JSON error body (``{"error": code, "message": ..., **fields}``).
    """

    http_status: ClassVar[int] = 500
    code: ClassVar[str] = "sparql_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""

    def fields(self) -> dict[str, Any]:
        """Extra, JSON-serializable details of this error."""
        return {key: value for key, value in self.__dict__.items() if not key.startswith("_")}

    def as_dict(self) -> dict[str, Any]:
        """The error as a JSON-ready dict: ``error`` (code), ``message`` and the fields."""
        return {"error": self.code, "message": self.message, **self.fields()}

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.message, dict(self.__dict__)))


class BadQueryError(SparqlError):
    """The query text cannot or may not be run (HTTP 400)."""

    http_status = 400
    code = "bad_query"


class QuerySyntaxError(BadQueryError):
    """The text is not a valid SPARQL 1.1 query; ``line``/``column`` are 1-based when known."""

    code = "syntax_error"

    def __init__(self, detail: str, line: int | None = None, column: int | None = None) -> None:
        self.detail = detail
        self.line = line
        self.column = column
        where = f" at line {line}, column {column}" if line is not None and column is not None else ""
        super().__init__(f"SPARQL syntax error{where}: {detail}")


class ForbiddenQueryError(BadQueryError):
    """The query uses a feature this read-only endpoint refuses (``feature`` names it)."""

    code = "forbidden_query"

    def __init__(self, feature: str, reason: str) -> None:
        self.feature = feature
        super().__init__(f"{feature} is not allowed: {reason}")


class QueryTooLargeError(BadQueryError):
    """The query text is longer than the limit, or nested deeper than the parser can check."""

    code = "query_too_large"

    def __init__(self, message: str, size: int | None = None, limit: int | None = None) -> None:
        self.size = size
        self.limit = limit
        super().__init__(message)


class NotAcceptableError(SparqlError):
    """None of the media types in the Accept header can represent this result (HTTP 406)."""

    http_status = 406
    code = "not_acceptable"

    def __init__(self, accept: str, supported: list[str], query_form: str | None = None) -> None:
        self.accept = accept
        self.supported = list(supported)
        self.query_form = query_form
        what = f"{query_form} results" if query_form else "results"
        super().__init__(f"cannot serve {what} as {accept!r}; supported media types: {', '.join(self.supported)}")


class QueryTimeoutError(SparqlError):
    """The query ran past its time limit and was stopped; no partial result exists (HTTP 504)."""

    http_status = 504
    code = "query_timeout"

    def __init__(self, timeout_s: float) -> None:
        self.timeout_s = timeout_s
        super().__init__(
            f"query timed out: it was stopped after the time limit of {timeout_s:g} s and returned no results; "
            "make it more selective (bind more terms, add LIMIT, avoid unconstrained cross products)"
        )


class EngineCancelledError(QueryTimeoutError):
    """An external engine cut the query short at its own time limit, or may have: never passed on as an answer.

    Oxigraph's server ends a cancelled answer with "The SPARQL operation has
    been cancelled"; Virtuoso sends what it found so far with ``X-SQL-State:
    S1TAT``; and a body that ends after the engine's declared own limit
    (:attr:`~kg.sparql.endpoint.EndpointSpec.engine_timeout_s`) may have been
    cut with no sign at all. Each looks like an answer, so it is dropped whole: same
    code and status as any timeout, with ``engine_signal`` saying what was seen.
    """

    def __init__(self, timeout_s: float, engine_signal: str) -> None:
        self.timeout_s = timeout_s
        self.engine_signal = engine_signal
        SparqlError.__init__(
            self,
            "query timed out: the query engine stopped it at its own time limit and its partial answer was "
            "dropped, so nothing was returned; make it more selective (bind more terms, add LIMIT, "
            "avoid unconstrained cross products)",
        )


class QueryTooCostlyError(QueryTimeoutError):
    """An external engine refused to start the query: its estimate ran past its time limit (HTTP 504)."""

    code = "query_too_costly"

    def __init__(self, timeout_s: float, engine_message: str) -> None:
        self.timeout_s = timeout_s
        self.engine_message = engine_message
        SparqlError.__init__(
            self,
            "the query engine estimated that this query would run past its time limit and did not start it; "
            "make it more selective (bind more terms, add LIMIT, avoid unconstrained cross products)",
        )


class ServiceBusyError(SparqlError):
    """Every query worker stayed busy for ``waited_s`` seconds (HTTP 503, retry later)."""

    http_status = 503
    code = "service_busy"

    def __init__(self, waited_s: float, workers: int) -> None:
        self.waited_s = waited_s
        self.workers = workers
        super().__init__(
            f"all {workers} SPARQL workers stayed busy for {waited_s:g} s; the query was not started, retry later"
        )


class ServiceClosedError(SparqlError):
    """The SPARQL service was closed (HTTP 503)."""

    http_status = 503
    code = "service_closed"


class StoreError(SparqlError):
    """The RDF store is missing, incomplete or cannot be opened or built (HTTP 503)."""

    http_status = 503
    code = "store_unavailable"


class DataVersionMismatchError(StoreError):
    """The store holds another data version than this server serves (HTTP 503).

    ``found`` lists every version the store declares (none, one, or several
    when two exports were loaded into one graph); ``endpoint`` names the store.
    """

    code = "data_version_mismatch"

    def __init__(self, expected: str, found: list[str], endpoint: str) -> None:
        self.expected = expected
        self.found = list(found)
        self.endpoint = endpoint
        held = ", ".join(repr(version) for version in found) if found else "no data version at all"
        super().__init__(
            f"the SPARQL store at {endpoint} holds {held}, but this server serves data version {expected!r}; "
            "publish this version to it (kg publish), point at the store of this version, "
            "or start with --allow-version-mismatch"
        )


class EngineError(SparqlError):
    """The external SPARQL engine failed, or sent an answer that cannot be read whole (HTTP 502)."""

    http_status = 502
    code = "engine_error"

    def __init__(self, endpoint: str, detail: str, engine_status: int | None = None) -> None:
        self.endpoint = endpoint
        self.detail = detail
        self.engine_status = engine_status
        super().__init__(f"the SPARQL engine at {endpoint} failed: {detail}")


class WorkerCrashedError(SparqlError):
    """The worker process died while running the query; it has been replaced (HTTP 500)."""

    http_status = 500
    code = "worker_crashed"

    def __init__(self, detail: str, exit_code: int | None = None) -> None:
        self.detail = detail
        self.exit_code = exit_code
        super().__init__(f"the SPARQL worker process died while running the query ({detail}); it was replaced")


class QueryExecutionError(SparqlError):
    """The engine raised an error while evaluating or serializing the query (HTTP 500)."""

    http_status = 500
    code = "execution_error"
