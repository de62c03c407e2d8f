"""A client for one external SPARQL 1.1 Protocol endpoint: pooled connections, deadlines, typed errors.

Two users share it. The query workers (:mod:`kg.sparql.remote`) send the
user's guarded query and stream the answer into pyoxigraph's parsers; the
API process asks the store which data version it holds, and the evidence
engine on an external store will send its own ranking queries
(:meth:`EndpointClient.select`).

httpx does the HTTP (a runtime dependency for this: it is well kept, pools
and reuses connections, has per-request timeouts and streaming bodies, and
the tests already use it). Proxy variables from the environment are ignored
(``trust_env=False``): an engine is addressed directly, and nothing may be
sent anywhere else. Queries go as a form-encoded POST (SPARQL 1.1 Protocol
§2.1.2), so their length is never limited by a URL.

Everything that goes wrong becomes a :class:`~kg.sparql.errors.SparqlError`:
an unreachable engine :class:`StoreError` (503), a time-out
:class:`QueryTimeoutError` (504), an engine's own cancel
:class:`EngineCancelledError` (504), an engine failure or an answer that is
cut off :class:`EngineError` (502). The deadline is checked again before each
chunk of the body is read, so a body that trickles in stops within one read
timeout of the deadline; the worker that runs a /sparql query is also killed
at the deadline by :class:`~kg.sparql.runner.QueryRunner`.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx
import pyoxigraph

from kg.sparql.endpoint import EndpointSpec
from kg.sparql.engines import (
    EngineInfo,
    body_rewrites,
    cancelled_by_headers,
    canonical_rows,
    canonical_triples,
    engine_row_cap,
    error_for_status,
    error_for_unreadable_body,
    identify,
    timeout_parameters,
)
from kg.sparql.errors import EngineCancelledError, EngineError, QueryTimeoutError, SparqlError, StoreError

__all__ = ["N_TRIPLES", "SPARQL_JSON", "EndpointClient", "EngineAnswer", "SelectResult", "in_this_thread"]

SPARQL_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
_ERROR_BODY_BYTES = 64 * 1024
_ERROR_BODY_LIMIT = 8 * 1024 * 1024
_TAIL_BYTES = 512
_CONNECT_TIMEOUT_S = 5.0
Term = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal | pyoxigraph.Triple
T = TypeVar("T")


def in_this_thread(function: Callable[[], T]) -> T:
    """Call ``function``, which parses with pyoxigraph; if it raises, re-raise without tracebacks.

    pyoxigraph's result iterators may only be freed by the thread that made
    them (they are pyo3 "unsendable" objects: freeing one elsewhere raises
    RuntimeError in that thread). A traceback keeps alive the frames that hold
    them, and an exception can travel to another thread (the provider keeps a
    failed start-up in a Future) and be freed there. Dropping the tracebacks of
    the whole chain here frees those frames, and the iterators, in this thread.
    The errors raised through it name what failed; their traceback is not needed.
    """
    failure: BaseException | None = None
    try:
        return function()
    except BaseException as error:
        failure = error
        chained: BaseException | None = error
        while chained is not None:
            chained.__traceback__ = None
            chained = chained.__cause__ or chained.__context__
    raise failure  # outside the except block: no new context chain


@dataclass(frozen=True, slots=True)
class SelectResult:
    """A complete SELECT answer: variable names, and rows of terms (``None`` where unbound)."""

    variables: tuple[str, ...]
    rows: list[tuple[Term | None, ...]]


class _BodyReader(io.RawIOBase):
    """A response body as a file for pyoxigraph's streaming parsers, checking the deadline per chunk.

    It applies the engine's byte ``rewrites`` as the chunks arrive (holding
    back a few bytes where a match could straddle two chunks) and remembers
    the last bytes received, where an engine writes its cancel message.
    """

    def __init__(
        self,
        response: httpx.Response,
        deadline: float,
        timeout_s: float,
        endpoint: str,
        rewrites: tuple[tuple[bytes, bytes], ...] = (),
        engine_timeout_s: float | None = None,
    ) -> None:
        super().__init__()
        self._chunks = response.iter_bytes()
        self._deadline = deadline
        self._timeout_s = timeout_s
        self._engine_limit_at = None if engine_timeout_s is None else deadline - timeout_s + engine_timeout_s
        self._engine_timeout_s = engine_timeout_s
        self._endpoint = endpoint
        self._rewrites = rewrites
        self._hold = max((len(old) - 1 for old, _ in rewrites), default=0)
        self._pending = b""
        self._carry = b""
        self.tail = b""
        self.finished = False

    def readable(self) -> bool:
        return True

    def _next_chunk(self) -> bytes:
        if time.monotonic() > self._deadline:
            raise QueryTimeoutError(self._timeout_s)
        try:
            chunk = next(self._chunks, b"")
        except httpx.TimeoutException:
            raise QueryTimeoutError(self._timeout_s) from None
        except httpx.HTTPError as error:
            raise EngineError(self._endpoint, f"the answer was cut off: {error}", 200) from None
        self.tail = (self.tail + chunk)[-_TAIL_BYTES:]
        return chunk

    def _fill(self) -> None:
        """Make ``_pending`` non-empty, or mark the body finished."""
        while not self._pending and not self.finished:
            chunk = self._next_chunk()
            if not chunk:
                self._check_engine_limit()
                self.finished = True
                self._pending, self._carry = self._carry, b""
                return
            if not self._rewrites:
                self._pending = chunk
                continue
            data = self._carry + chunk
            for old, new in self._rewrites:
                data = data.replace(old, new)
            cut = max(0, len(data) - self._hold)
            self._pending, self._carry = data[:cut], data[cut:]

    def _check_engine_limit(self) -> None:
        """Refuse a body that ended after the engine's own time limit: the engine may have cut it there unsaid.

        The engine started after we asked, so if it stopped the query at its
        limit, its body ends later than that, as seen from here: no cut body
        read to its end gets past this check (one read only up to our row cap
        is flagged truncated anyway). A complete answer that happened to end
        just after the limit is refused too: a 504 for a query at the limit,
        never a wrong answer.
        """
        if self._engine_limit_at is None or time.monotonic() < self._engine_limit_at:
            return
        raise EngineCancelledError(
            self._timeout_s,
            f"the answer ended after the engine's own time limit of {self._engine_timeout_s:g} s, "
            "where an engine can end a query it cancelled with a well-formed, shorter answer (Oxigraph does)",
        )

    def readinto(self, buffer: Any) -> int:
        self._fill()
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


@dataclass(slots=True)
class EngineAnswer:
    """A 200 answer whose body has not been read yet: headers, the engine, and the body as a file."""

    response: httpx.Response
    raw: _BodyReader
    engine: EngineInfo
    timeout_s: float
    endpoint: str
    body: io.BufferedReader = field(init=False)

    def __post_init__(self) -> None:
        self.body = io.BufferedReader(self.raw)

    @property
    def media_type(self) -> str:
        content_type: str = self.response.headers.get("content-type", "")
        return content_type.split(";", 1)[0].strip().lower()

    @property
    def row_cap(self) -> int | None:
        """The engine's own row cap, when it says it cut the answer there."""
        return engine_row_cap(self.response.headers)

    def expect(self, media_type: str) -> None:
        """Refuse a body of another type than asked (an HTML error page with status 200, say)."""
        if self.media_type != media_type:
            raise EngineError(
                self.endpoint, f"asked for {media_type}, it answered {self.media_type or 'without a Content-Type'}"
            )

    def unreadable(self, error: Exception) -> SparqlError:
        """The error for a body that did not parse: the engine's own cancel, or a broken answer."""
        return error_for_unreadable_body(str(error), self.raw.tail, self.timeout_s, self.endpoint)


class EndpointClient:
    """One external SPARQL endpoint behind a pooled, thread-safe HTTP client.

    ``max_connections`` bounds the connections kept to the engine. Close the
    client (or use ``with``) to drop them. ``engine`` is what the last answer's
    ``Server`` header said.
    """

    def __init__(self, spec: EndpointSpec, *, max_connections: int = 8) -> None:
        self.spec = spec
        self.engine = EngineInfo(spec.engine)
        self._http = httpx.Client(
            limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections),
            headers={"User-Agent": "evidence-kg"},
            follow_redirects=False,
            trust_env=False,
        )

    @contextmanager
    def post(self, query: str, accept: str, *, timeout_s: float) -> Iterator[EngineAnswer]:
        """Send ``query``; yield the 200 answer with its body unread; raise a typed error otherwise.

        ``timeout_s`` bounds connecting, waiting for the answer and reading it.
        A non-2xx status, or a 200 that the engine flagged as cut short, is
        raised here, before any of the body is used.
        """
        deadline = time.monotonic() + timeout_s
        form = {"query": query, **timeout_parameters(self.spec.engine, timeout_s)}
        if self.spec.default_graph:
            form["default-graph-uri"] = self.spec.default_graph
        timeout = httpx.Timeout(timeout_s, connect=min(_CONNECT_TIMEOUT_S, timeout_s))
        url = self.spec.url
        try:
            with self._http.stream("POST", url, data=form, headers={"Accept": accept}, timeout=timeout) as response:
                self.engine = identify(response.headers.get("server"))
                if not 200 <= response.status_code < 300:
                    raise error_for_status(response.status_code, _read_some(response), timeout_s, url)
                signal = cancelled_by_headers(response.headers)
                if signal is not None:
                    raise EngineCancelledError(timeout_s, signal)
                media_type = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
                rewrites = body_rewrites(self.engine.name, media_type)
                body = _BodyReader(response, deadline, timeout_s, url, rewrites, self.spec.engine_timeout_s)
                yield EngineAnswer(response, body, self.engine, timeout_s, url)
        except (httpx.ConnectError, httpx.ConnectTimeout) as error:
            raise StoreError(f"cannot reach the SPARQL endpoint at {url}: {error}") from None
        except httpx.TimeoutException:
            raise QueryTimeoutError(timeout_s) from None
        except httpx.HTTPError as error:
            raise EngineError(url, f"{type(error).__name__}: {error}") from None

    def select(self, query: str, *, timeout_s: float) -> SelectResult:
        """Run a SELECT query (ours, trusted: not guarded) and return its whole answer.

        An answer the engine cut at its own row cap is an :class:`EngineError`:
        a caller that needs every row must not get some of them.
        """
        with self.post(query, SPARQL_JSON, timeout_s=timeout_s) as answer:
            answer.expect(SPARQL_JSON)
            result = in_this_thread(lambda: self._read_solutions(answer))
            cap = answer.row_cap
            if cap is not None and len(result.rows) >= cap:
                raise EngineError(self.spec.url, f"it cut the answer at its own row cap of {cap} rows")
        return result

    def construct(self, query: str, *, timeout_s: float) -> list[pyoxigraph.Triple]:
        """Run a CONSTRUCT query (ours, trusted: not guarded) and return every triple of its answer.

        The same errors as :meth:`select`: an answer cut short, cancelled or unreadable is never returned.
        """
        with self.post(query, N_TRIPLES, timeout_s=timeout_s) as answer:
            answer.expect(N_TRIPLES)

            def read() -> list[pyoxigraph.Triple]:
                try:
                    parsed = (
                        quad.triple for quad in pyoxigraph.parse(answer.body, format=pyoxigraph.RdfFormat.N_TRIPLES)
                    )
                    return list(canonical_triples(self.spec.engine, parsed))
                except SyntaxError as error:
                    raise answer.unreadable(error) from None

            return in_this_thread(read)

    def _read_solutions(self, answer: EngineAnswer) -> SelectResult:
        try:
            results = pyoxigraph.parse_query_results(answer.body, format=pyoxigraph.QueryResultsFormat.JSON)
            if not isinstance(results, pyoxigraph.QuerySolutions):
                raise EngineError(self.spec.url, "a SELECT query was answered with a boolean")
            variables = tuple(variable.value for variable in results.variables)
            return SelectResult(variables, [tuple(row) for row in canonical_rows(self.spec.engine, results)])
        except SyntaxError as error:
            raise answer.unreadable(error) from None

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> EndpointClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _read_some(response: httpx.Response) -> str:
    """An error body as text for the error message: its start and its end.

    Virtuoso sends a time-out as ``500`` with megabytes of partial results
    first and the ``S1TAT`` error last, so the end is kept too; the body is
    read up to 8 MB (the request's timeout bounds the wait), not further.
    """
    head, tail, size = b"", b"", 0
    try:
        for chunk in response.iter_bytes():
            if len(head) < _ERROR_BODY_BYTES:
                head += chunk[: _ERROR_BODY_BYTES - len(head)]
            tail = (tail + chunk)[-_TAIL_BYTES * 8 :]
            size += len(chunk)
            if size >= _ERROR_BODY_LIMIT:
                break
    except httpx.HTTPError:
        pass
    text = head if size <= len(head) else head + b"\n[...]\n" + tail
    return text.decode("utf-8", errors="replace")
